"""A deterministic, event-dense synthetic English news corpus for throughput measurement.

The sparse generator (benchmarks/corpus.py) writes articles where fewer than 1 in 100 sentences is
a candidate for the parser. News about conflict and diplomacy, the input this tool is for, is far
denser: here about four sentences in five are strike, visit, arms-sale or killing sentences in
wire style (attackers, weapons, targets, places, tolls with their sources and hedges, visitors and
hosts, sellers, buyers, items and values, named victims), the rest the reactions, background and
quotes that surround them in a wire story. Every sentence is built from templates written for this
project over large vocabularies, so articles of about 600 words do not repeat. The events are
invented; the corpus measures speed, not accuracy.

    from benchmarks.dense_corpus import write_dense_corpus
    paths, arts = write_dense_corpus(out_dir, n_articles=5000, n_files=1, seed=20240601)

`sentences_from` (the benchmark's --sentences-from PATH) builds the articles instead from the
sentences of JSON-lines files given by path (their `text`, `sentence` or `body` fields), e.g. the
shared real-news sets; nothing of them is copied into this repository, the corpus is written to
the benchmark's temporary folder.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.corpus import Article

# ---------------------------------------------------------------------------------------------
# vocabularies
# ---------------------------------------------------------------------------------------------

# (town, country, parties that strike there: (attacker as written, weapon phrase))
THEATRES = [
    (["Kharkiv", "Zaporizhzhia", "Kherson", "Sumy", "Dnipro", "Odesa", "Mykolaiv", "Pokrovsk", "Chernihiv", "Kramatorsk"],
     "Ukraine", [("Russian forces", "missiles"), ("Russian warplanes", "glide bombs"), ("Russia", "Shahed drones"),
                 ("Russian troops", "artillery"), ("Moscow", "ballistic missiles")]),
    (["Belgorod", "Kursk", "Bryansk", "Voronezh", "Rostov-on-Don"], "Russia",
     [("Ukrainian forces", "drones"), ("Ukraine", "long-range drones"), ("Kyiv", "missiles")]),
    (["Khan Younis", "Rafah", "Gaza City", "Jabalia", "Deir al-Balah", "Nuseirat"], "the Gaza Strip",
     [("Israeli warplanes", "air strikes"), ("Israel", "drones"), ("Israeli forces", "tank shells")]),
    (["Tyre", "Nabatieh", "Baalbek", "Bint Jbeil", "Sidon"], "Lebanon",
     [("Israeli jets", "air strikes"), ("the Israeli military", "drones")]),
    (["Hodeidah", "Sanaa", "Saada", "Marib"], "Yemen",
     [("U.S. and British warplanes", "air strikes"), ("the Saudi-led coalition", "air strikes"), ("U.S. forces", "cruise missiles")]),
    (["Idlib", "Aleppo", "Deir ez-Zor", "Homs", "Raqqa"], "Syria",
     [("Syrian government forces", "barrel bombs"), ("Russian aircraft", "air strikes"), ("Turkish drones", "drones")]),
    (["Mogadishu", "Kismayo", "Baidoa", "Beledweyne"], "Somalia",
     [("al-Shabaab militants", "mortars"), ("U.S. Africa Command", "an air strike"), ("al-Shabaab", "a car bomb")]),
    (["Kandahar", "Jalalabad", "Kunduz", "Khost"], "Afghanistan",
     [("Pakistani jets", "air strikes"), ("Islamic State militants", "a suicide bomber")]),
    (["Maiduguri", "Bama", "Gwoza", "Monguno"], "Nigeria",
     [("Boko Haram fighters", "rocket-propelled grenades"), ("the Nigerian air force", "air strikes")]),
    (["Gao", "Mopti", "Timbuktu", "Kidal"], "Mali",
     [("jihadist fighters", "mortar rounds"), ("the Malian army", "drones")]),
    (["El Fasher", "Omdurman", "Nyala", "Wad Madani"], "Sudan",
     [("the Rapid Support Forces", "artillery"), ("the Sudanese army", "air strikes")]),
    (["Goma", "Bunia", "Beni"], "the Democratic Republic of Congo",
     [("M23 rebels", "artillery"), ("ADF militants", "machetes and guns")]),
    (["Erbil", "Kirkuk", "Mosul"], "Iraq",
     [("Iran-backed militias", "drones"), ("Turkish warplanes", "air strikes"), ("Iran", "ballistic missiles")]),
]
TARGETS = ["a residential building", "an apartment block", "a market", "a school used as a shelter", "a power plant",
           "a fuel depot", "an ammunition depot", "a hospital", "a military base", "a checkpoint", "a bridge",
           "a railway station", "a grain terminal", "a camp for displaced people", "a police station", "a convoy",
           "a mosque", "a training camp", "a port", "an airfield", "a weapons factory", "a command post"]
VERBS_STRIKE = ["struck", "hit", "pounded", "bombed", "shelled", "targeted", "attacked"]
TOLL_SOURCES = ["local officials said", "the regional governor said", "the health ministry said",
                "according to the civil defence agency", "rescuers said", "a hospital official said",
                "the mayor said on Telegram", "according to a monitoring group", "police said",
                "medical sources told reporters", "the emergency services said"]
HEDGES = ["", "", "", "at least ", "as many as ", "about ", "nearly "]
WOUND_WORDS = ["wounding", "injuring", "leaving"]
CASUALTY_NOUNS = ["people", "civilians", "soldiers", "fighters", "children", "police officers", "workers"]

VISITORS = [
    ("Secretary of State", ["Antony Blinken", "Marco Rubio"], "United States"),
    ("Foreign Minister", ["Annalena Baerbock", "Wang Yi", "Sergei Lavrov", "Hakan Fidan", "Penny Wong", "Ahmed Attaf",
                          "Mauro Vieira", "Subrahmanyam Jaishankar", "Yoko Kamikawa", "Melanie Joly", "Radoslaw Sikorski"],
     None),
    ("President", ["Emmanuel Macron", "Recep Tayyip Erdogan", "Luiz Inacio Lula da Silva", "Cyril Ramaphosa",
                   "Volodymyr Zelenskiy", "Xi Jinping", "William Ruto", "Javier Milei"], None),
    ("Prime Minister", ["Narendra Modi", "Keir Starmer", "Giorgia Meloni", "Fumio Kishida", "Anthony Albanese",
                        "Justin Trudeau", "Shehbaz Sharif", "Pedro Sanchez", "Donald Tusk"], None),
    ("Defence Minister", ["Boris Pistorius", "Lloyd Austin", "Rustem Umerov", "Richard Marles", "Sebastien Lecornu"], None),
    ("Chancellor", ["Olaf Scholz", "Friedrich Merz"], "Germany"),
]
CAPITALS = ["Kyiv", "Beijing", "Moscow", "New Delhi", "Tokyo", "Ankara", "Cairo", "Riyadh", "Jakarta", "Hanoi",
            "Nairobi", "Addis Ababa", "Brasilia", "Buenos Aires", "Canberra", "Seoul", "Manila", "Warsaw",
            "Paris", "Berlin", "Rome", "Madrid", "London", "Washington", "Ottawa", "Abuja", "Doha", "Tehran",
            "Islamabad", "Baghdad", "Amman", "Algiers", "Rabat", "Pretoria", "Bogota", "Mexico City"]
HOSTS = ["his counterpart", "the country's president", "the prime minister", "senior officials", "the foreign minister",
         "the king", "the emir", "business leaders", "the defence minister"]
PURPOSES = ["talks on the war", "talks on trade and security", "a two-day official visit", "a summit on energy",
            "talks on a ceasefire", "a state visit", "consultations on the crisis", "a meeting of foreign ministers",
            "the signing of a defence pact", "talks on grain exports", "a regional security conference"]

ARMS = [("F-16 fighter jets", 8, 48), ("Patriot air defence systems", 1, 6), ("Leopard 2 tanks", 10, 120),
        ("Abrams tanks", 10, 250), ("CAESAR howitzers", 6, 36), ("Black Hawk helicopters", 4, 40),
        ("HIMARS launchers", 4, 30), ("Javelin anti-tank missiles", 100, 2000), ("K9 self-propelled howitzers", 12, 200),
        ("Rafale fighter jets", 6, 36), ("Bayraktar TB2 drones", 4, 24), ("MQ-9B Reaper drones", 4, 31),
        ("AIM-120 air-to-air missiles", 40, 400), ("Harpoon anti-ship missiles", 12, 100), ("Gripen fighter jets", 6, 24),
        ("NASAMS air defence batteries", 1, 8), ("corvettes", 2, 6), ("submarines", 2, 6), ("armoured vehicles", 50, 500)]
SELLERS = [("the United States", "U.S."), ("France", "French"), ("Germany", "German"), ("South Korea", "South Korean"),
           ("Turkey", "Turkish"), ("Sweden", "Swedish"), ("Israel", "Israeli"), ("Russia", "Russian"),
           ("China", "Chinese"), ("Italy", "Italian"), ("Britain", "British"), ("Spain", "Spanish")]
BUYERS = ["Poland", "Taiwan", "India", "Egypt", "Romania", "Indonesia", "the Philippines", "Norway", "Saudi Arabia",
          "Morocco", "Greece", "Vietnam", "Estonia", "Brazil", "Qatar", "the United Arab Emirates", "Jordan",
          "Pakistan", "Nigeria", "Algeria", "Thailand", "Chile", "Peru", "Kenya", "Bulgaria", "Latvia", "Lithuania"]
MAKERS = ["Lockheed Martin", "Raytheon", "Rheinmetall", "Hanwha Aerospace", "Dassault Aviation", "Saab", "Baykar",
          "KNDS", "General Dynamics", "Leonardo", "Naval Group", "Elbit Systems"]

FIRST = ["Ahmed", "Mohammed", "Hassan", "Ali", "Yusuf", "Ibrahim", "Omar", "Khalid", "Abdullahi", "Mustafa", "Oleksandr",
         "Serhiy", "Andriy", "Dmytro", "Viktor", "Pavel", "Amadou", "Moussa", "Ousmane", "Juan", "Carlos", "Luis",
         "Samir", "Karim", "Tariq", "Nasser", "Fatima", "Aisha", "Leila", "Olena", "Maryam", "Rania", "Hussein",
         "Abdul", "Idris", "Bashir", "Jamal", "Faisal", "Salim", "Rashid"]
LAST = ["Haddad", "Nasser", "Al-Masri", "Hassan", "Abdi", "Warsame", "Mohamud", "Kovalenko", "Shevchenko", "Bondarenko",
        "Melnyk", "Traore", "Diallo", "Coulibaly", "Keita", "Rahimi", "Karimi", "Saleh", "Khoury", "Mansour",
        "Aziz", "Qureshi", "Yousafzai", "Okonkwo", "Bello", "Abubakar", "Mendoza", "Castillo", "Herrera", "Barakat"]
VICTIM_ROLES = ["a senior Hezbollah commander", "a local Islamic State leader", "the district mayor",
                "a journalist working for a local radio station", "a senior al-Shabaab commander",
                "the provincial police chief", "a member of the regional council", "a Houthi military official",
                "a Hamas commander", "an opposition lawmaker", "a prominent human rights lawyer",
                "a tribal elder who had backed the government", "an army colonel", "a judge", "a village chief"]
KILL_HOW = ["when gunmen opened fire on his car", "in an ambush on the road outside the town",
            "when a bomb planted under his vehicle exploded", "in a drone strike on his convoy",
            "when assailants stormed his home", "by unidentified attackers on a motorbike",
            "in a targeted strike on a flat", "as he left a mosque after Friday prayers"]
PERPETRATORS = ["Gunmen", "Suspected militants", "Unidentified attackers", "Islamic State fighters", "Al-Shabaab militants",
                "Masked men", "Armed men on motorcycles"]

SPOKES = ["a military spokesman", "the interior ministry spokesman", "a senior official who asked not to be named",
          "a spokeswoman for the foreign ministry", "a U.N. spokesman", "the regional governor", "an army commander"]
QUOTES = ["We will respond to this attack at a time of our choosing", "The situation remains extremely dangerous",
          "This was a deliberate attack on civilians", "Our forces acted in self-defence",
          "We call on all sides to show restraint", "Talks will continue next week",
          "Those responsible will be held to account", "The ceasefire must be respected by everyone",
          "We need more air defence, and we need it now", "This agreement strengthens our security for decades"]
BACKGROUND = ["The attack came a day after talks on a ceasefire stalled in {cap}.",
              "Residents said power and water were cut across several districts.",
              "Aid agencies have warned that the humanitarian situation is deteriorating.",
              "The United Nations Security Council is due to meet on the crisis on {day}.",
              "Rescue workers were still searching the rubble late on {day}.",
              "Officials in {cap} did not immediately respond to a request for comment.",
              "The claims could not be independently verified.",
              "Thousands of people have fled the area in recent weeks.",
              "Air raid sirens sounded across the region for more than two hours.",
              "Markets in {cap} were closed and schools moved lessons online."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "11", "12", "14", "15",
                "17", "19", "20", "23", "27", "31", "dozens of"]
SOURCES = ["Wirewire", "Harbour Herald", "Continental Post", "Daily Meridian", "Northern Ledger", "Eastern Desk"]


# ---------------------------------------------------------------------------------------------
# sentences
# ---------------------------------------------------------------------------------------------

def _n(r: random.Random) -> str:
    return r.choice(NUMBER_WORDS)


def _strike(r: random.Random, story: dict) -> str:
    towns, country, parties = r.choice(story["theatres"])
    town = r.choice(towns)
    attacker, weapon = r.choice(parties)
    day = r.choice(WEEKDAYS)
    killed, hurt = f"{r.choice(HEDGES)}{_n(r)} {r.choice(CASUALTY_NOUNS)}", r.randint(2, 80)
    form = r.randrange(6)
    if form == 0:
        return (f"{attacker.capitalize() if attacker[0].islower() else attacker} {r.choice(VERBS_STRIKE)} {r.choice(TARGETS)} "
                f"in {town}, {country}, with {weapon} on {day}, killing {killed} and {r.choice(WOUND_WORDS[:2])} "
                f"{hurt} others, {r.choice(TOLL_SOURCES)}.")
    if form == 1:
        return (f"A {r.choice(['missile', 'drone', 'air', 'rocket'])} strike on {r.choice(TARGETS)} in {town} killed "
                f"{killed} overnight, {r.choice(TOLL_SOURCES)}, blaming {attacker}.")
    if form == 2:
        return (f"{r.choice(HEDGES).strip().capitalize() or 'Some'} {_n(r)} people were killed when {attacker} shelled "
                f"the outskirts of {town} on {day}, {r.choice(TOLL_SOURCES)}.")
    if form == 3:
        return (f"{attacker[0].upper() + attacker[1:]} launched {weapon} at {town} early on {day}, damaging "
                f"{r.choice(TARGETS)} and {r.choice(TARGETS)}, {r.choice(TOLL_SOURCES)}.")
    if form == 4:
        return (f"{attacker[0].upper() + attacker[1:]} said it had struck {r.choice(TARGETS)} near {town}, "
                f"a claim that could not be independently verified.")
    return (f"At least {hurt} people were wounded in {town} when {weapon} fired by {attacker} hit "
            f"{r.choice(TARGETS)}, {r.choice(TOLL_SOURCES)}.")


def _visit(r: random.Random, story: dict) -> str:
    title, name = r.choice(story["visitors"])
    city = r.choice(story["capitals"])
    day = r.choice(WEEKDAYS)
    form = r.randrange(5)
    if form == 0:
        return f"{title} {name} arrived in {city} on {day} for {r.choice(PURPOSES)}."
    if form == 1:
        return f"{title} {name} will travel to {city} next week for {r.choice(PURPOSES)}, the ministry said."
    if form == 2:
        return f"{name}, the {title.lower()}, met {r.choice(HOSTS)} in {city} on {day} during {r.choice(PURPOSES)}."
    if form == 3:
        return f"{title} {name} visited {city} on {day}, the first such trip in {r.randint(2, 15)} years."
    return f"{title} {name} postponed a planned visit to {city}, citing {r.choice(['the security situation', 'the fighting', 'scheduling reasons'])}."


def _arms(r: random.Random, story: dict) -> str:
    item, lo, hi = r.choice(ARMS)
    seller, adj = r.choice(story["sellers"])
    buyer = r.choice(story["buyers"])
    qty = r.randint(lo, hi)
    value = (f"${r.randint(1, 19)}.{r.randint(1, 9)} billion" if r.random() < 0.6
             else f"${r.randint(100, 950)} million")
    form = r.randrange(5)
    if form == 0 and seller == "the United States":
        return (f"The U.S. State Department approved a possible sale of {qty} {item} to {buyer} worth an estimated "
                f"{value}, the Defense Security Cooperation Agency said.")
    if form <= 1:
        return f"{buyer} signed a contract worth {value} to buy {qty} {item} from {seller}, the defence ministry said."
    if form == 2:
        return f"{r.choice(MAKERS)} will deliver {qty} {item} to {buyer} under a {value} deal agreed on {r.choice(WEEKDAYS)}."
    if form == 3:
        return f"{seller[0].upper() + seller[1:]} agreed to supply {buyer} with {qty} {item} in a deal valued at {value}."
    return f"{buyer} plans to buy {qty} {item} from {seller} for about {value}, officials said."


def _killing(r: random.Random, story: dict) -> str:
    towns, country, _ = r.choice(story["theatres"])
    town = r.choice(towns)
    victim = f"{r.choice(FIRST)} {r.choice(LAST)}"
    day = r.choice(WEEKDAYS)
    form = r.randrange(3)
    if form == 0:
        return f"{victim}, {r.choice(VICTIM_ROLES)}, was killed in {town} on {day} {r.choice(KILL_HOW)}, officials said."
    if form == 1:
        return f"{r.choice(PERPETRATORS)} shot dead {victim}, {r.choice(VICTIM_ROLES)}, in {town}, {country}, on {day}."
    return f"{victim}, {r.choice(VICTIM_ROLES)}, was assassinated outside his home in {town} late on {day}, police said."


def _context(r: random.Random, story: dict) -> str:
    form = r.randrange(3)
    if form == 0:
        return r.choice(BACKGROUND).format(cap=r.choice(story["capitals"]), day=r.choice(WEEKDAYS))
    who = r.choice(SPOKES)
    if form == 1:
        return f"\"{r.choice(QUOTES)},\" {who} said."
    return f"{who[0].upper() + who[1:]} told reporters: \"{r.choice(QUOTES)}.\""


EVENTS = {"strike": _strike, "visit": _visit, "arms_sale": _arms, "killing": _killing}
EVENT_WEIGHTS = {"strike": 0.45, "visit": 0.2, "arms_sale": 0.15, "killing": 0.2}
EVENT_SHARE = 0.8  # of the sentences: the rest are reactions, background and quotes


def _story(r: random.Random) -> dict:
    """What one article is about, as a wire story is: one or two theatres of war, a few
    travellers and capitals, a few sellers and buyers."""
    visitors = []
    for title, names, _ in r.sample(VISITORS, 2):
        visitors.append((title, r.choice(names)))
    return {"theatres": r.sample(THEATRES, r.choice([1, 1, 2])), "visitors": visitors,
            "capitals": r.sample(CAPITALS, 2), "sellers": r.sample(SELLERS, 2), "buyers": r.sample(BUYERS, 2)}


def make_dense_article(r: random.Random, i: int, words: int = 600, pool: list[str] | None = None) -> Article:
    """One article of about `words` words in paragraphs of 1-3 sentences; each sentence an event
    sentence with probability EVENT_SHARE (or, with `pool`, a sentence drawn from it)."""
    kinds, weights = list(EVENT_WEIGHTS), list(EVENT_WEIGHTS.values())
    lead = r.choices(kinds, weights)[0]  # the story's main thread, somewhat more frequent
    story = _story(r)
    paragraphs: list[str] = []
    count, relevant = 0, []
    while count < words:
        sents = []
        for _ in range(r.randint(1, 3)):
            if pool is not None:
                sents.append(r.choice(pool))
            elif r.random() < EVENT_SHARE:
                kind = lead if r.random() < 0.4 else r.choices(kinds, weights)[0]
                relevant.append(kind)
                sents.append(EVENTS[kind](r, story))
            else:
                sents.append(_context(r, story))
        para = " ".join(sents)
        paragraphs.append(para)
        count += len(para.split())
    source = r.choice(SOURCES)
    city = story["capitals"][0]
    if r.random() < 0.7:
        paragraphs[0] = f"{city.upper()} ({source}) - " + paragraphs[0]
    day = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(days=r.randrange(366), minutes=r.randrange(1440))
    title = {"strike": "Strikes kill civilians as fighting escalates", "visit": "Envoys converge on the capital",
             "arms_sale": "Arms deal signed amid tensions", "killing": "Official killed in targeted attack"}[lead]
    return Article(title=f"{title} ({i})", text="\n\n".join(paragraphs), published_at=day.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   source=source, url=f"https://example.invalid/dense/{source.lower().replace(' ', '-')}/{i:06d}",
                   relevant=relevant)


def sentences_from(paths: list[str | Path]) -> list[str]:
    """The sentences of JSON-lines files (fields text, sentence or body), split by the pipeline's
    own sentence splitter; read where they are, never copied."""
    from pipelines.text import split_sentences

    out: list[str] = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                text = next((obj[k] for k in ("text", "sentence", "body") if isinstance(obj, dict) and isinstance(obj.get(k), str)), None)
                if text:
                    out.extend(s.text for s in split_sentences(text) if len(s.text.split()) >= 4)
    if not out:
        raise ValueError(f"no sentences found in {', '.join(map(str, paths))}")
    return out


def generate_dense(n_articles: int, seed: int = 20240601, words: int = 600, pool: list[str] | None = None) -> list[Article]:
    r = random.Random(seed)
    return [make_dense_article(r, i, words, pool) for i in range(n_articles)]


def write_dense_corpus(out_dir: str | Path, n_articles: int, n_files: int = 1, seed: int = 20240601,
                       words: int = 600, pool: list[str] | None = None) -> tuple[list[Path], list[Article]]:
    """Write the articles as JSONL files (title, text, published_at, source, url) into out_dir."""
    from benchmarks.corpus import write_articles

    arts = generate_dense(n_articles, seed, words, pool)
    return write_articles(out_dir, arts, n_files, prefix="dense"), arts
