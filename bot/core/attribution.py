"""Who says what: attribution frames per sentence, quotations, and each figure's source.

A *frame* is one attribution in a sentence: a source phrase, a cue (``said``, ``told``,
``according to``...) and the stretch of the sentence it covers. The rules follow newsroom
convention: the party that gives the information is the source, the outlet it was told to is
only the channel (``Agora ... told The Journal`` -> Agora), and the outermost report wins
(``The Guardian reported that ... guardsmen said`` -> The Guardian). When a rule is unsure it
attributes nothing: a wrong name on a figure is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from bot.core.figures import MONTH_ABBREVIATIONS, MONTH_NAMES, STATIONS
from bot.core.sentences import Sentence, is_abbreviation
from bot.core.sources import (
    Registry,
    SourceEntry,
    classify,
    gender_of,
    looks_like_person_name,
    outlet_name,
    split_role_and_name,
)
from bot.core.text import in_markup, word_alternation

_CUE_VERBS = (
    "said|says|say|told|tells|tell|reported|reports|estimated|estimates|announced|announces|"
    "wrote|writes|confirmed|confirms|found|finds|stressed|stresses|warned|warns|added|adds|"
    "explained|explains|claimed|indicated|indicates|predicted|predicts|tweeted|"
    "showed|shows|show|revealed|reveals|touted|complained|acknowledged|acknowledges|insisted|"
    "insists|pledged|asked|asks|described|describes|noted|notes|argued|argues|believes|"
    "expects|projected|called|urged|responded|testified|"
    "stated|states|suggested|suggests|conceded|admitted|admits|recalled|contended|"
    "maintained|maintains|disclosed|cautioned|observed|alleged|alleges|concluded|"
    "determined|calculated|cited|cites|denied|denies|blamed|accused|claim|say|estimate|"
    "assured|assures|emerged|surfaced|summed up|declined to comment|declined to provide|"
    "see|sees|"
    # Proposals, intentions and beliefs: who puts a number forward is its source.
    "proposed|proposes|propose|wants|wanted|promised|promises|vowed|vows|pledges|"
    "concludes|conclude|believe|believed|thinks|think|hopes|agreed|declared|declares|"
    "recalls|unveiled|calls for|called for|forecast|forecasts|projects|"
    "saying|noting|adding|arguing|claiming|estimating|predicting|warning|insisting|"
    "had this to say|has this to say|"
    "pointed out|points out|pointed to|calculates|calculated|suggesting|recalling|argue|"
    "suggest|finding|promising|fears|worries|worried|advocates|advocated|supports|favors|"
    "opposes|urges|seeks|sought|identified|identifies|put|puts|pegged|pegs|lists|listed|"
    "ranks|ranked|values|valued|"
    # The rest of the reporting verbs (a general list, not mined from any corpus).
    "boasted|boasts|bragged|brags|commented|comments|hinted|hints|implied|implies|joked|"
    "jokes|mentioned|mentions|objected|proclaimed|remarked|reminded|reminds|replied|replies|"
    "signaled|signalled|signals|speculated|swore|swears|threatened|wondered|wonders|"
    "emphasized|emphasised|emphasizes|affirmed|asserted|asserts|conceded|countered|"
    "counters|reiterated|reiterates|acknowledged|assessed|forecasted|figured|guessed|"
    "complains|contends|declared|lamented|laments|quipped|quips|retorted|shot back|fired back|"
    # Stances that assert something about their target ("criticized him for votes in the
    # 1990s"); not the ones that doubt or refuse it ("questioned whether", "rejected").
    "expressed|defended|praised|blasted|stating|insist|echoed|criticized|telling|reporting|"
    # "Wealth-X has it at $4.7 billion"
    "has it at|had it at|have it at"
)
_CUE = re.compile(rf"\b(?:{word_alternation(_CUE_VERBS.split('|'))})\b")
# Month names from the one table the figure finder uses (full names first: "May" before "Ma").
_MONTHS = "(?:" + "|".join([*MONTH_NAMES, *MONTH_ABBREVIATIONS]) + ")"
# "per" is a source only before a name or a determiner: "per Forbes", not "per year".
_ACCORDING = re.compile(r"\b(?:[Aa]ccording to|[Cc]iting|[Pp]er(?=\s+(?:the\s|a\s|an\s|[A-Z])))\s+")
_PASSIVE_BY = re.compile(
    r"\b(?:revealed|reported|announced|estimated|expected|projected|published|disclosed|"
    r"confirmed|found|released|conducted|commissioned|compiled|prepared)\s+by\s+"
)
# "a list compiled by X", "a memo released by X" cover only their own clause: past a clause
# break the sentence is the writer's again.
_PASSIVE_REACH = re.compile(r"[;:—(]|\s--\s|,\s+(?:which|while|and|but|when|as|after)\b")
_PAREN_SOURCE = re.compile(r"\(([A-Z][\w.&' -]{1,40}|[\w-]+\.(?:com|org|net|gov|edu))\)")

_CLAUSE_BREAK = re.compile(
    r"(?:[“”\"‘;:(]|''|—|--|\s-\s|(?<!\d),|,(?!\d{3}\b|\s(?:1[89]|20)\d\d\b)|\band(?!\s+[A-Z])|\b(?:that|but|while|as|because|after|before|when|"
    r"where|whereas|although|though|since|if|even|so|which|who|whom)\b)"
)
_LEADING_JUNK = re.compile(
    r"^(?:\s|[“”\"'’‘(]|(?:But|And|So|Yet|Also|Meanwhile|However|Still|Now|Instead|Then|"
    r"Even|Plus|Or|Already|Furthermore|Moreover|Additionally|While|Though|Although|When|"
    r"After|Before|Because|Since|As|If|and|but|so|yet|while|Well|Continued|Yes|Oh)\b,?)+"
)
_PRONOUN = re.compile(r"^(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)$")
_DEFINITE = re.compile(
    r"^(?:[Tt]he|[Tt]his|[Tt]hat)\s+(outlet|newspaper|paper|agency|department|ministry|trust|"
    r"airline|carrier|company|firm|group|court|judge|government|office|bureau|board|"
    r"organi[sz]ation|network|broadcaster|bill|report|review|study|survey|president|"
    r"senator|governor|mayor|official|spokes(?:man|woman|person)|lawyer|doctor|researcher)$"
)
# A record named by its kind and its maker: "A study by Vanderbilt University and ...",
# "exit polls conducted by Edison Research for The Associated Press".
_RECORD_BY = re.compile(
    r"((?:[Aa]n?|[Tt]he|[Nn]ew|[Ee]arly results of|[A-Z][\w’'.-]*)\s+(?:[\w/&.'’-]+\s+){0,3}?"
    r"(?:study|report|analysis|survey|poll|polls|review|audit|estimates?|tally|data|memo|"
    r"filings?|paper|investigation|projections?))\b(?:(?!\b(?:said|says|who|which|that)\b).){0,100}?"
    r"\b(?:by|from)\s+((?:the\s+)?[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|for|and|the|on)){0,14}?)"
    r"(?=\s+(?!(?:of|for|and|the|on)\s+(?:the\s+)?[A-Z])[a-z]|\s*[,;]|$)"
)
_DEFINITE_KINDS = {
    "outlet": ("outlet",),
    "newspaper": ("outlet",),
    "paper": ("outlet",),
    "network": ("outlet", "organization"),
    "broadcaster": ("outlet",),
    "agency": ("government",),
    "department": ("government",),
    "ministry": ("government",),
    "trust": ("government", "organization"),
    "court": ("government",),
    "judge": ("person", "official"),
    "government": ("government",),
    "office": ("government",),
    "bureau": ("government",),
    "board": ("government", "organization"),
    "airline": ("organization",),
    "carrier": ("organization",),
    "company": ("organization",),
    "firm": ("organization",),
    "group": ("organization",),
    "organization": ("organization",),
    "organisation": ("organization",),
    "bill": ("document",),
    "report": ("document",),
    "review": ("document",),
    "study": ("document",),
    "survey": ("document", "data"),
    "president": ("official",),
    "senator": ("official",),
    "governor": ("official",),
    "mayor": ("official",),
    "official": ("official",),
    "spokesman": ("official",),
    "spokeswoman": ("official",),
    "spokesperson": ("official",),
    "lawyer": ("person",),
    "doctor": ("person", "anonymous"),
    "researcher": ("person",),
}
_NOT_SOURCES = re.compile(
    r"^(?:[Ii]|[Ww]e|[Yy]ou|[Tt]hose|[Tt]hese|[Tt]his|[Tt]hat|[Ii]ts|[Ww]hat|[Ww]ho|[Tt]here|"
    r"[Ss]ome|[Mm]any|[Aa]ll|[Oo]thers?|[Ee]veryone|[Nn]obody|[Oo]ne|[Tt]hey\s+all|[Ss]tudies)$"
)


@dataclass(slots=True)
class Frame:
    """One attribution inside a sentence (offsets into the article text)."""

    entry: SourceEntry
    cue: str
    attribution: str  # "indirect" | "according_to"
    subject_start: int  # where the frame (source phrase or cue) starts
    cue_end: int  # where the cue (and, for "according to X", the phrase) ends
    # What the frame covers: "after" ("X said that ..."), "before" ("..., X said."),
    # or "both" (a parenthetical "..., he says, ...").
    scope: str
    how: str = "cue"  # how it was found: cue | inverted | according_to | passive | paren | ...
    via: str = "name"  # how its source phrase was resolved: name | pronoun | definite | description

    @property
    def label(self) -> str:
        """How a figure's attribution to this frame was made, as the digest records it."""
        return self.via if self.via in ("pronoun", "description") else self.how


@dataclass(slots=True)
class SentenceAttribution:
    span: tuple[int, int] = (0, 0)  # the sentence's offsets
    frames: list[Frame] = field(default_factory=list)
    quote_speaker: SourceEntry | None = None  # speaker of a quotation this sentence belongs to
    in_quote: bool = False  # the sentence holds or continues a quotation
    starts_in_quote: bool = False  # it opens inside a quotation begun earlier
    quotes: list[tuple[int, int]] = field(default_factory=list)  # quoted stretches (offsets)
    block: bool = False  # a paragraph introduced by "X wrote:": all of it is X's


@dataclass(slots=True)
class Attribution:
    registry: Registry
    sentences: list[SentenceAttribution]
    text: str = ""

    def main_frame(self, i: int) -> tuple[SourceEntry | None, str | None, str]:
        """The sentence's main attribution: (source, cue, attribution kind)."""
        sa = self.sentences[i]
        if sa.frames:
            f = sa.frames[0]
            kind = "direct_quote" if sa.in_quote else f.attribution
            return f.entry, f.cue, kind
        if sa.quote_speaker:
            return sa.quote_speaker, "said", "direct_quote"
        return None, None, "unattributed"

    def figure_source(self, i: int, start: int, end: int) -> SourceEntry | None:
        """The source of a figure at [start, end) in sentence i, or None when unsure."""
        ev = self.evidence(i, start, end)
        return ev.entry if ev else None

    def _relay(self, sa: SentenceAttribution, f: Frame) -> SourceEntry | None:
        """Who passes on what ``f``'s source said: an outer report ("The Guardian reported
        that ... guardsmen said") or the speaker whose quotation holds ``f``."""
        outer = [
            g
            for g in sa.frames
            if g is not f
            and g.scope == "after"
            and g.cue_end <= f.subject_start
            and g.entry is not f.entry
        ]
        if outer:
            return max(outer, key=lambda g: g.cue_end).entry
        inside_quote = any(a <= f.cue_end - 1 < b for a, b in sa.quotes)
        if inside_quote and sa.quote_speaker is not None and sa.quote_speaker is not f.entry:
            return sa.quote_speaker
        return None

    @staticmethod
    def _hearsay(sa: SentenceAttribution, f: Frame) -> bool:
        """A frame inside the speaker's quotation that does not pass on a report: "The White
        House wanted 60 votes", "People say ...". What the speaker says stays theirs."""
        inside = any(a <= f.subject_start < b for a, b in sa.quotes)
        return inside and (f.cue not in _REPORTING or f.entry.kind == "anonymous")

    def evidence(self, i: int, start: int, end: int) -> Evidence | None:
        """The attribution a figure at [start, end) in sentence i gets (its source, how it
        was found, who relayed it), or None when no rule gives it a source."""
        sa = self.sentences[i]
        text = self.text
        dateline = _DATELINE_DATE.match(text, sa.span[0], sa.span[1])
        if dateline and end <= dateline.end():
            return None  # "CAMBRIDGE, Mass., Dec. 11 (UPI) —": the wire's dateline
        if re.search(r"\(@\w{1,30}\)\s*$", text[max(0, start - 40) : start]):
            return None  # "— Gideon Resnick (@GideonResnick) June 29, 2016": a post's date
        in_quote = any(a <= start and end <= b for a, b in sa.quotes)
        inside = [
            f
            for f in sa.frames
            if f.subject_start <= start and end <= f.cue_end + _circumstance(text, f, end)
        ]
        if inside:
            # Inside a source phrase, its description or its cue's circumstances ("X, a
            # 30-year veteran, said", "wrote in a June 2012 email"): the writer's words,
            # unless an earlier frame reports the whole clause ("According to exit polls,
            # majorities in all five states say ...").
            outer = [
                f for f in sa.frames if f.scope == "after" and f.cue_end <= inside[0].subject_start
            ]
            # "Mr. Leenders, who estimated that one-quarter ..., said": the clause inside the
            # subject has a cue of its own.
            within = [
                f
                for f in sa.frames
                if f is not inside[0]
                and inside[0].subject_start <= f.subject_start
                and f.cue_end <= start
                and f.scope == "after"
            ]
            if within:
                f = max(within, key=lambda f: f.cue_end)
                return Evidence(f.entry, f.label)
            if not outer:
                return None
            f = max(outer, key=lambda f: f.cue_end)
            return Evidence(f.entry, f.label)
        # A frame inside a quotation speaks only for that quotation ("“It's according to age
        # groups,” said Mattie Thomas, 66"), and one inside parentheses only for them ("claimed
        # 81 percent (the number is closer to 15 percent, according to Factcheck.org)").
        usable = [
            f
            for f in sa.frames
            if not any(a <= f.subject_start < b and not (a <= start < b) for a, b in sa.quotes)
            and not _walled_off(text, sa.span[0], f.subject_start, start)
        ]
        # "..., according to X." and "(Forbes)" cover everything before them: the party that
        # published the number outranks whoever is the grammatical subject.
        for f in usable:
            if f.attribution == "according_to" and f.scope != "after" and f.subject_start >= end:
                return Evidence(f.entry, f.label)
        frames = [
            f
            for f in usable
            if (f.how != "passive" or not _PASSIVE_REACH.search(_gap(text, f, start, end)))
            and not (in_quote and sa.quote_speaker is not None and self._hearsay(sa, f))
        ]
        before = [
            f
            for f in frames
            if f.cue_end <= start and f.scope != "before" and f.cue not in _NO_CONTENT_CUES
        ]
        if before:
            f = max(before, key=lambda f: f.cue_end)
            if (
                not in_quote
                and not (f.attribution == "according_to" and f.scope == "after")
                and _ASIDE.search(text[f.cue_end : start])
            ):
                return None  # "said he meets families in a city that has recorded 400 ..."
            if f.cue in _INTENT_CUES:
                # "claiming that Obama wanted to take in 250,000", "Mr. Lewandowski sought a
                # deal worth $1.2 million, Politico reported": a wish inside someone's report
                # is what the reporter says.
                outer = [
                    g
                    for g in before
                    if g is not f
                    and g.cue not in _INTENT_CUES
                    and ";" not in text[g.cue_end : f.subject_start]
                ]
                later = [
                    g for g in frames if g.subject_start >= end and g.scope in ("before", "both")
                ]
                if later:
                    g = min(later, key=lambda g: g.subject_start)
                    return Evidence(g.entry, g.label)
                if outer:
                    g = max(outer, key=lambda g: g.cue_end)
                    return Evidence(g.entry, g.label, self._relay(sa, g))
                if re.search(r"\bthat\s+$", text[sa.span[0] : f.subject_start]):
                    return None  # "his claim that Obama wants 250,000": whose claim is unsure
            return Evidence(f.entry, f.label, self._relay(sa, f))
        after = [f for f in frames if f.subject_start >= end and f.scope != "after"]
        if after:
            f = min(after, key=lambda f: f.subject_start)
            lead = text[sa.span[0] : f.subject_start]
            if f.scope == "both" and _LEAD_PHRASE.fullmatch(lead):
                return None  # "Six months ago, the senator said, the media ...": when, not what
            return Evidence(f.entry, f.label)
        if sa.quote_speaker is not None and (sa.block or in_quote):
            span = next(((a, b) for a, b in sa.quotes if a <= start and end <= b), None)
            if (
                span
                and not sa.frames
                and len(text[span[0] : span[1]].split()) < _SCARE_WORDS
                and span[1] - span[0] < (sa.span[1] - sa.span[0]) / 2
            ):
                return None  # "her “50-state strategy”": a term in quotation marks, not speech
            if span and not sa.frames and _is_title(text[span[0] : span[1]]):
                return None  # "the movie “13 Hours: The Secret Soldiers of Benghazi”": a title
            return Evidence(sa.quote_speaker, "quote")
        return None


def _walled_off(text: str, sentence_start: int, frame_at: int, figure_at: int) -> bool:
    """Is the frame inside parentheses that the figure stands outside of (before them)?"""
    if figure_at >= frame_at:
        return False
    opening = text.rfind("(", sentence_start, frame_at)
    return opening > figure_at and text.find(")", opening, frame_at) == -1


@dataclass(slots=True)
class Evidence:
    """A figure's attribution: its source, how it was found, and who relayed it."""

    entry: SourceEntry
    how: str
    relayed_by: SourceEntry | None = None  # "A told B that C found ...": A relays C's figure


# A relative clause inside reported speech: the writer's aside, more often than not.
_ASIDE = re.compile(
    r",\s(?:which|who|whose|where|when)\s[^,;“”\"]*$|"
    r"\b(?:that|which|who)\s(?:has|had|have|is|was|were)\s[^,;“”\"]*$|"
    # "X said A, but B ...": the writer's turn, not more of what X said.
    r"[,;]\s(?:but|yet)\s(?![^“”\"]*\b(?:said|says|added|adds)\b)"
)


# A short phrase that opens a sentence before "X said, ...": its time or place.
_LEAD_PHRASE = re.compile(
    r"(?:(?:In|On|At|By|During|Since|Until|Over|For|Last|This|Earlier|Later|After|Before)\b"
    r"[^,;:“”\"]{1,40}|[^,;:“”\"]{1,25}\s(?:ago|earlier|later|before))\s*,\s*"
)


def _is_title(quoted: str) -> bool:
    """A quoted stretch in title case (a film, a book, a song, a headline), not speech."""
    words = re.findall(r"[A-Za-z][\w'’-]*", quoted)
    content = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS]
    if len(content) < 2:
        return False
    titled = all(w[0].isupper() or w[0].isdigit() for w in content)
    if re.search(r"[.!?][”\"']*\s*$", quoted.strip(" ”\"'")):
        # A sentence ends inside: speech, unless a short title took the sentence's stop
        # ("founder of “Indian Americans for Hillary 2008.”", "“Sharknado 3: Oh Hell No!”").
        return titled and len(words) <= 8 and not re.search(r"[.!?]\s", quoted)
    return titled


_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "and", "or", "for", "to", "at",
                                "by", "with", "from", "is", "as"})  # fmt: skip


def _gap(text: str, f: Frame, start: int, end: int) -> str:
    """The text between a frame and a figure, on whichever side the figure lies."""
    return text[end : f.subject_start] if end <= f.subject_start else text[f.cue_end : start]


_SPEAKING_EVENTS = (
    "interview|statement|speech|discussion|debate|conference|hearing|rally|event|appearance|"
    "email|e-mail|letter|post|tweet|op-ed|column|broadcast|podcast|panel|briefing|address|"
    "town hall|forum|memo|filing|testimony|radio show|show|program|call"
)
_CIRCUMSTANCE = re.compile(
    # "in a Rolling Stone interview in October 2010", "during a panel discussion on the
    # American presidency on May 16 at the National Constitution Center"
    rf"\s*(?:,\s*)?(?:(?:in|during|at|on)\s(?:a|an|the|his|her|their|its)\s[^,;:“”\"]{{0,60}}?"
    rf"\b(?:{_SPEAKING_EVENTS})s?\b(?:\s(?:on|in|at|with|to|for|before)\b[^,;:“”\"]{{0,40}}?){{0,3}}|"
    # "she said of her three-minute conversation with the nominee": what was spoken of
    rf"of\s[^;:“”\"]{{0,100}}?(?=[.,]\s|[;:“”\"]|\s*$)|"
    rf"(?:on|in|at|during|last|this|earlier|later|to|before|after|from|by|"
    rf"with|since|of)\b(?:[^,;:“”\"]|,\s\d{{4}}\b){{0,40}}?|"  # "in a June 10, 2009 email"
    rf"{_MONTHS}\.?\s\d{{1,2}}\b[^,;:“”\"]{{0,40}}?|"
    rf"(?:\w+\s){{1,2}}(?:into|after|before)\s[^,;:“”\"]{{0,30}}?)?"
    # "..., speaking to reporters for seven minutes outside the White House."
    rf"(?:,\s(?:speaking|talking|appearing|writing|testifying)\b[^,;:“”\"]{{0,80}}?)?"
    rf"(?=,(?!\s\d{{4}}\b)|[;:“”\"]|\s+that\b|\s*$|\.\s(?!\d))"
)
# A subject and its verb: where what was said begins after a cue's circumstances.
_CLAUSE_AFTER_CIRCUMSTANCE = re.compile(
    r"\s(?:(?:the|a|an|his|her|their|its|this|these|those|some|many|most|all)\s+(?:[\w'’-]+\s+)"
    r"{0,3}?|(?:he|she|it|they|we|I|there)\s+|[A-Z][\w'’.-]+\s+(?:[A-Z][\w'’.-]+\s+)?)"
    r"(?:(?:also|has|had|have|will|would|could|can|may|might|must|should|is|are|was|were|"
    r"did|does|do|not|never)\s+)?"
    r"(?:[a-z]+ed|lost|cut|won|made|got|put|set|took|gave|paid|spent|raised|rose|fell|grew|"
    r"saw|had|has|have|is|are|was|were|will|would|could|can|may|might|must|should)\b"
)
_SPEECH_CUES = frozenset({"said", "says", "told", "tells", "added", "adds", "wrote", "writes",
                          "explained", "argued", "argues", "noted", "notes"})  # fmt: skip
# Cues that pass on a report, as opposed to a wish, a belief or a stance.
_REPORTING = _SPEECH_CUES | frozenset({"reported", "reports", "found", "finds", "showed", "shows",
                                       "show", "estimated", "estimates", "announced", "stated",
                                       "concluded", "calculated", "projected", "predicted",
                                       "revealed", "disclosed", "confirmed"})  # fmt: skip
_SCARE_WORDS = 5  # a quoted stretch shorter than this, with no cue, is a term, not speech
_NO_CONTENT_CUES = ("declined to comment", "declined to provide")


def _circumstance(text: str, f: Frame, figure_end: int) -> int:
    """How far past the cue its own circumstances run ("said on May 16 at the center")."""
    if f.cue in _NO_CONTENT_CUES:
        return 0
    start = f.cue_end
    if f.cue in ("told", "tells"):
        # "told New York magazine in 2013, ...": the circumstances follow the one told.
        r = _RECIPIENT.match(text[start : start + 80])
        start += r.end() if r else 0
    m = _CIRCUMSTANCE.match(text, start, min(len(text), start + 200))
    if not m or not m.group(0).strip(" ,"):
        return 0
    # "said on Monday the company lost $5 million": the circumstance ends where a clause of
    # what was said begins.
    clause = _CLAUSE_AFTER_CIRCUMSTANCE.search(text, start, m.end())
    return (clause.start() if clause else m.end()) - f.cue_end


def attribute(text: str, sentences: list[Sentence]) -> Attribution:
    """Find the attribution frames and quotations of every sentence, registering sources."""
    registry = Registry()
    reader = _Reader(text, registry)
    result = [SentenceAttribution() for _ in sentences]
    for i, s in enumerate(sentences):
        reader.new_paragraph(s.paragraph)
        if not (s.title or s.furniture):
            result[i] = reader.read(s)
    reader.new_paragraph(-2)
    registry.name_in_full(text)
    return Attribution(registry=registry, sentences=result, text=text)


# Quotation marks: curly, straight, and the doubled apostrophes some archives use ('').
_QUOTE_MARKS = re.compile(r"[“”\"]|''")
_QUOTE_MARK = re.compile(r"\s*(?:[“”\"]|'')")


def _quote_spans(t: str, starts_inside: bool) -> tuple[list[tuple[int, int]], bool]:
    """Quoted stretches of a sentence and whether a quotation is still open at its end."""
    spans: list[tuple[int, int]] = []
    open_at = 0 if starts_inside else -1
    for m in _QUOTE_MARKS.finditer(t):
        if "<" in t and in_markup(t, m.start()):
            continue  # <tweet tweet-author="...">: markup, not a quotation
        ch = m.group(0)
        opening = ch == "“" or (ch in ('"', "''") and open_at < 0)
        if opening and open_at < 0:
            open_at = m.start()
        elif not opening and open_at >= 0:
            spans.append((open_at, m.end()))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at, len(t)))
    return spans, open_at >= 0


class _Reader:
    """Reads story sentences in order, keeping the context attribution depends on."""

    def __init__(self, text: str, registry: Registry) -> None:
        self.text = text
        self.registry = registry
        self.paragraph = -1
        self.last_person: SourceEntry | None = None
        self.persons: list[SourceEntry] = []  # people cited so far, the latest last
        self.cited_at: dict[int, int] = {}  # id(entry) -> where it was last cited
        self.via = "name"  # how _register found its last entry: name|pronoun|definite|description
        self.last_entry: SourceEntry | None = None
        self.quote_open = False
        self.open_quote_speaker: SourceEntry | None = None
        self.pending: list[SentenceAttribution] = []  # quote sentences awaiting a speaker
        self.paragraph_speaker: SourceEntry | None = None  # who is quoted in this paragraph
        self.prev_speaker: SourceEntry | None = None  # ... and in the previous one
        self.items: list[SentenceAttribution] = []
        self.prev_items: list[SentenceAttribution] = []  # the previous paragraph's sentences
        self.credited = 0  # this paragraph's sentences a credit line ("- Sanders.") has named
        self.position = 0  # where the sentence being read starts
        self.phrase_at: int | None = None  # where the source phrase being resolved starts
        self.paragraph_start = False  # the next sentence read opens a paragraph
        self.colon_speaker: SourceEntry | None = None  # "X wrote:" ends this paragraph
        self.block_speaker: SourceEntry | None = None  # ... and this one is what X wrote

    def new_paragraph(self, paragraph: int) -> None:
        if paragraph == self.paragraph:
            return
        items = self.items
        if items:
            speaker = self.paragraph_speaker
            if (
                speaker is None
                and all(it.in_quote and not it.frames for it in items)
                and not _ROUNDUP_HEADING.match(self.text, items[0].span[0])
            ):
                # A paragraph that is only a quotation continues the previous speaker (not
                # one that opens with a roundup's heading: "MOVING SHOP—“...,” by ...: “...”").
                speaker = self.prev_speaker
            if self.credited:
                speaker = None  # a roundup credits each quotation; the rest stay unknown
            if speaker is not None:
                for it in items:
                    if it.in_quote and it.quote_speaker is None:
                        it.quote_speaker = speaker
            self.prev_speaker = speaker
        self.prev_items = items
        self.credited = 0
        self.paragraph = paragraph
        self.paragraph_speaker = None
        self.items = []
        self.pending = []
        self.paragraph_start = True
        self.block_speaker, self.colon_speaker = self.colon_speaker, None
        if not self.quote_open:
            self.open_quote_speaker = None

    def read(self, s: Sentence) -> SentenceAttribution:
        self.position = s.start
        t = self.text[s.start : s.end]
        if self.paragraph_start and self.quote_open:
            # A quotation runs on into the next paragraph only when that paragraph opens
            # with a quotation mark (news style leaves the first one unclosed); otherwise
            # the open mark was a stray and nothing after it is quoted.
            self.quote_open = False
            if not _QUOTE_MARK.match(t):
                self.open_quote_speaker = None
        self.paragraph_start = False
        sa = SentenceAttribution(span=(s.start, s.end), starts_in_quote=self.quote_open)
        spans, self.quote_open = _quote_spans(t, sa.starts_in_quote)
        sa.quotes = [(s.start + a, s.start + b) for a, b in spans]
        sa.in_quote = bool(spans)
        sa.frames = self._frames(s.start, t)
        # The splitter leaves a line's leading dash before the sentence: "- Sanders."
        dash = re.search(r"[-–—―][ \t]*$", self.text[max(0, s.start - 3) : s.start])
        line = f"- {t}" if dash else t
        credit = (
            _DASH_CREDIT.search(line) if not sa.frames and line.rstrip()[-1:] not in '”"' else None
        )
        if credit is not None and (sa.in_quote or line[: credit.start()].strip() == ""):
            # "“... pay zero taxes.” - Sanders.": a credit line after a quotation names its
            # speaker, for the quotation in this sentence or the paragraph just before.
            entry = self._register(credit.group(1))
            if entry is not None:
                # Only the quotations since the last credit line: a roundup credits each.
                since = self.items[self.credited :]
                quoted = [it for it in since if it.in_quote and not it.frames]
                if not quoted and not self.items:
                    quoted = [it for it in self.prev_items if it.in_quote and not it.frames]
                for it in [*quoted, sa] if sa.in_quote else quoted:
                    it.quote_speaker = entry
                self.credited = len(self.items) + 1
        if sa.frames and t.rstrip(" ”\"'").endswith(":"):
            self.colon_speaker = sa.frames[-1].entry
        if self.block_speaker is not None and not sa.frames:
            sa.quote_speaker, sa.block = self.block_speaker, True
            self.items.append(sa)
            return sa
        # The speaker of the sentence's quotation is named outside it ("“...,” he said");
        # a cue inside the quotation is someone the speaker cites.
        outside = [f for f in sa.frames if not any(a <= f.cue_end - 1 < b for a, b in sa.quotes)]
        if not sa.frames and sa.quotes and not sa.starts_in_quote:
            # "Clinton has since apologized for what happened: “Yes, I should have used two
            # email addresses ...”": the subject introducing the quotation speaks it.
            lead = _SUBJECT_COLON.match(t)
            entry = self._register(lead.group(1)) if lead else None
            if entry is not None and entry.kind in ("person", "official"):
                self._speaks(sa, entry)
                self.items.append(sa)
                return sa
        if outside:
            speaker = outside[0].entry
            if sa.in_quote:
                self._speaks(sa, speaker)
            elif self.paragraph_speaker is None and outside[-1].cue in _SPEECH_CUES:
                # "..., digital consultant Phil Musser says. “Several surveys ...”": a
                # quotation after someone's reported words in the paragraph is theirs.
                self.paragraph_speaker = outside[-1].entry
        elif sa.in_quote:
            if sa.starts_in_quote and self.open_quote_speaker is not None:
                sa.quote_speaker = self.open_quote_speaker
            else:
                self.pending.append(sa)
        self.items.append(sa)
        return sa

    def _speaks(self, sa: SentenceAttribution, speaker: SourceEntry) -> None:
        """``speaker`` speaks this sentence's quotation, the paragraph's quotations still
        waiting for a speaker, and what runs on from it."""
        self.paragraph_speaker = speaker
        for p in self.pending:
            p.quote_speaker = p.quote_speaker or speaker
        self.pending = []
        sa.quote_speaker = speaker
        self.open_quote_speaker = speaker if self.quote_open else None

    # -- frames -----------------------------------------------------------------------------

    def _frames(self, offset: int, t: str) -> list[Frame]:
        frames: list[Frame] = []
        # Cheap substring tests first: most sentences have no "according to" or "by".
        according = ("ccording" in t or "per " in t or "Per " in t or "iting" in t) and (
            _ACCORDING.finditer(t)
        )
        for m in islice(according or (), _MAX_CUES):
            phrase_end = _phrase_end(t, m.end())
            entry = self._entry_for_according(t[m.end() : phrase_end])
            if entry is None:
                continue
            at_start = t[: m.start()].strip(" “”\"'") == ""
            cue = "according to" if m.group(0).lower().startswith("acc") else "per"
            scope = (
                "after"
                if at_start
                else "before"
                if _rest_is_empty(t, phrase_end) or _ASIDE_AFTER.match(t, phrase_end)
                else "both"
            )
            frames.append(
                self._frame(
                    entry,
                    cue,
                    "according_to",
                    offset + m.start(),
                    offset + phrase_end,
                    scope,
                    "according_to",
                )
            )
        for m in islice(_PASSIVE_BY.finditer(t) if " by " in t else (), _MAX_CUES):
            leads = _AS_LEAD.fullmatch(t, 0, m.start())
            phrase_end = _phrase_end(t, m.end(), stop_at_that=True)
            if (
                not leads
                and not _PASSIVE_AUX.search(t, max(0, m.start() - 30), m.start())
                and not _PASSIVE_KEPT.search(t, 0, m.start())
                and not (
                    re.match(r"(?:expected|projected|estimated)\b", t[m.start() :])
                    and re.match(r"\s+to\s", t[phrase_end:])
                )
            ):
                # "a list compiled by X", "the email, released by X,": a description (but "43
                # million Americans expected by AAA to travel" is AAA's projection)
                continue
            entry = self._register(t[m.end() : phrase_end])
            if entry is None:
                continue
            scope = "after" if re.match(r"\s+that\b", t[phrase_end:]) else "both"
            # "As reported by Western Journalism, ...": it leads the sentence and covers it all.
            frames.append(
                self._frame(
                    entry,
                    "reported",
                    "according_to" if leads else "indirect",
                    offset + (0 if leads else m.start()),
                    offset + phrase_end,
                    "after" if leads else scope,
                    "according_to" if leads else "passive",
                )
            )
        for m in islice(_PAREN_SOURCE.finditer(t) if "(" in t else (), _MAX_CUES):
            inner = m.group(1)
            if not (outlet_name(inner) or _DOMAIN.fullmatch(inner)):
                continue
            if re.match(r"\s*[-—–]", t[m.end() : m.end() + 3]):
                continue  # "(Reuters) -": the wire's own dateline, not a citation
            entry = self._register(inner)
            if entry is None:
                continue
            entry.add_alias(m.group(0))
            frames.append(
                self._frame(
                    entry,
                    "per",
                    "according_to",
                    offset + m.start(),
                    offset + m.end(),
                    "before",
                    "paren",
                )
            )
        polled = "oll" in t or "urvey" in t or "tally" in t or "count" in t
        for m in islice(_IN_POLL.finditer(t) if polled else (), 4):
            # "In a new Fox News poll, 45 percent ...", "..., in a CNN/ORC poll released Monday."
            at_start = t[: m.start()].strip(" “”\"'") == ""
            if not at_start:
                continue  # "... 45 percent in a poll": annotators split on these; abstain
            entry = self._register(m.group(1), lenient=True)
            if entry is None:
                continue
            phrase_end = _phrase_end(t, m.end())
            # "In the new Morning Consult poll, conducted March 11-13, 40 percent ...": when
            # the poll was taken describes it.
            taken = _POLL_TAKEN.match(t, phrase_end)
            frames.append(
                self._frame(
                    entry,
                    "in",
                    "according_to",
                    offset + m.start(),
                    offset + (taken.end() if taken else phrase_end),
                    "after",  # it leads the sentence and covers what follows
                    "according_to",
                )
            )
        lead = _NAME_COLON.match(t) if ":" in t[:120] else None
        if lead is not None and not _HEADING.fullmatch(lead.group(1)):
            entry = self._register(lead.group(1), description=lead.group(2))
            if entry is not None:
                frames.append(
                    self._frame(
                        entry, ":", "indirect", offset, offset + lead.end(), "after", "quote"
                    )
                )
        dash = _DASH_NAME_COLON.search(t) if lead is None and ":" in t else None
        if dash is not None and not _HEADING.fullmatch(dash.group(1)):
            # "... important for Republican contests - Philip Bump: “Two weeks ago, ...”"
            entry = self._register(dash.group(1))
            if entry is not None:
                frames.append(
                    self._frame(
                        entry,
                        ":",
                        "indirect",
                        offset + dash.start(1),
                        offset + dash.end(),
                        "after",
                        "quote",
                    )
                )
        for n, m in enumerate(_CUE.finditer(t)):
            if n >= _MAX_CUES:
                break  # a run-on "sentence" (a paste without punctuation): enough is enough
            frame = self._verb_frame(offset, t, m)
            if frame is not None:
                frames.append(frame)
        frames.sort(key=lambda f: f.subject_start)
        return frames

    def _frame(self, *args: object) -> Frame:
        """A Frame whose source was just resolved by `_register` (which says how)."""
        frame = Frame(*args)  # type: ignore[arg-type]
        frame.via = self.via
        return frame

    def _verb_frame(self, offset: int, t: str, m: re.Match[str]) -> Frame | None:
        cue = m.group(0)
        rest = t[m.end() :]
        if (
            (_NOT_SPEECH.match(rest) and cue not in _INTENT_CUES)
            or _YES_NO.match(rest)
            or _TOLD_A_STORY.match(rest)
        ):
            return None  # "asked to represent himself": an action, not a statement
        if (
            cue in _NOUN_CUES
            and not re.match(r"\s*(?:that\b|:|[“\"]|''|[.!?]?\s*$)", rest)
            and not re.search(r"(?:\b[A-Z][\w.&'’-]*[a-z]|\b(?:he|she|it|they))\s$", t[: m.start()])
        ):
            return None  # "in all five states", "news reports": nouns, not verbs
        if cue.endswith("s") and re.match(r"\s+(?:have|has|had|are|were|remain|persist)\b", rest):
            return None  # "Health worries have dogged ...": a noun and its verb
        if cue in ("ranks", "ranked") and _RANKED.match(rest):
            return None  # "Beijing ranked fourth with 51": what is ranked, not who ranks
        if cue in _VALUING and not _VALUED_AT.match(rest):
            return None  # "Forbes put his net worth at $45 billion"; not "put forward"
        if cue in ("claimed", "claiming", "claims") and _CLAIMED_WIN.match(rest):
            return None  # "claiming his third victory", "claimed 41 percent of the vote"
        if cue in ("declared", "declares") and _DECLARED_ACT.match(rest):
            return None  # "declared war on Nagorno-Karabakh, leading to a four-year conflict"
        if cue in ("added", "adds") and _ADDED_AMOUNT.match(rest):
            return None  # "the U.S. added around 292,000 jobs": growth, not speech
        if cue.endswith("ed") and _PARTICIPLE.match(rest):
            return None  # "The program, announced in August, provides": a participle
        inv = _inverted_subject(t, m)
        if inv is not None:
            phrase, p_end, description = inv
            entry = self._register(phrase, description=description)
            if entry is not None:
                # What follows `said X, ...` describes X; the quote before it is what X said.
                return self._frame(
                    entry,
                    cue,
                    "indirect",
                    offset + m.start(),
                    offset + p_end,
                    "before",
                    "inverted",
                )
        if cue == "told":
            self._register_channel(rest)
        rel = _RELATIVE.search(t, max(0, m.start() - 40), m.start())
        if rel is not None:
            # "said Borges, who predicted ...": the relative pronoun's antecedent speaks.
            antecedent = _ANTECEDENT.search(t, max(0, rel.start() - 120), rel.start() + 1)
            name = antecedent.group(1) if antecedent else ""
            of = (
                _OF_PLACE.search(t, max(0, rel.start() - 160), antecedent.start()) if name else None
            )
            if of is not None:
                name = of.group(1)  # "Sen. Tom Udall of New Mexico, who ...": the senator
            entry = self._register(name) if name else None
            if entry is None:
                return None
            return self._frame(
                entry, cue, "indirect", offset + rel.start(), offset + m.end(), "after"
            )
        # A source phrase never runs longer than this: bounding the window keeps the cost
        # of a sentence linear in its length.
        window = max(0, m.start() - _WINDOW)
        if _ELIDED.search(t, window, m.start()) or (
            cue.endswith("ing") and t[: m.start()].rstrip().endswith(",")
        ):
            # "Wealth-X keeps its finances secret but says ...", "Trump hit back, saying
            # ...": the sentence's subject.
            lead = _LEADING_NAME.match(t)
            entry = self._register(lead.group(1)) if lead and lead.end() < m.start() else None
            if entry is None:
                return None
            return self._frame(
                entry, cue, "indirect", offset + m.start(), offset + m.end(), "after"
            )
        before = t[window : m.start()]
        if cue.endswith("ing"):
            # "Paul Singer is promising donors ...", "The mainstream is saying ...": the
            # progressive's auxiliary sits between the subject and its verb.
            aux = re.search(r"\s(?:is|are|was|were|has been|have been|had been)\s+$", before)
            before = before[: aux.start() + 1] if aux else before
        subject = _subject_before(before)
        if subject is None:
            return None
        phrase, p_start, description = subject
        p_start += window
        if cue in ("see", "sees") and not _FORECASTERS.search(phrase):
            return None  # "analysts see growth of 3%"; not "a typical voter will see the ad"
        if cue == "show" and not _DATED_SOURCE.search(phrase):
            return None  # "polls show", "records show"; not "his remarks show"
        if cue in ("emerged", "surfaced") and not _REPORTS.match(_clean_phrase(phrase)):
            return None  # "Images have emerged": only reports and accounts are sources
        self.phrase_at = offset + p_start  # where a pronoun subject stands in its sentence
        entry = self._register(phrase, description=description)
        self.phrase_at = None
        if entry is None:
            return None
        head = t[max(0, p_start - 5) : p_start].rstrip()
        after_break = bool(head) and (head[-1] in ',”"’—' or head.endswith("''"))
        circumstance = _CIRCUMSTANCE.match(rest)  # "said in a June report"
        after_circumstance = rest[circumstance.end() :] if circumstance else rest
        if (
            after_break
            and _QUOTE_FOLLOWS.match(after_circumstance)
            and not _QUOTE_MARKS.search(t, 0, p_start)
        ):
            scope = "after"  # "In a call on Dec. 2, Col. Warren said, “...”": the quote is his
        elif after_break and head[-1:] in "”\"'" and _MANNER_AFTER.match(after_circumstance):
            scope = "before"  # "...,'' Mr. Biden said, clutching the lectern with two hands."
        elif after_break and (
            re.match(r"^\s*,", after_circumstance)
            or (
                circumstance is not None
                and circumstance.group(0).strip(" ,")
                and re.match(r"^\s*,", rest)
            )
        ):
            scope = "both"  # "..., he says, ...", "..., the agency said in a June report, ..."
        elif after_break and (
            _rest_is_empty_after_verb(_without_recipient(cue, rest)) or rest.lstrip()[:1] == ";"
        ):
            scope = "before"  # "..., analysts say; in 2012, ...": the next clause is not theirs
        else:
            scope = "after"
        return self._frame(entry, cue, "indirect", offset + p_start, offset + m.end(), scope)

    def _register_channel(self, rest: str) -> None:
        """`told CNN affiliate WUSA`: the outlet a source spoke to is listed, not credited."""
        m = re.match(
            r"^\s+((?:[A-Z]\w*\s+)?affiliate\s+[A-Z][\w-]+|the outlet|the newspaper|"
            r"(?:the\s+|The\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})",
            rest,
        )
        if not m:
            return
        phrase = m.group(1)
        if "affiliate" in phrase or outlet_name(phrase):
            last_entry, last_person = self.last_entry, self.last_person
            self.registry.add(re.sub(r"^.*?affiliate\s+", "", phrase), kind="outlet").add_alias(
                phrase
            )
            self.last_entry, self.last_person = last_entry, last_person
        elif phrase in ("the outlet", "the newspaper"):
            for e in reversed(self.registry.entries):
                if e.kind == "outlet":
                    e.add_alias(phrase)
                    break

    def _entry_for_according(self, phrase: str) -> SourceEntry | None:
        phrase = _clean_phrase(phrase)
        # "report published Wednesday by The Wall Street Journal" -> the outlet.
        m = re.match(
            r"^(?:an?\s+|the\s+)?(?:new\s+)?(?:report|reports|story|article|analysis)\s+"
            r"(?:\w+\s+){0,3}?(?:by|from|in)\s+(.+)$",
            phrase,
            re.I,
        )
        if m:
            return self._register(m.group(1))
        return self._register(phrase, lenient=True)

    def _register(
        self, phrase: str, *, description: str | None = None, lenient: bool = False
    ) -> SourceEntry | None:
        """The entry a source phrase names, registering it when new; None if not a source.

        ``lenient``: the phrase follows "according to", so it is a source by construction
        and only needs to name a party, not to look like a subject.
        """
        phrase = _clean_phrase(phrase)
        # "A report about the integration of immigrants issued over the summer by the OECD":
        # a record phrase too long to be a name is named by its kind and who made it.
        rb = _RECORD_BY.match(phrase) if len(phrase.split()) > 10 or len(phrase) > 120 else None
        said_as = phrase if rb is not None else None  # kept as an alias: the article's words
        if rb is not None:
            phrase = f"{rb.group(1)} by {rb.group(2)}"
        # "Patrol Chief James Hall with the New York Police Department": the person speaks.
        pm = re.match(r"^(.+?)\s+(?:with|of|at|from)\s+((?:the\s+)?[A-Z].*)$", phrase)
        if pm and looks_like_person_name(split_role_and_name(pm.group(1))[0]):
            description = description or pm.group(2)
            phrase = pm.group(1)
        junk = junk_name(phrase) if phrase else None
        # "Fight for $15 organizing director Kendall Fells": the number is the role's.
        if junk == "number in the name" and looks_like_person_name(split_role_and_name(phrase)[0]):
            junk = None
        if not phrase or len(phrase) > 120 or _NOT_SOURCES.match(phrase) or junk:
            return None
        self.via = "pronoun"
        if _PRONOUN.match(phrase):
            if phrase.lower() in ("he", "she"):
                return self._person_for(phrase.lower())
            return self._body_for(phrase.lower())
        self.via = "definite"
        d = _DEFINITE.match(phrase)
        if d:
            return self._definite(phrase, d.group(1).lower())
        self.via = "name"
        found = self.registry.resolve(phrase)
        if found is not None:
            if description and not found.description:
                found.description = description
            if re.sub(r"^[Tt]he\s+", "", phrase) != re.sub(r"^[Tt]he\s+", "", found.name):
                found.add_alias(phrase)  # "The IMF" after "the International Monetary Fund"
            if said_as:
                found.add_alias(said_as)
            self._remember(found)
            return found
        if not _acceptable_phrase(phrase):
            if not (lenient and _noun_phrase(phrase)) and not _described_source(phrase):
                return None
            self.via = "description"
        name, role = split_role_and_name(phrase)
        if role and (
            not looks_like_person_name(name) or re.search(r"\b(?:at|from|of|with|for|in|by)$", role)
        ):
            name, role = phrase, None  # "Analysts at Goldman Sachs" are not a person
        kind = classify(name, role, description)
        if kind in ("person", "official") and role:
            description = description or role
        entry = self.registry.add(name, kind=kind, description=description)
        for alias in (phrase, said_as):
            if alias and alias != name:
                entry.add_alias(alias)
        self._remember(entry)
        return entry

    def _definite(self, phrase: str, head: str) -> SourceEntry | None:
        """ "The agency", "the outlet": the latest source of a matching kind."""
        kinds = _DEFINITE_KINDS.get(head, ())
        generic = head in ("outlet", "agency", "airline", "carrier", "company", "group", "judge")
        for e in reversed(self.registry.entries):
            names = " ".join([e.name, *e.aliases]).lower()
            if e.kind in kinds and (generic or head in names or e.kind == "outlet"):
                e.add_alias(phrase)
                self._remember(e)
                return e
        if head in ("outlet", "newspaper", "paper"):
            return None  # which outlet is unknown: crediting "the newspaper" names nobody
        named = self._company_named_before() if head in ("company", "firm", "group") else None
        entry = self.registry.add(named or phrase, kind=kinds[0] if kinds else None)
        if named:
            entry.add_alias(phrase)
        self._remember(entry)
        return entry

    def _body_for(self, pronoun: str) -> SourceEntry | None:
        """ "it said": the body cited last; "they said": the group cited last ("officials",
        "Blumenthal and Cohen"), and only lately."""
        last = self.last_entry
        if last is None:
            return None
        if pronoun == "it":
            return last if last.kind in ("organization", "government", "outlet") else None
        if self.position - self.cited_at.get(id(last), -1) > _CITED_REACH:
            return None
        group = re.search(r"\b(?:and|&)\s+[A-Z]", last.name) or (
            last.name.endswith("s") and last.kind in ("anonymous", "organization", "government")
        )
        return last if group else None

    def _company_named_before(self) -> str | None:
        """ "the company" after "Globex Inc will cut ...": the last company the text named."""
        window = self.text[max(0, self.position - 3000) : self.position]
        names = _COMPANY_NAME.findall(window)
        return names[-1] if names else None

    def _person_for(self, pronoun: str) -> SourceEntry | None:
        """ "he" / "she": the person last named before this sentence whose gender fits.

        Named means a titled name ("Mr. Bartels"), a first and last name, or the surname of
        someone already cited; the person need not have spoken before."""
        wanted = "m" if pronoun == "he" else "f"
        window = self.text[max(0, self.position - _PRONOUN_REACH) : self.position]
        surnames = {e.surname: e for e in self.persons if e.surname}
        # "Sanders used the phrase at a news conference at which he predicted ...",
        # "Trump's biggest applause came when he said ...": the sentence's own subject,
        # before the pronoun, comes first.
        if self.phrase_at is not None and self.phrase_at > self.position:
            own = _SENTENCE_SUBJECT.match(self.text, self.position, self.phrase_at)
            if own is not None:
                name = own.group(1)
                entry = self.registry.resolve(name) or surnames.get(name.split()[-1])
                gender = gender_of(name) or (entry.gender if entry is not None else None)
                if entry is not None and gender in (None, wanted):
                    return entry
                if entry is None and gender == wanted:
                    return self._named_person(name)
        best: tuple[int, SourceEntry | str] | None = None
        quoted = [(a, b) for a, b in _quote_spans(window, False)[0]]
        for m in _PERSON_MENTION.finditer(window):
            name = m.group(0)
            last = name.split()[-1]
            if (
                window[m.end() : m.end() + 2] in ("'s", "’s")
                or name.endswith(("'s", "’s"))
                or any(a <= m.start() < b for a, b in quoted)
            ):
                continue  # "Trump's", or named inside a quotation: not who speaks next
            if not _SUBJECT_AFTER.match(window, m.end()):
                continue  # an object ("... behind Ted Cruz."), not the one acting
            entry = self.registry.resolve(name) or surnames.get(last)
            gender = gender_of(name) or (entry.gender if entry is not None else None)
            if gender is None and entry is None:
                continue  # "New Hampshire": no sign it is a person
            if gender in (None, wanted):
                best = (m.start(), entry if entry is not None else name)
        for m in _SURNAME_SUBJECT.finditer(window):
            # "Groberg then went on to explain what he likes": a bare surname acting, whose
            # own sentence goes on with the pronoun, is a person of that gender.
            name = m.group(0)
            if best is not None and best[0] >= m.start():
                continue
            if any(a <= m.start() < b for a, b in quoted) or junk_name(name):
                continue
            if (
                name.lower() in _SENTENCE_WORDS
                or name.lower() in _NOT_SURNAMES
                or gender_of(name) not in (None, wanted)
            ):
                continue
            rest = re.split(r"[.!?](?:\s|$)", window[m.end() :], maxsplit=1)[0]
            own = _OWN_PRONOUN[wanted].search(rest)
            between = rest[: own.start()] if own else ""
            if own and not _PERSON_MENTION.search(between) and not _SURNAME_SUBJECT.search(between):
                entry = self.registry.resolve(name) or surnames.get(name)
                if entry is None or entry.gender in (None, wanted):
                    best = (m.start(), entry if entry is not None else name)
        base = self.position - len(window)
        for e in reversed(self.persons[-6:]):
            # A person already cited who spoke after the last mention found wins.
            if e.gender in (None, wanted):
                cited = self.cited_at.get(id(e), -1)
                recent = self.text[max(0, self.position - _CITED_REACH) : self.position]
                if (
                    self.position - cited > _CITED_REACH
                    and (e.surname or e.name) not in recent
                    and not _SAME_PRONOUN[wanted].search(recent)
                ):
                    break  # cited, named or "he" paragraphs ago: more often someone else now
                if best is None or cited >= base + best[0]:
                    return e
                break
        if best is None:
            return None
        found = best[1]
        return found if isinstance(found, SourceEntry) else self._named_person(found)

    def _named_person(self, mention: str) -> SourceEntry:
        """A person the text names ("Rep. Jim Clyburn") but nobody has cited yet."""
        return self.registry.add(split_role_and_name(mention)[0], kind="person")

    def _remember(self, entry: SourceEntry) -> None:
        self.last_entry = entry
        if entry.kind in ("person", "official") or (
            entry.kind == "anonymous" and re.match(r"^(?:a|an|one)\b", entry.name, re.I)
        ):
            self.last_person = entry
            self.cited_at[id(entry)] = self.position
            if entry in self.persons:
                self.persons.remove(entry)
            self.persons.append(entry)
        else:
            self.cited_at[id(entry)] = self.position


# -- phrase helpers ---------------------------------------------------------------------------

# In markets and economy copy the index, yield or price that moved is what a figure
# measures, never who reported it; a named body's index ("the Conference Board's index") is
# a source.
_MEASURED_WORDS = (
    "shares|stocks|equities|yields?|prices?|futures|bonds?|treasuries|\\d+-year\\s+notes?|dollar|euro|yen|"
    "sterling|pound|yuan|rupee|ruble|bitcoin|oil|crude|gold|silver|copper|currency|currencies|"
    "rates?|inflation|unemployment|gdp|output|exports|imports|sales|revenues?|earnings|profits?|"
    "spending|deficit|debt|market|markets"
)
# (The Russell indexes go by their number: "Russell" alone is a surname.)
_INDEX_NAMES = "S&P|Dow|Nasdaq|FTSE|Nikkei|DAX|CAC|Hang Seng|Stoxx|Kospi|Sensex"
_MEASURED = re.compile(
    # An index by its name ("the Dow", "Russell 2000") or with its noun ("the S&P 500 index");
    # "Dow Chemical" and "Chris Russell" are no index.
    rf"\b(?:{_INDEX_NAMES}|Russell)\b[^,;]*\b(?i:index|average|composite|futures)$|"
    rf"^(?:[Tt]he\s+)?(?:{_INDEX_NAMES}|Russell(?=\s+\d))(?:\s+[\d.]+)?$|"
    # A common noun ends the phrase; a capitalised one only when it stands alone and is no
    # surname ("Stocks", "Oil"; but "Nate Silver", "Tom Price", "Gold said").
    rf"\b(?:{_MEASURED_WORDS}|GDP|Treasuries)$|"
    r"^(?:[Tt]he\s+)?(?:Stocks|Shares|Equities|Yields|Prices|Futures|Bonds|Oil|Crude|Copper|"
    r"Bitcoin|Inflation|Unemployment|Exports|Imports|Sales|Revenues?|Earnings|Profits|Spending|"
    r"Markets|Dollar|Euro|Yen|Yuan)$"
)
_TITLES_ALONE = (
    "Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Adm|Cmdr|Gens|Hon|Judge|"
    "Justice|President|Senator|Governor|Mayor|Secretary|Minister|Chairman|Director|Officer"
)
_PRONOUN_REACH = 700
_CITED_REACH = 300
# "He says" / "she explains" since: the person cited stays who the pronoun means.
_SAME_PRONOUN = {
    gender: re.compile(
        rf"\b(?:{p.capitalize()}|{p})\s(?:says|said|explains|explained|adds|added|told|tells|"
        r"notes|noted)\b"
    )
    for gender, p in (("m", "he"), ("f", "she"))
}
# (A name never runs over a line break: "Wage\n\nHillary" is a heading, then a name.)
_PERSON_MENTION = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Sens|Reps)\.?[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][\w'’-]+"
    r"(?:[ \t]+[A-Z][\w'’-]+)?|[A-Z][a-z]+(?:[ \t]+[A-Z]\.)?[ \t]+[A-Z][\w'’-]+(?:[ \t]+Jr\.?)?)"
)
# A sentence's subject named at its start, possessive or not: "Trump's biggest applause",
# "Sanders used the phrase".
_SENTENCE_SUBJECT = re.compile(
    r"\s*((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.\s)?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2})"
    r"(?:[’']s\s|\s(?:[a-z]+ly\s)?(?:[a-z]+ed|[a-z]+s|was|is|had|has)\b)"
)
# A bare surname as a clause's subject: "Groberg then went on", "Sanders, who has made".
_SURNAME_SUBJECT = re.compile(
    r"(?<![\w.’'-])(?<![.!?]\s)(?<!^)[A-Z][a-z]{2,}(?:[’'][A-Z][a-z]+)?"
    r"(?=,\s+who\b|\s+(?:then\s+|also\s+|later\s+|[a-z]+ly\s+)?"
    r"(?:[a-z]{3,}ed|said|says|told|went|was|is|had|made|took|gave|wrote|spoke|ran|won|"
    r"lost|saw|got|came|left|met|sent|began|chose|caught|felt|kept|held|brought|bought|"
    r"paid|led|put|set|sat|stood|thought|knew|grew|drew|threw|fought|sought|taught)\b)"
)
_NOT_SURNAMES = frozenset(
    "he she they it we you i this that these those there here then when while after before "
    "the his her their its our who what which where why how one some many most all both "
    "each every another other others everyone everybody nobody someone somebody".split()
)
_OWN_PRONOUN = {
    "m": re.compile(r"\b(?:he|his|him|himself)\b"),
    "f": re.compile(r"\b(?:she|her|hers|herself)\b"),
}
# What follows a name that is a clause's subject: a verb, an appositive, an age.
_SUBJECT_AFTER = re.compile(
    r"\s*(?:,\s+(?:\d|a\b|an\b|the\b|who\b|[a-z]+(?:'s|’s)?\s)|\(|"
    r"(?:him|her)?(?:self\s+)?(?:[a-z]+ly\s+)?"  # "Mr. Bush pointedly rejected", "himself has"
    r"(?:also\s+|later\s+|then\s+|has\s+|had\s+|have\s+)?(?:[a-z]+(?:ed|es|s)\b|is\b|was\b|"
    r"will\b|would\b|can\b|could\b|told\b|said\b|says\b|spoke\b|made\b|took\b|"
    r"gave\b|went\b|came\b|ran\b|won\b|lost\b))"
)
_DOMAIN = re.compile(r"[\w-]+\.(?:com|org|net|gov|edu|co\.uk)")
_TIME_WORDS = (
    rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|{_MONTHS}|yesterday|today|tonight|morning|"
    r"afternoon|evening|night|week|weekend|month|year|spring|summer|fall|autumn|winter"
)
# Each rule names one way a phrase before a cue is not a source at all.
_JUNK_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Thursday", "In September", "Jan. 21-26", "Last week"
    (
        "time phrase",
        re.compile(
            rf"^(?:(?:in|on|at|by|since|until|through|during|from|last|this|next|early|late|"
            rf"earlier|later|mid|the|one|a|that|every|each)\s+)*(?:{_TIME_WORDS})\b[\s.,\d-]*"
            rf"(?:(?:in|of)\s[\w\s]{{0,20}})?$",
            re.I,
        ),
    ),
    # "New Hampshire Monday": a place and a day, where and when.
    (
        "time phrase",
        re.compile(
            r"^(?![A-Z][a-z]+ing\s)[A-Z][\w.]*(?:\s[A-Z][\w.]*)?\s(?:Monday|Tuesday|Wednesday|"
            r"Thursday|Friday|Saturday|Sunday)$"
        ),
    ),
    # "Do I", "What Washington", "Number Two": a question or a count, not a name.
    ("sentence opener", re.compile(r"^(?:Do|Does|Did|What|Why|How|Number)\s")),
    # "For Obama", "In a statement", "On Social Security": a prepositional phrase.
    (
        "prepositional phrase",
        re.compile(
            r"^(?:in|on|for|to|with|at|from|by|of|under|over|about|after|before|into|"
            r"during|despite|without|unlike|like|among|as)\b",
            re.I,
        ),
    ),
    # "R-N.H.", "I-Vt", "Tex": a party or state tag.
    (
        "party or state tag",
        re.compile(
            r"^(?:[RDI]-[A-Z][\w.]*|(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|"
            r"La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|"
            r"Wyo|N\.[HJMYCD]|S\.[CD]|R\.I|W\.Va)\.?)$"
        ),
    ),
    # "Sen", "Mr.": a title with no name.
    ("title alone", re.compile(rf"^(?:{_TITLES_ALONE})\.?$")),
    # "Nevertheless", "Overall", "Polling": a sentence adverb or a gerund.
    (
        "sentence opener",
        re.compile(
            r"^(?:Nevertheless|Nonetheless|Likewise|Overall|First|Second|Third|Finally|"
            r"Indeed|Besides|Otherwise|Similarly|Together|Altogether|Ultimately|Initially|"
            r"Importantly|Specifically|Separately|Notably|Instead|Again|Anyway|Thus|Hence|"
            r"Well|Yes|No|Oh|Sure|Okay|OK|Meanwhile|However|Still|Also|Later|Once|Then|Now|"
            r"Earlier|Afterward|Afterwards|Previously|Recently|Soon|Today|Tonight|"
            r"Polling|Speaking|Asked|According|Following|Including|Regarding|Adding|Noting|"
            r"Another|Others|Some|Many|Most|Both|Few|Several|Everyone|Everybody|Nobody|"
            r"Wait|Look|Listen|Remember|Imagine|Consider|Note|See|Therefore|Speaking\s.*|"
            r"[A-Z][a-z]+(?:ingly|ally|ously|ively|edly|fully|ately|ently|antly))$"
        ),
    ),
    # "That’s 30", "It's", "s what the judge": a clause, not a name.
    (
        "clause fragment",
        re.compile(
            r"^(?:(?:that|it|there|here|what|who|this|he|she|they)[’']s\b|"
            r"(?![aA]\s)[A-Za-z][’']?\s|\w+[’'](?:re|ve|ll|d|t)\b)",
            re.I,
        ),
    ),
    # "Trump's", "Bernie Sanders’": an owner whose noun was cut off.
    (
        "possessive without its noun",
        re.compile(
            r"^(?!.*\b(?:Moody|McDonald|Macy|Lowe|Sotheby|Christie|Kellogg|Wendy|Domino|Denny|"
            r"Dillard|Kohl|Applebee|Barron|Land|Levi|Hershey|Friendly|Trader Joe)[’']s$)"
            r".*(?:[’']s|s[’'])$"
        ),
    ),
    # "the", "Their", "him": a function word alone.
    (
        "function word",
        re.compile(r"^(?:the|a|an|their|his|her|its|our|my|your|him|them|us|me)$", re.I),
    ),
    # "Colorado", "Ohio": a state names where, not who.
    (
        "place",
        re.compile(
            r"^(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|"
            r"Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|"
            r"Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|"
            r"Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|"
            r"Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|"
            r"Tennessee|Texas|Utah|Vermont|Virginia|Washington State|West Virginia|Wisconsin|"
            r"Wyoming|Sacramento)$"
        ),
    ),
    # "Twenty-seven", "Three": a number, not a name.
    (
        "number word",
        re.compile(
            r"^(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-?)?(?:one|two|three|"
            r"four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|"
            r"seventy|eighty|ninety|hundred|thousand|dozen)s?$",
            re.I,
        ),
    ),
    # "U", "Washingt": too short to name anyone.
    ("fragment", re.compile(r"^\w$")),
)


# A broadcaster named with its channel: "Local news affiliate ABC 7", "KTLA 5".
_STATION = re.compile(rf"\b(?:{STATIONS})\s\d{{1,2}}$")


def junk_name(phrase: str) -> str | None:
    """The name of the rule that says this phrase names no source, or None if it may."""
    for name, pattern in _JUNK_NAMES:
        if pattern.match(phrase):
            return name
    if _MEASURED.search(_ATTACHMENT.split(phrase, maxsplit=1)[0]):
        return "the thing a figure measures"  # "The S&P 500 index showed a loss of 1.2%"
    if (
        re.search(r"\d", phrase)
        and not _DATED_SOURCE.search(phrase)
        and not re.search(r"(?:percent|%|in 10)\s+of\b", phrase)
        and not _STATION.search(phrase)
    ):
        return "number in the name"
    return None


_PHRASE_END = re.compile(
    r"[,;:.!?)“”\"(—]|''|\s--\s|\s-\s|\s(?:that|who|which|when|while|as|because)\s"
)
_PHRASE_END_TO = re.compile(_PHRASE_END.pattern + r"|\s(?:to)\s")


def _phrase_end(t: str, start: int, *, stop_at_that: bool = False) -> int:
    """Where a source phrase that starts at ``start`` ends (comma, clause word, sentence end)."""
    pattern = _PHRASE_END_TO if stop_at_that else _PHRASE_END
    limit = min(len(t), start + _WINDOW)
    m = pattern.search(t, start, limit)
    # Keep abbreviations like "U.S." and "Inc." inside the phrase.
    while (
        m and t[m.start()] == "." and is_abbreviation(t[start : m.start() + 1], m.start() - start)
    ):
        m = pattern.search(t, m.start() + 1, limit)
    return m.start() if m else limit


def _clean_phrase(phrase: str) -> str:
    phrase = _DATELINE.sub("", re.sub(r"\s+", " ", phrase.strip()).replace("…", ""))
    phrase = _LEADING_JUNK.sub("", phrase)
    phrase = phrase.strip(" ,.;:“”\"'’‘()")
    # "a poll released (Saturday) found": the dangling participle is not part of the name.
    return re.sub(r"\s+(?:released|conducted|published|issued|taken|out)$", "", phrase)


# "MACAU (Reuters) – ", "WASHINGTON — ": a dateline before the first sentence's subject.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\s*\([^()]{1,30}\))?\s*[-–—]+\s*")


# Records that speak for whoever made them: a poll, a report, a filing, an email. A date in
# such a name ("a 2014 examination", "a Sept. 15, 2011 email") says when, not who.
_RECORDS = (
    r"poll|polling|survey|study|report|census|analysis|data|paper|estimate|projection|index|"
    r"review|audit|filing|record|figures|tally|count|research|results|statement|budget|"
    r"forecast|memo|letter|email|e-mail|form|examination|ranking|list|document|transcript|"
    r"complaint|lawsuit|indictment|ruling|disclosure|calculation|assessment|tracker|average|"
    r"statistics|numbers|release|testimony|returns"
)
_DATED_SOURCE = re.compile(
    rf"\b(?:(?:{_RECORDS})s?|G\d+|COVID-19|Covid-19|\d+\w*\s+Century)\b",
    re.I,
)
_REPORTS = re.compile(
    r"^(?:(?:new|fresh|further|other|similar|unconfirmed|local|media|press)\s)?(?:reports|"
    r"accounts|rumou?rs|allegations|claims|evidence|testimonies|leaks)$",
    re.I,
)
_COMPANY_NAME = re.compile(
    r"\b((?:[A-Z][\w&'’.-]*\s){0,3}[A-Z][\w&'’.-]*\s(?:Inc|Corp|Co|Ltd|LLC|plc|PLC|AG|SA|"
    r"Group|Holdings|Corporation|Company)\b\.?)"
)
_MAX_CUES = 40
_WINDOW = 240


def _rest_is_empty(t: str, pos: int) -> bool:
    if len(t) - pos > _WINDOW:
        return False
    return not re.search(r"\w", t[pos:]) or bool(
        re.match(r"^[\s,.]*(?:on|in|last|this|earlier)?\s*\w*day\b[.\s]*$", t[pos:])
    )


_TAIL_OK = re.compile(
    r"^(?:\s|,|\.|!|\?|[”\"’)]|\b(?:on|in|at|during|with|to|by|last|this|earlier|later|"
    r"the|a|an|of|his|her|their|its|recently|[A-Z][a-z]+day|week|month|year|morning|"
    r"afternoon|evening|night|e-mail|email|statement|interview|news|conference|press|"
    r"briefing|reporters|told|almost|incredulously|\w+ly)\b)*$"
)


_RECIPIENT = re.compile(
    r"^\s+(?:reporters|me|us|him|her|them|journalists|the\s+\w+|(?:[A-Z][\w.&'’-]*\s?){1,4}(?:\d{1,2}\b\s?)?"
    r"(?:(?:magazine|newspaper|radio|television|show|podcast|host|anchor|affiliate|station|"
    r"network|audience|reporters)\b)?)"
)


def _without_recipient(cue: str, rest: str) -> str:
    """What follows "told X": the part after the recipient, up to the next comma."""
    if cue in ("told", "tells", "tell"):
        m = _RECIPIENT.match(rest)
        if m:
            rest = rest[m.end() :]
    cut = re.match(r"^([^,;:]*)[,;]\s+(?:as|while|when|after|before|since|amid|but|which)\b", rest)
    return cut.group(1) if cut else rest


def _rest_is_empty_after_verb(rest: str) -> bool:
    """True when the verb is followed by no reported content ("..., he said on Monday.")."""
    if len(rest) > _WINDOW:
        return False
    if ":" in rest[:3]:
        return False
    return bool(_TAIL_OK.match(rest)) or (
        len(re.findall(r"\w+", rest)) <= 2 and not re.search(r"[“\"]", rest)
    )


_CLOSED_RELATIVE = re.compile(r",\s*(?:who|which)\s[^,;“”\"]{1,120},\s*$")
# Cues a speaker may follow after a quotation or a comma ("..., writes Nate Silver.").
_INVERTIBLE = frozenset(
    "said says say added adds wrote writes asked asks explained explains tweeted tweets "
    "reported reports noted notes argued argues recalled recalls insisted insists warned warns "
    "continued continues replied replies responded observed concluded concludes remarked "
    "declared".split()
)


def _inverted_subject(t: str, m: re.Match[str]) -> tuple[str, int, str | None] | None:
    """`"...," said X, a ...` or `, says X.` -> (phrase, end, description)."""
    if m.group(0) not in _INVERTIBLE:
        return None
    if m.group(0) in ("asked", "asks") and not re.search(r"[”\"’]\s*$|''\s*$", t[: m.start()]):
        return None  # "Texas, leading 13 states, asked a federal judge to block the rules"
    if _CLOSED_RELATIVE.search(t, max(0, m.start() - 160), m.start()):
        return None  # "Mike Murphy, who ran a super PAC, said the Trump “train ...”": Murphy speaks
    before = t[: m.start()].rstrip()
    if not before or not (before[-1] in ',”"’' or before.endswith("''")):
        return None
    if m.group(0) in _NOUN_CUES and before[-1] != "," and not re.search(r"[,.!?]\W{1,2}$", before):
        return None  # "the “independent expenditure” reports that super PACs file": a noun
    start = m.end() + len(t[m.end() :]) - len(t[m.end() :].lstrip())
    if re.match(r"(?:that|whether|if|how|what|why|to|it)\b", t[start:]):
        return None  # "X, for instance, noted that ...": the subject comes before
    p_end = _phrase_end(t, start)
    phrase = t[start:p_end]
    # "said Jose Ramirez, who was in New York" / "said Smith on Monday"
    cut = re.search(
        r"(?<!involved)(?<!engaged)\s+(?:on|in|at|during|who|whose|after|before|last|this)\b",
        phrase,
    )
    if cut:
        phrase = phrase[: cut.start()]
        p_end = start + cut.start()
    if not phrase.strip():
        return None
    description = None
    named = _NAME_AFTER_ROLE.match(t, p_end)
    role_only = phrase.strip()[:1].islower() or re.search(r"[’']s\s", phrase) is not None
    if named and role_only:
        # "said Rubio's deputy campaign manager, Rich Beeson, who ...": the name follows.
        return named.group(1), named.end(1), phrase.strip()
    dm = re.match(r"^,\s+((?:an?|the)\s+[^,.;]{3,140}|[a-z][^,.;]{3,140})", t[p_end:])
    if dm and not re.match(r"^(?:who|whose|which|adding|noting|but|and|among)\b", dm.group(1)):
        description = re.split(r"\s(?:who|which|that|whose|where)\b", dm.group(1))[0].strip()
    return phrase, p_end, description


_NAME_AFTER_ROLE = re.compile(
    r",\s+((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+)(?=\s*(?:,|\.|$|\s(?:who|said|says)\b))"
)
_PARTICIPLE = re.compile(
    r"\s+(?:(?:in|on|at|during|last|this|earlier|by|for)\b(?:(?!\bthat\b)[^,.;:“”\"]){0,60}?,?\s+"
    r"(?:was|is|were|are|has|have|had|will|would|provides?|remains?|includes?|shows?)\b|"
    r"(?:caseload|number|figure|total|count|rate|cases|deaths|toll|amount|plan|budget|"
    r"price|cost|sum|level|share)\b)"
)
# A declaration that is an act, not a statement.
_DECLARED_ACT = re.compile(
    r"\s+(?:war|victory|bankruptcy|independence|martial\s+law|(?:a|an)\s+(?:state\s+of\s+)?"
    r"(?:emergency|disaster|ceasefire|truce|moratorium))\b"
)
_CLAIMED_WIN = re.compile(
    r"\s+(?:(?:his|her|their|its|the|a|an)\s+)?(?:[\w-]+\s+){0,2}(?:victory|victories|win|wins|"
    r"seat|seats|title|prize|crown|spot|nomination|credit|responsibility|delegates)\b|"
    r"\s+(?:about\s+|nearly\s+|almost\s+|more\s+than\s+)?[\d.,]+\s*(?:%|percent)\s+of\s+the\s+"
    r"(?:vote|votes|delegates|ballots)\b"
)
_OF_PLACE = re.compile(
    r"((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.\s)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"\s+of\s+$"
)
_ADDED_AMOUNT = re.compile(
    r"\s+(?:(?:about|around|roughly|nearly|almost|some|another|an\s+additional|a\s+further|"
    r"more\s+than|over|just|only)\s+)?(?:[$£€¥]|\d|(?:a|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|a\s+few|several|a\s+dozen|dozens|hundreds|thousands|millions|billions)"
    r"\s+(?:\w+\s+)?(?:jobs|points?|percent|seats|members|employees|workers|people|"
    r"customers|subscribers|users|stores|cases|votes|delegates|million|billion|thousand))"
)
# Cue words that are more often plural nouns; as verbs they introduce what follows.
_NOUN_CUES = frozenset({"states", "reports", "claims", "notes", "estimates", "calls", "projects"})
# Verbs of valuing are cues only with "at" and an amount: "lists his wealth at $6.5 billion".
_VALUING = frozenset({"put", "puts", "pegged", "pegs", "lists", "listed", "ranks", "ranked",
                      "values", "valued"})  # fmt: skip
_QUOTE_FOLLOWS = re.compile(r"\s*[,:]\s*(?:[“\"]|'')")
_TOLD_A_STORY = re.compile(
    r"\s+(?:a|an|the|his|her|their)\s+(?:\w+\s+)?(?:joke|jokes|story|stories|anecdote)\b"
)
_YES_NO = re.compile(r"\s+(?:yes|no)\b")  # "said yes, yes, yes": an answer, no content
# What a verb of valuing needs: an amount or rank after "at", "with" or "as", within a clause
# ("puts Obama's approval at a solid 50 percent", "lists the Kochs with just under $40
# billion", "pegs Kamprad as the 10th-richest man").
_VALUED_AT = re.compile(
    r"(?:[^.;:]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sen|Gov|Rep)\.){1,120}?\s(?:at|with|as)\s"
    r"(?:[^.;:\d$£€¥]{0,25}?)[$£€¥\d]"
)
_FORECASTERS = re.compile(
    r"\b(?:analysts?|economists?|experts?|forecasters?|investors?|traders?|strategists?|"
    r"markets?|officials?|bank|banks|fund|agency|office|government|ministry|department|"
    r"committee|board|[A-Z][\w&.'’-]*)$"
)
_RANKED = re.compile(
    r"\s+(?:\w+ly\s+)?(?:first|second|third|fourth|fifth|last|\d|No\.|number|among|near|in|at|"
    r"high|low|top|behind|ahead)"
)
_INTENT_CUES = frozenset(
    "promised promises promising pledged pledges vowed vows proposed proposes propose wants "
    "wanted seeks sought threatened".split()
)
_NOT_SPEECH = re.compile(r"^\s+to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|reporters\b|[A-Z])")


_APPOSITIVE = re.compile(
    r"([A-Z][\w'’.&-]*(?:\s+(?:[A-Z][\w'’.&-]*|of|for|and|de|the)){0,7})\s*,\s*"
    r"((?:an?|the)\s+[^,;“”\"]{3,140}?|[a-z][\w-]*\s+[^,;“”\"]{3,140}?|"
    # a possessive description: "Jeff Weaver, Sanders’ campaign manager, said"
    r"(?:[A-Z][\w.-]*\s+){0,2}[A-Z][\w.-]*(?:[’']s|s?[’'])\s+[a-z][^,;“”\"]{2,140}?)\s*,\s*$"
)


# The name a "who" refers to: capitalised words, then a comma, right before it.
_ANTECEDENT = re.compile(
    r"((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.\s)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"(?:\s*\([^()]{1,30}\))?,\s*$"
)
_RELATIVE = re.compile(r",\s*(?:who|which)\s+(?:also\s+|has\s+|had\s+|have\s+|later\s+)?$")
# A roundup's "Name, title: “...”" (interviews, reaction pieces, briefings).
_NAME_COLON = re.compile(
    r"\s*(?:[A-Z0-9][A-Z0-9’'.,&:\s-]{6,120}?\s[-–—]\s+)?"  # a roundup's heading, "... - "
    r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)(?:\s*\([^()]{1,30}\))?"
    r"(?:,\s+([^:“”\"]{3,100}))?:\s*(?=[“\"]|'')"
)
# A poll or survey as the frame of a sentence: "In the latest Post-ABC poll, ...".
_IN_POLL = re.compile(
    r"\b(?:[Ii]n|[Aa]mong|[Bb]y)\s+((?:the|a|an|its|their|this|that|[A-Z][\w.&'’-]*[’']s)\s+"
    r"(?:[\w/&.'’-]+\s+){0,6}?(?:[Pp]oll|[Ss]urvey|polling average|exit polls?|[Ss]urveys|"
    r"[Pp]olls|(?<=[’']s )(?:tally|count)))\b"
)
# A roundup item's heading in capitals before its dash: "NEW YORK AT ITS CORE—".
_ROUNDUP_HEADING = re.compile(r"[A-Z0-9][A-Z0-9 ’'.,&:-]{5,80}[—–]")
# A dateline with its date: "CAMBRIDGE, Mass., Dec. 11 (UPI) —", "LOS ANGELES, Feb. 2 —".
_DATELINE_DATE = re.compile(
    rf"[A-Z][A-Z .'-]{{2,40}},\s(?:[A-Z][\w.]*,?\s){{0,3}}{_MONTHS}\.?\s\d{{1,2}}\s*"
    r"(?:\([^()]{1,30}\)\s*)?[-–—]+"
)
# How someone spoke, after the cue: "..., Mr. Biden said, clutching the lectern with two hands."
# (not "..., adding that ...": a participle that is a cue goes on with what was said).
_MANNER_AFTER = re.compile(
    r"\s*,\s+(?!(?:adding|noting|saying|arguing|claiming|warning|insisting|explaining|"
    r"pointing|predicting|suggesting|estimating|recalling|citing|asking|telling|writing|"
    r"referring|referencing|quoting|echoing|repeating|calling|describing|acknowledging|"
    r"conceding|promising|vowing|joking|boasting|touting|urging|accusing|blaming)\b)"
    r"[a-z]+ing\b(?![^,.;]*\bthat\b)"
)
# What trails a mid-sentence "according to X" without a verb of its own is the writer's:
# ", a huge sum for a firm with 35 partners", ", two of the five most populous counties",
# ", including one from Monmouth University", ", compared with its effective 25 percent rate".
_ASIDE_AFTER = re.compile(
    r"\s*,\s+(?:(?:an?|the|two|three|four|five|some|most|many|all|one|including|compared|"
    r"up|down|which|who|where|when|while|as)\b)(?![^,.;]*\b(?:is|are|was|were|will|would|has|"
    r"have|had|said|says)\b)"
)
_POLL_TAKEN = re.compile(
    r",\s+(?:conducted|taken|released|published|fielded|carried out)\b[^,;:“”\"]{1,60},"
)
# "it was revealed by X that", "are expected by AAA to": a passive with its auxiliary.
_PASSIVE_AUX = re.compile(r"\b(?:is|are|was|were|been|be|being)\s+(?:\w+ly\s+)?$")
# ... or one that a citation or an appositive holds: "according to audio published by Ukraine
# officials", "The survey, conducted by the Public Policy Institute of California, finds".
_PASSIVE_KEPT = re.compile(r"\b(?:[Aa]ccording\sto|[Cc]iting|[Bb]ased\son)\s[^,;]{0,80}$|,\s$")
_AS_LEAD = re.compile(r"\s*[“\"]?(?:As|as)\s+(?:first\s+|previously\s+)?")
# A named subject introducing a quotation with a colon: "Clinton has since apologized for
# what happened: “...”".
_SUBJECT_COLON = re.compile(
    r"\s*((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s)?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2})"
    r"\s+(?:has\s+|had\s+|also\s+|then\s+|later\s+|since\s+)*[a-z]+(?:ed|s)\b[^“”\":;]{0,120}:"
    r"\s*(?:[“\"]|'')"
)
# A credit line: "- Sanders.", "― Azucena Gonzàlez", after a quotation.
_DASH_CREDIT = re.compile(r"(?:^|[”\"]\s*)[-–—―]\s*((?:[A-Z][\w.'’-]*\s?){1,4})\.?\s*$")
_ELIDED = re.compile(r"[a-z,]\s+(?:but|and)\s+(?:also\s+|later\s+)?$")
_LEADING_NAME = re.compile(
    r"\s*(He|She|(?:[Tt]he\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*){0,4})"
    r"(?:\s*\([^()]{1,30}\))?,?\s+[a-z]"
)
# A roundup's section heading ("INDIANA’S DEMOGRAPHICS FAVOR CRUZ:"), not a speaker's name.
_HEADING = re.compile(r"[A-Z0-9’'.&-]+(?:\s+[A-Z0-9’'.&-]+){2,}|.*[’']s\b.*")
_DASH_NAME_COLON = re.compile(
    r"\s[-–—]\s+((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*):\s*(?=[“\"]|'')"
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,60}\)")
_BETWEEN = re.compile(
    r",\s[RDI]-[A-Z][\w.]*(?=,|\s*$)|,\s(?:then\s|now\s)?\d{1,3}(?=,)|,\s+(?:who|which)\s[^,;“”\"]{1,120},\s*$|"
    r",\s+(?:conducted|released|published|commissioned|taken|carried out)"
    r"(?:\s(?!by\b)(?:(?!\bby\b)[^,;“”\"]){1,120})?"
    r"(?:,\s*)?$"
)


def _subject_before(before: str) -> tuple[str, int, str | None] | None:
    """The source phrase that ends right before a cue verb: (phrase, start, description)."""
    # Skip what may sit between a subject and its verb ("on Monday also").
    tail_m = re.search(
        r"((?:\s*(?:,\s*)?(?:also|has|have|had|previously|recently|later|earlier|then|further|"
        r"repeatedly|publicly|again|already|still|meanwhile|separately|however|would|will|"
        r"first|initially|originally|privately|exclusively|jointly|"
        r"instead|once|at\s+th(?:at|e)\s+time|for\s+(?:instance|example)|in\s+particular|too|"
        r"in\s+turn|for\s+(?:its|his|her|their)\s+part|actually|reportedly|apparently|"
        r"officially|currently|now|just|only|ultimately|eventually|finally|subsequently|"
        r"immediately|quickly|quietly|openly|explicitly|specifically|clearly|frequently|"
        r"often|consistently|correctly|incorrectly|falsely|wrongly|flatly|bluntly|"
        r"last\s+(?:week|month|year|night)|this\s+(?:week|month|year|morning)|"
        rf"\b(?:on|in|earlier|late|early)\s+(?:{_TIME_WORDS})(?:\s+\d{{1,2}})?|"
        r"(?:[A-Z][a-z]+day)|yesterday|today|tonight|,))*)\s*$",
        before,
    )
    core_end = tail_m.start() if tail_m else len(before)
    core = before[:core_end]
    # "Mayor John Smith, 45, told": an age between a name and its verb.
    core = re.sub(r",\s(?:then\s|now\s)?\d{1,3},?\s*$", "", core)
    # "A poll released in late August found": the time phrase went with the tail.
    core = re.sub(r"\s+(?:released|conducted|published|issued|taken)\s+(?:in|on|at)$", "", core)
    # Blank out what sits between a subject and its verb without naming anyone, keeping
    # offsets: "(R-Tex.)", ", 58,", ", who lives outside Minneapolis,", ", conducted in May,".
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    # The comma that closes an aside was taken with the tail; it marks where the aside ends.
    closed = before[core_end:].lstrip().startswith(",")
    core = _BETWEEN.sub(blank, _PARENTHETICAL.sub(blank, core + ("," if closed else "")))
    core = core.rstrip(" ," if closed else " ")
    # "X, a description, said" -> X, with the description.
    app = _APPOSITIVE.search(core + ",")
    # An appositive is a noun phrase: one holding a cue verb is a clause ("Polly Sheppard,
    # told the jury ... and asked") and describes nobody.
    if (
        app
        and not re.search(r"\b(?:meanwhile|however|too)\b", app.group(2))
        and not _CUE.search(app.group(2))
    ):
        name = app.group(1)
        start = app.start(1)
        description = app.group(2).strip()
        role_name, role = split_role_and_name(description)
        if role and looks_like_person_name(role_name) and not re.match(r"(?:an?|the)\s", role):
            # "maybe Jeb Bush, digital consultant Phil Musser says": the second name speaks.
            return description, app.start(2), None
        relative = re.match(r"(?:who|which|that|whose|where)\b", description)
        # "an Oklahoma Republican who chairs the panel" is described as "an Oklahoma Republican".
        description = re.split(r"\s(?:who|which|that|whose|where)\b", description)[0] or description
        if junk_name(name):
            app = None  # "In Florida, a June poll found": the lead-in is not a name
        # "under questioning Josenrique Cueto, the deputy director, acknowledged": a person's
        # name with its description stands as the subject whatever leads into it.
        if app and (_clause_start(core, start) or (not relative and looks_like_person_name(name))):
            # A relative clause ("X, which safeguards the tax, said") describes nothing.
            return name, start, None if relative else description
    # Otherwise the run from the last clause break to the verb.
    breaks = list(_CLAUSE_BREAK.finditer(core))
    start = breaks[-1].end() if breaks else 0
    phrase = core[start:]
    # "Forbes says it is $4.5 billion and Wealth-X has it at": "and" before a capital joins
    # names ("Smith and Jones said") but here ends a clause of its own.
    joined = list(re.finditer(r"\sand\s+(?=[A-Z])", phrase))
    if joined and _CUE.search(phrase, 0, joined[-1].start()):
        start += joined[-1].end()
        phrase = core[start:]
    lead = len(phrase) - len(phrase.lstrip())
    phrase = phrase.strip()
    if not phrase:
        return None
    if breaks and breaks[-1].group(0) == "and" and " " in phrase and phrase[:1].islower():
        return None  # "business and political leaders shows": the tail of a longer phrase
    return phrase, start + lead, None


def _clause_start(core: str, start: int) -> bool:
    head = core[:start].rstrip()
    return head == "" or head[-1] in ',”"“;:—(' or head.endswith(("that", "and", "but"))


_ANON_ONE = re.compile(
    r"\b(?:Republican|Democrat|strategist|operative|aide|adviser|advisor|staffer|donor|ally|"
    r"associate|supporter|insider|veteran)\b"
)
_ANON_OK = re.compile(
    r"\b(officials?|critics?|residents?|analysts?|experts?|economists?|forecasters?|respondents|"
    r"organi[sz]ers|sources?|witness(?:es)?|activists?|observers?|insiders?|executives?|"
    r"investigators?|diplomats?|hawks|researchers?|scientists?|doctors?|lawyers?|advocates?|"
    r"reports|appropriators|spokes(?:man|woman|person)|authorities|police|prosecutors?|"
    r"data|documents?|review|report|study|survey|poll|analysis|audio|records?|estimates|"
    r"statistics|government|ministry|department|court|judge|agency|office|administration|"
    r"lawmakers|soldier|officer|member|newspaper|outlet|affiliate|station|network|"
    r"familiar|knowledge|briefed|complaint|indictment|lawsuit|filing|affidavit|memo|"
    r"statement|ruling|verdict|"
    r"broadcaster|presentation|bill|hawks)\b",
    re.I,
)
_VERBISH = re.compile(
    r"\b(?:could|would|will|should|may|might|can|is|are|was|were|has|have|had|do|does|did|"
    r"been|being|not|if|to|than|[a-z]+ed|[a-z]+ing)\b"
)
_SENTENCE_WORDS = {
    "the",
    "well",
    "yes",
    "no",
    "so",
    "but",
    "and",
    "now",
    "then",
    "here",
    "there",
    "it",
    "this",
    "that",
    "they",
    "we",
    "i",
    "you",
    "officials",
    "still",
    "instead",
    "meanwhile",
}


_CLAUSE_WORDS = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|could|should|"
    r"can|may|might|must|not|if|than|because|when|while|although)\b",
    re.I,
)


_DETERMINER = re.compile(
    r"^(?:the|a|an|his|her|their|its|our|one|some|many|several|both|all|most|other|two|three|"
    r"four|five|few|these|those|this|that|another|each|every|no|\w+[’']s?|[A-Z][\w.&’'-]*)\s",
)
_NOT_HEAD = re.compile(
    r"^(?:of|for|and|or|the|a|an|to|in|on|at|by|with|from|as|who|that|which|\w+ly|\w+ing|"
    r"he|she|it|they|we|i|you|him|her|them|us|me|what|how|why|so|but|just|only|even|"
    r"also|now|then|still|again|there|here|all|both|more|less|most|much|very|too)$",
    re.I,
)
_PARTICIPLE_BY = re.compile(
    r"\b(?:released|conducted|published|commissioned|compiled|obtained|reviewed|analy[sz]ed|"
    r"prepared|filed|issued|sent|written|based|cited|collected)\b"
)


_ATTACHMENT = re.compile(
    r"\s(?:of|at|from|for|with|in|on|by|to|who|that|close|familiar|about|relating|regarding|"
    r"concerning|covering|"
    r"released|conducted|published|commissioned|compiled|obtained|reviewed|prepared|filed|"
    r"issued|sent|written|based|cited|collected)(?:\s|$)"
)
# Nouns that name a party or a record that can be a source (singular or plural).
_SOURCE_HEAD = re.compile(
    r"(?:official|spokes(?:man|woman|person|people)|aide|adviser|advisor|strategist|"
    r"consultant|analyst|expert|economist|researcher|scientist|professor|scholar|pollster|"
    r"lawyer|attorney|prosecutor|judge|court|lawmaker|legislator|senator|congressman|"
    r"congresswoman|representative|governor|mayor|president|chairman|chairwoman|chair|"
    r"director|executive|manager|founder|owner|organizer|leader|member|minister|secretary|"
    r"ambassador|diplomat|general|commander|officer|agent|investigator|inspector|auditor|"
    r"candidate|nominee|campaign|committee|party|group|coalition|union|association|"
    r"organi[sz]ation|agency|department|ministry|office|bureau|board|council|commission|"
    r"administration|government|authority|authorities|police|company|firm|bank|fund|"
    r"institute|center|centre|foundation|university|hospital|network|outlet|newspaper|"
    r"paper|magazine|station|website|site|blog|source|insider|person|people|resident|"
    r"witness|voter|supporter|critic|opponent|ally|allies|backer|donor|activist|advocate|"
    r"worker|employee|staff|staffer|operative|veteran|student|parent|doctor|nurse|teacher|"
    r"actress|actor|writer|author|columnist|editor|reporter|journalist|correspondent|host|"
    rf"anchor|{_RECORDS}|model|ad|video|"
    r"book|article|story|tweet|post|account|plan|proposal|budget|bill|rules?|"
    r"superdelegate|delegate|narrator|brother|sister|son|daughter|wife|husband|friend|"
    r"family|relative|panel|team|elder|magnate|businessman|businesswoman|billionaire|giant|"
    r"attacker|technologist|commentator|media|blogger|reader|inquiry|movie|film|reviewer|"
    r"community|woman|man|women|men|state|counsel|suit|cable|look-alike|confidant|"
    r"voice-over|voice over|observer|pundit|surrogate|tracker|panelist|jury|juror|"
    r"prosecution|defense|plaintiff|defendant|investor|trader|consumer|customer|"
    r"patient|victim|survivor|protester|demonstrator|announcer|program|programme|slide|"
    r"chart|graphic|presentation|camp|admiral|captain|sergeant|colonel|lieutenant|chief|"
    r"head|boss|ceo|chancellor|king|queen|prince|ruler|regime|military|army|navy|troops|"
    r"soldier|agenc(?:y|ie)|spokes(?:man|woman|person)|think tank|nonprofit|charity|"
    r"lobby|lobbyist|industry|sector|market|exchange|regulator|watchdog|system|hospital|"
    r"school|district|city|county|clinic|prison|jail|utility|airline|carrier|tribe|church|"
    r"diocese|mosque|synagogue|museum|library|zoo|port|airport|trust|bureau|maker|producer|"
    r"manufacturer|retailer|exporter|importer|farmer|grower|builder|developer|landlord|tenant|"
    r"homeowner|operator|provider|supplier|lender|insurer|shipper|distributor|dealer|"
    r"mogul|associate|leadership|investigation|respondent|analyses|surveyed|polled|"
    r"interviewed)s?"
)


# Phrases that describe no one: "Few people", "no Republicans", "The gap between what
# Trump", "a federal judge to block the rules", "his body mass index".
_NOT_DESCRIBED = re.compile(
    r"^(?:no|few|none|nobody|neither)\s|\b(?:what|whether|how|why)\b|"
    r"\bto\s+(?!the\b|an?\b|his\b|her\b|their\b|its\b|[A-Z])[a-z]+\b|"
    r"^(?:his|her|its|their)\s+(?:\w+\s+)?(?:index|average|rate|score|ratio|total|count|"
    r"number|mass|weight|height|share|level)$|"
    # a verb: "The bill specifically requires those projections"
    r"\b(?!(?:likely|early|elderly|weekly|monthly|daily|quarterly|yearly|nightly|only|"
    r"costly|friendly|family|holy|lonely|deadly|unlikely)\b)[a-z]+ly\s+[a-z]+s\b|\b(?:requires|needs|makes|takes|gives|wants|includes|allows|means)\b",
    re.I,
)


def _described_source(phrase: str) -> bool:
    """A source described rather than named: "the Vermont senator", "Cruz's campaign",
    "a top GOP strategist", "three recent polls", "data released Friday by regulators".

    A noun phrase: a determiner, possessive or capitalised word first; no pronoun subject,
    clause word or verb; a noun last."""
    words = phrase.split()
    if not 2 <= len(words) <= 12:
        return False
    # A bare plural is a noun phrase when its head names who speaks: "exit polls",
    # "civil rights groups", "new filings".
    bare_plural = words[-1].endswith("s") and bool(_SOURCE_HEAD.fullmatch(words[-1].lower()))
    if not (_DETERMINER.match(phrase + " ") or bare_plural):
        return False
    if _CLAUSE_WORDS.search(re.sub(r"\bMay\b", "", phrase)) or junk_name(phrase):
        return False  # a clause; the month May is no modal
    if re.search(r"\b(?:he|she|it|they|we|I|you)\b", phrase, re.I) or _NOT_DESCRIBED.search(phrase):
        return False
    verbs = re.findall(r"\b[a-z]+ed\b", phrase)
    if verbs and not _PARTICIPLE_BY.search(phrase):
        return False
    common = [w for w in words if not w[:1].isupper()]  # a long proper name counts as one
    if len(common) > 6 and not (_PARTICIPLE_BY.search(phrase) or _ATTACHMENT.search(phrase)):
        return False  # long only when a noun carries an attachment: "a survey of those ..."
    last = words[-1].strip(".,")
    if last.endswith(("'s", "’s", "s'", "s’")):
        return False
    # The head noun ("the organizer of a rally", "data released by regulators") must be a
    # kind of party or record that speaks: "their smiles" and "an instance in" are not.
    core = _ATTACHMENT.split(re.sub(r"\s+(?:him|her|them)sel(?:f|ves)$", "", phrase), 1)[0].split()
    head = core[-1].strip(".,") if core else last
    if _NOT_HEAD.match(head) and not _SOURCE_HEAD.fullmatch(head.lower()):
        return False  # "Exit polling" is a source; "the lack of an adequate" is not
    return head[:1].isupper() or bool(_SOURCE_HEAD.fullmatch(head.lower()))


def _noun_phrase(phrase: str) -> bool:
    """Could this phrase (after "according to", before "show") name a party or a record?
    A noun phrase: no finite verb or clause word, at most 16 words."""
    words = phrase.split()
    return 0 < len(words) <= 16 and not _CLAUSE_WORDS.search(phrase) and not junk_name(phrase)


_ELIDED_NAME = re.compile(r"(?:O|D|D[ai]|L[ae])[’'][A-Z][a-z]")


def _acceptable_phrase(phrase: str) -> bool:
    """Is this a plausible name for a source (not a clause fragment)?"""
    words = phrase.split()
    if not words or len(words) > 10:
        return False
    if re.fullmatch(r"[\w-]+\.(?:com|org|net|gov|edu|co\.uk)", phrase):
        return True
    if len(words) == 1:
        w = words[0]
        return (
            w[:1].isupper()
            and w.lower() not in _SENTENCE_WORDS
            # "Trump’s" and "It's" are no names; "O’Malley" and "D’Souza" are
            and not (re.search(r"[’']", w) and not _ELIDED_NAME.match(w))
            and not re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", w)  # "S.C", "N.Y." are places
        ) or bool(_ANON_OK.fullmatch(w))
    body = re.sub(r"^(?:the|The)\s+", "", phrase)
    lowers = [
        w
        for w in body.split()
        if w[:1].islower() and w not in ("of", "for", "and", "the", "de", "on", "in", "at")
    ]
    if not lowers:
        return body[:1].isupper()
    name, role = split_role_and_name(phrase)
    person = role is not None and looks_like_person_name(name)
    if (
        person
        and not _CLAUSE_WORDS.search(role)
        and _SOURCE_HEAD.fullmatch(role.split()[-1].lower().rstrip(","))
    ):
        return True  # "Fight for $15 organizing director Kendall Fells": a role, then a name
    if _VERBISH.search(body) and not re.search(
        r"\b(?:obtained|published|accompanying|intercepted|working|based|involved|affiliated|"
        r"aligned|allied|connected|associated|tied|linked)\b",
        body,
    ):
        return False
    if person:
        return True
    if re.match(r"^(?:an?|one)\s", phrase):
        # "one Republican involved in the planning", "a GOP strategist close to the campaign"
        return bool(_ANON_OK.search(phrase) or _ANON_ONE.search(phrase))
    return bool(_ANON_OK.search(words[-1]) or (_ANON_OK.search(phrase) and len(words) <= 6))


__all__ = ["Attribution", "Frame", "attribute"]
