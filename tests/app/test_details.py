"""The Details panel at the dock's default width: whole quotes, and places that keep their line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from app.models import REL_COL_TEXT, REL_COL_WHERE, EvidenceRole
from app.panels.details import DetailsPanel, fit_place
from graph_data.build import build

QUOTE = (
    "Athena is a serverless query service that integrates with S3 and reads the files you keep "
    "there with standard SQL, so you pay only for the data each query scans and never run a "
    "cluster of your own to do it, which makes it a cheap way to explore logs."
)
FILE = "analytics-and-serverless-query-services-overview.md"
LINE = 43
DOCK_WIDTH = 390


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """The graph built from one note whose only sentence about Athena and S3 is long."""
    folder = tmp_path_factory.mktemp("notes")
    (folder / FILE).write_text("# Analytics\n" + "\n" * (LINE - 2) + QUOTE + "\n")
    result = build(folder)
    yield result.graph
    result.search.close()


@pytest.fixture
def panel(qtbot, graph) -> DetailsPanel:
    """A shown Details panel as wide as the dock opens, showing Athena."""
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.resize(DOCK_WIDTH, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_service(graph, "athena")
    return panel


def evidence_index(panel: DetailsPanel, column: int) -> QModelIndex:
    """The cell of the quote about S3 in ``column``."""
    model = panel.model
    for row in range(model.rowCount()):
        group = model.index(row, REL_COL_TEXT)
        if model.group(row).other == "s3":
            return model.index(0, column, group)
    raise AssertionError("no relation to S3 listed")


def shown_text(panel: DetailsPanel, index: QModelIndex) -> tuple[str, QRect]:
    """The text the view's delegate draws in a cell, and the cell."""
    option = QStyleOptionViewItem()
    option.initFrom(panel.view.viewport())
    option.rect = panel.view.visualRect(index)
    option.features = QStyleOptionViewItem.ViewItemFeature.WrapText
    panel.view.itemDelegate().initStyleOption(option, index)
    return option.text, QRect(option.rect)


def text_width(panel: DetailsPanel, rect: QRect) -> int:
    """The width the style leaves for text in a cell (a margin either side)."""
    margin = panel.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    return rect.width() - 2 * margin


def test_the_graph_has_the_long_quote(graph):
    (evidence,) = graph["athena"]["s3"]["integrates-with"]["evidence"]
    assert (evidence["file"], evidence["line"], evidence["text"]) == (FILE, LINE, QUOTE)
    assert len(QUOTE) > 240


def test_a_long_quote_is_wrapped_in_full(qtbot, panel):
    index = evidence_index(panel, REL_COL_TEXT)
    line = panel.view.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: panel.view.visualRect(index).height() > 3 * line)
    text, rect = shown_text(panel, index)
    assert text == f"“{QUOTE}”", "the delegate draws the whole quote"
    wrapped = panel.view.fontMetrics().boundingRect(
        QRect(0, 0, text_width(panel, rect), 10_000), Qt.TextFlag.TextWordWrap, text
    )
    assert wrapped.height() <= rect.height(), "every wrapped line fits in the row"
    assert rect.width() < panel.view.fontMetrics().horizontalAdvance(text), "it needs wrapping"


def test_the_place_shows_its_line_number_and_fits(qtbot, panel):
    index = evidence_index(panel, REL_COL_WHERE)
    qtbot.waitUntil(lambda: panel.view.visualRect(index).width() > 0)
    text, rect = shown_text(panel, index)
    assert text.endswith(f":{LINE}")
    assert panel.view.fontMetrics().horizontalAdvance(text) <= text_width(panel, rect)
    assert text != f"{FILE}:{LINE}", "the file name is shortened to fit the column"
    assert text.startswith(FILE[:3])
    assert f"{FILE}:{LINE}" in index.data(Qt.ItemDataRole.ToolTipRole), "the tooltip has it all"
    assert index.data(EvidenceRole).line == LINE


def test_rows_are_measured_again_when_the_dock_widens(qtbot, panel):
    index = evidence_index(panel, REL_COL_TEXT)
    line = panel.view.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: panel.view.visualRect(index).height() > 3 * line)
    narrow = panel.view.visualRect(index).height()
    panel.resize(3 * DOCK_WIDTH, 700)
    qtbot.waitUntil(lambda: 0 < panel.view.visualRect(index).height() < narrow)
    text, rect = shown_text(panel, index)
    wrapped = panel.view.fontMetrics().boundingRect(
        QRect(0, 0, text_width(panel, rect), 10_000), Qt.TextFlag.TextWordWrap, text
    )
    assert wrapped.height() <= rect.height()


@pytest.mark.parametrize("width", [40, 60, 90, 140, 220, 400])
def test_fit_place_shortens_the_file_and_never_the_line(qtbot, panel, width):
    metrics = QFontMetrics(panel.view.font())
    place = fit_place(metrics, f"courses/aws/{FILE}", 1234, width)
    assert place.endswith(":1234")
    if metrics.horizontalAdvance("…:1234") <= width:
        assert metrics.horizontalAdvance(place) <= width
    if width >= metrics.horizontalAdvance(f"courses/aws/{FILE}:1234"):
        assert place == f"courses/aws/{FILE}:1234"
    elif width >= metrics.horizontalAdvance(f"{FILE}:1234"):
        assert place == f"{FILE}:1234", "the folders go before the name is cut"
