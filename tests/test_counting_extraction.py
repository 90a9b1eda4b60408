"""The extraction side of events researchers can count (issue 12): each report's toll, target and
roles are its own. Sentences written for these tests, several wordings per construction."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipelines import strikes
from pipelines.extract import extract_article

PUB = datetime(2024, 9, 12, 15, tzinfo=timezone.utc)


def facts(text: str, table: str) -> list[dict]:
    return extract_article({"article_id": "t", "text": text, "published_at": PUB})[table]


def one_strike(text: str) -> dict:
    rows = facts(text, "strikes")
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("text, killed", [
    ("The number of people killed in a Russian drone attack on the port of Izmail rose to four on Wednesday after a "
     "wounded worker died in hospital, the regional administration said.", 4),
    ("The death toll from Sunday's Russian missile strike on Kramatorsk climbed to 12, the governor said.", 12),
    ("A man wounded in an Israeli air strike on a school in Deir al-Balah died of his injuries on Friday, raising the "
     "toll to nine, hospital officials said.", 9),
    ("Two more victims of the Russian missile strike on the Okhmatdyt hospital in Kyiv died overnight, bringing the death "
     "toll to 35, officials said.", 35),
    ("The toll from the drone strike on a market in Omdurman reached 21 on Tuesday as rescuers pulled more bodies from the rubble.", 21),
])
def test_a_running_total_is_the_reports_toll(text, killed):
    assert one_strike(text)["killed"] == killed


@pytest.mark.parametrize("text, killed", [
    ("An Israeli strike on a house in Jabalia killed five people, bringing the toll from the day's strikes to 30, medics said.", 5),
    ("A Russian missile hit an apartment block in Dnipro, killing three people; the number of civilians killed in the city "
     "since the war began rose to 400.", 3),
])
def test_a_total_over_many_strikes_is_not_one_strikes_toll(text, killed):
    assert one_strike(text)["killed"] == killed


@pytest.mark.parametrize("text, killed", [
    ("PORT SUDAN (Nile Courier) - At least 15 people were killed when the Rapid Support Forces shelled a market in "
     "El Fasher on Saturday, a medical group said.", 15),
    ("NEW DELHI (Subcontinent Wire) - Eight soldiers were killed when militants ambushed an army truck with a roadside bomb "
     "in Kathua district on Monday, the army said.", 8),
    ("SANAA, Yemen (Gulf Ledger) - Three fishermen were killed when a missile struck their boat off Hodeidah on Sunday, "
     "local officials said.", 3),
])
def test_the_dateline_is_never_counted_among_the_dead(text, killed):
    rows = facts(text, "strikes")
    assert [r["killed"] for r in rows] == [killed]


@pytest.mark.parametrize("text, target, own", [
    ("A Russian missile hit a grain terminal in Izmail on Wednesday, a day after a drone attack on the city's port killed "
     "four people, officials said.", "grain terminal", None),
    ("Russian forces shelled a bakery in Kherson on Friday, killing one woman, two days after an air strike on the city's "
     "railway station killed seven.", "bakery", 1),
    ("An Israeli drone hit a car near Tyre on Monday, killing two men, hours after an air strike on a village nearby killed eleven.",
     "car", 2),
])
def test_a_toll_in_another_strikes_phrase_is_not_this_ones(text, target, own):
    [main] = [r for r in facts(text, "strikes") if target in (r["target"] or "")]
    assert main["killed"] == own


@pytest.mark.parametrize("text, killed, weapon", [
    ("Fifteen people died after artillery rounds fired by the RSF struck a busy market in El Fasher, the state government said.",
     15, "artillery"),
    ("Six civilians died after a drone struck a minibus on the road outside Sumy on Thursday, the governor said.", 6, "drone"),
])
def test_deaths_after_a_strike_are_its_toll(text, killed, weapon):
    row = one_strike(text)
    assert (row["killed"], row["weapon"]) == (killed, weapon)


@pytest.mark.parametrize("text, weapons", [
    ("Russia dropped a glide bomb on a residential building in Kostiantynivka on Tuesday, killing two people.", {"bomb"}),
    ("Russian aircraft dropped two guided bombs on the centre of Kupiansk overnight, injuring four residents.", {"air", "bomb"}),
    ("A Russian drone smashed into a school building in Sumy on Thursday afternoon, killing two people.", {"drone"}),
    ("Two Russian missiles ploughed into an apartment block in Dnipro early on Friday, killing four people.", {"missile"}),
])
def test_strike_verbs_of_the_lexicon_pass_the_cheap_filter(text, weapons):
    assert strikes.is_strike_sentence(text)
    assert one_strike(text)["weapon"] in weapons


@pytest.mark.parametrize("text, buyer_country, seller_country", [
    ("TALLINN (Baltic Wire) - Estonia's defence ministry said on Thursday it had signed for 800 US-made Javelin missiles.", "EST", "USA"),
    ("Romania's defence ministry said it had concluded the purchase of 54 Abrams tanks from the United States.", "ROU", "USA"),
    ("The Greek government said on Monday it would buy 20 F-35 fighter jets from the United States.", "GRC", "USA"),
])
def test_it_after_a_report_verb_is_the_speaker(text, buyer_country, seller_country):
    rows = facts(text, "arms_sales")
    assert rows and all((r["buyer_country"], r["seller_country"]) == (buyer_country, seller_country) for r in rows), rows


@pytest.mark.parametrize("text, buyer_country, seller_country", [
    ("The first shipment of Javelin anti-tank missiles bought from the United States has arrived in Estonia, officials said.", "EST", "USA"),
    ("A first delivery of K2 tanks from South Korea reached Poland on Tuesday.", "POL", "KOR"),
    ("A shipment of 12 Caesar howitzers from France arrived in Armenia last week.", "ARM", "FRA"),
])
def test_where_a_delivery_arrives_is_its_buyer(text, buyer_country, seller_country):
    [row] = facts(text, "arms_sales")
    assert (row["buyer_country"], row["seller_country"], row["status"]) == (buyer_country, seller_country, "delivered")


@pytest.mark.parametrize("text, attacker_country", [
    ("The Israeli military said its aircraft had targeted a Hezbollah commander in Bint Jbeil on Wednesday.", "ISR"),
    ("Russia's defence ministry said its forces had struck a Ukrainian army depot near Kramatorsk with Iskander missiles.", "RUS"),
    ("Ukraine's military said its drones had hit an oil refinery in the Russian city of Ryazan overnight.", "UKR"),
])
def test_a_party_reporting_its_own_strike_is_the_attacker(text, attacker_country):
    """The attacker's own telling of a strike ("its aircraft struck") names the attacker as the
    speaker: one of the reports of the event, with its attacker."""
    assert one_strike(text)["attacker_country"] == attacker_country


def test_a_pronoun_that_is_not_the_speakers_own_act_names_no_attacker():
    row = one_strike("Residents of Kharkiv said it was the heaviest Russian shelling of the city in weeks, and that "
                     "missiles hit two apartment blocks.")
    assert row["attacker_country"] in (None, "RUS")  # Russian shelling, never the residents


@pytest.mark.parametrize("text", [
    "Norway is in talks to purchase 3 Chinese NASAMS air defence batteries, officials said, in a deal that could be worth $394 million.",
    "Peru is in talks to buy 24 Swedish Gripen fighter jets, officials said, in a deal that could be worth $3.5 billion.",
])
def test_one_sentence_never_gives_two_rows_with_one_id(text):
    out = extract_article({"article_id": "t", "text": text, "published_at": PUB})
    for table, rows in out.items():
        ids = [r["fact_id"] for r in rows]
        assert len(ids) == len(set(ids)), table
