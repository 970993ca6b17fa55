"""Test set-up shared by the core and app tests."""

import os
from pathlib import Path

import pytest

# Before any Qt import: tests run without a display, in CI and on developer machines alike.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED_NOTES = REPO.parent / "shared" / "notes"
GOLD_DEV = REPO.parent / "shared" / "gold-dev"


@pytest.fixture(scope="session", autouse=True)
def _isolated_session_user_dirs(tmp_path_factory):
    """Keep the user folders of module and session fixtures out of the real ones too.

    Wider fixtures are set up before the per-test isolation below, so a module fixture that
    builds notes would otherwise write its cache into the user's real cache folder.
    """
    base = tmp_path_factory.mktemp("session-userdirs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SERVICE_ATLAS_CACHE", str(base / "cache"))
        mp.setenv("SERVICE_ATLAS_DATA", str(base / "data"))
        mp.setenv("SERVICE_ATLAS_CONFIG", str(base / "config"))
        yield


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep caches, data and settings of every test out of the real user folders."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("SERVICE_ATLAS_CACHE", str(base / "cache"))
    monkeypatch.setenv("SERVICE_ATLAS_DATA", str(base / "data"))
    monkeypatch.setenv("SERVICE_ATLAS_CONFIG", str(base / "config"))
    yield


@pytest.fixture
def shared_notes() -> Path:
    """The user's real notes folder; skips the test where it is absent."""
    if not SHARED_NOTES.is_dir():
        pytest.skip(f"the user's notes folder {SHARED_NOTES} is absent on this machine")
    return SHARED_NOTES


def write_notes(folder: Path, files: dict[str, str]) -> Path:
    """A notes folder holding ``files`` (name to UTF-8 text), made for one test."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    return folder
