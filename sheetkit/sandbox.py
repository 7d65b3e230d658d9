"""The sandbox templates run in: what they may reach, and how large a value they may make.

Jinja's sandbox keeps templates away from Python's internals. A render is
also stopped when it runs too long (see :mod:`sheetkit.watchdog`), but only
between two bytecodes: one operation in C, ``'x' * 10**10``,
``'a'.ljust(10**10)``, ``'%0*d' % (10**10, 1)`` or printing a list that holds
the same long list a million times, runs (and allocates) to its end first.
So every operation that can make a value much larger than its operands is
sized before it runs and refused past MAX_VALUE_SIZE characters, and every
container a template builds is sized as it is built, so that printing,
comparing or hashing one stays as cheap as a value that size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import operator
import re
import string
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import chain
from types import BuiltinMethodType, FunctionType, MethodType
from typing import Any

from jinja2 import filters, nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace, pass_environment, pass_eval_context

from sheetkit.errors import SheetkitError

# Ten times the longest letter: no text or container a template makes, nor the
# text a container prints as, may be longer.
MAX_VALUE_SIZE = 1_000_000
# Python prints at most 4,300 digits anyway; this bounds the arithmetic.
MAX_INT_DIGITS = 10_000
_MAX_INT_BITS = math.ceil(MAX_INT_DIGITS / math.log10(2))

_TEXTS = (str, bytes, bytearray)
_REPEATABLE = (*_TEXTS, list, tuple, deque)
_SEQUENCES = (list, tuple, set, frozenset, deque)
_CONTAINERS = frozenset({*_SEQUENCES, dict, Namespace})
# The methods that add to a container in place.
_GROWERS = frozenset({"append", "appendleft", "extend", "extendleft", "insert", "add", "update", "setdefault",
                      "symmetric_difference_update"})
_SMALL = 8  # about what a number, a date or any other object prints as (a third of the longest)
# What prints as a few characters (or, a text, as itself): never a container.
_SCALARS = frozenset({str, int, bool, float, type(None), dt.date, dt.datetime, dt.time, dt.timedelta})
_PLAIN = frozenset({str, type(None)})


class Record:
    """Read-only attribute and item access for templates; an unknown name is an error, not a blank."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only")

    def __repr__(self) -> str:
        return f"Record({self._values!r})"


class TooLarge(SheetkitError, SecurityError):
    """Raised when a template operation would make a huge value; reported as ``file:line`` like any template error."""


def text_size(value: Any) -> int:
    """About how many characters ``str(value)`` has, within a factor of three.

    A container's items count each time they appear but each one is measured
    once, so a list holding the same long list a million times is quick to
    measure and counts as long as printing it would be; past MAX_VALUE_SIZE,
    counting stops.
    """
    kind = type(value)
    if kind is str:
        return len(value)
    if kind is list or kind is tuple:
        kinds = set(map(type, value))
        if kinds <= _PLAIN:  # the usual case, a few texts or blanks: counted in C
            return 2 + len(value) * 4 + sum(map(len, filter(None, value)))
    elif kind in _SCALARS:
        return _scalar_size(value)
    return _size(value, {})


def _scalar_size(value: Any) -> int:
    kind = type(value)
    if kind is str:
        return len(value)
    return value.bit_length() * 3 // 10 + 1 if kind is int else _SMALL


def _size(value: Any, seen: dict[int, int]) -> int:
    if isinstance(value, _TEXTS):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() * 3 // 10 + 1
    key = id(value)
    known = seen.get(key)
    if known is not None:
        return known
    members = _members(value)
    if members is None:
        return _SMALL
    if set(map(type, members)) <= _SCALARS:  # no container inside: nothing to recurse into
        total = 2 + 2 * len(members) + sum(map(_scalar_size, members))
    else:
        seen[key] = _SMALL  # a container inside itself prints as "[...]"
        total = 2
        for member in members:
            total += _size(member, seen) + 2
            if total > MAX_VALUE_SIZE:
                break
    seen[key] = total
    return total


def _members(value: Any) -> Collection[Any] | None:
    """What a container prints, or None for anything that prints as a few characters."""
    kind = type(value)
    if kind is Record:
        value = value._values
    elif kind is Namespace:
        value = object.__getattribute__(value, "_Namespace__attrs")
    if isinstance(value, _SEQUENCES):
        return value
    if isinstance(value, Mapping):
        return [*chain.from_iterable(value.items())]
    return None


def _refuse(what: str, size: int) -> None:
    if size > MAX_VALUE_SIZE:
        raise TooLarge(f"{what} would make a value of about {size:,} characters (at most {MAX_VALUE_SIZE:,})")


def _refuse_bits(what: str, bits: int) -> None:
    if bits > _MAX_INT_BITS:
        raise TooLarge(f"{what} would make a number of about {int(bits * math.log10(2)):,} digits "
                       f"(at most {MAX_INT_DIGITS:,})")


def _index(value: Any) -> int:
    """An argument as a whole number, 0 when it is none (the operation then raises its own error)."""
    try:
        return operator.index(value)
    except TypeError:
        return 0


def check_made(value: Any, what: str) -> Any:
    """A container a template built (or grew), refused when it would print too long."""
    _refuse(what, text_size(value))
    return value


# --- operators ---------------------------------------------------------------------------------

def check_binop(op: str, left: Any, right: Any) -> None:
    """Refuse ``left op right`` when its result would be too large, before computing it."""
    if op == "+":
        if isinstance(left, _REPEATABLE) and isinstance(right, _REPEATABLE):
            _refuse("`+`", text_size(left) + text_size(right))
    elif op == "*":
        if isinstance(left, int) and isinstance(right, int):
            _refuse_bits("`*`", left.bit_length() + right.bit_length())
        elif isinstance(left, _REPEATABLE) and isinstance(right, int):
            _refuse("`*`", text_size(left) * max(right, 0))
        elif isinstance(left, int) and isinstance(right, _REPEATABLE):
            _refuse("`*`", text_size(right) * max(left, 0))
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _refuse_bits("`**`", math.ceil(math.log2(abs(left)) * right))
    elif op == "%" and isinstance(left, _TEXTS):
        _refuse("`%`", printf_size(left, right))


# A printf conversion: %[(key)][flags][width][.precision][length]type.
_PRINTF = re.compile(
    rb"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<type>.)", re.S)


def printf_size(fmt: str | bytes | bytearray, values: Any) -> int:
    """About how long ``fmt % values`` is: the format, each value printed, each width and precision."""
    spec = fmt.encode("utf-8", "surrogatepass") if isinstance(fmt, str) else bytes(fmt)
    args = list(values) if type(values) is tuple else [values]
    size, i = len(fmt), 0

    def take() -> Any:
        nonlocal i
        i += 1
        return args[i - 1] if i <= len(args) else None

    for m in _PRINTF.finditer(spec):
        if m["type"] == b"%":
            continue
        for number in (m["width"], m["precision"]):
            if number == b"*":
                size += abs(_index(take()))
            elif number:
                size += _number(number)
        if m["key"] is not None:
            with contextlib.suppress(LookupError, TypeError):
                size += text_size(values[m["key"].decode("utf-8", "surrogatepass")])
        else:
            size += text_size(take())
    return size


def _number(digits: bytes | str) -> int:
    # Any width of more digits is too large; int() of thousands of digits would itself refuse.
    return int(digits) if len(digits) <= 18 else 10**18


_FORMATTER = string.Formatter()
_DIGITS = re.compile(r"\d+")


def format_size(fmt: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """About how long ``fmt.format(*args, **kwargs)`` is: each field's value printed, plus its width and precision."""
    auto = 0

    def value(field: str) -> Any:
        nonlocal auto
        first = re.split(r"[.\[]", field, maxsplit=1)[0]
        try:
            if not first:
                auto += 1
                return args[auto - 1]
            return args[int(first)] if first.isdigit() else kwargs[first]
        except (LookupError, TypeError):
            return None  # format() itself says what is wrong

    size = 0
    try:
        for literal, field, spec, _ in _FORMATTER.parse(fmt):
            size += len(literal)
            if field is None:
                continue
            size += text_size(value(field))
            # The spec's widths and precisions, including ones given as {fields}.
            for spec_text, inner, _, _ in _FORMATTER.parse(spec or ""):
                size += sum(map(_number, _DIGITS.findall(spec_text)))
                if inner is not None:
                    size += abs(_index(value(inner)))
    except ValueError:
        return 0  # a malformed format: format() raises its own error
    return size


# --- methods -----------------------------------------------------------------------------------

# How long a method's result would be, and its arguments (an iterator among them read once, into a list).
_Sized = tuple[int, tuple[Any, ...]]


def _arg(args: tuple[Any, ...], kwargs: Mapping[str, Any], i: int, name: str, default: Any = None) -> Any:
    return args[i] if len(args) > i else kwargs.get(name, default)


def _padded(owner: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> _Sized:
    return max(len(owner), _index(_arg(args, kwargs, 0, "width"))), args


def _tabs(owner: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> _Sized:
    tab = "\t" if isinstance(owner, str) else b"\t"
    return len(owner) + owner.count(tab) * max(_index(_arg(args, kwargs, 0, "tabsize", 8)), 0), args


def _replaced(owner: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> _Sized:
    old, new = _arg(args, kwargs, 0, "old"), _arg(args, kwargs, 1, "new")
    return replace_size(owner, old, new, _arg(args, kwargs, 2, "count", -1)), args


def replace_size(text: Any, old: Any, new: Any, count: Any) -> int:
    """How long ``text.replace(old, new, count)`` is."""
    try:
        found = text.count(old) if old else len(text) + 1
        limit = _index(count)
        return len(text) + (min(found, limit) if limit >= 0 else found) * (len(new) - len(old))
    except TypeError:
        return 0


def _joined(owner: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> _Sized:
    items = list(_arg(args, kwargs, 0, "iterable", ()))  # once: it may be an iterator
    return join_size(owner, items), (items, *args[1:])


def join_size(separator: Any, items: list[Any]) -> int:
    """How long joining ``items`` with ``separator`` is (a little more: the brackets and commas of the list)."""
    return text_size(items) + text_size(separator) * max(len(items) - 1, 0)


def _translated(owner: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> _Sized:
    table = _arg(args, kwargs, 0, "table")
    replacements = table.values() if isinstance(table, Mapping) else table if isinstance(table, list | tuple) else ()
    longest = max((len(r) for r in replacements if isinstance(r, str)), default=1)
    return len(owner) * longest, args


def _to_bytes(owner: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> _Sized:
    return _index(_arg(args, kwargs, 0, "length", 1)), args


_TEXT_METHODS = {"ljust": _padded, "rjust": _padded, "center": _padded, "zfill": _padded, "expandtabs": _tabs,
                 "replace": _replaced, "join": _joined, "translate": _translated}


# --- filters: the ones whose arguments can make their result much larger than their input -------------

def _center(value: Any, width: int = 80) -> str:
    _refuse("`|center`", max(text_size(value), _index(width)))
    return filters.do_center(value, width)


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(s)
    step = len(width) if isinstance(width, str) else _index(width)
    _refuse("`|indent`", len(text) + (text.count("\n") + 2) * step)
    return filters.do_indent(s, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    _refuse("`|format`", printf_size(str(value), kwargs or args))
    return filters.do_format(value, *args, **kwargs)


@pass_eval_context
def _replace(eval_ctx: EvalContext, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    _refuse("`|replace`", replace_size(str(s), str(old), str(new), -1 if count is None else count))
    return filters.do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def _join(eval_ctx: EvalContext, value: Any, d: str = "", attribute: str | int | None = None) -> str:
    items = list(value)
    shown = items if attribute is None else list(map(filters.make_attrgetter(eval_ctx.environment, attribute), items))
    _refuse("`|join`", join_size(d, shown))
    return filters.sync_do_join(eval_ctx, items, d, attribute)


@pass_environment
def _wordwrap(environment: SandboxedEnvironment, s: Any, width: int = 79, break_long_words: bool = True,
              wrapstring: str | None = None, break_on_hyphens: bool = True) -> str:
    text = str(s)
    # At worst every character is a line of its own.
    _refuse("`|wordwrap`", len(text) * (1 + len(wrapstring or environment.newline_sequence)))
    return filters.do_wordwrap(environment, s, width, break_long_words, wrapstring, break_on_hyphens)


@pass_environment
def _sum(environment: SandboxedEnvironment, iterable: Any, attribute: str | int | None = None, start: Any = 0) -> Any:
    items = list(iterable)
    if not isinstance(start, int | float):
        # Adding lists or texts copies the total so far at every step.
        values = items if attribute is None else list(map(filters.make_attrgetter(environment, attribute), items))
        total, work = text_size(start), 0
        for value in values:
            total += text_size(value)
            work += total
        _refuse("`|sum`", work)
    return filters.sync_do_sum(environment, items, attribute, start)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator[list[Any]]:
    if fill_with is not None:
        _refuse("`|batch`", _index(linecount) * text_size(fill_with))
    return filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator[list[Any]]:
    _refuse("`|slice`", _index(slices) * (2 + (0 if fill_with is None else text_size(fill_with))))
    return filters.sync_do_slice(value, slices, fill_with)


@pass_eval_context
def _tojson(eval_ctx: EvalContext, value: Any, indent: int | None = None) -> Any:
    step = len(indent) if isinstance(indent, str) else _index(indent)
    _refuse("`|tojson`", text_size(value) * (1 + step))
    return filters.do_tojson(eval_ctx, value, indent)


_FILTERS = {"center": _center, "indent": _indent, "format": _format, "replace": _replace, "join": _join,
            "wordwrap": _wordwrap, "sum": _sum, "batch": _batch, "slice": _slice, "tojson": _tojson}


# --- the environment -------------------------------------------------------------------------------

class _SizingCodeGenerator(CodeGenerator):
    """Jinja's compiler, with list, tuple and dict literals and ``~`` sized at run time.

    Constant ones are folded before they get here, so only those built from
    variables pay for it.
    """

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.made(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # the names a for loop or set unpacks into
            super().visit_Tuple(node, frame)
            return
        self.write("environment.made(")
        super().visit_Tuple(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.made(")
        super().visit_Dict(node, frame)
        self.write(")")

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # As Jinja writes it, with the parts sized before they are joined.
        if frame.eval_ctx.volatile:
            self.write("(markup_join if context.eval_ctx.volatile else str_join)(environment.sized_parts((")
        elif frame.eval_ctx.autoescape:
            self.write("markup_join(environment.sized_parts((")
        else:  # without escaping, as most templates are: sized and joined in one call
            self.write("environment.str_join(((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write(")))")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with every operation that could make a value too large sized first."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = _SizingCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters.update(_FILTERS)

    def make_globals(self, d: Any = None) -> Any:
        """A template's globals as one plain dict, not a ChainMap over the environment's.

        Jinja copies the globals into a new dict and a new set at every render,
        and a ChainMap is walked in Python for that; sheetkit never changes the
        environment's globals once it is built, so a flat copy means the same.
        """
        return {**self.globals, **(d or {})}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return self.binop_table[operator](left, right)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        owner = obj.__self__ if kind is BuiltinMethodType or kind is MethodType else None
        if isinstance(owner, _TEXTS):
            check = _TEXT_METHODS.get(obj.__name__)
            if check is not None:
                size, args = check(owner, args, kwargs)
                _refuse(f"`.{obj.__name__}()`", size)
            # A text's methods make texts, or lists of pieces, no longer than it (padding and the like aside).
            if not self.is_safe_callable(obj):
                raise SecurityError(f"{obj!r} is not safely callable")
            return context.call(obj, *args, **kwargs)
        if kind is FunctionType and obj.__name__ in ("format", "format_map"):
            # Jinja's wrapper around a text's format method (see wrap_str_format).
            text = getattr(getattr(obj, "__wrapped__", None), "__self__", None)
            if isinstance(text, str):
                fields = (args, kwargs) if obj.__name__ == "format" else ((), args[0] if args else {})
                _refuse(f"`.{obj.__name__}()`", format_size(text, *fields))
        elif isinstance(owner, int) and obj.__name__ == "to_bytes":
            _refuse("`.to_bytes()`", _to_bytes(owner, args, kwargs)[0])
        result = super().call(context, obj, *args, **kwargs)
        if type(owner) in _CONTAINERS and obj.__name__ in _GROWERS:
            check_made(owner, f"`.{obj.__name__}()`")
        if type(result) in _CONTAINERS:
            check_made(result, f"`{getattr(obj, '__name__', 'the call')}()`")
        return result

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        """The output of a block, a macro or a ``{% set %}`` block, joined: sized first."""
        parts = parts if type(parts) is list else list(parts)
        _refuse("the output captured", sum(map(len, parts)))
        return "".join(parts)

    @staticmethod
    def sized_parts(parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The parts of a ``~`` expression, refused when joined they would be too long."""
        size = 0
        for part in parts:
            size += len(part) if type(part) is str else text_size(part)
        if size > MAX_VALUE_SIZE:
            _refuse("`~`", size)
        return parts

    @staticmethod
    def str_join(parts: tuple[Any, ...]) -> str:
        """The parts of a ``~`` expression joined as Jinja's str_join does, sized first."""
        return "".join(map(str, Sandbox.sized_parts(parts)))

    @staticmethod
    def made(value: Any) -> Any:
        """A list, tuple or dict a template wrote out, refused when it would print too long."""
        size = text_size(value)
        if size > MAX_VALUE_SIZE:
            _refuse(f"this {type(value).__name__}", size)
        return value

    def getattr(self, obj: Any, attribute: str) -> Any:
        """A record's fields directly; anything else through the sandbox.

        A record holds only cell values, so looking its fields up needs none of
        the probing for internal attributes that an arbitrary object gets (a
        letter reads two dozen fields).
        """
        if type(obj) is Record:
            values = obj._values
            if attribute in values:
                return values[attribute]
        return super().getattr(obj, attribute)
