"""Property-based tests (hypothesis): the parsers and extractors never raise on arbitrary input,
and every offset they return lies inside the text and slices back to what they report."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import numbers, text
from pipelines.ingest import read_records

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Words that reach the extractors' triggers, so arbitrary text also exercises the rule paths.
_NEWS = st.sampled_from([
    "Russian", "missiles", "struck", "Kharkiv", "on", "Monday,", "killing", "12", "people", "at least", "dozens",
    "the", "Pentagon", "said.", "Israeli", "air strike", "killed", "commander", "Hamas", "visited", "Cairo",
    "Foreign Minister", "Wang Yi", "arrived in", "sold", "$1.2bn", "F-16", "jets", "to", "Poland", "approved",
    "\"We", "will", "respond,\"", "he", "said", "MOSCOW (Reuters) -", "\n\n", ",", ".", "(", ")", "-", "Ms.", "U.S.",
    "likely", "denied", "declined to confirm", "last week", "in March", "2024", "\u00a0", "\u200b", "é", "\ud7ff",
])
NEWSY = st.lists(st.one_of(_NEWS, st.text(max_size=8)), max_size=60).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=400), NEWSY)


@FAST
@given(ANY_TEXT)
def test_sentences_slice_back_and_cover_the_text_in_order(s: str):
    norm = text.normalise_text(s)
    last = 0
    for sent in text.split_sentences(norm):
        assert 0 <= sent.start <= sent.end <= len(norm)
        assert norm[sent.start:sent.end] == sent.text
        assert sent.start >= last
        last = sent.end


@FAST
@given(ANY_TEXT)
def test_counts_slice_back(s: str):
    for c in numbers.find_counts(s):
        assert 0 <= c.start <= c.end <= len(s) and s[c.start:c.end] == c.text
        assert c.low is None or c.high is None or c.low <= c.high


@FAST
@given(st.text(max_size=300))
def test_timestamps_and_language_never_raise(s: str):
    ts = text.parse_timestamp(s)
    assert ts is None or ts.tzinfo is not None
    code, score = text.detect_language(s)
    assert isinstance(code, str) and 0.0 <= score <= 1.0


@pytest.mark.parametrize("suffix", [".txt", ".html", ".json", ".jsonl", ".xml", ".warc", ".warc.gz"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000), NEWSY.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_every_reader_turns_any_bytes_into_records_or_rejects(tmp_path: Path, suffix: str, data: bytes):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    from pipelines.ingest import RawRecord, Reject

    out = list(read_records(path))
    assert out, "a file always yields at least one record or reject"
    assert all(isinstance(r, (RawRecord, Reject)) for r in out)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(ANY_TEXT, st.one_of(st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1),
                                                    timezones=st.just(timezone.utc))))
def test_the_extractor_never_raises_and_every_offset_slices_its_evidence(s: str, published):
    from pipelines.extract import extract_articles

    body = text.normalise_text(s)
    out = extract_articles([{"article_id": "p", "batch_id": "b", "text": body, "published_at": published}])
    for table, rows in out.items():
        for r in rows:
            assert 0 <= r["evidence_start"] <= r["evidence_end"] <= len(body), table
            assert body[r["evidence_start"]:r["evidence_end"]] == r["evidence"], table
            if table == "quotes":
                assert r["evidence_start"] <= r["quote_start"] <= r["quote_end"] <= r["evidence_end"]
            for field in ("country", "attacker_country", "destination_country", "buyer_country", "seller_country"):
                v = r.get(field)
                assert v is None or (len(v) == 3 and v.isupper()), (table, field, v)
