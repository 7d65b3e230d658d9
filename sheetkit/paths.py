"""Draft file names that are safe on every system and belong to one letter for one person.

A draft is named ``<kind>-<name>-<person>[-<round>].<ext>``, for example
``outreach-ann-lee-3f9a1c2e.eml`` or ``keep-in-touch-ann-lee-3f9a1c2e-2027-02-23.eml``:

- ``<name>`` is the contact's name as a readable slug, other scripts
  transliterated with ``anyascii`` (``Иван Петров`` → ``ivan-petrov``,
  ``王芳`` → ``wangfang``);
- ``<person>`` is a short hash of who the letter is for: full name, email and
  company as written, ignoring case, spacing and Unicode form. Slugs lose
  accents and tones (Zoë Müller and Zoe Muller are both ``zoe-muller``, 王芳
  and 王方 both ``wangfang``); the hash keeps such people apart. Email and
  company are in it because two people may share a name, at different
  companies or even at one;
- ``<round>`` is the date of the occasion, for letters that come round again
  (:func:`sheetkit.manifest.letter_round`), so a new round never lands on
  the last one.

A name is a function of that letter alone, never of other rows, their order
or which of them a run includes: after a sort, or with ``--contact``, a file
still belongs to the same person. Only rows alike in every part (the same
person twice in Contacts, reported by ``validate`` as ``duplicate-contact``)
get the same name; :func:`assign_names` then adds ``-2``, ``-3``… in the
order given. Writing goes through :func:`inside` or :class:`OutputFolder`,
which refuse any name that would not land directly in the output folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from anyascii import anyascii

from sheetkit.errors import ArgumentError, UsageError

FALLBACK = "contact"
MIN_SLUG_LEN = 16
PERSON_TAG_LEN = 8  # hex digits: 32 bits, against the few people in a campaign whose names slug alike
# Windows device names: a file called ``con`` or ``nul.txt`` cannot be created there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_EXT = re.compile(r"[a-z]+")
_ROUND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class DraftKey(NamedTuple):
    """Everything a draft's file name is made of: the letter's kind and round, the person, the extension.

    ``email`` and ``company`` are ``""`` when empty; ``round`` is an ISO date,
    or ``""`` for a kind that does not come round again.
    """

    kind: str
    contact: str
    email: str
    company: str
    round: str
    ext: str


def slug(text: str, max_len: int = 60) -> str:
    """``text`` as lower-case ASCII ``a-z0-9`` words joined by ``-``, at most ``max_len`` characters.

    Other scripts are transliterated (``Zoë Müller`` → ``zoe-muller``,
    ``Иван`` → ``ivan``, ``山田`` → ``shantian``); symbols such as emoji are
    dropped. Never empty (``contact``), never a Windows device name
    (``con`` → ``con-contact``), no dots, no leading or trailing dash.
    ``max_len`` must be at least 16.
    """
    if max_len < MIN_SLUG_LEN:
        raise ArgumentError(f"max_len must be at least {MIN_SLUG_LEN}, not {max_len}")
    ascii_text = text if text.isascii() else anyascii(
        # anyascii spells symbols out (an emoji becomes ":tada:"), which no one would recognise as a name.
        "".join(ch if ch.isascii() or unicodedata.category(ch)[0] in "LMN" else " " for ch in text)
    )
    words = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    words = words[:max_len].rstrip("-") or FALLBACK
    return f"{words}-{FALLBACK}" if words in WINDOWS_RESERVED else words


def person_tag(contact: str, email: str, company: str) -> str:
    """A short hash of who a letter is for: the same for the same name, email and company, however typed."""
    # One string folded at once: a cohort names 20,000 drafts. No cell can hold NUL (XML cannot carry
    # it), so it keeps the three apart.
    text = f"{contact}\0{email}\0{company}"
    # ASCII needs no normal form, and lower() is its casefold().
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    key = " ".join(folded.split()).replace(" \0", "\0").replace("\0 ", "\0")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:PERSON_TAG_LEN]


@functools.lru_cache(maxsize=32)  # a handful of kinds, named thousands of times in a cohort
def _kind_slug(kind: str) -> str:
    return slug(kind)


def draft_name(key: DraftKey) -> str:
    """The file name of one draft: ``outreach-ann-lee-3f9a1c2e.eml``, with its round when it has one.

    ``key.ext`` is lower-case letters without the dot (``eml``, ``txt``,
    ``md``), ``key.round`` an ISO date or empty. Use :func:`assign_names`
    for the names of a whole run.
    """
    if not _EXT.fullmatch(key.ext):
        raise ArgumentError(f"extension must be lower-case letters without a dot, not {key.ext!r}")
    if key.round and not _ROUND.fullmatch(key.round):
        raise ArgumentError(f"round must be an ISO date or empty, not {key.round!r}")
    stem = f"{_kind_slug(key.kind)}-{slug(key.contact)}-{person_tag(key.contact, key.email, key.company)}"
    return f"{stem}-{key.round}.{key.ext}" if key.round else f"{stem}.{key.ext}"


def assign_names(keys: Iterable[DraftKey]) -> list[str]:
    """Distinct file names for the planned drafts, in the same order.

    Each draft gets :func:`draft_name`. Drafts alike in every part (the same
    person twice, for the same letter) and the astronomically rare hash
    collision share it: the first keeps it and the later ones get ``-2``,
    ``-3``…, ordered by key so that only the order of identical keys matters.
    """
    planned = list(keys)
    names = [draft_name(key) for key in planned]
    if len(set(names)) == len(names):
        return names
    taken = set(names)
    seen: set[str] = set()
    for i in sorted(range(len(planned)), key=planned.__getitem__):
        name = names[i]
        if name in seen:
            stem, ext = name.rsplit(".", 1)
            n = 2
            while f"{stem}-{n}.{ext}" in taken:
                n += 1
            names[i] = f"{stem}-{n}.{ext}"
            taken.add(names[i])
        seen.add(name)
    return names


def _name_problem(name: str) -> str | None:
    """Why ``name`` is not one plain file name, or None."""
    if not name:
        return "is empty"
    if "\x00" in name:
        return "contains a NUL character"
    if name in {".", ".."}:
        return "is not a file name"
    if any(sep in name for sep in ("/", "\\")):
        return "contains a path separator"
    if ":" in name:  # with no separator either, the only way to name a drive (C:) or a stream (a:b)
        return "contains a drive or stream marker ':'"
    if name[0] in ". " or name[-1] in ". ":
        return "starts or ends with a dot or a space"
    if name.split(".", 1)[0].lower() in WINDOWS_RESERVED:
        return "is a Windows device name"
    return None


@functools.lru_cache(maxsize=8)
def _resolved(root: str) -> Path:
    return Path(root).resolve()


def inside(root: Path, name: str) -> Path:
    """The resolved path of file ``name`` directly in folder ``root``, or :class:`UsageError`.

    ``name`` must be one plain file name: no separators, ``..``, drive, NUL or
    device name, and after resolving symbolic links the file must still be
    directly in ``root``. A slugged name always passes; this is the last check
    before writing.
    """
    base = _resolved(os.path.abspath(root))  # absolute: the cache must not outlive a chdir
    _check(base, name, root, may_exist=True)
    return base / name


def _check(base: Path, name: str, root: Path, *, may_exist: bool) -> None:
    problem = _name_problem(name)
    if problem is None and may_exist:
        # A plain name sits directly in the folder unless it is a symbolic link.
        target = base / name
        if target.is_symlink() and target.resolve().parent != base:
            problem = "resolves outside the folder"
    if problem is not None:
        raise UsageError(
            f"refusing to write the file {name!r}: it {problem}",
            "drafts are only written directly in the output folder",
            path=root,
        )


class OutputFolder:
    """A folder that files are written directly into: resolved and listed once, each name checked on use.

    For thousands of drafts, :func:`inside` per file would resolve the folder
    and look for a symbolic link every time; a name that was not in the
    folder when it was listed cannot be a link sheetkit would follow.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.base = _resolved(os.path.abspath(root))
        self._prefix = os.path.join(self.base, "")
        # Casefolded, since on macOS and Windows "Ann.eml" is the file "ann.eml".
        self._listed = {n.casefold() for n in os.listdir(self.base)}

    def has(self, name: str) -> bool:
        """Whether a file of this name (ignoring case) was in the folder when it was listed."""
        return name.casefold() in self._listed

    def path(self, name: str) -> str:
        """Where file ``name`` goes, or :class:`UsageError` as :func:`inside` would raise it."""
        _check(self.base, name, self.root, may_exist=self.has(name))
        return self._prefix + name
