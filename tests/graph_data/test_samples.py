"""The bundled sample notes (package data) and the "other student" bench corpus.

The samples are what a first-run user sees, so they must ship inside the package, stay a
realistic size, and keep stating every relation phrase family the extractor has cues for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

from graph_data.catalog import load_catalog
from graph_data.extract import extract_relations
from graph_data.linker import Linker
from graph_data.reader import NOTE_SUFFIXES, read_notes
from graph_data.records import RELATIONS

REPO = Path(__file__).resolve().parents[2]
OTHER_STUDENT = REPO / "bench" / "corpora" / "other_student"

# Each family is one way of stating a relation; every one must occur at least twice across the
# samples (case-insensitive, per line) so a regression in its cue shows up on the samples too.
PHRASE_FAMILIES: dict[str, str] = {
    # integrates-with
    "integrates with": r"\bintegrates? with\b",
    "integration with": r"\bintegration with\b",
    "works with": r"\bworks with\b",
    "triggers": r"\btrigger(?:s)?\b",
    "invokes": r"\binvokes?\b",
    "sends/streams/pushes/publishes to": (
        r"\b(?:sends?|streams?|push(?:es)?|publish(?:es)?)\b[^.;]*?\b(?:to|into)\b"
    ),
    "in front of": r"\bin front of\b",
    "backed by": r"\bbacked by\b",
    "as a source/target": r"\bas (?:a|an|the) (?:event )?(?:source|target)\b",
    "stored in": r"\b(?:stores?|stored)\b[^.;]*?\bin\b",
    "terse integrated bullet": r"^\s*[-*] (?:fully |natively )?integrated with\b",
    "Integrations heading": r"^#+ .*\bintegrations\b",
    # alternative-to
    "A vs B heading": r"^#+ .+\bvs\.? .+",
    "A vs B vs C heading": r"^#+ .+\bvs\.? .+\bvs\.? .+",
    "alternative to": r"\balternative to\b",
    "instead of": r"\binstead of\b",
    "could also be a solution": r"\bcould also be a solution\b",
    "comparison table header": r"^\|\s*\|(?:[^|]+\|){2,}\s*$",
    "exam rejection": r"\b(?:will not|won't|cannot) work\b",
    "exam answer": r"\bis the (?:right|correct|best) (?:answer|option|choice)\b",
    # replaces
    "replaces": r"\breplace[sd]?\b",
    "successor to": r"\bsuccessor (?:to|of)\b",
    "deprecated, use": r"\bdeprecated\b.*\buse\b",
    "newer one is called": r"\bnewer one is called\b",
    "evolution of": r"\bevolution of\b",
    "is now": r"\bis now (?:part of |called )?(?:Amazon|AWS)\b",
    # must not become relations
    "negation": r"\b(?:cannot|is not|does not|never)\b",
    "bare list": r"^Services covered:",
}


@contextmanager
def _samples_dir() -> Iterator[Path]:
    """The samples folder as a real path, however the package is installed."""
    with resources.as_file(resources.files("graph_data") / "samples") as path:
        yield Path(path)


def _walk(node: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _walk(child, rel + "/")
        else:
            yield rel, child


@pytest.fixture(scope="module")
def sample_texts() -> dict[str, str]:
    """Every file in the samples folder, read as package data: relative path -> text."""
    root = resources.files("graph_data") / "samples"
    assert root.is_dir(), "graph_data/samples is missing from the package"
    return {
        rel: node.read_bytes().decode("utf-8")
        for rel, node in _walk(root)
        if "__pycache__" not in rel
    }


def test_samples_are_package_data_and_notes_only(sample_texts):
    assert 15 <= len(sample_texts) <= 25, sorted(sample_texts)
    odd = [p for p in sample_texts if not p.lower().endswith(NOTE_SUFFIXES)]
    assert not odd, f"the samples folder should hold notes only: {odd}"


def test_every_sample_is_a_short_nonempty_utf8_note(sample_texts):
    for rel, text in sample_texts.items():
        lines = text.splitlines()
        assert text.strip(), rel
        assert 15 <= len(lines) <= 60, f"{rel} has {len(lines)} lines"
        assert "\ufffd" not in text and "\r" not in text, rel


@pytest.mark.parametrize("family", sorted(PHRASE_FAMILIES))
def test_each_phrase_family_appears_at_least_twice(sample_texts, family):
    pattern = re.compile(PHRASE_FAMILIES[family], re.IGNORECASE | re.MULTILINE)
    hits = [
        f"{rel}:{n}"
        for rel, text in sample_texts.items()
        for n, line in enumerate(text.splitlines(), 1)
        if pattern.search(line)
    ]
    assert len(hits) >= 2, f"{family!r} occurs only at {hits}"


def test_samples_mix_vault_formats(sample_texts):
    front_matter = [p for p, t in sample_texts.items() if t.startswith("---\n")]
    tables = [p for p, t in sample_texts.items() if re.search(r"^\| --- \|", t, re.MULTILINE)]
    nested = [p for p, t in sample_texts.items() if re.search(r"^  +- ", t, re.MULTILINE)]
    assert len(front_matter) >= 3
    assert len(tables) >= 2
    assert nested
    assert any("/" in p for p in sample_texts), "expected at least one note in a subfolder"


def test_index_wikilinks_point_at_existing_notes(sample_texts):
    links = re.findall(r"\[\[([^\]|#]+)", sample_texts["index.md"])
    assert len(links) >= 15
    stems = {p.rsplit(".", 1)[0] for p in sample_texts}
    missing = [link for link in links if link.strip() not in stems]
    assert not missing, f"dangling wikilinks in index.md: {missing}"


def test_reader_takes_the_samples_without_problems():
    with _samples_dir() as root:
        result = read_notes(root)
    assert not result.problems, [str(p) for p in result.problems]
    assert len({p.file for p in result.passages}) >= 15


def test_extractor_finds_all_three_relations_in_the_samples():
    catalog = load_catalog()
    linker = Linker(catalog)
    with _samples_dir() as root:
        linked = [linker.link(p) for p in read_notes(root).passages]
    relations = extract_relations(linked, catalog)
    counts = Counter(r.relation for r in relations)
    assert all(counts[rel] >= 3 for rel in RELATIONS), counts
    keys = {r.key for r in relations}
    # Stated plainly and more than once in the samples: any sane extractor gets these.
    assert ("iam-identity-center", "replaces", "aws-sso") in keys
    assert ("launch-template", "replaces", "launch-configuration") in keys
    assert ("sns", "integrates-with", "sqs") in keys
    assert ("application-load-balancer", "alternative-to", "network-load-balancer") in keys


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.notes
def test_samples_copy_no_sentence_from_the_users_notes(sample_texts, shared_notes):
    # Ten words in a row shared with the private notes means a copied sentence, not a fact.
    span = 10
    theirs: set[tuple[str, ...]] = set()
    for path in shared_notes.iterdir():
        words = _words(path.read_text("utf-8", errors="replace"))
        theirs.update(tuple(words[i : i + span]) for i in range(len(words) - span + 1))
    ours = {**sample_texts, **{p.name: p.read_text("utf-8") for p in OTHER_STUDENT.iterdir()}}
    copied = []
    for rel, text in ours.items():
        words = _words(text)
        copied += [
            f"{rel}: {' '.join(w)}"
            for w in (tuple(words[i : i + span]) for i in range(len(words) - span + 1))
            if w in theirs
        ]
    assert not copied, copied[:5]


# The other student's notes: a second, hand-read gold set for the bench.

_ROW = re.compile(r"^\| ([^|]+?) \| ([a-z-]+) \| ([^|]+?) \| ([^|:]+):(\d+)(?:-\d+)? \|")
HAND_READ = sorted(p.parent for p in (REPO / "bench" / "corpora").glob("*/EXPECTED.md"))


def _expected_rows(
    section: str = "## Relations", corpus: Path = OTHER_STUDENT
) -> list[tuple[str, str, str, str, int]]:
    text = (corpus / "EXPECTED.md").read_text("utf-8")
    body = text.split(section, 1)[1].split("\n## ", 1)[0]
    rows = [m.groups() for m in map(_ROW.match, body.splitlines()) if m]
    return [(a, rel, b, f, int(n)) for a, rel, b, f, n in rows]


def test_other_student_has_four_notes_of_30_to_80_lines():
    notes = sorted(p for p in OTHER_STUDENT.iterdir() if p.name != "EXPECTED.md")
    assert len(notes) == 4, notes
    assert {p.suffix for p in notes} == {".md", ".txt"}
    for path in notes:
        assert 30 <= len(path.read_text("utf-8").splitlines()) <= 80, path.name


@pytest.mark.parametrize("corpus", HAND_READ, ids=[p.name for p in HAND_READ])
def test_hand_read_expected_rows_name_real_services_files_and_lines(corpus):
    catalog = load_catalog()
    rows = _expected_rows(corpus=corpus) + _expected_rows("## Debatable", corpus)
    assert len(rows) >= 40
    for a, rel, b, file, line in rows:
        assert rel in RELATIONS, rel
        catalog.resolve(a)
        catalog.resolve(b)
        lines = (corpus / file).read_text("utf-8").splitlines()
        assert 1 <= line <= len(lines), f"{file}:{line}"
    used = Counter(rel for _, rel, *_ in _expected_rows(corpus=corpus))
    assert all(used[rel] >= 3 for rel in RELATIONS), used
