"""Slack markup to plain text, and the rule for what counts as a pasted article."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.paste import looks_like_article
from bot.slack.markup import is_only_links, links, mentions, to_plain, without_mention

SEED = Path(__file__).parent.parent / "seeds" / "business-insider-russian-deserters.txt"


def test_markup_reads_as_the_reader_sees_it():
    text = (
        "Read <https://ex.com/a?b=1&amp;c=2|this story> by <@U1|bob> in <#C9|desk>, "
        "<!here> <!subteam^S1|@editors> <!date^1392734382^{date}|Feb 18> &lt;b&gt; <@U2>"
    )
    assert to_plain(text) == (
        "Read this story by @bob in #desk, @here @editors Feb 18 &lt;b&gt; @U2"
    )
    assert links(text) == ["https://ex.com/a?b=1&c=2"]
    assert mentions(text) == ["U1", "U2"]


def test_links_are_deduplicated_and_only_http():
    text = "<mailto:a@b.org|mail> <https://x.org/1> <https://x.org/1|again> <http://y.org>"
    assert links(text) == ["https://x.org/1", "http://y.org"]
    assert is_only_links("<https://x.org/1>  <http://y.org|y>\n")
    assert not is_only_links("see <https://x.org/1>")
    assert not is_only_links("no links at all")


def test_mention_is_removed_before_digesting():
    assert without_mention("<@UBOT>: digest this please", "UBOT") == "digest this please"
    assert without_mention("hey <@UBOT|bot> look", "UBOT") == "hey look"


@given(st.text())
def test_markup_helpers_never_raise(text):
    plain = to_plain(text)
    assert isinstance(plain, str) and len(plain) <= len(text) + text.count("<") * 2
    links(text)
    mentions(text)


@pytest.mark.parametrize(
    "message",
    [
        "lunch at 1?",
        "3 more edits on the budget story, then it's ready for the 5 p.m. meeting",
        "Can someone check the 40% figure in graf 3? The mayor's office says 35%.",
        "",
        "   \n\n  ",
    ],
)
def test_small_talk_is_not_an_article(message):
    assert not looks_like_article(message).article


def test_the_seed_article_is_an_article():
    verdict = looks_like_article(SEED.read_text())
    assert verdict.article and verdict.words > 300


def test_a_short_wire_item_with_a_headline_is_an_article():
    item = (
        "Storm cuts power to 40,000 homes\n\n"
        "A storm cut power to about 40,000 homes across the county on Tuesday, the utility said. "
        "Crews expect to restore most customers by Thursday evening, a spokesperson told reporters."
    )
    assert looks_like_article(item).article
    # The same body without the headline line is too short to answer unasked.
    assert not looks_like_article(item.split("\n\n", 1)[1]).article
