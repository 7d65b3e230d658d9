"""Where the first sentence of a note ends: abbreviations, initials, initialisms and decimals are not ends."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetkit.sentences import first_sentence

# Notes of the kind people type into Common Ground, Why Them, Key Takeaways and Answers.
# Each is (text, its first sentence); a text that is one sentence comes back whole.
KEEP_WHOLE = [
    "We both studied at St. Olaf College and taught in Minnesota.",
    "You led the U.S. launch of the patient portal.",
    "Lead with two case studies, e.g. the survey redesign.",
    "Show your research first, i.e. the classroom study.",
    "Dr. Raman supervised my project in 2019.",
    "Mr. Lee and Mrs. Lee run the studio with Ms. Park.",
    "Prof. Kim taught us both at Tufts.",
    "Prof. Dr. Ana Ruiz leads the lab.",
    "We compared Smith vs. Jones in class.",
    "Roe v. Wade came up in the seminar.",
    "J. R. R. Tolkien was her favourite author too.",
    "J.R.R. Tolkien was her favourite author too.",
    "P. Raman recommended you to me.",
    "Her team grew 3.5 times in two years.",
    "The grant was $2.5 million over three years.",
    "I wasn't sure... but then the data convinced me.",
    "I wasn't sure… but then the data convinced me.",
    "Budgets, hiring, etc. are all on her plate.",
    "Acme Ltd. hires career changers every spring.",
    "She works at Acme Inc. since the merger.",
    "See No. 5 on the reading list she sent.",
    "We met on Jan. 5 at the Boston meetup.",
    "We started in Sept. 2019 together.",
    "The call is at 9 a.m. on Tuesday.",
    "She has a Ph.D. in cognitive science.",
    "He served in the U.S. Army before moving into research.",
    "We hiked Mt. Hood with the alumni club.",
    "She moved from Ft. Worth last year.",
    "The building dates from ca. 1990.",
    "Approx. forty people came to her talk.",
    "Martin Luther King Jr. was the subject of her thesis.",
    "Read vol. 2 of the handbook first.",
    "We both sang in the St. John's choir (cf. the alumni page).",
]
SPLIT = [
    ("We both studied at St. Olaf College. Then we taught together.", "We both studied at St. Olaf College."),
    ("You led the U.S. launch. It went well.", "You led the U.S. launch."),
    ("Lead with two case studies, e.g. surveys. Then add more.", "Lead with two case studies, e.g. surveys."),
    ("Budgets, hiring, etc. Then she showed me the lab.", "Budgets, hiring, etc."),
    ("She studied in the U.K. Then she moved to Boston.", "She studied in the U.K."),
    ("I work at Acme Inc. Our team is small.", "I work at Acme Inc."),
    ("We spoke at 9 a.m. She was between meetings.", "We spoke at 9 a.m."),
    ("I met Jan. She was kind.", "I met Jan."),
    ("I said no. Then she laughed.", "I said no."),
    ("It costs $3.50. That surprised me.", "It costs $3.50."),
    ("Her team shipped v2.0. Then they rested.", "Her team shipped v2.0."),
    ("She is an M.D. and a Ph.D. She teaches too.", "She is an M.D. and a Ph.D."),
    ('She said "Go for it." Then she smiled.', 'She said "Go for it."'),
    ("Lead with research (e.g. surveys). Then the rest.", "Lead with research (e.g. surveys)."),
    ("Why UX? Because I like people.", "Why UX?"),
    ("Wow!! That was a great talk.", "Wow!!"),
    ("I wasn't sure… Then I read her paper.", "I wasn't sure…"),
    ("Plan B. It worked.", "Plan B."),
    ("He works at Amazon.com. He likes it.", "He works at Amazon.com."),
    ("met at lincoln. she runs ux now.", "met at lincoln."),
    ("Show your work. Then more.", "Show your work."),
    ("We met in 2019. Then again in 2021.", "We met in 2019."),
    ("We met.\u00a0Then again.", "We met."),
]


@pytest.mark.parametrize("text", KEEP_WHOLE)
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(text: str) -> None:
    """A note of one sentence comes back whole, whatever abbreviations it holds."""
    assert first_sentence(text) == text
    assert first_sentence(text + " And another one.") == text


@pytest.mark.parametrize(("text", "first"), SPLIT)
def test_sentence_ends_are_found(text: str, first: str) -> None:
    """A full stop, question or exclamation mark after a word, initialism or figure ends the sentence."""
    assert first_sentence(text) == first


@pytest.mark.parametrize("text", ["", "Dr.", "Dr. Raman", "A note with no full stop", "Ends with a stop."])
def test_short_and_unfinished_texts_come_back_whole(text: str) -> None:
    """Nothing after the last stop means one sentence, abbreviation or not."""
    assert first_sentence(text) == text


def test_long_text_is_read_in_linear_time() -> None:
    """A cell-sized note of stops and abbreviations is split in well under a second."""
    texts = ["x" * 30_000 + ". " + "y" * 30_000, "Dr. " * 8_000 + "end", "a." * 15_000 + " b"]
    started = time.perf_counter()
    assert [len(first_sentence(t)) for t in texts] == [30_001, len(texts[1]), len(texts[2])]
    assert time.perf_counter() - started < 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ.?!… \u00a0\"')(3JSt.e.g.U.S.")), max_size=60))
def test_the_first_sentence_is_the_text_up_to_a_space(text: str) -> None:
    """Whatever the text, the first sentence is the whole of it or a prefix that stops right before a space."""
    first = first_sentence(text)
    assert text.startswith(first)
    assert first == text or (first and text[len(first)].isspace() and first[-1] in ".?!…\"')")
