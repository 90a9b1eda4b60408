"""Certainty and attribution of a stated fact: who says so, and how sure they are.

certainty, from strongest to weakest evidence of doubt (the first rule that applies wins):
- denied:    the sentence denies the act ("denied carrying out", "rejected claims", "did not carry out");
- possible:  hedged ("likely", "probably", "believed to", "suspected", "unconfirmed", "may have",
             "declined to confirm", "could not be independently verified", "it was not clear");
- claimed:   a party claims it ("claimed responsibility", "claims to have", "said it had shot down");
- reported:  attributed to a third party ("said", "according to", "reported", "told reporters");
- confirmed: stated by the reporter as fact, or confirmed by the actor about its own act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DENIED = re.compile(
    r"\b(?:denie[sd]|deny(?:ing)?|rejected\s+(?:the\s+)?(?:claims?|reports?|accusations?)|dismissed\s+(?:the\s+)?(?:claims?|reports?)"
    r"|did\s+not\s+(?:carry\s+out|conduct|launch|strike|attack|target)|was\s+not\s+(?:involved|responsible))\b",
    re.I,
)
_POSSIBLE = re.compile(
    r"\b(?:likely|probably|possibly|apparently|believed\s+to|thought\s+to|suspected|presumed|unconfirmed"
    r"|may\s+have|might\s+have|could\s+have|appears?\s+to|appeared\s+to|reportedly"
    r"|declined\s+to\s+(?:confirm|declare|say|comment)|would\s+not\s+confirm|could\s+not\s+(?:be\s+)?(?:independently\s+)?(?:confirm|verif)\w*"
    r"|not\s+(?:been\s+)?(?:independently\s+)?(?:confirmed|verified)|it\s+was\s+(?:not|unclear)|unclear\s+whether|no\s+confirmation"
    r"|if\s+confirmed|is\s+said\s+to|are\s+said\s+to|was\s+said\s+to|rumou?red)\b",
    re.I,
)
_CLAIMED = re.compile(
    r"\b(?:claim(?:ed|s|ing)?\s+(?:responsibility|credit|to\s+have|it|that|the)|took\s+responsibility|took\s+credit"
    r"|said\s+it\s+had|says\s+it\s+has|said\s+its\s+(?:fighters|forces|militants))\b",
    re.I,
)
_CONFIRMED_BY = re.compile(r"\b(?:confirmed|acknowledged|announced|admitted)\b", re.I)

# "..., the Pentagon said." / "..., said Lt. Col. Smith" / "according to local officials" /
# "Moscow said on Thursday that ..."
_SAY = r"(?:said|says|reported|reports|told\s+\w+(?:\s+\w+)?|announced|claimed|confirmed|added|stated|wrote|alleged|insisted)"
_TAIL = r"(?:\s+(?:on|late\s+on|early\s+on)\s+\w+|\s+in\s+a\s+(?:statement|post|briefing)(?:\s+on\s+\w+)?|\s+(?:yesterday|today|later|earlier))*\s*[.!]?[\"”’]?$"
_SAID_AFTER = re.compile(r"[,;]\s*(?P<src>[^,;\"“”]{2,90}?)\s+" + _SAY + _TAIL)
_SAID_INVERTED = re.compile(r"[,;]\s*(?:said|says|reported|according\s+to|told)\s+(?P<src>[^,;\"“”]{2,90}?)(?:,|\s*[.!]?$)")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<src>[^,;\"“”.]{2,90}?)(?:,|\s*[.!]?$|\s+(?:which|who)\b)")
_SAID_BEFORE = re.compile(r"^(?:[A-Z]+(?:[ ,][A-Za-z]+)?\s*\([^)]*\)\s*[-–—]+\s*)?(?P<src>[A-Z][^,;\"“”]{1,70}?)\s+" + _SAY + r"\b(?:\s+(?:on|late\s+on)\s+\w+)?(?:\s+that)?\b")
_PRONOUNS = {"he", "she", "they", "it"}


@dataclass(frozen=True)
class Attribution:
    certainty: str
    attributed_to: str | None


def attribution_source(sentence: str) -> str | None:
    """Who the sentence attributes its content to, as written ("the Pentagon", "local officials")."""
    for pattern in (_ACCORDING, _SAID_AFTER, _SAID_INVERTED, _SAID_BEFORE):
        m = pattern.search(sentence)
        if m:
            src = m.group("src").strip()
            return src if len(src) <= 80 else None
    return None


def assess(sentence: str, actor_names: tuple[str, ...] = ()) -> Attribution:
    """Certainty and source of the fact stated in `sentence`.

    `actor_names` are the surface forms of the acting party (attacker, seller...): an actor that
    confirms or announces its own act makes the fact confirmed rather than reported."""
    source = attribution_source(sentence)
    if _DENIED.search(sentence):
        return Attribution("denied", source)
    if _POSSIBLE.search(sentence):
        return Attribution("possible", source)
    if _CLAIMED.search(sentence):
        return Attribution("claimed", source)
    if source is None:
        return Attribution("confirmed", None)
    own = source.lower().removeprefix("the ").strip()
    if any(own and (own in a.lower() or a.lower() in own) for a in actor_names):
        return Attribution("confirmed", source)  # the actor about its own act
    if own in _PRONOUNS:
        return Attribution("reported", None)
    return Attribution("reported", source)
