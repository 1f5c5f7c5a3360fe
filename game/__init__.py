"""RTS Commander: the simulation package (game.ui holds the pygame front end)."""

__version__ = "0.1.0"
