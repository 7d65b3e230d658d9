"""Date formats in an .xlsx's ``styles.xml``: recognise a cell style that shows dates, or add one.

A date is written as a serial number; what makes it a date is the number
format of the cell's style (``s``, an index into ``cellXfs``). A cell whose
style already shows dates keeps it. Any other gets a copy of its style (font,
fill, borders, alignment kept) with a ``yyyy-mm-dd`` format, reused when an
identical one exists, so that running twice adds nothing the second time.
"""

from __future__ import annotations

import re

from sheetkit.editor import xml
from sheetkit.errors import EditError

DATE_FORMAT = "yyyy-mm-dd"
FIRST_CUSTOM_FORMAT = 164
# Built-in formats that show a date (ECMA-376 18.8.30): 14-17 and 22, and the East Asian
# ones that do (27-31, 34-36, 50-58; 32 and 33 show only a time).
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, *range(50, 59)})
# What a format code shows once literal text, escapes, fill characters and
# [colour], [$-locale] or [condition] sections are removed.
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date (a day or a year), not just a time or a number."""
    shown = _LITERALS.sub("", code).casefold()
    return "d" in shown or "y" in shown


class Styles:
    """The cell styles of a workbook and the date styles added to them."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.changed = False
        root = xml.root_start(data)
        self._prefix = root[1][: root[1].index(b":") + 1] if b":" in root[1] else b""
        self._formats = {
            int(xml.attrs(m[0])[b"numFmtId"]): xml.unescape(xml.attrs(m[0]).get(b"formatCode", b""))
            for m in self._tags(b"numFmt").finditer(data)
        }
        self._xfs = self._cell_xfs()
        self._date_styles: dict[int, int] = {}

    def _tags(self, name: bytes) -> re.Pattern[bytes]:
        return re.compile(rb"<" + re.escape(self._prefix + name) + rb"(?=[\s/>])[^>]*?(?:/>|>.*?</"
                          + re.escape(self._prefix + name) + rb">)", re.S)

    def _section(self, name: bytes) -> re.Match[bytes] | None:
        p = re.escape(self._prefix + name)
        return re.compile(rb"<" + p + rb"(?=[\s/>])[^>]*?(?:/>|>.*?</" + p + rb">)", re.S).search(self.data)

    def _cell_xfs(self) -> list[bytes]:
        section = self._section(b"cellXfs")
        if section is None:
            return []
        return [m[0] for m in self._tags(b"xf").finditer(section[0])]

    def shows_date(self, style: int) -> bool:
        """Whether cell style ``style`` (an index into cellXfs) shows a date."""
        if not 0 <= style < len(self._xfs):
            return False
        number = int(xml.attr(self._xfs[style], b"numFmtId") or b"0")
        if number in BUILTIN_DATE_FORMATS:
            return True
        code = self._formats.get(number)
        return code is not None and is_date_format(code)

    def date_style(self, style: int) -> int:
        """A cell style showing dates that looks like ``style``: ``style`` itself when it already does."""
        found = self._date_styles.get(style)
        if found is None:
            found = self._date_styles[style] = self._find_date_style(style)
        return found

    def _find_date_style(self, style: int) -> int:
        if self.shows_date(style):
            return style
        if not self._xfs:
            raise EditError("the workbook's styles hold no cell formats, so no date can be formatted",
                            "open it in Excel or LibreOffice Calc and save it again")
        return self.variant(style, {b"numFmtId": str(self._date_format()).encode(), b"applyNumberFormat": b"1"})

    def variant(self, style: int, attributes: dict[bytes, bytes]) -> int:
        """A cell style like ``style`` (an unknown one: like the first) but for ``attributes``; reused when one is.

        Reusing an identical style is what keeps a second run from adding a second copy.
        """
        if not self._xfs:
            raise EditError("the workbook's styles hold no cell formats",
                            "open it in Excel or LibreOffice Calc and save it again")
        base = self._xfs[style] if 0 <= style < len(self._xfs) else self._xfs[0]
        start = re.match(rb"<[^>]*?(/?)>", base)
        assert start is not None
        tag = start[0]
        for name, value in attributes.items():
            tag = xml.set_attr(tag, name, value)
        wanted = tag + base[start.end():]
        if wanted in self._xfs:
            return self._xfs.index(wanted)
        self._add_xf(wanted)
        return len(self._xfs) - 1

    def _date_format(self) -> int:
        for number, code in self._formats.items():
            if code == DATE_FORMAT:
                return number
        number = max([FIRST_CUSTOM_FORMAT - 1, *self._formats]) + 1
        element = (b"<" + self._prefix + b'numFmt numFmtId="' + str(number).encode() + b'" formatCode="'
                   + xml.escape(DATE_FORMAT, quote=True) + b'"/>')
        section = self._section(b"numFmts")
        if section is None:
            root = xml.root_start(self.data)
            block = b"<" + self._prefix + b'numFmts count="1">' + element + b"</" + self._prefix + b"numFmts>"
            self.data = self.data[: root.end()] + block + self.data[root.end():]
        else:
            self.data = self._append(section, b"numFmts", element, len(self._formats) + 1)
        self._formats[number] = DATE_FORMAT
        self.changed = True
        return number

    def _add_xf(self, element: bytes) -> None:
        section = self._section(b"cellXfs")
        assert section is not None
        self.data = self._append(section, b"cellXfs", element, len(self._xfs) + 1)
        self._xfs.append(element)
        self.changed = True

    def _append(self, section: re.Match[bytes], name: bytes, element: bytes, count: int) -> bytes:
        """The part with ``element`` added last in ``section`` and its ``count`` set."""
        whole = section[0]
        start = re.match(rb"<[^>]*?(/?)>", whole)
        assert start is not None
        tag = start[0]
        close = b"</" + self._prefix + name + b">"
        if start[1]:  # an empty <numFmts/>: open it
            tag, body = tag[:-2].rstrip() + b">", b""
        else:
            body = whole[start.end() : -len(close)]
        if xml.attr(tag, b"count") is not None:
            tag = xml.set_attr(tag, b"count", str(count).encode())
        return self.data[: section.start()] + tag + body + element + close + self.data[section.end():]


class Fills:
    """Cell styles that look like others but for a solid fill: the copies an annotated workbook's marks use."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self._fills: dict[str, int] = {}
        self._made: dict[tuple[int, str], int] = {}  # a cohort's marks share a few styles

    def filled(self, style: int, argb: str) -> int:
        """A cell style like ``style`` (font, borders, number format kept) filled with ``argb``."""
        key = (style, argb)
        if key not in self._made:
            attributes = {b"fillId": str(self._fill(argb)).encode(), b"applyFill": b"1"}
            self._made[key] = self.styles.variant(style, attributes)
        return self._made[key]

    def _fill(self, argb: str) -> int:
        if argb not in self._fills:
            s = self.styles
            section = s._section(b"fills")
            if section is None:
                raise EditError("the workbook's styles hold no fills",
                                "open it in Excel or LibreOffice Calc and save it again")
            p = s._prefix
            count = len(s._tags(b"fill").findall(section[0]))
            element = (b"<" + p + b'fill><' + p + b'patternFill patternType="solid"><' + p + b'fgColor rgb="'
                       + argb.encode() + b'"/><' + p + b'bgColor indexed="64"/></' + p + b"patternFill></" + p
                       + b"fill>")
            s.data = s._append(section, b"fills", element, count + 1)
            s.changed = True
            self._fills[argb] = count
        return self._fills[argb]
