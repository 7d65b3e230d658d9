"""The sandbox templates run in: what they may reach."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2.sandbox import SandboxedEnvironment


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


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with a direct path to the fields of a :class:`Record`."""

    def make_globals(self, d: Any = None) -> Any:
        """A template's globals as one plain dict, not a ChainMap over the environment's.

        Jinja copies the globals into a new dict and a new set at every render,
        and a ChainMap is walked in Python for that; sheetkit never changes the
        environment's globals once it is built, so a flat copy means the same.
        """
        return {**self.globals, **(d or {})}

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
