"""Draft file names: slugs, stable collision handling, and never a path outside the folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetkit.errors import UsageError
from sheetkit.paths import DraftKey, OutputFolder, assign_names, draft_name, inside, person_tag, slug

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z]+$")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë Müller", "zoe-muller"),
        ("José Álvarez", "jose-alvarez"),
        ("Søren Ørsted", "soren-orsted"),
        ("Straße", "strasse"),
        ("Ann  O'Brien-Lee", "ann-o-brien-lee"),
        ("  --Ann.Lee--  ", "ann-lee"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("C:\\Windows\\x", "c-windows-x"),
        ("CON", "con-contact"),
        ("lpt1", "lpt1-contact"),
        ("nul.txt", "nul-txt"),
        ("..", "contact"),
        (".", "contact"),
        ("", "contact"),
        ("😀🎉", "contact"),
        ("Ann 🎉 Lee", "ann-lee"),
        ("山田太郎", "shantiantailang"),
        ("Иван Петров", "ivan-petrov"),
        ("محمد علي", "mhmd-ly"),
        ("김민준", "gimminjun"),
        ("Đặng Thị Ngọc", "dang-thi-ngoc"),
        ("Ｆｕｌｌｗｉｄｔｈ ①", "fullwidth-1"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    """Slugs are lower-case ASCII words joined by dashes, never empty, dotted or a device name."""
    assert slug(text) == expected


def test_slug_long_names_cut_without_trailing_dash() -> None:
    """Long names are cut to max_len, and a cut never leaves a trailing dash."""
    assert slug("a" * 500) == "a" * 60
    cut = slug("abcd " * 40)
    assert len(cut) <= 60 and not cut.endswith("-")
    assert slug("abcd " * 40, max_len=20) == "abcd-abcd-abcd-abcd"


def test_slug_max_len_floor() -> None:
    """A max_len too small for the fallback is a programming error."""
    with pytest.raises(ValueError):
        slug("Ann", max_len=5)


def key(contact: str, *, kind: str = "outreach", email: str = "", company: str = "", round: str = "",
        ext: str = "eml") -> DraftKey:
    return DraftKey(kind, contact, email, company, round, ext)


def test_draft_name() -> None:
    """A draft is named kind-name-person.ext, with the round's date before the extension when it has one."""
    tag = person_tag("Ann Lee", "ann@example.com", "Acme")
    assert re.fullmatch(r"[0-9a-f]{8}", tag)
    assert draft_name(key("Ann Lee", email="ann@example.com", company="Acme")) == f"outreach-ann-lee-{tag}.eml"
    assert draft_name(key("Ann Lee", kind="thank-you", email="ann@example.com", company="Acme", round="2026-11-24",
                          ext="txt")) == f"thank-you-ann-lee-{tag}-2026-11-24.txt"
    assert draft_name(key("", ext="md")) == f"outreach-contact-{person_tag('', '', '')}.md"


@pytest.mark.parametrize(("one", "other"), [
    (("Zoë Müller", "", ""), ("Zoe Muller", "", "")),
    (("王芳", "", ""), ("王方", "", "")),
    (("Иван Петров", "", ""), ("Иван Петрова", "", "")),
    (("Ann Lee", "ann@acme.example", "Acme"), ("Ann Lee", "ann@globex.example", "Globex")),
    (("Ann Lee", "", "Acme"), ("Ann Lee", "", "Globex")),
    (("Ann Lee", "ann@acme.example", "Acme"), ("Ann Lee", "a.lee@acme.example", "Acme")),
])
def test_people_whose_names_slug_alike_get_different_files(one: tuple[str, str, str],
                                                          other: tuple[str, str, str]) -> None:
    """Two people never share a file name: not for accents, not for another script, not for a shared name."""
    names = [draft_name(key(contact, email=email, company=company)) for contact, email, company in (one, other)]
    assert names[0] != names[1]
    assert all(name.startswith(f"outreach-{slug(person[0])}-") for name, person in zip(names, (one, other),
                                                                                       strict=True))


@pytest.mark.parametrize("typed", [("zoë müller", "ZOE@EXAMPLE.ORG", "acme"), ("Zoë  Müller ", "zoe@example.org",
                                                                                 " Acme"),
                                   ("Zoe\u0308 Mu\u0308ller", "zoe@example.org", "Acme")])
def test_same_person_however_typed_gets_the_same_file(typed: tuple[str, str, str]) -> None:
    """Case, spacing and the Unicode form of an accent do not change who a letter is for."""
    assert person_tag(*typed) == person_tag("Zoë Müller", "zoe@example.org", "Acme")


@pytest.mark.parametrize("ext", [".eml", "EML", "e/ml", "", "tar.gz"])
def test_draft_name_bad_extension(ext: str) -> None:
    """An extension that is not lower-case letters is refused."""
    with pytest.raises(ValueError):
        draft_name(key("Ann", ext=ext))


@pytest.mark.parametrize("round", ["25 November", "2026-11-25/../x", "2026-1-2", " 2026-11-25"])
def test_draft_name_bad_round(round: str) -> None:
    """A round that is not an ISO date is refused."""
    with pytest.raises(ValueError):
        draft_name(key("Ann", round=round))


def test_names_do_not_depend_on_the_other_drafts() -> None:
    """Each draft's name is its own: the same whatever else the run holds and in whatever order."""
    items = [
        key("Zoë Müller", email="zoe@example.org"),
        key("Zoe Muller", email="zoe.m@example.com"),
        key("王芳"),
        key("王方"),
        key("Ann Lee", kind="keep-in-touch", round="2026-11-25"),
        key("Ann Lee", kind="keep-in-touch", round="2027-02-23"),
        key("Ann Lee", ext="txt"),
    ]
    names = assign_names(items)
    assert names == [draft_name(item) for item in items]
    assert len(set(names)) == len(names)
    for i, item in enumerate(items):
        assert assign_names([item]) == [names[i]]
    assert assign_names(list(reversed(items))) == list(reversed(names))


def test_the_same_person_twice_gets_numbered_files() -> None:
    """Rows alike in every part (the same person twice) still get one file each: -2, -3 after the first."""
    same = key("Ann Lee", email="ann@example.com")
    other = key("Bob", email="bob@example.com")
    names = assign_names([same, other, same, same])
    stem = draft_name(same).removesuffix(".eml")
    assert names == [f"{stem}.eml", draft_name(other), f"{stem}-2.eml", f"{stem}-3.eml"]
    assert all(NAME.match(name) for name in names)


def test_inside_accepts_plain_name(tmp_path: Path) -> None:
    """A plain file name resolves directly inside the folder."""
    assert inside(tmp_path, "outreach-ann-lee.eml") == tmp_path.resolve() / "outreach-ann-lee.eml"


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..", ".", "", "/abs/path", "C:\\Windows\\x", "C:x", "a\\b", "a/b", "sub/../x.eml",
     "a\x00b", "CON", "nul.txt", "x.eml:stream", "x.eml.", " x.eml", ".hidden"],
)
def test_inside_refuses_escapes(tmp_path: Path, name: str) -> None:
    """Separators, dot names, absolute paths, drives, NUL, device names and odd ends are refused."""
    with pytest.raises(UsageError, match="refusing to write") as info:
        inside(tmp_path, name)
    assert info.value.path == str(tmp_path)


def test_inside_refuses_symlink_out(tmp_path: Path) -> None:
    """A name that is a symbolic link to a file outside the folder is refused."""
    out, folder = tmp_path / "outside.eml", tmp_path / "drafts"
    out.write_text("x")
    folder.mkdir()
    (folder / "outreach-ann.eml").symlink_to(out)
    with pytest.raises(UsageError, match="resolves outside"):
        inside(folder, "outreach-ann.eml")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.text(max_size=30), contact=st.text(max_size=200), email=st.text(max_size=60),
       round=st.one_of(st.just(""), st.dates().map(dt.date.isoformat)))
def test_any_name_is_plain_and_inside(tmp_path: Path, kind: str, contact: str, email: str, round: str) -> None:
    """For any text the draft name is plain and lands directly in the folder."""
    name = draft_name(key(contact, kind=kind, email=email, company=contact, round=round))
    assert NAME.match(name)
    assert inside(tmp_path, name).parent == tmp_path.resolve()


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.builds(DraftKey, st.sampled_from(["outreach", "follow-up"]),
                  st.sampled_from(["Ann Lee", "ann lee", "Zoë", "Zoe", "", "山田", "山由"]),
                  st.sampled_from(["", "ann@example.com"]), st.sampled_from(["", "Acme"]),
                  st.sampled_from(["", "2026-11-25"]), st.sampled_from(["eml", "txt"])),
        max_size=12,
    ),
    data=st.data(),
)
def test_assigned_names_unique_and_order_free(items: list[DraftKey], data: st.DataObject) -> None:
    """Assigned names are unique and plain; a draft for someone planned once is named for itself alone, in any order."""
    names = assign_names(items)
    assert len(set(names)) == len(names)
    assert all(NAME.match(name) for name in names)
    own = [draft_name(item) for item in items]
    for name, mine in zip(names, own, strict=True):
        if own.count(mine) == 1:
            assert name == mine
    shuffled = data.draw(st.permutations(list(range(len(items)))))
    again = assign_names([items[i] for i in shuffled])
    assert sorted(zip(items, names, strict=True)) == sorted(zip([items[i] for i in shuffled], again, strict=True))


def test_output_folder_places_names_directly_inside(tmp_path: Path) -> None:
    """A folder listed once gives paths directly inside it, and refuses what inside() refuses."""
    (tmp_path / "Outreach-Ann.eml").write_text("x")
    folder = OutputFolder(tmp_path)
    assert folder.has("outreach-ann.eml") and not folder.has("follow-up-ann.eml")
    assert Path(folder.path("follow-up-ann.eml")) == tmp_path.resolve() / "follow-up-ann.eml"
    for bad in ("../x.eml", "a/b.eml", "CON", "x.eml:stream", ""):
        with pytest.raises(UsageError, match="refusing to write"):
            folder.path(bad)


def test_output_folder_refuses_a_planted_link(tmp_path: Path) -> None:
    """A name that is a symbolic link out of the folder when it is listed is refused, like inside()."""
    outside, folder = tmp_path / "outside.eml", tmp_path / "drafts"
    outside.write_text("x")
    folder.mkdir()
    (folder / "outreach-ann.eml").symlink_to(outside)
    with pytest.raises(UsageError, match="resolves outside"):
        OutputFolder(folder).path("outreach-ann.eml")
