"""The one Jinja environment: sandboxed, strict about undefined names, bounded, user templates first."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from sheetkit.errors import TemplateError
from sheetkit.render import (
    MAX_OUTPUT_CHARS,
    Record,
    Rendered,
    RenderError,
    Templates,
    brief,
    builtin_templates_dir,
    first_sentence,
    longdate,
    shortdate,
    split_subject,
)
from sheetkit.watchdog import RENDER_MEGABYTES, RENDER_SECONDS


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.j2"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_templates_exist() -> None:
    """Every kind and the postal layout ship as built-in templates."""
    names = {p.stem for p in builtin_templates_dir().glob("*.j2")}
    assert {"outreach", "follow-up", "thank-you", "keep-in-touch", "letter"} <= names


def test_filters() -> None:
    """Dates read as people write them; first_sentence keeps one sentence."""
    day = dt.date(2026, 11, 24)
    assert longdate(day) == "Tuesday 24 November 2026"
    assert shortdate(day) == "24 November"
    assert first_sentence("Show your work. Then more.") == "Show your work."
    assert first_sentence(None) == ""


@pytest.mark.parametrize(
    ("note", "first"),
    [("We both studied at St. Olaf College. Go Oles!", "We both studied at St. Olaf College."),
     ("You led the U.S. launch of the portal. I used it daily.", "You led the U.S. launch of the portal."),
     ("Bring e.g. two case studies. Certificates matter less.", "Bring e.g. two case studies."),
     ("Dr. Raman supervised my project\nin 2019. Then more.", "Dr. Raman supervised my project")],
)
def test_first_sentence_and_brief_keep_abbreviations(note: str, first: str) -> None:
    """first_sentence and brief do not cut a note at an abbreviation's full stop, only at a sentence's."""
    assert first_sentence(note) == first
    assert brief(note, 25) == first
    assert brief(note, 3) == " ".join(first.split()[:3]) + "…"


def test_undefined_names_are_errors_with_line(tmp_path: Path) -> None:
    """A misspelt variable fails with the template file and line, not a blank."""
    write(tmp_path, "outreach", "Subject: Hi\n\nDear {{ contact.first_name }},\n{{ contact.frist_name }}\n")
    with pytest.raises(RenderError) as err:
        Templates(tmp_path).render_letter("outreach", {"contact": {"first_name": "Ann"}})
    assert err.value.template.endswith("outreach.j2")
    assert err.value.lineno == 4


def test_syntax_error_reported_with_line(tmp_path: Path) -> None:
    """A template that does not parse is reported as file:line."""
    write(tmp_path, "thank-you", "Subject: Thanks\n\n{% if x %}\nno end\n")
    with pytest.raises(RenderError, match=r"thank-you\.j2:\d+"):
        Templates(tmp_path).render_letter("thank-you", {"x": 1})


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    """Templates cannot reach Python internals through attributes."""
    write(tmp_path, "outreach", "Subject: x\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(RenderError):
        Templates(tmp_path).render_letter("outreach", {})


@pytest.mark.parametrize(
    "expression",
    ["contact.__class__.__mro__", "contact._values", "contact.__getattr__", "contact.__init__.__globals__"],
)
def test_records_give_fields_and_nothing_else(tmp_path: Path, expression: str) -> None:
    """A record's fields read directly; its internals stay out of reach of the sandbox."""
    write(tmp_path, "outreach", f"Subject: x\n\n{{{{ contact.first_name }}}} {{{{ {expression} }}}}\n")
    with pytest.raises(RenderError):
        Templates(tmp_path).render_letter("outreach", {"contact": Record({"first_name": "Ann"})})


def test_record_fields_and_unknown_names(tmp_path: Path) -> None:
    """Record fields render, by attribute or by item; an unknown field is an error with its line."""
    write(tmp_path, "outreach", "Subject: x\n\n{{ contact.first_name }} {{ contact['last_name'] }}\n")
    row = Record({"first_name": "Ann", "last_name": "Lee"})
    assert Templates(tmp_path).render_letter("outreach", {"contact": row}).body == "Ann Lee\n"
    write(tmp_path, "outreach", "Subject: x\n\n{{ contact.first_name }}\n{{ contact.nick }}\n")
    with pytest.raises(RenderError) as err:
        Templates(tmp_path).render_letter("outreach", {"contact": row})
    assert err.value.lineno == 4


def test_jinja_globals_stay_available(tmp_path: Path) -> None:
    """range, namespace, cycler and joiner still work in user templates."""
    body = ("{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}"
            "{% set c = cycler('a', 'b') %}{% set j = joiner('+') %}"
            "{{ ns.n }} {{ c.next() }}{{ c.next() }} {% for x in [1, 2] %}{{ j() }}{{ x }}{% endfor %}")
    write(tmp_path, "outreach", f"Subject: x\n\n{body}\n")
    assert Templates(tmp_path).render_letter("outreach", {}).body == "3 ab 1+2\n"


def test_output_is_capped(tmp_path: Path) -> None:
    """A runaway loop stops at the output cap instead of filling the disk."""
    loop = "{% for i in range(99999) %}{% for j in range(50) %}xx{% endfor %}{% endfor %}"
    write(tmp_path, "outreach", f"Subject: x\n\n{loop}\n")
    with pytest.raises(RenderError, match=f"{MAX_OUTPUT_CHARS:,}"):
        Templates(tmp_path).render_letter("outreach", {})


@pytest.mark.usefixtures("bounded")
def test_a_loop_that_never_ends_fails_at_its_line_after_the_time_limit(tmp_path: Path) -> None:
    """10^10 loop turns stop after RENDER_SECONDS, reported at the loop's line; the template's next letter at once."""
    loop = "{% set r = range(100000) %}\n{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}"
    write(tmp_path, "outreach", f"Subject: x\n\nDear {{{{ name }}}},\n{loop}\n")
    write(tmp_path, "thank-you", "Subject: Thanks\n\nDear {{ name }},\n")
    templates = Templates(tmp_path)
    start = time.monotonic()
    with pytest.raises(RenderError) as err:
        templates.render_letter("outreach", {"name": "Ann"})
    assert RENDER_SECONDS <= time.monotonic() - start < RENDER_SECONDS + 1.5
    assert err.value.template == str(tmp_path / "outreach.j2") and err.value.lineno == 5
    assert err.value.message == f"rendering took longer than {RENDER_SECONDS:g} s (a loop that never ends?)"
    start = time.monotonic()
    with pytest.raises(RenderError) as again:
        templates.render_letter("outreach", {"name": "Bo"})
    assert time.monotonic() - start < 0.5 and str(again.value) == str(err.value)
    assert templates.render_letter("thank-you", {"name": "Bo"}).body == "Dear Bo,\n"


@pytest.mark.usefixtures("bounded")
def test_a_loop_piling_up_memory_is_stopped(tmp_path: Path) -> None:
    """A loop making a million-character text per turn stops near RENDER_MEGABYTES, long before the machine's memory."""
    write(tmp_path, "outreach", "Subject: x\n\nDear Ann,\n{{ range(100000)|map('center', 1000000)|list|length }}\n")
    with pytest.raises(RenderError) as err:
        Templates(tmp_path).render_letter("outreach", {})
    assert err.value.lineno == 4
    assert err.value.message == (f"rendering used more than {RENDER_MEGABYTES} MB of memory "
                                 "(a loop that keeps adding to a value?)")


def test_user_template_overrides_one_kind_others_fall_back(tmp_path: Path) -> None:
    """A user folder with only outreach.j2 overrides it; the other kinds use the built-in ones."""
    write(tmp_path, "outreach", "Subject: Mine\n\nMy own words.\n")
    templates = Templates(tmp_path)
    assert templates.render_letter("outreach", {}).subject == "Mine"
    assert templates.source("outreach") == str(tmp_path / "outreach.j2")
    assert templates.source("thank-you") == "thank-you.j2"


def test_missing_templates_folder_is_an_error(tmp_path: Path) -> None:
    """--templates naming a folder that does not exist stops the run with a clear error."""
    with pytest.raises(TemplateError, match="does not exist"):
        Templates(tmp_path / "nope")


@pytest.mark.parametrize("text", ["Dear Ann,\n", "Subject:\n\nbody\n", "Subjekt: x\n\nbody"])
def test_subject_line_required(text: str) -> None:
    """A template must start with a non-empty Subject line."""
    with pytest.raises(RenderError):
        split_subject(text, "t.j2")


def test_subject_and_body_split() -> None:
    """Subject, blank line, body; spacing in the subject is normalised."""
    rendered = split_subject("Subject:  Hello   there \n\nDear Ann,\n\nBye\n\n", "t.j2")
    assert rendered.subject == "Hello there"
    assert rendered.body == "Dear Ann,\n\nBye\n"


@pytest.mark.parametrize(
    ("text", "referrer", "kept"),
    [("Dr Raman, who supervised my project, says you mentor career changers.", "Priya Raman", False),
     ("Professor Raman's students all know you.", "Priya Raman", False),
     ("P. Raman suggested you.", "Priya Raman", False),
     ("Zoe suggested you.", "Zoë Müller", False),
     ("Ana suggested you.", "Dr Ana Ruiz", False),
     ("Dr Smith supervised my project.", "Dr Ana Ruiz", True),
     ("Priyanka is a friend.", "Priya Raman", True)],
)
def test_discreet_recognises_a_referrer_by_any_form_of_their_name(text: str, referrer: str, kept: bool) -> None:
    """Without permission a note naming the referrer by surname, title, initial or first name is left out."""
    env = Templates().env
    template = env.from_string("{{ text|discreet }}")
    assert template.render(text=text, referrer_name=referrer, may_name_referrer=False) == (text if kept else "")
    assert template.render(text=text, referrer_name=referrer, may_name_referrer=True) == text


@pytest.mark.parametrize(("name", "first"), [("Dr Ana Ruiz", "Ana"), ("Dr Raman", "Dr Raman"), (None, "")])
def test_first_name_filter_skips_titles(name: str | None, first: str) -> None:
    """The first_name filter calls someone by their first name, never by their title."""
    assert Templates().env.from_string("{{ name|first_name }}").render(name=name) == first


BREAKS = ["\n", "\r\n", "\r", "\u2028", "\v"]
SUBJECT_FIELDS = ["first_name", "last_name", "field", "target_field", "company", "referrer_name"]
EVERY_FIELD_SUBJECT = (
    "Subject: {{ contact.first_name }} {{ contact.last_name }}: {{ contact.field }}, {{ profile.target_field }}, "
    "{{ contact.company }}, {{ referrer_name }}\n\nDear {{ contact.first_name }},\n\n{{ contact.notes }}\n"
)


def subject_context(field: str, value: str) -> dict[str, object]:
    """A context for EVERY_FIELD_SUBJECT with ``value`` in ``field`` and one-word values elsewhere."""
    values = dict.fromkeys(SUBJECT_FIELDS, "x")
    values[field] = value
    contact = Record({k: values[k] for k in ("first_name", "last_name", "field", "company")} | {"notes": "a\nb"})
    return {"contact": contact, "profile": Record({"target_field": values["target_field"]}),
            "referrer_name": values["referrer_name"]}


@pytest.mark.parametrize("brk", BREAKS, ids=["LF", "CRLF", "CR", "LS", "VT"])
@pytest.mark.parametrize("field", SUBJECT_FIELDS)
def test_a_line_break_in_a_value_never_splits_the_subject(tmp_path: Path, field: str, brk: str) -> None:
    """Any line break in any value printed in a user's Subject line becomes a space; the body keeps its breaks."""
    write(tmp_path, "outreach", EVERY_FIELD_SUBJECT)
    rendered = Templates(tmp_path).render_letter("outreach", subject_context(field, f"Learning{brk}Design"))
    plain = Templates(tmp_path).render_letter("outreach", subject_context(field, "Learning Design"))
    assert rendered.subject == plain.subject
    assert "Learning Design" in rendered.subject
    assert rendered.body.startswith("Dear ") and rendered.body.endswith("\n\na\nb\n")


def test_line_breaks_in_values_reach_bodies_and_layouts_as_written(tmp_path: Path) -> None:
    """A value's line breaks, \\n or \\r\\n, are kept in a body and in the page laid out around it."""
    write(tmp_path, "outreach", "Subject: {{ subject }}\n\n{{ body }}\n")
    write(tmp_path, "letter", "{{ address }}\n\n{{ body }}\n")
    templates = Templates(tmp_path)
    rendered = templates.render_letter("outreach", {"subject": "On\nlines", "body": "One\r\nTwo\nThree"})
    assert rendered == Rendered("On lines", "One\r\nTwo\nThree\n")
    page = templates.render_text("letter", {"address": "1 Main St\nSpringfield", "body": rendered.body})
    assert page == "1 Main St\nSpringfield\n\nOne\r\nTwo\nThree\n\n"


def test_a_template_nested_too_deeply_is_a_render_error(tmp_path: Path) -> None:
    """Thousands of nested brackets are reported for that template, not a traceback."""
    (tmp_path / "outreach.j2").write_text("Subject: x\n\n{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n")
    with pytest.raises(RenderError, match="nests too deeply"):
        Templates(tmp_path).render_letter("outreach", {})


def test_first_sentence_of_blank_text_is_empty() -> None:
    """Text of spaces and line breaks only has no first sentence (the prose pieces rely on it)."""
    from sheetkit.render import first_sentence

    assert first_sentence("   \n  ") == "" and first_sentence(None) == ""
