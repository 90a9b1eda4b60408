"""Certainty and attribution (pipelines/hedging.py): each rule of the ladder on sentences of its own,
the order of the rules, and who is named as the source. Written to kill mutants (make mutants): a
changed regex alternative, a swapped rule order or a dropped branch changes one of these rows."""

from __future__ import annotations

import pytest

from pipelines import hedging as H
from pipelines.nlp import get_nlp

# (sentence, actor names, certainty, attributed_to)
ASSESS = [
    # denied beats everything, and keeps the source
    ("The ministry denied carrying out the strike on the convoy, a spokesman said.", (), "denied", "a spokesman"),
    ("Moscow rejected claims that its jets bombed the market.", (), "denied", None),
    ("The army dismissed reports of shelling near the border.", (), "denied", None),
    ("Israel said it did not carry out the raid on the camp.", (), "denied", "Israel"),
    ("The group said it was not involved in the bombing.", (), "denied", "The group"),
    ("Officials are denying that any drone crossed the border.", (), "denied", None),
    # possible: every kind of hedge, even when a party claims it
    ("A drone strike likely killed the commander.", (), "possible", None),
    ("The militants were probably hit by artillery.", (), "possible", None),
    ("He is believed to have died in the raid.", (), "possible", None),
    ("The suspected strike hit a fuel depot.", (), "possible", None),
    ("The death toll could not be independently verified.", (), "possible", None),
    ("The strike may have killed a senior commander.", (), "possible", None),
    ("The report has not been independently confirmed.", (), "possible", None),
    ("It was unclear whether anyone was hurt.", (), "possible", None),
    ("The army declined to confirm the strike, the agency reported.", (), "possible", "the agency"),
    ("The group claimed responsibility for the attack, which reportedly killed four.", (), "possible", "The group"),
    ("The commander is said to have been killed in the blast.", (), "possible", None),
    ("The Pentagon would not confirm the operation.", (), "possible", None),
    # claimed
    ("The Islamic State group claimed responsibility for the bombing.", (), "claimed", "The Islamic State group"),
    ("The rebels took credit for the ambush.", (), "claimed", None),
    ("The militia said it had shot down a drone over the city.", (), "claimed", "The militia"),
    ("The group claims to have destroyed three tanks.", (), "claimed", None),
    # reported: a third party, in each position
    ("Two soldiers were killed in the attack, the ministry said.", (), "reported", "the ministry"),
    ("Three people died, according to local officials.", (), "reported", "local officials"),
    ("The strike hit a school, said Ahmed Saleh, a local doctor.", (), "reported", "Ahmed Saleh"),
    ("Witnesses said the jets struck twice.", (), "reported", "Witnesses"),
    ("Five people were killed, police told reporters on Monday.", (), "reported", "police"),
    # confirmed: stated as fact, or by the actor about its own act; a pronoun is no source
    ("Russian missiles hit a power plant in Kharkiv on Sunday.", (), "confirmed", None),
    ("The army struck militant positions overnight, the army said.", ("the army",), "confirmed", "the army"),
    ("The strike killed six fighters, he said.", (), "reported", None),
]


@pytest.mark.parametrize("sentence,actors,certainty,source", ASSESS, ids=[r[0][:40] for r in ASSESS])
def test_assess(sentence, actors, certainty, source):
    got = H.assess(sentence, actors)
    assert (got.certainty, got.attributed_to) == (certainty, source)


@pytest.mark.parametrize("sentence,source", [
    ("Two died, according to hospital staff, who asked not to be named.", "hospital staff"),
    ("Shells hit the town, the governor said in a statement on Friday.", "the governor"),
    ("The base was hit, said a military spokesman.", "a military spokesman"),
    ("Kyiv said on Thursday that drones hit the refinery.", "Kyiv"),
    ("Drones hit the refinery overnight.", None),
    ("The strike hit a depot, " + "a very long source description that goes on " * 3 + "said.", None),
])
def test_attribution_source(sentence, source):
    assert H.attribution_source(sentence) == source


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _event(nlp, sentence, word, actors=()):
    doc = nlp(sentence)
    idx = [t.i for t in doc if t.text == word]
    assert idx, word
    return H.assess_event(doc, idx, actors, sentence)


@pytest.mark.parametrize("sentence,word,actors,certainty,source", [
    # a hedge on the event word counts; a hedge on another word does not
    ("A suspected drone strike hit a car near the border.", "strike", (), "possible", None),
    ("Suspected militants were killed in an air strike on Sunday.", "strike", (), "confirmed", None),
    ("The commander was believed to have been killed in the strike.", "killed", (), "possible", None),
    ("Planes reportedly bombed the bridge.", "bombed", (), "possible", None),
    # the speaker of the reporting verb above the event is the source
    ("The health ministry said that Israeli jets bombed a house in Rafah.", "bombed", (), "reported", "The health ministry"),
    ("Rebels accused the army of shelling the village.", "shelling", (), "claimed", "Rebels"),
    ("The army confirmed that its jets struck the depot.", "struck", (), "confirmed", "The army"),
    # the actor about its own act: a state confirms, an armed group claims
    ("The Israeli military said its aircraft struck a weapons depot.", "struck", ("Israel",), "confirmed", "The Israeli military"),
    ("Hezbollah said its fighters fired rockets at a base.", "fired", ("Hezbollah",), "claimed", "Hezbollah"),
    # a denial anywhere wins; no source: confirmed
    ("Russia denied that its missiles hit the mall.", "hit", (), "denied", None),
    ("Missiles hit the port of Odesa on Monday.", "hit", (), "confirmed", None),
    ("Artillery shelled the town, killing four, police said.", "shelled", (), "reported", "police"),
    # a sentence-wide hedge wherever it stands
    ("Unconfirmed reports said Russian jets bombed the bridge.", "bombed", (), "possible", "Unconfirmed reports"),
    ("Jets bombed the bridge, according to local officials.", "bombed", (), "reported", "local officials"),
    # the speaker confirming: confirmed, with the speaker
    ("The group confirmed that its commander was killed in the strike.", "killed", (), "confirmed", "The group"),
    # own acts: the metonym of a state, a state's branch, an armed group's claim
    ("The Pentagon said US aircraft struck a camp in Syria.", "struck", ("United States",), "confirmed", "The Pentagon"),
    ("Ukraine's air force said Ukrainian drones hit a refinery.", "hit", ("Ukraine",), "confirmed", "Ukraine's air force"),
    ("Hamas said its fighters fired rockets at Tel Aviv.", "fired", ("Hamas",), "claimed", "Hamas"),
    ("The Houthis claimed responsibility for the drone attack.", "attack", ("Houthis",), "claimed", "The Houthis"),
    # hedges on the casualty word, and the exception for a strike that "had likely killed"
    ("The militant was likely killed in the strike, officials said.", "killed", (), "possible", "officials"),
    ("The strike had likely killed a commander, officials said.", "strike", (), "reported", "officials"),
    ("Officials said the commander was reportedly killed in a drone strike.", "strike", (), "possible", "Officials"),
    # pronoun speakers are reported without a name; blame is a claim; description a report
    ("Three people were killed, he said.", "killed", (), "reported", None),
    ("They said drones struck the depot.", "struck", (), "reported", None),
    ("The army blamed rebels for shelling the market.", "shelling", (), "claimed", "The army"),
    ("Witnesses described jets bombing the town.", "bombing", (), "reported", "Witnesses"),
    ("Drones struck the depot, it said.", "struck", (), "reported", None),
    # the event under the reporting verb by each link: object, conjunct, parenthetical, preposition
    ("Officials reported a drone strike on the base.", "strike", (), "reported", "Officials"),
    ("The ministry reported the strike and said four people died.", "strike", (), "reported", "The ministry"),
    ("Two rockets hit the town, witnesses said, killing a child.", "hit", (), "reported", "witnesses"),
    ("Residents told of shelling in the city overnight.", "shelling", (), "reported", "Residents"),
    ("Drones struck the depot, according to the regional governor.", "struck", (), "reported", "the regional governor"),
    ("This was said to have killed the commander.", "killed", (), "possible", None),
    # own acts through the gazetteer (a capital's metonym, the state's ministry), and a party of
    # the same country that is another actor (an army about an armed group)
    ("The Kremlin said Russian forces struck a depot in Kharkiv.", "struck", ("Russia",), "confirmed", "The Kremlin"),
    ("Russia's defence ministry said its missiles hit a depot.", "hit", ("Russia",), "confirmed", "Russia's defence ministry"),
    ("The Lebanese army said Hezbollah fired rockets at Israel.", "fired", ("Hezbollah",), "reported", "The Lebanese army"),
    ("Israel's military said Hamas fired rockets at Sderot.", "fired", ("Hamas",), "reported", "Israel's military"),
    ("A suspected US drone strike killed four in Yemen, local officials said.", "strike", ("United States",), "possible", "local officials"),
])
def test_assess_event(nlp, sentence, word, actors, certainty, source):
    got = _event(nlp, sentence, word, actors)
    assert (got.certainty, got.attributed_to) == (certainty, source)


def test_assess_event_without_tokens_is_the_sentence_reading(nlp):
    s = "Two soldiers were killed in the attack, the ministry said."
    assert H.assess_event(nlp(s), [], (), s) == H.assess(s)


def test_quotation_without_speaker_is_reported(nlp):
    s = "\u201cThe strike destroyed the whole building.\u201d"
    got = H.assess_event(nlp(s), [2], (), s)
    assert got == H.Attribution("reported", None)


def test_a_source_of_80_characters_is_kept_and_one_of_81_is_not():
    src80 = "the press office of the regional military administration of the eastern province"
    src81 = "the press office of the regional military administration of the southern province"
    assert (len(src80), len(src81)) == (80, 81)
    assert H.attribution_source(f"Two civilians died, according to {src80}.") == src80
    assert H.attribution_source(f"Two civilians died, according to {src81}.") is None


@pytest.mark.parametrize("sentence,actors,certainty,source", [
    # the actor about its own act: "the" is dropped before comparing, either name may hold the other
    ("Drones hit the refinery, the air force said.", ("Ukrainian air force",), "confirmed", "the air force"),
    ("Jets struck the camp, the Israeli army said.", ("Israel",), "confirmed", "the Israeli army"),
    # a source that is not the actor stays a report
    ("Two soldiers were killed in the attack, the ministry said.", ("Hamas",), "reported", "the ministry"),
    # ", said that ..." is no inverted attribution: the clause after it is no source
    ("Ahmed Saleh, a doctor at the hospital, said that jets bombed the market.", (), "confirmed", None),
])
def test_assess_own_acts_and_sources(sentence, actors, certainty, source):
    got = H.assess(sentence, actors)
    assert (got.certainty, got.attributed_to) == (certainty, source)


MORE_EVENTS = [
    # the speaker is the whole subject, appositive included, without the comma closing it
    ("Ahmed Saleh, a doctor at the hospital, said that jets bombed the market.", "bombed", (), "reported",
     "Ahmed Saleh, a doctor at the hospital"),
    ("Xinhua said that jets bombed the market.", "bombed", (), "reported", "Xinhua"),
    # the nearest speaker above the event
    ("The ministry said that witnesses reported that jets bombed the market.", "bombed", (), "reported", "witnesses"),
    # a passive reporting verb: its subject is what is reported, unless the speaker is quoted
    ("The commander is said to have been killed in the blast.", "killed", (), "possible", None),
    ("Four people were reported killed in the strike, according to hospital officials.", "strike", (), "possible",
     "hospital officials"),
    ("Officials were quoted as saying that jets bombed the market.", "bombed", (), "reported", "Officials"),
    ("Officials were cited as saying that jets bombed the market.", "bombed", (), "reported", "Officials"),
    # a pronoun subject is no speaker: the search goes on up, to the speaker of the verb above
    ("The ministry says it confirmed that jets bombed the market.", "bombed", (), "reported", "The ministry"),
    ("This shows the army shelled the town.", "shelled", (), "confirmed", None),
    # an active reporting verb does not hedge what it reports; a passive one does, even when its
    # subject hangs on the first verb of a coordination
    ("Witnesses reported seeing jets bomb the market.", "bomb", (), "reported", "Witnesses"),
    ("The commander was wounded and is believed to have died in the strike.", "strike", (), "possible", None),
    # appear and seem hedge the event under them; another verb does not
    ("The army appeared to shell the village.", "shell", (), "possible", None),
    ("The convoy seems to have been hit by a drone.", "hit", (), "possible", None),
    ("The army began to shell the town.", "shell", (), "confirmed", None),
    # a hedge on a casualty verb above the event
    ("A commander was allegedly killed in the strike, officials said.", "strike", (), "possible", "officials"),
    ("A commander was apparently killed in the strike, officials said.", "strike", (), "possible", "officials"),
    ("A commander was probably killed in the strike, officials said.", "strike", (), "possible", "officials"),
    ("A commander was likely killed in the strike, officials said.", "strike", (), "possible", "officials"),
    # the speaker confirming, acknowledging or admitting it
    ("The army acknowledged that its jets struck the depot.", "struck", (), "confirmed", "The army"),
    ("The army admitted that its jets struck the depot.", "struck", (), "confirmed", "The army"),
    # "said it had" is a claim wherever the event stands
    ("The militia said it had shot down a drone over the city.", "shot", (), "claimed", "The militia"),
    # a speaker in a parenthesis, or heading a clause of its own
    ("The shelling, residents say, went on all night.", "shelling", (), "reported", "residents"),
    ("Jets bombed the market. Witnesses said so.", "bombed", (), "reported", "Witnesses"),
    # own acts: the actor's name inside the source, an armed group's own statement, a name the
    # gazetteer does not know, another name of the same group
    ("Drones hit the refinery, the air force said.", "hit", ("Ukrainian air force",), "confirmed", "the air force"),
    ("Jets struck the depot, Ukraine's air force command said.", "struck", ("air force",), "confirmed",
     "Ukraine's air force command"),
    ("The Houthis said their drones struck a ship in the Red Sea.", "struck", ("Houthis",), "claimed", "The Houthis"),
    ("The 5th Brigade said its artillery shelled the town.", "shelled", ("the 5th Brigade",), "confirmed",
     "The 5th Brigade"),
    ("Ansar Allah said its drones struck a ship.", "struck", ("Houthis",), "claimed", "Ansar Allah"),
    ("The US-led coalition said its jets struck a depot near Raqqa.", "struck", ("US-led coalition",), "claimed",
     "The US-led coalition"),
    # not own acts: another state, or an armed group of the actor's country
    ("The Kremlin said Ukrainian drones hit a refinery in Belgorod.", "hit", ("Ukraine",), "reported", "The Kremlin"),
    ("Hezbollah said Lebanese troops fired at a drone.", "fired", ("Lebanon",), "reported", "Hezbollah"),
    # a quotation without its speaker: hedged or claimed inside it
    ("\u201cA suspected drone strike hit the camp.\u201d", "strike", (), "possible", None),
    ("\u201cThey took credit for the ambush.\u201d", "ambush", (), "claimed", None),
]


# ASCII ids: mutmut reruns tests by node id, and an escaped "\u201c" in an id is not found again
@pytest.mark.parametrize("sentence,word,actors,certainty,source", MORE_EVENTS,
                         ids=[r[0][:48].encode("ascii", "replace").decode() for r in MORE_EVENTS])
def test_assess_event_more(nlp, sentence, word, actors, certainty, source):
    got = _event(nlp, sentence, word, actors)
    assert (got.certainty, got.attributed_to) == (certainty, source)


@pytest.mark.parametrize("sentence", [
    "The ministry issued a statement, which said that jets bombed the market.",
    "The ministry cited a report, that said jets bombed the market.",
])
def test_a_relative_pronoun_is_no_speaker(nlp, sentence):
    assert _event(nlp, sentence, "bombed").attributed_to not in ("which", "that")


def test_the_first_word_can_be_the_event(nlp):
    s = "Artillery shelled the market where suspected militants were hiding."
    doc = nlp(s)
    assert doc[0].text == "Artillery"
    assert H.assess(s).certainty == "possible"  # the sentence reading: "suspected" anywhere
    assert H.assess_event(doc, [0], (), s) == H.Attribution("confirmed", None)  # it is not on the event


def test_event_indices_outside_the_parse_are_ignored(nlp):
    s = "Two soldiers were killed in the attack, the ministry said."
    doc = nlp(s)
    assert H.assess_event(doc, [len(doc), -1], (), s) == H.assess(s)


def test_the_sentence_rules_read_the_sentence_given_else_the_parse(nlp):
    doc = nlp("Jets bombed the market.")
    assert H.assess_event(doc, [1]) == H.Attribution("confirmed", None)
    # the text as written in the article, with its attribution, is what the sentence rules read
    assert H.assess_event(doc, [1], (), "Jets bombed the market, officials said.") == H.Attribution("reported", "officials")


# The nearest speaker above the event by each link, where the sentence patterns find another one
# (or none): the appositive subject of a reporting verb inside "The ministry said that ..." is
# found only by the walk up the parse (docs/mutants/hedging.md).
NEAREST_SPEAKER = [
    # object of the reporting verb
    ("The ministry said that Ahmed Saleh, a doctor, described a strike on the market.", "strike", "reported",
     "Ahmed Saleh, a doctor"),
    # open clause under it
    ("The ministry said that Ahmed Saleh, a doctor, described seeing the strike.", "strike", "reported",
     "Ahmed Saleh, a doctor"),
    # adverbial clause under it
    ("The ministry said that Ahmed Saleh, a doctor, reported hearing blasts as jets bombed the market.", "bombed",
     "reported", "Ahmed Saleh, a doctor"),
    # conjunct of it (the second verb has no subject of its own)
    ("The ministry said that Ahmed Saleh, a doctor, reported a blast and described the strike.", "strike", "reported",
     "Ahmed Saleh, a doctor"),
    # "according to" on a reporting verb whose subject is "it", after a prepositional phrase of
    # its own; "U.S." stops the sentence pattern, so only the parse finds the source
    ("Jets struck the depot, it was reported on Monday according to U.S. officials.", "struck", "reported",
     "U.S. officials"),
    # a reporting verb in a relative clause on another word is no speaker of the event
    ("Jets bombed the market that doctors had described as safe.", "bombed", "confirmed", None),
]


@pytest.mark.parametrize("sentence,word,certainty,source", NEAREST_SPEAKER, ids=[r[0][:48] for r in NEAREST_SPEAKER])
def test_the_nearest_speaker_by_each_link(nlp, sentence, word, certainty, source):
    got = _event(nlp, sentence, word)
    assert (got.certainty, got.attributed_to) == (certainty, source)


# The fallback for a speaker (a report verb at the root or in parataxis, "..., police said, killing
# ...") skips the sentence's own root when it is not a report verb of the event: a sentence whose
# first clause describes something else names no speaker for the event of the second.
@pytest.mark.parametrize("sentence,word,certainty,source", [
    ("Ahmed Saleh, a doctor, described the town as quiet. Then jets bombed the market.", "bombed", "confirmed", None),
    ("Jets bombed the market, police said.", "bombed", "reported", "police"),
], ids=["first-root-is-no-speaker", "parenthetical-speaker"])
def test_the_fallback_speaker_skips_the_sentences_own_root(nlp, sentence, word, certainty, source):
    got = _event(nlp, sentence, word)
    assert (got.certainty, got.attributed_to) == (certainty, source)
