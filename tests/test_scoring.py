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


# --- real-news sets: score_realnews (the reference scorer's rules) ---------------------------

RN_TEXT = ("Drones struck a fuel depot in Testville on Monday, killing three guards. "
           "Minister Jan Kowal arrived in Sampleton for talks. "
           "Ruritania agreed to buy 12 jets from Freedonia for $1.2 billion.")
RN_S1 = RN_TEXT.split(". ")[0] + "."
RN_S2 = RN_TEXT.split(". ")[1] + "."
RN_S3 = RN_TEXT.split(". ")[2]


def rn_span(sentence: str) -> list[int]:
    i = RN_TEXT.index(sentence)
    return [i, i + len(sentence)]


def rn_record(expected: list[dict], rid: str = "r1", **extra) -> dict:
    return {"id": rid, "text": RN_TEXT, "expected": expected,
            "annotated_types": ["strike", "visit", "arms_sale", "killing"], **extra}


def rn_strike(**fields) -> dict:
    base = {"type": "strike", "attacker": None, "attacker_country": None, "target": "fuel depot",
            "location": "Testville", "country": "TST", "weapon": "drone", "killed": 3, "certainty": "confirmed",
            "evidence_span": rn_span(RN_S1)}
    return {**base, **fields}


def rn_score(records, preds, **kw):
    return S.score_realnews(records if isinstance(records, list) else [records], preds, **kw)


def test_rn_tokens_and_containment():
    assert S.content_tokens("The strike on Kharkiv's depot") == {"strike", "kharkiv", "depot"}
    assert S.content_tokens(None) == set()
    assert S.token_containment("fuel depot", "a big fuel depot near Testville") == 1.0  # over the smaller set
    assert S.token_containment("Jan Kowal", "Kowal") == 1.0
    assert S.token_containment("Jan Kowal", "Piotr Nowak") == 0.0
    assert S.token_containment("", "Kowal") == 0.0
    assert S.token_containment("the of a", "the") == 0.0  # stop words only: no tokens


def test_rn_field_rules():
    agrees = S.rn_value_agrees
    assert agrees("killed", None, 3) is None  # gold silent: not scored
    assert agrees("killed", 3, None) is False
    assert agrees("value_usd", 1.2e9, float("nan")) is False
    # numbers: within 2 % of the gold, or of 1 for small numbers
    assert agrees("value_usd", 1_000_000_000, 1_019_000_000) and not agrees("value_usd", 1_000_000_000, 1_021_000_000)
    assert agrees("value_usd", 1_000_000_000, 981_000_000) and not agrees("value_usd", 1_000_000_000, 979_000_000)
    assert agrees("killed", 0, 0) and not agrees("killed", 0, 1) and not agrees("killed", 3, 4)
    assert agrees("killed", 100, 102) and not agrees("killed", 100, 103)
    assert agrees("killed", 3, "3") and not agrees("killed", 3, "three")
    assert agrees("value", 0, 0.015) and agrees("value", 0.5, 0.515)  # the floor of 1: 2 % of 1 = 0.02
    assert not agrees("value", 0, 0.03)
    # codes: exact, case and edge spaces aside
    assert agrees("country", "tst", " TST") and not agrees("country", "TST", "TSA")
    assert agrees("weapon", "drone", "DRONE") and not agrees("weapon", "drone", "air")
    # names: content-token containment >= 0.5 over the smaller token set
    assert agrees("location", "Testville", "north Testville")
    assert agrees("host", "President Ana Lima", "Lima")
    assert agrees("target", "fuel depot", "depot of fuel tanks")
    assert not agrees("target", "fuel depot", "the airport")
    assert agrees("target", "fuel depot", "depot near the river")  # 1 of the 2 gold tokens: 0.5
    assert not agrees("target", "old fuel depot north gate", "fuel depot of one two three")  # 2 of 5: 0.4
    assert agrees("items", "F-16 jets, missiles and radars", "F 16 jets")  # 3 of 3 predicted tokens
    assert not agrees("items", "F-16 jets, missiles and radars", "tanks, trucks, radars")  # 1 of 3


def test_rn_actor_right_by_its_country_code():
    gold = {"attacker": "Ruritanian forces", "attacker_country": "RUR"}
    assert S.rn_field_agrees("attacker", gold, {"attacker": "Ruritania", "attacker_country": "RUR"})
    assert not S.rn_field_agrees("attacker", gold, {"attacker": "Ruritania", "attacker_country": "FRE"})
    assert not S.rn_field_agrees("attacker", gold, {"attacker": None, "attacker_country": "RUR"})  # no name given
    # a gold without a code cannot vouch; and only actor fields have a code to vouch
    assert not S.rn_field_agrees("attacker", {"attacker": "Ruritanian forces", "attacker_country": None},
                                 {"attacker": "Ruritania", "attacker_country": "RUR"})
    assert not S.rn_field_agrees("target", {"target": "a camp", "country": "RUR"}, {"target": "depot", "country": "RUR"})
    for actor, code in (("visitor", "visitor_country"), ("seller", "seller_country"), ("buyer", "buyer_country")):
        assert S.rn_field_agrees(actor, {actor: "the Ruritanian side", code: "RUR"}, {actor: "Ruritania", code: "rur"})


def test_rn_pairing_by_evidence_sentence():
    gold = rn_strike()
    # every field wrong, but the evidence is the gold sentence with a dateline in front: a pair
    pred = {"evidence": "TESTVILLE (Agency) - " + RN_S1, "location": "Elsewhere", "country": "XXX",
            "weapon": "air", "killed": 40, "target": "airport", "certainty": "claimed"}
    rep = rn_score(rn_record([gold]), {"r1": {"strikes": [pred]}})
    c = rep.types["strike"]
    assert (c.tp, c.fp, c.fn, c.by_fields) == (1, 0, 0, 0)
    assert c.fields["location"] == [0, 1] and c.fields["killed"] == [0, 1]
    assert c.fields["attacker"] == [0, 0]  # gold null: not scored
    assert "attacker" not in c.field_rates()
    # evidence of another sentence and no identifying fields: a miss and a false positive
    other = dict(pred, evidence=RN_S2)
    c = rn_score(rn_record([gold]), {"r1": {"strike": [other]}}).types["strike"]  # type name works as key too
    assert (c.tp, c.fp, c.fn) == (0, 1, 1)


def test_rn_evidence_overlap_threshold():
    gold = rn_strike()
    for evidence, paired in (("Drones struck far away", True),                 # 2 of 4 tokens: 0.5
                             ("Drones struck somewhere far away", False)):     # 2 of 5: 0.4
        assert S.token_containment(RN_S1, evidence) == (0.5 if paired else 0.4)
        c = rn_score(rn_record([gold]), {"r1": {"strikes": [{"evidence": evidence}]}}).types["strike"]
        assert c.tp == int(paired), evidence


def test_rn_pairing_by_identifying_fields():
    gold = rn_strike()
    headline = {"evidence": "Depot burns after attack", "location": "Testville", "killed": 3}
    c = rn_score(rn_record([gold]), {"r1": {"strikes": [headline]}}).types["strike"]
    assert (c.tp, c.fp, c.fn, c.by_fields) == (1, 0, 0, 1)
    # the anchor alone is not enough, nor the companions without the anchor
    for p in ({"evidence": "Smoke rose all night", "location": "Testville"},
              {"evidence": "Smoke rose all night", "location": "Sampleton", "killed": 3, "weapon": "drone"}):
        c = rn_score(rn_record([gold]), {"r1": {"strikes": [p]}}).types["strike"]
        assert (c.tp, c.fp, c.fn) == (0, 1, 1)
    # the identifying fields of the other types
    visit = {"type": "visit", "visitor": "Jan Kowal", "visitor_country": "TST", "destination": "Sampleton",
             "destination_country": "SMP", "host": None, "status": "ongoing", "evidence_span": rn_span(RN_S2)}
    sale = {"type": "arms_sale", "seller": "Freedonia", "seller_country": "FRE", "buyer": "Ruritania",
            "buyer_country": "RUR", "items": "jets", "value_usd": 1.2e9, "status": "signed",
            "evidence_span": rn_span(RN_S3)}
    killing = {"type": "killing", "victim": "three guards", "killed": 3, "location": "Testville", "country": "TST",
               "perpetrator": None, "certainty": "confirmed", "evidence_span": rn_span(RN_S1)}
    preds = {"visits": [{"evidence": "x", "visitor": "Kowal", "destination_country": "SMP"}],
             "arms_sales": [{"evidence": "x", "buyer": "Ruritania", "value_usd": 1.21e9}],
             "killings": [{"evidence": "x", "victim": "guards", "location": "Testville"}]}
    rep = rn_score(rn_record([visit, sale, killing]), {"r1": preds})
    for t in ("visit", "arms_sale", "killing"):
        assert (rep.types[t].tp, rep.types[t].by_fields) == (1, 1), t
    # a visitor without a destination field agreeing does not pair
    c = rn_score(rn_record([visit]), {"r1": {"visits": [{"evidence": "x", "visitor": "Kowal"}]}}).types["visit"]
    assert c.tp == 0


def test_rn_evidence_pairs_rank_before_field_pairs_and_by_agreement():
    gold = rn_strike()
    by_fields = {"evidence": "Smoke rose all night", "location": "Testville", "killed": 3, "weapon": "drone",
                 "target": "fuel depot", "country": "TST", "certainty": "confirmed"}  # 6 agreeing fields
    by_evidence = {"evidence": RN_S1, "location": "Elsewhere"}  # 0 agreeing fields
    for order in ([by_fields, by_evidence], [by_evidence, by_fields]):
        rep = rn_score(rn_record([gold]), {"r1": {"strikes": order}})
        c = rep.types["strike"]
        assert (c.tp, c.fp, c.by_fields) == (1, 1, 0)
        assert c.fields["location"] == [0, 1]  # the evidence pair was taken
        assert [e["error"] for e in rep.errors] == ["false"] and rep.errors[0]["fields"]["killed"] == 3
    # between two evidence pairs, the one with more agreeing fields wins
    weak = {"evidence": RN_S1, "location": "Elsewhere"}
    strong = {"evidence": RN_S1, "location": "Testville", "killed": 3}
    c = rn_score(rn_record([gold]), {"r1": {"strikes": [weak, strong]}}).types["strike"]
    assert c.fields["location"] == [1, 1] and c.fields["killed"] == [1, 1]
    # among evidence pairs the rank is overlap plus agreeing fields
    partial = "Drones struck Testville on Monday, said the ministry."
    assert abs(S.token_containment(RN_S1, partial) - 4 / 6) < 1e-12
    full = {"evidence": RN_S1, "location": "Elsewhere"}
    for agreeing, winner in (({"location": "Elsewhere"}, "full"), ({"location": "Testville"}, "partial")):
        part = {"evidence": partial, **agreeing}
        rep = rn_score(rn_record([gold]), {"r1": {"strikes": [full, part]}})
        loser = rep.errors[0]["evidence"]
        assert loser == (partial if winner == "full" else RN_S1), winner


def test_rn_one_to_one_and_ties():
    g1 = rn_strike()
    g2 = rn_strike(target="guards post")
    same = {"evidence": RN_S1, "location": "Testville"}
    # two predictions, two golds on the same sentence: both pair, each once
    c = rn_score(rn_record([g1, g2]), {"r1": {"strikes": [dict(same), dict(same)]}}).types["strike"]
    assert (c.tp, c.fp, c.fn) == (2, 0, 0)
    # one prediction for two equally good golds: ties go to the later gold (as the reference scorer)
    rep = rn_score(rn_record([g1, g2]), {"r1": {"strikes": [same]}})
    assert rep.types["strike"].tp == 1
    missed = [e for e in rep.errors if e["error"] == "missed"]
    assert len(missed) == 1 and missed[0]["fields"]["target"] == "fuel depot"
    pairs = S.rn_match("strike", [g1, g2], [RN_S1, RN_S1], [same], [RN_S1])
    assert pairs == [S.RealNewsPair(gold=1, pred=0, by_evidence=True)]


def test_rn_gold_without_span_pairs_by_type():
    gold = rn_strike(evidence_span=None)
    c = rn_score(rn_record([gold]), {"r1": {"strikes": [{"evidence": "Something else entirely", "location": "X"}]}}).types["strike"]
    assert (c.tp, c.by_fields) == (1, 0)


def test_rn_annotated_types_and_counts():
    gold = rn_strike()
    preds = {"r1": {"strikes": [{"evidence": RN_S1}], "visits": [{"evidence": RN_S2, "visitor": "Kowal"}]}}
    rec = rn_record([gold], annotated_types=["visit"])  # the strike is not annotated: not scored
    rep = rn_score(rec, preds)
    assert (rep.types["strike"].tp, rep.types["strike"].fn, rep.types["strike"].fp) == (0, 0, 0)
    assert rep.types["visit"].fp == 1
    rep = rn_score(rn_record([gold], annotated_types=[]), preds)  # empty: all types
    assert rep.types["strike"].tp == 1 and rep.types["visit"].fp == 1
    # predictions for unknown ids are ignored; records without predictions are all misses
    rep = rn_score([rn_record([gold], rid="a"), rn_record([], rid="b")], {"zzz": preds["r1"]})
    assert (rep.types["strike"].fn, rep.types["strike"].fp) == (1, 0)
    # P, R, F1 and the summary
    c = S.RealNewsCounts(tp=2, fp=1, fn=3)
    assert (c.precision, c.recall) == (2 / 3, 0.4) and abs(c.f1 - 0.5) < 1e-12
    assert S.RealNewsCounts().f1 == 0.0 and S.RealNewsCounts().precision == 0.0
    summary = rn_score(rn_record([gold]), {"r1": {"strikes": [{"evidence": RN_S1, "location": "Testville"}]}}).summary()
    assert summary["strike"]["f1"] == 1.0 and summary["strike"]["fields"]["location"] == 1.0
    assert set(summary) == {"strike", "visit", "arms_sale", "killing"}


def test_rn_distractor_group():
    preds = {"d1": {"strikes": [{"evidence": "He struck out three batters."}]},
             "d2": {"visits": [{"evidence": "Tourists visit the museum."}], "strikes": []},
             "s1": {"strikes": [{"evidence": RN_S1}]}}
    recs = [rn_record([], rid="d1", group="D"), rn_record([], rid="d2", group="D"),
            rn_record([rn_strike()], rid="s1", group="S")]
    rep = rn_score(recs, preds)
    assert (rep.distractor_records, rep.distractor_facts) == (2, 2)
    assert rep.types["strike"].fp == 1 and rep.types["visit"].fp == 1  # distractor facts are false positives too
    assert rep.types["strike"].tp == 1


def test_rn_errors_hold_ids_types_fields_and_evidence():
    rep = rn_score(rn_record([rn_strike()]), {"r1": {"strikes": [{"evidence": RN_S2 * 5, "location": "Nowhere"}]}})
    false, missed = sorted(rep.errors, key=lambda e: e["error"])
    assert missed == {"id": "r1", "type": "strike", "error": "missed",
                      "fields": {k: rn_strike()[k] for k in S.RN_TYPES["strike"].key_fields}, "evidence": RN_S1}
    assert false["error"] == "false" and false["fields"]["location"] == "Nowhere"
    assert len(false["evidence"]) == S.RN_EXCERPT


def test_rn_prediction_evidence_from_offsets():
    assert S.rn_pred_evidence({"evidence_start": 0, "evidence_end": 6}, "Drones struck") == "Drones"
    assert S.rn_pred_evidence({"evidence": "Given", "evidence_start": 0, "evidence_end": 2}, "xyz") == "Given"
    assert S.rn_pred_evidence({}, "text") == ""
    assert S.rn_gold_evidence(RN_TEXT, {"evidence_span": rn_span(RN_S2)}) == RN_S2
    assert S.rn_gold_evidence(RN_TEXT, {"evidence_span": [5, 5]}) is None
