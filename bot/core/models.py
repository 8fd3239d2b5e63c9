"""The digest contract (``newsroom-bot/digest@1``) as pydantic models.

Every span (figure, claim) indexes ``Article.text``: ``article.text[x.start:x.end] == x.text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.choices import Status

SCHEMA = "newsroom-bot/digest@1"

FigureKind = Literal[
    "count",
    "percent",
    "money",
    "fraction",
    "ratio",
    "measure",
    "rank",
    "date",
    "time",
    "duration",
    "age",
    "vague",
]
SourceKind = Literal[
    "outlet", "person", "organization", "government", "document", "official", "anonymous", "data"
]
Attribution = Literal["direct_quote", "indirect", "according_to", "unattributed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(_Model):
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    word_count: int = 0
    text: str = ""


class Figure(_Model):
    id: str
    text: str
    start: int
    end: int
    kind: FigureKind
    value: float | int | None = None
    low: float | int | None = None
    high: float | int | None = None
    qualifier: str = "exact"
    subject: str | None = None
    claim_id: str | None = None
    source_id: str | None = None
    # How the source was found (optional, newer digests): "cue" ("X said"), "inverted"
    # ("said X"), "according_to", "passive" ("found by X"), "paren" ("(Forbes)"), "quote"
    # (inside X's quotation or an excerpt "X wrote:" introduces), "pronoun" ("he said"),
    # "description" (a source described, not named: "the Vermont senator").
    source_how: str | None = None
    # Who passed the figure on (optional, newer digests): the source id of an outer report
    # ("A told B that C found ...": C is the source, A relayed it), or None.
    relayed_by: str | None = None
    hedged: bool = False
    checkworthy: bool = True
    # Why a figure is not check-worthy (optional, newer digests): "age", "clock or schedule
    # time", "calendar year used as an anchor", "headline: stated in the body", ...
    not_checkworthy: str | None = None
    status: Status = "open"
    reasons: list[str] = Field(default_factory=list)


class Source(_Model):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: SourceKind
    description: str | None = None
    claim_ids: list[str] = Field(default_factory=list)


class Claim(_Model):
    id: str
    text: str
    start: int
    end: int
    source_id: str | None = None
    cue: str | None = None
    attribution: Attribution = "unattributed"
    figure_ids: list[str] = Field(default_factory=list)
    hedged: bool = False
    checkworthy: bool = True


class Stats(_Model):
    figures: int = 0
    open: int = 0
    sources: int = 0
    claims: int = 0
    elapsed_ms: float = 0.0


class Digest(_Model):
    schema_: Literal["newsroom-bot/digest@1"] = Field(default=SCHEMA, alias="schema")
    article: Article
    summary: str = ""
    figures: list[Figure] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    stats: Stats = Field(default_factory=Stats)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    def source(self, source_id: str | None) -> Source | None:
        """The source with this id, or None."""
        return next((s for s in self.sources if s.id == source_id), None)

    def claim(self, claim_id: str | None) -> Claim | None:
        """The claim with this id, or None."""
        return next((c for c in self.claims if c.id == claim_id), None)

    def count_line(self) -> str:
        """``7 figures · 7 open · 12 sources``: the figures worth checking, how many are
        still open, and the sources; every view (Slack, the terminal) says it this way."""
        worth = [f for f in self.figures if f.checkworthy]
        still_open = sum(1 for f in worth if f.status == "open")
        return f"{plural(len(worth), 'figure')} · {still_open} open · " + plural(
            len(self.sources), "source"
        )


def plural(n: int, word: str) -> str:
    """``1 figure``, ``2 figures``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
