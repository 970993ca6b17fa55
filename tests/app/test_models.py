"""The item models and the named-view records, on a small graph built from notes written here."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.models import (
    COL_MENTIONS,
    COL_NAME,
    REL_COL_TEXT,
    REL_COL_WHERE,
    EvidenceRole,
    HitRole,
    RelationRole,
    RelationsModel,
    SearchResultsModel,
    ServiceIdRole,
    ServicesModel,
    SnippetHtmlRole,
    SortRole,
)
from app.settings import ViewError, ViewState, load_view, save_view
from graph_data.build import build
from graph_data.graph import shortest_path

CONTAINERS = (
    "# Containers\n\n## ECS\n\n"
    "- ECS integrates with the Application Load Balancer so each task gets its own host port.\n"
    "- ECS sends container logs to CloudWatch Logs.\n\n"
    "## Messaging\n\nSNS fans out each message to several SQS queues.\n"
)
STORAGE = (
    "# Storage\n\n## EFS vs EBS\n\n"
    "EFS is an alternative to EBS when many instances must share one file system.\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build of two small notes (graph and search index), its cache in a temporary folder."""
    folder = tmp_path_factory.mktemp("notes")
    (folder / "containers.md").write_text(CONTAINERS)
    (folder / "storage.md").write_text(STORAGE)
    with pytest.MonkeyPatch.context() as mp:
        # A module fixture runs before the per-test isolation of tests/conftest.py.
        for name in ("CACHE", "DATA", "CONFIG"):
            mp.setenv(f"SERVICE_ATLAS_{name}", str(tmp_path_factory.mktemp(name.lower())))
        result = build(folder)
        yield result
        result.search.close()


def rows_of(model: ServicesModel) -> dict[str, tuple[str, int]]:
    """{service id: (category, mentions)} as the services model lists them."""
    out = {}
    for c in range(model.rowCount()):
        cat = model.index(c, COL_NAME)
        for r in range(model.rowCount(cat)):
            sid = model.index(r, COL_NAME, cat).data(ServiceIdRole)
            out[sid] = (cat.data(), int(model.index(r, COL_MENTIONS, cat).data()))
    return out


def test_services_model_groups_by_category_with_mentions(qtmodeltester, built):
    model = ServicesModel()
    model.set_graph(built.graph)
    qtmodeltester.check(model)
    rows = rows_of(model)
    assert set(rows) == set(built.graph)
    assert rows["ecs"] == ("Containers (1)", 2)
    assert rows["efs"][0].startswith("Storage")
    assert model.index_of("sqs").data(ServiceIdRole) == "sqs"
    assert not model.index_of("not-a-service").isValid()


def test_a_self_loop_counts_as_no_relation_in_the_list_and_on_the_canvas(qtbot, built):
    from app.canvas import GraphCanvas
    from app.models import COL_RELATIONS
    from graph_data.graph import degrees

    G = built.graph.copy()
    before = degrees(G)["ecs"]
    G.add_edge("ecs", "ecs", key="integrates-with", relation="integrates-with")  # after a merge
    model = ServicesModel()
    model.set_graph(G)
    index = model.index_of("ecs")
    listed = model.index(index.row(), COL_RELATIONS, index.parent()).data()
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.set_graph(G)
    assert int(listed) == before == canvas._degree["ecs"]


def test_services_model_sorts_and_clears(qtmodeltester, built):
    model = ServicesModel()
    model.set_graph(built.graph)
    cat = model.index_of("ecs").parent()
    assert model.index(0, COL_NAME, cat).data(SortRole) == "ecs"
    model.set_graph(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_search_results_model_shows_hits(qtmodeltester, built):
    model = SearchResultsModel()
    found = built.search.search("host port")
    model.set_results(found, {"ecs": "ECS"})
    qtmodeltester.check(model)
    assert model.rowCount() == len(found.hits) >= 1
    first = model.index(0, 0)
    assert first.data(HitRole).file == "containers.md"
    assert first.data().startswith("containers.md:5")
    assert '<b class="match">host</b>' in first.data(SnippetHtmlRole)
    assert "ECS" in first.data(Qt.ItemDataRole.ToolTipRole)
    model.set_results(None)
    assert model.rowCount() == 0


def evidence_rows(model: RelationsModel) -> set[tuple[str, str, str]]:
    """(relation, other service, file:line) for every piece of evidence listed."""
    out = set()
    for g in range(model.rowCount()):
        group = model.index(g, REL_COL_TEXT)
        for r in range(model.rowCount(group)):
            where = model.index(r, REL_COL_WHERE, group)
            out.add((where.data(RelationRole), where.data(ServiceIdRole), where.data()))
    return out


def test_relations_model_groups_relations_with_their_evidence(qtmodeltester, built):
    model = RelationsModel()
    model.set_service(built.graph, "ecs")
    qtmodeltester.check(model)
    assert evidence_rows(model) == {
        ("integrates-with", "application-load-balancer", "containers.md:5"),
        ("integrates-with", "cloudwatch-logs", "containers.md:6"),
    }
    group = model.index(0, REL_COL_TEXT)
    assert group.data().startswith("integrates with · ")
    assert group.data(EvidenceRole) is None
    quote = model.index(0, REL_COL_TEXT, group)
    assert quote.data().startswith("“") and "ECS" in quote.data()
    assert quote.data(EvidenceRole).file == "containers.md"


def test_relations_model_puts_all_evidence_of_a_relation_under_it(built):
    model = RelationsModel()
    model.set_service(built.graph, "efs")
    assert model.rowCount() == 1
    group = model.index(0, REL_COL_TEXT)
    assert group.data() == "alternative to · EBS"
    assert model.rowCount(group) == 2
    assert model.index(0, REL_COL_WHERE).data() == "2 quotes"


def test_relations_model_shows_a_path(qtmodeltester, built):
    model = RelationsModel()
    steps = shortest_path(built.graph, "application-load-balancer", "cloudwatch-logs")
    model.set_path(built.graph, steps)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert "→" in model.index(0, REL_COL_TEXT).data()
    model.set_service(built.graph, None)
    assert model.rowCount() == 0
    assert model.data(QModelIndex()) is None


def test_view_state_round_trips_through_a_file(tmp_path):
    state = ViewState(
        relations=("replaces",),
        min_evidence=2,
        hide_isolated=True,
        focus="ecs",
        depth=3,
        query="port",
        only_results=True,
        pinned={"ecs": (1.5, -2.0)},
    )
    path = tmp_path / "views" / "mine.json"
    save_view(path, state)
    assert load_view(path) == state


@pytest.mark.parametrize("text", ["not json", '{"depth": "deep"}', '{"pinned": {"a": [1]}}'])
def test_a_garbled_view_is_a_view_error(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ViewError):
        load_view(path)


def test_a_missing_view_is_a_view_error(tmp_path):
    with pytest.raises(ViewError, match="cannot read"):
        load_view(tmp_path / "absent.json")
