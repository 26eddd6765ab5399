"""Reading a guest's wishes (English and Russian) into table features and occasions."""

from __future__ import annotations

import pytest

from app.domain.requests import OCCASION_MATCHES, read_wishes


@pytest.mark.parametrize(
    ("text", "features"),
    [
        ("Table by the window please", {"window"}),
        ("у окна", {"window"}),
        ("Столик у окошка", {"window"}),
        ("somewhere quiet", {"quiet"}),
        ("тихий столик", {"quiet"}),
        ("спокойное место", {"quiet"}),
        ("a booth", {"booth"}),
        ("кабинка", {"booth"}),
        ("on the terrace", {"outdoor"}),
        ("на веранде", {"outdoor"}),
        ("на улице", {"outdoor"}),
        ("с видом на реку", {"view"}),
        ("nice view", {"view"}),
        ("на диване", {"sofa"}),
        ("by the fireplace", {"fireplace"}),
        ("у камина", {"fireplace"}),
        ("private room", {"private"}),
        ("отдельный зал", {"private"}),
        ("at the bar", {"bar"}),
        ("у бара", {"bar"}),
        ("Тихий столик у окна", {"quiet", "window"}),
        ("QUIET, WINDOW", {"quiet", "window"}),
    ],
)
def test_features_from_free_text(text: str, features: set[str]) -> None:
    wishes = read_wishes(text, None)
    assert wishes.features == features
    assert not wishes.needs_accessible


@pytest.mark.parametrize(
    "text",
    ["wheelchair user", "Wheelchair access", "accessible table", "step-free entrance",
     "гость на инвалидной коляске", "нужен вход без ступенек"],
)  # fmt: skip
def test_accessibility_needs_from_free_text(text: str) -> None:
    wishes = read_wishes(text, None)
    assert wishes.needs_accessible
    assert "accessible" not in wishes.features  # a constraint, not a preference


@pytest.mark.parametrize("text", ["будем с детской коляской", "нужно место для коляски для малыша"])
def test_a_pram_is_not_a_wheelchair(text: str) -> None:
    assert not read_wishes(text, None).needs_accessible


def test_accessibility_from_the_flag_or_the_feature_list() -> None:
    assert read_wishes(None, None, needs_accessible=True).needs_accessible
    wishes = read_wishes(None, None, features=("accessible", "window"))
    assert wishes.needs_accessible and wishes.features == {"window"}


def test_listed_features_are_kept_and_merged_with_the_text() -> None:
    wishes = read_wishes("у окна", None, features=("sofa",))
    assert wishes.features == {"window", "sofa"}


@pytest.mark.parametrize(("occasion", "fits"), sorted(OCCASION_MATCHES.items()))
def test_occasions_map_to_preferred_for(occasion: str, fits: frozenset[str]) -> None:
    assert read_wishes(None, occasion).occasion_fits == fits


@pytest.mark.parametrize(
    ("text", "occasion"),
    [
        ("день рождения", "birthday"),
        ("У мамы день рождения, будет торт", "birthday"),
        ("Birthday dinner", "birthday"),
        ("годовщина свадьбы", "anniversary"),
        ("our anniversary", "anniversary"),
        ("деловая встреча", "business"),
        ("business lunch", "business"),
        ("романтический ужин", "date"),
    ],
)
def test_occasion_named_only_in_the_text(text: str, occasion: str) -> None:
    assert read_wishes(text, None).occasion_fits == OCCASION_MATCHES[occasion]


def test_a_chosen_occasion_wins_over_the_text() -> None:
    assert read_wishes("день рождения", "business").occasion_fits == {"business"}


def test_nothing_asked() -> None:
    for text in (None, "", "   ", "2 high chairs", "no nuts please"):
        wishes = read_wishes(text, None)
        assert wishes.empty and not wishes.needs_accessible
    assert read_wishes(None, "unknown-occasion").empty
    assert not read_wishes("window", None).empty
    assert not read_wishes(None, "birthday").empty
