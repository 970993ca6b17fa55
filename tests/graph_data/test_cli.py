"""The core command line: mistyped commands, option checks, --help, export targets, pipes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from graph_data import selftest
from graph_data.cli import BROKEN_PIPE_EXIT, build_parser, main
from graph_data.export import FORMATS

NOTE = (
    "# Containers\n\n## ECS\n\n"
    "- ECS integrates with the Application Load Balancer so each task gets its own host port.\n"
    "- ECS sends container logs to CloudWatch Logs.\n\n"
    "## Messaging\n\nSNS fans out each message to several SQS queues.\n"
)


@pytest.fixture
def notes(tmp_path) -> Path:
    """A one-note folder written for these tests."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "containers.md").write_text(NOTE)
    return folder


def one_error_line(err: str) -> str:
    """The single line of an error on stderr (fails when there are more)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# --- mistyped commands ------------------------------------------------------------------------


def test_a_mistyped_command_names_the_command_it_resembles(notes, capsys):
    opened = []
    code = main(["serach", str(notes), "q"], gui=opened.append)
    assert code == 2 and opened == []
    line = one_error_line(capsys.readouterr().err)
    assert line == "service-atlas: error: unknown command 'serach'; did you mean 'search'?"


def test_a_word_that_is_no_command_and_no_folder_does_not_open_the_window(tmp_path, capsys):
    opened = []
    code = main(["frobnicate"], gui=opened.append)
    assert code == 2 and opened == []
    line = one_error_line(capsys.readouterr().err)
    assert "unknown command 'frobnicate'" in line and "export" in line


def test_a_folder_still_opens_the_window(notes, tmp_path, monkeypatch):
    opened: list[argparse.Namespace] = []
    assert main([str(notes)], gui=lambda a: opened.append(a) or 0) == 0
    monkeypatch.chdir(tmp_path)
    # A path that is not there yet is still a path: the window says the folder is missing.
    assert main(["./not-yet"], gui=lambda a: opened.append(a) or 0) == 0
    assert [a.notes for a in opened] == [notes, Path("./not-yet")]


# --- option values ----------------------------------------------------------------------------


def test_a_search_limit_of_0_is_refused_not_answered_with_no_matches(notes, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["search", str(notes), "ECS", "--limit", "0"])
    assert stop.value.code == 2
    out, err = capsys.readouterr()
    assert "No matches" not in out
    assert "--limit: the limit must be at least 1, not 0" in err


def test_a_negative_depth_is_a_plain_message(notes, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["export", str(notes), "--depth", "-1", "--format", "json", "-o", str(tmp_path / "g")])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--depth: must be 0 or more, not -1" in err and "unexpected" not in err


def test_min_confidence_leaves_out_the_weaker_relations(notes, tmp_path):
    every, strong = tmp_path / "every.json", tmp_path / "strong.json"
    main(["export", str(notes), "-o", str(every)])
    confidences = sorted(e["confidence"] for e in json.loads(every.read_text())["links"])
    cut = confidences[len(confidences) // 2]
    assert confidences[0] < cut, "the note must give relations of different confidence"
    main(["export", str(notes), "--min-confidence", str(cut), "-o", str(strong)])
    kept = [e["confidence"] for e in json.loads(strong.read_text())["links"]]
    assert kept and min(kept) >= cut and len(kept) == sum(c >= cut for c in confidences)


@pytest.mark.parametrize(
    ("value", "message"),
    [("2", "must lie between 0 and 1, not 2"), ("abc", "'abc' is not a number")],
)
def test_a_min_confidence_outside_0_to_1_is_a_plain_message(
    notes, tmp_path, capsys, value, message
):
    with pytest.raises(SystemExit) as stop:
        main(["export", str(notes), "--min-confidence", value, "-o", str(tmp_path / "g.json")])
    assert stop.value.code == 2
    assert f"--min-confidence: {message}" in capsys.readouterr().err
    assert not (tmp_path / "g.json").exists()


def test_an_export_limited_to_an_exam_lists_what_the_notes_never_name(notes, tmp_path):
    from graph_data.gaps import find_gaps, scope_services

    sheet, graph = tmp_path / "saa.md", tmp_path / "saa.json"
    assert main(["export", str(notes), "--exam", "clf", "-o", str(graph)]) == 0
    nodes = {n["id"] for n in json.loads(graph.read_text())["nodes"]}
    assert nodes and nodes <= scope_services("clf")
    assert main(["export", str(notes), "--exam", "clf", "-o", str(sheet)]) == 0
    text = sheet.read_text("utf-8")
    assert "# Study sheet: all \\(CLF-C02 scope\\)" in text
    assert text.count("\n- **") == len(find_gaps(nx_graph(notes), "clf").missing) > 0
    assert text.index("## Not in your notes yet") > text.index("## ECS")


def nx_graph(notes: Path):
    """The notes' knowledge graph, built as the command line builds it."""
    from graph_data.build import build

    return build(notes, index=False).graph


# --- --help -----------------------------------------------------------------------------------


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each subcommand."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_has_help_and_every_default_is_shown():
    parser = build_parser()
    for name, sub in {"": parser, **subparsers(parser)}.items():
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            what = f"{name} {action.dest}"
            assert action.help, f"{what} has no help"
            shown = action.default not in (None, False, True, [], argparse.SUPPRESS)
            if shown or action.dest == "format":
                assert "default" in action.help, f"{what} does not show its default"


def test_export_help_lists_every_format_and_says_the_command_line_writes_pdf(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "from the app" not in text
    for fmt in [*FORMATS, "pdf"]:
        assert fmt in text
    for suffix in (".md", ".html", ".pdf", ".apkg", ".graphml", ".gexf", ".json", ".cypher"):
        assert suffix in text


# --- export: the format from the file name, and csv targets -----------------------------------


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".md", lambda b: b"\n# Study sheet" in b),
        (".html", lambda b: b"<html" in b.lower()),
        (".apkg", lambda b: b.startswith(b"PK")),
        (".graphml", lambda b: b"<graphml" in b),
        (".gexf", lambda b: b"<gexf" in b),
        (".json", lambda b: "nodes" in json.loads(b)),
        (".cypher", lambda b: b"MERGE" in b),
        (".zip", lambda b: b.startswith(b"PK")),
    ],
)
def test_the_format_comes_from_the_extension_when_not_given(notes, tmp_path, suffix, check):
    out = tmp_path / f"sheet{suffix}"
    assert main(["export", str(notes), "-o", str(out)]) == 0
    assert check(out.read_bytes())


def test_a_pdf_name_picks_the_pdf_writer(notes, tmp_path):
    calls = []

    def pdf(G, path, title, page_size, emphasis=None):
        calls.append((path, page_size, emphasis))
        path.write_bytes(b"%PDF-1.4\n")
        return path

    out = tmp_path / "sheet.pdf"
    assert main(["export", str(notes), "-o", str(out), "--page-size", "letter"], pdf=pdf) == 0
    # A sheet of one focus draws it emphasised and lists it first, as the other sheets do.
    assert main(["export", str(notes), "--focus", "ECS", "-o", str(out)], pdf=pdf) == 0
    assert calls == [(out, "letter", None), (out, "a4", "ecs")]


def test_an_extension_that_names_no_format_is_refused_with_the_choices(notes, tmp_path, capsys):
    out = tmp_path / "sheet.txt"
    assert main(["export", str(notes), "-o", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "--format" in line and ".md" in line and ".apkg" in line
    assert not out.exists()


def test_csv_to_a_name_ending_in_csv_is_refused_not_made_a_folder(notes, tmp_path, capsys):
    out = tmp_path / "d.csv"
    assert main(["export", str(notes), "--format", "csv", "-o", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "nodes.csv and edges.csv" in line and ".zip" in line
    assert not out.exists()
    # Without --format it is the same question: which of the two files would d.csv be?
    assert main(["export", str(notes), "-o", str(out)]) == 2
    assert "nodes.csv and edges.csv" in capsys.readouterr().err
    assert not out.exists()


def test_csv_to_a_folder_says_which_files_it_wrote(notes, tmp_path, capsys):
    out = tmp_path / "tables"
    assert main(["export", str(notes), "--format", "csv", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert "nodes.csv and edges.csv" in capsys.readouterr().out


def test_csv_to_a_zip_holds_both_tables(notes, tmp_path):
    out = tmp_path / "tables.zip"
    assert main(["export", str(notes), "--format", "csv", "-o", str(out)]) == 0
    assert sorted(zipfile.ZipFile(out).namelist()) == ["edges.csv", "nodes.csv"]


# --- a reader that goes away (| head) ---------------------------------------------------------


def test_a_closed_pipe_ends_quietly(notes):
    # The reader is gone before the first line: every write meets a broken pipe.
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph_data.cli", "relations", str(notes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=120) == BROKEN_PIPE_EXIT
    assert "Broken pipe" not in err and "error" not in err.lower(), err


# --- the self-test's extra steps --------------------------------------------------------------


def test_the_self_test_writes_an_anki_deck_and_runs_the_steps_it_is_given():
    seen = []

    def step(G, folder):
        seen.append((G.number_of_nodes(), folder.is_dir(), list(folder.iterdir())))
        return "looked at the graph"

    def broken(G, folder):
        raise selftest.SelfTestFailure("Qt could not start")

    lines: list[str] = []
    ok = selftest.run_self_test(out=lines.append, extra=[("extra", step), ("broken", broken)])
    assert ok is False
    by_step = {line.split()[1]: line for line in lines[1:-1]}
    assert "anki" in by_step["export"]
    assert by_step["extra"].startswith("PASS") and "looked at the graph" in by_step["extra"]
    assert by_step["broken"].startswith("FAIL") and "Qt could not start" in by_step["broken"]
    assert seen and seen[0][0] >= selftest.MIN_SERVICES and seen[0][1:] == (True, [])
    # The checks after a failed step still run and report.
    assert by_step["notes"].startswith("PASS")
    assert lines[-1].startswith("self-test: FAIL")


def test_gaps_lists_what_the_exam_scope_has_and_the_notes_do_not(notes, capsys):
    assert main(["gaps", str(notes), "--exam", "saa", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exam"]["code"] == "SAA-C03"
    missing = {row["service"] for row in data["missing"]}
    assert "dynamodb" in missing and "ecs" not in missing
    assert main(["gaps", str(notes), "--exam", "saa"]) == 0
    assert "Never in your notes" in capsys.readouterr().out


def test_gaps_names_the_known_exams_for_an_unknown_one(notes, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["gaps", str(notes), "--exam", "nope"])
    assert stop.value.code == 2
    assert "CLF-C02" in capsys.readouterr().err
