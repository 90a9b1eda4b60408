"""Arms sales: seller, buyer, items, quantity, value (as stated and in USD) and stage.

A sentence is an arms-sale mention when it has a transfer word (sale, sold, deal, contract,
delivered, Foreign Military Sale...) and a military item (fighter jets, F-16, tanks, air-defence
systems, munitions...). Car, software and share sales have no military item; a defence-stocks
forecast has no buyer. US Foreign Military Sale notices (the State Department approves a
possible sale of listed items to country X, at an estimated cost of $Y) are approved sales with
seller United States.
"""

from __future__ import annotations

import re

from pipelines import actors as A
from pipelines import money as M
from pipelines import numbers as N
from pipelines.context import SentenceView

TRIGGER = re.compile(
    r"\b(?:sales?|sell(?:s|ing)?|sold|purchas\w+|buy(?:s|ing)?|bought|deals?|contracts?|order(?:s|ed)?|deliver\w*|acqui\w+|exports?|supply|supplie[sd]|supplying"
    r"|transfers?|package|Foreign\s+Military\s+Sale)\b",
    re.I,
)
ITEMS = re.compile(
    r"\b(?P<item>(?:(?:[A-Z]{1,3}-?\d{1,3}[A-Z]?(?:\s+[A-Z][\w-]+)?|Patriot|HIMARS|NASAMS|IRIS-T|THAAD|Javelin|Stinger|Harpoon|Hellfire|Tomahawk|ATACMS|AMRAAM"
    r"|Rafale|Typhoon|Eurofighter|Gripen|Bayraktar(?:\s+TB2)?|Leopard(?:\s+2)?|Abrams|Apache|Black\s*Hawk|Chinook|Reaper|MQ-9\w*|K2|K9|KF-21|Su-\d+|MiG-\d+|S-\d00|Pantsir|Kornet|Iron\s+Dome)"
    r"[\w\s-]{0,30}?)?(?:fighter\s+jets?|fighter\s+aircraft|combat\s+aircraft|jets?|aircraft|warplanes?|fighters|helicopters?|tanks?|howitzers?|artillery(?:\s+systems?)?|missiles?"
    r"|rockets?|interceptors?|drones?|UAVs?|air[- ]defen[cs]e\s+systems?|missile\s+(?:defen[cs]e\s+)?systems?|launchers?|radars?|armou?red\s+vehicles?|frigates?|submarines?"
    r"|warships?|corvettes?|patrol\s+(?:boats|vessels)|munitions|ammunition|shells|bombs|rifles|small\s+arms|weapons?(?:\s+systems?)?|arms|military\s+equipment|defen[cs]e\s+equipment"
    r"|spare\s+parts|systems))\b",
    re.I,
)
_ARMS_CONTEXT = re.compile(
    r"\b(?:arms|weapons?|military|defen[cs]e|fighter|missiles?|tanks?|howitzers?|munitions|ammunition|warships?|submarines?|frigates?|drones?|helicopters?|air[- ]defen[cs]e"
    r"|Foreign\s+Military\s+Sale|F-\d+|Patriot|HIMARS|Rafale|S-400)\b",
    re.I,
)
_NOT_ARMS = re.compile(
    r"\b(?:car|cars|vehicle\s+sales|automaker|software|cloud|smartphones?|retail|home\s+sales|housing|shares|stocks?|equit\w+|earnings|revenue\s+forecast|analysts?\s+expect"
    r"|ticket|tickets|album|video\s+games?|toy\s+drones?|consumer\s+drones?|hobby)\b",
    re.I,
)
_STATUS = (
    ("cancelled", re.compile(r"\b(?:cancel(?:l?ed|s|ling)?|scrapped|suspend\w*|halt\w*|froze|frozen|freez\w+|blocked|vetoed|terminated|pulled\s+out|withdr[ae]w)\b", re.I)),
    ("proposed", re.compile(r"\b(?:no\s+(?:formal\s+|final\s+)?(?:agreement|deal|contract)\s+(?:has|had)\s+been|not\s+yet\s+(?:signed|agreed|finali[sz]ed)|propos\w+|negotiat\w+|talks|considering|consider|could\s+buy|may\s+buy|might\s+buy|offer\w*|in\s+discussions|interest\s+in|mulling|weighing|seeking\s+to\s+buy|potential)\b", re.I)),
    ("delivered", re.compile(r"\b(?:deliver(?:ed|ies|y)|received|arrived|handed\s+over|took\s+delivery|shipped|transferred|supplied|first\s+batch)\b", re.I)),
    ("approved", re.compile(r"\b(?:approv\w+|cleared|green[- ]?light\w*|authori[sz]ed|notified\s+Congress|made\s+a\s+determination|signed\s+off)\b", re.I)),
    ("signed", re.compile(r"\b(?:signed|inked|sealed|concluded|awarded|agreed\s+to\s+(?:buy|purchase|sell)|ordered|purchased|bought|finali[sz]ed|struck\s+a\s+deal|clinched)\b", re.I)),
    ("requested", re.compile(r"\b(?:request\w*|asked\s+(?:for|to\s+buy)|seeking|seeks|sought|applied\s+for|wants?\s+to\s+buy|letter\s+of\s+request)\b", re.I)),
)
# Arms makers and agencies whose name stands for the selling country.
_MAKERS = {
    "Lockheed Martin": "USA", "Boeing": "USA", "Raytheon": "USA", "RTX": "USA", "General Dynamics": "USA", "Northrop Grumman": "USA",
    "L3Harris": "USA", "Dassault": "FRA", "Naval Group": "FRA", "Thales": "FRA", "MBDA": "FRA", "Nexter": "FRA", "KNDS": "FRA",
    "Rheinmetall": "DEU", "Krauss-Maffei": "DEU", "KMW": "DEU", "Diehl": "DEU", "BAE Systems": "GBR", "Leonardo": "ITA", "Saab": "SWE",
    "Rosoboronexport": "RUS", "Rostec": "RUS", "Hanwha": "KOR", "Hyundai Rotem": "KOR", "Korea Aerospace Industries": "KOR", "KAI": "KOR",
    "Baykar": "TUR", "Aselsan": "TUR", "Roketsan": "TUR", "NORINCO": "CHN", "AVIC": "CHN", "Elbit": "ISR", "Rafael": "ISR",
    "Israel Aerospace Industries": "ISR", "Embraer": "BRA", "Navantia": "ESP", "Kongsberg": "NOR", "Patria": "FIN",
}
_MAKER_RE = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in sorted(_MAKERS, key=len, reverse=True)) + r")\b")
# A US Foreign Military Sale notice: the whole article is about a sale the State Department
# approved, whatever each sentence says ("The Government of Iraq has requested to buy ...").
_FMS_NOTICE = re.compile(r"\bForeign\s+Military\s+Sales?\b|\bDefense\s+Security\s+Cooperation\s+Agency\b|\bnotifying\s+Congress\b", re.I)
_FMS_ITEMS = re.compile(r"\bGovernment\s+of\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}\s+of\s+(?P<items>[^.;]{3,160}?)\s+for\s+an\s+estimated", re.I)
_FMS = re.compile(r"\bForeign\s+Military\s+Sale\b|\bState\s+Department\b.{0,80}\b(?:approv\w+)\b.{0,60}\bsale\b", re.I)
_GOV_OF = re.compile(r"\b(?:Government|Kingdom|Republic|State|Sultanate|Emirate)\s+of\s+(?P<c>(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})")
_COST = re.compile(r"\b(?:estimated\s+(?:total\s+)?(?:program\s+)?cost|total\s+(?:estimated\s+)?(?:value|cost)|valued\s+at|worth|for\s+an\s+estimated|at\s+a\s+cost\s+of|cost\s+of|price\s+tag)\b", re.I)
_EARLIER_VALUE = re.compile(r"\b(?:original(?:ly)?|previous(?:ly)?|earlier|prior|initial)\b.{0,60}$|\bcase\s+[A-Z]{2}-[A-Z]-[A-Z]{3}\b", re.I)


def is_arms_sentence(text: str) -> bool:
    if _FMS.search(text):
        return True
    return bool(TRIGGER.search(text)) and bool(ITEMS.search(text)) and bool(_ARMS_CONTEXT.search(text)) and not _NOT_ARMS.search(text)


def fms_notice(view: SentenceView) -> bool:
    notes = view.article.notes
    if "fms" not in notes:
        notes["fms"] = bool(_FMS_NOTICE.search(view.article.text))
    return notes["fms"]


def _country_after(text: str, pattern: str) -> A.Actor | None:
    for m in re.finditer(pattern, text):
        actors = A.find_actors(text[m.end():m.end() + 60])
        if actors and actors[0][0] <= 12:
            return actors[0][2]
    return None


def _parties(view: SentenceView):
    text = view.text
    seller = buyer = None
    gov = _GOV_OF.search(text)
    if gov:
        buyer = A.resolve_actor(gov.group("c"))
    if _FMS.search(text):
        seller = A.resolve_actor("United States")
    maker = _MAKER_RE.search(text)
    seller_name = None
    if maker and seller is None:
        seller_name = maker.group()
    buyer = buyer or _country_after(text, r"\b(?:to|for)\s+(?:the\s+)?")
    seller = seller or _country_after(text, r"\bfrom\s+(?:the\s+)?")
    countries = [(s, e, a) for s, e, a in view.actors if a.kind in ("country", "government") and a.iso3]
    buy_verb = re.search(r"\b(?:buy|buys|bought|purchas\w+|order\w*|acqui\w+|receiv\w+|took\s+delivery|request\w*|seek\w*|sought)\b", text, re.I)
    sell_verb = re.search(r"\b(?:sell|sells|sold|sale|supply|supplie[sd]|deliver\w*|export\w*|transfer\w*|approv\w+|offer\w*)\b", text, re.I)
    for s, e, a in countries:
        if buyer is not None and a.iso3 == buyer.iso3 or seller is not None and a.iso3 == seller.iso3:
            continue
        if buy_verb and s < buy_verb.start() and buyer is None:
            buyer = a
        elif sell_verb and s < sell_verb.start() and seller is None:
            seller = a
        elif buyer is None and sell_verb and s > sell_verb.start():
            buyer = a
    return seller, seller_name, buyer


def _value(view: SentenceView, year: int | None) -> M.Money | None:
    best = None
    for money in M.find_money(view.text, year):
        if _EARLIER_VALUE.search(view.text[max(0, money.start - 80):money.start]):
            continue
        if best is None or money.value_usd and (best.value_usd or 0) < money.value_usd:
            best = money
    return best


def _items(text: str) -> tuple[str | None, int | None]:
    m = ITEMS.search(text)
    if not m:
        return None, None
    item = " ".join(m.group("item").split())
    quantity = None
    for c in N.find_counts(text[:m.start()]):
        if m.start() - c.end <= 25 and c.qualifier in ("exact", "up to", "about", "at least"):
            quantity = c.high if c.qualifier == "up to" else c.low
    return item, quantity


def _status(text: str) -> str:
    for status, pattern in _STATUS:
        if pattern.search(text):
            return status
    return "reported"


def extract(view: SentenceView) -> list[dict]:
    text = view.text
    fms = fms_notice(view)
    if not is_arms_sentence(text) and not (fms and _GOV_OF.search(text) and TRIGGER.search(text)):
        return []
    seller, seller_name, buyer = _parties(view)
    if fms and seller is None and seller_name is None:
        seller = A.resolve_actor("United States")
    seller_iso = seller.iso3 if seller else (_MAKERS.get(seller_name) if seller_name else None)
    if buyer is not None and buyer.iso3 == seller_iso:
        buyer = None
    money_probe = M.find_money(text)
    if sum(x is not None and x != [] for x in (buyer, seller or seller_name, money_probe or None)) < 2:
        return []  # a deal needs two of: a buyer, a seller, a value
    items, quantity = _items(text)
    fms_items = _FMS_ITEMS.search(text)
    if fms_items:
        items = " ".join(fms_items.group("items").split())
    money = _value(view, view.article.year)
    status = _status(text)
    if fms and status in ("reported", "requested", "proposed", "delivered") and not re.search(r"\bcancel\w*\b", text, re.I):
        status = "approved"  # a DSCA notice: the State Department approved the possible sale
    return [{
        "seller": seller.canonical if seller else seller_name,
        "seller_country": seller.iso3 if seller else (_MAKERS.get(seller_name) if seller_name else None),
        "buyer": buyer.canonical if buyer else None,
        "buyer_country": buyer.iso3 if buyer else None,
        "items": items,
        "quantity": quantity,
        "value": money.value if money else None,
        "currency": money.currency if money else None,
        "value_usd": money.value_usd if money else None,
        "value_text": money.text if money else None,
        "value_qualifier": money.qualifier if money else None,
        "status": status,
        "_actor_names": tuple(x for x in ((seller.matched if seller else None),) if x),
        "_confidence": round(0.5 + 0.2 * (buyer is not None) + 0.15 * (seller is not None or seller_name is not None) + 0.14 * (money is not None), 2),
    }]


def cost_sentence_value(view: SentenceView) -> M.Money | None:
    """A later sentence that states the deal's cost ("The estimated total cost is $2.5 billion.")."""
    if not _COST.search(view.text):
        return None
    return _value(view, view.article.year)


def mergeable(first: dict, later: dict) -> bool:
    for k in ("buyer_country", "seller_country"):
        if first.get(k) and later.get(k) and first[k] != later[k]:
            return False
    return bool(first.get("buyer_country")) and first.get("buyer_country") == later.get("buyer_country") or (
        later.get("buyer_country") is None and later.get("seller_country") in (None, first.get("seller_country")) and first.get("buyer_country") is not None
    )


def is_candidate(text: str) -> bool:
    """Cheap filter before parsing: may this sentence report an arms sale?"""
    return is_arms_sentence(text)


def assemble(rows: list[dict], view_a, sentences, docs) -> list[dict]:
    """An article's arms-sale rows (finished with evidence, dates and certainty): a sale without
    a value takes the cost stated in one of the next three sentences, then the mentions of one
    deal are merged."""
    from pipelines.assemble import merge_mentions
    from pipelines.context import SentenceView

    for row in rows:
        if row.get("value") is not None:
            continue
        for sent in sentences[row["sentence_index"] + 1:row["sentence_index"] + 4]:
            money = cost_sentence_value(SentenceView(view_a, sent, None))
            if money is not None:
                row.update(value=money.value, currency=money.currency, value_usd=money.value_usd,
                           value_text=money.text, value_qualifier=money.qualifier)
                break
    return merge_mentions(rows, mergeable)
