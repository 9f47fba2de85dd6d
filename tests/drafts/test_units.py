"""Polish legal units inside a paragraph (issue 15, item 2): ustępy ("1.") and punkty ("1)"),
numbered as the text numbers them, so a unit keeps its number across versions."""

from __future__ import annotations

import pytest

from drafts.units import normalise_unit, replace_unit, unit_text, units

TEXT = (
    "1. Program określa zasady współpracy.\n"
    "2. Współpraca obejmuje:\n"
    "1) zlecanie zadań publicznych;\n"
    "2) konsultowanie aktów prawa miejscowego.\n"
    "3. Program realizuje Prezydent."
)


def test_it_finds_sections_and_points_as_numbered_in_the_text() -> None:
    assert [u.label for u in units(TEXT)] == [
        "ust. 1",
        "ust. 2",
        "ust. 2 pkt 1",
        "ust. 2 pkt 2",
        "ust. 3",
    ]


def test_points_without_sections_are_named_by_point_only() -> None:
    text = "Formy współpracy to:\n1) dotacje;\n2) konsultacje."
    assert [u.label for u in units(text)] == ["pkt 1", "pkt 2"]


def test_a_unit_inserted_between_keeps_the_numbers_of_the_others() -> None:
    later = TEXT.replace("3. Program", "2a. Nowy ustęp.\n3. Program")
    assert [u.label for u in units(later)][-2:] == ["ust. 2a", "ust. 3"]
    assert unit_text(later, "ust. 3") == "Program realizuje Prezydent."


def test_it_reads_and_replaces_one_unit_only() -> None:
    assert unit_text(TEXT, "ust. 2 pkt 2") == "konsultowanie aktów prawa miejscowego."
    changed = replace_unit(TEXT, "ust. 2 pkt 2", "konsultowanie uchwał.")
    assert changed == TEXT.replace(
        "konsultowanie aktów prawa miejscowego.", "konsultowanie uchwał."
    )
    assert unit_text(TEXT, "ust. 9") is None


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("ust. 2 pkt 1", "ust. 2 pkt 1"),
        ("ust 2, pkt 1", "ust. 2 pkt 1"),
        (" UST.2  PKT.1 ", "ust. 2 pkt 1"),
        ("pkt 3", "pkt 3"),
        ("ust. 2a", "ust. 2a"),
        ("", ""),
        ("art. 5", None),
    ],
)
def test_typed_units_are_normalised(typed: str, normal: str | None) -> None:
    assert normalise_unit(typed) == normal
