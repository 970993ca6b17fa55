"""The Workspace: one place for where a notes folder's state lives, and its layout step."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from graph_data import userdirs
from graph_data.build import build, cache_folder
from graph_data.corrections import corrections_path
from graph_data.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]


def test_every_place_of_a_folder_is_under_the_user_folders_never_the_notes(tmp_path):
    notes = tmp_path / "notes"
    ws = Workspace(notes)
    for place in (ws.cache, ws.build_cache, ws.index, ws.layout):
        assert place.is_relative_to(userdirs.cache_dir())
    for place in (ws.corrections, ws.last_view):
        assert place.is_relative_to(userdirs.data_dir())
    assert not any(p.is_relative_to(notes) for p in (ws.cache, ws.layout, ws.corrections))


def test_two_spellings_of_one_folder_are_one_workspace_and_two_folders_are_two(tmp_path):
    (tmp_path / "a").mkdir()
    same = Workspace(tmp_path / "a"), Workspace(tmp_path / "b" / ".." / "a")
    assert same[0].key == same[1].key
    assert Workspace(tmp_path / "b").key != same[0].key


def test_the_build_and_the_corrections_use_the_workspace_paths(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text("# SQS\n\nSNS fans out to SQS queues.\n", "utf-8")
    ws = Workspace(notes)
    build(notes)
    assert cache_folder(notes) == ws.cache
    assert ws.build_cache.is_file() and ws.index.is_dir()
    assert corrections_path(notes) == ws.corrections


def _graph(*edges: tuple[str, str]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_edges_from(edges)
    return G


def test_the_layout_step_places_every_service_and_saves_the_picture(tmp_path):
    ws = Workspace(tmp_path / "notes")
    G = _graph(("sns", "sqs"), ("sqs", "lambda"))
    first = ws.lay_out(G)
    assert set(first) == set(G)
    assert ws.layout.is_file()
    assert ws.saved_layout().positions == first


def test_a_saved_picture_that_places_everyone_is_kept_as_it_was(tmp_path):
    ws = Workspace(tmp_path / "notes")
    G = _graph(("sns", "sqs"), ("sqs", "lambda"))
    first = ws.lay_out(G)
    assert ws.lay_out(G) == first  # no drift from running the forces again


def test_newcomers_are_placed_and_pinned_services_stay(tmp_path):
    ws = Workspace(tmp_path / "notes")
    first = ws.lay_out(_graph(("sns", "sqs")), pinned={"sns": (5.0, 7.0)})
    assert first["sns"] == (5.0, 7.0)
    grown = ws.lay_out(_graph(("sns", "sqs"), ("sqs", "lambda")))
    assert set(grown) == {"sns", "sqs", "lambda"}
    assert grown["sns"] == (5.0, 7.0)  # the saved pin holds without being passed again
    assert ws.saved_layout().pinned == {"sns"}


def test_a_cancelled_layout_saves_nothing(tmp_path):
    ws = Workspace(tmp_path / "notes")
    ws.lay_out(_graph(("sns", "sqs")), cancelled=lambda: True)
    assert not ws.layout.exists()


def test_no_module_computes_a_folder_key_of_its_own():
    # The Workspace is the one place that knows how a folder's state is keyed.
    users = []
    for path in [*REPO.glob("app/**/*.py"), *REPO.glob("graph_data/**/*.py")]:
        if path.name in ("workspace.py", "userdirs.py"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        if any(
            isinstance(n, ast.Attribute | ast.Name) and "folder_key" in ast.unparse(n)
            for n in ast.walk(tree)
        ):
            users.append(path.relative_to(REPO).as_posix())
    assert users == []
