"""One exception family: everything sheetkit raises derives from SheetkitError and says when it is raised."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import sheetkit
from sheetkit.errors import ArgumentError, SheetkitError, UsageError


def _exception_classes() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(sheetkit.__path__, "sheetkit."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__.startswith("sheetkit"):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


# Signals that never leave sheetkit: the watchdog's Overrun is a BaseException on purpose, so that no
# ``except Exception`` inside a template's filters can swallow it; the renderer turns it into a RenderError.
INTERNAL_SIGNALS = {"Overrun"}


@pytest.mark.parametrize("cls", _exception_classes(), ids=lambda c: c.__qualname__)
def test_every_exception_derives_from_the_base_and_says_when(cls: type[BaseException]) -> None:
    """Each exception class is a SheetkitError with a docstring that starts 'Raised when'."""
    if cls.__qualname__ in INTERNAL_SIGNALS:
        assert (cls.__doc__ or "").startswith("Raised in"), cls
        return
    assert issubclass(cls, SheetkitError)
    if cls is not SheetkitError:
        assert (cls.__doc__ or "").startswith("Raised when"), cls


def test_the_family_is_found() -> None:
    """The walk over the package finds the classes it should, so the test above cannot pass on nothing."""
    names = {c.__qualname__ for c in _exception_classes()}
    assert {"SheetkitError", "WorkbookError", "UsageError", "EditError", "UnsafeHeader", "ArgumentError",
            "RenderError", "TooLarge"} <= names


def test_a_wrong_argument_is_also_a_value_error() -> None:
    """Callers that catch ValueError still catch a bad argument; the one line names it."""
    err = ArgumentError("max_len must be at least 16, not 3")
    assert isinstance(err, ValueError) and err.line() == "max_len must be at least 16, not 3"
    assert UsageError("x", "y").line() == "x — y"
