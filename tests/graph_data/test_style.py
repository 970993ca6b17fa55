"""The shared colours: every category distinct, for colour-blind readers too."""

from __future__ import annotations

from graph_data.catalog import load_catalog
from graph_data.style import CATEGORY_COLORS, CATEGORY_ORDER, circle_radius, smallest_difference


def test_every_catalog_category_has_a_colour_and_a_place_in_the_order():
    categories = {s.category for s in load_catalog().services.values()}
    assert categories <= set(CATEGORY_COLORS)
    assert set(CATEGORY_ORDER) == set(CATEGORY_COLORS)


def test_any_two_categories_differ_in_every_vision_simulated():
    # The old table had two near-identical teals (Management, Migration): 0.9 apart.
    assert smallest_difference(list(CATEGORY_COLORS.values())) >= 9.0
    commonest = [CATEGORY_COLORS[c] for c in CATEGORY_ORDER[:6]]
    assert smallest_difference(commonest) >= 15.0


def test_a_colour_and_its_protanope_twin_count_as_alike():
    # Red and green of equal lightness look alike to a protanope: the measure must see that.
    normal_only = smallest_difference(["#d55e00", "#5e8c00"])
    assert normal_only < 20


def test_circle_radius_grows_with_relations_and_is_capped():
    assert circle_radius(0) < circle_radius(9) < circle_radius(1000) == 30.0
