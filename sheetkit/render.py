"""The one Jinja environment of sheetkit: sandboxed, strict, bounded.

Templates come from the user's folder first (``--templates DIR``), then the
built-in ones shipped inside the package. Undefined names are errors, so a
typo in a template fails loudly instead of printing an empty gap; output is
capped so a runaway loop cannot fill the disk, every value a template makes
is bounded (see :mod:`sheetkit.sandbox`), and a render that runs too long or
grows too large is stopped (see :mod:`sheetkit.watchdog`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from sheetkit import person_names, sentences, watchdog
from sheetkit.errors import SheetkitError, TemplateError
from sheetkit.sandbox import Record as Record  # re-exported: letters and tests build records from here
from sheetkit.sandbox import Sandbox

MAX_OUTPUT_CHARS = 100_000
TEMPLATE_SUFFIX = ".j2"
LETTER_LAYOUT = "letter"
# A cell typed on two lines (Field "Learning⏎Design") must not end a template's
# Subject line, whatever the template, so each "\n" printed from a value is
# marked while rendering and the Subject line ends only where the template's own
# text ends it (other line breaks, "\r", "\v", U+2028, never end it and are
# spaces there). U+FDD0 is a Unicode noncharacter, set aside for internal use:
# it does not occur in text people type. Only the renders below mark: the
# environment used directly prints values as they are.
BREAK_IN_VALUE = "\ufdd0"
_MARKING = "sheetkit:mark-breaks"  # a context key no template can name, so none can see or set it
_OVERRUN_HINTS = {watchdog.TOO_LONG: "(a loop that never ends?)",
                  watchdog.TOO_BIG: "(a loop that keeps adding to a value?)"}


def builtin_templates_dir() -> Path:
    """The built-in templates: inside the installed package, or ``templates/`` in a source checkout."""
    packaged = Path(str(resources.files("sheetkit"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def longdate(value: Any) -> str:
    """``Tuesday 24 November 2026``."""
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    return f"{value:%A} {value.day} {value:%B %Y}"


def shortdate(value: Any) -> str:
    """``24 November``."""
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    return f"{value.day} {value:%B}"


def first_sentence(value: Any) -> str:
    """The first sentence (or line) of a text, for recalling a takeaway briefly."""
    lines = str(value).strip().splitlines() if value else []
    return sentences.first_sentence(lines[0].strip()) if lines else ""


def sentence(value: Any) -> str:
    """Trimmed text ending in a full stop unless it already ends a sentence."""
    text = "" if value is None else str(value).strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def brief(value: Any, words: int = 18) -> str:
    """The first sentence, cut to at most ``words`` words (with an ellipsis when cut)."""
    parts = first_sentence(value).split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:—–-") + "…"


def names(value: Any) -> str:
    """A list of names as prose: ``A``, ``A and B``, ``A, B and C``."""
    items = [str(v).strip() for v in (value or []) if v and str(v).strip()]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@jinja2.pass_context
def discreet(context: Any, value: Any) -> str:
    """The text, or nothing when it names a referrer the contact may not be told about.

    The method says to use a referrer's name only with their permission, so a
    note that mentions them in any way (see :mod:`sheetkit.person_names`) is
    left out of letters unless May Use Referrer's Name is Yes.
    """
    text = "" if value is None else str(value).strip()
    referrer = context.get("referrer_name")
    if not text or not referrer or context.get("may_name_referrer"):
        return text
    return "" if person_names.names_person(text, str(referrer)) else text


def first_name(value: Any) -> str:
    """What to call someone on first-name terms: ``Dr Ana Ruiz`` → ``Ana``, ``Dr Raman`` as written."""
    return "" if value is None else person_names.first_name(str(value))


@jinja2.pass_context
def _mark_breaks(context: Any, value: Any) -> Any:
    """Every value a template prints, its line breaks marked in sheetkit's own renders (see BREAK_IN_VALUE)."""
    if isinstance(value, str) and "\n" in value and context.get(_MARKING):
        return value.replace("\n", BREAK_IN_VALUE)
    return value


class RenderError(SheetkitError):
    """Raised when one template cannot be rendered for one row; the caller reports it and goes on.

    ``lineno`` is the template's line, when known: the message reads ``file:line: message``.
    """

    def __init__(self, template: str, message: str, lineno: int | None = None) -> None:
        self.template = template
        self.lineno = lineno
        self.message = message
        super().__init__(message, "", template)

    @property
    def where(self) -> str:
        """``outreach.j2:12``, or the template alone when the line is not known."""
        return f"{self.template}:{self.lineno}" if self.lineno else self.template

    def line(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


class Templates:
    """Finds and renders templates by name, the user's first, then the built-in ones."""

    def __init__(self, user_dir: str | Path | None = None) -> None:
        self.user_dir = Path(user_dir) if user_dir is not None else None
        if self.user_dir is not None and not self.user_dir.is_dir():
            raise TemplateError(
                "the templates folder does not exist", "give a folder holding e.g. outreach.j2", self.user_dir
            )
        folders = [str(p) for p in (self.user_dir, builtin_templates_dir()) if p is not None]
        self.env = Sandbox(
            loader=jinja2.FileSystemLoader(folders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_mark_breaks,
        )
        self.env.filters.update(
            longdate=longdate, shortdate=shortdate, first_sentence=first_sentence, sentence=sentence, brief=brief,
            names=names, discreet=discreet, first_name=first_name,
        )
        self._cache: dict[str, jinja2.Template | RenderError] = {}

    def source(self, name: str) -> str:
        """Where a template comes from (the user's file or the built-in one), for messages."""
        file = name + TEMPLATE_SUFFIX
        if self.user_dir is not None and (self.user_dir / file).is_file():
            return str(self.user_dir / file)
        return file

    def _template(self, name: str) -> jinja2.Template:
        cached = self._cache.get(name)
        if cached is None:
            try:
                cached = self.env.get_template(name + TEMPLATE_SUFFIX)
            except jinja2.TemplateSyntaxError as exc:
                cached = RenderError(self.source(name), exc.message or "syntax error", exc.lineno)
            except jinja2.TemplateNotFound:
                cached = RenderError(self.source(name), "template not found")
            except RecursionError:  # Jinja's parser recurses once per level of nesting
                cached = RenderError(self.source(name), "the template nests too deeply to be read")
            self._cache[name] = cached
        if isinstance(cached, RenderError):
            raise cached
        return cached

    def render_text(self, name: str, context: dict[str, Any]) -> str:
        """Render a template to text, bounded in size; any failure becomes a RenderError."""
        return self._render(name, context).replace(BREAK_IN_VALUE, "\n")

    def render_letter(self, name: str, context: dict[str, Any]) -> Rendered:
        """Render a kind template into its ``Subject:`` line and body."""
        return split_subject(self._render(name, context), self.source(name))

    def _render(self, name: str, context: dict[str, Any]) -> str:
        """The rendered text, each line break printed from a value still marked as BREAK_IN_VALUE.

        Within the watchdog's limits: a render that overruns is stopped by an
        Overrun raised anywhere inside the outer ``try``, up to the moment the
        slot is disarmed (see :meth:`watchdog.Slot.disarm`), and never after.
        """
        template = self._template(name)
        slot = watchdog.slot()
        try:
            slot.arm()
            try:
                return self._generate(template, name, context)
            finally:
                slot.disarm()
        except watchdog.Overrun as exc:
            slot.disarm()
            error = RenderError(self.source(name), f"rendering {slot.reason} {_OVERRUN_HINTS[slot.reason]}",
                                _line(exc, name))
            # A template that overran for one letter would, most likely, for its
            # others too: they fail at once, with the same message (so a cohort
            # drafted by several processes reports the same), rather than each
            # after the limit.
            self._cache[name] = error
            raise error from None

    def _generate(self, template: jinja2.Template, name: str, context: dict[str, Any]) -> str:
        parts: list[str] = []
        size = 0
        try:
            for chunk in template.generate({**context, _MARKING: True}):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise RenderError(self.source(name), f"output exceeds {MAX_OUTPUT_CHARS:,} characters")
                parts.append(chunk)
        except RenderError:
            raise
        except jinja2.UndefinedError as exc:
            raise RenderError(self.source(name), f"{exc.message} (missing data?)", _line(exc, name)) from None
        except jinja2.TemplateError as exc:
            raise RenderError(self.source(name), exc.message or type(exc).__name__, _line(exc, name)) from None
        except Exception as exc:  # a template can raise anything through filters and operators
            raise RenderError(self.source(name), f"{type(exc).__name__}: {exc}", _line(exc, name)) from None
        return "".join(parts)


def split_subject(text: str, source: str) -> Rendered:
    """``Subject: …``, a blank line, then the body.

    Only a line break in the template's own text ends the Subject line: one
    printed from a value (marked BREAK_IN_VALUE) is a space there, and a line
    break again in the body.
    """
    head, _, body = text.lstrip("\n").partition("\n")
    if not head.lower().startswith("subject:"):
        raise RenderError(source, "a template must start with a `Subject: …` line", 1)
    subject = " ".join(head[len("subject:"):].replace(BREAK_IN_VALUE, " ").split())
    if not subject:
        raise RenderError(source, "the Subject line is empty", 1)
    return Rendered(subject, body.replace(BREAK_IN_VALUE, "\n").lstrip("\n").rstrip() + "\n")


def _line(exc: BaseException, name: str) -> int | None:
    """The template line where rendering failed.

    Jinja rewrites the traceback of an exception raised through it to
    template lines; one it never handled (the watchdog's Overrun) still has
    the compiled template's frames, whose lines Jinja maps back.
    """
    tb = exc.__traceback__
    line = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename.endswith(name + TEMPLATE_SUFFIX):
            compiled = frame.f_globals.get("__jinja_template__")
            line = tb.tb_lineno if compiled is None else compiled.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return line
