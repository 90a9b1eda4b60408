"""A deterministic synthetic English news corpus for throughput measurement.

Every sentence here is generated from templates written for this project: clauses over large
vocabularies (economy, weather, sport, politics, culture, technology, health), so that articles of
about 600 words do not repeat verbatim. About one article in four also holds one or two relevant
sentences (a strike, a visit, an arms sale, a killing or a quote) built from templates over real
countries, cities and actor names. The events are invented; the corpus measures speed, not accuracy.

    from benchmarks.corpus import write_corpus
    paths = write_corpus(out_dir, n_articles=5000, n_files=10, seed=20240601)
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# vocabularies: irrelevant news
# ---------------------------------------------------------------------------------------------

TOWNS = ["Leeds", "Lyon", "Porto", "Graz", "Utrecht", "Gothenburg", "Bologna", "Krakow", "Brno", "Tampere",
         "Malaga", "Bergen", "Aarhus", "Ghent", "Linz", "Dundee", "Cork", "Nantes", "Seville", "Turin",
         "Osaka", "Busan", "Pune", "Cebu", "Perth", "Adelaide", "Calgary", "Halifax", "Denver", "Omaha",
         "Austin", "Tucson", "Curitiba", "Rosario", "Valparaiso", "Arequipa", "Mombasa", "Kumasi", "Durban",
         "Agadir", "Izmir", "Tbilisi", "Almaty", "Chiang Mai", "Da Nang", "Surabaya", "Auckland", "Hobart"]
FIRST = ["Anna", "Marco", "Sofia", "Lukas", "Elena", "Tomas", "Ingrid", "Pavel", "Claire", "Jonas", "Maria",
         "David", "Aisha", "Kenji", "Priya", "Liam", "Noor", "Oskar", "Hana", "Rafael", "Chloe", "Mateo",
         "Freya", "Ivan", "Leila", "Samuel", "Yuki", "Nadia", "Felix", "Irene", "Bruno", "Greta", "Omar",
         "Julia", "Victor", "Mei", "Arjun", "Laura", "Henrik", "Zara", "Emil", "Rosa", "Tariq", "Alice"]
LAST = ["Keller", "Moreau", "Lindqvist", "Novak", "Ferreira", "Brennan", "Okafor", "Tanaka", "Patel", "Kowalski",
        "Duarte", "Haugen", "Romano", "Schmidt", "Costa", "Nilsen", "Varga", "Walsh", "Mendes", "Kaur", "Sato",
        "Berger", "Horvat", "Delgado", "Fischer", "Larsen", "Marchetti", "Quinn", "Reyes", "Sandoval",
        "Thornton", "Ueda", "Vidal", "Weber", "Young", "Zeller", "Abbott", "Bianchi", "Carver", "Dempsey"]
COMPANIES = ["Northwind Logistics", "Helios Foods", "Bluepeak Energy", "Copperline Mining", "Verdant Textiles",
             "Atlas Freight", "Meridian Bank", "Silverleaf Insurance", "Orion Telecom", "Granite Cement",
             "Harbor Pharma", "Lumen Software", "Solstice Retail", "Tidewater Shipping", "Cobalt Motors",
             "Brightfield Dairy", "Summit Airlines", "Pinecrest Paper", "Riverton Steel", "Quartz Semiconductors"]
SECTORS = ["retail", "manufacturing", "housing", "tourism", "agriculture", "shipping", "banking", "construction",
           "energy", "telecommunications", "car making", "textiles", "mining", "insurance", "software", "food"]
INDICATORS = ["inflation", "unemployment", "consumer spending", "industrial output", "business confidence",
              "retail sales", "house prices", "export orders", "wage growth", "the trade surplus",
              "factory orders", "household savings", "public borrowing", "bond yields", "the jobless rate"]
TRENDS = ["rose", "fell", "edged up", "slipped", "climbed", "eased", "jumped", "dropped", "held steady",
          "rebounded", "cooled", "accelerated", "slowed", "ticked higher", "declined"]
PERIODS = ["in the third quarter", "last month", "in the year to March", "over the summer", "in the first half",
           "since January", "in the final quarter", "compared with a year earlier", "for a second month",
           "during the holiday season", "at the fastest pace in two years", "for the first time since 2019"]
ANALYST_VERBS = ["said", "noted", "wrote in a note to clients", "told reporters", "argued", "cautioned",
                 "pointed out", "suggested"]
ANALYST_ROLES = ["an economist at", "a senior analyst at", "chief strategist at", "a portfolio manager at",
                 "head of research at", "a market analyst at"]
WEATHER_EVENTS = ["heavy rain", "a cold front", "strong winds", "a heatwave", "thick fog", "early snow",
                  "a band of thunderstorms", "freezing temperatures", "unseasonal warmth", "hailstorms",
                  "a dry spell", "coastal flooding", "gusty showers"]
WEATHER_EFFECTS = ["delayed commuter trains", "closed several mountain roads", "disrupted flights",
                   "left farmers worried about the harvest", "brought crowds to the beaches",
                   "caused minor flooding in low-lying streets", "cut power to a few thousand homes",
                   "forced organisers to postpone an outdoor concert", "kept schools open late",
                   "pushed up demand for electricity", "filled reservoirs after a long drought"]
FORECASTERS = ["the national weather service", "meteorologists", "the regional forecast office",
               "the met office", "local forecasters", "the climate agency"]
SPORTS = {
    "football": (["United", "City", "Rovers", "Athletic", "Wanderers", "Albion", "Rangers", "Olympic"],
                 ["scored twice", "headed in a late winner", "saved a penalty", "hit the post",
                  "was sent off", "came off the bench"], "goals"),
    "basketball": (["Hawks", "Comets", "Pioneers", "Bears", "Lions", "Stars", "Falcons", "Titans"],
                   ["scored 31 points", "grabbed 14 rebounds", "hit a buzzer-beater", "fouled out",
                    "made six three-pointers"], "points"),
    "tennis": (["the top seed", "the defending champion", "the qualifier", "the wildcard entry"],
               ["saved three match points", "served 18 aces", "won a tiebreak", "broke serve early"], "sets"),
    "cycling": (["the team leader", "the young rider", "the sprinter", "the climber"],
                ["attacked on the final climb", "won the bunch sprint", "crashed on a descent",
                 "took the leader's jersey"], "stages"),
    "rugby": (["Sharks", "Warriors", "Saints", "Chiefs", "Bulls", "Tigers"],
              ["scored a try", "kicked five penalties", "was yellow-carded", "made a try-saving tackle"], "tries"),
}
EVENTS_CULTURE = ["film festival", "book fair", "jazz festival", "art biennale", "food market", "design week",
                  "theatre season", "photography exhibition", "classical music series", "comic convention",
                  "folk music weekend", "architecture prize", "poetry festival", "wine fair"]
CULTURE_VERBS = ["opened", "drew record crowds", "announced its programme", "closed", "was extended",
                 "sold out", "returned after a two-year break", "unveiled a new venue", "moved to a larger site"]
WORKS = ["a restored silent film", "a debut novel", "a retrospective of landscape painting", "a new opera",
         "a documentary about river life", "a collection of street photography", "an experimental play",
         "a sculpture made of recycled glass", "a memoir by a former chef", "a children's musical"]
POL_BODIES = ["the city council", "the regional assembly", "the parliament's budget committee",
              "the opposition party", "the transport ministry", "the education ministry",
              "a cross-party group of lawmakers", "the finance committee", "the health ministry",
              "the housing agency", "the environment agency", "the mayor's office"]
POL_ACTIONS = ["approved a plan to", "voted against a proposal to", "debated whether to", "announced it would",
               "postponed a decision to", "launched a consultation on whether to", "pledged to",
               "set aside funds to", "rejected calls to", "published a report urging the government to"]
POL_GOALS = ["expand bus services", "raise the minimum wage", "build more affordable homes",
             "cut business rates", "upgrade school buildings", "extend library hours", "plant new urban trees",
             "reform pension rules", "lower speed limits near schools", "subsidise home insulation",
             "hire more nurses", "digitise tax returns", "reopen a rural railway line",
             "ban single-use plastics", "simplify planning permission"]
TECH = ["a new smartphone", "an electric delivery van", "a cloud storage service", "a battery recycling plant",
        "a satellite broadband service", "a language-learning app", "a home heat pump", "a chip design centre",
        "a solar farm", "an offshore wind project", "a data centre", "a robotics lab"]
HEALTH = ["a flu vaccination campaign", "a new cancer screening programme", "longer clinic opening hours",
          "a campaign against smoking", "a study on sleep and diet", "a shortage of paediatric drugs",
          "a trial of a new asthma inhaler", "a mental health helpline", "a hospital waiting-list target"]
FILLERS = ["Officials said more details would follow later in the week.",
           "The announcement was broadly welcomed by residents.",
           "Critics said the measures did not go far enough.",
           "The figures are due to be revised next month.",
           "Further talks are scheduled for the coming weeks."]
ADVERBS = ["sharply", "slightly", "unexpectedly", "steadily", "modestly", "markedly", "briefly", "again"]
CONNECT = ["while", "although", "as", "even though", "after", "before", "and"]

# ---------------------------------------------------------------------------------------------
# vocabularies: relevant events (real countries, places and office titles; invented events)
# ---------------------------------------------------------------------------------------------

CONFLICT_PLACES = [  # (city, country, attacker demonym or actor, weapon phrase)
    ("Kharkiv", "Ukraine", "Russian", "drones"), ("Odesa", "Ukraine", "Russian", "missiles"),
    ("Zaporizhzhia", "Ukraine", "Russian", "guided bombs"), ("Belgorod", "Russia", "Ukrainian", "drones"),
    ("Hodeidah", "Yemen", "U.S.", "warplanes"), ("Sanaa", "Yemen", "U.S. and British", "warplanes"),
    ("Idlib", "Syria", "Russian", "jets"), ("Deir ez-Zor", "Syria", "U.S.", "aircraft"),
    ("Khan Younis", "the Gaza Strip", "Israeli", "aircraft"), ("Rafah", "the Gaza Strip", "Israeli", "tanks"),
    ("Nabatieh", "Lebanon", "Israeli", "drones"), ("Tyre", "Lebanon", "Israeli", "warplanes"),
    ("El Fasher", "Sudan", "RSF", "artillery"), ("Kidal", "Mali", "Malian army", "drones"),
    ("Jilib", "Somalia", "U.S.", "aircraft"), ("Kirkuk", "Iraq", "Turkish", "drones"),
    ("Paktika", "Afghanistan", "Pakistani", "jets"), ("Mosul", "Iraq", "Iraqi", "F-16 jets"),
]
STRIKE_TARGETS = ["a weapons depot", "a residential building", "a command post", "a fuel depot",
                  "a power substation", "a checkpoint", "an ammunition store", "a radar site",
                  "a training camp", "a market", "a bridge", "a port facility"]
STRIKE_SOURCES = ["local officials said", "the regional governor said", "a war monitor said",
                  "the military said in a statement", "state media reported", "medics said",
                  "residents told reporters"]
VISITORS = [  # (name, title, home country adjective)
    ("Antony Blinken", "U.S. Secretary of State", "American"), ("Sergei Lavrov", "Russian Foreign Minister", "Russian"),
    ("Wang Yi", "Chinese Foreign Minister", "Chinese"), ("Annalena Baerbock", "German Foreign Minister", "German"),
    ("Hakan Fidan", "Turkish Foreign Minister", "Turkish"), ("Emmanuel Macron", "French President", "French"),
    ("Narendra Modi", "Indian Prime Minister", "Indian"), ("Olaf Scholz", "German Chancellor", "German"),
    ("Ayman Safadi", "Jordanian Foreign Minister", "Jordanian"), ("Penny Wong", "Australian Foreign Minister", "Australian"),
    ("Abbas Araghchi", "Iranian Foreign Minister", "Iranian"), ("Lloyd Austin", "U.S. Defense Secretary", "American"),
]
VISIT_DESTS = [("Kyiv", "Ukraine"), ("Beijing", "China"), ("Cairo", "Egypt"), ("Riyadh", "Saudi Arabia"),
               ("Ankara", "Turkey"), ("New Delhi", "India"), ("Tokyo", "Japan"), ("Warsaw", "Poland"),
               ("Doha", "Qatar"), ("Belgrade", "Serbia"), ("Jakarta", "Indonesia"), ("Nairobi", "Kenya"),
               ("Brasilia", "Brazil"), ("Amman", "Jordan"), ("Seoul", "South Korea"), ("Hanoi", "Vietnam")]
VISIT_PURPOSES = ["talks on regional security", "talks on trade and energy", "discussions about a ceasefire",
                  "a meeting with his counterpart", "talks on grain exports", "a summit on climate finance",
                  "talks on defence cooperation"]
ARMS_ITEMS = [("F-16 fighter jets", "fighter jets"), ("Patriot air defence batteries", "batteries"),
              ("Leopard 2 tanks", "tanks"), ("CAESAR howitzers", "howitzers"), ("Black Hawk helicopters", "helicopters"),
              ("HIMARS launchers", "launchers"), ("Javelin missiles", "missiles"), ("K9 self-propelled howitzers", "howitzers"),
              ("Rafale fighter jets", "jets"), ("Bayraktar TB2 drones", "drones")]
ARMS_SELLERS = [("The United States", "U.S."), ("France", "French"), ("Germany", "German"), ("South Korea", "South Korean"),
                ("Turkey", "Turkish"), ("Sweden", "Swedish")]
ARMS_BUYERS = ["Poland", "Taiwan", "India", "Egypt", "Romania", "Indonesia", "the Philippines", "Norway",
               "Saudi Arabia", "Morocco", "Greece", "Vietnam", "Estonia", "Brazil"]
KILL_ROLES = ["a senior Hezbollah commander", "a local Islamic State leader", "a district mayor",
              "a journalist working for a local radio station", "a senior al-Shabaab commander",
              "a provincial police chief", "a regional council member", "a Houthi military official"]
KILL_PLACES = [("Djibo", "Burkina Faso"), ("Mogadishu", "Somalia"), ("Tyre", "Lebanon"), ("Kandahar", "Afghanistan"),
               ("Gao", "Mali"), ("Raqqa", "Syria"), ("Berdyansk", "Ukraine"), ("Maiduguri", "Nigeria"),
               ("Quetta", "Pakistan"), ("Kirkuk", "Iraq")]
KILL_HOW = ["when gunmen opened fire on his car", "in an ambush on the road outside the town",
            "when a bomb planted under his vehicle exploded", "in a drone strike on his convoy",
            "when assailants stormed his home"]
QUOTE_SPEAKERS = [("Volodymyr Zelenskiy", "Ukraine's president"), ("Dmitry Peskov", "the Kremlin spokesman"),
                  ("Matthew Miller", "the State Department spokesman"), ("Mao Ning", "a Chinese foreign ministry spokeswoman"),
                  ("Stephane Dujarric", "the U.N. spokesman"), ("Josep Borrell", "the EU foreign policy chief"),
                  ("Jens Stoltenberg", "NATO's secretary general"), ("Nasser Kanaani", "Iran's foreign ministry spokesman")]
QUOTE_BODIES = ["We will not accept any agreement that rewards aggression", "The situation on the ground remains extremely dangerous",
                "This attack was a clear violation of international law", "Our position has not changed",
                "We call on all sides to show restraint", "Diplomacy is the only way out of this crisis",
                "Those responsible will be held to account", "Talks will continue next week"]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SOURCES = ["Wirewire", "Harbour Herald", "Continental Post", "Daily Meridian", "Northern Ledger", "Plains Gazette"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen"]


# ---------------------------------------------------------------------------------------------
# sentence generators
# ---------------------------------------------------------------------------------------------

def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _pct(r: random.Random) -> str:
    return f"{r.randint(0, 12)}.{r.randint(0, 9)} percent"


def _economy(r: random.Random) -> str:
    c = r.randrange(6)
    if c == 0:
        return (f"{r.choice(INDICATORS).capitalize()} {r.choice(TRENDS)} {r.choice(ADVERBS)} {r.choice(PERIODS)}, "
                f"{r.choice(CONNECT)} {r.choice(INDICATORS)} {r.choice(TRENDS)} to {_pct(r)}.")
    if c == 1:
        q = (f"{r.choice(['Demand', 'Momentum', 'Sentiment', 'Hiring', 'Investment'])} is "
             f"{r.choice(['holding up', 'fading', 'stronger than expected', 'patchy', 'recovering slowly'])} in "
             f"{r.choice(SECTORS)}")
        who, role = _person(r), f"{r.choice(ANALYST_ROLES)} {r.choice(COMPANIES)}"
        if r.random() < 0.5:
            return f"\"{q},\" said {who}, {role}."
        return f"\"{q},\" {who}, {role}, {r.choice(ANALYST_VERBS)}."
    if c == 2:
        return (f"{r.choice(COMPANIES)} reported a {r.choice(['rise', 'fall', 'jump', 'drop'])} of {_pct(r)} in "
                f"{r.choice(['quarterly profit', 'annual revenue', 'operating income', 'online orders'])}, citing "
                f"{r.choice(['higher prices', 'weaker demand', 'lower costs', 'a strong currency', 'new contracts'])} "
                f"in its {r.choice(SECTORS)} business.")
    if c == 3:
        return (f"The central bank {r.choice(['kept', 'left', 'raised', 'cut'])} its benchmark rate "
                f"{r.choice(['at', 'to'])} {r.randint(1, 6)}.{r.choice(['0', '25', '5', '75'])} percent, "
                f"{r.choice(['citing', 'pointing to', 'warning about'])} {r.choice(INDICATORS)}.")
    if c == 4:
        return (f"Shares in {r.choice(COMPANIES)} {r.choice(TRENDS)} {_pct(r)} in {r.choice(TOWNS)} trading after "
                f"the company {r.choice(['announced a buyback', 'named a new chief executive', 'lowered its forecast', 'won a large contract', 'agreed a merger'])}.")
    return (f"Prices of {r.choice(['coffee', 'copper', 'wheat', 'cocoa', 'natural gas', 'steel', 'rice', 'cotton'])} "
            f"{r.choice(TRENDS)} to a {r.choice(['three-month', 'six-month', 'two-year', 'record'])} "
            f"{r.choice(['high', 'low'])} {r.choice(PERIODS)}.")


def _weather(r: random.Random) -> str:
    c = r.randrange(3)
    town = r.choice(TOWNS)
    if c == 0:
        return (f"{r.choice(WEATHER_EVENTS).capitalize()} {r.choice(WEATHER_EFFECTS)} in {town} on "
                f"{r.choice(WEEKDAYS)}, {r.choice(FORECASTERS)} said.")
    if c == 1:
        return (f"Temperatures in {town} are expected to reach {r.randint(-5, 38)} degrees Celsius by "
                f"{r.choice(WEEKDAYS)}, {r.choice(['before', 'with', 'followed by'])} {r.choice(WEATHER_EVENTS)}.")
    return (f"{r.choice(FORECASTERS).capitalize()} issued a {r.choice(['yellow', 'amber', 'precautionary'])} warning "
            f"for {r.choice(WEATHER_EVENTS)} across the {r.choice(['north', 'south', 'coast', 'valleys', 'plains'])} "
            f"until {r.choice(WEEKDAYS)} evening.")


def _sport(r: random.Random) -> str:
    sport = r.choice(list(SPORTS))
    teams, feats, unit = SPORTS[sport]
    a, b = r.sample(TOWNS, 2)
    if sport in ("tennis", "cycling"):
        return (f"In {sport}, {r.choice(teams)} {_person(r)} {r.choice(feats)} in {a} to "
                f"{r.choice(['reach the final', 'win the title', 'move up the rankings', 'take the lead overall'])}.")
    return (f"{a} {r.choice(teams)} beat {b} {r.choice(teams)} {r.randint(1, 40)}-{r.randint(0, 30)} on "
            f"{r.choice(WEEKDAYS)}, and {_person(r)} {r.choice(feats)} as the home side "
            f"{r.choice(['climbed the table', 'ended a losing run', 'kept their title hopes alive', 'secured a playoff place'])}.")


def _politics(r: random.Random) -> str:
    c = r.randrange(3)
    if c == 0:
        return (f"In {r.choice(TOWNS)}, {r.choice(POL_BODIES)} {r.choice(POL_ACTIONS)} {r.choice(POL_GOALS)}, "
                f"a move {r.choice(['welcomed by unions', 'opposed by business groups', 'criticised by the opposition', 'that surprised analysts'])}.")
    if c == 1:
        return (f"Councillor {_person(r)} said the plan to {r.choice(POL_GOALS)} would cost about "
                f"{r.randint(2, 90)} million {r.choice(['euros', 'pounds', 'dollars', 'crowns'])} over "
                f"{r.choice(['three', 'five', 'ten'])} years.")
    return (f"A poll published on {r.choice(WEEKDAYS)} showed {r.randint(30, 70)} percent of voters in "
            f"{r.choice(TOWNS)} support efforts to {r.choice(POL_GOALS)}.")


def _culture(r: random.Random) -> str:
    c = r.randrange(3)
    if c == 0:
        return (f"The {r.choice(TOWNS)} {r.choice(EVENTS_CULTURE)} {r.choice(CULTURE_VERBS)} this "
                f"{r.choice(['week', 'weekend', 'month', 'season'])}, with {r.choice(WORKS)} among the highlights.")
    if c == 1:
        return (f"Critics praised {r.choice(WORKS)} by {_person(r)}, which "
                f"{r.choice(['opens in', 'tours to', 'premieres in', 'transfers to'])} {r.choice(TOWNS)} next month.")
    return (f"Organisers expect some {r.randint(5, 90)},000 visitors at the {r.choice(EVENTS_CULTURE)}, where "
            f"{_person(r)} will present {r.choice(WORKS)}.")


def _tech_health(r: random.Random) -> str:
    if r.random() < 0.5:
        return (f"{r.choice(COMPANIES)} said it would open {r.choice(TECH)} near {r.choice(TOWNS)}, creating about "
                f"{r.randint(50, 900)} jobs by {r.choice(['2026', '2027', '2028'])}.")
    return (f"Health officials in {r.choice(TOWNS)} launched {r.choice(HEALTH)}, {r.choice(CONNECT)} "
            f"{r.choice(['doctors', 'patient groups', 'pharmacists', 'hospital managers'])} "
            f"{r.choice(['welcomed the move', 'asked for more funding', 'warned of staff shortages', 'called for clearer rules'])}.")


TOPICS = {"economy": _economy, "weather": _weather, "sport": _sport, "politics": _politics,
          "culture": _culture, "tech_health": _tech_health}


def _strike(r: random.Random) -> str:
    city, country, attacker, weapon = r.choice(CONFLICT_PLACES)
    n = r.choice(NUMBER_WORDS + [str(r.randint(2, 40))])
    return (f"{attacker} {weapon} struck {r.choice(STRIKE_TARGETS)} in {city}, {country}, on {r.choice(WEEKDAYS)}, "
            f"killing {n} people and wounding {r.randint(3, 60)} others, {r.choice(STRIKE_SOURCES)}.")


def _visit(r: random.Random) -> str:
    name, title, _ = r.choice(VISITORS)
    city, _country = r.choice(VISIT_DESTS)
    if r.random() < 0.5:
        return f"{title} {name} arrived in {city} on {r.choice(WEEKDAYS)} for {r.choice(VISIT_PURPOSES)}."
    return f"{title} {name} will travel to {city} next week for {r.choice(VISIT_PURPOSES)}, his office said."


def _arms(r: random.Random) -> str:
    item, _ = r.choice(ARMS_ITEMS)
    seller, adj = r.choice(ARMS_SELLERS)
    buyer = r.choice(ARMS_BUYERS)
    value = f"${r.randint(1, 9)}.{r.randint(1, 9)} billion" if r.random() < 0.6 else f"${r.randint(100, 900)} million"
    if seller == "The United States" and r.random() < 0.6:
        return (f"The U.S. State Department approved a possible sale of {r.randint(4, 48)} {item} to {buyer} "
                f"worth an estimated {value}, the Defense Security Cooperation Agency said.")
    return f"{buyer} signed a contract worth {value} to buy {r.randint(4, 48)} {item} from {seller.lower() if seller.startswith('The') else seller}, the defence ministry said."


def _killing(r: random.Random) -> str:
    city, country = r.choice(KILL_PLACES)
    return (f"{_person(r)}, {r.choice(KILL_ROLES)}, was killed in {city}, {country}, on {r.choice(WEEKDAYS)} "
            f"{r.choice(KILL_HOW)}, officials said.")


def _quote(r: random.Random) -> str:
    name, role = r.choice(QUOTE_SPEAKERS)
    body = r.choice(QUOTE_BODIES)
    form = r.randrange(3)
    if form == 0:
        return f"\"{body},\" said {name}, {role}."
    if form == 1:
        return f"{name}, {role}, told reporters on {r.choice(WEEKDAYS)}: \"{body}.\""
    return f"\"{body},\" {name}, {role}, told reporters on {r.choice(WEEKDAYS)}."


RELEVANT = {"strike": _strike, "visit": _visit, "arms_sale": _arms, "killing": _killing, "quote": _quote}

_TITLES = ["{t} in {town}: what we know", "{town} {w} as {t2}", "Officials in {town} weigh {t}",
           "{t} draws attention in {town}", "Week ahead: {t}"]


@dataclass
class Article:
    title: str
    text: str
    published_at: str
    source: str
    url: str
    relevant: list[str]

    @property
    def n_words(self) -> int:
        return len(self.text.split())


def make_article(r: random.Random, i: int, words: int = 600, relevant_share: float = 0.25) -> Article:
    """One article of about `words` words: paragraphs of 2-4 sentences from two or three topics;
    with probability `relevant_share`, one or two relevant sentences in the first paragraphs."""
    topics = r.sample(list(TOPICS), r.choice([2, 3]))
    weights = [r.random() + 0.3 for _ in topics]
    relevant = []
    if r.random() < relevant_share:
        relevant = [r.choice(list(RELEVANT)) for _ in range(r.choice([1, 1, 2]))]
    source = r.choice(SOURCES)
    town = r.choice(TOWNS)
    paragraphs: list[str] = []
    count = 0
    pending = list(relevant)
    while count < words:
        sents = []
        for _ in range(r.randint(2, 4)):
            if pending and (len(paragraphs) >= 1 or r.random() < 0.5) and r.random() < 0.5:
                sents.append(RELEVANT[pending.pop(0)](r))
            else:
                topic = r.choices(topics, weights)[0]
                sents.append(TOPICS[topic](r))
        if r.random() < 0.05:
            sents.append(r.choice(FILLERS))
        para = " ".join(sents)
        paragraphs.append(para)
        count += len(para.split())
    for kind in pending:  # not yet placed: append to the second paragraph
        k = min(1, len(paragraphs) - 1)
        paragraphs[k] += " " + RELEVANT[kind](r)
    if r.random() < 0.6:
        paragraphs[0] = f"{town.upper()} ({source}) - " + paragraphs[0]
    day = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(days=r.randrange(366), minutes=r.randrange(1440))
    t = r.choice(["rising " + r.choice(INDICATORS), r.choice(EVENTS_CULTURE), "plans to " + r.choice(POL_GOALS),
                  r.choice(WEATHER_EVENTS), r.choice(TECH)])
    title = r.choice(_TITLES).format(t=t[0].upper() + t[1:], town=town, w=r.choice(["braces", "waits", "reacts"]),
                                    t2=r.choice(WEATHER_EVENTS))
    return Article(title=title, text="\n\n".join(paragraphs), published_at=day.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   source=source, url=f"https://example.invalid/{source.lower().replace(' ', '-')}/{i:06d}",
                   relevant=relevant)


def generate(n_articles: int, seed: int = 20240601, words: int = 600, relevant_share: float = 0.25) -> list[Article]:
    r = random.Random(seed)
    return [make_article(r, i, words, relevant_share) for i in range(n_articles)]


def write_corpus(out_dir: str | Path, n_articles: int, n_files: int = 10, seed: int = 20240601,
                 words: int = 600) -> tuple[list[Path], list[Article]]:
    """Write the articles as JSONL files (title, text, published_at, source, url) into out_dir."""
    arts = generate(n_articles, seed, words)
    return write_articles(out_dir, arts, n_files), arts


def write_articles(out_dir: str | Path, arts: list[Article], n_files: int, prefix: str = "synthetic") -> list[Path]:
    """The articles as n_files JSONL files of consecutive articles, `<prefix>_<k>.jsonl`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n_files = max(1, min(n_files, len(arts) or 1))
    per = -(-len(arts) // n_files) if arts else 0
    paths = []
    for k in range(n_files):
        chunk = arts[k * per:(k + 1) * per]
        if not chunk:
            break
        p = out / f"{prefix}_{k:02d}.jsonl"
        with p.open("w", encoding="utf-8") as fh:
            for a in chunk:
                fh.write(json.dumps({"title": a.title, "text": a.text, "published_at": a.published_at,
                                     "source": a.source, "url": a.url}, ensure_ascii=False) + "\n")
        paths.append(p)
    return paths
