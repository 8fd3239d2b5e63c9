"""Which figures a desk should check, and why the others need no check (issue 11, part 3).

Each figure that is not check-worthy names the rule that decided it
(``Figure.not_checkworthy``); the reasons are what the closing note tallies over PolNeAR.
"""

from __future__ import annotations

import pytest

from bot import digest
from bot.core.models import Figure

LEAD = "Officials met on Monday to review the figures for the region and its voters.\n\n"


def _figure(text: str, span: str) -> Figure:
    d = digest(LEAD + text)
    hits = [f for f in d.figures if f.text == span]
    assert hits, f"{span!r} not in {[f.text for f in d.figures]}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "span", "why"),
    [
        ("The vote opened at 2:14 p.m. in the capital.", "2:14 p.m.", "clock or schedule time"),
        ("He was the 2016 presidential candidate for the party.", "2016",
         "year naming an event or a cycle"),
        ("The plant has operated in the town since 1998 without a break.", "1998",
         "calendar year used as an anchor"),
        ("Clinton won among voters ages 18 to 29 in the state.", "18 to 29",
         "age band of a survey group"),
        ("A survey of those 18 to 35 years old shows a divide.", "18",
         "age band of a survey group"),
        ("Among voters under 30, he won easily.", "under 30", "age band of a survey group"),
        ("Those 65 and older backed him.", "65", "age band of a survey group"),
        ("The two candidates met in the final debate last night.", "two", "size of a named set"),
        ("He won the seat twice before he retired from politics.", "twice",
         "how often, not how much"),
        ("The rise was 3.6 degrees Fahrenheit (2 degrees Celsius) last year.", "2 degrees",
         "unit conversion of the figure before it"),
        ('She posted <tweet tweet-id="745204320593940480"> on the site.', "745204320593940480",
         "number in markup or an id"),
        ("The case, No. 15-674, went to the justices this term.", "No. 15",
         "ordinal or label"),
        ("He served a second term as the governor of the state.", "second term",
         "ordinal or label"),
        ("Prices have risen in the past three decades across the region.", "three decades",
         "duration that places the story in time"),
        ("The mayor unveiled a 10-year plan for the city's parks.", "10-year",
         "duration that places the story in time"),
        ("Roof, 22, was arrested the next day by the police.", "22", "age"),
        ("He told BBC Radio Four on Friday that he would stay.", "Four", "ordinal or label"),
        ("Write to 100 Haven Avenue for the forms.", "100", "ordinal or label"),
        ("“There are still two things that I have an issue with,” he said.", "two",
         "enumeration of points"),
        ("Some fans played baseball through age 18 or even 22 in school.", "22", "age"),
        ("NASA must submit five-year funding projections for the rocket.", "five-year",
         "duration that places the story in time"),
        ("''It is a bond,'' said Carla Cruz, 24. ''A sisterhood.''", "24", "age"),
        ("“I'm 76, and I don't feel like going through that again,” he said.", "76", "age"),
        ("Bill Clinton celebrated his 70th birthday on Friday.", "70th", "age"),
        ("The draft goes to the full 187-member Platform Committee.", "187",
         "size of a named set"),
        ("He cited the maxim about how one can detect pornography.", "one",
         "'one' as a pronoun"),
        ("“It matters,” said one New Hampshire Democrat.", "one", "'one' as a determiner"),
        ("Trump blamed her for the past decade and a half of policies.", "a half",
         "duration that places the story in time"),
        ("The first stretch (Jan. 27-Feb.1) saw Trump fall.", "Jan. 27-Feb.1",
         "date that places the story in time"),
        ("Shares trailed the Standard & Poor's 500-stock index.", "500", "ordinal or label"),
        ("He calls himself pro 2nd amendment and pro life.", "2nd", "ordinal or label"),
        ("In a two-candidate race, Ohio could flip.", "two", "ordinal or label"),
        ("She has been active in politics since the age of 25.", "25", "age"),
        ("Clinton talked up her 50-state strategy.", "50", "ordinal or label"),
        ("Quinnipiac polled from March 30-April 4, surveying 1,737 voters.",
         "March 30-April 4", "date that places the story in time"),
        ("The victims were named.\n\nAhmed Helal, 40.\n\nHelal was a director.", "40", "age"),
        ("Colossians echoes it (Ephesians 5:6).", "6", "ordinal or label"),
        ("The rise of 401(k) plans has not helped.", "401", "ordinal or label"),
        ("Clinton 1) registers the words, 2) realizes them, 3) laughs.", "2",
         "enumeration of points"),
    ],
)  # fmt: skip
def test_figures_that_need_no_check_say_why(text: str, span: str, why: str) -> None:
    f = _figure(text, span)
    assert not f.checkworthy and f.status == "not_needed"
    assert f.not_checkworthy == why


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Clinton won 52 percent of voters ages 18 to 29 in the state.", "52 percent"),
        ("The curfew has cost the city $4 million since 1998 in lost sales.", "$4 million"),
        ("The three airports reported 300 cancellations on Wednesday.", "300"),
        ("Its defense exports have doubled in the past decade.", "doubled"),
        ("The virus is about three times as contagious as influenza.", "about three times"),
        ("She waited more than two hours at the airport.", "more than two hours"),
        ("The rate is the highest since 1982, the bureau said.", "1982"),
        ("He won in Texas, 52.", "52"),
        ("Results came in. New York, 52. Ohio, 48.", "52"),
        ("“I'm 5 points ahead,” he said.", "5 points"),
    ],
)
def test_claims_stay_checkworthy(text: str, span: str) -> None:
    f = _figure(text, span)
    assert f.checkworthy and f.not_checkworthy is None and f.status == "open"


def test_headline_figures_are_checked_against_the_body() -> None:
    text = (
        "Emirates inks $9 billion order for 30 Boeing jets and 4 more\n\n"
        "Emirates finalized a deal to buy 30 Boeing 787 jets on Wednesday. "
        "The order is valued at $8.8 billion at list prices."
    )
    d = digest(text)
    head = {f.text: f for f in d.figures if f.end <= text.index("\n")}
    # Stated in the body: checked there, not twice.
    assert not head["30"].checkworthy
    assert head["30"].not_checkworthy == "headline: stated in the body"
    # Rounded past the body's figure, or missing from it: open, and says so.
    assert head["$9 billion"].status == "open"
    assert head["$9 billion"].reasons == ["headline rounds the body's $8.8 billion to $9 billion"]
    assert head["4"].status == "open"
    assert head["4"].reasons == ["headline figure not in the body"]


def test_reasons_survive_the_json_contract() -> None:
    d = digest(LEAD + "The vote opened at 2:14 p.m., the officials said.")
    again = type(d).model_validate_json(d.model_dump_json())
    assert [f.not_checkworthy for f in again.figures] == [f.not_checkworthy for f in d.figures]
    # A digest stored before the field existed still loads.
    old = d.model_dump(mode="json")
    for f in old["figures"]:
        for key in ("not_checkworthy", "source_how", "relayed_by"):
            f.pop(key)
    assert type(d).model_validate(old).figures[0].not_checkworthy is None


def test_a_nested_report_credits_the_innermost_source_and_keeps_the_relay() -> None:
    d = digest(
        LEAD + "The Washington Post reported that a Pew Research Center study found 40 percent "
        "of voters were undecided."
    )
    f = next(f for f in d.figures if f.text == "40 percent")
    assert d.source(f.source_id).name == "a Pew Research Center study"
    assert d.source(f.relayed_by).name == "The Washington Post"
    assert f.source_how == "cue"


def test_descriptions_stop_at_a_phrase_boundary() -> None:
    d = digest(
        LEAD + "James Lankford, an Oklahoma Republican who chairs the panel, said the cuts "
        "cost $250 billion."
    )
    lankford = next(s for s in d.sources if s.name == "James Lankford")
    assert lankford.description == "an Oklahoma Republican"
    assert lankford.kind in ("person", "official")


def test_a_stations_channel_number_is_a_label() -> None:
    d = digest("Sign\n\nLocal news affiliate ABC 7 is reporting that drivers saw 45 signs.")
    seven = next(f for f in d.figures if f.text == "7")
    assert not seven.checkworthy and seven.not_checkworthy == "ordinal or label"
