"""The first start: missing X11 libraries, the Qt self-test, Qt's noise, and the user folders."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import gui
from app.cli import main, qt_self_test, window_self_test
from graph_data.selftest import SelfTestFailure, SelfTestSkipped

REPO = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")
#: What the reporter's desktop lacked (Qt's own message blamed libxcb-cursor0).
ABSENT = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}

NOTE = (
    "# Containers\n\n## ECS\n\n"
    "- ECS integrates with the Application Load Balancer so each task gets its own host port.\n"
    "- ECS sends container logs to CloudWatch Logs.\n"
)


@pytest.fixture
def notes(tmp_path) -> Path:
    """A one-note folder written for these tests."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "containers.md").write_text(NOTE)
    return folder


def loader_without(absent: set[str]):
    """A ``ctypes.CDLL`` stand-in that cannot find the libraries named in ``absent``."""
    tried: list[str] = []

    def load(name: str) -> None:
        tried.append(name)
        if Path(name).name in absent:
            raise OSError(f"{name}: cannot open shared object file")

    load.tried = tried  # type: ignore[attr-defined]
    return load


def desktop_env(**extra: str) -> dict[str, str]:
    """The environment of an X11 desktop session where Qt picks its platform itself."""
    drop = ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return {**env, "DISPLAY": ":0", **extra}


# --- 1. missing X11 libraries: one line naming them and the install command --------------------


@pytest.mark.skipif(not LINUX, reason="the xcb platform is Linux's")
def test_missing_xcb_libraries_are_named_with_the_apt_command():
    problem = gui._platform_problem(False, desktop_env(), load=loader_without(ABSENT))
    assert problem is not None and "\n" not in problem
    assert "libxcb-icccm.so.4 and libxcb-keysyms.so.1" in problem
    assert problem.endswith("sudo apt install libxcb-icccm4 libxcb-keysyms1")
    assert "cursor" not in problem


@pytest.mark.skipif(not LINUX, reason="the xcb platform is Linux's")
def test_nothing_is_said_when_the_libraries_load_or_xcb_is_not_the_platform():
    every = loader_without(set())
    assert gui._platform_problem(False, desktop_env(), load=every) is None
    assert set(every.tried) == set(gui.XCB_LIBRARIES)
    none = loader_without(set(gui.XCB_LIBRARIES))
    for env in (
        desktop_env(QT_QPA_PLATFORM="offscreen"),
        desktop_env(QT_QPA_PLATFORM="wayland;xcb"),
        desktop_env(XDG_SESSION_TYPE="wayland", WAYLAND_DISPLAY="wayland-0"),
    ):
        assert gui._platform_problem(False, env, load=none) is None, env
    assert gui._platform_problem(False, desktop_env(QT_QPA_PLATFORM="xcb"), load=none)


@pytest.mark.skipif(not LINUX, reason="the xcb platform is Linux's")
def test_the_window_command_stops_before_qt_with_one_line_and_exit_2(notes, monkeypatch, capfd):
    for key in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(gui.ctypes, "CDLL", loader_without(ABSENT))
    assert main(["gui", str(notes)]) == 2
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "sudo apt install libxcb-icccm4 libxcb-keysyms1" in err


@pytest.mark.skipif(not LINUX or not shutil.which("ldd"), reason="needs Linux and ldd")
def test_the_table_holds_every_x11_library_the_xcb_plugin_links():
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    linked: set[str] = set()
    for lib in (qt / "plugins" / "platforms" / "libqxcb.so", *qt.glob("lib/libQt6XcbQpa.so*")):
        if lib.is_file():
            out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
            linked |= set(re.findall(r"^\s*(lib(?:xcb|X11|xkbcommon|GL\b)\S*)\s", out, re.M))
    if not linked:
        pytest.skip("this PySide6 has no xcb plugin")
    assert linked <= set(gui.XCB_LIBRARIES), linked - set(gui.XCB_LIBRARIES)


@pytest.mark.skipif(
    not LINUX or not gui.missing_xcb_libraries(),
    reason="needs a machine without some xcb library (this one would try a real display)",
)
def test_on_this_machine_the_first_start_is_a_line_not_an_abort(notes):
    # With no check, Qt aborts here (SIGABRT) and blames the wrong library.
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "gui", str(notes)],
        env=desktop_env(DISPLAY=":99"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1
    for name in gui.missing_xcb_libraries():
        assert name in done.stderr


# --- 2. --self-test starts Qt offscreen, draws a PDF, writes an Anki deck ----------------------


def test_the_self_test_starts_qt_and_writes_a_pdf_and_an_anki_deck(capsys):
    assert main(["--self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    steps = {line[6:22].strip(): line for line in lines[1:-1]}
    assert steps["desktop (Qt)"].startswith("PASS") and "offscreen" in steps["desktop (Qt)"]
    assert "PDF" in steps["desktop (Qt)"]
    assert "anki" in steps["export"]
    assert lines[-1].startswith("self-test: PASS")


def test_a_qt_that_aborts_is_a_failed_step_not_a_crash(tmp_path):
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("sqs", short="SQS", name="Amazon SQS", category="Application Integration")
    with pytest.raises(SelfTestFailure, match="killed by SIGABRT"):
        qt_self_test(G, tmp_path, platform="no-such-platform")


@pytest.mark.skipif(not LINUX, reason="the xcb platform is Linux's")
def test_the_self_test_fails_where_the_window_would_not_open(tmp_path, monkeypatch):
    for key in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(key, raising=False)
    import networkx as nx

    G = nx.MultiDiGraph()
    with pytest.raises(SelfTestFailure, match="sudo apt install libxcb-icccm4 libxcb-keysyms1"):
        window_self_test(G, tmp_path, load=loader_without(ABSENT))
    assert "load" in window_self_test(G, tmp_path, load=loader_without(set()))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    with pytest.raises(SelfTestSkipped):
        window_self_test(G, tmp_path, load=loader_without(ABSENT))


# --- 4. Qt's one known-harmless offscreen warning stays off stderr -----------------------------


def run_app(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``service-atlas ARGV`` in a child process, offscreen."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *argv],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_screenshot_mode_prints_nothing_on_stderr(notes, tmp_path):
    done = run_app("gui", str(notes), "--screenshot", str(tmp_path / "s.png"), "--size", "800x600")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_an_error_in_screenshot_mode_is_the_only_line_on_stderr(tmp_path):
    done = run_app("gui", str(tmp_path / "absent"), "--screenshot", str(tmp_path / "s.png"))
    assert done.returncode == 2
    assert done.stderr.startswith("service-atlas: error:") and done.stderr.count("\n") == 1


def test_the_filter_drops_only_the_known_warning():
    code = (
        "from app.gui import install_message_filter\n"
        "install_message_filter(); install_message_filter()\n"
        "from PySide6.QtCore import qWarning\n"
        "qWarning('This plugin does not support propagateSizeHints()')\n"
        "qWarning('This plugin does not support propagateSizeHints() and more')\n"
        "qWarning('another warning')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "This plugin does not support propagateSizeHints() and more",
        "another warning",
    ]


# --- 5. the user folders: SERVICE_ATLAS_CONFIG, and tests never touch the real ones ------------


def home_env(home: Path) -> dict[str, str]:
    """An environment whose real user folders are all inside ``home``, with no overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICE_ATLAS_")}
    return {
        **env,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
    }


def written(home: Path) -> list[str]:
    """The files and folders created inside ``home``."""
    return sorted(p.relative_to(home).as_posix() for p in home.rglob("*"))


def test_the_settings_live_in_service_atlas_config(notes, tmp_path):
    home, config = tmp_path / "home", tmp_path / "my-config"
    home.mkdir()
    env = {
        **home_env(home),
        "SERVICE_ATLAS_CONFIG": str(config),
        "SERVICE_ATLAS_CACHE": str(tmp_path / "c"),
        "SERVICE_ATLAS_DATA": str(tmp_path / "d"),
    }
    done = run_app("gui", str(notes), "--screenshot", str(tmp_path / "s.png"), env=env)
    assert done.returncode == 0, done.stderr
    assert f"last_folder={notes}" in (config / "settings.ini").read_text()
    assert [p for p in written(home) if "service-atlas" in p] == []


@pytest.mark.slow
def test_module_fixtures_keep_their_builds_out_of_the_real_cache(tmp_path):
    # Module fixtures that build notes, run as a developer would run them.
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/app/test_models.py::test_services_model_groups_by_category_with_mentions",
            "tests/app/test_details.py::test_the_graph_has_the_long_quote",
        ],
        cwd=REPO,
        env={**home_env(home), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert [p for p in written(home) if "service-atlas" in p] == []
