"""Diplomatic visits on wire-style sentences written for these tests (no real reporting copied):
one test per construction class of issue 9, each asserting the fields a researcher would cite.

Names are invented; countries and capitals are real so the gazetteer can resolve them.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pipelines.extract import extract_articles

pytestmark = pytest.mark.slow
MON = datetime(2025, 3, 10, 8, 0, tzinfo=timezone.utc)  # a Monday


def visits(text: str, published_at=MON) -> list[dict]:
    out = extract_articles([{"article_id": "v", "batch_id": "b", "text": text, "published_at": published_at}])
    return out["visits"]


def one(text: str, published_at=MON) -> dict:
    rows = visits(text, published_at)
    assert len(rows) == 1, rows
    return rows[0]


def fields(row: dict, *names: str) -> tuple:
    return tuple(row.get(n) for n in names)


F = ("visitor", "visitor_country", "destination", "destination_country", "host", "status")


# ---------------------------------------------------------------------------------------------
# class 6: visits in news register
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Norwegian Foreign Minister Ola Brekke met Prime Minister Taro Ueno in Tokyo on Friday to discuss fisheries.",
     ("Ola Brekke", "NOR", "Tokyo", "JPN", "Taro Ueno", "occurred")),
    ("Chilean President Marta Ibarra held talks with President Kwame Mensah in Accra on Tuesday.",
     ("Marta Ibarra", "CHL", "Accra", "GHA", "Kwame Mensah", "occurred")),
    ("Polish Defence Minister Jan Wrona arrived in Seoul on Sunday on a three-day visit focused on tank purchases.",
     ("Jan Wrona", "POL", "Seoul", "KOR", None, "ongoing")),
    ("Kenyan Foreign Minister Amos Kiprop is in Ankara for talks with Turkish officials, his ministry said.",
     ("Amos Kiprop", "KEN", "Ankara", "TUR", None, "ongoing")),
    ("Argentine President Lucas Ferro was received by King Harald Olsen in Oslo on Wednesday.",
     ("Lucas Ferro", "ARG", "Oslo", "NOR", "Harald Olsen", "occurred")),
    ("Ghanaian President Kofi Boateng hosted Irish Prime Minister Sean Kerrigan in Accra on Thursday.",
     ("Sean Kerrigan", "IRL", "Accra", "GHA", "Kofi Boateng", "occurred")),
    ("Dutch Foreign Minister Pieter Vos is due in Hanoi on Thursday for talks on trade.",
     ("Pieter Vos", "NLD", "Hanoi", "VNM", None, "planned")),
    ("Brazilian Foreign Minister Ana Lima will travel to Nairobi next week, her office said.",
     ("Ana Lima", "BRA", "Nairobi", "KEN", None, "planned")),
    ("Japanese Prime Minister Taro Ueno has called off his trip to Canberra because of a typhoon at home.",
     ("Taro Ueno", "JPN", "Canberra", "AUS", None, "cancelled")),
    ("Austrian Chancellor Felix Huber landed in Amman late on Monday, his spokesman said.",
     ("Felix Huber", "AUT", "Amman", "JOR", None, "ongoing")),
])
def test_news_register(text, expected):
    assert fields(one(text), *F) == expected


def test_dateline_is_not_the_visitor():
    row = one("LIMA (Newswire) - Spanish Foreign Minister Rosa Campos met President Luis Vargas in Lima on Monday.")
    assert fields(row, *F) == ("Rosa Campos", "ESP", "Lima", "PER", "Luis Vargas", "occurred")


def test_purpose_kept():
    row = one("Indonesian Foreign Minister Dewi Sartika arrived in Canberra on Monday to discuss maritime security.")
    assert row["purpose"] and "maritime security" in row["purpose"]


# ---------------------------------------------------------------------------------------------
# host: the official met
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, host", [
    ("Swedish Foreign Minister Eva Lund met her Egyptian counterpart Omar Fathy in Cairo on Sunday.", "Omar Fathy"),
    ("Greek Prime Minister Nikos Ralli arrived in Rome on Tuesday for talks with Prime Minister Carla Conti.", "Carla Conti"),
    ("Mexican President Elena Ruiz began a state visit to Spain on Monday at the invitation of King Felipe Moreno.",
     "Felipe Moreno"),
    ("Irish President Aoife Byrne was greeted at the airport in Abuja by President Musa Danladi.", "Musa Danladi"),
    ("Canadian Foreign Minister Claire Roy met the Saudi crown prince in Riyadh on Monday.", "Saudi crown prince"),
])
def test_host(text, host):
    assert one(text)["host"] == host


def test_host_is_never_the_visitor_when_the_local_leader_is_the_subject():
    row = one("Omani Sultan Faisal Said met Swiss Foreign Minister Hans Keller, at the palace in Muscat on Tuesday.")
    assert fields(row, "visitor", "visitor_country", "destination_country", "host") == (
        "Hans Keller", "CHE", "OMN", "Faisal Said")


def test_host_named_in_a_later_sentence():
    rows = visits("Belgian Foreign Minister Marc Peeters arrived in Santiago on Sunday. "
                  "On Monday he will meet Foreign Minister Paula Soto to discuss lithium.")
    assert [fields(r, "visitor", "destination", "host", "status") for r in rows] == [
        ("Marc Peeters", "Santiago", "Paula Soto", "ongoing")]


def test_host_in_apposition():
    row = one("Turkish Foreign Minister Can Aydin was received by the Emir of Qatar, Sheikh Nasser Al Fahad, in Doha on Monday.")
    assert fields(row, "visitor", "destination", "host") == ("Can Aydin", "Doha", "Sheikh Nasser Al Fahad")


# ---------------------------------------------------------------------------------------------
# class 4: tours and summits
# ---------------------------------------------------------------------------------------------

def test_tour_of_three_countries_is_three_visits():
    rows = visits("Italian Foreign Minister Paolo Greco will begin a tour of Kenya, Tanzania and Uganda on Sunday.")
    assert sorted((r["destination_country"], r["status"], r["visitor"]) for r in rows) == [
        ("KEN", "planned", "Paolo Greco"), ("TZA", "planned", "Paolo Greco"), ("UGA", "planned", "Paolo Greco")]


def test_trip_that_includes_visits_refers_back_to_the_traveller():
    rows = visits("Finnish President Mikko Lahti will leave on Sunday for a week in Asia. "
                  "The trip will include visits to Vietnam and Thailand.")
    assert sorted((r["visitor"], r["destination_country"], r["status"]) for r in rows) == [
        ("Mikko Lahti", "THA", "planned"), ("Mikko Lahti", "VNM", "planned")]


def test_travels_to_one_followed_by_another():
    rows = visits("Portuguese President Rui Matos met officials in Lisbon on Monday. "
                  "On Wednesday, Matos travels to Senegal, followed by Mali on Thursday.")
    assert sorted((r["destination_country"], r["status"]) for r in rows) == [("MLI", "planned"), ("SEN", "planned")]


def test_summit_abroad_is_one_visit_per_leader_and_the_host_is_no_visitor():
    rows = visits("Chilean President Marta Ibarra, Peruvian President Luis Vargas and Colombian President Ana Rojas "
                  "arrived in Brasilia on Monday for a regional summit hosted by Brazilian President Joao Prado.")
    assert sorted((r["visitor"], r["destination_country"], r["host"], r["status"]) for r in rows) == [
        ("Ana Rojas", "BRA", "Joao Prado", "ongoing"),
        ("Luis Vargas", "BRA", "Joao Prado", "ongoing"),
        ("Marta Ibarra", "BRA", "Joao Prado", "ongoing"),
    ]


def test_stop_before_and_stop_ahead():
    rows = visits("Dutch Foreign Minister Pieter Vos arrived in Beirut on Tuesday after a stop in Amman, "
                  "and is due in Cairo on Thursday.")
    got = {r["destination"]: r["status"] for r in rows}
    assert got == {"Beirut": "ongoing", "Amman": "occurred", "Cairo": "planned"}


def test_tour_that_will_take_him_on():
    rows = visits("German Chancellor Felix Braun arrived in Hanoi on Monday, the first stop on a tour that will also "
                  "take him to Manila and Jakarta.")
    assert sorted((r["destination"], r["status"]) for r in rows) == [
        ("Hanoi", "ongoing"), ("Jakarta", "planned"), ("Manila", "planned")]


# ---------------------------------------------------------------------------------------------
# status: cancelled and planned
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, destination, status", [
    ("Hungarian Prime Minister Lajos Toth has postponed his visit to Baku, his office said.", "Baku", "cancelled"),
    ("French President Claire Martin scrapped a planned stop in Dakar on Monday.", "Dakar", "cancelled"),
    ("Australian Prime Minister Tom Hale has pulled out of the summit in Lima, citing floods at home.", "Lima", "cancelled"),
    ("Indian Foreign Minister Ravi Menon is expected to visit Dhaka in the coming weeks, officials said.", "Dhaka", "planned"),
    ("Egyptian Foreign Minister Omar Fathy plans to visit Rome next month.", "Rome", "planned"),
    ("Moroccan King Hassan Idrissi has accepted an invitation to make a state visit to Madrid.", "Madrid", "planned"),
])
def test_cancelled_and_planned(text, destination, status):
    assert fields(one(text), "destination", "status") == (destination, status)


def test_a_date_after_publication_makes_a_plan():
    row = one("Slovak Prime Minister Peter Horak visits Warsaw on March 20, 2025.",
              published_at=datetime(2025, 3, 11, 8, tzinfo=timezone.utc))  # a date after publication
    assert row["status"] == "planned"


def test_a_postponed_trip_that_is_back_on_is_planned():
    row = one("Irish Prime Minister Sean Kerrigan, who last month postponed a trip to Tokyo, will now travel to the "
              "Japanese capital on May 5, his office said.")
    assert fields(row, "destination_country", "status") == ("JPN", "planned")


# ---------------------------------------------------------------------------------------------
# second references: surname, "the minister", "he", "the leaders of ..."
# ---------------------------------------------------------------------------------------------

def test_second_references():
    rows = visits("Estonian Foreign Minister Kadri Tamm has made Asia her priority this year, officials say. "
                  "The minister arrived in Tokyo on Monday for two days of talks.")
    assert [fields(r, "visitor", "visitor_country", "destination", "status") for r in rows] == [
        ("Kadri Tamm", "EST", "Tokyo", "ongoing")]
    rows = visits("Ghanaian President Kofi Boateng said on Monday that cocoa would top his agenda. "
                  "He landed in Beijing on Tuesday for a four-day state visit.")
    assert [fields(r, "visitor", "visitor_country", "destination") for r in rows] == [("Kofi Boateng", "GHA", "Beijing")]
    rows = visits("Latvian Defence Minister Ivo Berzins spoke to reporters in Riga. "
                  "Berzins will fly to Ottawa on Friday.")
    assert [fields(r, "visitor", "visitor_country", "destination", "status") for r in rows] == [
        ("Ivo Berzins", "LVA", "Ottawa", "planned")]


def test_the_head_of_an_agency_in_apposition():
    row = one("The head of Norway's defence procurement agency, Lars Dahl, visited Madrid this week.")
    assert fields(row, "visitor", "visitor_country", "destination") == ("Lars Dahl", "NOR", "Madrid")


def test_leaders_of_several_countries():
    rows = visits("The leaders of Spain, Portugal and Greece arrived in Kyiv on Thursday in a show of support.")
    assert sorted((r["visitor_country"], r["destination_country"], r["status"]) for r in rows) == [
        ("ESP", "UKR", "ongoing"), ("GRC", "UKR", "ongoing"), ("PRT", "UKR", "ongoing")]


def test_description_and_name_are_one_visitor():
    rows = visits("Egypt's president hosts Kuwait's emir\n\nEgyptian President Omar Fathy hosted the Emir of Kuwait, "
                  "Sheikh Salem Al Jaber, at the palace in Cairo on Monday for talks on investment.")
    assert [fields(r, "visitor_country", "destination", "host") for r in rows] == [("KWT", "Cairo", "Omar Fathy")]


# ---------------------------------------------------------------------------------------------
# destination: the most specific place, never the visitor's own country
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, destination, country", [
    ("Japanese Prime Minister Taro Ueno was in the Iranian capital on Monday on a rare visit.", "Tehran", "IRN"),
    ("Polish President Adam Nowak arrived in Russia's capital Moscow on Sunday.", "Moscow", "RUS"),
    ("Cuban President Raul Soto arrived in Russia on Monday for a summit in the Pacific port city of Vladivostok.",
     "Vladivostok", "RUS"),
    ("Thai Prime Minister Anan Chai met Chancellor Felix Braun at the chancellery in Berlin on Monday.", "Berlin", "DEU"),
    ("Kenyan President Amos Kiprop visited Doha, Qatar, on Sunday.", "Doha", "QAT"),
])
def test_most_specific_destination(text, destination, country):
    assert fields(one(text), "destination", "destination_country") == (destination, country)


def test_a_continent_is_not_a_destination():
    assert visits("Italian Foreign Minister Paolo Greco arrived in Africa on Monday for a regional tour.") == []


def test_own_country_is_not_a_destination():
    assert visits("Indian Prime Minister Ravi Menon visited Mumbai on Monday to open a port.") == []


# ---------------------------------------------------------------------------------------------
# senses that are not official visits; hedges (class 12)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Nearly 200,000 German tourists visited Lisbon over the Easter holiday, the tourism board said.",
    "Brazil's national football team arrived in Madrid on Monday ahead of a friendly.",
    "More than a million people visited the ministry's website on Monday.",
    "President Kofi Boateng and Chancellor Felix Braun held a virtual summit on Monday.",
    "Turkish President Can Aydin spoke by phone with Russian President Ivan Petrov on Tuesday.",
    "Pakistani Prime Minister Imran Qadir toured flood-hit districts of Sindh province on Saturday.",
    "Japanese Prime Minister Taro Ueno's possible visit to Seoul remains uncertain, officials said.",
    "Queen Mary Tudor's 1998 state visit to Norway is still remembered in Oslo.",
    "Israeli President Avi Cohen has refused to meet the visiting Irish president in Haifa.",
    "Officials said it was unclear whether the trip would include a stop in Taiwan.",
])
def test_not_a_visit(text):
    assert visits(text) == []


def test_hedged_visit_keeps_its_hedge():
    row = one("Vietnamese Prime Minister Minh Tran reportedly visited Pyongyang last week, according to unconfirmed reports.")
    assert row["destination_country"] == "PRK" and row["certainty"] in ("reported", "possible")


# ---------------------------------------------------------------------------------------------
# the cheap filter
# ---------------------------------------------------------------------------------------------

def test_cheap_filter():
    from pipelines.visits import is_candidate

    assert is_candidate("Lavrov arrived in Cairo on Sunday.")
    assert is_candidate("The trip will include visits to Japan and Malaysia.")
    assert is_candidate("Foreign Minister Ana Lima is due in Nairobi on Thursday.")
    assert not is_candidate("Shares rose 3 percent in Tokyo on Monday.")
    assert not is_candidate("The central bank kept rates on hold.")


def test_visitor_country_from_the_articles_earlier_mention():
    rows = visits("Ghana's Senior Minister and Foreign Minister Kwesi Appiah has been asked to revive the trade talks. "
                  "Appiah arrived in Lome on Sunday.")
    assert [fields(r, "visitor", "visitor_country", "destination_country") for r in rows] == [("Kwesi Appiah", "GHA", "TGO")]
    rows = visits("Norway's Chief of Defence (CHOD), General Eirik Kristoffersen, spoke on Monday. "
                  "Gen. Kristoffersen, who is on an official visit to Canada, met army commanders in Ottawa.")
    assert {r["visitor_country"] for r in rows} == {"NOR"} and {r["destination_country"] for r in rows} == {"CAN"}
