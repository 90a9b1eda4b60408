"""Text: normalisation, boilerplate, datelines, timestamps, languages, sentences."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import text as T


def test_normalise_basics() -> None:
    raw = "  Line\tone  \r\n\r\n\r\nLine\u00a0two\x00\u200b\rcafe\u0301\ufeff\n\u2028next\x85last"
    out = T.normalise_text(raw)
    assert out == "Line one\n\nLine two\n\ncafé\n\nnext\n\nlast"
    assert unicodedata.is_normalized("NFC", out)


def test_normalise_is_nfc_after_removing_controls() -> None:
    out = T.normalise_text("e\x00\u0301 and \ud800lone surrogate \u202eoverride")
    assert out == "é and lone surrogate override"
    assert not _surrogates(out)


def _surrogates(s: str) -> list[str]:
    return [c for c in s if 0xD800 <= ord(c) <= 0xDFFF]


def test_normalise_idempotent() -> None:
    raw = "Title\n\nShare this article\nBy Jane Doe\nThe army said.\n\n\nIt left."
    once = T.normalise_text(raw)
    assert T.normalise_text(once) == once


BOILERPLATE = [
    "Share", "Share this article", "Share on Facebook", "Tweet", "Email", "Print this page",
    "Subscribe", "Subscribe to our newsletter", "Sign up for our daily briefing", "Follow us on Twitter",
    "Comments", "View comments (12)", "12 comments", "Leave a comment", "Advertisement", "Sponsored content",
    "Read more: Ships held at port", "See also", "Related", "Related stories", "Related: Ships held",
    "Click here to subscribe", "Copyright 2024 Wirewire. All rights reserved.", "© 2024 Example News",
    "All rights reserved.", "Reporting by Jane Doe; Editing by John Roe", "(Reporting by Jane Doe in Kyiv)",
    "Photo: Jane Doe/Getty Images", "Photograph: AFP", "Updated 3 March 2024", "Published: March 3, 2024",
    "5 min read", "Listen to this article", "By Jane Doe", "By JANE DOE | Wirewire", "BY JANE DOE",
    "By Jane Doe and John Roe, Staff Reporters", "By Jean de la Fontaine",
]
PROSE = [
    "By Thursday, the talks had collapsed.",
    "By Thursday the talks had collapsed",
    "By Thursday Russian Forces Withdrew",
    "By March the army had withdrawn from the city",
    "By the end of the week, 40 people had been evacuated",
    "Register of voters was updated on Monday, officials said.",
    "Related attacks have killed 30 people this year.",
    "Copyright lawsuits against the company were dismissed on Monday.",
    "Reporting by local media suggested that 12 people were killed.",
    "Photo evidence shown to reporters suggested the people were trapped.",
    "Share prices fell sharply on Monday.",
    "Comments by the minister angered the opposition.",
    "Subscribers to the service lost access on Monday.",
    "Advertisement revenue fell by a third, the company said.",
    "He said: \"By Jane Doe\"",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_dropped(line: str) -> None:
    assert T.is_boilerplate(line)
    assert T.normalise_text(f"The army said.\n{line}\nIt left.") == "The army said.\n\nIt left."


@pytest.mark.parametrize("line", PROSE)
def test_prose_kept(line: str) -> None:
    assert not T.is_boilerplate(line)
    assert line in T.normalise_text(f"Intro.\n{line}\nEnd.")


def test_long_line_never_boilerplate() -> None:
    assert not T.is_boilerplate("Share " + "x" * 300)


@pytest.mark.parametrize("text, expected", [
    ("MOSCOW (Reuters) - The ministry said", ("Moscow", "Reuters", None)),
    ("KYIV, Ukraine (AP) — Air raid sirens sounded", ("Kyiv", "AP", None)),
    ("WASHINGTON, March 3, 2024 (Wirewire) - The Senate voted", ("Washington", "Wirewire", "March 3, 2024")),
    ("GENEVA, March 3 — Talks resumed", ("Geneva", None, "March 3")),
    ("BEIRUT - Explosions were heard", ("Beirut", None, None)),
    ("SÃO PAULO (Reuters) - Prices rose", ("São Paulo", "Reuters", None)),
    ("ST. PETERSBURG, Sept. 3, 2024 (Wirewire) — Police said", ("St. Petersburg", "Wirewire", "Sept. 3, 2024")),
])
def test_datelines(text: str, expected: tuple) -> None:
    d = T.find_dateline(text)
    assert d is not None and (d.place, d.agency, d.date_text) == expected
    assert text[d.end:][0].isupper()


@pytest.mark.parametrize("text", [
    "The ministry said on Monday - in a statement - that", "US-led forces said", "A - b", "",
    "Moscow (Reuters) - lower case place", "NATO-led troops - the alliance said",
])
def test_not_datelines(text: str) -> None:
    assert T.find_dateline(text) is None


UTC = timezone.utc


@pytest.mark.parametrize("value, expected", [
    ("2024-03-03T10:00:00Z", datetime(2024, 3, 3, 10, tzinfo=UTC)),
    ("2024-03-03T10:00:00+01:00", datetime(2024, 3, 3, 9, tzinfo=UTC)),
    ("2024-03-03T10:00:00.123456-05:00", datetime(2024, 3, 3, 15, 0, 0, 123456, tzinfo=UTC)),
    ("2024-03-03", datetime(2024, 3, 3, tzinfo=UTC)),
    ("2024-03-03 10:00:00", datetime(2024, 3, 3, 10, tzinfo=UTC)),
    ("Sun, 03 Mar 2024 10:00:00 GMT", datetime(2024, 3, 3, 10, tzinfo=UTC)),
    ("Sun, 03 Mar 2024 10:00:00 +0200", datetime(2024, 3, 3, 8, tzinfo=UTC)),
    ("Sun, 03 Mar 2024 10:00:00 -0000", datetime(2024, 3, 3, 10, tzinfo=UTC)),
    ("03 Mar 2024 10:00 EST", datetime(2024, 3, 3, 15, tzinfo=UTC)),
    (1709460000, datetime(2024, 3, 3, 10, tzinfo=UTC)),
    (1709460000.5, datetime(2024, 3, 3, 10, 0, 0, 500000, tzinfo=UTC)),
    (1709460000000, datetime(2024, 3, 3, 10, tzinfo=UTC)),  # milliseconds
    ("1709460000", datetime(2024, 3, 3, 10, tzinfo=UTC)),
    ("March 3, 2024", datetime(2024, 3, 3, tzinfo=UTC)),
    ("3 March 2024", datetime(2024, 3, 3, tzinfo=UTC)),
    (datetime(2024, 3, 3, 10), datetime(2024, 3, 3, 10, tzinfo=UTC)),
])
def test_timestamps(value, expected) -> None:
    got = T.parse_timestamp(value)
    assert got == expected and got.tzinfo is not None and got.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("value", [
    None, "", "   ", "not a date", "March 3", "2 hours ago", "yesterday", "today", True, False, [], {},
    float("nan"), float("inf"), 10**30, -10**30, "9999-12-31", "1066-10-14", "x" * 100,
    "Sun, 03 Mar 99999 10:00:00 GMT", "2024-13-45", "2024-03-03T10:00:00+25:00",
])
def test_bad_timestamps(value) -> None:
    assert T.parse_timestamp(value) is None


def test_language() -> None:
    assert T.detect_language("The army said on Monday that it had withdrawn its troops from the city.")[0] == "en"
    assert T.detect_language("Le gouvernement a annoncé lundi une nouvelle série de mesures.")[0] == "fr"
    assert T.detect_language("Die Regierung hat am Montag neue Maßnahmen gegen die Inflation angekündigt.")[0] == "de"
    assert T.detect_language("too short") == ("und", 0.0)
    assert T.detect_language("") == ("und", 0.0)


def test_ids() -> None:
    assert T.article_id("The  army\n\nleft.") == T.article_id("the army left.")
    assert T.article_id("The army left.") != T.article_id("The army stayed.")
    assert T.article_id("x") == T.article_id("x") and len(T.article_id("x")) == 21
    assert T.stable_id("r", "b", None, 1) == T.stable_id("r", "b", "", "1")
    assert T.stable_id("r", "a\udce9") != T.stable_id("r", "a")  # undecodable file names hash


def test_split_title() -> None:
    assert T.split_title("# Headline\n\nBody text") == ("Headline", "Body text")
    assert T.split_title("#1 priority\nBody") == ("#1 priority", "Body")
    assert T.split_title("\n\n  Only title  \n\n") == ("Only title", "")
    assert T.split_title("") == (None, "")


SENTENCES = [
    ("Gen. Mark Smith met U.S. officials in Washington. They talked.",
     ["Gen. Mark Smith met U.S. officials in Washington.", "They talked."]),
    ("Mr. John F. Kennedy arrived. Mrs. J. K. Rowling left.",
     ["Mr. John F. Kennedy arrived.", "Mrs. J. K. Rowling left."]),
    ("The talks ended at 10 p.m. The army left. Officials said so.",
     ["The talks ended at 10 p.m.", "The army left.", "Officials said so."]),
    ("He lives at No. 10 Downing Street. He said no. The talks ended.",
     ["He lives at No. 10 Downing Street.", "He said no.", "The talks ended."]),
    ("It works with the U.N. Security Council. Dr. Roe agreed.",
     ["It works with the U.N. Security Council.", "Dr. Roe agreed."]),
    ("\"Why?\" he asked. \"Because.\" She left! Did he? Yes.",
     ["\"Why?\" he asked.", "\"Because.\"", "She left!", "Did he?", "Yes."]),
    ("First paragraph without a period\n\nSecond paragraph.", ["First paragraph without a period", "Second paragraph."]),
    ("Prices rose 3.5 percent in 2024. Élysée officials said so.",
     ["Prices rose 3.5 percent in 2024.", "Élysée officials said so."]),
    ("Acme Corp. said on Monday it would sell. Acme Inc. The firm agreed.",
     ["Acme Corp. said on Monday it would sell.", "Acme Inc.", "The firm agreed."]),
    ("", []),
    ("   \n\n  ", []),
]


@pytest.mark.parametrize("text, expected", SENTENCES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    got = T.split_sentences(text)
    assert [s.text for s in got] == expected
    assert [s.index for s in got] == list(range(len(got)))
    for s in got:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("hostile", ["." * 200_000, "Mr. " * 50_000, "A. " * 50_000, "!?" * 100_000, "\n" * 200_000],
                         ids=["dots", "titles", "initials", "marks", "newlines"])
def test_split_sentences_on_hostile_input(hostile: str) -> None:
    """Degenerate inputs are split and normalised without losing or inventing text. (A quadratic
    splitter would take minutes here; speed is measured in benchmarks/, not asserted in tests.)"""
    sentences = T.split_sentences(hostile)
    for s in sentences:
        assert hostile[s.start:s.end] == s.text
    assert "".join(s.text for s in sentences).replace(" ", "") == hostile.replace(" ", "").replace("\n", "")
    out = T.normalise_text(hostile)
    assert out == hostile.strip()
    assert T.normalise_text(out) == out


ALPHABET = st.sampled_from(list("aZ .!?\n\r\t\"'()[]“”‘’«»-—…0123456789é\u0301\x00\x85\u2028\ufeff\ud800\u00a0")
                           + ["Mr.", "U.S.", "Gen. ", "p.m. ", "No. ", " The ", "By ", "Share\n", "J. "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(ALPHABET, max_size=80).map("".join)))
def test_sentence_offsets_property(text: str) -> None:
    for source in (text, T.normalise_text(text)):
        sentences = T.split_sentences(source)
        last_end = 0
        for i, s in enumerate(sentences):
            assert s.index == i
            assert source[s.start:s.end] == s.text
            assert s.text and s.text == s.text.strip()
            assert s.start >= last_end
            last_end = s.end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_normalise_property(text: str) -> None:
    out = T.normalise_text(text)
    assert unicodedata.is_normalized("NFC", out)
    assert not _surrogates(out)
    assert "\r" not in out and "\x00" not in out and "\n\n\n" not in out
    assert T.normalise_text(out) == out
    aid = T.article_id(out)
    assert isinstance(aid, str) and len(aid) == 21 and aid == T.article_id(out)
    d = T.find_dateline(out)
    assert d is None or (d.place and 0 < d.end <= len(out))
    ts = T.parse_timestamp(text[:70])
    assert ts is None or ts.utcoffset().total_seconds() == 0
