"""Small pieces of XML handled as bytes: attributes, escaping, namespace prefixes.

The editor patches parts in place rather than parsing and re-serialising them,
so that everything it does not mean to change keeps its exact bytes
(declarations, prefixes, ``mc:Ignorable`` namespaces, attribute order).
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from sheetkit.errors import EditError

_RESAVE = "open it in Excel or LibreOffice Calc and save it again"

_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XMLNS = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITIES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'"}
_ENTITY = re.compile(rb"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|quot|apos|amp));")


def attrs(tag: bytes) -> dict[bytes, bytes]:
    """The attributes of a start tag, values still escaped, in their order."""
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(tag)}


def attr(tag: bytes, name: bytes) -> bytes | None:
    """One attribute of a start tag, still escaped, or None."""
    m = _attribute(name).search(tag)
    if m is None:
        return None
    return m[1] if m[1] is not None else m[2]


@functools.cache
def _attribute(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?:^|[\s<])" + re.escape(name) + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def set_attr(tag: bytes, name: bytes, value: bytes) -> bytes:
    """The start tag with ``name`` set to ``value`` (escaped): replaced in place, else added last."""
    pattern = re.compile(rb"(\s)" + re.escape(name) + rb"""\s*=\s*(?:"[^"]*"|'[^']*')""")
    if pattern.search(tag):
        return pattern.sub(lambda m: m[1] + name + b'="' + value + b'"', tag, count=1)
    end = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:end].rstrip() + b" " + name + b'="' + value + b'"' + tag[end:]


def unescape(text: bytes) -> str:
    """Attribute or text content as a string, entities resolved."""

    def one(m: re.Match[bytes]) -> bytes:
        if m[1]:
            return chr(int(m[1], 16)).encode()
        if m[2]:
            return chr(int(m[2])).encode()
        return b"&" if m[3] == b"amp" else _ENTITIES[b"&" + m[3] + b";"]

    return _ENTITY.sub(one, text).decode("utf-8")


def escape(text: str, *, quote: bool = False) -> bytes:
    """Text for element content (or, with ``quote``, an attribute value); CR kept as a reference."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if quote:
        out = out.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    return out.encode("utf-8")


def namespaces(start_tag: bytes) -> dict[str, str]:
    """Prefix → URI declared on a start tag (the default namespace under ``""``)."""
    out: dict[str, str] = {}
    for m in _XMLNS.finditer(start_tag):
        uri = m[2] if m[2] is not None else m[3]
        out[(m[1] or b"").decode()] = uri.decode()
    return out


def prefix_of(start_tag: bytes, uri: str, *, default: str | None = None) -> bytes:
    """The prefix (with its colon, or empty for the default namespace) bound to ``uri`` on a start tag."""
    for prefix, bound in namespaces(start_tag).items():
        if bound == uri:
            return (prefix + ":").encode() if prefix else b""
    if default is None:
        raise EditError(f"a part of the workbook does not declare {uri}, as spreadsheet programs do", _RESAVE)
    return default.encode()


def root_start(data: bytes) -> re.Match[bytes]:
    """The root element's start tag, after any declaration, comments or processing instructions."""
    m = re.compile(rb"<(?![?!])([\w:.-]+)[^>]*>").search(data)
    if m is None:
        raise EditError("a part of the workbook holds no XML element", _RESAVE)
    return m


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False,
                         huge_tree=True)


def well_formed(data: bytes) -> bool:
    """Whether a part parses as XML (entities never resolved, no network)."""
    try:
        etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return False
    return True
