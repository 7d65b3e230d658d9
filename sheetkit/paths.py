"""Draft file names that are safe on every system and stable across runs.

A draft is named ``<kind>-<contact>.<ext>`` from slugs (``outreach-ann-lee.eml``).
The names of one run come from :func:`assign_names`, which gives every planned
draft a distinct name: when two drafts slug alike, the one on the lowest
Excel row keeps the plain name and the others get ``-row<N>``
(``outreach-ann-lee-row12.eml``). Names depend only on the planned drafts, not
on their order or on the run, so a re-run rewrites the same files. Writing
goes through :func:`inside`, which refuses any name that would not land
directly in the output folder.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from sheetkit.errors import UsageError

FALLBACK = "contact"
MIN_SLUG_LEN = 16
# Windows device names: a file called ``con`` or ``nul.txt`` cannot be created there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
# Letters NFKD does not decompose into ASCII, spelled the usual way.
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
     "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i"}
)
_EXT = re.compile(r"[a-z]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
DraftItem = tuple[str, str, int, str]
"""One planned draft for :func:`assign_names`: ``(kind, contact_name, row, ext)``."""


def slug(text: str, max_len: int = 60) -> str:
    """``text`` as lower-case ASCII ``a-z0-9`` words joined by ``-``, at most ``max_len`` characters.

    Accents are dropped (``Zoë Müller`` → ``zoe-muller``), other characters
    are removed. Never empty (``contact``), never a Windows device name
    (``con`` → ``con-contact``), no dots, no leading or trailing dash.
    ``max_len`` must be at least 16.
    """
    if max_len < MIN_SLUG_LEN:
        raise ValueError(f"max_len must be at least {MIN_SLUG_LEN}, not {max_len}")
    ascii_text = text if text.isascii() else (
        unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode("ascii")
    )
    words = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    words = words[:max_len].rstrip("-") or FALLBACK
    return f"{words}-{FALLBACK}" if words in WINDOWS_RESERVED else words


@functools.lru_cache(maxsize=32)  # a handful of kinds, named thousands of times in a cohort
def _kind_slug(kind: str) -> str:
    return slug(kind)


def draft_name(kind: str, contact_name: str, row: int, ext: str, *, with_row: bool = False) -> str:
    """The file name of one draft: ``outreach-ann-lee.eml``, or with ``with_row`` ``outreach-ann-lee-row12.eml``.

    ``row`` is the contact's Excel row, used only with ``with_row``; use
    :func:`assign_names` to get distinct names for a whole run. ``ext`` is
    lower-case letters without the dot (``eml``, ``txt``, ``md``).
    """
    if not _EXT.fullmatch(ext):
        raise ValueError(f"extension must be lower-case letters without a dot, not {ext!r}")
    stem = f"{_kind_slug(kind)}-{slug(contact_name)}"
    if with_row:
        stem += f"-row{row}"
    return f"{stem}.{ext}"


def assign_names(items: Iterable[DraftItem]) -> list[str]:
    """Distinct file names for the planned drafts ``(kind, contact_name, row, ext)``, in the same order.

    Drafts whose names come out alike: the lowest row keeps the plain name,
    the others get ``-row<N>``. Should names still clash (a contact literally
    called "Ann Lee Row12", or the same draft planned twice), the later ones
    get ``-2``, ``-3``… Same drafts in → same names out, whatever their order.
    """
    planned = list(items)
    # Every tie is broken by the item itself, never by its position.
    order = sorted(range(len(planned)), key=lambda i: (planned[i][2], planned[i]))
    by_plain: defaultdict[str, list[int]] = defaultdict(list)
    for i in order:
        kind, contact, row, ext = planned[i]
        by_plain[draft_name(kind, contact, row, ext)].append(i)
    names = [""] * len(planned)
    for plain, group in by_plain.items():
        names[group[0]] = plain
        for i in group[1:]:
            kind, contact, row, ext = planned[i]
            names[i] = draft_name(kind, contact, row, ext, with_row=True)
    # Rare second clashes: the first in order keeps the name, later ones get -2, -3…
    taken = set(names)
    seen: set[str] = set()
    for i in order:
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
