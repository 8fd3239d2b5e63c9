"""Who the article cites: outlets, people, officials, organisations, documents, data, anonymous.

This module knows what a source *is* (its kind, its canonical name, its aliases); where a source
is cited and for which claims is `attribution`'s job. A small gazetteer of major outlets and
agencies stands in for a named-entity model, which we cannot download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# Major outlets and wire services: canonical name -> aliases used in copy.
OUTLETS: dict[str, tuple[str, ...]] = {
    "The Wall Street Journal": ("Wall Street Journal", "WSJ", "The Journal", "the Journal"),
    "The New York Times": ("New York Times", "NYT", "The Times", "the Times"),
    "The Washington Post": ("Washington Post", "The Post", "the Post"),
    "The Guardian": ("Guardian",),
    "The Financial Times": ("Financial Times", "FT"),
    "The Economist": ("Economist",),
    "The Times of London": (),
    "The Telegraph": ("Telegraph", "Daily Telegraph"),
    "The Independent": (),
    "The Atlantic": (),
    "The Post and Courier": ("Post and Courier",),
    "Associated Press": ("AP", "The Associated Press", "Associated Press news agency"),
    "Reuters": ("Thomson Reuters",),
    "Agence France-Presse": ("AFP",),
    "Bloomberg": ("Bloomberg News",),
    "BBC": ("BBC News", "the BBC"),
    "CNN": (),
    "CNBC": (),
    "NBC News": ("NBC",),
    "CBS News": ("CBS",),
    "ABC News": ("ABC",),
    "Fox News": (),
    "NPR": ("National Public Radio",),
    "PBS": (),
    "Politico": ("POLITICO",),
    "Axios": (),
    "Business Insider": ("Insider", "BI"),
    "Forbes": (),
    "Fortune": (),
    "WIRED": ("Wired",),
    "The Verge": (),
    "TechCrunch": (),
    "Al Jazeera": (),
    "Haaretz": (),
    "Le Monde": (),
    "Der Spiegel": ("Spiegel",),
    "Kyiv Independent": ("The Kyiv Independent",),
    "Interfax": (),
    "TASS": (),
    "RIA Novosti": (),
    "Xinhua": (),
    "Yonhap": (),
    "Kyodo": ("Kyodo News",),
    "USA Today": (),
    "Los Angeles Times": ("LA Times", "The Los Angeles Times"),
    "Space.com": ("SpaceNews",),
    "The Lancet": ("Lancet",),
    "Nature": (),
    "Science": (),
    "The New England Journal of Medicine": ("New England Journal of Medicine", "NEJM"),
    "JAMA": ("Journal of the American Medical Association",),
    "The BMJ": ("BMJ", "British Medical Journal"),
    "CBS Sports": (),
    "Miami Today": (),
    "ProPublica": (),
    "The Information": (),
    "Semafor": (),
    "Vox": (),
    "HuffPost": ("Huffington Post",),
    "BuzzFeed News": (),
    "Daily Mail": ("The Daily Mail",),
    "The Sun": (),
    "Sky News": (),
    "Euronews": (),
    "Deutsche Welle": ("DW",),
}

# Agencies whose acronym and full name both appear in copy.
AGENCIES: dict[str, tuple[str, ...]] = {
    "Congressional Budget Office": ("CBO", "the budget office", "budget office"),
    "Centers for Disease Control and Prevention": ("CDC",),
    "Federal Aviation Administration": ("FAA",),
    "National Highway Traffic Safety Administration": ("NHTSA",),
    "Federal Bureau of Investigation": ("FBI",),
    "Federal Reserve": ("the Fed", "Fed"),
    "World Health Organization": ("WHO",),
    "International Monetary Fund": ("IMF",),
    "United Nations": ("UN", "U.N."),
    "European Union": ("EU",),
    "Department of Defense": ("Pentagon", "the Pentagon", "DOD"),
    "Securities and Exchange Commission": ("SEC",),
    "Bureau of Labor Statistics": ("BLS",),
    "Environmental Protection Agency": ("EPA",),
    "National Aeronautics and Space Administration": ("NASA",),
    "Israeli Defense Force": ("IDF", "Israel Defense Forces"),
    "Office for National Statistics": ("ONS",),
    "Bank of England": ("BoE", "the Bank"),
    "European Central Bank": ("ECB",),
    "Bank of Japan": ("BoJ",),
}

# What a reader may not know about an outlet, shown beside its name in the digest.
OUTLET_DESCRIPTIONS: dict[str, str] = {
    "The Wall Street Journal": "US business newspaper",
    "The New York Times": "US newspaper",
    "The Washington Post": "US newspaper",
    "The Guardian": "British newspaper",
    "The Financial Times": "British business newspaper",
    "The Telegraph": "British newspaper",
    "Associated Press": "US news agency",
    "Reuters": "international news agency",
    "Agence France-Presse": "French news agency",
    "Bloomberg": "business news service",
    "BBC": "British public broadcaster",
    "CNN": "US cable news network",
    "CNBC": "US business news network",
    "NBC News": "US broadcaster",
    "CBS News": "US broadcaster",
    "ABC News": "US broadcaster",
    "NPR": "US public radio network",
    "Politico": "US political news outlet",
    "Business Insider": "US business news site",
    "Forbes": "US business magazine",
    "Al Jazeera": "Qatar-based broadcaster",
    "Interfax": "Russian news agency",
    "TASS": "Russian state news agency",
    "RIA Novosti": "Russian state news agency",
    "Xinhua": "Chinese state news agency",
    "Kyiv Independent": "Ukrainian news outlet",
}

_ALIAS_TO_OUTLET = {a.lower(): name for name, al in OUTLETS.items() for a in (name, *al)}
_ALIAS_TO_AGENCY = {a.lower(): name for name, al in AGENCIES.items() for a in (name, *al)}

# Words that make a phrase a given kind of source (checked on the phrase's head and modifiers).
_GOVERNMENT = re.compile(
    r"\b(ministry|minister|department|dept|government|court|judge|agency|office|police|"
    r"white house|kremlin|congress|senate|parliament|administration|council|commission|"
    r"authority|authorities|bureau|military|army|navy|forces?|prosecutors?|"
    r"state department|pentagon|cabinet|regulators?|trust|county|city|state|appropriators|"
    r"legislature|embassy|mayor's office|sheriff)\b",
    re.I,
)
_ORGANIZATION = re.compile(
    r"\b(group|inc|corp|corporation|company|co|ltd|llc|plc|institute|institution|center|"
    r"centre|association|union|foundation|ngo|international|organi[sz]ation|committee|"
    r"coalition|society|airlines?|airways|bank|university|college|league|federation|"
    r"network|alliance|partners|fund|watch|amtrak|aaa|club|party|campaign|think tank|forum|"
    r"project|sciences|parenthood|"
    r"journalism|research|media|news|consulting|consultants|analytics|strategies|holdings|"
    r"technologies|communications|publishing|productions|entertainment)\b",
    re.I,
)
_DOCUMENT = re.compile(
    r"\b(documents?|report|review|study|survey|poll|filing|lawsuit|letter|memo|"
    r"presentation|bill|audio|recording|video|footage|statement|analysis|paper|records?|"
    r"estimates?|projections?|budget|assessment|indictment|complaint|transcript|emails?|"
    r"intelligence|forecast|census)\b",
    re.I,
)
_DATA = re.compile(r"\b(data|figures|statistics|numbers|dataset|database|tally|count)\b", re.I)
# "intercepted audio published by Ukraine officials": the document is the source.
_DOCUMENT_FIRST = re.compile(
    r"^(?:(?:the|an?|new|leaked|internal|intercepted|military|court|official|classified|"
    r"government|unpublished)\s+){0,3}(?:documents?|audio|recordings?|footage|video|memo|"
    r"letter|emails?|filings?|records|transcripts?|data)\b(?:\s+(?:obtained|published|"
    r"released|seen|reviewed|leaked|shared|filed)\s+by\b.*)?$",
    re.I,
)
_ANONYMOUS_HEADS = re.compile(
    r"^(?:(?:some|many|most|several|two|three|other|local|senior|top|u\.?s\.?|western|"
    r"israeli|russian|ukrainian|american|british|chinese|european|health|military|"
    r"government|administration|federal|state|city|county|company|industry|aviation|"
    r"police|security|intelligence|independent|unnamed|anonymous|former|current|"
    r"deficit|budget|white house|[a-z]+)\s+)*"
    r"(officials?|critics|residents|analysts|experts|economists|forecasters|organizers|"
    r"organisers|sources|witnesses|activists|observers|insiders|executives|people|"
    r"investigators|diplomats|hawks|researchers|scientists|doctors|lawyers|advocates|"
    r"reports|spokes(?:man|woman|person)|officers|soldiers?|guardsmen|members|staff|"
    r"employees|aides|allies|opponents|supporters|lawmakers|legislators|leaders|"
    r"democrats|republicans|americans|voters|conservatives|liberals|progressives)$",
    re.I,
)
_ANONYMOUS_SINGULAR = re.compile(
    r"^(?:a|an|one|another)\s+(?:[\w-]+\s+){0,4}?(official|source|person|doctor|"
    r"spokes(?:man|woman|person)|witness|resident|analyst|expert|officer|soldier|"
    r"employee|aide|diplomat|lawyer|member|executive|insider|investigator)\b",
    re.I,
)
# "people familiar with the matter", "analysts at Goldman Sachs", "two sources close to"
_ANONYMOUS_QUALIFIED = re.compile(
    r"^(?:(?:two|three|four|several|some|many|other|senior|an?|one)\s+)*(?:people|persons?|"
    r"sources?|officials?|analysts?|economists?|executives?|employees?|insiders?|diplomats?|"
    r"aides?|lawyers?|experts?|investors?|traders?)\s+(?:familiar|close|with|at|from|in|of|"
    r"who|briefed|involved|knowledgeable)\b",
    re.I,
)
# Titles and roles that make a named person an official (they speak for an office).
_OFFICIAL_ROLE = re.compile(
    r"\b(president|vice-president|vice president|prime minister|minister|senator|sen|"
    r"governor|gov|mayor|representative|rep|secretary|spokes(?:man|woman|person)|"
    r"director|chief|chairman|chairwoman|chair|ceo|chief executive|commissioner|"
    r"ambassador|general|gen|colonel|col|admiral|sheriff|attorney general|"
    r"prosecutor|official|head|leader|chancellor|king|queen|member|deputy|u\.s\. attorney|"
    r"district attorney|"
    r"superintendent|administrator|executive|press secretary|lt|sgt|captain|"
    r"councilman|councilwoman|trustee|founder|manager|officer|advocacy director)\b",
    re.I,
)
_PERSON_TITLES = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Sen|Gov|Rep|Gen|Col|Lt|Sgt|St)\.?$")


@dataclass(slots=True)
class SourceEntry:
    """A source as the engine tracks it while reading: a name, its kind, the ways it is named."""

    name: str
    kind: str
    description: str | None = None
    aliases: list[str] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)

    @property
    def gender(self) -> str | None:
        """ "m", "f" or None, from a title, a gendered role or a common first name."""
        if self.kind not in ("person", "official", "anonymous"):
            return None
        return gender_of(" ".join([self.name, *self.aliases, self.description or ""]))

    def add_alias(self, alias: str) -> None:
        alias = alias.strip()
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)

    @property
    def surname(self) -> str | None:
        if self.kind not in ("person", "official"):
            return None
        parts = self.name.split()
        return parts[-1] if len(parts) >= 2 else None


_FEMALE_WORDS = re.compile(
    r"\b(?:Mrs|Ms|Miss|Madam|spokeswoman|chairwoman|congresswoman|businesswoman|"
    r"councilwoman|wife|mother|daughter|sister|grandmother|widow|actress|woman|"
    r"first lady|Queen|Princess)\b"
)
_MALE_WORDS = re.compile(
    r"\b(?:Mr|spokesman|congressman|businessman|councilman|husband|father|son|brother|"
    r"grandfather|widower|actor|man|King|Prince|Sir)\b"
)
# Common English first names; a name not here leaves the gender unknown.
_FEMALE_NAMES = frozenset(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa
    deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna
    brenda pamela nicole samantha katherine christine debra rachel catherine carolyn janet ruth
    maria heather diane virginia julie joyce victoria kelly christina joan evelyn lauren judith
    olivia martha cheryl megan andrea hannah jacqueline ann jean alice kathryn gloria teresa
    doris sara janice julia marie madison grace judy theresa beverly denise marilyn amber
    danielle abigail brittany rose diana natalie sophia alexis lori kayla jane hillary huma
    kellyanne carly jill melania ivanka kamala nikki condoleezza madeleine sonia elena tammy
    debbie hope dana claire valerie loretta maxine elise kirsten tulsi ilhan alexandria liz
    meghan mika norah chelsea sheryl marissa meg oprah katie kate gretchen gail ellen leah
    robin erin tara molly""".split()
)
_MALE_NAMES = frozenset(
    """james john robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
    tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy
    christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse
    jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy
    vincent ralph eugene russell bobby mason philip louis barack bernie ted marco jeb mitt
    chris rand ben mike mitch newt rudy reince corey bill hugh rick lindsey harry chuck tim
    rahm bob jim tom dick steve jon ken dan sam al tony jeff josh nick matt pat greg fred ed
    elliot elliott lyndon jimmy karl sheldon rex vladimir bashar xi recep emmanuel boris nigel
    jared""".split()
)


def gender_of(phrase: str) -> str | None:
    """A person's gender as the text shows it ("Mrs. Clinton", "a spokeswoman", "Hillary
    Clinton"), or None when it does not."""
    female, male = bool(_FEMALE_WORDS.search(phrase)), bool(_MALE_WORDS.search(phrase))
    if female != male:
        return "f" if female else "m"
    if female:
        return None
    first = re.sub(
        r"^(?:(?:[A-Z][a-z]{0,4}\.|Senator|Governor|President|Secretary)\s+)+", "", phrase
    )
    word = first.split()[0].lower() if first.split() else ""
    if word in _FEMALE_NAMES:
        return "f"
    if word in _MALE_NAMES:
        return "m"
    return None


def outlet_name(phrase: str) -> str | None:
    """The canonical outlet a phrase names ("WSJ" -> "The Wall Street Journal"), or None."""
    key = _strip_the(phrase).lower()
    found = _ALIAS_TO_OUTLET.get(phrase.lower()) or _ALIAS_TO_OUTLET.get(key)
    if found is None and key.endswith(_OUTLET_SUFFIXES):
        # "The Post and Courier newspaper", "the Associated Press news agency"
        bare = re.sub(r"\s(?:newspaper|news agency|news service|website|magazine)$", "", key)
        found = _ALIAS_TO_OUTLET.get(bare)
    return found


_OUTLET_SUFFIXES = (" newspaper", " news agency", " news service", " website", " magazine")


def agency_name(phrase: str) -> str | None:
    key = _strip_the(phrase).lower()
    return _ALIAS_TO_AGENCY.get(phrase.lower()) or _ALIAS_TO_AGENCY.get(key)


def _strip_the(phrase: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", phrase.strip())


_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|de|van|von|al|bin|da|di|del|la|le)$")


_TITLE_WORD = re.compile(
    r"^(?:President|Vice-President|Senator|Sen\.?|Governor|Gov\.?|Mayor|Representative|"
    r"Rep\.?|Secretary|Minister|Chancellor|Chief|Director|Chairman|Chairwoman|Judge|Justice|"
    r"General|Gen\.?|Colonel|Col\.?|Captain|Capt\.?|Lieutenant|Lt\.?|Sergeant|Sgt\.?|"
    r"Commissioner|Ambassador|Prince|Princess|King|Queen|Pope|Dr\.?|Prof\.?|Professor|"
    r"Mr\.?|Mrs\.?|Ms\.?|Officer|Detective|Sheriff|Deputy|Spokesman|Spokeswoman|"
    r"Executive|Trustee|Councilman|Councilwoman|Speaker|Leader|Premier|Presumptive|Attorney|"
    r"Prosecutor|Inspector|Superintendent|Commander|Admiral|Marshal|Alderman|Alderwoman|"
    # what a capitalised role before a name says about the person: "Democrat Elijah Cummings",
    # "Journalist Carl Leubsdorf", "Pastor Darrell Scott", "Rabbi Rick Jacobs"
    r"Democrat|Republican|Journalist|Reporter|Billionaire|Pastor|Rabbi|Rev\.?|Reverend|"
    r"Archbishop|Bishop|Imam|Economist|Analyst|Pollster|Strategist|Activist|Columnist|"
    r"Businessman|Businesswoman|Comedian|[A-Z][a-z]+-based)$"
)


def split_role_and_name(phrase: str) -> tuple[str, str | None]:
    """Split "Russian lawyer Mikhail Benyash" into ("Mikhail Benyash", "Russian lawyer").

    The name is the trailing run of capitalised words after the last lower-case word or
    title ("Senator Mark Warner", "Emirates President Tim Clark"); what precedes it is the
    role. "American Airlines' Kent Powell" splits at the possessive.
    """
    words = phrase.split()
    i = len(words)
    while i > 0 and _NAME_TOKEN.match(words[i - 1]) and not _TITLE_WORD.match(words[i - 1]):
        if words[i - 1].endswith(("'", "’", "'s", "’s")) and i < len(words):
            break
        i -= 1
        # "Bureau of Labor Statistics": a lower-case joiner between capitalised words.
        if (
            i >= 2
            and words[i - 1] in ("of", "for", "and", "the", "on")
            and words[i - 2][:1].isupper()
            and not _TITLE_WORD.match(words[i - 2])
        ):
            i -= 1
    if i == len(words) or (i == 0):
        return phrase, None
    return " ".join(words[i:]), " ".join(words[:i])


def looks_like_person_name(phrase: str) -> bool:
    """Two to four capitalised words, not an outlet, agency or institution."""
    words = [w for w in phrase.split() if not _PERSON_TITLES.match(w)]
    if not 2 <= len(words) <= 4 or words[0] in ("The", "A", "An"):
        return False
    if not all(_NAME_TOKEN.match(w) for w in words):
        return False
    if outlet_name(phrase) or agency_name(phrase):
        return False
    return not (_GOVERNMENT.search(phrase) or _ORGANIZATION.search(phrase))


_OFFICE_TITLES = frozenset(
    "Sen Rep Gov Senator Governor Secretary Alderman Alderwoman Councilman Councilwoman "
    "Commissioner Mayor Ambassador".split()
)
_TITLED = re.compile(
    rf"^(Mr|Mrs|Ms|Miss|Dr|Judge|Justice|{'|'.join(sorted(_OFFICE_TITLES))})\.?\s+[A-Z]"
)


# A newspaper or news site named by its masthead's last word: "Washington Examiner", "Las Vegas
# Sun", "Chicago Tribune", "New York Post", "HuffPost Pollster".
_NEWSPAPER = re.compile(
    r"(?:[A-Z][\w.'’&-]*\s){1,3}(?:Post|Times|Tribune|Sun|Examiner|Journal|Herald|Gazette|Globe|"
    r"Chronicle|Inquirer|Observer|Telegraph|Courier|Dispatch|Bulletin|Ledger|Pollster|Sentinel|"
    r"Sun-Times|Daily Beast|Free Beacon|Daily Caller)|Daily (?:Caller|Beast|Mail|Kos|Signal)"
)


def classify(phrase: str, role: str | None = None, description: str | None = None) -> str:
    """The kind of source a phrase names (see DESIGN.md's source kinds).

    ``role`` is what precedes a name ("Russian lawyer"), ``description`` an appositive
    ("a Russian human rights group").
    """
    bare = _strip_the(phrase)
    title = _TITLED.match(phrase)
    if title:
        # "Mr. Cueto" is a person; "Sen. Warren" an official; a judge is a person.
        return "official" if title.group(1) in _OFFICE_TITLES else "person"
    if _DOCUMENT_FIRST.match(phrase):
        return "data" if re.search(r"\bdata\b", phrase, re.I) else "document"
    # The head noun: the last word, or the last before "of" ("Bureau of Labor Statistics").
    head_words = re.split(r"\s+(?:of|for|on)\s+", bare, maxsplit=1)[0].split()
    last = head_words[-1] if head_words else ""
    if _DOCUMENT.fullmatch(last) or _DATA.fullmatch(last):
        # "American Community Survey", "Current Population Survey": a record, not a person.
        return "data" if _DATA.fullmatch(last) else "document"
    if (
        outlet_name(phrase)
        or re.search(r"\b(newspaper|news agency|affiliate)\b", phrase, re.I)
        or (_NEWSPAPER.fullmatch(bare) and gender_of(bare) is None)  # not "Jack Post"
    ):
        return "outlet"
    if agency_name(phrase):
        return "government"
    if (
        _ANONYMOUS_HEADS.match(bare)
        or _ANONYMOUS_SINGULAR.match(phrase)
        or _ANONYMOUS_QUALIFIED.match(bare)
    ):
        return "anonymous"
    if looks_like_person_name(phrase):
        if role and _OFFICIAL_ROLE.search(role):
            return "official"
        if re.match(r"^(?:Sen|Gov|Rep|Senator|Governor|President|Mayor)\b", phrase):
            return "official"
        return "person"
    if len(phrase.split()) == 1 and phrase[:1].isupper():
        # A single capitalised word: a surname, an acronym or a brand. What the article says
        # about it decides; a bare unknown word that speaks is most often a surname.
        about = f"{role or ''} {description or ''}"
        if _GOVERNMENT.fullmatch(phrase):
            return "government"  # "Police", "Prosecutors", "Congress"
        if _GOVERNMENT.search(about) and not _OFFICIAL_ROLE.search(about):
            return "government"
        if _ORGANIZATION.search(about) or _ORGANIZATION.search(phrase):
            return "organization"
        if phrase.isupper() and len(phrase) <= 6:
            return "organization"
        if about.strip():
            return "official" if _OFFICIAL_ROLE.search(about) else "person"
        return "person"
    if _GOVERNMENT.fullmatch(last) or _ORGANIZATION.fullmatch(last):
        # The head decides: the "Census Bureau" is an agency, not a census.
        return "government" if _GOVERNMENT.fullmatch(last) else "organization"
    if _DATA.search(phrase):
        return "data"
    if _DOCUMENT.search(phrase):
        return "document"
    if _GOVERNMENT.search(phrase):
        return "government"
    if _ORGANIZATION.search(phrase):
        return "organization"
    if phrase[:1].isupper():
        return "organization"
    return "anonymous"


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return _strip_the(name).lower()


# Capitalised words that open a sentence or clause, not a name: "When Chris Murphy spoke".
_LEADING_WORDS = re.compile(
    r"^(?:(?:When|As|But|And|The|In|On|At|After|Before|If|While|Although|Though|Since|During|"
    r"With|Without|For|From|By|Then|So|Yet|Or|Nor|Because|Until|Unlike|Like|Under|Over|"
    r"Meanwhile|However|Also|Even|Still|Now|Here|There|This|That|Former|Some|Many|Most|Few|"
    r"All|Other|Several|Two|Three|Both|Perhaps|Maybe|Only|Just|Democrat|Republican|Independent|Hacker|Speaker|"
    r"Chairman|Chairwoman|Professor|Judge|Justice|Pastor|Rev|Reverend|Father|Pope|Coach|"
    r"Officer|Detective|Agent|Sheriff|Mayor|Governor|Senator|Congressman|Congresswoman|"
    r"President|Vice|Secretary|Minister|Ambassador|General|Colonel|Captain|Lieutenant|"
    r"Sergeant|Doctor|Attorney|Economist|Analyst|Author|Activist|Candidate|Nominee|Actor|"
    r"Actress|Singer|Comedian|Host|Anchor|Reporter|Writer|Columnist|Editor|Mr|Mrs|Ms|Dr|"
    r"Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|[A-Z][a-z]+ly)\.?\s)+"
)


_TITLE_WORDS = {"Sen.": "senator", "Sens.": "senators", "Rep.": "representative",
                "Reps.": "representatives", "Gov.": "governor", "Lt. Gov.": "lieutenant governor",
                "Gen.": "general", "Lt.": "lieutenant", "Col.": "colonel", "Dr.": "", "Mr.": "",
                "Mrs.": "", "Ms.": "", "Rev.": "", "Prof.": "professor"}  # fmt: skip
_TRAILING_TITLE = re.compile(
    r"\s*\b(" + "|".join(re.escape(t) for t in sorted(_TITLE_WORDS, key=len, reverse=True)) + r")$"
)


def readable_description(description: str | None) -> str | None:
    """A description as a reader should see it: the title a role ends with spelled out
    ("Texas Sen." -> "Texas senator", "Sen." -> "senator"), a dangling word dropped ("Vatican
    spokesman the"), and none at all for fragments ("the", "suggesting", "Donald Trump and
    Sen.")."""
    if not description:
        return None
    d = description.strip()
    if re.search(r"\band\s+(?:Sen|Rep|Gov)\.$", d) or re.match(
        r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|[a-z]+ing)\b", d
    ):
        return None  # a clause or a circumstance, not a description
    d = re.sub(r"\s+(?:the|a|an)$", "", d)
    if re.search(r"\b(?:of|and|in|at|for|to|on|with|by|from)$", d):
        return None  # "believe in the": a cut clause
    title = _TRAILING_TITLE.search(d)
    if title:
        head = d[: title.start()].strip()
        word = _TITLE_WORDS[title.group(1)]
        d = f"{head} {word}".strip() if word and " of " not in head else head
    if not d or d.lower() in ("the", "a", "an"):
        return None
    return d


def _occurrences(text: str, word: str):
    """Where ``word`` stands as a whole word after a space, not as a possessive before a name
    ("Trump's Tower"): a plain search, no pattern compiled per word."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        after = text[end : end + 4]
        if (
            i > 0
            and text[i - 1] == " "
            and not (after[:1].isalnum() or after[:1] == "_")
            and not re.match(r"[’']s?\s[A-Z]", after)
        ):
            yield i, end
        i = text.find(word, end)


# The capitalised words that end right before a surname: "Sen. Chris" in "Sen. Chris Murphy".
_RUN_BEFORE = re.compile(r"\b((?:[A-Z][\w-]+|[A-Z]\.)(?: (?:[A-Z]\.|[A-Z][\w-]+)){0,2}) $")
_APPOSITIVE_AFTER = re.compile(r",\s((?:an?|the)\s[^,;:.“”\"()]{3,80}?),")
_TITLE_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Fr|Senator|"
    r"Governor|Mayor|President|Judge|Justice)\.? $"
)


def _given_name(run: str, lower_words: set[str]) -> str | None:
    """The given name in the capitalised words before a surname, or None: role words and
    sentence openers are dropped ("Journalist Jorge", "When Chris"); a run with a known first
    name starts there; one unknown word must not be a common word the text also writes in
    lower case ("Outside Carrier")."""
    tokens = _LEADING_WORDS.sub("", run + " ").split()
    if not tokens:
        return None
    known = [k for k, w in enumerate(tokens) if gender_of(w.rstrip("."))]
    if known:
        return " ".join(tokens[known[0] :])
    if len(tokens) == 1 and not re.fullmatch(r"[A-Z]\.", tokens[0]):
        if tokens[0].lower() in lower_words:
            return None
        return tokens[0]
    return None


class Registry:
    """The sources of one article, resolving later mentions to earlier entries."""

    def __init__(self) -> None:
        self.entries: list[SourceEntry] = []
        self._index: dict[str, SourceEntry] = {}
        self._indexed = -1  # how many names the index holds; aliases are added from outside

    def _lookup(self) -> dict[str, SourceEntry]:
        size = sum(1 + len(e.aliases) for e in self.entries)
        if size != self._indexed:
            self._index = {}
            for e in self.entries:
                for n in (e.name, *e.aliases):
                    self._index.setdefault(_key(n), e)
            self._indexed = size
        return self._index

    def resolve(self, phrase: str) -> SourceEntry | None:
        """An existing entry the phrase refers to (name, alias, surname, outlet alias)."""
        p = phrase.strip()
        index = self._lookup()
        found = index.get(_key(p))
        if found is not None:
            return found
        canonical = outlet_name(p) or agency_name(p)
        if canonical and _key(canonical) in index:
            return index[_key(canonical)]
        words = [w for w in p.split() if not _PERSON_TITLES.match(w)]
        if len(words) == 1:
            for e in reversed(self.entries):
                if e.surname and e.surname.lower() == words[0].lower():
                    return e
        return None

    def name_in_full(self, text: str) -> None:
        """Name each person the article calls by surname alone ("Murphy said") as the article
        names them at their fullest ("Sen. Chris Murphy held the floor ..."), keeping the
        surname as an alias; when the text names two people with that surname ("Bill
        Clinton", "Hillary Clinton") and the entry's gender does not tell them apart, leave it."""
        lower_words: set[str] | None = None
        for e in self.entries:
            if e.kind not in ("person", "official"):
                continue
            words = [w for w in e.name.split() if not _PERSON_TITLES.match(w)]
            if len(words) != 1 or not words[0][:1].isupper() or gender_of(words[0]):
                continue  # a full name already, or a first name ("Susan") rather than a surname
            surname = words[0]
            # full name -> (the mention with its title, the appositive that follows it)
            fulls: dict[str, tuple[str, re.Match[str] | None]] = {}
            if lower_words is None:
                lower_words = set(re.findall(r"(?<![\w.])[a-z][\w'’-]*", text))
            # Find the surname first (a plain search), then read the capitalised run before it.
            for start, end in _occurrences(text, surname):
                m = _RUN_BEFORE.search(text, max(0, start - 60), start)
                if m is None:
                    continue
                given = _given_name(m.group(1), lower_words)
                if given is None or any(self.resolve(w) for w in given.split()):
                    continue  # "Hillary Clinton Says EgyptAir": another source's name
                name = f"{given} {surname}"
                title = _TITLE_BEFORE.search(text, max(0, m.start() - 12), m.start())
                described = _APPOSITIVE_AFTER.match(text, end, end + 160)
                if not (gender_of(given.split()[0]) or e.gender or title or described):
                    continue  # "Wilayat Twitter": no sign the words name a person
                mention = f"{title.group(0) if title else ''}{m.group(1)} {surname}"
                fulls.setdefault(name, (mention, described))
            if len(fulls) > 1 and e.gender:
                fulls = {n: v for n, v in fulls.items() if gender_of(n) in (None, e.gender)}
            if len(fulls) != 1:
                continue
            ((full, (mention, described)),) = fulls.items()
            old = e.name
            e.name = full
            e.add_alias(old)
            if e.kind == "person" and classify(mention) == "official":
                e.kind = "official"  # "Sen. Chris Murphy"
            if not e.description:
                # "Josenrique Cueto, the transportation department's deputy director, said"
                e.description = described.group(1) if described else None
            self._indexed = -1  # the index holds the old name as the entry's key

    def add(self, phrase: str, *, kind: str | None = None, description: str | None = None):
        """Register a mention, returning its (possibly existing) entry."""
        found = self.resolve(phrase)
        if found:
            if phrase != found.name:
                found.add_alias(phrase)
            if description and not found.description:
                found.description = description
            return found
        canonical = outlet_name(phrase) or agency_name(phrase)
        # "the Education Department" is listed as "Education Department".
        name = canonical or re.sub(r"^(?:the|The)\s+(?=[A-Z])", "", phrase)
        kind = kind or classify(phrase)
        if kind == "outlet" and not description:
            description = OUTLET_DESCRIPTIONS.get(name)
        entry = SourceEntry(name=name, kind=kind, description=description)
        if name != phrase:
            entry.add_alias(phrase)
        self.entries.append(entry)
        return entry
