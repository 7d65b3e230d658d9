"""People's names as written in cells: which words name a person, and what to call them.

A referrer may be mentioned in a note by full name, first name, surname,
title and surname ("Dr Raman"), initials and surname ("P. Raman") or in the
possessive ("Raman's"), in any case and with or without accents; each of
those must keep the note out of a letter when the referrer's name may not be
used. So a person is recognised by any one word of their name, compared as
whole words with case and accents folded: "Priyanka" is not "Priya".

A surname that is also a common word ("Rose", "Young", "Will") is recognised
in that word too, in whatever case: a note is then left out and the letter
falls back to its neutral wording. Leaving out a note costs a sentence;
naming a referrer without permission breaks a promise made to them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sheetkit.values import wordset

# Written before a name, with or without a full stop ("Dr Ana Ruiz", "Prof. Dr. Ana Ruiz"). Only words that
# are not also first names: "Don Smith" and "Justice Adams" are people, and a first name taken for a title
# would be missed in a note.
TITLES = wordset("""
    mr mrs ms miss mx dr doctor prof professor rev revd reverend fr father pastor rabbi imam sister sir dame lord
    lady hon judge capt captain col colonel lt maj gen sgt cmdr adm mme mlle herr frau sr sra srta senor senora
""")
# Written after a name ("Ana Ruiz, PhD", "Martin King Jr"); not "Ma" or "Ba", which are also surnames.
POSTNOMINALS = wordset("jr sr ii iii iv phd dphil md mba msc bsc esq obe mbe cbe rn cpa")
# Joined to a surname ("van Dijk", "al-Hassan"); alone they are ordinary words in many languages.
PARTICLES = wordset("van von der den de da di du del della des la le bin binti ibn al el ter ten dos das")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Text for comparing names: case folded, accents dropped ("Zoë" is "zoe")."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))


def _key(token: str) -> str:
    return fold(token.strip(".,"))


def _parts(name: str) -> tuple[list[str], list[str]]:
    """The titles written before a name, and the name itself as tokens (postnominals dropped).

    "Ruiz, Ana" is read as "Ana Ruiz": a comma that is not followed by
    postnominals separates a surname from the names before it.
    """
    surname, comma, rest = name.partition(",")
    tokens = surname.split()
    after = rest.split()
    if comma and after and not all(_key(t) in POSTNOMINALS for t in after):
        tokens = after + tokens
    while tokens and _key(tokens[-1]) in POSTNOMINALS and len(tokens) > 1:
        tokens.pop()
    titles: list[str] = []
    while tokens and _key(tokens[0]) in TITLES:
        titles.append(tokens.pop(0))
    return titles, tokens


def _is_initial(token: str) -> bool:
    letters = token.replace(".", "")
    return len(letters) <= 1 or (len(letters) <= 3 and "." in token and letters.isupper())


@lru_cache(maxsize=4096)  # every letter greets someone: a cohort asks for the same few thousand names
def first_name(name: str) -> str:
    """What to call someone on first-name terms: "Dr Ana Ruiz" → "Ana".

    A name with no first name to go by ("Dr Raman", "P. Raman", "Raman") is
    given back as written, title and initials included.
    """
    titles, tokens = _parts(name)
    if len(tokens) >= 2 and not _is_initial(tokens[0]):
        return tokens[0]
    if not titles and len(tokens) == 1:
        return tokens[0]
    return " ".join(name.split())


@lru_cache(maxsize=4096)
def name_words(name: str) -> frozenset[str]:
    """The folded words that each name the person: first names, middle names, surnames.

    Titles, postnominals, initials and particles name nobody on their own
    ("Dr", "PhD", "P.", "van"), so a note holding only them is not about the person.
    """
    _, tokens = _parts(name)
    words: set[str] = set()
    for position, token in enumerate(tokens):
        for word in _WORD.findall(fold(token)):
            if len(word) > 1 and (position == 0 or word not in PARTICLES):
                words.add(word)
    return frozenset(words)


def names_person(text: str, name: str) -> bool:
    """Whether ``text`` refers to the person called ``name``, by any word of their name."""
    words = name_words(name)
    return bool(words) and not words.isdisjoint(_WORD.findall(fold(text)))


def person_key(name: str) -> str:
    """A name folded for recognising the same person written another way.

    "Dr Tomás Herrera", "tomas  herrera" and "Herrera, Tomás" give one key:
    titles and postnominals dropped, case and accents folded, a "Surname,
    First" name turned round. The name is folded once as a whole, not word by
    word: a referral tree asks this of every contact of a cohort.
    """
    _, tokens = _parts(fold(name))
    return " ".join(stripped for t in tokens if (stripped := t.strip(".,")))
