"""Drafts as .eml bytes: exact headers, encodings, line endings, and no header injection."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.header
import email.policy
from email.message import EmailMessage
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.errors import SheetkitError
from sheetkit.mail import (
    MESSAGE_POLICY,
    WIRE_POLICY,
    UnsafeHeader,
    base64_length,
    build_draft,
    draft_parts,
    encoded_words,
    header_safe,
    make_message_id,
)

WHEN = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
MSG_ID = make_message_id("outreach", "12", "Ann Lee")
HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "Content-Type",
           "Content-Transfer-Encoding", "MIME-Version"]
INJECTION = "Ann\r\nBcc: evil@example.com"
ENCODED_INJECTION = "=?utf-8?q?Ann=0D=0ABcc:_evil@example.com?="  # CPython issue 121650


def draft_args(**changes: Any) -> dict[str, Any]:
    """build_draft's arguments: sensible defaults with ``changes`` applied."""
    args: dict[str, Any] = {
        "sender_name": "Sam Seeker",
        "sender_email": "sam@example.org",
        "to_name": "Ann Lee",
        "to_email": "ann@example.com",
        "subject": "Fifteen minutes of your time?",
        "body": "Dear Ms. Lee,\n\nCould we talk?\n\nSam\n",
        "date": WHEN,
        "message_id": MSG_ID,
    }
    args.update(changes)
    return args


def draft(**changes: Any) -> bytes:
    """A draft from sensible defaults with ``changes`` applied."""
    return build_draft(**draft_args(**changes))


def generated(**changes: Any) -> bytes:
    """The same draft written by the email package's own generator, the reference for build_draft."""
    headers, payload = draft_parts(**draft_args(**changes))
    msg = EmailMessage(policy=MESSAGE_POLICY)
    for header in headers:
        msg[header.name] = header
    msg.set_payload(payload)
    return msg.as_bytes(policy=WIRE_POLICY)


def parse(data: bytes) -> EmailMessage:
    """The draft read back with the default policy."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_exact_header_set_and_values() -> None:
    """A draft has exactly the intended headers, in order, with the intended values."""
    msg = parse(draft())
    assert msg.keys() == HEADERS
    assert str(msg["From"]) == "Sam Seeker <sam@example.org>"
    assert str(msg["To"]) == "Ann Lee <ann@example.com>"
    assert msg["Subject"] == "Fifteen minutes of your time?"
    assert msg["Date"].datetime == WHEN
    assert msg["Message-ID"] == MSG_ID
    assert msg["X-Unsent"] == "1"
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg["Content-Transfer-Encoding"] == "7bit"
    assert not msg.defects


def test_body_round_trips() -> None:
    """The body reads back as written, apart from CRLF line ends."""
    content = parse(draft()).get_content()
    assert content.replace("\r\n", "\n") == "Dear Ms. Lee,\n\nCould we talk?\n\nSam\n"


def test_crlf_ascii_and_short_lines() -> None:
    """Every line ends in CRLF, the file is ASCII and no line is longer than 78 characters."""
    data = draft(
        to_name="山田太郎",
        subject="Zoë " * 40,
        body="Grüße aus München, " * 20 + "\n" + "x" * 300 + "\n",
    )
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


@pytest.mark.parametrize(
    ("body", "cte"),
    [
        ("Short ASCII lines.\n", "7bit"),
        ("Liebe Zoë, vielen Dank für das Gespräch.\n", "quoted-printable"),
        ("山田太郎様、ありがとうございました。\n" * 5, "base64"),
        ("x" * 200 + "\n", "quoted-printable"),
    ],
)
def test_body_encoding_chosen_by_policy(body: str, cte: str) -> None:
    """ASCII bodies stay 7bit; non-ASCII or long lines become quoted-printable or base64 and decode back."""
    msg = parse(draft(body=body))
    assert msg["Content-Transfer-Encoding"] == cte
    assert msg.get_content().replace("\r\n", "\n") == body


@pytest.mark.parametrize("name", ["Zoë Müller", "José Álvarez", "山田太郎"])
def test_non_ascii_names_round_trip(name: str) -> None:
    """Non-ASCII display names are RFC 2047 encoded in the file and decode back exactly."""
    data = draft(sender_name=name, to_name=name)
    raw_headers = data.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in raw_headers
    msg = parse(data)
    for header, addr in (("From", "sam@example.org"), ("To", "ann@example.com")):
        (address,) = msg[header].addresses
        assert (address.display_name, address.addr_spec) == (name, addr)


@pytest.mark.parametrize(
    "subject",
    [
        "Zoë Müller — fifteen minutes?",
        "山田太郎様",
        "Zoë  Müller   keeps   its   runs   of   spaces, and is long enough to be folded 山田太郎",
        # The policy's own folder would read this back with "chars  山田太郎" (two spaces).
        "Zoë Müller double spaces and a very long subject that must be folded because it is longer than"
        " seventy eight chars 山田太郎",
        "An ASCII subject that is much too long to fit on one line of seventy-eight characters, so it folds",
        # The policy's own folder would put this word on a line of its own and read back a leading space.
        "x" * 75,
        "  Leading and trailing spaces are dropped  ",
    ],
)
def test_subject_round_trips_exactly(subject: str) -> None:
    """Subjects, non-ASCII and long ones included, read back exactly (stripped) with short lines."""
    data = draft(subject=subject)
    assert parse(data)["Subject"] == subject.strip()
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


@pytest.mark.parametrize("name", ['Lee, Ann', 'Ann "Annie" Lee', "O'Brien", "Ann <evil@example.com>", "a\\b (PhD)"])
def test_ascii_specials_in_names_stay_one_address(name: str) -> None:
    """Commas, quotes, brackets and parentheses in a name are quoted: one To address, name intact."""
    (address,) = parse(draft(to_name=name))["To"].addresses
    assert (address.display_name, address.addr_spec) == (name, "ann@example.com")


def test_name_white_space_collapsed() -> None:
    """Runs of white space inside a display name become one space."""
    (address,) = parse(draft(to_name="Ann   Lee"))["To"].addresses
    assert address.display_name == "Ann Lee"


def test_no_from_without_sender_email() -> None:
    """Without a sender email the draft has no From header, name or not."""
    for sender_email in (None, "", "   "):
        msg = parse(draft(sender_email=sender_email))
        assert "From" not in msg
        assert msg.keys() == [h for h in HEADERS if h != "From"]


def test_no_to_without_recipient_email() -> None:
    """A contact without an email gets a draft with no To header, for the user to address."""
    for empty in (None, "", "  "):
        msg = parse(draft(to_email=empty))
        assert "To" not in msg
        assert msg["X-Unsent"] == "1"


def test_no_names_gives_bare_addresses() -> None:
    """Without names, From and To are the bare addresses."""
    msg = parse(draft(sender_name=None, to_name=None))
    assert str(msg["From"]) == "sam@example.org"
    assert str(msg["To"]) == "ann@example.com"


def test_non_ascii_domain_idna_encoded() -> None:
    """A non-ASCII domain is written as its IDNA A-label and reads back so."""
    data = draft(to_email="ann@münchen.de")
    (address,) = parse(data)["To"].addresses
    assert address.addr_spec == "ann@xn--mnchen-3ya.de"
    assert data.isascii()


def test_non_ascii_local_part_refused() -> None:
    """A non-ASCII local part is refused with a message naming the value and the reason."""
    with pytest.raises(UnsafeHeader, match=r"To email 'zoë@example.com' has non-ASCII characters before the @"):
        draft(to_email="zoë@example.com")


# Never carried in any header: controls other than white space, DEL, C1, bidi overrides and isolates, surrogates.
INVISIBLE = ["Ann\x00Lee", "Ann\x1bLee", "Ann\x7fLee", "Ann\x9bLee", "Ann\u202eeeL", "Ann\u2067x", "Ann\ud800x"]
# White space that breaks a line or moves the cursor: one space in a name, refused elsewhere.
BREAKS = [INJECTION, "Ann\nBcc: evil@example.com", "Ann\rBcc: evil@example.com", "Ann\x85Bcc: evil@example.com",
          "Ann\u2028Bcc: evil@example.com", "Ann\u2029x", "Ann\tLee", "Ann\x0bLee", "Ann\x1cLee"]


@pytest.mark.parametrize("field", ["sender_name", "to_name", "subject", "sender_email", "to_email"])
@pytest.mark.parametrize("bad", INVISIBLE)
def test_invisible_controls_refused(field: str, bad: str) -> None:
    """Controls other than white space, bidi overrides and surrogates are refused in every header value."""
    with pytest.raises(UnsafeHeader, match="contains the control character U"):
        draft(**{field: bad})


@pytest.mark.parametrize("field", ["subject", "sender_email", "to_email"])
@pytest.mark.parametrize("bad", BREAKS)
def test_line_breaks_refused_outside_names(field: str, bad: str) -> None:
    """A line break or tab inside a subject or an address is refused."""
    with pytest.raises(UnsafeHeader):
        draft(**{field: bad})


@pytest.mark.parametrize(("field", "header"), [("sender_name", "From"), ("to_name", "To")])
@pytest.mark.parametrize("name", BREAKS)
def test_line_breaks_in_names_are_one_space(field: str, header: str, name: str) -> None:
    """A line break or tab in a name (Alt+Enter in a cell) is one space: one address, no header smuggled in."""
    msg = parse(draft(**{field: name}))
    assert msg.keys() == HEADERS
    (address,) = msg[header].addresses
    assert address.display_name == " ".join(name.split())
    assert "\n" not in address.display_name and "\t" not in address.display_name


@pytest.mark.parametrize("field", ["sender_name", "to_name", "subject"])
def test_encoded_word_text_is_written_encoded_and_reads_back_as_typed(field: str) -> None:
    """Text that looks like an encoded word is itself encoded: it reads back as typed and adds no header."""
    data = draft(**{field: ENCODED_INJECTION})
    assert ENCODED_INJECTION.encode() not in data
    msg = parse(data)
    assert msg.keys() == HEADERS
    shown = {"sender_name": lambda: msg["From"].addresses[0].display_name,
             "to_name": lambda: msg["To"].addresses[0].display_name, "subject": lambda: msg["Subject"]}[field]()
    assert shown == ENCODED_INJECTION


@pytest.mark.parametrize(
    "bad",
    ["a@example.com, b@example.com", "a@example.com; b@example.com", "a@example.com b@example.com",
     "a@@example.com", "a@b@example.com", "Ann <a@example.com>", "ann", "ann@", "@example.com",
     "a(comment)@example.com", "a@example.com>"],
)
def test_bad_addresses_refused(bad: str) -> None:
    """Anything but exactly one plain address is refused, never turned into several recipients."""
    with pytest.raises(UnsafeHeader, match="To email"):
        draft(to_email=bad)


def test_over_long_names_refused_long_subjects_folded() -> None:
    """A name over 500 characters is refused, 500 accepted; a subject of any length is folded and reads back."""
    assert parse(draft(to_name="a" * 500))["To"].addresses[0].display_name == "a" * 500
    with pytest.raises(UnsafeHeader, match="is 501 characters long, more than the 500"):
        draft(sender_name="a" * 501)
    subject = "word " * 1000 + "Zoë"
    data = draft(subject=subject)
    assert parse(data)["Subject"] == subject
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_bad_message_id_refused() -> None:
    """A Message-ID not of the form <id@domain> is refused."""
    for bad in ("abc@example.com", "<a b@example.com>", "<>", "<a@b> <c@d>"):
        with pytest.raises(UnsafeHeader, match="Message-ID"):
            draft(message_id=bad)


def test_lone_surrogate_in_body_refused() -> None:
    """A body that cannot be UTF-8 is refused per draft instead of crashing."""
    with pytest.raises(UnsafeHeader, match="body"):
        draft(body="bad \ud800 text")


def test_naive_date_written_with_unknown_zone() -> None:
    """A naive date is written with -0000."""
    assert parse(draft(date=dt.datetime(2026, 11, 25, 9, 30)))["Date"] == "Wed, 25 Nov 2026 09:30:00 -0000"


def test_header_safe_strips_and_reports() -> None:
    """header_safe strips surrounding white space and names the value in its message."""
    assert header_safe("  Ann Lee \r\n", "To name") == "Ann Lee"
    with pytest.raises(UnsafeHeader, match=r"^Subject 'a\\r\\nb' contains the control character U\+000D$"):
        header_safe("a\r\nb", "Subject")


def test_unsafe_header_is_a_sheetkit_error_and_a_value_error() -> None:
    """UnsafeHeader belongs to sheetkit's one exception family, and is still a ValueError for callers."""
    assert issubclass(UnsafeHeader, ValueError)
    assert issubclass(UnsafeHeader, SheetkitError)


def test_message_id_stable_and_distinct() -> None:
    """Message-IDs are the same for the same parts and differ otherwise, even where joining would not."""
    assert make_message_id("outreach", "12", "Ann") == make_message_id("outreach", "12", "Ann")
    assert make_message_id("ab", "c") != make_message_id("a", "bc")
    assert make_message_id("a", domain="example.com").endswith("@example.com>")
    assert make_message_id("x").startswith("<") and len(make_message_id("x")) == len("<@sheetkit.invalid>") + 32
    with pytest.raises(ValueError):
        make_message_id("x", domain="evil>\r\nBcc: x")


@settings(max_examples=300, deadline=None)
@given(sender_name=st.text(max_size=120), to_name=st.text(max_size=120), subject=st.text(max_size=300))
def test_any_text_is_refused_or_safe(sender_name: str, to_name: str, subject: str) -> None:
    """Any names and subject either raise UnsafeHeader or give one From, one To, no Bcc/Cc and the same subject."""
    try:
        data = draft(sender_name=sender_name, to_name=to_name, subject=subject)
    except UnsafeHeader:
        return
    msg = parse(data)
    assert msg.keys() == HEADERS
    assert [a.addr_spec for a in msg["To"].addresses] == ["ann@example.com"]
    assert [a.addr_spec for a in msg["From"].addresses] == ["sam@example.org"]
    assert msg["Subject"] == subject.strip()
    assert data.isascii()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


@settings(max_examples=300, deadline=None)
@given(
    sender_name=st.text(max_size=80),
    to_name=st.text(max_size=80),
    to_email=st.sampled_from([None, "", "ann@example.com", "ann@bücher.example"]),
    subject=st.text(min_size=1, max_size=200),
    body=st.text(max_size=400),
)
def test_bytes_equal_the_email_packages_generator(
    sender_name: str, to_name: str, to_email: str | None, subject: str, body: str
) -> None:
    """build_draft writes byte for byte what EmailMessage's generator writes for the same headers and body."""
    changes = {"sender_name": sender_name, "to_name": to_name, "to_email": to_email, "subject": subject,
               "body": body}
    try:
        expected = generated(**changes)
    except UnsafeHeader:
        with pytest.raises(UnsafeHeader):
            draft(**changes)
        return
    assert draft(**changes) == expected


@pytest.mark.parametrize("body", ["", "\n", "a\r\nb\rc\n", "x" * 200, "é" * 50 + "\n" * 3, "\u2603\n" * 40])
def test_bytes_equal_generator_for_edge_bodies(body: str) -> None:
    """Empty, bare-CR, over-long and non-ASCII bodies come out as the generator writes them."""
    assert draft(body=body) == generated(body=body)


@given(text=st.one_of(st.text(max_size=300), st.text(alphabet=st.characters(max_codepoint=127), max_size=300)))
def test_encoded_words_read_back_exactly(text: str) -> None:
    """Encoded words, ASCII or not, decode back to the text and none is over 68 columns."""
    words = encoded_words(text)
    assert max(len(word) for word in words) <= 68
    decoded = email.header.decode_header(" ".join(words))
    assert b"".join(part for part, _ in decoded).decode("utf-8") == text


def test_base64_length_is_exact() -> None:
    """The base64 length used to choose an encoding is what encodebytes writes, for every size."""
    assert [base64_length(n) for n in range(400)] == [len(base64.encodebytes(bytes(n))) for n in range(400)]


def test_message_id_is_the_same_as_in_earlier_releases() -> None:
    """The derivation is pinned: changing it would rewrite every user's unedited drafts on the next run."""
    assert make_message_id("outreach", "Zoë Müller", "zoe@example.org", "2026-11-25") == (
        "<e3924647bd539b8fcfe84401d632345f@sheetkit.invalid>"
    )


def test_date_written_in_the_offset_given() -> None:
    """The same instant given at +01:00 and then in UTC is written each time in its own offset."""
    here = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    utc = here.astimezone(dt.UTC)
    assert b"Date: Wed, 25 Nov 2026 09:30:00 +0100\r\n" in draft(date=here)
    assert b"Date: Wed, 25 Nov 2026 08:30:00 +0000\r\n" in draft(date=utc)
    assert draft(date=utc) == generated(date=utc)
