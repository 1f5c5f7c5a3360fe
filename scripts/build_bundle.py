"""Build the desktop bundle dist/RTSCommander/ with PyInstaller.

`make bundle` runs `python scripts/build_bundle.py`, which runs

    python -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller \\
        packaging/RTSCommander.spec

after making sure the icon and the default model exist, then writes
dist/RTSCommander/build-info.json (version, a hash of the sources, tool
versions). `--if-stale` skips the build when that file matches the current
sources (tests/test_bundle.py uses this; a fresh clone always builds).
llama-cpp-python is taken from the venv as installed: the build never
recompiles it.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "RTSCommander.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_NAME = "RTSCommander"
BUNDLE = DIST / APP_NAME
EXECUTABLE = BUNDLE / (APP_NAME + (".exe" if sys.platform == "win32" else ""))
BUILD_INFO = BUNDLE / "build-info.json"
MODEL = ROOT / "models" / "gemma-3-270m-q4_k_m.gguf"
ADAPTER = ROOT / "models" / "gemma-3-270m-orders.lora.gguf"  # llm.adapter.ADAPTER_FILE
# Everything that ends up in the bundle, besides installed packages (versions below).
SOURCES = ("main.py", "game/**/*.py", "llm/**/*.py", "assets/**/*", "packaging/*",
           "requirements.txt", "scripts/build_bundle.py")
PACKAGES = ("pyinstaller", "pyinstaller-hooks-contrib", "pygame-ce", "llama_cpp_python",
            "numpy", "jinja2", "psutil")


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


def _llama_libraries() -> list[Path]:
    """llama_cpp/lib/* of the installed package, found without importing it."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return []
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    return sorted(p for p in lib.glob("*") if p.is_file())


def sources_digest() -> str:
    """sha256 of the bundled sources, the model's size and the packages' versions."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in SOURCES for p in ROOT.glob(pattern)
                    if p.is_file() and "__pycache__" not in p.parts})
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for path in _llama_libraries():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    model_size = MODEL.stat().st_size if MODEL.is_file() else -1
    digest.update(f"{MODEL.name}:{model_size}\0".encode())
    if ADAPTER.is_file():
        digest.update(ADAPTER.name.encode() + b"\0" + ADAPTER.read_bytes())
    for name in PACKAGES:
        digest.update(f"{name}=={_package_version(name)}\0".encode())
    digest.update(f"{sys.version}\0{platform.machine()}".encode())
    return digest.hexdigest()


def is_up_to_date() -> bool:
    try:
        info = json.loads(BUILD_INFO.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (info.get("sources") == sources_digest() and EXECUTABLE.is_file()
            and (BUNDLE / "models" / MODEL.name).is_file())


def _prepare() -> None:
    if not (ROOT / "assets" / "icon.png").is_file() or not (ROOT / "assets" / "icon.ico").is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_icon.py")], check=True)
    if not MODEL.is_file():
        subprocess.run([sys.executable, str(ROOT / "main.py"), "setup-model"], check=True)


def build(if_stale: bool = False) -> Path:
    """Build dist/RTSCommander/ (or keep it when `if_stale` and it is current)."""
    if if_stale and is_up_to_date():
        print(f"{BUNDLE} is up to date", flush=True)
        return BUNDLE
    _prepare()
    BUILD_INFO.unlink(missing_ok=True)  # a failed build must not look current
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)],
                   cwd=ROOT, check=True)
    from game import __version__

    BUILD_INFO.write_text(json.dumps({
        "version": __version__,
        "sources": sources_digest(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {name: _package_version(name) for name in PACKAGES},
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }, indent=2) + "\n", encoding="utf-8")
    print(f"built {BUNDLE} in {time.perf_counter() - started:.0f} s", flush=True)
    return BUNDLE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--if-stale", action="store_true",
                        help="do nothing when dist/RTSCommander matches the sources")
    args = parser.parse_args(argv)
    build(if_stale=args.if_stale)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
