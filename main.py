"""RTS Commander: the command line.

`python main.py` starts the game (title screen); `python main.py bench [...]`
runs the headless benchmark. Each subcommand is a small function that imports
what it needs, so this module stays free of pygame: the multiprocessing spawn
start method re-imports it in child processes that must not load pygame.
"""

import argparse
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit status 2, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _seed(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: use a whole number") from None
    if not 0 <= value < 2**31:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: use 0 to {2**31 - 1}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seconds {text!r}") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"invalid seconds {text!r}: use more than 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rts-commander", description="RTS Commander: a real-time strategy game.")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands.add_parser("play", help="start the game (the default)")
    bench = commands.add_parser(
        "bench", help="run the real game loop headless and print one JSON line of timings")
    bench.add_argument("--seconds", type=_positive_seconds, default=None,
                       help="wall seconds (default 20); with --fast, game seconds (default 3600)")
    bench.add_argument("--seed", type=_seed, default=7, help="map and game seed (default 7)")
    bench.add_argument("--ai-vs-ai", action="store_true", help="a bot plays the player's side too")
    bench.add_argument("--fast", action="store_true",
                       help="no frame cap: play a real match to the end as fast as possible")
    bench.add_argument("--difficulty", choices=("easy", "normal", "hard"), default="normal",
                       help="enemy bot difficulty")
    bench.add_argument("--stress", action="store_true",
                       help="300 units fighting in the middle of the map (tick cost)")
    translate = commands.add_parser(
        "translate", help="translate typed orders (TEXT, or each line of stdin) to JSON commands")
    translate.add_argument("--tier", choices=("auto", "rules", "llm"), default="auto",
                           help="auto: rules then model; rules: parser only; llm: model only")
    translate.add_argument("text", nargs="?", default=None, help="one order (else stdin)")
    commands.add_parser("setup-model", help="put the embedded default model into models/")
    commands.add_parser("docs", help="regenerate docs/COMMANDS.md from the vocabulary")
    parser.add_argument("--model", metavar="PATH", default=None,
                        help="a GGUF model file to use instead of the settings' choice")
    return parser


def cmd_play(args: argparse.Namespace) -> int:
    from game.ui.app import run_play

    return run_play(args.model)


def cmd_bench(args: argparse.Namespace) -> int:
    import json

    from game.ui.bench import BenchOptions, run_bench

    result = run_bench(BenchOptions(seconds=args.seconds, seed=args.seed, ai_vs_ai=args.ai_vs_ai,
                                    fast=args.fast, difficulty=args.difficulty,
                                    stress=args.stress))
    print(json.dumps(result))
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    from game import settings
    from game.ui.translate_cli import run
    from llm.profiles import resolve_model_path

    model = str(resolve_model_path(args.model, settings.load().model_file))
    return run(args.text, args.tier, model)


def cmd_setup_model(args: argparse.Namespace) -> int:
    from llm.profiles import ensure_default_model

    print(ensure_default_model())
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from llm.docs import DOC_PATH, write_commands_doc

    write_commands_doc()
    print(DOC_PATH)
    return 0


COMMANDS = {"play": cmd_play, "bench": cmd_bench, "translate": cmd_translate,
            "setup-model": cmd_setup_model, "docs": cmd_docs}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command or "play"](args)


if __name__ == "__main__":
    sys.exit(main())
