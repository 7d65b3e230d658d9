"""Recognising a person in a note by any form of their name, and what to call them on first-name terms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.person_names import first_name, fold, name_words, names_person, person_key


@pytest.mark.parametrize(
    "text",
    [
        "Priya Raman introduced us.",
        "Priya said to write to you.",
        "Raman says you mentor career changers.",
        "Dr Raman, who supervised my project, says you are the person to ask.",
        "Dr. Raman supervised my project.",
        "Professor Raman supervised my project.",
        "Ms Raman suggested you.",
        "P. Raman suggested you.",
        "We both worked in Raman's lab.",
        "We both worked in Raman’s lab.",
        "RAMAN suggested you.",
        "met through raman at the conference",
        "(Raman) suggested you.",
        "Dr.Raman suggested you.",
    ],
)
def test_every_form_of_a_name_is_recognised(text: str) -> None:
    """Full name, first name, surname, title or initial and surname, possessive, any case: each names the person."""
    assert names_person(text, "Priya Raman")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Zoe suggested you.", "Zoë Müller"),
        ("ZOË suggested you.", "Zoë Müller"),
        ("Muller suggested you.", "Zoë Müller"),
        ("Zoë suggested you.", "Zoe Muller"),
        ("Ana said to write.", "Dr Ana Ruiz"),
        ("Ruiz said to write.", "Prof. Dr. Ana Ruiz"),
        ("Dr Garcia said to write.", "Ana García Márquez"),
        ("Beethoven said to write.", "Ludwig van Beethoven"),
        ("Hassan said to write.", "Omar al-Hassan"),
        ("O'Brien said to write.", "Seán O'Brien"),
        ("Ana said to write.", "Ruiz, Ana"),
        ("Ruiz said to write.", "Ana Ruiz, PhD"),
        ("Marie said to write.", "Anne-Marie Dubois"),
        ("Don said to write.", "Don Smith"),
        ("Ma said to write.", "Jack Ma"),
    ],
)
def test_names_written_with_titles_accents_particles_and_commas(text: str, name: str) -> None:
    """Accents fold both ways; titles, postnominals and particles in the name do not hide its words."""
    assert names_person(text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Priyanka is a friend of mine.", "Priya Raman"),
        ("We met at the Ramanathan lecture.", "Priya Raman"),
        ("Rama taught us both.", "Priya Raman"),
        ("Dr Smith supervised my project.", "Dr Ana Ruiz"),
        ("She has a PhD from Tufts.", "Ana Ruiz, PhD"),
        ("We drove the van to the fair.", "Ludwig van Beethoven"),
        ("A. B. and I met at Tufts.", "Priya K. Raman"),
        ("Anything at all.", "Dr"),
        ("Anything at all.", ""),
    ],
)
def test_unrelated_words_do_not_name_the_person(text: str, name: str) -> None:
    """Longer or shorter words, titles, postnominals, particles and initials alone name nobody."""
    assert not names_person(text, name)


def test_a_surname_that_is_a_common_word_is_recognised_in_that_word() -> None:
    """The chosen side of the judgement call: a note using the word is treated as naming the person."""
    assert names_person("Sales rose after her talk.", "Ana Rose")
    assert names_person("I will bring my portfolio.", "Will Brown")


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Ana Ruiz", "Ana"),
        ("Dr Ana Ruiz", "Ana"),
        ("Dr. Ana Ruiz", "Ana"),
        ("Prof. Dr. Ana Ruiz", "Ana"),
        ("Mrs  Ana   Ruiz", "Ana"),
        ("Ruiz, Ana", "Ana"),
        ("Ana Ruiz, PhD", "Ana"),
        ("Anne-Marie Dubois", "Anne-Marie"),
        ("Priya K. Raman", "Priya"),
        ("Ana", "Ana"),
        ("Raman", "Raman"),
        ("Dr Raman", "Dr Raman"),
        ("Dr  Raman", "Dr Raman"),
        ("P. Raman", "P. Raman"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("Don Smith", "Don"),
    ],
)
def test_first_name_skips_titles(name: str, first: str) -> None:
    """A first name comes from the name without its title; a name with no first name is kept as written."""
    assert first_name(name) == first


def test_fold_and_name_words() -> None:
    """Folding drops case and accents; a name's words leave out its titles, initials and postnominals."""
    assert fold("ZOË Müller straße") == "zoe muller strasse"
    assert name_words("Prof. Dr. Priya K. Raman, PhD") == {"priya", "raman"}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aAëÉzZ.-'")), min_size=1, max_size=8), min_size=1, max_size=4))
def test_a_name_names_itself_in_any_case(parts: list[str]) -> None:
    """Any name with a word that can name someone is found in itself, upper-cased and lower-cased alike."""
    name = " ".join(parts)
    found = bool(name_words(name))
    assert names_person(name, name) is found
    assert names_person(f"Met {name.upper()}'s team.", name) is found
    assert names_person(name.lower(), name) is found


@pytest.mark.parametrize("written", ["Tomás Herrera", "tomas  herrera", "Dr Tomás Herrera", "Herrera, Tomás",
                                     "TOMÁS HERRERA, PhD"])
def test_person_key_is_one_for_every_way_of_writing_a_name(written: str) -> None:
    """Titles, postnominals, case, accents, spacing and "Surname, First" all give the same key."""
    assert person_key(written) == "tomas herrera"


def test_person_key_keeps_different_people_apart() -> None:
    """Another first name or surname is another person."""
    assert len({person_key(n) for n in ("Tomás Herrera", "Tomás Herreras", "Tom Herrera", "Herrera")}) == 4
