"""Figures in news text: counts, money, percentages, fractions, vague amounts, dates...

Per sentence, a cheap trigger scan (digits, currency signs, and words that can open a figure)
tries one master pattern, ``_CORE``, at each trigger to find the *core* of a figure (a
numeral, a number word, a fraction, a vague magnitude, a date or a time); small pure functions
then widen it to the span a desk would quote ("at least 115", "$2.5 billion", "more than a
third"), read its value and bounds, and finally ``_judge`` decides, per sentence, whether each
figure is worth checking and whether it is hedged. The rules follow the gold annotation's guide
(``shared/corpus/README.md``): the qualifier, the number and its unit or scale are in the span,
the counted noun is not.

Every context check looks at a bounded window around the figure, so the cost is linear in the
text even for a 100 kB "sentence" of digits; no pattern nests unbounded repetitions.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from bot.core.hedges import HEDGE
from bot.core.sentences import Sentence
from bot.core.text import in_markup, word_alternation


@dataclass(slots=True)
class FoundFigure:
    """A figure as found in the text, before attribution."""

    start: int
    end: int
    kind: str  # a FigureKind
    value: float | int | None
    low: float | int | None
    high: float | int | None
    qualifier: str  # "exact", "at_least", "more_than", "up_to", "about", "hundreds", ...
    subject: str | None = None  # what is counted, when it can be read off
    unit: str | None = None  # "count", "USD", "percent", "years", "date", ...
    checkworthy: bool = True  # intrinsic: False for dates that only locate, ages, definitional...
    hedged: bool = False  # an approximation qualifier (about, nearly, estimated...)
    sentence: int | None = None  # index into the ``sentences`` passed to ``find``
    why_not: str | None = None  # why it is not check-worthy (the rule's name), if it is not

    def settle(self, why: str) -> None:
        """Mark the figure not check-worthy, keeping the first reason given."""
        self.checkworthy = False
        self.why_not = self.why_not or why


_log = logging.getLogger(__name__)

# -- vocabulary ---------------------------------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000,
    "mn": 1_000_000, "tn": 1_000_000_000_000,
}  # fmt: skip
_FRACTIONS = {
    "half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
    "fourth": 0.25, "fourths": 0.25, "fifth": 0.2, "fifths": 0.2, "sixth": 1 / 6,
    "tenth": 0.1, "tenths": 0.1, "hundredth": 0.01,
}  # fmt: skip
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
}  # fmt: skip
_MULTIPLIERS = {"twice": 2, "doubled": 2, "double": 2, "tripled": 3, "triple": 3,
                "quadrupled": 4, "halved": 0.5}  # fmt: skip
# Month names as written in copy: full names, and the abbreviations AP style uses.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct",
                        "Nov", "Dec")  # fmt: skip
_FULL_MONTH = "(?:" + "|".join(MONTH_NAMES) + ")"
_MONTHS = "(?:" + "|".join([*MONTH_NAMES, *(a + r"\." for a in MONTH_ABBREVIATIONS)]) + ")"
_DURATION_UNITS = {
    "second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks",
    "month": "months", "year": "years", "decade": "years", "century": "years",
    "night": "nights", "quarter": "quarters", "season": "seasons",
}  # fmt: skip
_MEASURE_UNITS = {
    "mph": "mph", "miles": "miles", "mile": "miles", "kilometers": "km", "kilometres": "km",
    "km": "km", "meters": "meters", "metres": "meters", "meter": "meters", "feet": "feet",
    "foot": "feet", "inches": "inches", "inch": "inches", "degrees": "degrees",
    "pounds": "pounds", "tons": "tons", "tonnes": "tonnes", "acres": "acres", "gallons": "gallons",
    "barrels": "barrels", "kg": "kg", "kilograms": "kg", "square miles": "square miles",
    "square feet": "square feet", "hectares": "hectares", "km/h": "km/h", "mm": "mm", "cm": "cm",
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB"}
_CURRENCY = "[" + "".join(re.escape(c) for c in _CURRENCY_SYMBOLS) + "]"  # one sign
# Scale words: spelled out (they follow any number) and abbreviated (only after money).
_SCALE_NAMES = ("hundred", "thousand", "million", "billion", "trillion")
_SCALE_ABBREVIATIONS = tuple(k for k in _SCALES if k not in _SCALE_NAMES)

_NUMBER_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_NUMERAL = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = "(?:" + "|".join(_SCALE_NAMES) + ")"
_CURRENCY_CHARS = "".join(re.escape(c) for c in _CURRENCY_SYMBOLS)
_BIG_SCALE = "(?:" + "|".join(_SCALE_NAMES[1:]) + ")"  # "several thousand", "a few million"
_ANY_SCALE = "(?:" + "|".join([*_SCALE_NAMES, *_SCALE_ABBREVIATIONS]) + ")"

# The master pattern: alternatives from most to least specific. Named groups say which.
_CORE = re.compile(
    rf"""
    # Only digits, currency signs and word starts can begin a figure: checking that first
    # keeps the scan from trying every alternative at every character.
    (?=[\d{_CURRENCY_CHARS}]|\b[A-Za-z])
    (?:
    (?P<date>
        {_MONTHS}(?:(?<=\.)\s?|\s)\d{{1,2}}(?:st|nd|rd|th)?
        (?:[-–](?:{_MONTHS}(?:(?<=\.)\s?|\s))?\d{{1,2}}(?!\d))?  # "Jan. 27-Feb.1", "May 16-17"
        (?:,\s\d{{4}})?(?!\d)
      | \d{{1,2}}\s{_FULL_MONTH}(?:\s\d{{4}})?
      | {_MONTHS}\s\d{{4}}
      | \d{{1,2}}(?:st|nd|rd|th)\sof\s{_FULL_MONTH}
      | (?:spring|summer|fall|autumn|winter)\sof\s\d{{4}}
      | (?:(?:early|mid|late)[\s-])?(?:1[89]|20)\d0s
    )
  | (?P<time>\d{{1,2}}(?::\d{{2}})?\s?[ap]\.m\.(?:\s(?:ET|EST|EDT|PT|PST|CT|GMT|UTC|local\stime))?
           | (?:[01]?\d|2[0-3]):[0-5]\d(?!\d))
  | (?P<money>{_CURRENCY}\s?{_NUMERAL}(?:\s?{_ANY_SCALE}\b)?)
  | (?P<mixed>\d{{1,3}}[-\s]\d{{1,2}}/\d{{1,2}}(?![\d/]))
  | (?P<slash>\d{{1,2}}/(?:2|4|8|16|32|64)(?:nds|ths)?(?![\d/]))
  | (?P<smallpart>\ba\s(?:half|quarter)[-\s](?:percentage[-\s])?points?\b
               | \ba\s(?:couple|few|sliver|fraction|handful)\sof\s(?:a\s)?(?:percentage\s)?
                 (?:points?|percent)\b)
  | (?P<fraction>(?:one|two|three|four|five|six|seven|eight|nine|a)[-\s](?:half|thirds?|
                  quarters?|fourths?|fifths?|sixths?|tenths?|hundredths?)\b
               | \bhalf\b)
  | (?P<ordnum>\d+(?:st|nd|rd|th)\b)
  | (?P<numeral>{_NUMERAL})
  | (?P<aunit>\b(?:an?)\s(?:(?:extra|additional|full)\s)?(?:week|month|year|decade|hour|day|
              foot|mile|minute|century)\b)
  | (?P<word>\b(?:{_NUMBER_WORD}(?:\s{_SCALE})?|a\sdozen|
              dozen|a\shundred|a\sthousand|a\smillion|a\sbillion)\b)
  | (?P<vague>\b(?:tens\sof\s(?:thousands|millions|billions)|hundreds\sof\s(?:thousands|
              millions|billions)|hundreds|hundred(?=\sof\b)|thousands|dozens|scores(?=\sof\b)|
              millions|billions|trillions|(?<=several\s){_BIG_SCALE}|(?<=several\s)hundred|
              (?<=\ba\sfew\s){_BIG_SCALE}|(?<=\ba\sfew\s)hundred)\b)
  | (?P<multiplier>\b(?:twice|doubled|tripled|quadrupled|halved)\b)
  | (?P<ordinal>\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|
              rd|th))\b|\bnumber\s(?:one|two|three)\b|No\.\s?\d{{1,3}}\b(?!\.\d))
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Where a figure can start: a digit, a currency sign, or a word that can open a match of
# ``_CORE``. Scanning these and trying ``_CORE.match`` only there is several times faster than
# ``_CORE.finditer``, which tries every alternative at every word.
_TRIGGER_WORDS = (
    frozenset(
        """spring summer fall autumn winter early mid late a an half dozen dozens hundreds
    thousands tens scores millions billions trillions no twice doubled tripled quadrupled
    halved number second third fourth fifth sixth seventh eighth ninth tenth""".split()
    )
    | frozenset(m.lower() for m in (*MONTH_NAMES, *MONTH_ABBREVIATIONS))
    | frozenset(_SCALE_NAMES)
    | frozenset(_UNITS_WORDS)
    | frozenset(_TENS_WORDS)
)
# Where a figure may start: a digit, a currency sign, or one of the words above (the regex
# skips every other word itself, which is most of the text).
_TRIGGER = re.compile(
    rf"[\d{_CURRENCY_CHARS}]|\b(?:{word_alternation(sorted(_TRIGGER_WORDS), cased=True)})"
    r"(?![A-Za-z])"
)

# Qualifiers that may stand before a figure: (pattern, normalised name, bound side).
_QUALIFIERS = [
    (r"at least", "at_least", "low"),
    (r"more than|greater than", "more_than", "low"),
    (r"upwards of", "upwards_of", "low"),
    (r"just over|just above", "just_over", "low"),
    (r"just under|just below|just shy of", "just_under", "high"),
    (r"over|above|topped|topping|exceeding|exceeded|surpassed|surpassing", "more_than", "low"),
    (r"no fewer than|no less than|a minimum of", "at_least", "low"),
    (r"up to|as many as|as much as|a maximum of", "up_to", "high"),
    (r"no later than", "up_to", "high"),
    (r"within", "up_to", "high"),
    (r"less than|fewer than|below|under|lower than", "below", "high"),
    (r"well under|well below", "well_under", "high"),
    (r"nearly|almost", "nearly", "high"),
    (r"close to", "close_to", "high"),
    (r"about|around|approximately|circa|roughly|an estimated|estimated|some|near", "", ""),
]
_AMOUNT_BEFORE = re.compile(rf"(?:\d|\b(?:{'|'.join(_SCALE_NAMES[2:])}|percent))\S*\s(?:\w+\s)?$")
_ABOUT_TOPIC_BEFORE = re.compile(
    r"\b(?:talk|talks|talking|talked|speak|speaking|spoke|think|thinking|thought|worry|worried|"
    r"concerned|care|cares|cared|know|knew|learn|learned|hear|heard|ask|asked|asking|wrote|"
    r"write|writing|story|stories|question|questions|joke|joked|complain|complained)\s$",
    re.I,
)
_QUALIFIER_LAST = frozenset(w.split()[-1].lower() for p, _, _ in _QUALIFIERS for w in p.split("|"))
_QUALIFIER_BEFORE = re.compile(
    r"(?:\b(" + "|".join(p for p, _, _ in _QUALIFIERS) + r")\s+(?:a\s+)?)$", re.IGNORECASE
)
_HEDGE_QUALIFIERS = {"about", "roughly", "some", "nearly", "close_to", "near", "estimated",
                     "around", "approximately"}  # fmt: skip
# Modal and evidential wording that makes every amount in the sentence uncertain. "may" is
# matched in lower case only, so that the month ("May 9") does not hedge.
_MODAL = HEDGE  # one vocabulary, shared with the reasons a digest gives
_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s--\s|[.!?][”\"’]?\s")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_PERCENT_AFTER = re.compile(
    r"\s?(?:%|percent(?:age points?)?|per\s?cent|percentage points?)(?:-plus)?", re.I
)
_SCALE_AFTER = re.compile(rf"(?:\s|-)({'|'.join(_SCALE_NAMES)})\b", re.I)
_UNIT_AFTER = re.compile(
    r"(?:\s|-)(?:(?:more|extra|additional|full|straight|consecutive)\s)?"
    r"(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|nights?|"
    r"mph|miles?|kilomet(?:er|re)s|km|met(?:er|re)s?|feet|foot|inches|inch|degrees|pounds|"
    r"tons|tonnes|acres|gallons|barrels|kg|kilograms|hectares|square (?:miles|feet)|"
    r"times|dollars|euros|pounds sterling|cents?|year-old|years? old|percent|points?)\b",
    re.I,
)
_RANGE_AFTER = re.compile(
    rf"\s?(?:-|–|to|and|or)\s?(?={_CURRENCY}?(?:{_NUMERAL}|{_NUMBER_WORD}\b|an?\s(?:hour|minute|day|"
    r"week|month|year)))",
    re.I,
)
# Words before a number that make it part of a name, not a figure ("Boeing 737", "Page A1").
_NAME_BEFORE = re.compile(
    r"(?:Boeing|Airbus|Section|Article|Title|Route|Highway|Interstate|US|U\.S\.|Page|Chapter|"
    r"Windows|iPhone|Galaxy|Apollo|Model|Flight|Room|Box|Suite|Unit|Code|Level|Category|Area|"
    r"Phase|Stage|Gate|Pier|Terminal|Channel|Studio|Air Force|Proposition|Prop\.|Bill|"
    r"Resolution|Amendment|Max|S&P|FTSE|Nasdaq|Dow|G|Fortune|Forbes|Covid|COVID|version|"
    r"Ward|Precinct|No\.\s\d+-|"
    r"v\.)\s?$"
)
_NAME_AFTER = re.compile(
    r"^(?:\s?(?:Max|MAX|Dreamliner|jetliner)\b|-\d|[A-Za-z]|\s(?:Treasury|bond|note)\b)"
)
_TOKEN_REST = re.compile(r"(?:[-/.]?\w)*")
_ONE_DAY_IDIOM = re.compile(r"\s(?:day|morning|night|evening|afternoon)\b(?!\s(?:a|per|each)\b)")
_HYPHEN_NUMBER = re.compile(r"-(\d+)\b")
_EMERGENCY_911 = re.compile(
    r"\b(?:call|calls|called|calling|dial|dialed|dialled|dialing)\s\||^\|\s(?:call|dispatch|operator)",
    re.I,
)
_INSTRUMENT_AFTER = re.compile(
    r"\s(?:U\.S\.\s)?(?:Treasury|Treasuries|bonds?|notes?|yields?|bills?|gilts?|mortgages?|"
    r"Bunds?|swaps?)\b"
)
_PRONOUN_ONE_AFTER = re.compile(
    r"^\s*(?:of|another|or|and|to|who|that|which|is|was|thing|day,|hand|way|time|side|point|"
    r"[,.;:!?)”\"])",
    re.I,
)
_PRONOUN_ONE_BEFORE = re.compile(
    r"\b(?:no|the|any|every|each|this|that|which|a|an|someone|anyone|last|other|"
    r"misguided|big|new|old|right|wrong|good|bad|such)\s$",
    re.I,
)
_STRUCTURE_WORDS = re.compile(
    r"^\s*(?:[a-z]+[-\s])?(?:class|hand|punch|way|step|half|rate|party|person|time|stop|"
    r"fold|sided|ply|dimensional)\b"
)
_AGE_AFTER = re.compile(r"^(?:-year-old|\syears?\sold|,|\sat the time\b)", re.I)
_LOCATING_LEAD = re.compile(
    r"^(?:(?:In|On|During|By the end of|Since|Until)\s(?:(?:late|early|mid)[\s-])?"
    r"(?:\w+day,?\s)?)$"
)
_DEADLINE_BEFORE = re.compile(
    r"\b(?:until|through|by|no later than|before|after|starting(?: in)?|begin(?:s|ning)?|"
    r"scheduled|slated|due|expires?|expired|end of|ahead of|from|deadline|effective|as of)"
    r"\s+(?:\w+\s+){0,3}$",
    re.I,
)
_FUTURE = re.compile(
    r"\b(?:will|would|plans?|planned|planning|scheduled|expected|set to|is to|are to|"
    r"slated|on track|intends?|projected|forecast)\b",
    re.I,
)
# How far context checks look around a figure; keeps every check bounded on huge inputs.
_WINDOW = 200
_SUBJECT_STOP = frozenset(
    """a an the of in on at for to from by with and or but that which who whom whose is are
    was were be been being has have had do does did said says told say according than as
    into over under about since after before during per each every while when where if
    it its their his her our this these those there here not no so because also just only
    will would could should may might can must more most less least last next worth long
    high tall wide deep old overall fled died left went fell rose lost won got took came ran
    stayed remain remained remains were yet still already i you he she we they between
    among across against within without through toward towards via like near behind beyond
    including outside inside upon""".split()
)


def find(text: str, sentences: list[Sentence]) -> list[FoundFigure]:
    """Every figure in ``text``, in order, non-overlapping, each inside one sentence."""
    out: list[FoundFigure] = []
    last_end = 0
    for index, s in enumerate(sentences):
        start, end = max(0, s.start), min(len(text), s.end)
        if end <= start:
            continue
        try:
            figures = _find_in_sentence(text[start:end])
        except Exception:
            # A bug in one rule must not cost the rest of the article its figures; it is
            # logged (where, not what: the text may be private) so that it gets fixed.
            _log.warning(
                "figure finder failed on sentence %d (chars %d-%d)",
                index,
                start,
                end,
                exc_info=True,
            )
            continue
        for f in figures:
            f.start += start
            f.end += start
            f.sentence = index
            if s.furniture:
                f.settle(f"page furniture ({s.furniture})")
            # Sentences may come in overlapping or out of order; keep the output well formed.
            if f.start >= last_end and f.end > f.start:
                out.append(f)
                last_end = f.end
    return out


def _find_in_sentence(t: str) -> list[FoundFigure]:
    found: list[FoundFigure] = []
    last_end = 0
    scan_from = 0
    for trigger in _TRIGGER.finditer(t):
        pos = trigger.start()
        if pos < scan_from:
            continue
        m = _CORE.match(t, pos)
        if m is None:
            continue
        scan_from = m.end()
        fig = _read(t, m)
        if fig is None:
            if m.lastgroup == "numeral":
                # A numeral rejected as part of a name takes the rest of its token with it:
                # the "9" of 787-9, the "900" of A350-900.
                scan_from = _TOKEN_REST.match(t, scan_from).end()
            continue
        if fig.start < last_end:
            fig.start = last_end
        if fig.end <= fig.start:
            continue
        found.append(fig)
        last_end = scan_from = max(scan_from, fig.end)
    if found:
        _judge(t, found)
    return found


def _read(t: str, m: re.Match[str]) -> FoundFigure | None:
    """Widen a core match into a figure with its value, or None when it is not a figure."""
    kind_group = m.lastgroup or ""
    core = m.group(0)
    start, end = m.start(), m.end()
    before = t[max(0, start - 40) : start]
    after = t[end : end + 60]

    if kind_group == "date":
        return _date(t, start, end, core)
    if kind_group == "time":
        return FoundFigure(start, end, "time", None, None, None, "exact", unit="time")
    if kind_group == "multiplier":
        value = _MULTIPLIERS[core.lower()]
        return _qualified(t, start, end, "ratio", value, "times")
    if kind_group in ("ordinal", "ordnum"):
        return _ordinal(t, start, end, core, after)
    if kind_group == "aunit":
        return _a_unit(t, start, end, core, before, after)
    if kind_group == "vague":
        return _vague(t, start, end, core, after)
    if kind_group == "fraction":
        return _fraction(t, start, end, core)
    if kind_group in ("mixed", "slash", "smallpart"):
        return _part(t, start, end, core, kind_group, after)

    # Numerals, money and number words.
    if kind_group in ("numeral", "money"):
        if start > 0 and (t[start - 1].isalpha() or t[start - 1] in "#@/_"):
            return None  # A350, H2, #ATL24
        if start > 1 and t[start - 1] == "-" and t[start - 2].isalpha():
            return None  # Covid-19, D-2
        tail = _HYPHEN_NUMBER.match(after)
        if (
            tail
            and len(core) >= 3
            and core.isdigit()
            and int(tail.group(1)) < int(core)
            and not _YEAR.fullmatch(core)
        ):
            return None  # 787-9: a model number, not a range (a range climbs: 10-20)
        if after.startswith("/") and after[1:2].isdigit():
            return None  # 9/11, 24/7, 3/12/2020: dates and names, not counts
        if core == "911" and _EMERGENCY_911.search(before[-12:] + "|" + after[:14]):
            return None
        named = _NAME_BEFORE.search(before[-16:]) or (
            _NAME_AFTER.match(after) and not re.match(r"^-\d{1,2}\b(?!-)", after)
        )
        if named and not _YEAR_RANGE.match(t, start):
            return None  # Boeing 737, 787-9, 777x, 10-year Treasury note
        if re.match(r"\.\s", after) and start < 8 and not t[:start].strip():
            return None  # list enumerator "1. Seeing it too much."
        if re.match(r"^\s?of\s\d+\b", after) and re.search(
            r"(?:Image|Photo|Slide|Picture)\s$", before
        ):
            return None  # slideshow counter
        if re.search(r"(?:Image|Photo|Slide|Picture)s?\s\d+\sof\s$", before):
            return None  # ... and its total
    if kind_group == "word":
        low = core.lower()
        unit_follows = bool(_UNIT_AFTER.match(after))
        if low in ("one", "a dozen", "dozen") or low.startswith("one "):
            if (
                low == "one"
                and not unit_follows
                and (_PRONOUN_ONE_AFTER.match(after) or _PRONOUN_ONE_BEFORE.search(before[-14:]))
            ):
                return None
            if low == "dozen" and not re.search(r"\b(?:a|about|nearly|some)\s$", before, re.I):
                return None
        idiom = re.match(r"^-(?:two|one)\b", after) or _STRUCTURE_WORDS.match(after)
        if idiom and not unit_follows:
            return None  # one-two punch, second-class, on the one hand
        if low in ("one", "two") and re.match(r"^\s*(?:[,.;:!?]|$)", after):
            return None  # "the two", "a misguided one."
        if (
            low == "one"
            and _ONE_DAY_IDIOM.match(after)
            and (not before.strip(' ,(“"') or before.endswith(("until ", "Until ")))
        ):
            return None  # "One day, he said...", "until one day": some day, not a duration

    value = _number_value(core)
    if value is None:
        return None
    if kind_group in ("word", "numeral") and value < 100:
        om = _ONE_IN.match(after)
        # "one in five Americans", "about 4 in 10 voters", "three out of four": a share.
        denominator = _number_value(om.group(1)) if om else None
        if denominator and (value == 1 or (value < denominator and denominator in _SHARE_OF)):
            fig = _qualified(t, start, end + om.end(), "fraction", value / denominator, "fraction")
            return fig
    magnitude = re.search(r"\b[Mm]agnitude[-\s]$", before)
    if magnitude and kind_group == "numeral":
        # "a magnitude 7.8 earthquake": the scale word is the unit, and it comes first.
        return FoundFigure(start - len(magnitude.group(0)), end, "measure", value, None, None,
                           "exact", unit="magnitude")  # fmt: skip
    negative = _MINUS_BEFORE.search(before[-10:])
    if negative and kind_group == "numeral":
        value, start = -value, start - len(negative.group(0))  # "minus 10 degrees"
    currency = None
    if kind_group == "money":
        currency = _CURRENCY_SYMBOLS.get(core.lstrip()[0], "USD")
    # Scale word after a bare number ("1.2 million", "two billion").
    sm = _SCALE_AFTER.match(after)
    if (sm and kind_group != "money") or (kind_group == "money" and sm and not _has_scale(core)):
        value *= _SCALES[sm.group(1).lower()]
        end += sm.end()
        after = t[end : end + 60]
    # Percentages.
    pm = _PERCENT_AFTER.match(after)
    if pm and kind_group != "money":
        end += pm.end()
        unit = "percentage points" if "point" in pm.group(0).lower() else "percent"
        fig = _qualified(t, start, end, "percent", value, unit)
        if pm.group(0).endswith("-plus"):
            fig.qualifier, fig.low = "at_least", value
        return _maybe_range(t, fig)
    # Money written in words ("$5 million dollars", "50 dollars").
    dm = re.match(r"\s(dollars|euros|pounds sterling|cents)\b", after, re.I)
    if dm and kind_group != "money":
        end += dm.end()
        currency = {"dollars": "USD", "euros": "EUR", "cents": "USD"}.get(
            dm.group(1).lower(), "GBP"
        )
        if dm.group(1).lower() == "cents":
            value = value / 100
    if currency:
        fig = _qualified(t, start, end, "money", value, currency)
        return _maybe_range(t, fig)
    # Years.
    if kind_group == "numeral" and _YEAR.fullmatch(core) and not sm:
        ym = _YEAR_RANGE.match(t, start)
        if ym:
            lo, hi = _year_range_bounds(ym)
            if hi <= lo:
                return FoundFigure(start, end, "date", int(core), None, None, "exact", unit="year")
            fig = FoundFigure(ym.start(), ym.end(), "date", None, lo, hi, "range", unit="year")
            if t[max(0, start - 5) : start].lower() == "from ":
                fig.start -= 5  # "from 2019 to 2024" is quoted whole
            else:
                _extend_from(t, fig)
            return fig
        measured = re.match(r"^\s?(?:percent|%|people|times|miles|years?)\b", after)
        if not measured:
            return FoundFigure(start, end, "date", int(core), None, None, "exact", unit="year")
    # Ages.
    if _AGE_AFTER.match(after) and re.match(r"^(?:-year-old|\syears?\sold)", after, re.I):
        am = re.match(r"^(?:-year-old|\syears?\sold)", after, re.I)
        assert am is not None
        return FoundFigure(start, end + am.end(), "age", value, None, None, "exact", unit="age")
    if (
        kind_group == "numeral"
        and value < 120
        and float(value).is_integer()
        and _is_age(before, after)
    ):
        fig = FoundFigure(start, end, "age", value, None, None, "exact", unit="age")
        return _maybe_range(t, fig)  # "aged 4 to 17"
    # Units of time and measure.
    um = _UNIT_AFTER.match(after)
    if um:
        word = um.group(1).lower()
        if word == "times":
            fig = _qualified(t, start, end + um.end(), "ratio", value, "times")
            if not re.search(r"\b(?:as|more|than|higher|larger|bigger|faster)\b", after[:40]):
                fig.kind = "count"
            return fig
        if word in ("dollars", "euros", "cents", "pounds sterling", "percent"):
            pass
        else:
            if um.group(0).startswith("-") and _INSTRUMENT_AFTER.match(t, end + um.end()):
                return None  # "10-year Treasury note", "30-year mortgage": a product's name
            return _measured(t, start, end, um, value)
    fig = _qualified(t, start, end, "count", value, "count")
    if kind_group == "word" and core.lower().endswith("dozen") and fig.qualifier == "exact":
        fig.qualifier = "dozen"  # the annotation names the round number, like "hundreds"
    return _maybe_range(t, fig)


_YEAR_RANGE = re.compile(
    r"(?:from\s)?((?:1[89]|20)\d\d)\s?(?:-|–|to|through)\s?((?:1[89]|20)?\d{1,2}(?:\d\d)?)\b",
)


_AGE_WORD_BEFORE = re.compile(r"\b(?:[Aa]ge|[Aa]ged|[Aa]ges|age of)\s$")
_AGE_PERSON_BEFORE = re.compile(
    r"\b(?:he|she|who|I|you|they|we)\s(?:was|is|were|are|turned|turns|is now)\s$", re.I
)
_AGE_PERSON_AFTER = re.compile(r"^(?:[,.;]|\s(?:at the time|when|and|years?\sold)\b)")


# First words of two-word places: "New York, 52." is a tally, not a person's age.
_PLACE_FIRST = re.compile(
    r"(?:New|North|South|West|East|Saint|St\.|Los|Las|San|Santa|Fort|Port|Lake|Mount|Rhode|"
    r"Puerto|El|La|Le|Hong|Sri|Costa|Saudi|United|Great|Northern|Southern|Western|Eastern)$"
)


def _is_age(before: str, after: str) -> bool:
    """ "aged 22", "when he was 16,", "Roof, 22, was convicted", "the gunman, 18, was shot"."""
    if not before.endswith(" "):
        return False
    if _AGE_WORD_BEFORE.search(before[-8:]):
        return True
    if before.endswith(("s ", "e ", "d ")) and _AGE_PERSON_BEFORE.search(before[-20:]):
        return bool(_AGE_PERSON_AFTER.match(after))
    if re.search(r"\b(?:I[’']m|I am)\s$", before):
        return bool(_AGE_PERSON_AFTER.match(after))  # "“I'm 76, and I don't feel like ...”"
    if re.search(r"\b(?:said|says)\s(?:[A-Z][\w.'’-]*\s){1,3}[A-Z][a-z]+,\s$", before) and re.match(
        r"\.(?:\s|$|[”\"]|'')", after
    ):
        return True  # "said Carla Cruz, 24."
    caption = re.fullmatch(r"([A-Z][\w'’.-]*)\s(?:[A-Z][\w'’.-]*\s){0,2}[A-Z][\w'’-]+,\s", before)
    if caption and not _PLACE_FIRST.match(caption.group(1)) and re.fullmatch(r"\.\s*", after):
        return True  # a sentence that is a name and an age: "Ahmed Helal, 40."
    # An appositive between commas after a word: "Roof, 22," (not "in 2019, 45," or "1, 2,");
    # "Mr. Sperling, then 38," and "Ms. Brainard, then 35." name an age at the time.
    if re.search(r"[A-Za-z]{2},\s(?:then|now)\s$", before):
        return bool(re.match(r"[,.;]", after))
    return bool(re.search(r"[A-Za-z]{2},\s$", before) and after.startswith(","))


def _year_range_bounds(m: re.Match[str]) -> tuple[int, int]:
    lo = int(m.group(1))
    hi_s = m.group(2)
    hi = int(hi_s) if len(hi_s) == 4 else int(str(lo)[: 4 - len(hi_s)] + hi_s)
    return lo, hi


def _has_scale(core: str) -> bool:
    return bool(re.search(r"(?:illion|thousand|hundred|bn|mn|tn|m|k)$", core, re.I))


_TRAILING_SCALE = re.compile(rf"^(.*?)\s?({_ANY_SCALE})$")


def _number_value(core: str) -> float | int | None:
    """The value of a numeral or number phrase ("$1.2 million", "twenty-five", "a dozen")."""
    s = core.strip().lower()
    s = s.lstrip("".join(_CURRENCY_SYMBOLS)).strip()
    scale = 1
    m = _TRAILING_SCALE.match(s)
    if m and m.group(1):
        s, scale = m.group(1).strip(), _SCALES[m.group(2)]
    if s in ("a dozen", "dozen"):
        return 12 * scale
    if s.startswith("a ") or s in ("a", "an"):
        s = "one"  # "a hundred", "a million"
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", s):
        num = float(s.replace(",", ""))
        value = num * scale
    else:
        parts = s.split("-")
        total = 0
        for p in parts:
            if p in _UNITS_WORDS:
                total += _UNITS_WORDS[p]
            elif p in _TENS_WORDS:
                total += _TENS_WORDS[p]
            else:
                return None
        value = total * scale
    return int(value) if float(value).is_integer() else value


def _qualified(t: str, start: int, end: int, kind: str, value, unit: str) -> FoundFigure:
    fig = FoundFigure(start, end, kind, value, None, None, "exact", unit=unit)
    _extend_from(t, fig)
    return fig


def _extend_from(t: str, fig: FoundFigure) -> None:
    """Pull a qualifier standing right before the figure into its span and bounds."""
    before = t[max(0, fig.start - 30) : fig.start]
    tail = before.rsplit(None, 2)[-2:]
    # Every qualifier ends in one of a few words: a set test skips the regex for most figures.
    if not tail or (
        tail[-1].lower() not in _QUALIFIER_LAST and tail[0].lower() not in _QUALIFIER_LAST
    ):
        return
    m = _QUALIFIER_BEFORE.search(before)
    if not m:
        return
    word = m.group(1).lower()
    qstart = fig.start - len(m.group(0))
    prior = t[max(0, qstart - 40) : qstart]
    if word == "over" and fig.kind == "duration" and _AMOUNT_BEFORE.search(prior):
        return  # "$300 billion over two years": the period of the amount, not a bound
    if word == "about" and _ABOUT_TOPIC_BEFORE.search(prior):
        return  # "talking about one area": a preposition, not an approximation
    for pattern, name, side in _QUALIFIERS:
        if re.fullmatch(pattern, word):
            if word in ("over", "above", "under", "below") and fig.kind in ("date",):
                return
            if word == "within" and fig.kind not in ("duration",):
                return
            if word == "some" and fig.kind in ("date", "duration") and fig.value is None:
                return
            qualifier = name or {"around": "about", "approximately": "about", "circa": "about",
                                 "an estimated": "estimated"}.get(word, word)  # fmt: skip
            if fig.kind == "date" and qualifier not in ("up_to",):
                return
            fig.start -= len(m.group(0))
            fig.qualifier = qualifier
            if side == "low":
                fig.low = fig.value
            elif side == "high":
                fig.high = fig.value
            if qualifier in _HEDGE_QUALIFIERS or word in _HEDGE_QUALIFIERS:
                fig.hedged = True
            return


def _maybe_range(t: str, fig: FoundFigure) -> FoundFigure:
    """ "242 to 330", "between 1 million and 5 million", "30 minutes to an hour"."""
    after = t[fig.end : fig.end + 60]
    rm = _RANGE_AFTER.match(after)
    # "about 10-20" is still a range (and hedged); "at least 10 to 20" is not one figure.
    if not rm or fig.qualifier not in ("exact", "about", "roughly", "some", "estimated"):
        return fig
    before = t[max(0, fig.start - 12) : fig.start]
    between = re.search(r"\bbetween\s$", before, re.I)
    joiner = rm.group(0).strip()
    if joiner == "and" and not between:
        return fig
    if joiner == "or" and not re.match(r"\s?or\s(?:more|so)", after):
        return fig
    if joiner == "to" and re.search(r"\b(?:by|from)\s$", before, re.I):
        # "down by 30 to 126", "rose from $5 to $10 billion": a change, two figures; the
        # second's scale word still applies to the first ("$5" is 5 billion).
        sub = _CORE.match(t, fig.end + rm.end())
        other = _read(t, sub) if sub else None
        if (
            other is not None
            and other.kind == fig.kind == "money"
            and fig.value
            and other.value
            and _SCALE_WORD.search(t, other.start, other.end)
            and not _SCALE_WORD.search(t, fig.start, fig.end)
            and other.value > fig.value * 1000
        ):
            fig.value = fig.value * _magnitude(other.value)
        return fig
    hour = re.match(r"an?\s(hour|day|week|month|year)\b", t[fig.end + rm.end() :])
    if hour and fig.kind == "duration":
        per = {"minutes": {"hour": 60}, "hours": {"day": 24}, "days": {"week": 7},
               "weeks": {}, "months": {"year": 12}}  # fmt: skip
        top = per.get(fig.unit or "", {}).get(hour.group(1))
        if top is None:
            return fig
        fig.end += rm.end() + hour.end()
        fig.low, fig.high, fig.value, fig.qualifier = fig.value, top, None, "range"
        return fig
    sub = _CORE.match(t, fig.end + rm.end())
    if not sub:
        return fig
    other = _read(t, sub)
    bare = fig.kind == "count" and fig.unit == "count"
    if other is not None and fig.kind == "age" and other.kind == "count" and other.unit == "count":
        other.kind, other.unit = "age", "age"  # "aged 4 to 17"
    # "$5-10 billion", "$5-10 each": the currency of the first (and the scale of the second)
    # make one range.
    money_first = (
        fig.kind == "money"
        and other is not None
        and other.kind == "count"
        and other.unit == "count"
        and joiner in ("-", "–")
    )
    if money_first and other is not None:
        other.kind, other.unit = fig.kind, fig.unit
    if other is None or not (
        other.kind == fig.kind
        or (bare and other.kind in ("money", "percent", "measure", "duration"))
    ):
        return fig
    lo, hi = fig.value, other.value
    if lo is None or hi is None:
        return fig
    # "5 to 10 percent", "between 1 and 5 million": the unit and scale of the second
    # apply to the first.
    if bare:
        fig.kind, fig.unit = other.kind, other.unit
    scaled = _SCALE_WORD.search(t, other.start, other.end)
    if scaled and not _SCALE_WORD.search(t, fig.start, fig.end) and hi > lo * 1000 > 0:
        lo = lo * _magnitude(hi)
    if hi < lo:
        if (
            fig.kind == "count"
            and other.kind == "count"
            and hi < 1000
            and (joiner in ("-", "–") or _TALLY_BEFORE.search(before))
        ):
            # "ruled 5-4", "passed 220 to 207": a vote or a score, one figure with no value.
            fig.end = other.end
            fig.kind, fig.unit, fig.value = "ratio", "tally", None
        return fig  # "from 30 to 20" is a change: two numbers, not a range
    if between:
        fig.start -= len(between.group(0))
    fig.end = other.end
    fig.low, fig.high, fig.value = lo, hi, None
    fig.qualifier = "range"
    return fig


_SCALE_WORD = re.compile(
    rf"\d\s?(?:{'|'.join([*_SCALE_NAMES[1:], *_SCALE_ABBREVIATIONS])})\b", re.I
)


_ONE_IN = re.compile(
    rf"\s(?:in|out\sof)\s({_NUMBER_WORD}|\d{{1,3}}(?:,\d{{3}})*)\b(?!\s?%|\spercent)", re.I
)
_SHARE_OF = frozenset({3, 4, 5, 6, 8, 10, 20, 25, 50, 100, 1000})
_MINUS_BEFORE = re.compile(r"\b(?:minus|negative)\s$", re.I)
_TALLY_BEFORE = re.compile(r"\b(?:voted|vote|votes|passed|ruled|won|beat|lost|defeated)\s$")


def _magnitude(x: float) -> int:
    m = 1
    while m * 1000 <= x:
        m *= 1000
    return m


_RATE_AFTER = re.compile(r"\s(?:a|an|per|each)\s(second|minute|hour|day|week|month|year)\b", re.I)


def _measured(t: str, start: int, end: int, um: re.Match[str], value) -> FoundFigure:
    word = um.group(1).lower()
    end2 = end + um.end()
    if word in ("year-old",) or "old" in word:
        return FoundFigure(start, end2, "age", value, None, None, "exact", unit="age")
    base = re.sub(r"s$", "", word) if word not in ("mph", "feet", "inches") else word
    if base in ("centurie", "century"):
        base = "century"
    if base in _DURATION_UNITS or word in ("decades", "centuries"):
        unit = _DURATION_UNITS.get(base, "years")
        if base == "decade":
            value = value * 10
        elif base == "century":
            value = value * 100
        rate = _RATE_AFTER.match(t, end2)
        if rate:
            # "one day a week": a rate, counted in days per week; "a week" is its denominator.
            per = _DURATION_UNITS.get(rate.group(1).lower(), rate.group(1)).rstrip("s")
            fig = _qualified(t, start, end2, "count", value, f"{unit} per {per}")
            return _maybe_range(t, fig)
        fig = _qualified(t, start, end2, "duration", value, unit)
        rm = re.match(r"\s(or more|or so|or longer)\b", t[fig.end : fig.end + 20])
        if rm and rm.group(1) == "or more":
            fig.end += rm.end()
            fig.qualifier, fig.low = "at_least", value
        return _maybe_range(t, fig)
    unit = _MEASURE_UNITS.get(word, word)
    if unit == "degrees":
        unit = (
            "degrees Fahrenheit"
            if re.match(r"\s?F\b|\sFahrenheit", t[end2 : end2 + 12])
            or not re.match(r"\s?C\b|\sCelsius", t[end2 : end2 + 12])
            else "degrees Celsius"
        )
    fig = _qualified(t, start, end2, "measure", value, unit)
    return _maybe_range(t, fig)


_A_UNIT_VALUES = {
    "week": (1, "weeks"), "month": (1, "months"), "year": (1, "years"), "day": (1, "days"),
    "decade": (10, "years"), "century": (100, "years"), "hour": (1, "hours"),
    "minute": (1, "minutes"), "foot": (1, "feet"), "mile": (1, "miles"),
}  # fmt: skip


def _a_unit(t: str, start: int, end: int, core: str, before: str, after: str):
    """ "a week or more", "an extra month", "Within a decade", "Up to a foot" (not "a week"
    as a rate's denominator: "25 bodies a week")."""
    unit_word = core.split()[-1].lower()
    value, unit = _A_UNIT_VALUES[unit_word]
    extra = len(core.split()) == 3
    qualified = re.search(
        r"\b(?:up to|more than|over|nearly|almost|within|in|for|about|under|less than|wait|"
        r"waited|took|takes|lasted|last|just over|barely)\s$",
        before,
        re.I,
    )
    or_more = re.match(r"^\sor\s(?:more|longer)\b", after)
    if not (qualified or extra or or_more):
        return None
    kind = "measure" if unit in ("feet", "miles") else "duration"
    fig = _qualified(t, start, end, kind, value, unit)
    if or_more:
        fig.end += or_more.end()
        fig.qualifier, fig.low = "at_least", value
    if fig.qualifier == "exact" and re.search(r"\b[Ii]n\s$", before) and unit_word == "decade":
        fig.start -= 3  # "In a decade": the preposition is part of how desks quote it
    return fig


def _date(t: str, start: int, end: int, core: str) -> FoundFigure | None:
    if re.fullmatch(r"(?:(?:early|mid|late)[\s-])?\d{4}s", core, re.I):
        fig = FoundFigure(start, end, "date", None, None, None, "exact", unit="decade")
        return fig
    # "no later than November 2018", "until 30 April".
    span = re.search(r"\d[-–]", core) is not None  # "March 30-April 4": a span of days
    fig = FoundFigure(
        start, end, "date", None, None, None, "range" if span else "exact", unit="date"
    )
    m = re.search(r"\bno later than\s$", t[max(0, start - 20) : start], re.I)
    if m:
        fig.start -= len(m.group(0))
        fig.qualifier = "up_to"
    # Ranges of dates: "between October 2019 to March 2020".
    rm = re.match(rf"\s(?:to|through|-|–|and)\s({_MONTHS}\s\d{{4}})", t[end : end + 30])
    bm = re.search(r"\bbetween\s$", t[max(0, start - 10) : start], re.I)
    if rm and bm:
        fig.start -= len(bm.group(0))
        fig.end = end + rm.end()
        fig.qualifier = "range"
    return fig


def _ordinal(t: str, start: int, end: int, core: str, after: str) -> FoundFigure | None:
    low = core.lower()
    if low.startswith("no."):
        if not core.startswith("No") or re.match(r"^\s[A-Z][a-z]", after):
            return None  # "No. 10 Downing Street" is an address
        return FoundFigure(start, end, "rank", int(low[3:].strip()), None, None, "exact",
                           unit="rank")  # fmt: skip
    if low.startswith("number"):
        return FoundFigure(start, end, "rank", _UNITS_WORDS[low.split()[1]], None, None,
                           "exact", unit="rank")  # fmt: skip
    # "second-highest", "6th", "second week in a row", but not "second-class" or "a second".
    before = t[max(0, start - 12) : start]
    if core[:1].isupper() and re.match(r"^\s[A-Z]", after) and t[:start].strip():
        return None  # "Second Avenue", "Third Reich": part of a name
    if re.match(r"^-(?:class|rate|hand|guess)", after):
        return None
    enumerating = False
    if re.search(r"\ba\s$", before, re.I):
        # "a second" is mostly a time unit ("for a second", "a second later"); before a noun
        # it is an ordinal: "a second week" (a count), "a third buyer" (just enumerating).
        if not low.isalpha() or not re.match(r"^\s(?!later\b|earlier\b|ago\b)[a-z]{3,}", after):
            return None
        enumerating = not _ORDINAL_UNIT_AFTER.match(after)
    if low.isalpha():
        if re.match(r"^\s(?:of|and|to|or|,)", after) or re.match(r"^[,.]", after):
            return None
        if not re.search(r"\b(?:the|his|her|its|their|a|for|in|was|is|ranked|ranks)\s$",
                         before, re.I) and not after.startswith(("-", " in line")):  # fmt: skip
            return None
        value = _ORDINALS.get(low)
    else:
        digits = re.match(r"\d+", low)
        if not digits:
            return None
        value = int(digits.group(0))
        if re.match(r"^\sof\s" + _MONTHS[3:-1], after):
            return None  # handled as a date
    if value is None:
        return None
    if after.startswith("-quarter"):
        # "third-quarter profit": the period the figure belongs to, a date.
        return FoundFigure(start, end + 8, "date", None, None, None, "exact", unit="quarter")
    em = re.match(r"^-(?:highest|largest|biggest|lowest|most|best|worst|fastest|busiest)"
                  r"(?:-[a-z]+)?", after)  # fmt: skip
    if em:
        end += em.end()
    unit = "rank"
    wm = _ORDINAL_UNIT_AFTER.match(after)
    if wm and not em:
        end += wm.end()
        unit = "ordinal"
        if wm.group(1) in ("quarter",):
            return FoundFigure(start, end, "date", None, None, None, "exact", unit="quarter")
    fig = FoundFigure(start, end, "rank", value, None, None, "exact", unit=unit)
    fig.checkworthy = not enumerating
    return fig


_ORDINAL_UNIT_AFTER = re.compile(
    r"^\s(?:(?:straight|consecutive)\s)?(week|day|month|year|quarter|time|season|term)\b"
)
_MONEY_VERB_BEFORE = re.compile(
    r"\b(?:in|of|spend|spent|cost|costs|paid|pay|raise|raised|lose|lost|save|saved|owe|owes)"
    r"\s(?:the\s[a-z]+\s|[a-z]+\s)?$"
)
_MONEY_CONTEXT = re.compile(
    r"\b(?:cost|spend|pay|paid|raise|revenue|dollar|debt|borrow|market|money)", re.I
)


def _vague(t: str, start: int, end: int, core: str, after: str) -> FoundFigure:
    low = core.lower()
    qualifier = re.sub(r"\s+", "_", low)
    if not low.endswith("s"):
        qualifier = low + "s"  # "Hundred of soldiers" (a typo), "several thousand"
    unit = "count"
    om = re.match(r"^\sof\s(dollars|euros|pounds)\b", after, re.I)
    if om:
        end += om.end()
        unit = "USD" if om.group(1).lower() == "dollars" else om.group(1).upper()
    elif low in ("billions", "trillions", "millions") and _MONEY_VERB_BEFORE.search(
        t[max(0, start - 40) : start]
    ):
        context = t[max(0, start - _WINDOW) : end + _WINDOW]
        unit = "USD" if _MONEY_CONTEXT.search(context) else "count"
    if low.startswith("tens of") or low.startswith("hundreds of"):
        qualifier = low.replace(" ", "_")
    fig = FoundFigure(start, end, "money" if unit != "count" else "count", None, None, None,
                      qualifier, unit=unit)  # fmt: skip
    sm = re.search(r"\b(?:several|many|a\sfew)\s$", t[max(0, start - 10) : start], re.I)
    if sm:
        fig.start -= len(sm.group(0))
    return fig


def _fraction(t: str, start: int, end: int, core: str) -> FoundFigure | None:
    low = core.lower().replace("-", " ")
    parts = low.split()
    if parts == ["half"]:
        before = t[max(0, start - 12) : start]
        after = t[end : end + 25]
        if re.match(r"^\sa\s(?:century|decade)\b", after):
            dm = re.match(r"^\sa\s(century|decade)\b", after)
            assert dm is not None
            years = 50 if dm.group(1) == "century" else 5
            fig = FoundFigure(start, end + dm.end(), "duration", years, None, None, "exact",
                              unit="years")  # fmt: skip
            _extend_from(t, fig)
            return fig
        if not re.match(r"^\s(?:of|a|an|the)\b", after) and not re.search(r"\bby\s$", before):
            return None
        value = 0.5
        fig = _qualified(t, start, end, "fraction", value, "fraction")
        if re.match(r"^\sa\s(?:percentage point|billion dollars|million|billion)", after):
            return _half_a(t, fig, after)
        return fig
    if parts[0] == "a" and not (
        re.match(r"^\s(?:of|the)\b", t[end : end + 6])
        or _QUALIFIER_BEFORE.search(t[max(0, start - 30) : start])
    ):
        # "a third undisclosed buyer", "for a third day": an ordinal, not a fraction.
        offset = len(core) - len(parts[1])
        return _ordinal(t, start + offset, end, core[offset:], t[end : end + 60])
    numerator = 1 if parts[0] == "a" else _UNITS_WORDS.get(parts[0])
    denominator = _FRACTIONS.get(parts[1])
    if numerator is None or denominator is None:
        return None
    value = numerator * denominator
    fig = _qualified(t, start, end, "fraction", value, "fraction")
    after = t[end : end + 30]
    if parts[1] == "half" and re.match(r"^\sa\s(?:percentage point|billion|million)", after):
        return _half_a(t, fig, after)  # "more than a half a billion dollars"
    return fig


def _part(t: str, start: int, end: int, core: str, group: str, after: str) -> FoundFigure | None:
    """ "2-1/2 times", "15/32" (a bond price move), "a half-point", "a couple of percent"."""
    if group == "smallpart":
        words = re.split(r"[\s-]+", core.lower())
        unit = "percent" if words[-1] == "percent" else "percentage points"
        if words[1] in ("half", "quarter"):
            value = 0.5 if words[1] == "half" else 0.25
            return _qualified(t, start, end, "measure", value, unit)
        kind = "percent" if unit == "percent" else "measure"
        return FoundFigure(start, end, kind, None, None, None, "vague", unit=unit)
    whole, _, frac = core.replace(" ", "-").rpartition("-") if group == "mixed" else ("0", "", core)
    num, den = (int(x) for x in re.sub(r"(?:nds|ths)$", "", frac).split("/"))
    if not den or num >= den:
        return None  # "24/7", "9/11": names and dates, not fractions
    value = int(whole) + num / den
    um = _UNIT_AFTER.match(after)
    if um and um.group(1).lower() == "times":
        return _qualified(t, start, end + um.end(), "ratio", value, "times")
    if group == "slash":
        return _qualified(t, start, end, "fraction", value, "fraction")
    return _qualified(t, start, end, "count", value, "count")


def _half_a(t: str, fig: FoundFigure, after: str) -> FoundFigure:
    m = re.match(r"^\sa\s(percentage point|billion dollars|million dollars|billion|million)",
                 after)  # fmt: skip
    assert m is not None
    what = m.group(1)
    fig.end += m.end()
    if what == "percentage point":
        fig.kind, fig.unit, fig.value = "percent", "percentage points", 0.5
    else:
        fig.kind, fig.unit = "money", "USD"
        fig.value = 0.5 * (1_000_000_000 if what.startswith("billion") else 1_000_000)
    if fig.low is not None:
        fig.low = fig.value
    if fig.high is not None:
        fig.high = fig.value
    return fig


# -- judgement -------------------------------------------------------------------------------


def _judge(t: str, figures: list[FoundFigure]) -> None:
    """Set check-worthiness and hedging for the figures of one sentence."""
    # Modal words and clause breaks, found once per sentence; each figure then looks up the
    # ones in its own clause ("could" in one clause does not hedge the next).
    modals = [m.start() for m in _MODAL.finditer(t)]
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(t)]
    # Whether an amount follows figure i, computed once: a scan per figure would be quadratic.
    amount_after = [False] * len(figures)
    for i in range(len(figures) - 2, -1, -1):
        nxt = figures[i + 1]
        amount_after[i] = amount_after[i + 1] or nxt.kind in ("money", "count", "percent")
    for i, f in enumerate(figures):
        # Look back only a bounded window: a 100 kB "sentence" must stay linear.
        window = max(0, f.start - _WINDOW)
        before = t[window : f.start]
        cut = max(before.rfind(";"), before.rfind(" — "), before.rfind(" -- "))
        clause_start = window + cut if cut >= 0 else window - 1
        clause = before[cut + 1 :]
        earlier = []
        for g in reversed(figures[max(0, i - 8) : i]):
            if g.start <= clause_start:
                break
            if g.kind not in ("date", "time") and g.checkworthy:
                earlier.insert(0, g)
        f.subject = _subject(t, f)
        specific = _not_a_claim(t, f, figures, i)
        if specific:
            f.settle(specific)
        elif f.kind == "age":
            f.settle("age")
        elif f.kind == "date":
            if not _date_is_claim(t, f, clause, earlier):
                f.settle("date that places the story in time")
        elif f.kind == "duration":
            if not _duration_is_claim(t, f, earlier, amount_after[i]) or (
                amount_after[i] and _RECENT_PERIOD_BEFORE.search(t[max(0, f.start - 30) : f.start])
            ):  # "16.8 million over the last three weeks", either order
                f.settle("duration that places the story in time")
        elif (
            f.kind == "rank"
            and earlier == []
            and amount_after[i]
            and re.search(r"-(?:highest|largest)|highest|largest", t[f.end : f.end + 15])
        ):
            f.settle("rank naming a ranked figure")  # "the 10th highest-paid CEO makes $37m"
        elif f.kind == "percent" and f.value == 100 and _EMPHATIC_PERCENT_AFTER.match(t, f.end):
            f.settle("rhetorical number")
        elif (
            f.kind == "count"
            and f.value == 1
            and (
                _ONE_DETERMINER.match(t, f.start)
                or (_ONE_AFTER_CUE.search(t, max(0, f.start - 20), f.start) and t[f.start] == "o")
            )
        ):
            f.settle("'one' as a determiner")  # "One witness said", "said one Democrat"
        elif f.kind == "count" and f.value == 1 and _ONE_PRONOUN.match(t, f.end):
            f.settle("'one' as a pronoun")  # "how one can detect it"
        elif (
            f.kind == "count"
            and f.unit == "count"
            and re.match(
                r"^-(?:class|seat|story|bedroom|door|way|lane|party|candidate|state)\b",
                t[f.end : f.end + 12],
            )
        ):
            f.settle("ordinal or label")  # "a two-class layout"
        # Modal wording hedges the amounts a sentence claims, not the dates that locate it.
        k = bisect.bisect_left(breaks, f.start)
        lo_break = breaks[k - 1] if k > 0 else -1
        hi_break = breaks[k] if k < len(breaks) else len(t)
        j = bisect.bisect_right(modals, lo_break)
        modal = j < len(modals) and modals[j] < hi_break
        if modal and f.checkworthy and f.kind not in ("date", "time", "age"):
            f.hedged = True


# -- figures that are not claims: each rule has a name, kept in the digest ------------------

_CLOCK = "clock or schedule time"
_LABEL_AFTER = re.compile(
    r"^(?:\s|-)(?:(?:Congressional|Judicial|Circuit|Assembly|Senate|House|Council|Police)\s)?"
    r"(?:District|Amendment|amendment|Century|century|Circuit|Precinct|Ward|Avenue|Street|Congress|"
    r"term|terms|party|parties|round|ballot|debate|debates|grade|anniversary|edition|"
    r"annual|inning|quarter|half|floor|generation|reading|degree|Division|Fleet|Army|Corps|"
    r"Battalion|Brigade|Infantry|Regiment|Squadron|Street|Earl|Duke|wave|act|chapter|"
    r"season|straight|consecutive|time|times|run|string)\b"
)
_LABEL_BEFORE = re.compile(
    r"(?:No\.|Number|Channel|Route|Group of|Gang of|Class of|Big|Final|Article|Section|"
    r"Title|Chapter|Flight|Air Force|Apollo|Proposition|Prop\.|Resolution|Local|Episode|"
    r"Season|Volume|Vol\.|Page|Room|Interstate|Highway|Fortune|Forbes|Top)\s$"
)
_YEAR_AS_LABEL = re.compile(
    r"^(?:[-\s](?:presidential|campaign|campaigns|election|elections|race|races|cycle|primary|"
    r"primaries|caucus|caucuses|candidate|candidates|nominee|convention|conventions|debate|"
    r"debates|budget|fiscal|season|Olympics|Olympic|World Cup|census|law|act|Act|report|survey|"
    r"poll|film|movie|book|album|model|edition|graduate|class|deal|agreement|accord|plan|bid|"
    r"run|attack|attacks|crisis|recession|midterm|midterms|general|GOP|Republican|Democratic|"
    r"contest|contests|vote|ballot|ticket|hopeful|hopefuls|field|platform|speech|interview|"
    r"letter|memo|email|e-mail|trip|visit|summit|meeting|rally|hearing|ruling|decision|"
    r"statement|tax|return|returns|filing|version|season|tournament|Games|game|Super Bowl|"
    r"Oscars|Emmys|Iowa|New Hampshire|[A-Z][a-z]+\s(?:race|election|primary|caucus|"
    r"campaign)))\b"
)
_ANCHOR_BEFORE = re.compile(
    r"\b(?:since|until|till|through|ahead of|in the run-up to|back in|as early as|as far back"
    r" as)\s(?:the\s)?(?:(?:late|early|mid|fall|spring|summer|winter|autumn)[\s-](?:of\s)?)?$",
    re.I,
)
_AGE_BAND = re.compile(
    r"(?:\b(?:ages?|aged|between the ages of|under|over|older than|younger than)\s$)",
    re.I,
)
# Who an age band describes: "those 18 to 35", "voters under 30", "adults 18-34".
_AGE_GROUP_BEFORE = re.compile(
    r"\b(?:those|voters|adults|people|Americans|respondents|men|women|residents|Republicans|"
    r"Democrats|independents|millennials|ones|workers|users|children|kids|teens|teenagers)"
    r"\s(?:aged?\s|ages\s)?$",
    re.I,
)
_AGE_BAND_AFTER = re.compile(
    r"^(?:\s?(?:-|–|to|and)\s?\d{2}(?:\s(?:and\s(?:older|over|up|younger|under)|"
    r"years?\sold|year-olds?))?|\s(?:and\s(?:older|over|up|younger|under))|-year-olds?|"
    r"\+)(?!\d)"
)
_SET_SIZE = re.compile(r"(?:\b(?:the|both|all|The|Both|All|these|those|its|their|his|her)\s)$")
_SET_NOUN_AFTER = re.compile(
    r"^\s(?:(?:main|major|leading|top|remaining|other|final|two|Republican|Democratic|GOP|"
    r"presidential|early|first|last)\s){0,2}(?:candidates|parties|sides|men|women|countries|"
    r"campaigns|leaders|senators|nominees|races|chambers|houses|contenders|rivals|finalists|"
    r"front-runners|frontrunners|states|debates|branches|justices|judges|members|"
    r"contests|networks|brothers|sisters|sons|daughters|children|companies|men's|"
    r"of (?:them|us|you|these|those|the))\b|^\s(?:are|were|have|had|will|would|said|say)\b"
)
_FREQUENCY_TWICE = re.compile(r"^(?!\s(?:as|that|the|a|an|more|what|its|their|his|her)\b)")
_CONVERSION_BEFORE = re.compile(r"(?:\(|,\sor\s|\s\(or\s|\sor\sabout\s)$")
_RHETORICAL_AFTER = re.compile(
    r"^\s(?:times?\s(?:over|a day|more)|of (?:the|these|those|them|his|her|its|their|our|my|"
    r"your|a kind)\b|more time|last time|thing)",
    re.I,
)
_SPAN_AFTER = re.compile(
    r"^(?:\s(?:ago|earlier|later|on|before|after|since|into|in office|at the helm|of "
    r"(?:service|experience|history|war|rule|power|marriage|friendship))\b|"
    r"-(?:long|old)\b|\s(?:plan|strategy|term|contract|program|programme|budget|lease|"
    r"period|span|history|career|tenure|moratorium|mandate|mission|project|run|window of "
    r"opportunity|horizon|cycle|reign|stint|(?:\w+\s)?(?:projections?|forecasts?|outlook|"
    r"review|assessment|study|timeline|schedule))\b)"
)


# Broadcasters named with a channel number: "ABC 7", "Channel 4", "KTLA 5".
STATIONS = r"ABC|NBC|CBS|FOX|Fox|CW|PBS|Channel|[KW][A-Z]{2,3}"
_STATION_BEFORE = re.compile(rf"\b(?:{STATIONS})\s$")
_ADDRESS_AFTER = re.compile(
    r"^(?:\s[A-Z][\w.'’-]*){1,3}\s(?:Avenue|Ave\.|Street|St\.|Road|Rd\.|Boulevard|Blvd\.|"
    r"Drive|Dr\.|Lane|Way|Place|Plaza|Square|Parkway|Court|Terrace)(?!\w)"
)


_POINTS_AFTER = re.compile(
    r"^\s(?:(?:big|main|key|major|simple|basic|important|different|other)\s)?(?:things|"
    r"reasons|ways|points|questions|issues|words|lessons|options|problems|possibilities|"
    r"scenarios|choices|priorities|goals|takeaways)\b"
)


def _not_a_claim(t: str, f: FoundFigure, figures: list[FoundFigure], i: int) -> str | None:
    """Why a figure the finder kept is not a claim a desk would check, or None if it is.

    Each branch is one named rule; the name is what the digest records."""
    before = t[max(0, f.start - 60) : f.start]
    after = t[f.end : f.end + 60]
    text = t[f.start : f.end]
    if in_markup(t, f.start):
        return "number in markup or an id"
    if f.kind == "count" and f.value is not None and f.value >= 1e8 and text.isdigit():
        return "number in markup or an id"
    if f.kind == "time":
        return _CLOCK
    rest = text.split(None, 1)[1] if " " in text else ""
    if f.kind == "rank" and (
        _LABEL_AFTER.match((" " + rest if rest else "") + after) or _LABEL_BEFORE.search(before)
    ):
        return "ordinal or label"
    if f.kind == "rank" and re.match(r"^(?:No\.|number)", text):
        ranked = re.search(r"\b(?:ranked|rank|is|was|became)\s$", before)
        return None if ranked else "ordinal or label"
    if f.kind in ("count", "measure") and _LABEL_BEFORE.search(before):
        return "ordinal or label"
    if f.kind == "count" and text[:1].isupper() and re.search(r"[A-Z][\w.'’-]*\s$", before):
        return "ordinal or label"  # "Radio Four", "the Big Ten": a number in a name
    if f.kind == "count" and text.isdigit() and _STATION_BEFORE.search(before):
        return "ordinal or label"  # "ABC 7", "Channel 4", "KTLA 5": a station's number
    if f.kind == "count" and text.isdigit() and (re.search(r"\d:$", before) or after[:3] == "(k)"):
        return "ordinal or label"  # "Ephesians 5:6", "a 401(k) plan"
    if (
        f.kind == "count"
        and text.isdigit()
        and int(text) <= 20
        and after[:1] == ")"
        and re.search(r"(?:^|[\s,:;(])$", before)
    ):
        return "enumeration of points"  # "Clinton 1) registers ..., 2) realizes ..., 3) ..."
    if f.kind == "count" and re.match(r"^-stock\s(?:index|average)", after):
        return "ordinal or label"  # "the Standard & Poor's 500-stock index": an index's name
    if f.kind == "count" and _ADDRESS_AFTER.match(after):
        return "ordinal or label"  # "100 Haven Avenue"
    if f.kind == "duration" and f.start > 0 and re.search(r"\s[A-Z]", text):
        return "ordinal or label"  # "60 Minutes", a title
    if f.kind == "date" and f.unit == "year" and f.qualifier == "exact":
        if _YEAR_AS_LABEL.match(after):
            return "year naming an event or a cycle"
        if _ANCHOR_BEFORE.search(before) and not re.search(
            r"\b(?:highest|lowest|biggest|largest|most|fewest|first time|best|worst)\b",
            before,
            re.I,
        ):
            return "calendar year used as an anchor"
    if f.kind in ("count", "age") and (
        (_AGE_BAND.search(before) and (_AGE_BAND_AFTER.match(after) or f.qualifier == "range"))
        or re.match(r"^(?:-|–|\sto\s)\d{2}-year-olds?", after)
        or re.match(r"^-(?:to|and)-\d{2}", after)
    ):
        return "age band of a survey group"
    if f.kind in ("count", "age") and _AGE_GROUP_BEFORE.search(before):
        low = f.low if f.low is not None else f.value
        if (
            low is not None
            and 12 <= low <= 99
            and (
                _AGE_BAND_AFTER.match(after)
                or f.qualifier == "range"
                or re.match(r"(?:under|over|between)\s", text)
                or re.match(r"^\s(?:and|or)\s(?:older|over|up|younger|under)\b", after)
            )
        ):
            return "age band of a survey group"  # "those 18 to 35", "voters under 30"
    if f.kind == "count" and re.search(r"\bages?\s\d{1,3}\s(?:or|and|to)\s(?:even\s)?$", before):
        return "age"  # "through age 18 or even 22"
    if (
        f.kind == "count"
        and f.value is not None
        and f.value <= 5
        and _POINTS_AFTER.match(after)
        and re.search(r"\b(?:are|were|is|have|had|has|see|there's)\s(?:\w+\s)?$", before)
    ):
        return "enumeration of points"  # "there are still two things that ..."
    if (
        f.kind == "count"
        and f.value is not None
        and f.value <= 12
        and (_SET_SIZE.search(before) and _SET_NOUN_AFTER.match(after))
    ):
        return "size of a named set"
    if f.kind == "count" and re.match(r"^-member\s", after):
        return "size of a named set"  # "the full 187-member Platform Committee"
    if f.kind == "rank" and re.match(r"^\sbirthday\b", after):
        return "age"  # "his 70th birthday"
    if f.kind == "fraction" and re.search(
        r"\b(?:decade|year|century|hour|day|week|month)s?\sand\s$", before
    ):
        return "duration that places the story in time"  # "the past decade and a half"
    if f.kind == "ratio" and text.lower() == "twice" and _FREQUENCY_TWICE.match(after):
        return "how often, not how much"
    if f.kind == "ratio" and text.lower() == "doubled" and after.startswith(" down"):
        return "rhetorical number"
    if (
        f.kind == "count"
        and f.value in (1, 1_000_000, 1_000, 100)
        and _RHETORICAL_AFTER.match(after)
    ):
        return "rhetorical number"
    if i > 0 and _CONVERSION_BEFORE.search(before[-12:]):
        prev = figures[i - 1]
        if (
            prev.kind == f.kind
            and f.kind in ("measure", "money")
            and (f.kind == "measure" or prev.unit != f.unit)
            and f.start - prev.end <= 20
            and prev.value != f.value
        ):
            return "unit conversion of the figure before it"
    if f.kind == "duration" and (
        _SPAN_AFTER.match(after)
        or _RECENT_PERIOD_BEFORE.search(before)
        or re.match(r"^\s(?:on|later|ago|earlier)\b", after)
    ):
        return "duration that places the story in time"
    return None


def _date_is_claim(t: str, f: FoundFigure, clause: str, earlier: list[FoundFigure]) -> bool:
    """A date or year is check-worthy when it is itself the claim (a deadline, a record)."""
    if f.qualifier == "range":
        return False
    if f.unit == "decade":
        return bool(_FUTURE.search(clause))  # "will recommence in the early 2020s"
    lead = t[max(0, f.start - _WINDOW) : f.start]
    if re.search(r"\b(?:highest|lowest|biggest|largest|most|fewest|first time|best|worst)"
                 r"\b[^.;]{0,40}\bsince\s$", lead, re.I):  # fmt: skip
        return True  # "the highest rate since 1982": the record is the claim
    if earlier:
        return False  # "$18 billion for 2015", "6.6 percent in 2017": it scopes a figure
    if re.search(r"\bsince\s(?:the\s)?$", lead[-12:], re.I):
        return f.unit == "year"  # "since 2012" is a record claim; "since October 7" an event
    if f.start <= 60 and _LOCATING_LEAD.match(t[: f.start]):
        return False  # "In 2009, ...": it only locates the event
    if t.startswith("By ") and f.start == 3 and not _FUTURE.search(t[f.end : f.end + 200]):
        return False  # "By 2017, as Senate majority leader, he...": narrative, not a deadline
    if f.qualifier == "up_to" or _DEADLINE_BEFORE.search(lead[-60:]):
        return True
    return bool(_FUTURE.search(clause)) and f.unit in ("year", "date")


# "One witness said", "One Russian soldier": an indefinite determiner, not a count claim.
_ONE_DETERMINER = re.compile(r"One\s(?!in\b|out\b|percent\b|of\b)[A-Za-z]")
_ONE_AFTER_CUE = re.compile(r"\b(?:said|says|told|tells|telling|asked|asking|according to)\s$")
_ONE_PRONOUN = re.compile(r"\s(?:can|could|would|should|might|may|must|cannot|can't)\b")
# "100% accurate", "100 percent sure": emphasis, not a measured share.
_EMPHATIC_PERCENT_AFTER = re.compile(
    r"\s(?:accurate|sure|certain|correct|committed|confident|true|right|behind|guaranteed|"
    r"honest|serious|wrong)\b",
    re.I,
)
_RECENT_PERIOD_BEFORE = re.compile(
    r"\b(?:over|in|during|for|within|across)\s(?:the\s|its\s|his\s|her\s|their\s)?"
    r"(?:last|past|next|previous|coming|first|final)\s$",
    re.I,
)
_SCOPING_PREPOSITION = re.compile(
    r"\b(?:over|in|for|during|within|across)\s(?:the\s)?(?:last\s|past\s|next\s)?$"
)


def _duration_is_claim(
    t: str, f: FoundFigure, earlier: list[FoundFigure], amount_follows: bool
) -> bool:
    """A duration is a claim ("waited more than two hours") unless it is background time or
    the period that scopes another amount ("$631 billion over 10 years", "Within a decade,
    more than $900 billion")."""
    lead = t[max(0, f.start - 25) : f.start]
    tail = t[f.end : f.end + 12]
    near = [g for g in earlier if f.start - g.end <= 40]
    if near and _SCOPING_PREPOSITION.search(lead):
        return False  # "$631 billion over 10 years"
    if re.match(r"^\s(?:later|ago|earlier)\b", tail):
        return False
    value = f.value or 0
    if f.unit == "years" and value >= 10 and re.search(r"\b(?:for|over)\s$", lead):
        return False  # "for more than 150 years": background
    # A period opening the sentence scopes the amount that follows: "Within a decade, more
    # than $900 billion", "In a decade, interest on the debt will...".
    return not (amount_follows and f.start <= 12 and t[f.end : f.end + 1] == ",")


_SUBJECT_WORDS = re.compile(r"(?:\s[A-Za-z][\w'’-]*){1,4}")
_PARTICIPLE = re.compile(r"[a-z]{2,}[^e]ed")  # "needed", "killed"; not "speed" or "bed"
# Adjectives that follow the noun they describe: "four Americans dead", "two hostages alive".
_AFTER_NOUN = frozenset("dead alive missing injured wounded apiece combined altogether".split())
# A day or month after the noun dates the figure; it is not what is counted ("five states
# Tuesday", "three debates Monday").
_WHEN = frozenset(
    (*MONTH_NAMES, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)


def _subject(t: str, f: FoundFigure) -> str | None:
    """The counted noun right after the figure ("at least 115 Russian national guardsmen")."""
    if f.kind not in ("count", "ratio") or f.unit not in ("count", "times"):
        return None  # money, percentages and measures carry their unit; dates count nothing
    rest = t[f.end : f.end + 80]
    if f.kind == "count" and f.value is None and rest.startswith(" of "):
        rest = rest[3:]  # "hundreds of soldiers"
    m = _SUBJECT_WORDS.match(rest)
    if not m:
        return None
    found = m.group(0).split()
    if len(found) > 1 and _PARTICIPLE.fullmatch(found[0]) and found[1].lower() in _SUBJECT_STOP:
        return None  # "the 1,237 needed to clinch", "49 killed in": the figure is the noun
    words: list[str] = []
    for w in found:
        # Stop at function words, and at a participle or an adjective that follows its noun
        # once a noun is in hand ("115 guardsmen deserted", "four Americans dead"): the
        # subject is a short noun phrase, not a clause.
        lower = w.lower()
        if lower in _SUBJECT_STOP or (
            words
            and (
                w.strip("'’.,") in _WHEN
                or (w[0].islower() and (w.endswith(("ed", "ing")) or lower in _AFTER_NOUN))
            )
        ):
            break
        words.append(w)
    return " ".join(words) or None


__all__ = ["MONTH_ABBREVIATIONS", "MONTH_NAMES", "FoundFigure", "find"]
