"""Hostile input: property tests over the parsers, and junk sent to the running app.

Nothing may escape as an exception, spans must stay verbatim, nothing may hang, and the
app must answer junk with a 2xx or a 4xx (never a 500 that Slack would retry forever).
"""

from __future__ import annotations

import json
import os
import urllib.parse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import digest
from bot.errors import FetchError
from bot.ingest.fetch import address_refused, decode
from bot.ingest.urls import canonical
from bot.slack.blocks import LedgerView, digest_message, review_view
from bot.slack.markup import is_only_links, links, mentions, to_plain, without_mention
from tests.drive import CHANNEL, message_event
from tests.test_slack_app import SEED, settle, texts

# Text that looks a little like news and a little like Slack markup, plus anything at all.
NEWSY = st.text(
    alphabet=st.sampled_from(
        list("0123456789 ,.$%-–—/:;'\"()<>|&@#!?\n\t") + list("abcdefghijklmnop") + ["½", "€"]
    ),
    max_size=400,
)
ANY = st.text(max_size=400)
# A quick pass in every run; FUZZ_EXAMPLES=20000 pytest tests/test_hostile.py for a fuzz run.
QUICK = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@QUICK
@given(st.one_of(NEWSY, ANY))
def test_the_engine_never_raises_and_every_span_is_verbatim(text):
    result = digest(text)
    for f in result.figures:
        assert result.article.text[f.start : f.end] == f.text
    for c in result.claims:
        assert result.article.text[c.start : c.end] == c.text


@QUICK
@given(st.one_of(NEWSY, ANY))
def test_rendering_never_breaks_slacks_limits(text):
    result = digest(text)
    message = digest_message(result, share_key="k", ledger=LedgerView(digest_id="d"))
    assert len(message.blocks) <= 50
    assert len(json.dumps(message.blocks, ensure_ascii=False)) <= 12_000
    view = review_view(result, LedgerView(digest_id="d"))
    assert len(view["blocks"]) <= 100
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b["type"] == "section")


@QUICK
@given(st.one_of(NEWSY, ANY))
def test_the_markup_parser_never_raises(text):
    plain = to_plain(text)
    assert isinstance(plain, str)
    assert all(u.startswith(("http://", "https://")) for u in links(text))
    mentions(text)
    without_mention(text, "UBOT")
    is_only_links(text)


@QUICK
@given(st.one_of(st.from_regex(r"https?://[a-zA-Z0-9.\-\[\]:@]{0,30}[/?#&=%a-z0-9]{0,30}"), ANY))
def test_the_url_canonicaliser_answers_or_refuses_plainly(url):
    try:
        result = canonical(url)
    except FetchError as exc:
        assert exc.kind == "bad_url"
        return
    assert result.startswith(("http://", "https://"))
    assert "#" not in result and "@" not in result.split("/", 3)[2]
    assert canonical(result) == result  # canonical is a fixed point


@QUICK
@given(st.binary(max_size=2000), st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "x"])))
def test_decoding_any_bytes_gives_text(raw, declared):
    assert isinstance(decode(raw, declared), str)


@QUICK
@given(st.ip_addresses())
def test_the_address_guard_decides_every_address(address):
    assert address_refused(str(address)) in {True, False}


# -- junk at the running app ---------------------------------------------------------------


def test_junk_requests_get_a_2xx_or_4xx_never_a_5xx(bot, slack):
    form = "application/x-www-form-urlencoded"
    cases = [
        ("{}", "application/json"),
        ("[]", "application/json"),
        ('{"type": "event_callback"}', "application/json"),
        ('{"type": "event_callback", "event": null}', "application/json"),
        ('{"type": "event_callback", "event": {"type": 7}}', "application/json"),
        ('{"type": "what_is_this"}', "application/json"),
        ("\x00\x01\x02", "application/json"),
        ("payload=%7Bnot+json", form),
        ("payload=" + urllib.parse.quote('{"type": "block_actions"}'), form),
        ("payload=" + urllib.parse.quote('{"type": "view_submission", "view": 3}'), form),
        ("command=%2Fdigest", form),
        ("\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), "text/plain"),
    ]
    for body, content_type in cases:
        reply = bot.driver.post(body, content_type=content_type)
        assert 200 <= reply.status < 500, (body, reply.status, reply.body)
    # Other event types, unknown buttons, forms and commands are acknowledged.
    assert bot.driver.event({"type": "team_join", "user": {"id": "U1"}}).status == 200
    assert bot.driver.event({"type": "reaction_added", "user": "U1"}).status == 200
    other = bot.driver.command("x", response_url=slack.response_url())
    assert other.status == 200
    # The app still works.
    bot.driver.event(message_event(SEED))
    assert "*at least 115*" in texts(slack.wait_calls("chat.postMessage")[0].args["blocks"])


def test_an_oversized_body_is_refused_with_413(bot):
    reply = bot.driver.post("x" * (5 * 1024 * 1024), content_type="application/json")
    assert reply.status == 413


def test_a_one_megabyte_paste_gets_a_polite_answer(bot, slack):
    event = message_event("Officials said 12 people died. " * 34_000)  # about 1 MB
    assert bot.driver.event(event).status == 200
    reply = slack.wait_calls("chat.postMessage", timeout=10)[0]
    assert reply.args["thread_ts"] == event["ts"]
    assert "too long for me" in texts(reply.args["blocks"])


def test_unicode_junk_and_other_languages_are_calm(bot, slack):
    junk = "\u202e\u200b\ufeff" * 50 + "ﷺ" * 100 + "\U0001f4a9" * 100
    russian = (
        "Российские военные заявили, что 115 солдат уволены. " * 12
        + "\n\nПо данным министерства обороны, более 1000 человек обратились за помощью."
    )
    for text in (junk, russian):
        assert bot.driver.event(message_event(text)).status == 200
    settle()
    for call in slack.calls_to("chat.postMessage"):
        assert call.response.get("ok"), call.response
    assert bot.store.digest_for_message(CHANNEL, "nonexistent") is None


def test_junk_in_the_new_buttons_views_and_forms_is_answered_calmly(bot, slack, caplog):
    from tests.drive import (
        button_payload,
        view_button_payload,
        view_select_payload,
        view_submission,
    )

    url = slack.response_url()
    junk_view = {"id": "V1", "private_metadata": "{not json", "blocks": []}
    odd_page = {"id": "V2", "private_metadata": '{"digest": "x", "page": "x9"}', "blocks": []}
    payloads = [
        button_payload("review_figures", "no-such-digest", response_url=url),
        button_payload("open_figures_page", "[oops", response_url=url),
        button_payload("open_figures_page", '["pending:C1", "x"]', response_url=url),
        button_payload("review_page", "3", response_url=url),  # a page button off a modal
        view_button_payload("review_page", "-7", view=junk_view),
        view_select_payload("v|no-such:f1|zz", view=junk_view),
        view_select_payload("s1h", view=junk_view),
        view_button_payload("review_page", "99999999999", view=odd_page),
        view_submission(
            {"type": "modal", "callback_id": "confirm_change", "private_metadata": "[]"}, {}
        ),
        view_submission(
            {"type": "modal", "callback_id": "figure_verified", "private_metadata": "{}"},
            {"note": "ok"},
        ),
    ]
    for payload in payloads:
        reply = bot.driver.interactive(payload)
        assert 200 <= reply.status < 300, (payload, reply.status, reply.body)
    # A page button whose channel is not the one it was clicked in draws nothing.
    other = button_payload("open_figures_page", '["pending:COTHER", 1]', response_url=url)
    assert bot.driver.interactive(other).status == 200
    settle()
    assert not [r for r in caplog.records if "listener failed" in r.getMessage()]
    answers = [c.args.get("text") for c in slack.calls_to("response_url")]
    assert answers == ["I no longer have that digest."]  # and no list of figures drawn
    assert bot.store.audit() == []
