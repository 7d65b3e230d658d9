"""The sandbox: an operation that would make a huge value fails before it runs, wherever it is written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jinja2.utils import Namespace

from sheetkit.render import Record, RenderError, Templates
from sheetkit.sandbox import MAX_VALUE_SIZE, Sandbox, TooLarge, text_size


def render(folder: Path, line: str) -> str:
    """Render an outreach.j2 whose fourth line is ``line``."""
    (folder / "outreach.j2").write_text(f"Subject: x\n\nDear Ann,\n{line}\n", encoding="utf-8")
    return Templates(folder).render_letter("outreach", {}).body


# One operation each, run in C, that would make (or print) gigabytes: a watchdog
# cannot interrupt it, so it must be refused before it starts.
BOMBS = [
    pytest.param("{{ 'x' * 10**10 }}", "`*`", id="str-times-n"),
    pytest.param("{{ 10**10 * 'x' }}", "`*`", id="n-times-str"),
    pytest.param("{{ [0] * 10**10 }}", "`*`", id="list-times-n"),
    pytest.param("{{ (0,) * 10**10 }}", "`*`", id="tuple-times-n"),
    pytest.param("{{ 10 ** (10 ** 10) }}", "`**`", id="power"),
    pytest.param("{{ (10 ** 5000) * (10 ** 6000) }}", "`*`", id="big-times-big"),
    pytest.param("{{ '%0*d' % (10**10, 1) }}", "`%`", id="printf-star-width"),
    pytest.param("{{ '%10000000000d' % 1 }}", "`%`", id="printf-width"),
    pytest.param("{{ '%.*f' % (10**10, 1.5) }}", "`%`", id="printf-star-precision"),
    pytest.param("{{ '%(a)10000000000s' % {'a': 1} }}", "`%`", id="printf-keyed-width"),
    pytest.param("{{ 'a'.ljust(10**10) }}", "`.ljust()`", id="ljust"),
    pytest.param("{{ 'a'.rjust(10**10) }}", "`.rjust()`", id="rjust"),
    pytest.param("{{ 'a'.center(10**10, '-') }}", "`.center()`", id="center"),
    pytest.param("{{ 'a'.zfill(10**10) }}", "`.zfill()`", id="zfill"),
    pytest.param("{{ 'a\tb'.expandtabs(10**10) }}", "`.expandtabs()`", id="expandtabs"),
    pytest.param("{{ ('x' * 100000).replace('x', 'y' * 100000) }}", "`.replace()`", id="replace"),
    pytest.param("{{ ('x' * 1000).join(['y' * 900] * 1000) }}", "`.join()`", id="join"),
    pytest.param("{{ ('a' * 1000).translate({97: 'x' * 900000}) }}", "`.translate()`", id="translate"),
    pytest.param("{{ (1).to_bytes(10**10, 'big') }}", "`.to_bytes()`", id="to-bytes"),
    pytest.param("{{ '{:>10000000000}'.format(1) }}", "`.format()`", id="format-width"),
    pytest.param("{{ '{:{w}}'.format(1, w=10**10) }}", "`.format()`", id="format-nested-width"),
    pytest.param("{{ '{0:.{1}f}'.format(1.5, 10**10) }}", "`.format()`", id="format-nested-precision"),
    pytest.param("{{ '{a:>{b}}'.format_map({'a': 1, 'b': 10**10}) }}", "`.format_map()`", id="format-map-width"),
    pytest.param("{{ ('{0}' * 300000).format('x' * 900000) }}", "`.format()`", id="format-fields"),
    pytest.param("{{ 'x'|center(10**10) }}", "`|center`", id="center-filter"),
    pytest.param("{{ 'x'|indent(10**10, true) }}", "`|indent`", id="indent-filter"),
    pytest.param("{{ ('x\\n' * 100000)|indent('y' * 100000) }}", "`|indent`", id="indent-filter-text"),
    pytest.param("{{ '%0*d'|format(10**10, 1) }}", "`|format`", id="format-filter"),
    pytest.param("{{ ('x' * 100000)|replace('x', 'y' * 100000) }}", "`|replace`", id="replace-filter"),
    pytest.param("{{ (['y' * 900] * 1000)|join('x' * 1000) }}", "`|join`", id="join-filter"),
    pytest.param("{{ ('x ' * 400000)|wordwrap(1, wrapstring='y' * 10) }}", "`|wordwrap`", id="wordwrap-filter"),
    pytest.param("{{ ([[0] * 1000] * 300)|sum(start=[]) }}", "`|sum`", id="sum-filter"),
    pytest.param("{{ [1]|batch(10**10, 'x')|list }}", "`|batch`", id="batch-filter"),
    pytest.param("{{ [1]|slice(10**10)|list }}", "`|slice`", id="slice-filter"),
    pytest.param("{{ [1]|tojson(10**10) }}", "`|tojson`", id="tojson-filter"),
    pytest.param("{{ range(100)|map('center', 10**10)|list }}", "`|center`", id="map-center-filter"),
]


@pytest.mark.usefixtures("bounded")
@pytest.mark.parametrize(("line", "operation"), BOMBS)
def test_an_operation_making_a_huge_value_fails_at_once(tmp_path: Path, line: str, operation: str) -> None:
    """Each fails within a second as a RenderError naming the file, the line and the operation refused."""
    start = time.monotonic()
    with pytest.raises(RenderError) as err:
        render(tmp_path, line)
    assert time.monotonic() - start < 1
    assert err.value.template.endswith("outreach.j2") and err.value.lineno == 4, err.value
    assert err.value.message.startswith(f"{operation} would make a "), err.value.message


def test_a_range_is_already_bounded(tmp_path: Path) -> None:
    """range() makes at most 100,000 numbers (Jinja's own sandbox), so range(10**9)|list fails at once."""
    with pytest.raises(RenderError, match=r"outreach\.j2:4: .*Range too big"):
        render(tmp_path, "{{ range(10**9)|list }}")


# Values built up a step at a time: each step is cheap, but what the steps make
# (the same list nested in itself sixty times, say) would take hours to print,
# compare or hash in C. Each is refused at the step that passes the limit.
BUILT_UP = [
    pytest.param("{% set ns = namespace(t=[1]) %}{% for i in range(60) %}{% set ns.t = [ns.t, ns.t] %}"
                 "{% endfor %}{{ ns.t }}", "this list", id="list-in-itself"),
    pytest.param("{% set ns = namespace(a=(1,), b=(1,)) %}{% for i in range(60) %}{% set ns.a = (ns.a, ns.a) %}"
                 "{% set ns.b = (ns.b, ns.b) %}{% endfor %}{{ ns.a == ns.b }}", "this tuple", id="tuples-compared"),
    pytest.param("{% set ns = namespace(d={}) %}{% for i in range(60) %}{% set ns.d = {'a': ns.d, 'b': ns.d} %}"
                 "{% endfor %}{{ ns.d }}", "this dict", id="dict-in-itself"),
    pytest.param("{% set ns = namespace(d={}) %}{% for i in range(60) %}{% set ns.d = dict(a=ns.d, b=ns.d) %}"
                 "{% endfor %}{{ ns.d }}", "`dict()`", id="dict-call"),
    pytest.param("{% set ns = namespace(n=namespace(x=1)) %}{% for i in range(60) %}"
                 "{% set ns.n = namespace(a=ns.n, b=ns.n) %}{% endfor %}{{ ns.n }}", "`Namespace()`",
                 id="namespace-call"),
    pytest.param("{% set l = [] %}{% for i in range(1000) %}{% set _ = l.append('x' * 100000) %}{% endfor %}"
                 "{{ l }}", "`.append()`", id="append"),
    pytest.param("{% set l = ['x' * 1000] %}{% for i in range(60) %}{% set _ = l.extend(l) %}{% endfor %}{{ l }}",
                 "`.extend()`", id="extend"),
    pytest.param("{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}"
                 "{% endfor %}{{ ns.l }}", "`+`", id="plus"),
    pytest.param("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                 "{{ ns.s }}", "`~`", id="tilde"),
    pytest.param("{% macro twice(s) %}{{ s }}{{ s }}{% endmacro %}{% set ns = namespace(s='x') %}"
                 "{% for i in range(60) %}{% set ns.s = twice(ns.s) %}{% endfor %}{{ ns.s }}", "the output captured",
                 id="macro-output"),
    pytest.param("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set s %}{{ ns.s }}{{ ns.s }}{% endset %}"
                 "{% set ns.s = s %}{% endfor %}{{ ns.s }}", "the output captured", id="set-block-output"),
]


@pytest.mark.usefixtures("bounded")
@pytest.mark.parametrize(("line", "operation"), BUILT_UP)
def test_a_value_built_up_past_the_limit_fails_at_the_step_that_passes_it(tmp_path: Path, line: str,
                                                                         operation: str) -> None:
    """A list nested in itself, a text doubled, a macro's output doubled: refused within a second, with the line."""
    start = time.monotonic()
    with pytest.raises(RenderError) as err:
        render(tmp_path, line)
    assert time.monotonic() - start < 1
    assert err.value.lineno == 4 and err.value.message.startswith(f"{operation} would make a "), err.value


WITHIN = [
    ("{{ '-' * 72 }}", "-" * 72),
    ("{{ 3 * 'ab' }}", "ababab"),
    ("{{ 2 ** 64 }}", str(2**64)),
    ("{{ 10 ** 10 ** 10 }}", "1" + "0" * 100),  # Jinja's ** groups to the left: (10**10)**10
    ("{{ '%05d and %-4s|' % (42, 'ab') }}", "00042 and ab  |"),
    ("{{ '%(n).2f' % {'n': 2.5} }}", "2.50"),
    ("{{ '{:>6}|{:,}'.format('ab', 1234567) }}", "    ab|1,234,567"),
    ("{{ '{0:{1}}|'.format('ab', 4) }}", "ab  |"),
    ("{{ 'ab'.ljust(4, '.') ~ 'cd'.center(4) ~ '7'.zfill(3) }}", "ab.. cd 007"),
    ("{{ 'a b c'.replace(' ', ', ') }}", "a, b, c"),
    ("{{ ', '.join(['a', 'b']) }}", "a, b"),
    ("{{ 'x'|center(5) }}|", "  x  |"),
    ("{{ 'a\nb'|indent(2) }}", "a\n  b"),
    ("{{ '%s-%s'|format(1, 2) }}", "1-2"),
    ("{{ (['a', 'b'] + ['c'])|join('/') }}", "a/b/c"),
    ("{{ [[1, 2], [3]]|sum(start=[]) }}", "[1, 2, 3]"),
    ("{{ range(100000)|list|length }}", "100000"),
    ("{{ (range(7)|batch(3, 0)|list)[-1] }}", "[6, 0, 0]"),
    ("{{ {'a': [1, (2, 3)]} }}", "{'a': [1, (2, 3)]}"),
    ("{% set l = [] %}{% for i in range(3) %}{% set _ = l.append(i) %}{% endfor %}{{ l }}", "[0, 1, 2]"),
    ("{% macro m(x) %}<{{ x }}>{% endmacro %}{% set b %}{{ m(1) }}{{ m(2) }}{% endset %}{{ b }}", "<1><2>"),
    ("{{ 'x' * 999990 ~ 'y' * 10 == 'x' * 999990 ~ 'y' * 10 }}", "True"),
]


@pytest.mark.parametrize(("line", "expected"), WITHIN, ids=[line for line, _ in WITHIN])
def test_values_within_the_limits_are_made_as_usual(tmp_path: Path, line: str, expected: str) -> None:
    """Repetition, padding, formatting, joining and building lists all work as Jinja's do, up to the limit."""
    assert render(tmp_path, line) == f"Dear Ann,\n{expected}\n"


def test_text_size_counts_a_shared_part_each_time_it_is_printed() -> None:
    """text_size is within a factor of three of len(str(value)); a shared part counts each time, measured once."""
    inner = ["ab", None, 12, 2.5, "a longer text"]
    values = [inner, (inner, inner), {"k": inner, "n": [inner] * 3}, Record({"x": inner}), "é" * 10, 10**50,
              list(range(1000)), [["x" * 50] * 20] * 30]
    for value in values:
        assert len(str(value)) / 3 <= text_size(value) <= len(str(value)) * 3, value
    tower: list[object] = ["x" * 100]
    for _ in range(60):
        tower = [tower, tower]
    start = time.monotonic()
    assert text_size(tower) > MAX_VALUE_SIZE
    assert text_size(Namespace(a=tower)) > MAX_VALUE_SIZE
    assert time.monotonic() - start < 0.1


def test_the_sandbox_refuses_directly_too() -> None:
    """The environment itself raises TooLarge (a Jinja SecurityError), used outside sheetkit's renders too."""
    with pytest.raises(TooLarge, match="`\\*` would make a value of about 10,000,000,000 characters"):
        Sandbox().from_string("{{ 'x' * n }}").render(n=10**10)
