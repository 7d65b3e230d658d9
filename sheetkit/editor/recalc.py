"""Which sheets hold formula results that a change could make stale.

LibreOffice, by default, shows the results a file carries for its formulas
and computes only the formulas that carry none (Excel recomputes on load when
the workbook asks it to). So the results of every formula that may count the
changed cells are removed, and LibreOffice computes them afresh. Deciding
that cell by cell would mean evaluating references; it is done sheet by sheet
instead: a sheet is stale when one of its formulas names a stale sheet,
directly, through a defined name or a Table, or could reach any sheet
(``INDIRECT``, a reference across several sheets). The edited sheets are
stale to begin with, and staleness spreads until nothing changes. Removing a
result that did not need it costs only a recomputation when the file opens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

# A sheet reference, None when a formula could reach any sheet.
Refs = frozenset[str] | None
_INDIRECT = re.compile(r"\bINDIRECT\s*\(", re.I)
_WORD = re.compile(r"[^\W\d][\w.]*")


def named(names: Mapping[str, str], references: Callable[[str], Refs]) -> dict[str, Refs]:
    """The sheets each defined name reaches (keys folded), through other names too."""
    folded = {k.casefold(): v for k, v in names.items()}
    resolved: dict[str, Refs] = {}

    def resolve(name: str, seen: frozenset[str]) -> Refs:
        if name in resolved:
            return resolved[name]
        text = folded[name]
        refs = references(text)
        if refs is not None:
            for word in _WORD.findall(text):
                key = word.casefold()
                if key in folded and key not in seen:
                    more = resolve(key, seen | {key})
                    if more is None:
                        refs = None
                        break
                    refs = refs | more
        resolved[name] = refs
        return refs

    for name in folded:
        resolve(name, frozenset({name}))
    return resolved


def reach(formula: str, references: Callable[[str], Refs], names: Mapping[str, Refs]) -> Refs:
    """The sheets (folded) one formula reads, or None when it could read any."""
    if _INDIRECT.search(formula):
        return None
    refs = references(formula)
    if refs is None:
        return None
    for word in _WORD.findall(formula):
        key = word.casefold()
        if key in names:
            more = names[key]
            if more is None:
                return None
            refs = refs | more
    return refs


def stale(formulas: Mapping[str, Iterable[str]], edited: Iterable[str], references: Callable[[str], Refs],
          names: Mapping[str, Refs]) -> set[str]:
    """The sheets (by their names as given) whose formula results may have changed."""
    reads: dict[str, Refs] = {}
    for sheet, texts in formulas.items():
        union: frozenset[str] | None = frozenset()
        for text in texts:
            refs = reach(text, references, names)
            if refs is None:
                union = None
                break
            assert union is not None
            union |= refs
        reads[sheet] = union
    dirty = {s.casefold() for s in edited}
    grew = True
    while grew:
        grew = False
        for sheet, refs in reads.items():
            if sheet.casefold() not in dirty and (refs is None or refs & dirty):
                dirty.add(sheet.casefold())
                grew = True
    return {sheet for sheet in formulas if sheet.casefold() in dirty}
