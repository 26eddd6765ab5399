"""The PyInstaller bundle (``make package``) runs on its own: ``--version``, the self-check, a
command, the PostgreSQL driver, the Linux menu files and install script.

The bundle is built here (once per run) when ``dist/tobeout-host-stand`` is missing or older than
any source file, so a clean CI machine exercises the real build (about 2 to 3 minutes; the time
is printed and kept in build/last-package-build.txt). ``TOBEOUT_TEST_SKIP_BUNDLE=1`` skips these
tests while iterating on something else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__
from app.db.schema import head_revision

ROOT = Path(__file__).resolve().parents[2]
NAME = "tobeout-host-stand"
BUNDLE = ROOT / "dist" / NAME
PROGRAM = BUNDLE / (f"{NAME}.exe" if sys.platform == "win32" else NAME)
SOURCES = ("main.py", "pyproject.toml", "app", "ui", "resources", "migrations", "packaging")
BUILD_TIMEOUT_S = 30 * 60

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="built and run on Linux"),
    pytest.mark.skipif(
        os.environ.get("TOBEOUT_TEST_SKIP_BUNDLE") == "1", reason="TOBEOUT_TEST_SKIP_BUNDLE=1"
    ),
]


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def build_command() -> list[str]:
    if shutil.which("make"):
        return ["make", "package"]
    return [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", "dist",
            "--workpath", "build/pyinstaller", "packaging/tobeout.spec"]  # fmt: skip


@pytest.fixture(scope="session")
def program(pytestconfig: pytest.Config) -> Iterator[Path]:
    if not PROGRAM.exists() or PROGRAM.stat().st_mtime < newest_source():
        started = time.monotonic()
        result = subprocess.run(
            build_command(), cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
        )
        seconds = time.monotonic() - started
        assert result.returncode == 0, f"the build failed:\n{result.stdout}\n{result.stderr}"
        files = [f for f in BUNDLE.rglob("*") if f.is_file() and not f.is_symlink()]
        size = sum(f.stat().st_size for f in files) / 1e6
        note = f"built {BUNDLE.relative_to(ROOT)} in {seconds:.0f} s ({size:.0f} MB)"
        (ROOT / "build" / "last-package-build.txt").write_text(note + "\n", encoding="utf-8")
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"\n[packaging] {note}")
    yield PROGRAM


def run(program: Path, *args: str, tmp_path: Path, **kwargs: object) -> subprocess.CompletedProcess:
    """The bundled program in a clean environment: a private home, no display."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
        and not key.startswith("VIRTUAL_ENV")
    }
    home = tmp_path / "home"
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"))  # fmt: skip
    return subprocess.run(
        [str(program), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_version(program: Path, tmp_path: Path) -> None:
    result = run(program, "--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ToBeOut Host Stand {__version__}"


def test_self_check(program: Path, tmp_path: Path) -> None:
    result = run(program, "--self-check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert all(line.startswith("ok ") for line in lines[:-1]), out
    assert lines[-1] == f"self-check passed: {len(lines) - 1} checks"
    inside = str(BUNDLE / "_internal")
    assert f"ok files: 4 migration scripts in {inside}/migrations" in out or (
        f"migration scripts in {inside}/migrations" in out
    )
    assert f"ok database migrated to {head_revision()} (new file " in out
    assert "psycopg" in out and "(binary)" in out
    assert "platform offscreen" in out
    assert f"ok style sheet {inside}/resources/styles/host_stand.qss" in out
    assert "ok host-stand window drawn (1366x768" in out
    log = tmp_path / "home" / "state" / "ToBeOut" / "log" / "tobeout.log"
    assert ": self-check (Python" in log.read_text(encoding="utf-8")


def test_commands_run_from_the_bundle(program: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    demo = run(program, "--database-url", url, "demo", tmp_path=tmp_path)
    assert demo.returncode == 0, demo.stderr
    listed = run(program, "--database-url", url, "restaurant", "list", "--json", tmp_path=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)] == [int(demo.stdout)]
    parsed = run(program, "sofia", "parse", "столик на двоих завтра в 19:30", "--json",
                 "--now", "2026-11-27T12:00:00+03:00", "--tz", "Europe/Moscow",
                 tmp_path=tmp_path)  # fmt: skip
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["time"] == "19:30"


def test_the_self_check_reaches_the_given_database(
    program: Path, database_url: str, tmp_path: Path
) -> None:
    """On PostgreSQL this proves the bundled psycopg binary driver connects."""
    result = run(program, "--database-url", database_url, "--self-check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"reachable (read only), at schema {head_revision()}" in result.stdout


def test_linux_menu_files_and_install_script(program: Path, tmp_path: Path) -> None:
    share = BUNDLE / "share"
    desktop = share / "applications" / f"{NAME}.desktop"
    metainfo = share / "metainfo" / "com.tobeout.hoststand.metainfo.xml"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{NAME}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                                 text=True)  # fmt: skip
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    if shutil.which("appstreamcli"):
        checked = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic",
                                  str(metainfo)], capture_output=True, text=True)  # fmt: skip
        assert checked.returncode == 0, checked.stdout + checked.stderr
    prefix = tmp_path / "prefix"
    installed = subprocess.run([str(BUNDLE / "install.sh"), str(prefix)], capture_output=True,
                               text=True)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    entry = (prefix / "share" / "applications" / f"{NAME}.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/lib/{NAME}/{NAME}\n" in entry
    linked = run(prefix / "bin" / NAME, "--version", tmp_path=tmp_path)
    assert linked.returncode == 0 and __version__ in linked.stdout
    removed = subprocess.run([str(BUNDLE / "install.sh"), "--uninstall", str(prefix)],
                             capture_output=True, text=True)  # fmt: skip
    assert removed.returncode == 0, removed.stderr
    assert not (prefix / "bin" / NAME).exists() and not (prefix / "lib" / NAME).exists()
