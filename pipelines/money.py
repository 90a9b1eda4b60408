"""Money amounts in news sentences: "$5 million", "EUR 1.2bn", "Rs 5,000 crore", "half a billion dollars".

`find_money` finds amounts with a currency (a symbol, an ISO code or a currency word; a bare
number is never money), applies the unit ("bn", "million", "crore") and reads the qualifier in
front of it. `to_usd` converts with the yearly average rates in data/usd_rates.csv.

Decisions:
- `value` is the amount in the stated currency with the unit applied (5.6bn -> 5.6e9).
- Qualifiers: about = about, around, approximately, roughly, some, an estimated, "or so";
  nearly = nearly, almost, just under, close to; up to = up to, as much as, as high as,
  no more than, less than, under, below; more than = more than, over, in excess of, at least,
  upwards of, above, exceeding, just over, no less than, "or more". Anything else is exact.
  The qualifier words are part of the mention text; neutral framing ("worth", "valued at",
  "costing") is not and leaves the qualifier unchanged.
- The DSCA formula "The estimated total cost is $2.5 billion" / "estimated total case value
  is" gives "up to": those notices state the highest estimated value of a possible sale. Other
  "estimated cost of $X" phrasing gives "about". This context is not part of the mention text.
- A bare "$" is US dollars; "¥" is yen ("CN¥", "RMB", "yuan" are yuan); "Rs" is Indian rupees.
- A written prefix ("Euro 7.87 billion", "US6.1bn") is money only with a unit word after the
  number: "Euro 2024" is a football tournament.
- "pounds" is only money with a unit or "sterling"/"British" and not before "of" ("500 pounds
  of explosives" is a weight); "won" needs a unit, "South Korean" or at least 1,000.
- Ranges ("$1bn-$2bn", "between $1 billion and $2 billion") give one mention per amount.
- Amounts spelled in words are read only with a unit ("one billion dollars", "half a billion
  dollars"); "tens of millions of dollars" and "a billion-dollar deal" are not amounts.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

_RATES_PATH = Path(__file__).parent / "data" / "usd_rates.csv"


@dataclass(frozen=True)
class Money:
    """A money amount found in a sentence.

    Attributes:
        text: the mention as it appears in the sentence, qualifier words included.
        start: offset of the first character in the sentence.
        end: offset one past the last character.
        value: the amount in `currency` with the unit applied.
        currency: ISO 4217 code.
        value_usd: `value` in US dollars at the yearly average rate, None without a rate.
        qualifier: about | nearly | up to | more than | exact.
        rate_year: the year whose rate was used (the nearest available to the year asked for);
            None for US dollars and when there is no rate.
    """

    text: str
    start: int
    end: int
    value: float
    currency: str
    value_usd: float | None
    qualifier: str
    rate_year: int | None = None


_QUALIFIERS = {
    "about": "about", "around": "about", "approximately": "about", "approx.": "about",
    "roughly": "about", "some": "about", "an estimated": "about", "estimated": "about",
    "or so": "about",
    "nearly": "nearly", "almost": "nearly", "just under": "nearly", "close to": "nearly",
    "up to": "up to", "as much as": "up to", "as high as": "up to", "no more than": "up to",
    "less than": "up to", "under": "up to", "below": "up to",
    "more than": "more than", "over": "more than", "in excess of": "more than",
    "at least": "more than", "upwards of": "more than", "above": "more than",
    "exceeding": "more than", "just over": "more than", "no less than": "more than",
    "or more": "more than",
}  # fmt: skip
_SCALES = {
    "thousand": 10**3, "k": 10**3,
    "million": 10**6, "mn": 10**6, "mln": 10**6, "mil": 10**6, "m": 10**6,
    "billion": 10**9, "bn": 10**9, "bln": 10**9, "bil": 10**9, "b": 10**9,
    "trillion": 10**12, "tn": 10**12, "trn": 10**12,
    "lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7,
}  # fmt: skip
_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SYMBOLS = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "a$": "AUD", "au$": "AUD",
    "c$": "CAD", "ca$": "CAD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL",
    "€": "EUR", "£": "GBP", "¥": "JPY", "cn¥": "CNY", "₹": "INR", "₽": "RUB", "₩": "KRW",
    "₪": "ILS", "₺": "TRY", "₴": "UAH", "rs": "INR", "rs.": "INR", "rmb": "CNY", "nis": "ILS",
    "euro": "EUR", "euros": "EUR", "us": "USD",
}  # fmt: skip
# Written prefixes that are money only with a unit: "Euro 7.87 billion", "US6.1bn" (not "Euro 2024").
_WORD_PREFIXES = {"euro", "euros", "us"}
_CODES = (
    "USD", "EUR", "GBP", "JPY", "CNY", "INR", "RUB", "SAR", "AED", "ILS", "KRW", "AUD", "CAD",
    "CHF", "SEK", "NOK", "DKK", "TRY", "BRL", "PLN", "UAH", "QAR", "KWD", "PKR", "IRR", "EGP",
    "ZAR", "TWD", "HKD", "SGD", "NZD", "MXN",
)
# Currency word -> default currency; adjectives that change it.
_WORDS = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rouble": "RUB", "ruble": "RUB",
    "riyal": "SAR", "rial": "IRR", "dirham": "AED", "shekel": "ILS", "won": "KRW", "lira": "TRY",
    "franc": "CHF", "krona": "SEK", "kronor": "SEK", "real": "BRL", "reais": "BRL",
    "zloty": "PLN", "hryvnia": "UAH", "rand": "ZAR",
}  # fmt: skip
_ADJECTIVE_CURRENCY = {
    ("dollar", "australian"): "AUD", ("dollar", "canadian"): "CAD",
    ("dollar", "hong kong"): "HKD", ("dollar", "new zealand"): "NZD",
    ("dollar", "singapore"): "SGD", ("dollar", "taiwan"): "TWD", ("dollar", "new taiwan"): "TWD",
    ("pound", "egyptian"): "EGP", ("pound", "lebanese"): "LBP", ("pound", "syrian"): "SYP",
    ("rupee", "pakistani"): "PKR", ("riyal", "qatari"): "QAR", ("kroner", "norwegian"): "NOK",
    ("kroner", "danish"): "DKK", ("krone", "norwegian"): "NOK", ("krone", "danish"): "DKK",
}  # fmt: skip
# Adjectives that keep the default currency of a word shared by several currencies.
_OWN_ADJECTIVES = {"dollar": ("us", "u.s.", "u. s.", "american"), "pound": ("british",)}
_ADJECTIVES = (
    r"U\.\s?S\.|US|American|Australian|Canadian|Hong\s+Kong|New\s+Zealand|Singapore|(?:New\s+)?Taiwan"
    r"|Egyptian|Lebanese|Syrian|British|Pakistani|Indian|Saudi|Qatari|Iranian|Emirati|UAE|Israeli"
    r"|South\s+Korean|Korean|Japanese|Chinese|Russian|Turkish|Swiss|Swedish|Norwegian|Danish"
    r"|Brazilian|Polish|Ukrainian|South\s+African"
)
_CURRENCY_WORDS = (
    r"dollars?|euros?|pounds?(?:\s+sterling)?|sterling|yen|yuan|renminbi|rupees?|roubles?|rubles?"
    r"|riyals?|rials?|dirhams?|shekels?|won|liras?|lire|francs?|kronor|krona|kroner|krone|reais"
    r"|reals?|zlotys?|hryvnias?|rand"
)
_QUALIFIER_RE = (
    r"(?i:an\s+estimated|estimated|approximately|approx\.|about|around|roughly|some|nearly|almost"
    r"|just\s+under|just\s+over|close\s+to|up\s+to|as\s+much\s+as|as\s+high\s+as|no\s+more\s+than"
    r"|less\s+than|under|below|more\s+than|over|in\s+excess\s+of|at\s+least|upwards\s+of|above"
    r"|exceeding|no\s+less\s+than)"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBER = (
    r"(?i:(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+and\s+a\s+half|half\s+an?|a\s+half"
    r"|(?:a|one|two|three|four|five|six|seven|eight|nine)\s+hundred"
    r"|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety)"
)
_SCALE = (
    r"(?i:thousand|million|billion|trillion|lakhs?|crores?|mln|bln|mn|bn|tn|trn|bil|mil)"
    r"|[mMbBkK]"
)
_PREFIX = (
    r"US\s?\$|U\.S\.\s?\$|A\$|AU\$|C\$|CA\$|NZ\$|HK\$|S\$|R\$|CN¥|[$€£¥₹₽₩₪₺₴]"
    r"|(?<![A-Za-z])(?:Rs\.?|RMB|NIS|" + "|".join(_CODES) + r")(?=\s?\d)"
    r"|(?<![A-Za-z])(?:Euros?|EURO)(?=\s\d)|(?<![A-Za-z.])US(?=\d)"
)

_MONEY_RE = re.compile(
    rf"""
    (?<![\w$€£¥₹₽₩₪₺₴])
    (?:(?P<qual>{_QUALIFIER_RE})\s+)?
    (?:
        (?P<pre>{_PREFIX})\s?(?P<pnum>{_NUMBER})(?!\d)
        (?:(?:\s*|-)(?P<pscale>{_SCALE})(?![A-Za-z]))?
      | (?:(?P<snum>{_NUMBER})|(?P<wnum>{_WORD_NUMBER})(?=[\s-]+(?i:thousand|million|billion|trillion)))
        (?:(?:\s*|-)(?P<sscale>{_SCALE})(?![A-Za-z]))?
        (?:
            \s+(?:(?P<adj>{_ADJECTIVES})\s+)?(?P<word>(?i:{_CURRENCY_WORDS}))(?![A-Za-z])
          | \s?(?P<code>{"|".join(_CODES)})(?![A-Za-z])
        )
    )
    (?P<sufq>\s+or\s+(?:more|so)\b)?
    """,
    re.VERBOSE,
)
_DSCA_CONTEXT = re.compile(r"(?i:estimated\s+total\s+(?:case\s+)?(?:value|cost)\s+(?:is|was|will\s+be|of)\s+)$")
# "500 pounds of explosives" is a weight: "of" as a whole word after the amount.
_OF_AFTER = re.compile(r"\s+of\b")
# Every amount has a digit or a spelled-out number before a unit word.
_DIGIT = re.compile(r"\d")


def find_money(sentence: str, year: int | None = None) -> list[Money]:
    """All money amounts in `sentence`, in order, converted to USD at `year`'s average rate.

    Never raises; returns [] for text without amounts.
    """
    if not isinstance(sentence, str):
        return []
    if not _DIGIT.search(sentence) and not any(unit in sentence.lower() for unit in ("illion", "thousand")):
        return []
    found: list[Money] = []
    for m in _MONEY_RE.finditer(sentence):
        money = _money_from_match(m, sentence, year)
        if money is not None:
            found.append(money)
    return found


def parse_money(text: str, year: int | None = None) -> Money | None:
    """The first money amount in `text` ("about $1.2bn"), or None. Never raises."""
    found = find_money(text, year)
    return found[0] if found else None


def _money_from_match(m: re.Match[str], sentence: str, year: int | None) -> Money | None:
    scale_text = m["pscale"] or m["sscale"]
    scale = _SCALES[scale_text.lower()] if scale_text else 1
    amount = _amount(m["pnum"] or m["snum"], m["wnum"])
    if amount is None or amount <= 0:
        return None
    currency = _currency(m)
    if currency is None or not _plausible(m, currency, amount, scale_text):
        return None
    value = float(amount * scale)
    qualifier = _qualifier(m, sentence)
    value_usd, rate_year = _convert(value, currency, year)
    return Money(m[0], m.start(), m.end(), value, currency, value_usd, qualifier, rate_year)


def _amount(number: str | None, words: str | None) -> Decimal | None:
    if number is not None:
        try:
            return Decimal(number.replace(",", ""))
        except InvalidOperation:
            return None
    if words is None:
        return None
    tokens = words.lower().split()
    if len(tokens) == 4 and tokens[1:3] == ["and", "a"] and tokens[3] == "half":
        return Decimal(_WORD_NUMBERS[tokens[0]]) + Decimal("0.5")  # "one and a half billion"
    if tokens[0] == "half" or tokens[-1] == "half":
        return Decimal("0.5")
    if tokens[-1] == "hundred":
        return Decimal(100 * _WORD_NUMBERS[tokens[0]])
    return Decimal(_WORD_NUMBERS[tokens[0]])


def _currency(m: re.Match[str]) -> str | None:
    if m["pre"]:
        prefix = "".join(m["pre"].split())
        return _SYMBOLS.get(prefix.lower(), prefix.upper() if prefix.upper() in _CODES else None)
    if m["code"]:
        return m["code"]
    word = m["word"].lower().split()[0]
    base = word if word in _WORDS else word.rstrip("s")
    base = {"lire": "lira", "krone": "kroner"}.get(base, base)
    adjective = " ".join((m["adj"] or "").lower().split())
    if (base, adjective) in _ADJECTIVE_CURRENCY:
        return _ADJECTIVE_CURRENCY[(base, adjective)]
    if adjective and base in _OWN_ADJECTIVES and adjective not in _OWN_ADJECTIVES[base]:
        return None  # "Zimbabwean dollars" are not US dollars
    return _WORDS.get(base)


def _plausible(m: re.Match[str], currency: str, amount: Decimal, scale_text: str | None) -> bool:
    """Reject currency words that are more often something else ("500 pounds of explosives")."""
    word = (m["word"] or "").lower()
    if m["pre"] and "".join(m["pre"].split()).lower() in _WORD_PREFIXES:
        return scale_text is not None and len(scale_text) > 1 or (scale_text or "").lower() in ("b", "m", "k") and not m["pre"].lower().startswith("euro")
    if word.startswith("pound"):
        explicit = "sterling" in word or (m["adj"] or "").lower() == "british"
        # "of" as a whole word after the amount, wherever the spaces end ("pounds  offshore" is money)
        return (explicit or scale_text is not None) and not _OF_AFTER.match(m.string, m.end())
    if word == "won" and currency == "KRW":
        return scale_text is not None or m["adj"] is not None or amount >= 1000
    return True


def _qualifier(m: re.Match[str], sentence: str) -> str:
    if m["qual"]:
        return _QUALIFIERS[" ".join(m["qual"].lower().split())]
    if m["sufq"]:
        return _QUALIFIERS[" ".join(m["sufq"].lower().split())]
    if _DSCA_CONTEXT.search(sentence, max(0, m.start() - 60), m.start()):
        return "up to"
    return "exact"


@lru_cache(maxsize=1)
def _rates() -> dict[str, dict[int, float]]:
    """Units of currency per US dollar by currency and year, from data/usd_rates.csv."""
    table: dict[str, dict[int, float]] = {}
    with _RATES_PATH.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if line.strip() and not line.startswith("#"))
        for row in rows:
            table.setdefault(row["currency"], {})[int(row["year"])] = float(row["units_per_usd"])
    return table


def usd_rate(currency: str, year: int | None) -> tuple[float, int] | None:
    """(units of `currency` per USD, year used) for the nearest year with a rate, or None.

    `year` None uses the latest year in the table; ties between two nearest years go to the
    earlier one.
    """
    by_year = _rates().get(currency.upper()) if isinstance(currency, str) else None
    if not by_year:
        return None
    if not isinstance(year, int):
        used = max(by_year)
    else:
        used = min(by_year, key=lambda y: (abs(y - year), y))
    return by_year[used], used


def _convert(value: float, currency: str, year: int | None) -> tuple[float | None, int | None]:
    if currency == "USD":
        return value, None
    rate = usd_rate(currency, year)
    if rate is None:
        return None, None
    return round(value / rate[0], 2), rate[1]


def to_usd(value: float, currency: str, year: int | None) -> float | None:
    """`value` in `currency` converted to US dollars at the yearly average rate of `year`.

    US dollars are returned unchanged; an unknown currency gives None. A year outside the table
    uses the nearest year present (see `usd_rate` for which). Never raises.
    """
    if not isinstance(value, (int, float)) or not isinstance(currency, str):
        return None
    return _convert(float(value), currency.upper(), year)[0]
