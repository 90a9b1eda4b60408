"""Behaviour researchers depend on, one short article at a time (our own sentences)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from pipelines.extract import extract_articles
from pipelines.hedging import assess

pytestmark = pytest.mark.slow
THU = datetime(2024, 3, 14, 9, 0, tzinfo=timezone.utc)  # a Thursday


def run(text: str, published_at=THU) -> dict[str, list[dict]]:
    return extract_articles([{"article_id": "t", "batch_id": "b", "text": text, "published_at": published_at}])


@pytest.mark.parametrize("sentence, certainty", [
    ("Russian warplanes struck the town of Saraqeb, killing nine people.", "confirmed"),
    ("Russian warplanes struck the town of Saraqeb, killing nine people, a monitoring group said.", "reported"),
    ("The commander was likely killed in a U.S. air strike, officials said.", "possible"),
    ("The Pentagon declined to confirm that the commander was dead.", "possible"),
    ("The group denied carrying out the bombing.", "denied"),
    ("The Islamic State group claimed responsibility for the bombing.", "claimed"),
])
def test_certainty(sentence, certainty):
    assert assess(sentence).certainty == certainty


def test_attribution_keeps_who_says_so():
    assert assess("Israeli jets hit the camp, the Gaza health ministry said.").attributed_to == "the Gaza health ministry"
    assert assess("Israeli jets hit the camp, according to local officials.").attributed_to == "local officials"


def test_strike_with_every_field():
    out = run("BEIRUT (Wirewire) - Russian warplanes struck a market in the Syrian town of Saraqeb on Thursday, "
              "killing at least 12 civilians and wounding 30, a monitoring group said.")
    [s] = out["strikes"]
    assert (s["attacker"], s["attacker_country"], s["country"], s["weapon"]) == ("Russia", "RUS", "SYR", "air")
    assert (s["killed"], s["killed_max"], s["wounded"], s["certainty"]) == (12, None, 30, "reported")
    assert (s["event_date"], s["date_precision"], s["date_text"]) == (date(2024, 3, 14), "day", "Thursday")
    assert s["target_type"] == "civilian"


def test_no_civilian_casualties_is_zero_not_a_killing():
    out = run("The military said its drone strike on a depot near Kupiansk did not injure or kill any civilians.")
    assert [s["killed"] for s in out["strikes"]] == [0]
    assert out["killings"] == []


def test_hedged_named_killing_is_possible():
    out = run("The Pentagon said the militant commander Abu Khalid al-Iraqi was likely killed in a U.S. air strike "
              "near Raqqa on Tuesday.")
    assert [k["certainty"] for k in out["killings"]] == ["possible"]
    assert out["killings"][0]["perpetrator_country"] == "USA"


@pytest.mark.parametrize("text", [
    "Dockworkers in Antwerp went on strike on Monday over pay, halting container traffic.",
    "Traders bought call options with a strike price of $90 a barrel.",
    "The supreme court struck down the law on foreign agents on Tuesday.",
    "She rolled three strikes in a row to win the bowling final.",
    "The report was a bombshell for the company's shareholders.",
    "North Korea test-fired a ballistic missile into the sea on Thursday, Seoul said.",
    "European car sales rose 4 percent in February as electric models sold well.",
    "The pop star visited Tokyo on Thursday for two sold-out concerts.",
    "Police said a man killed his neighbour in a dispute over a parking space.",
    "Lightning struck a house in the village, police said.",
])
def test_distractors_yield_nothing(text):
    out = run(text)
    assert {t: out[t] for t in ("strikes", "visits", "arms_sales", "killings")} == {
        "strikes": [], "visits": [], "arms_sales": [], "killings": []}


def test_visit_with_pronoun_and_capital():
    out = run("U.S. Secretary of State John Kerry landed in Moscow on Thursday for talks on Syria. "
              "He will travel on to Paris and Berlin next week.")
    got = {(v["visitor"], v["destination_country"], v["status"]) for v in out["visits"]}
    assert ("John Kerry", "RUS", "occurred") in got
    assert ("John Kerry", "FRA", "planned") in got and ("John Kerry", "DEU", "planned") in got
    assert all(v["visitor_country"] == "USA" for v in out["visits"])


def test_cancelled_visit():
    out = run("Foreign Minister Sergei Lavrov cancelled a planned trip to Belgrade on Thursday.")
    assert [(v["destination_country"], v["status"]) for v in out["visits"]] == [("SRB", "cancelled")]


def test_arms_sale_money_and_stage():
    out = run("The State Department approved a possible sale of 40 F-16 fighter jets to Turkey for an estimated "
              "$23 billion on Thursday, officials in Washington said.")
    [a] = out["arms_sales"]
    assert (a["seller_country"], a["buyer_country"], a["quantity"], a["value_usd"], a["status"]) == (
        "USA", "TUR", 40, 23e9, "approved")


def test_proposed_deal_is_not_signed():
    out = run("Iraq is in talks with China to buy J-10C fighter jets for up to $1.5 billion, but no formal "
              "agreement has been reached, officials said.")
    [a] = out["arms_sales"]
    assert a["status"] == "proposed" and a["value_qualifier"] == "up to"


def test_quote_printed_twice_is_one_row_and_offsets_slice():
    text = ('"We will not be intimidated by these attacks," Prime Minister Jane Alder said on Thursday.\n\n'
            'Alder repeated: "We will not be intimidated by these attacks."')
    out = run(text)
    assert len(out["quotes"]) == 1
    q = out["quotes"][0]
    assert text[q["quote_start"]:q["quote_end"]] == q["quote"]
    assert q["speaker"] == "Jane Alder"


def test_unknown_publication_date_keeps_the_phrase():
    out = run("Israeli jets struck the town of Khan Younis on Thursday, killing four people.", published_at=None)
    [s] = out["strikes"]
    assert s["date_text"] == "Thursday" and s["event_date"] is None


SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


@pytest.mark.skipif(not SEED.is_dir(), reason="../shared/seed is not here")
def test_seed_article_yields_its_visit_sale_strike_and_killing():
    """The real article in ../shared/seed (read, never copied): its visit, its arms-sales
    figure, its hedged strike and its killing, with the right certainty."""
    from pipelines.ingest import ingest

    [article] = ingest([SEED], "seed").articles
    article["published_at"] = datetime(2016, 7, 14, tzinfo=timezone.utc)
    out = extract_articles([article])
    assert any(v["visitor"].endswith("Kerry") and v["destination_country"] == "RUS" for v in out["visits"])
    assert any(a["value_usd"] == 40e9 and a["value_qualifier"] == "nearly" for a in out["arms_sales"])
    assert any(s["certainty"] == "possible" and s["attacker_country"] == "USA" for s in out["strikes"])
    [killing] = [k for k in out["killings"] if "Shishani" in k["victim"]]
    assert killing["certainty"] == "confirmed" and killing["country"] == "IRQ"


def test_the_dateline_is_neither_attacker_nor_victim():
    out = run("KYIV (Danube Post) - Russian shelling of a market in the southern city of Kherson killed four people "
              "on Monday, Ukrainian officials said.")
    assert [(s["attacker_country"], s["location"], s["killed"]) for s in out["strikes"]] == [("RUS", "Kherson", 4)]
    out = run("JENIN, West Bank (Levant Courier) - Ahmad Sabarneh, a commander of a local armed group, was killed in "
              "Jenin on Thursday in an Israeli drone strike, Palestinian health officials said.")
    assert [k["victim"] for k in out["killings"]] == ["Ahmad Sabarneh"]


def test_an_age_in_apposition_is_not_a_toll():
    out = run("Issam Abdallah, 37, was killed on Friday when two shells struck a hillside near the border, his colleagues said.")
    assert [(k["victim"], k["killed"]) for k in out["killings"]] == [("Issam Abdallah", 1)]
    assert all(s["killed"] != 37 for s in out["strikes"])


def test_a_trip_to_two_countries_is_two_planned_visits():
    out = run("U.S. Secretary of State Antony Blinken will travel to Saudi Arabia on Tuesday and to Qatar on Wednesday, "
              "the State Department said.", published_at=datetime(2024, 6, 10, 6, 30, tzinfo=timezone.utc))
    assert sorted((v["destination_country"], v["status"]) for v in out["visits"]) == [("QAT", "planned"), ("SAU", "planned")]


def test_a_dateline_date_dates_the_report_not_the_strike():
    out = run("BEIRUT, Aug. 23, 2024 (Wirewire) - An Israeli drone strike on a car near the southern Lebanese city of "
              "Tyre on Thursday killed a Hezbollah commander, Lebanese security sources said.",
              published_at=datetime(2024, 8, 23, 9, tzinfo=timezone.utc))
    assert [(s["event_date"], s["date_text"]) for s in out["strikes"]] == [(date(2024, 8, 22), "Thursday")]


def test_a_reply_attack_the_next_day_is_not_merged_into_the_strike():
    out = run("An Israeli drone strike near Tyre on Thursday killed a Hezbollah commander, security sources said.\n\n"
              "Hezbollah said it fired dozens of rockets at an Israeli army post on Friday in response.",
              published_at=datetime(2024, 8, 23, 9, tzinfo=timezone.utc))
    assert sorted(s["attacker"] for s in out["strikes"]) == ["Hezbollah", "Israel"]


@pytest.mark.parametrize("sentence, location, precision", [
    ("In Kyiv, a cruise missile struck an office building on Wednesday, killing two people, the mayor said.", "Kyiv", "exact"),
    ("A cruise missile struck an office building in central Kyiv on Wednesday.", "Kyiv", "exact"),
    # the district is the most specific place; unknown to the gazetteer, it takes Kyiv's coordinates
    ("A missile hit a warehouse in Kyiv's Solomianskyi district on Wednesday.", "Solomianskyi district", "near"),
])
def test_a_capital_the_model_does_not_tag_is_still_the_place(sentence, location, precision):
    out = run(sentence)
    assert [(s["location"], s["geo_precision"], s["country"]) for s in out["strikes"]] == [(location, precision, "UKR")]
    assert round(out["strikes"][0]["latitude"], 1) == 50.5


def test_killing_dates_and_places_that_belong_to_something_else():
    out = run("Hours later, gunmen shot dead Mustafa Jabbar, an activist who had helped organise protests in 2019, "
              "outside his home, police said.", published_at=datetime(2024, 9, 22, 21, tzinfo=timezone.utc))
    assert [(k["victim"], k["event_date"]) for k in out["killings"]] == [("Mustafa Jabbar", None)]  # not 2019
    out = run("JERUSALEM (Wire) - The Israeli military said on Tuesday that it had killed Wissam al-Tawil, a commander "
              "it accused of directing attacks on northern Israel, in a strike in southern Lebanon on Monday.",
              published_at=datetime(2024, 1, 9, 12, tzinfo=timezone.utc))
    assert [(k["country"], k["event_date"]) for k in out["killings"]] == [("LBN", date(2024, 1, 8))]
    out = run("Wissam al-Tawil, a senior commander in Hezbollah's elite Radwan force, was killed in a drone strike.")
    assert [k["victim"] for k in out["killings"]] == ["Wissam al-Tawil"]
