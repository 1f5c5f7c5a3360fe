"""RTS Commander: the command line.

`python main.py` starts the game (title screen); `python main.py bench [...]`
runs the headless benchmark. Each subcommand is a small function that imports
what it needs, so this module stays free of pygame: the multiprocessing spawn
start method re-imports it in child processes that must not load pygame.
"""

import argparse
import logging
import multiprocessing
import os
import platform
import sys
from pathlib import Path

LOG_ROTATE_BYTES = 1 << 20  # past this, the previous log is kept as .1 and a new one begun
_log_rotated = False


def _log_file() -> Path:
    """paths.log_path(), rotated once per run before anything opens it (the model
    process appends to the same file)."""
    global _log_rotated
    from game import paths

    path = paths.log_path()
    if not _log_rotated:
        _log_rotated = True
        try:
            if path.is_file() and path.stat().st_size > LOG_ROTATE_BYTES:
                path.replace(path.with_name(path.name + ".1"))
        except OSError:
            pass  # another copy of the game has it open (Windows): append to it
    return path


def _attach_missing_streams() -> None:
    """A windowed build (no console) starts with sys.stdout/sys.stderr set to None:
    point them at the log file, since llama-cpp-python, pygame and print() write there."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    try:
        stream = open(_log_file(), "a", buffering=1, encoding="utf-8",  # noqa: SIM115
                      errors="replace")
    except OSError:
        stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


if __name__ == "__main__":
    # Before anything else: in the frozen app the model process is this same
    # executable, and there freeze_support() runs the child's work, then exits.
    multiprocessing.freeze_support()
    _attach_missing_streams()

LOG = logging.getLogger("rts_commander")
LOGGED_COMMANDS = ("play", "bench", "translate", "replay", "load")  # not setup-model and docs
_log_handler: logging.Handler | None = None


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
    from game.ai import PLAYER_BOTS
    from game.settings import DIFFICULTIES
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
    bench.add_argument("--difficulty", choices=DIFFICULTIES, default="normal",
                       help="enemy bot difficulty")
    bench.add_argument("--player-bot", choices=PLAYER_BOTS, default="normal",
                       help="who plays the player's side with --ai-vs-ai (novice: a new "
                            "player's habits; default normal)")
    bench.add_argument("--stress", action="store_true",
                       help="300 units fighting in the middle of the map (tick cost)")
    bench.add_argument("--llm-load", action="store_true",
                       help="keep translations in flight in the model process all along")
    bench.add_argument("--orders", action="store_true",
                       help="the player types an order every few seconds (latency figures)")
    bench.add_argument("--no-model", action="store_true", help="do not start the model")
    bench.add_argument("--no-advisor", action="store_true",
                       help="the advisor uses heuristics only (no model remarks)")
    bench.add_argument("--save", metavar="FILE", default=None,
                       help="write a save of the match to FILE at the end (prints "
                            "saved_state_hash, save_ms, save_bytes and the time to load it)")
    bench.add_argument("--record", metavar="FILE", default=None,
                       help="write the match's replay to FILE (with --fast or --monkey: the "
                            "other scenarios add units outside the orders)")
    bench.add_argument("--monkey", action="store_true",
                       help="random player input through the real event queue while a bot "
                            "plays; exits 1 on any exception in a frame")
    translate = commands.add_parser(
        "translate", help="translate typed orders (TEXT, or each line of stdin) to JSON commands")
    translate.add_argument("--tier", choices=("auto", "rules", "llm"), default="auto",
                           help="auto: rules then model; rules: parser only; llm: model only")
    translate.add_argument("text", nargs="?", default=None, help="one order (else stdin)")
    translate.add_argument("--cursor", default=None, metavar="X,Y",
                           help="the map point under the mouse (tiles): what \"here\" means")
    translate.add_argument("--selection", default=None, metavar="ID,TYPE,...",
                           help="the selection: entity ids, or types (every one of ours)")
    replay = commands.add_parser(
        "replay", help="watch a recorded match, or check it headless with --verify")
    replay.add_argument("file", help="a replay file (.jsonl, see the user data folder)")
    replay.add_argument("--verify", action="store_true",
                        help="play it headless and compare its state hashes; exit 1 at the "
                             "first tick that differs, 2 if the file is refused")
    load = commands.add_parser("load", help="play a saved game, or continue it headless with "
                                            "--bench")
    load.add_argument("file", help="a save file (.json, see the saves folder)")
    load.add_argument("--bench", action="store_true",
                      help="continue it headless and print the bench JSON (plus load_ms)")
    load.add_argument("--seconds", type=_positive_seconds, default=None,
                      help="with --bench: wall seconds (default 20); with --fast, game seconds")
    load.add_argument("--fast", action="store_true", help="with --bench: no frame cap")
    load.add_argument("--no-model", action="store_true", help="do not start the model")
    load.add_argument("--save", metavar="FILE", default=None,
                      help="with --bench: save the match to FILE at the end")
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

    from game.ui.bench import BenchOptions, recordable, run_bench

    if args.record and not recordable(args.fast, args.stress, args.monkey):
        print("rts-commander bench: error: --record needs --fast or --monkey (the other "
              "scenarios add units outside the orders, so no replay could reproduce them)",
              file=sys.stderr)
        return 2

    result = run_bench(BenchOptions(
        seconds=args.seconds, seed=args.seed, ai_vs_ai=args.ai_vs_ai, fast=args.fast,
        difficulty=args.difficulty, stress=args.stress, model=not args.no_model,
        model_path=args.model, llm_load=args.llm_load, orders=args.orders,
        advisor=not args.no_advisor, monkey=args.monkey, player_bot=args.player_bot,
        record=args.record, save=args.save))
    print(json.dumps(result))
    return 1 if result["frame_errors"] else 0


def cmd_load(args: argparse.Namespace) -> int:
    """A save, played in the window or continued headless; a bad file is one clear line
    on stderr and exit status 2."""
    import json

    from game.save import SaveError

    try:
        if not args.bench:
            from game.ui.app import run_play

            return run_play(args.model, save_file=args.file)
        from game.ui.bench import BenchOptions, run_bench

        result = run_bench(BenchOptions(seconds=args.seconds, fast=args.fast,
                                        model=not args.no_model, model_path=args.model,
                                        load=args.file, save=args.save))
    except SaveError as error:
        from game.i18n import tr

        print(f"rts-commander load: {tr(error.key)} ({error.detail})", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 1 if result["frame_errors"] else 0


def cmd_replay(args: argparse.Namespace) -> int:
    if args.verify:
        from game.replay import verify_command

        return verify_command(args.file)
    from game.ui.replay_view import run_watch

    return run_watch(args.file)


def cmd_translate(args: argparse.Namespace) -> int:
    from game import settings
    from game.ui.translate_cli import run
    from llm.profiles import resolve_model_path

    model = str(resolve_model_path(args.model, settings.load().model_file))
    return run(args.text, args.tier, model, cursor=args.cursor, selection=args.selection)


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
            "setup-model": cmd_setup_model, "docs": cmd_docs, "replay": cmd_replay,
            "load": cmd_load}


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("pygame-ce", "llama_cpp_python", "psutil"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} ?")
    return ", ".join(found)


def start_log(command: str) -> logging.Logger:
    """The log a player can attach to a bug report: paths.log_path(), appended to,
    with the startup line, the versions and the folders; errors go there too.

    Never fails: without a writable user data folder the game runs without a log.
    """
    global _log_handler
    from game import __version__, paths

    try:
        handler: logging.Handler = logging.FileHandler(_log_file(), encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _log_handler is not None:  # main() called again in one process (tests)
        root.removeHandler(_log_handler)
        _log_handler.close()
    _log_handler = handler
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    LOG.info("RTS Commander %s: %s (pid %d)", __version__, command, os.getpid())
    LOG.info("Python %s on %s; %s; %s", platform.python_version(), platform.platform(),
             "frozen" if paths.is_frozen() else "from source", _versions())
    LOG.info("app %s; models %s; user data %s", paths.app_dir(), paths.models_dir(),
             paths.user_data_dir())
    return LOG


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "play"
    if command not in LOGGED_COMMANDS:
        return COMMANDS[command](args)
    log = start_log(command)
    try:
        status = COMMANDS[command](args)
    except Exception:  # a crash goes into the log for the bug report, then on as usual
        log.exception("Uncaught exception in %s", command)
        raise
    log.info("%s finished with status %s", command, status)
    return status


if __name__ == "__main__":
    sys.exit(main())
