"""Draft file names: slugs, stable collision handling, and never a path outside the folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetkit.errors import UsageError
from sheetkit.paths import OutputFolder, assign_names, draft_name, inside, slug

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
        ("山田太郎", "contact"),
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


def test_draft_name() -> None:
    """A draft is named kind-contact.ext, with -row<N> only when asked."""
    assert draft_name("outreach", "Ann Lee", 12, "eml") == "outreach-ann-lee.eml"
    assert draft_name("thank-you", "Zoë Müller", 7, "txt", with_row=True) == "thank-you-zoe-muller-row7.txt"
    assert draft_name("outreach", "", 3, "md") == "outreach-contact.md"


@pytest.mark.parametrize("ext", [".eml", "EML", "e/ml", "", "tar.gz"])
def test_draft_name_bad_extension(ext: str) -> None:
    """An extension that is not lower-case letters is refused."""
    with pytest.raises(ValueError):
        draft_name("outreach", "Ann", 2, ext)


def test_collisions_get_distinct_stable_names() -> None:
    """Contacts that slug alike: the lowest row keeps the plain name, the others get -row<N>, in any order."""
    items = [
        ("outreach", "Ann Lee", 12, "eml"),
        ("outreach", "Ann  Lée", 5, "eml"),
        ("outreach", "Bob", 7, "eml"),
        ("follow-up", "Ann Lee", 12, "eml"),
        ("outreach", "Ann Lee", 30, "txt"),
    ]
    expected = [
        "outreach-ann-lee-row12.eml",
        "outreach-ann-lee.eml",
        "outreach-bob.eml",
        "follow-up-ann-lee.eml",
        "outreach-ann-lee.txt",
    ]
    assert assign_names(items) == expected
    assert assign_names(list(reversed(items))) == list(reversed(expected))


def test_second_clashes_resolved() -> None:
    """A contact literally named like a -row name, and a draft planned twice, still get distinct names."""
    items = [
        ("outreach", "Ann Lee Row12", 3, "eml"),
        ("outreach", "Ann Lee", 12, "eml"),
        ("outreach", "Ann Lee", 2, "eml"),
        ("outreach", "Ann Lee", 2, "eml"),
    ]
    names = assign_names(items)
    assert len(set(names)) == len(names)
    assert names[0] == "outreach-ann-lee-row12.eml"
    assert names[2] == "outreach-ann-lee.eml"
    assert all(NAME.match(name) for name in names)
    assert sorted(assign_names(list(reversed(items)))) == sorted(names)


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
@given(kind=st.text(max_size=30), contact=st.text(max_size=200), row=st.integers(2, 1_048_576))
def test_any_name_is_plain_and_inside(tmp_path: Path, kind: str, contact: str, row: int) -> None:
    """For any text the draft name is plain and lands directly in the folder."""
    for with_row in (False, True):
        name = draft_name(kind, contact, row, "eml", with_row=with_row)
        assert NAME.match(name)
        assert inside(tmp_path, name).parent == tmp_path.resolve()


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(["outreach", "follow-up"]), st.sampled_from(["Ann Lee", "ann lee", "Ann Lee Row3",
                   "Zoë", "Zoe", "", "山田"]), st.integers(2, 6), st.sampled_from(["eml", "txt"])),
        max_size=12,
    ),
    data=st.data(),
)
def test_assigned_names_unique_and_order_free(items: list[tuple[str, str, int, str]], data: st.DataObject) -> None:
    """Assigned names are unique, plain, and each distinct draft gets the same name in any order."""
    names = assign_names(items)
    assert len(set(names)) == len(names)
    assert all(NAME.match(name) for name in names)
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
