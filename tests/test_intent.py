"""What a person's text asks of the bot (the listeners' branches), tested directly."""

from __future__ import annotations

import pytest

from bot import digest
from bot.slack.intent import MAX_PASTE, command_intent, nothing_to_check, paste_intent
from tests.test_slack_app import SEED

URL = "https://www.example.com/news/2026/story"


@pytest.mark.parametrize("text", ["", "   ", "help", "HELP", "usage", "?"])
def test_bare_digest_and_help_show_usage(text):
    assert command_intent(text).kind == "usage"


@pytest.mark.parametrize(
    ("text", "name", "argument"),
    [
        ("pending", "pending", ""),
        ("Search  troops Ukraine ", "search", "troops Ukraine"),
        ("watch off", "watch", "off"),
        ("settings hours sat,sun 09:00-17:00", "settings", "hours sat,sun 09:00-17:00"),
    ],
)
def test_subcommands_with_their_argument(text, name, argument):
    intent = command_intent(text)
    assert (intent.kind, intent.name, intent.argument) == ("subcommand", name, argument)


def test_a_sentence_that_starts_like_a_subcommand_is_text_to_digest():
    text = "Search teams found 40 survivors on Tuesday, the coast guard said in a statement."
    intent = command_intent(text)
    assert intent.kind == "text" and intent.text.startswith("Search teams found 40")


@pytest.mark.parametrize("text", [f"<{URL}>", f"please check <{URL}>", f"<{URL}|the story>"])
def test_a_link_with_a_few_words_is_the_link(text):
    intent = command_intent(text)
    assert (intent.kind, intent.url) == ("link", URL)


def test_an_article_that_cites_a_link_is_digested_as_text():
    intent = command_intent(f"{SEED}\n\nFirst reported at <{URL}>")
    assert intent.kind == "text" and "Hundreds of Russian soldiers" in intent.text


def test_a_pasted_article_is_digested_and_chat_is_left_alone():
    assert paste_intent(SEED).kind == "article"
    chat = paste_intent("3 more edits, then lunch")
    assert chat.kind == "ignore" and chat.why


def test_a_paste_of_links_reads_them():
    intent = paste_intent(f"this one? <{URL}> and <https://example.org/b>")
    assert intent.kind == "links" and intent.urls == [URL, "https://example.org/b"]


def test_a_paste_too_long_to_read_says_how_long():
    intent = paste_intent("word " * (MAX_PASTE // 5 + 10))
    assert intent.kind == "too_long" and intent.size > MAX_PASTE


def test_the_shortcut_finds_nothing_to_check_in_chat_but_does_in_a_story():
    chat = "3 more edits, then lunch"
    assert nothing_to_check(chat, digest(chat))
    assert nothing_to_check("Lunch is at 1.", digest("Lunch is at 1."))
    # One sourced figure in a line is worth checking even without a story around it.
    line = "Police said 40 people were arrested."
    assert not nothing_to_check(line, digest(line))
    assert not nothing_to_check(SEED, digest(SEED))
