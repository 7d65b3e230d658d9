"""Where the first sentence of a note ends, as people type notes into cells.

A full stop followed by a space ends a sentence unless the word before it is
an abbreviation ("St. Olaf", "e.g. two"), an initial ("J. R. R. Tolkien") or
an initialism ("the U.S. launch"); a decimal ("3.5") has no space after its
point, so it never looks like an end. Abbreviations that may also close a
sentence ("etc.", "Inc.", "U.S.", "Jan.") end one only when the next word is
one that usually starts a sentence ("Acme Inc. Our team…"), not a name ("the
U.S. Army"), since a note cut in the middle reads worse than one kept whole.

Sentence segmentation libraries were measured and not used: pysbd takes about
170 µs a note, which at four notes a letter would more than double the
drafting of a cohort; sentencex (Rust) is fast but panics on text holding a
non-breaking space, which would stop a whole run. This rule costs about as
much as the plain ". " split it replaces.
"""

from __future__ import annotations

import re

from sheetkit.values import wordset

# A candidate end: a full stop, question or exclamation mark or ellipsis, any
# closing quotes or brackets, then space and the next word. The word before it
# is taken apart afterwards: a look-behind for it would triple the cost.
_CANDIDATE = re.compile(r"""([.!?…]+)["'’”»)\]]*(?=\s+(\S+))""")
_OPENERS = "\"'‘“«([{"
_CLOSERS = "\"'’”»)]},;:.!?…"



# Titles that stand before a name and Latin connectives: never the end of a sentence.
NEVER_END = wordset("""
    mr mrs ms mx messrs mmes mme mlle dr drs prof profs rev revd fr hon st ste mt ft pt gen gov sen rep pres supt
    capt cmdr col lt maj sgt cpl adm brig insp det atty e.g eg i.e ie cf vs v viz approx ca incl esp resp
""")
# Abbreviations that may also close a sentence: an end only before a word that starts one.
MAY_END = wordset("""
    etc inc ltd co corp llc plc bros jr sr esq dept univ assn ave blvd rd al ed eds hr hrs min mins
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
""")
# Words abbreviated before a number ("No. 5", "p. 12"); elsewhere they are words ("I said no.").
BEFORE_NUMBER = wordset("no nos nr p pp para vol vols fig figs ch chap sec sect art op ext tel c rm apt bldg")
# Words that usually open a sentence, for telling "Acme Inc. Our team" from "the U.S. Army".
STARTERS = wordset("""
    i we you he she they it the this that these those there then but and so also a an my our your his her their
    its in on at for from with after before when while what where why how who which if as now later still yet
    however today tomorrow yesterday next since because both each every all most some many not please thanks
    thank one once here last first finally meanwhile instead otherwise although though unfortunately luckily
""")
# "U.S", "e.g", "a.m", "Ph.D", "M.B.A": letters in groups of one or two joined by full stops.
_INITIALISM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (all of it when it holds one sentence)."""
    since = 0
    for match in _CANDIDATE.finditer(text):
        stop, following = match.groups()
        before = text[since:match.start()]
        word = "" if not before or before[-1].isspace() else before.split()[-1]
        if _ends(word, stop, following):
            return text[: match.end()]
        since = match.end()
    return text


def _ends(word: str, stop: str, following: str) -> bool:
    """Whether ``word`` + ``stop``, then a space and ``following``, ends a sentence."""
    if "?" in stop or "!" in stop:
        return True
    if stop != ".":  # an ellipsis trails off mid-sentence unless a capital follows
        return following.lstrip(_OPENERS)[:1].isupper()
    core = word.lstrip(_OPENERS)
    key = core.casefold()
    if key in NEVER_END:
        return False
    if len(core) == 1 and core.isupper():  # an initial ("J. R. R. Tolkien", "P. Raman"), or "Plan B. It…"
        return len(following) > 1 and _starts_sentence(following)
    if key in BEFORE_NUMBER:
        return not following[:1].isdigit()
    if key in MAY_END or _INITIALISM.fullmatch(core):
        return _starts_sentence(following)
    return True


def _starts_sentence(word: str) -> bool:
    """A capitalised word that usually opens a sentence ("Then", "Our"), not a name ("Army")."""
    core = word.lstrip(_OPENERS).rstrip(_CLOSERS)
    return core[:1].isupper() and core.casefold() in STARTERS
