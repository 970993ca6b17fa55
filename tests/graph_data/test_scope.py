"""Scope selection: relations first, then the focus neighbourhood, then the service set."""

from __future__ import annotations

import networkx as nx
import pytest

from graph_data.scope import Scope, ScopeError, select
from tests.graph_data.test_export import atlas_graph

ALL = {
    "s3",
    "cloudfront",
    "lambda",
    "sqs",
    "sns",
    "kinesis-data-streams",
    "iam-identity-center",
    "sso",
}


@pytest.fixture
def G() -> nx.MultiDiGraph:
    """The small hand-made graph of the export tests."""
    return atlas_graph()


def test_default_scope_is_the_whole_graph(G):
    H = select(G, Scope())
    assert set(H) == ALL
    assert set(H.edges(keys=True)) == set(G.edges(keys=True))
    assert H.graph == G.graph


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (0, {"sns"}),
        (1, {"sns", "sqs"}),
        (2, {"sns", "sqs", "lambda", "kinesis-data-streams"}),
        (5, {"sns", "sqs", "lambda", "kinesis-data-streams"}),
    ],
)
def test_depth_counts_hops_both_ways(G, depth, expected):
    assert set(select(G, Scope(focus=("sns",), depth=depth))) == expected


def test_replaces_is_walked_against_its_direction(G):
    assert set(select(G, Scope(focus=("sso",)))) == {"sso", "iam-identity-center"}


def test_several_focus_services_give_the_union(G):
    H = select(G, Scope(focus=("s3", "sso"), depth=1))
    assert set(H) == {"s3", "cloudfront", "sso", "iam-identity-center"}
    assert set(H.edges(keys=True)) == {
        ("cloudfront", "s3", "integrates-with"),
        ("iam-identity-center", "sso", "replaces"),
    }


def test_relations_are_filtered_before_the_neighbourhood(G):
    scope = Scope(focus=("sns",), depth=2, relations=frozenset({"alternative-to"}))
    H = select(G, scope)
    assert set(H) == {"sns", "sqs", "kinesis-data-streams"}
    assert {k for _, _, k in H.edges(keys=True)} == {"alternative-to"}


def test_relation_filter_without_focus_keeps_every_service(G):
    H = select(G, Scope(relations=frozenset({"replaces"})))
    assert set(H) == ALL
    assert list(H.edges(keys=True)) == [("iam-identity-center", "sso", "replaces")]


def test_services_cut_the_result_down(G):
    search = frozenset({"sqs", "lambda", "s3", "not-in-graph"})
    H = select(G, Scope(focus=("sns",), depth=2, services=search))
    assert set(H) == {"sqs", "lambda"}
    assert set(H.edges(keys=True)) == {("lambda", "sqs", "integrates-with")}
    assert set(select(G, Scope(services=search))) == {"sqs", "lambda", "s3"}


def test_min_confidence_drops_weak_relations_and_their_reach(G):
    H = select(G, Scope(focus=("lambda",), depth=1, min_confidence=0.5))
    assert set(H) == {"lambda", "sqs"}
    assert ("lambda", "kinesis-data-streams", "integrates-with") not in set(H.edges(keys=True))


def test_unknown_focus_raises_node_not_found(G):
    with pytest.raises(nx.NodeNotFound, match="ecs"):
        select(G, Scope(focus=("sns", "ecs")))


def test_the_result_is_an_independent_copy(G):
    H = select(G, Scope(focus=("sns",)))
    H.nodes["sns"]["files"].append("changed.md")
    H.edges["sns", "sqs", "integrates-with"]["evidence"].clear()
    H.graph["notes"] = "elsewhere"
    H.add_node("new")
    assert G.nodes["sns"]["files"] == ["misc.md"]
    assert G.edges["sns", "sqs", "integrates-with"]["evidence"]
    assert G.graph["notes"] == "/tmp/notes"
    assert "new" not in G


def test_attributes_are_carried_over(G):
    H = select(G, Scope(focus=("sso",)))
    assert H.nodes["sso"] == G.nodes["sso"]
    assert (
        H.edges["iam-identity-center", "sso", "replaces"]
        == G.edges["iam-identity-center", "sso", "replaces"]
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"depth": -1}, {"min_confidence": 1.5}, {"relations": frozenset({"depends-on"})}],
)
def test_impossible_scopes_are_refused(kwargs):
    with pytest.raises(ScopeError):
        Scope(**kwargs)


def test_scope_takes_lists_and_sets_and_stays_hashable():
    scope = Scope(focus=["sns"], relations={"replaces"}, services={"sns"})
    assert scope.focus == ("sns",)
    assert scope.relations == frozenset({"replaces"})
    assert hash(scope) == hash(
        Scope(focus=("sns",), relations=frozenset({"replaces"}), services=frozenset({"sns"}))
    )
