"""The PDF study sheet: written for real, read back with pypdf, page sizes and text checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage

from app.canvas import LIGHT
from app.cli import main as app_main
from app.gui import sample_notes
from app.pdf_sheet import PdfError, page_one_image, write_pdf
from graph_data.build import build
from graph_data.cli import main as core_main
from graph_data.scope import Scope, select
from graph_data.style import category_color

#: Width and height in points of each page size, as PDF readers report them.
SIZES = {"a4": (595, 842), "letter": (612, 792)}
HOSTILE = "<script>alert('pwned')</script> & <img src=x onerror=boom>"


def small_graph(description: str = "Object storage for any amount of data.") -> nx.MultiDiGraph:
    """Three services, one relation of each kind, evidence with file and line."""
    G = nx.MultiDiGraph()
    G.add_node("s3", short="S3", name="Amazon S3", category="Storage", description=description)
    G.add_node("cloudfront", short="CloudFront", name="Amazon CloudFront", category="Networking")
    G.add_node("glacier", short="Glacier", name="Amazon S3 Glacier", category="Storage")
    evidence = [{"file": "edge/cdn.md", "line": 17, "text": "A CDN caches the bucket near users"}]
    G.add_edge(
        "cloudfront",
        "s3",
        key="integrates-with",
        relation="integrates-with",
        evidence=evidence,
        confidence=0.9,
    )
    alt = [{"file": "storage.md", "line": 4, "text": "Cold archives or hot objects"}]
    G.add_edge(
        "glacier",
        "s3",
        key="alternative-to",
        relation="alternative-to",
        evidence=alt,
        confidence=0.6,
    )
    return G


def page_text(path: Path) -> tuple[PdfReader, str]:
    """The reader and the whole document's text with runs of whitespace made one space."""
    reader = PdfReader(str(path))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def assert_page_size(reader: PdfReader, size: str) -> None:
    """Every page has the size's width and height, within 2 points."""
    want_w, want_h = SIZES[size]
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - want_w) <= 2
        assert abs(float(box.height) - want_h) <= 2


@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory) -> nx.MultiDiGraph:
    """The knowledge graph of the sample notes, built once (nothing here changes it)."""
    with pytest.MonkeyPatch.context() as mp:
        # Built before the per-test folders exist: keep its cache out of the real user folders.
        mp.setenv("SERVICE_ATLAS_CACHE", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("SERVICE_ATLAS_DATA", str(tmp_path_factory.mktemp("data")))
        return build(sample_notes(), index=False).graph


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_small_graph_pdf_has_the_page_size_names_and_evidence(qapp, tmp_path, size):
    out = write_pdf(small_graph(), tmp_path / "sheet.pdf", title="Edge study", page_size=size)
    reader, text = page_text(out)
    assert_page_size(reader, size)
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    # Page 1's picture is vector text too: the canvas's labels can be found in it.
    assert "CloudFront" in first and "Glacier" in first and "Legend" in first
    for name in ("S3", "CloudFront", "Glacier", "Amazon S3 Glacier", "Edge study"):
        assert name in text
    assert "edge/cdn.md:17" in text
    assert "A CDN caches the bucket near users" in text
    assert "Compare" in text and "Glacier vs S3" in text


def test_pdf_is_vector_text_and_drawing_not_a_bitmap(qapp, tmp_path):
    out = write_pdf(small_graph(), tmp_path / "sheet.pdf", title="Edge study")
    reader = PdfReader(str(out))
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject")
        images = [
            name
            for name, obj in (xobjects.get_object().items() if xobjects else ())
            if obj.get_object().get("/Subtype") == "/Image"
        ]
        assert images == []


def test_hostile_description_prints_as_literal_text(qapp, tmp_path):
    out = write_pdf(small_graph(HOSTILE), tmp_path / "sheet.pdf", title="Hostile <b>title</b>")
    _, text = page_text(out)
    assert "<script>alert('pwned')</script>" in text
    assert "<img src=x onerror=boom>" in text
    assert "Hostile <b>title</b>" in text


def test_empty_graph_still_makes_a_sheet(qapp, tmp_path):
    out = write_pdf(nx.MultiDiGraph(), tmp_path / "empty.pdf", title="Nothing")
    _, text = page_text(out)
    assert "No services in this export" in text


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_sample_notes_pdf(qapp, tmp_path, sample_graph, size):
    sub = select(sample_graph, Scope(focus=("s3",), depth=1))
    out = write_pdf(sub, tmp_path / f"s3-{size}.pdf", title="Study sheet: S3", page_size=size)
    reader, text = page_text(out)
    assert_page_size(reader, size)
    for sid in sub:
        assert sub.nodes[sid]["short"] in text
    *_, data = next(iter(sub.edges(data=True)))
    first = data["evidence"][0]
    assert f"{first['file']}:{first['line']}" in text
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"


def test_whole_sample_graph_with_positions(qapp, tmp_path, sample_graph):
    positions = {n: (float(i % 20) * 40, float(i // 20) * 40) for i, n in enumerate(sample_graph)}
    out = write_pdf(sample_graph, tmp_path / "all.pdf", title="All", positions=positions)
    reader = PdfReader(str(out))
    assert len(reader.pages) > 3
    assert_page_size(reader, "a4")
    # The last page ends the sheet with its comparisons (their text is checked above).
    assert "Compare" in " ".join(p.extract_text() for p in reader.pages[-8:])


def test_writing_replaces_an_old_file_atomically(qapp, tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_text("an old sheet")
    write_pdf(small_graph(), target, title="New")
    assert target.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]


def test_unknown_page_size_is_refused(qapp, tmp_path):
    with pytest.raises(PdfError, match="a4, letter"):
        write_pdf(small_graph(), tmp_path / "x.pdf", page_size="a5")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_raises_oserror(qapp, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        write_pdf(small_graph(), blocker / "sheet.pdf")


def test_page_one_image_shows_the_graph(qapp, tmp_path):
    image = page_one_image(small_graph(), title="Edge study", page_size="a4", dpi=72)
    assert (image.width(), image.height()) == SIZES["a4"]
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, 600, 5)}
    assert len(colours) > 20  # circles, edges, text: not a blank page


def chain_graph() -> nx.MultiDiGraph:
    """Four services in a row, each of its own category: Lambda - S3 - RDS - KMS."""
    G = nx.MultiDiGraph()
    services = [
        ("lambda", "Lambda", "Compute"),
        ("s3", "S3", "Storage"),
        ("rds", "RDS", "Database"),
        ("kms", "KMS", "Security, Identity & Compliance"),
    ]
    for sid, short, category in services:
        G.add_node(sid, short=short, name=f"AWS {short}", category=category)
    for (u, *_), (v, *_) in pairwise(services):
        G.add_edge(u, v, key="integrates-with", relation="integrates-with", confidence=0.8)
    return G


def colour_count(image: QImage, colour: str) -> int:
    """Pixels of ``image`` within a few levels of ``colour`` in each channel."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    pixels = pixels[:, : 3 * rgb.width()].reshape(rgb.height(), rgb.width(), 3).astype(int)
    want = QColor(colour)
    near = np.abs(pixels - (want.red(), want.green(), want.blue())) <= 10
    return int(near.all(axis=2).sum())


def test_page_one_of_a_focus_draws_it_selected_and_dims_the_far_services(qapp):
    G = chain_graph()
    plain = page_one_image(G, title="Lambda", dpi=72)
    focus = page_one_image(G, title="Lambda", dpi=72, emphasis="lambda")
    # The canvas's selection outline, thick on the focus only.
    assert colour_count(plain, LIGHT.selection) == 0
    assert colour_count(focus, LIGHT.selection) > 20
    # RDS and KMS are two and three hops out: dimmed, their full colour left to the legend.
    for category in ("Database", "Security, Identity & Compliance"):
        colour = category_color(category)
        assert colour_count(plain, colour) > colour_count(focus, colour) + 30, category
    # S3 is a neighbour: as bright as without the focus.
    storage = category_color("Storage")
    assert colour_count(focus, storage) >= 0.8 * colour_count(plain, storage)


def test_pdf_of_a_focus_says_what_stands_out(qapp, tmp_path):
    out = write_pdf(chain_graph(), tmp_path / "f.pdf", title="Lambda", emphasis="lambda")
    first = re.sub(r"\s+", " ", PdfReader(str(out)).pages[0].extract_text())
    assert "Lambda and its relations stand out" in first
    plain = write_pdf(chain_graph(), tmp_path / "p.pdf", title="Lambda", emphasis="nope")
    assert "stand out" not in PdfReader(str(plain)).pages[0].extract_text()


def page_one_picture(pdf: Path, folder: Path, dpi: int) -> QImage:
    """Page 1 of a written PDF as poppler draws it."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return QImage(str(next(folder.glob("page*.png"))))


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (poppler-utils)")
def test_the_written_pdf_of_a_focus_shows_it_selected(qapp, tmp_path):
    out = write_pdf(chain_graph(), tmp_path / "f.pdf", title="Lambda", emphasis="lambda")
    image = page_one_picture(out, tmp_path, 72)
    assert not image.isNull()
    assert colour_count(image, LIGHT.selection) > 20


def test_cli_writes_a_pdf(qapp, tmp_path, capsys):
    out = tmp_path / "out.pdf"
    before = sorted(p for p in sample_notes().rglob("*"))
    argv = ["export", str(sample_notes()), "--focus", "S3", "--depth", "1", "--format", "pdf"]
    assert app_main([*argv, "--page-size", "letter", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    reader, text = page_text(out)
    assert_page_size(reader, "letter")
    assert "Study sheet: S3" in text
    # The focus's own section comes first, and page 1 says it stands out.
    assert text.split(" Services ", 1)[1].lstrip("● ").startswith("S3 ")
    assert "S3 and its relations stand out" in text
    assert sorted(p for p in sample_notes().rglob("*")) == before, "the notes folder changed"


def test_core_cli_refuses_pdf_in_one_line(tmp_path, capsys):
    out = tmp_path / "out.pdf"
    argv = ["export", str(sample_notes()), "--focus", "S3", "--format", "pdf", "-o", str(out)]
    assert core_main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "desktop app" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_refuses_an_unknown_page_size(tmp_path, capsys):
    argv = ["export", str(sample_notes()), "--format", "pdf", "--page-size", "a3", "-o", "x.pdf"]
    with pytest.raises(SystemExit) as exc:
        app_main(argv)
    assert exc.value.code == 2
    assert "letter" in capsys.readouterr().err


def closes_an_unstarted_path(content: str) -> bool:
    """Whether a content stream closes (``h``) a path it never started (``m`` or ``re``)."""
    started = False
    for op in re.findall(r"(?<!\S)(re|m|h|f\*?|S|s|B\*?|b\*?|n)(?!\S)", content):
        if op == "h" and not started:
            return True
        started = op in ("m", "re", "h") or (started and op not in ("f", "f*", "S", "s", "n"))
        if op in ("f", "f*", "S", "s", "B", "B*", "b", "b*", "n"):
            started = False
    return False


def test_page_one_closes_no_path_it_has_not_started(qapp, tmp_path):
    # No replacement in the graph: its arrowhead batch is empty (poppler said "No current point
    # in closepath" for it).
    out = write_pdf(chain_graph(), tmp_path / "c.pdf", title="Chain")
    content = PdfReader(str(out)).pages[0].get_contents().get_data().decode("latin-1")
    assert not closes_an_unstarted_path(content)
    assert closes_an_unstarted_path("q h f Q") and not closes_an_unstarted_path("1 2 m 3 4 l h f")


def disc_box(image: QImage, colour: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The pixels near ``colour`` and their bounding box (top, bottom, left, right)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    pixels = pixels[:, : 3 * rgb.width()].reshape(rgb.height(), rgb.width(), 3).astype(int)
    want = QColor(colour)
    near = (np.abs(pixels - (want.red(), want.green(), want.blue())) <= 24).all(axis=2)
    near[int(0.78 * len(near)) :] = False  # the legend's swatches, below the graph
    rows, cols = np.nonzero(near)
    return near, (rows.min(), rows.max(), cols.min(), cols.max())


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs pdftoppm (poppler-utils)")
def test_the_printed_labels_sit_beside_their_circles_not_on_them(qapp, tmp_path):
    out = write_pdf(chain_graph(), tmp_path / "l.pdf", title="Chain")
    image = page_one_picture(out, tmp_path, 150)
    for category in ("Compute", "Storage", "Database"):
        near, (top, bottom, left, right) = disc_box(image, category_color(category))
        radius = (right - left + 1) / 2
        # A halo laid over the circle would leave a bite out of it.
        assert near.sum() >= 0.8 * np.pi * radius**2, category
        # The name is printed in dark text beside the circle, none of it on the circle.
        inner = [
            [QColor(image.pixel(x, y)).value() for x in range(left + 3, right - 2)]
            for y in range(top + 3, bottom - 2)
        ]
        assert np.min(inner) >= 110, f"text printed over the {category} circle"
        below = np.asarray(
            [
                [QColor(image.pixel(x, y)).value() for x in range(left - 60, right + 60)]
                for y in range(bottom + 1, bottom + 40)
            ]
        )
        assert (below < 110).sum() > 20, f"no name printed beside the {category} circle"


def long_graph(n: int) -> nx.MultiDiGraph:
    """``n`` services in a row, each relation with a few lines of evidence."""
    G = nx.MultiDiGraph()
    for i in range(n):
        G.add_node(f"s{i}", short=f"Service {i}", name=f"Service number {i}", category="Storage")
    for i in range(n - 1):
        evidence = [
            {
                "file": "n.md",
                "line": 10 * i + k,
                "text": f"Service {i} feeds service {i + 1}, "
                "in a sentence long enough to take a line of its own in the sheet.",
            }
            for k in range(2)
        ]
        G.add_edge(
            f"s{i}",
            f"s{i + 1}",
            key="integrates-with",
            relation="integrates-with",
            evidence=evidence,
            confidence=0.8,
        )
    return G


def test_a_last_page_of_a_line_or_two_is_pulled_back_by_a_slightly_smaller_text(qapp, tmp_path):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    from app import pdf_sheet, pdf_tables

    buffer = QBuffer(QByteArray())
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(*(pdf_sheet.MARGIN_MM,) * 4),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(pdf_sheet.RESOLUTION)
    paint = writer.pageLayout().paintRectPixels(writer.resolution())
    content = QRectF(0, 0, paint.width(), paint.height() * 0.95)
    for n in range(4, 90):
        G = long_graph(n)
        regular = pdf_tables._layout(G, "t", writer, content, None, pdf_tables.BODY_SIZES[0])
        share = pdf_tables.last_page_share(regular, content)
        if regular.pageCount() > 1 and share < pdf_tables.ORPHAN_SHARE:
            break
    else:
        pytest.fail("no graph left a near-empty last page to test with")
    chosen = pdf_tables.tables_document(G, "t", writer, content)
    assert chosen.pageCount() == regular.pageCount() - 1
    out = write_pdf(G, tmp_path / "t.pdf", title="t")
    assert len(PdfReader(str(out)).pages) <= regular.pageCount()


def test_every_label_font_is_pixel_sized_for_print_and_the_screen_theme_comes_back(qapp, tmp_path):
    from app import pdf_first_page
    from app.canvas import DARK, LabelItem

    LabelItem.set_theme(DARK)
    on_screen = {name: getattr(LabelItem, name) for name in ("_minor_font", "_leader_pen")}
    with pdf_first_page._light_labels():
        pdf_first_page._pixel_sized_labels(96)
        # Minor labels too: one left in points came out three times too big at 300 dpi.
        for name in ("_font", "_minor_font", "_bold"):
            assert getattr(LabelItem, name).pixelSize() > 0, name
    write_pdf(chain_graph(), tmp_path / "c.pdf", title="Chain")
    assert LabelItem._minor_font == on_screen["_minor_font"]
    assert LabelItem._leader_pen.color() == on_screen["_leader_pen"].color()
    LabelItem.set_theme(LIGHT)
