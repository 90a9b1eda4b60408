"""Unit tests of benchmarks/scoring.py: matching, P/R/F1 arithmetic, tolerances, distractors.

All texts here are written for these tests. No model is loaded.
"""

from __future__ import annotations

import pytest

from benchmarks import scoring as S

TEXT = ("Drones hit a depot in Testville on Monday. "
        "The minister Jan Kowal arrived in Sampleton on Tuesday. "
        "Officials said nothing else happened.")
S1 = TEXT.index("Drones")
S1_END = TEXT.index("Monday.") + len("Monday.")
S2 = TEXT.index("The minister")
S2_END = TEXT.index("Tuesday.") + len("Tuesday.")


def pred(table_fields: dict, start: int, end: int) -> dict:
    return {**table_fields, "evidence_start": start, "evidence_end": end, "evidence": TEXT[start:end]}


# --- field rules ---------------------------------------------------------------------------

def test_text_match_is_case_insensitive_and_containment_either_way():
    assert S.text_match("Kharkiv", "kharkiv")
    assert S.text_match("the Kharkiv region", "Kharkiv")
    assert S.text_match("Kharkiv", "Kharkiv region")
    assert not S.text_match("Kharkiv", "Kherson")
    assert not S.text_match("US", "Russia")  # whole words only
    assert not S.text_match(None, "Kharkiv")
    assert S.text_match("Houthis", ["Iran", "Houthis"])  # a gold list means any of
    assert not S.text_match("Houthis", [])


def test_surname_match():
    assert S.surname_match("Antony Blinken", "U.S. Secretary of State Antony Blinken")
    assert S.surname_match("Blinken", "Antony Blinken")
    assert S.surname_match("Ryutaro Hashimoto", ["Japanese Prime Minister Ryutaro Hashimoto"])
    assert not S.surname_match("Antony Blinken", "Sergei Lavrov")


def test_value_usd_within_ten_percent():
    assert S.usd_match(1.09e9, 1.0e9)
    assert S.usd_match(0.91e9, 1.0e9)
    assert not S.usd_match(1.11e9, 1.0e9)
    assert not S.usd_match(None, 1.0e9)
    assert S.usd_match(1.005e9, 1.0e9, rel_tol=0.01)
    assert not S.usd_match(1.02e9, 1.0e9, rel_tol=0.01)


def test_numbers_exact_and_enums_exact():
    assert S.number_match(12, 12)
    assert not S.number_match(12, 13)
    assert not S.number_match(None, 0)
    assert S.number_match(0, 0)
    assert S.enum_match("confirmed", "confirmed")
    assert not S.enum_match("reported", "confirmed")


def test_country_iso3_exact():
    assert S.iso_match("UKR", "UKR")
    assert S.iso_match("ukr", "UKR")
    assert not S.iso_match("RUS", "UKR")
    assert not S.iso_match(None, "UKR")


def test_weapon_coarse_classes():
    assert S.weapon_match("drone", "drone")
    assert S.weapon_match("air", "air_or_drone")
    assert S.weapon_match("drone", "air_or_drone")
    assert S.weapon_match("missile", "artillery_or_missile")
    assert S.weapon_match("artillery", "artillery_or_missile")
    assert not S.weapon_match("drone", "artillery_or_missile")
    assert not S.weapon_match("air", "drone")


def test_quote_overlap_normalises_quotes_and_punctuation():
    assert S.quote_match("We will not give up.", "“We will not give up,”")
    assert S.quote_match("we will  not give up", "We will not give up")
    assert not S.quote_match("We will not give up", "Talks resume next week in a new format")
    assert S.quote_overlap("abcdefghij", "abcdefgh") == pytest.approx(0.8)
    assert S.quote_match("abcdefghij", "abcdefgh")
    assert not S.quote_match("abcdefghij", "abcdefg")


def test_date_match_accepts_date_objects_and_strings():
    import datetime as dt

    assert S.date_match(dt.date(2024, 3, 15), "2024-03-15")
    assert S.date_match("2024-03-15", "2024-03-15")
    assert not S.date_match(dt.date(2024, 3, 14), "2024-03-15")


def test_destination_or_host_matches_either():
    p = {"destination": "Amman", "host": None}
    assert S.field_match("dest_or_host", p, "destination_or_host", ["Amman"])
    p = {"destination": None, "host": "King Abdullah"}
    assert S.field_match("dest_or_host", p, "destination_or_host", ["King Abdullah II"])
    assert not S.field_match("dest_or_host", {"destination": "Cairo"}, "destination_or_host", ["Amman"])


# --- evidence and key matching ------------------------------------------------------------

def test_locate_and_overlap():
    assert S.locate(TEXT, "Drones hit a depot in Testville on Monday.") == (S1, S1_END)
    assert S.locate("a  b\nc", "a b c") == (0, 6)  # whitespace-tolerant
    assert S.locate(TEXT, "not there") is None
    assert S.spans_overlap((0, 10), (9, 20))
    assert not S.spans_overlap((0, 10), (10, 20))
    assert not S.spans_overlap(None, (0, 1))


def test_evidence_overlap_matches_even_without_key_fields():
    gold = {"strikes": [{"evidence": "Drones hit a depot in Testville on Monday.",
                         "country": "UKR", "location": "Testville"}]}
    p = {"strikes": [pred({"country": None, "location": None}, S1, S1_END)]}
    d = S.score_document(TEXT, p, gold)
    assert d.counts["strikes"].matched == 1
    assert d.pairs["strikes"][0][2] == "evidence"


def test_gold_evidence_with_dateline_still_overlaps():
    text = "TESTVILLE (Wire) - Drones hit a depot on Monday. Nothing else."
    gold = {"strikes": [{"evidence": "TESTVILLE (Wire) - Drones hit a depot on Monday."}]}
    start = text.index("Drones")
    p = {"strikes": [{"evidence_start": start, "evidence_end": text.index(" Nothing")}]}
    assert S.score_document(text, p, gold).counts["strikes"].matched == 1


def test_key_fields_match_when_evidence_differs():
    gold = {"strikes": [{"evidence": "Officials said nothing else happened.", "country": "UKR",
                         "location": "Testville", "target": "a depot", "attacker": "Russia"}]}
    p = {"strikes": [pred({"country": "UKR", "location": "Testville"}, S1, S1_END)]}
    d = S.score_document(TEXT, p, gold)
    assert d.counts["strikes"].matched == 1 and d.pairs["strikes"][0][2] == "key"
    # country alone is not enough
    p = {"strikes": [pred({"country": "UKR", "location": "Elsewhere"}, S1, S1_END)]}
    assert S.score_document(TEXT, p, gold).counts["strikes"].matched == 0


def test_key_rules_per_table():
    assert S.key_match("visits", {"visitor": "Jan Kowal", "destination_country": "POL"},
                       {"visitor": "Minister Jan Kowal", "destination_country": "POL"})
    assert not S.key_match("visits", {"visitor": "Jan Kowal", "destination_country": "DEU"},
                           {"visitor": "Jan Kowal", "destination_country": "POL"})
    assert S.key_match("arms_sales", {"buyer_country": "POL", "value_usd": 1.05e9},
                       {"buyer_country": "POL", "seller_country": "USA", "value_usd": 1.0e9})
    assert S.key_match("arms_sales", {"buyer_country": "POL", "seller_country": "USA"},
                       {"buyer_country": "POL", "seller_country": "USA", "value_usd": None})
    assert not S.key_match("arms_sales", {"buyer_country": "POL", "value_usd": 2e9},
                           {"buyer_country": "POL", "seller_country": "USA", "value_usd": 1.0e9})
    assert S.key_match("killings", {"victim": "Omar Haddad"}, {"victim": "commander Omar Haddad"})
    assert S.key_match("killings", {"victim": None, "killed": 3, "location": "Testville"},
                       {"victim": "three soldiers", "killed": 3, "location": "Testville"})
    assert not S.key_match("killings", {"victim": None, "killed": 3, "location": "Testville"},
                           {"victim": "soldiers", "killed": None, "location": "Testville"})
    assert S.key_match("quotes", {"quote": "We will not give up"}, {"quote": "We will not give up."})


def test_matching_is_one_to_one_and_prefers_more_agreeing_fields():
    # two gold strikes share one evidence sentence; two predictions in the same sentence
    ev = "Drones hit a depot in Testville on Monday."
    gold = {"strikes": [{"evidence": ev, "location": "Testville", "country": "UKR", "killed": 2},
                        {"evidence": ev, "location": "Depotburg", "country": "UKR", "killed": 5}]}
    p = {"strikes": [pred({"location": "Depotburg", "country": "UKR", "killed": 5}, S1, S1_END),
                     pred({"location": "Testville", "country": "UKR", "killed": 2}, S1, S1_END),
                     pred({"location": "Testville", "country": "UKR", "killed": 2}, S1, S1_END)]}
    d = S.score_document(TEXT, p, gold)
    c = d.counts["strikes"]
    assert (c.n_gold, c.n_pred, c.matched) == (2, 3, 2)
    assert {(pi, gi) for pi, gi, _ in d.pairs["strikes"]} == {(0, 1), (1, 0)}
    assert d.fields[("strikes", "location")] == [2, 2]
    assert d.fields[("strikes", "killed")] == [2, 2]
    assert d.false_pos["strikes"] == [2]


def test_other_types_never_match():
    gold = {"visits": [{"evidence": "Drones hit a depot in Testville on Monday."}]}
    p = {"strikes": [pred({}, S1, S1_END)]}
    d = S.score_document(TEXT, p, gold)
    assert d.counts["visits"].matched == 0 and d.counts["strikes"].n_pred == 1


# --- per-field accuracy ---------------------------------------------------------------------

def test_field_accuracy_only_over_gold_non_null_fields():
    gold = {"arms_sales": [{"evidence": "Officials said nothing else happened.", "buyer_country": "POL",
                            "seller_country": "USA", "value_usd": 1.0e9, "quantity": None, "status": "approved",
                            "buyer": "Poland", "items": "tanks"}]}
    p = {"arms_sales": [pred({"buyer_country": "POL", "seller_country": "USA", "value_usd": 1.08e9, "quantity": 7,
                              "status": "signed", "buyer": "Republic of Poland"}, S2, S2_END)]}
    d = S.score_document(TEXT, p, gold)
    assert d.counts["arms_sales"].matched == 1
    assert ("arms_sales", "quantity") not in d.fields     # gold null: not scored
    assert ("arms_sales", "items") not in d.fields        # free text: not scored
    assert d.fields[("arms_sales", "value_usd")] == [1, 1]
    assert d.fields[("arms_sales", "status")] == [0, 1]
    assert d.fields[("arms_sales", "buyer")] == [1, 1]
    assert d.country == [2, 2]


def test_country_pooled_over_all_iso_fields():
    gold = {"strikes": [{"evidence": "Drones hit a depot in Testville on Monday.", "country": "UKR",
                         "attacker_country": "RUS"}],
            "visits": [{"evidence": "The minister Jan Kowal arrived in Sampleton on Tuesday.",
                        "destination_country": "POL", "visitor_country": "CZE"}]}
    p = {"strikes": [pred({"country": "UKR", "attacker_country": None}, S1, S1_END)],
         "visits": [pred({"destination_country": "POL", "visitor_country": "CZE"}, S2, S2_END)]}
    tot = S.Totals()
    tot.add(S.score_document(TEXT, p, gold))
    assert tot.country == [3, 4]
    assert tot.as_dict()["country_fields"]["accuracy"] == pytest.approx(0.75)


# --- P/R/F1 ----------------------------------------------------------------------------------

def test_prf_arithmetic():
    c = S.TypeCounts(n_gold=4, n_pred=5, matched=3)
    assert c.precision == pytest.approx(0.6)
    assert c.recall == pytest.approx(0.75)
    assert c.f1 == pytest.approx(2 * 0.6 * 0.75 / (0.6 + 0.75))
    nothing = S.TypeCounts(0, 0, 0)
    assert nothing.precision is None and nothing.recall is None and nothing.f1 is None
    no_pred = S.TypeCounts(n_gold=2, n_pred=0, matched=0)
    assert no_pred.precision is None and no_pred.recall == 0 and no_pred.f1 == 0
    only_fp = S.TypeCounts(n_gold=0, n_pred=2, matched=0)
    assert only_fp.precision == 0 and only_fp.recall is None and only_fp.f1 == 0


def test_totals_accumulate_and_micro_average():
    tot = S.Totals()
    ev1 = "Drones hit a depot in Testville on Monday."
    tot.add(S.score_document(TEXT, {"strikes": [pred({}, S1, S1_END)]}, {"strikes": [{"evidence": ev1}]}))
    tot.add(S.score_document(TEXT, {"visits": [pred({}, S1, S1_END)]}, {"visits": [{"evidence": ev1}, {"evidence": "x"}]}))
    assert (tot.counts["strikes"].matched, tot.counts["visits"].matched, tot.counts["visits"].n_gold) == (1, 1, 2)
    m = tot.micro()
    assert (m.n_gold, m.n_pred, m.matched) == (3, 2, 2)
    assert tot.docs == 2


# --- distractors and annotated types --------------------------------------------------------

def test_distractor_facts_count_event_predictions_only():
    p = {"strikes": [pred({}, S1, S1_END)], "visits": [pred({}, S2, S2_END)],
         "quotes": [pred({"quote": "nothing"}, S2, S2_END)]}
    d = S.score_document(TEXT, p, {"strikes": [], "visits": [], "quotes": []}, category="distractor")
    assert d.distractor_facts == 2
    assert d.counts["strikes"].n_pred == 1 and d.counts["strikes"].matched == 0
    d = S.score_document(TEXT, p, {}, category="distractor_labour_strike")  # sample-corpus style
    assert d.distractor_facts == 2
    d = S.score_document(TEXT, p, {}, category="strike")
    assert d.distractor_facts == 0
    tot = S.Totals()
    tot.add(S.score_document(TEXT, p, {}, category="distractor"), "distractor")
    assert tot.distractor_facts == 2 and tot.distractor_docs == 1


def test_shared_shape_annotated_types_and_whole_text_evidence():
    text = "Rebels shelled the town of Testville, killing three people."
    expected = [{"type": "strike", "attacker": ["rebels"], "location": "Testville", "weapon": "artillery_or_missile",
                 "killed": 3},
                {"type": "meeting", "participants": ["A", "B"]}]
    p = {"strikes": [{"evidence_start": 0, "evidence_end": len(text), "location": "Testville",
                      "attacker": "Rebels", "weapon": "artillery", "killed": 3}],
         "arms_sales": [{"evidence_start": 0, "evidence_end": len(text)}]}
    d = S.score_document(text, p, expected, annotated_types=["visit", "strike", "killing"], whole_text_evidence=True)
    assert set(d.counts) == {"strikes", "visits", "killings"}  # arms_sales not annotated: not scored
    assert d.counts["strikes"].matched == 1
    assert d.fields[("strikes", "weapon")] == [1, 1]
    assert d.fields[("strikes", "attacker")] == [1, 1]
    # without the whole-text rule, gold with no evidence and no country cannot match
    d = S.score_document(text, p, expected, annotated_types=["strike"])
    assert d.counts["strikes"].matched == 0


def test_group_expected_and_scored_types():
    g = S.group_expected([{"type": "arms_sale", "buyer": "Peru"}, {"type": "armed_clash"}])
    assert len(g["arms_sales"]) == 1 and sum(map(len, g.values())) == 1
    assert S.scored_types(None) == S.TYPES
    assert S.scored_types(["arms_sale"]) == ("arms_sales",)
    assert S.scored_types([]) == ()


def test_dsca_buyer_and_value_check():
    gold = {"buyer": "Kingdom of Testland", "value_usd": 1_000_000_000}
    country_of = {"Kingdom of Testland": "TST"}.get
    assert S.buyer_and_value_right([{"buyer": "Testland", "buyer_country": None, "value_usd": 1.005e9}], gold)
    assert S.buyer_and_value_right([{"buyer": "Other", "buyer_country": "TST", "value_usd": 1e9}], gold, country_of)
    assert not S.buyer_and_value_right([{"buyer": "Testland", "value_usd": 1.05e9}], gold)  # 1%, not 10%
    assert not S.buyer_and_value_right([{"buyer": "Other", "buyer_country": "XXX", "value_usd": 1e9}], gold, country_of)


def test_location_attachment():
    text = "Gunmen killed two guards in north Testville on Monday."
    assert S.location_attached(text, "Testville", ["north Testville"])
    assert S.location_attached(text, "north Testville", ["Testville"])
    assert not S.location_attached(text, "Monday", ["Testville"])
    assert not S.location_attached(text, None, ["Testville"])
    assert not S.location_attached(text, "Testville", [])


def test_actor_fields_match_surface_phrases_through_the_gazetteer():
    from benchmarks.scoring import field_match

    pred = {"attacker": "Russia", "attacker_country": "RUS"}
    assert field_match("text", pred, "attacker", ["Russian aircraft"])
    assert field_match("text", {"attacker": "Houthis", "attacker_country": "YEM"}, "attacker", "Ansar Allah")
    assert not field_match("text", pred, "attacker", ["Israeli helicopters"])
