"""`sheetkit report`: the page holds status's numbers, needs no network, and renders in real headless Chromium."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from typer.testing import CliRunner

from sheetkit.cli import app
from sheetkit.errors import UsageError
from sheetkit.page import write_report
from tests import chromium
from tests.cohorts import BROKEN, EXAMPLE, build_cohort
from tests.conftest import TODAY, MakeBook, contact

runner = CliRunner()
DAY = ["--today", TODAY.isoformat()]


def page_data(page: Path) -> dict[str, object]:
    """The JSON the page carries for programs."""
    tree = lxml.html.fromstring(page.read_bytes())
    data: dict[str, object] = json.loads(tree.get_element_by_id("sheetkit-data").text)
    return data


def status_json(path: Path) -> dict[str, object]:
    result = runner.invoke(app, ["status", str(path), "--format", "json", *DAY])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "report.html"
    write_report(EXAMPLE, out, TODAY)
    return out


def test_page_numbers_equal_status_json(example_page: Path) -> None:
    """The page's tables and its data show exactly what `status --format json` prints."""
    status = status_json(EXAMPLE)
    assert page_data(example_page)["status"] == status
    tree = lxml.html.fromstring(example_page.read_bytes())
    pipeline = tree.xpath('//*[@id="pipeline"]//tr[@data-status]')
    shown = {tr.get("data-status"): int(tr.xpath("td")[1].text) for tr in pipeline}
    assert shown == status["counts"]
    fields = [(tr.get("data-field"), int(tr.xpath("td")[1].text), int(tr.xpath("td")[2].text))
              for tr in tree.xpath('//*[@id="fields"]//tr[@data-field]')]
    assert fields == [(f["field"], f["interviews"], f["goal"]) for f in status["fields"]]  # type: ignore[attr-defined]
    agenda = [(tr.xpath("td")[2].text, tr.get("data-kind")) for tr in tree.xpath('//*[@id="agenda"]//tr[@data-kind]')]
    assert agenda == [(a["contact"], a["kind"]) for a in status["actions"]]  # type: ignore[attr-defined]
    rate = tree.xpath('//*[@id="answer-rate"]')[0].text_content()
    assert "71%" in rate and "10 of 14" in rate


def test_due_and_overdue_figures_equal_status_json(example_page: Path) -> None:
    """The page's "Due today" figure counts the actions and the overdue ones as `status --format json` lists them."""
    actions: list[dict[str, object]] = status_json(EXAMPLE)["actions"]  # type: ignore[assignment]
    figure = lxml.html.fromstring(example_page.read_bytes()).get_element_by_id("due-today")
    overdue = sum(1 for a in actions if a["overdue"])
    assert (figure.findtext("b"), figure.xpath("b")[0].tail) == (str(len(actions)), f"{overdue} overdue")
    assert 0 < overdue < len(actions)


def test_page_shows_the_digest_by_theme_and_who_suggested_tomas(example_page: Path) -> None:
    """The example's answers appear under their themes, and Tomás Herrera under Daniel Okafor in the tree."""
    tree = lxml.html.fromstring(example_page.read_bytes())
    themes = [div.get("data-theme") for div in tree.xpath("//div[@data-theme]")]
    assert themes == ["Career Path", "Day-to-Day", "Skills", "Culture", "Industry Trends", "Hiring", "Advice"]
    hiring = tree.xpath('//div[@data-theme="Hiring"]/blockquote/footer')
    assert sorted(f.text_content() for f in hiring) == ["— Hannah Whitfield", "— José Álvarez", "— Zoë Müller"]
    tomas = tree.xpath('//*[@id="referrals"]/li[contains(., "Tomás Herrera")]')[0]
    assert tomas.get("data-suggested-by") == "Daniel Okafor" and "not a contact yet" in tomas.text_content()


def test_page_makes_no_request_and_shows_charts_in_chromium(example_page: Path, tmp_path: Path) -> None:
    """Headless Chromium loads the page: no request beyond the file, no console error, a non-blank screenshot."""
    seen = chromium.visit(example_page)
    assert seen.requests == [] and seen.errors == [] and seen.console == []
    image = Image.open(io.BytesIO(seen.screenshot)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24) or []
    not_white = sum(count for count, rgb in colours if rgb != (255, 255, 255))
    assert len(colours) > 200 and not_white > image.width * image.height // 20
    assert "Who suggested whom" in seen.text and "Tomás Herrera" in seen.text
    pages = re.findall(rb"/Type\s*/Page[^s]", seen.pdf)
    assert seen.pdf.startswith(b"%PDF-") and 3 <= len(pages) <= 12  # printed whole, on A4 pages
    (tmp_path / "report.png").write_bytes(seen.screenshot)


def test_chromium_probe_sees_a_request_when_there_is_one(tmp_path: Path) -> None:
    """The probe itself works: a page that does fetch something is caught (so an empty list means none)."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><p>x</p><img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    seen = chromium.visit(page)
    assert seen.requests == ["http://127.0.0.1:9/pixel.png"]


def test_cell_text_is_escaped_and_never_reaches_out(make_book: MakeBook, tmp_path: Path) -> None:
    """Markup typed into cells is shown as text, in tables and charts alike; the page still makes no request."""
    hostile = '<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>'
    path = make_book([contact(first_name=hostile, status="Thanked", field=hostile, key_takeaways=hostile,
                              request_sent=TODAY, interview_date=TODAY, thank_you_sent=TODAY)],
                     profile={"Your Name": hostile})
    out = tmp_path / "hostile.html"
    write_report(path, out, TODAY)
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src" not in html
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//img") == [] and [e.get("id") for e in tree.xpath("//script")] == ["sheetkit-data"]
    assert not [v for v in tree.xpath("//@src | //@href | //@*[local-name()='href']") if "//" in v]
    seen = chromium.visit(out)
    assert seen.requests == [] and seen.errors == [] and hostile in seen.text


def test_cohort_page_lists_28_students_and_2_errors_most_urgent_first(tmp_path: Path) -> None:
    """A folder of 30 workbooks, 2 broken: 28 rows, errors then overdue then idle, and the 2 files with their error."""
    situation = build_cohort(tmp_path / "cohort")
    out = tmp_path / "cohort.html"
    result = runner.invoke(app, ["report", str(tmp_path / "cohort"), "--out", str(out), *DAY])
    assert result.exit_code == 0, result.output
    assert "28 students" in result.output and "2 files could not be read" in result.output
    tree = lxml.html.fromstring(out.read_bytes())
    rows = tree.xpath('//*[@id="students"]/tbody/tr')
    names = [tr.xpath("td")[0].text for tr in rows]
    order = {"error": 0, "overdue": 1, "idle": 2, "on track": 3}
    assert len(names) == 28 and [situation[n] for n in names] == sorted(
        (situation[n] for n in names), key=order.__getitem__)
    assert rows[0].xpath("td")[1].text_content() == "1 error in the workbook"
    assert rows[-1].xpath("td")[1].text_content() == "on track"
    broken = [(tr.xpath("td")[0].text, tr.xpath("td")[1].text) for tr in tree.xpath('//*[@id="unreadable"]/tbody/tr')]
    assert [b[0] for b in broken] == sorted(BROKEN) and all(b[1] for b in broken)
    assert page_data(out)["students"][0]["name"] == names[0]  # type: ignore[index]
    assert tree.xpath('string(//p[@class="sub"])').startswith("28 students, ") and "2 files unreadable" in \
        tree.xpath('string(//p[@class="sub"])')
    seen = chromium.visit(out)
    assert seen.requests == [] and seen.errors == []


def test_out_is_checked_before_reading(tmp_path: Path) -> None:
    """--out must be an .html file in an existing folder, and never the workbook itself."""
    for out in (tmp_path / "r.txt", tmp_path / "missing" / "r.html", tmp_path):
        with pytest.raises(UsageError):
            write_report(EXAMPLE, out if out != tmp_path else tmp_path, TODAY)
    book = tmp_path / "book.html"
    book.write_bytes(EXAMPLE.read_bytes())
    with pytest.raises(UsageError, match="the workbook itself"):
        write_report(book, book, TODAY)
    assert book.read_bytes() == EXAMPLE.read_bytes()


def test_same_day_gives_the_same_page(example_page: Path, tmp_path: Path) -> None:
    """The page is a function of the workbook and the day: charts included, a re-run writes the same bytes."""
    again = tmp_path / "again.html"
    write_report(EXAMPLE, again, TODAY)
    assert again.read_bytes() == example_page.read_bytes()


def test_long_lists_are_cut_and_counted_but_the_numbers_are_whole(make_book: MakeBook, tmp_path: Path) -> None:
    """600 actions due: the page lists the first 500 and says 100 more; its data still holds all 600."""
    rows = [contact(first_name=f"P{n}", last_name="Roe", status="To Contact", email=f"p{n}@example.com",
                    common_ground="Same course") for n in range(600)]
    path = make_book(rows)
    out = tmp_path / "long.html"
    write_report(path, out, TODAY)
    tree = lxml.html.fromstring(out.read_bytes())
    assert len(tree.xpath('//*[@id="agenda"]//tr[@data-kind]')) == 500
    assert "… and 100 more actions: `sheetkit status` lists every one." in tree.text_content()
    assert page_data(out)["status"] == status_json(path)
