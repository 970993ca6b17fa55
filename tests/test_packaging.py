"""Packaging: desktop entry, metainfo, icons, the PyInstaller spec, build.sh and the self-test.

PyInstaller itself is not run here (minutes, not seconds); ``packaging/build.sh`` builds the
bundle and smoke-tests it.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import graph_data
from tests.conftest import REPO

PACKAGING = REPO / "packaging"
APP_ID = "io.github.serviceatlas.ServiceAtlas"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
ICONS = PACKAGING / "icons"
SVG = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
SPEC = PACKAGING / "service-atlas.spec"
SIZES = (16, 32, 48, 64, 128, 256, 512)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def desktop_entry() -> configparser.SectionProxy:
    """The [Desktop Entry] group, keys case kept."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def console_script() -> str:
    """The console command pyproject.toml installs."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    (name,) = project["scripts"]
    return name


def png_size(data: bytes) -> tuple[int, int, int]:
    """Width, height and colour type from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


# --- desktop entry and metainfo ------------------------------------------------------------


def test_desktop_entry_launches_the_console_script_with_the_app_icon():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Service Atlas"
    assert entry["Exec"].split()[0] == console_script()
    assert entry["TryExec"] == console_script()
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].split(";")
    assert categories[-1] == "", "the list must end with ';'"
    assert "Education" in categories


def test_metainfo_names_the_same_app_desktop_file_icon_and_binary():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("icon") == desktop_entry()["Icon"]
    assert root.findtext("provides/binary") == console_script()
    assert root.findtext("name") == desktop_entry()["Name"]
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"


def test_metainfo_lists_the_current_version_as_a_release():
    versions = [r.get("version") for r in ET.parse(METAINFO).getroot().iter("release")]
    assert graph_data.__version__ in versions, "add a <release> for the new version"


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("desktop-file-validate", [], DESKTOP),
        ("appstreamcli", ["validate", "--no-net"], METAINFO),
    ],
)
def test_validators_accept_the_linux_files(tool, args, path):
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian: desktop-file-utils, appstream)")
    done = subprocess.run([exe, *args, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- icons ------------------------------------------------------------------------------------


def test_icon_svg_is_a_square_svg_document_and_the_app_has_the_same_copy():
    root = ET.parse(SVG).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height
    assert (REPO / "resources" / "icons" / "service-atlas.svg").read_bytes() == SVG.read_bytes()


@pytest.mark.parametrize("size", SIZES)
def test_png_icon_has_its_size_and_an_alpha_channel(size):
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    width, height, colour = png_size(path.read_bytes())
    assert (width, height) == (size, size)
    assert colour == 6, "RGBA, so the rounded corners stay transparent"


def test_windows_ico_holds_png_entries_up_to_256():
    data = (ICONS / "service-atlas.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for n in range(count):
        w, h, *_rest, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * n : 22 + 16 * n])
        blob = data[offset : offset + length]
        width, height, _ = png_size(blob)
        assert (width % 256, height % 256) == (w, h)
        sizes.append(width)
    assert sizes == [16, 32, 48, 64, 128, 256]


def test_macos_icns_length_and_entries_add_up():
    data = (ICONS / "service-atlas.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    offset, kinds = 8, []
    while offset < len(data):
        kind, length = struct.unpack(">4sI", data[offset : offset + 8])
        assert data[offset + 8 : offset + 16] == PNG_SIGNATURE
        kinds.append(kind)
        offset += length
    assert offset == len(data)
    assert b"ic09" in kinds, "a 512 px entry for Retina docks"


# --- the PyInstaller spec and build.sh --------------------------------------------------------


def spec_list(name: str) -> list[str]:
    """A literal list assigned at the spec's top level."""
    for node in ast.parse(SPEC.read_text("utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def test_spec_collects_the_package_data_the_app_reads_at_run_time():
    text = SPEC.read_text("utf-8")
    for needle in (
        'collect_data_files("graph_data")',
        'collect_data_files("pyvis")',
        '"app/resources"',
        'collect_submodules("whoosh")',
        "launcher.py",
        "pyi_rth_notebook_stub.py",
    ):
        assert needle in text, needle
    # Everything the spec points at exists.
    for name in ("launcher.py", "pyi_rth_notebook_stub.py"):
        assert (PACKAGING / name).is_file()
    assert list((REPO / "graph_data" / "samples").rglob("*.md"))
    assert (REPO / "graph_data" / "data" / "catalog.json").is_file()


def test_spec_excludes_unused_qt_but_never_a_module_the_app_imports():
    unused = set(spec_list("UNUSED_QT"))
    for family in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia", "QtCharts"):
        assert family in unused
    for kept in ("QtCore", "QtGui", "QtWidgets"):
        assert kept not in unused
    app_sources = "\n".join(p.read_text("utf-8") for p in (REPO / "app").rglob("*.py"))
    imported = set(re.findall(r"\bPySide6\.(Qt\w+)", app_sources)) & unused
    # The spec never drops what app/ imports, but the list should stay honest about it.
    assert imported == set(), f"app/ now imports {imported}; drop them from UNUSED_QT"


def test_build_script_is_executable_valid_bash():
    script = PACKAGING / "build.sh"
    assert os.access(script, os.X_OK)
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    done = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_launcher_runs_the_command_line():
    done = subprocess.run(
        [sys.executable, str(PACKAGING / "launcher.py"), "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"service-atlas {graph_data.__version__}"


def test_notebook_stub_lets_pyvis_import_without_ipython():
    # Hide IPython the way the bundle does (it is not there), then load the runtime hook.
    code = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'IPython':\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        f"exec(open({str(PACKAGING / 'pyi_rth_notebook_stub.py')!r}).read())\n"
        "from pyvis.network import Network\n"
        "Network(notebook=False)\n"
        "from IPython.display import IFrame\n"
        "try:\n"
        "    IFrame('x', 1, 1)\n"
        "except RuntimeError as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "NotebookDisplayUnavailable"


# --- the self-test ----------------------------------------------------------------------------


def _need_core() -> None:
    missing = [
        m for m in ("graph_data.build", "graph_data.search") if not importlib.util.find_spec(m)
    ]
    if missing:
        pytest.skip(f"the self-test needs {', '.join(missing)}, not written yet")
    if not (REPO / "graph_data" / "samples").is_dir():
        pytest.skip("the bundled sample notes (graph_data/samples) are not there yet")


def test_self_test_passes_on_the_bundled_samples_and_leaves_the_user_cache_alone():
    _need_core()
    from graph_data.selftest import run_self_test

    user_cache = Path(os.environ["SERVICE_ATLAS_CACHE"])
    before = dict(os.environ)
    lines: list[str] = []
    assert run_self_test(out=lines.append), "\n".join(lines)
    steps = {line.split()[1]: line.split()[0] for line in lines[1:-1]}
    assert steps["samples"] == steps["build"] == steps["search"] == "PASS"
    assert steps["export"] in ("PASS", "SKIP")
    assert lines[-1].startswith("self-test: PASS")
    assert dict(os.environ) == before, "the cache/data/config overrides were not restored"
    assert not user_cache.exists() or not any(user_cache.iterdir())


def test_self_test_fails_loudly_when_a_check_does_not_hold(monkeypatch):
    _need_core()
    from graph_data import selftest

    monkeypatch.setattr(selftest, "MIN_SERVICES", 100_000)
    lines: list[str] = []
    assert selftest.run_self_test(out=lines.append) is False
    build = next(line for line in lines if line.split()[1:2] == ["build"])
    assert build.startswith("FAIL") and "services found" in build
    # The other steps still run and report; one failure fails the whole run.
    assert len(lines) == 7
    assert lines[-1].startswith("self-test: FAIL")
