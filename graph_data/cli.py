"""The ``service-atlas`` command line (core commands; the desktop window is plugged in by ``app``).

Every failure the user can cause ends in one readable line on stderr and a non-zero exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from graph_data import __version__

__all__ = [
    "COMMANDS",
    "CliError",
    "ControlFree",
    "build_parser",
    "main",
]

#: Subcommands handled here; anything else that is not an option is a notes folder for the GUI.
COMMANDS = ("services", "build", "relations", "search", "export", "gaps", "gui")

GuiLauncher = Callable[[argparse.Namespace], int]
#: Writes a PDF sheet: (subgraph, path, title, page size) -> path written (passed in by ``app``).
PdfWriter = Callable[..., Path]
#: Extra ``--self-test`` steps, (name, step) as :func:`graph_data.selftest.run_self_test` takes.
SelfTestSteps = Sequence[tuple[str, Callable[..., str]]]

#: The exit code of a command whose reader went away (``| head``), as if killed by SIGPIPE.
BROKEN_PIPE_EXIT = 141

#: File extensions ``export`` understands without ``--format``, beyond each format's own one.
_EXTRA_SUFFIXES = {".pdf": "pdf", ".zip": "csv", ".markdown": "markdown", ".htm": "html"}


class CliError(Exception):
    """A problem to report to the user in one line (exit code 2)."""


def _depth(text: str) -> int:
    """A ``--depth`` value: a whole number of hops, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _limit(text: str) -> int:
    """A ``--limit`` value: how many results to show, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"the limit must be at least 1, not {value}")
    return value


def _confidence(text: str) -> float:
    """A ``--min-confidence`` value: a probability from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, not {text}")
    return value


def _exam(text: str) -> str:
    """An ``--exam`` value: the code of a bundled exam scope."""
    from graph_data.gaps import UnknownExam, get_exam

    try:
        return get_exam(text).code
    except UnknownExam as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _notes_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("notes", metavar="NOTES_DIR", type=Path, help="folder of notes (.md, .txt)")
    p.add_argument(
        "--no-corrections",
        dest="corrections",
        action="store_false",
        help="show the shipped scorer's extraction: without your saved corrections, nor what "
        "your review decisions taught the scorer",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand and its ``--help``."""
    from graph_data.gaps import exam_codes

    parser = argparse.ArgumentParser(
        prog="service-atlas",
        description="Turn a folder of AWS study notes into a knowledge graph of services. "
        "With no command, opens the desktop app on NOTES_DIR, the last folder or the samples.",
        epilog="Run 'service-atlas COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"service-atlas {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the sample notes in a temporary folder, search, export (a PDF and an Anki "
        "deck included) and start Qt offscreen; print PASS/FAIL for each step",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("services", help="list the services found, with mention counts and files")
    _notes_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = sub.add_parser("build", help="write the knowledge graph as node-link JSON")
    _notes_arg(p)
    p.add_argument(
        "--out",
        "-o",
        type=Path,
        required=True,
        metavar="FILE.json",
        help="the JSON file to write (outside the notes folder, or anything but a note)",
    )

    p = sub.add_parser("relations", help="print the relations found, with their evidence")
    _notes_arg(p)
    p.add_argument("--service", metavar="NAME", help="only relations of this service")
    p.add_argument(
        "--relation",
        choices=["integrates-with", "alternative-to", "replaces"],
        help="only relations of this type (default: all three)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("search", help="full-text search of the notes")
    _notes_arg(p)
    p.add_argument(
        "query",
        metavar="QUERY",
        help='words, "a phrase", word~ (fuzzy), prefix*, service:NAME, file:NAME, heading:WORD',
    )
    p.add_argument(
        "--limit",
        type=_limit,
        default=10,
        metavar="N",
        help="show at most N results, 1 or more (default: %(default)s)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("export", help="export a subgraph as a study sheet or a graph file")
    _notes_arg(p)
    p.add_argument(
        "--focus",
        action="append",
        default=[],
        metavar="NAME",
        help="a service to centre on (repeatable; default: the whole graph)",
    )
    p.add_argument(
        "--depth",
        type=_depth,
        default=1,
        metavar="N",
        help="hops around the focus, 0 or more (default: %(default)s)",
    )
    p.add_argument(
        "--relations",
        metavar="r1,r2",
        help="only these relation types: integrates-with, alternative-to, replaces (default: all)",
    )
    p.add_argument("--query", metavar="Q", help="only the services found by this search")
    p.add_argument(
        "--exam",
        type=_exam,
        metavar="CODE",
        help="only services in this exam's scope; a Markdown sheet then lists the in-scope "
        "services the notes never name (codes as for 'gaps')",
    )
    p.add_argument(
        "--min-confidence",
        type=_confidence,
        default=0.0,
        metavar="P",
        help="leave out relations whose confidence is below P, 0 to 1 (default: %(default)s, "
        "every relation)",
    )
    p.add_argument(
        "--format",
        metavar="FORMAT",
        help="markdown, html, pdf, anki, json, graphml, gexf, csv or cypher "
        "(default: from the extension of -o: .md, .html, .pdf, .apkg, .json, .graphml, .gexf, "
        ".zip for csv, .cypher)",
    )
    p.add_argument(
        "--page-size",
        choices=["a4", "letter"],
        default="a4",
        help="paper of a pdf (default: %(default)s)",
    )
    p.add_argument(
        "-o",
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="the file to write; csv writes nodes.csv and edges.csv into a .zip, or into a "
        "folder when FILE has no extension",
    )
    p.add_argument(
        "--force", action="store_true", help="write into the notes folder (never over a note)"
    )

    p = sub.add_parser("gaps", help="what the notes do not cover yet of an exam's scope")
    _notes_arg(p)
    p.add_argument(
        "--exam",
        type=_exam,
        default="SAA-C03",
        metavar="CODE",
        help=f"the exam: {', '.join(exam_codes())}, or a code's first part such as saa "
        "(default: %(default)s)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("gui", help="open the desktop app")
    p.add_argument(
        "notes",
        metavar="NOTES_DIR",
        type=Path,
        nargs="?",
        help="folder of notes (default: the last folder opened, else the sample notes)",
    )
    p.add_argument("--select", metavar="NAME", help="select this service")
    p.add_argument("--query", metavar="Q", help="run this search")
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        type=Path,
        help="save a PNG of the window and exit (needs no display)",
    )
    p.add_argument(
        "--size",
        default="1400x900",
        metavar="WxH",
        help="window or screenshot size (default: %(default)s)",
    )
    return parser


def _build(args: argparse.Namespace, index: bool = False):
    from graph_data.build import CacheBusy, NotesFolderError, build

    try:
        result = build(args.notes, index=index, corrections=args.corrections)
    except (NotesFolderError, CacheBusy) as exc:
        raise CliError(str(exc)) from None
    for problem in result.problems:
        print(f"warning: {problem}", file=sys.stderr)
    for message in result.messages:
        print(f"note: {message}", file=sys.stderr)
    return result


def _cmd_services(args: argparse.Namespace) -> int:
    result = _build(args)
    G = result.graph
    rows = sorted(
        (d for _, d in G.nodes(data=True) if d["mentions"]),
        key=lambda d: (d["category"], -d["mentions"], d["short"].lower()),
    )
    ids = {d["short"]: n for n, d in G.nodes(data=True)}
    if args.json:
        out = [
            {
                "id": ids[d["short"]],
                "name": d["name"],
                "short": d["short"],
                "category": d["category"],
                "mentions": d["mentions"],
                "files": d["files"],
            }
            for d in rows
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    category = None
    for d in rows:
        if d["category"] != category:
            category = d["category"]
            print(f"\n{category}")
        print(f"  {d['short']:<34} {d['mentions']:>4}  {', '.join(d['files'])}")
    print(f"\n{len(rows)} services in {len({f for d in rows for f in d['files']})} files")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from graph_data import atomic
    from graph_data.export import ExportError, check_target
    from graph_data.graph import to_node_link

    try:
        # A JSON file is no note, so it may go into the notes folder, but never over a note.
        check_target(args.out, args.notes, force=True)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    result = _build(args)
    data = to_node_link(result.graph)
    try:
        atomic.write_text(args.out, json.dumps(data, indent=2, ensure_ascii=False))
    except atomic.UnsafeTarget as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out}: {len(data['nodes'])} services, {len(data['links'])} relations")
    return 0


def _resolve(result, name: str) -> str:
    from graph_data.catalog import UnknownService

    try:
        sid = result.catalog.resolve(name).id
    except UnknownService as exc:
        hint = f" Did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise CliError(f"unknown service {name!r}.{hint}") from None
    if sid not in result.graph:
        raise CliError(f"{result.catalog[sid].short} is not mentioned in {result.notes}.")
    return sid


def _cmd_relations(args: argparse.Namespace) -> int:
    from graph_data.graph import edge_relations

    result = _build(args)
    G = result.graph
    sid = _resolve(result, args.service) if args.service else None
    rels = edge_relations(G, sid, args.relation)
    if args.json:
        out = [
            {
                "source": r.source,
                "relation": r.relation,
                "target": r.target,
                "confidence": r.confidence,
                "evidence": [{"file": e.file, "line": e.line, "text": e.text} for e in r.evidence],
            }
            for r in rels
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    for r in rels:
        arrow = {"replaces": "replaces", "alternative-to": "alternative to"}.get(
            r.relation, "integrates with"
        )
        src, dst = G.nodes[r.source]["short"], G.nodes[r.target]["short"]
        print(f"{src} {arrow} {dst}  (confidence {r.confidence:.2f}, {len(r.evidence)} evidence)")
        for e in r.evidence:
            print(f"    {e.file}:{e.line}  {e.text}")
    print(f"\n{len(rels)} relations")
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    result = _build(args, index=True)
    with result.search as index:
        found = index.search(args.query, pagelen=max(1, args.limit))
    if found.message:
        print(f"note: {found.message}", file=sys.stderr)
    hits = found.hits[: args.limit]
    if args.json:
        out = [
            {
                "file": h.file,
                "line": h.line,
                "end_line": h.end_line,
                "heading": h.heading,
                "title": h.title,
                "score": round(h.score, 3),
                "snippet": h.snippet,
                "services": list(h.services),
                "kind": h.kind,
            }
            for h in hits
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    for h in hits:
        if h.kind == "passage":
            print(f"{h.file}:{h.line}-{h.end_line}  [{h.score:.2f}]  {h.heading}")
        else:
            # A catalog entry is called by its name; its category says where it belongs.
            print(f"(service)  [{h.score:.2f}]  {h.title} · {h.heading}")
        print(f"    {h.snippet}")
    if not hits:
        tip = f" Did you mean: {found.suggestion}?" if found.suggestion else ""
        print(f"No matches for {args.query!r}.{tip}")
    else:
        shown = f", best {len(hits)} shown" if len(hits) < found.total else ""
        print(f"\n{found.total} matches{shown}")
    return 0


#: What a csv export writes, for the messages that have to explain it.
_CSV_SHAPE = "csv writes two files, nodes.csv and edges.csv"


def _export_format(fmt: str | None, out: Path) -> str:
    """``--format``, or the format the extension of ``-o`` names when it is not given."""
    from graph_data.export import FORMATS

    if fmt is not None:
        return fmt
    suffix = out.suffix.lower()
    by_suffix = {ext: name for name, (ext, _) in FORMATS.items()} | _EXTRA_SUFFIXES
    if suffix in by_suffix:
        return by_suffix[suffix]
    choices = ", ".join(sorted(by_suffix))
    if suffix == ".csv":
        raise CliError(
            f"{_CSV_SHAPE}: name a .zip to get both zipped, or pass --format csv and a folder"
        )
    what = f"the extension {suffix!r}" if suffix else "a name without an extension"
    raise CliError(f"cannot tell the format from {what}; pass --format, or end -o in {choices}")


def _check_csv_target(out: Path) -> None:
    """Refuse a csv target that would become a folder named like a file (``-o d.csv``)."""
    if out.suffix.lower() == ".zip" or out.is_dir() or not out.suffix:
        return
    raise CliError(
        f"{_CSV_SHAPE}: name a .zip to get both zipped, or a folder without an extension "
        f"(not {out.name!r})"
    )


def _cmd_gaps(args: argparse.Namespace) -> int:
    from graph_data.gaps import find_gaps, format_gaps, gaps_json

    gaps = find_gaps(_build(args).graph, args.exam)
    if args.json:
        print(json.dumps(gaps_json(gaps), indent=2, ensure_ascii=False))
    else:
        print(format_gaps(gaps))
    return 0


def _cmd_export(args: argparse.Namespace, pdf: PdfWriter | None = None) -> int:
    from graph_data.atomic import UnsafeTarget
    from graph_data.export import FORMATS, ExportError, NotesFolderTarget, check_target, export
    from graph_data.scope import Scope, select

    try:
        check_target(args.out, args.notes, force=args.force)
    except NotesFolderTarget as exc:
        hint = "" if exc.overwrites else "; choose another folder, or pass --force to write there"
        raise CliError(f"{exc}{hint}") from None

    args.format = _export_format(args.format, args.out)
    if args.format == "pdf" and pdf is None:
        raise CliError("the pdf format needs the desktop app (Qt); use 'service-atlas export'")
    formats = [*FORMATS, "pdf"] if pdf else list(FORMATS)
    if args.format not in formats:
        raise CliError(f"unknown format {args.format!r}; choose one of {', '.join(formats)}")
    if args.format == "csv":
        _check_csv_target(args.out)
    relations = None
    if args.relations is not None:
        relations = frozenset(r.strip() for r in args.relations.split(",") if r.strip())
        if not relations:
            raise CliError(
                "--relations names no relation type (use integrates-with, alternative-to, replaces)"
            )
        unknown = relations - {"integrates-with", "alternative-to", "replaces"}
        if unknown:
            raise CliError(f"unknown relation {', '.join(sorted(unknown))}")
    result = _build(args, index=bool(args.query))
    focus = tuple(_resolve(result, name) for name in args.focus)
    services = None
    if args.query:
        with result.search as index:
            found = index.search(args.query, pagelen=1000)
            from graph_data.corrections import rejected_pairs

            rejected = rejected_pairs(result.corrections, result.graph)
            services = frozenset(index.services_in(found, rejected))
        if not services:
            raise CliError(f"the search {args.query!r} found no services")
    gaps = None
    if args.exam:
        from graph_data.gaps import find_gaps, scope_services

        in_scope = scope_services(args.exam, result.catalog)
        services = in_scope if services is None else services & in_scope
        gaps = find_gaps(result.graph, args.exam, catalog=result.catalog)
    scope = Scope(
        focus=focus,
        depth=args.depth,
        relations=relations,
        services=services,
        min_confidence=args.min_confidence,
    )
    sub = select(result.graph, scope)
    title = "Study sheet: " + (", ".join(result.graph.nodes[f]["short"] for f in focus) or "all")
    if gaps is not None:
        title += f" ({gaps.exam.code} scope)"
    try:
        # A sheet of one focus lists it first and draws it emphasised.
        lead = focus[0] if len(focus) == 1 else None
        if args.format == "pdf" and pdf is not None:
            path = pdf(sub, args.out, title, args.page_size, lead)
        else:
            path = export(
                sub,
                args.format,
                args.out,
                title=title,
                emphasis=lead,
                whole=result.graph,
                gaps=gaps,
            )
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    except (ExportError, UnsafeTarget) as exc:
        raise CliError(str(exc)) from None
    what = f"{Path(path) / 'nodes.csv'} and edges.csv" if Path(path).is_dir() else str(path)
    print(f"wrote {what}: {sub.number_of_nodes()} services, {sub.number_of_edges()} relations")
    return 0


def _rewrite(argv: list[str]) -> list[str]:
    """``service-atlas`` and ``service-atlas NOTES_DIR`` both mean the ``gui`` command.

    A first word that is neither a command nor a folder is a mistyped command: opening the
    window on a folder that does not exist would hide the typo.
    """
    if argv == ["--self-test"]:
        return argv
    if not argv:
        return ["gui"]
    if argv[0] not in COMMANDS and not argv[0].startswith("-"):
        if not _looks_like_a_folder(argv[0]):
            raise CliError(_unknown_command(argv[0]))
        return ["gui", *argv]
    return argv


def _looks_like_a_folder(word: str) -> bool:
    """Whether ``word`` names a path (it exists, or has a separator, ``~`` or a leading dot)."""
    separators = [os.sep, *([os.altsep] if os.altsep else [])]
    return (
        Path(word).exists() or any(sep in word for sep in separators) or word.startswith(("~", "."))
    )


def _unknown_command(word: str) -> str:
    """The one-line message for a first word that is no command and no folder."""
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    if close:
        return f"unknown command {word!r}; did you mean {close[0]!r}?"
    return (
        f"unknown command {word!r}, and no folder of that name; "
        f"the commands are {', '.join(COMMANDS)}"
    )


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass  # stdout is no real file (a test's capture): nothing will flush it at exit


def main(
    argv: Sequence[str] | None = None,
    gui: GuiLauncher | None = None,
    pdf: PdfWriter | None = None,
    self_test_steps: SelfTestSteps = (),
) -> int:
    """Run the command line; ``gui``, ``pdf`` and ``self_test_steps`` are the desktop's parts.

    ``app`` passes them in: the window, the PDF writer and the ``--self-test`` steps that
    start Qt, none of which this Qt-free core may import.
    """
    try:
        words = _rewrite(list(sys.argv[1:] if argv is None else argv))
    except CliError as exc:
        print(f"service-atlas: error: {exc}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(words)
    handlers = {
        "services": _cmd_services,
        "build": _cmd_build,
        "relations": _cmd_relations,
        "search": _cmd_search,
        "export": lambda a: _cmd_export(a, pdf),
        "gaps": _cmd_gaps,
    }
    if args.self_test:
        from graph_data.selftest import run_self_test

        return 0 if run_self_test(extra=self_test_steps) else 1
    try:
        if args.command == "gui":
            if gui is None:
                raise CliError("the desktop app is not available in this installation")
            return gui(args)
        # Notes and file names reach the terminal here: their control characters must not.
        with contextlib.redirect_stdout(ControlFree(sys.stdout)):
            code = handlers[args.command](args)
        # Inside the try: a reader that went away (| head) shows up at this flush at the latest.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return BROKEN_PIPE_EXIT
    except CliError as exc:
        print(f"service-atlas: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("service-atlas: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"service-atlas: error: {_os_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(
            f"service-atlas: unexpected error ({type(exc).__name__}: {exc}); "
            "please report it with the output of 'service-atlas --self-test'",
            file=sys.stderr,
        )
        return 1


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ControlFree(io.TextIOBase):
    r"""A text stream that drops control characters (escape sequences, bells, C1 codes) on the
    way to the one it wraps; newlines and tabs pass.

    Examples
    --------
    >>> out = io.StringIO()
    >>> ControlFree(out).write("S3\x1b]52;c;AAAA\x07 ok\n")
    16
    >>> out.getvalue()
    'S3]52;c;AAAA ok\n'
    """

    def __init__(self, stream) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` without its control characters; returns the characters written."""
        clean = _CONTROLS.sub("", text)
        self._stream.write(clean)
        return len(clean)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self._stream.flush()


def _os_message(exc: OSError) -> str:
    """One readable line for a failed file operation."""
    from graph_data.userdirs import UserDirError

    if isinstance(exc, UserDirError) or not exc.strerror:
        return str(exc)
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror}{where}"


if __name__ == "__main__":
    raise SystemExit(main())
