"""Links: canonical URLs, the SSRF guard, fetching awkward pages, extraction, Slack end to end.

Pages come from tests/pages.py on 127.0.0.1, including the corpus's raw pages read from
../shared/corpus (skipped when absent).
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse

import pytest

from bot.errors import FetchError
from bot.eval import score_dirs
from bot.ingest import canonical, digest_link, read_link
from bot.ingest.fetch import GuardedTransport, Timeouts, address_refused, fetch
from bot.store import Store
from tests.drive import CHANNEL, message_event
from tests.pages import ARTICLE_TITLE, CORPUS, PageServer
from tests.test_slack_app import settle, texts


@pytest.fixture
def pages():
    with PageServer() as server:
        yield server


def loopback_only(address: str) -> bool:
    """The guard as in production, except that 127.0.0.1 (the page server) is reachable."""
    return address != "127.0.0.1" and address_refused(address)


def guarded(resolver=None) -> GuardedTransport:
    names = {"news.example": ["127.0.0.1"], "intranet.example": ["127.0.0.2"]}

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return names[host]
        return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]

    return GuardedTransport(refuse=loopback_only, resolver=resolver or resolve)


# -- URLs and the guard ---------------------------------------------------------------------


def test_canonical_urls_drop_tracking_and_fragments():
    assert (
        canonical("HTTPS://www.Example.com:443/story?id=7&utm_source=x&fbclid=y#comments")
        == "https://www.example.com/story?id=7"
    )
    assert canonical("http://example.com") == "http://example.com/"
    assert canonical("http://example.com:8080/a?b=1") == "http://example.com:8080/a?b=1"
    for bad in ("ftp://example.com/x", "https://user:pw@example.com/", "javascript:alert(1)"):
        with pytest.raises(FetchError) as refused:
            canonical(bad)
        assert refused.value.kind == "bad_url"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:1",
        "2002:7f00:1::",
    ],
)
def test_internal_addresses_are_refused(address):
    assert address_refused(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "151.101.1.69", "2606:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not address_refused(address)


def test_loopback_and_metadata_links_are_refused_before_connecting():
    for url in ("http://127.0.0.1:9/", "http://[::1]:9/", "http://169.254.169.254/latest/"):
        with pytest.raises(FetchError) as refused:
            fetch(url)
        assert refused.value.kind == "blocked"
        assert "private or internal" in str(refused.value)


def test_a_redirect_to_an_internal_address_is_refused_before_any_byte_is_sent(pages):
    # A listener on 127.0.0.2 stands in for an intranet service: it must never be reached.
    listener = socket.socket()
    listener.bind(("127.0.0.2", 0))
    listener.listen()
    listener.settimeout(0.5)
    internal = f"http://intranet.example:{listener.getsockname()[1]}/admin"
    url = pages.url("/redirect-to/" + urllib.parse.quote(internal, safe=""), host="news.example")
    try:
        with pytest.raises(FetchError) as refused:
            fetch(url, transport=guarded())
        assert refused.value.kind == "blocked"
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody connected
    finally:
        listener.close()
    assert pages.hits["/redirect-to/" + urllib.parse.quote(internal, safe="")] == 1


def test_a_name_resolving_to_any_internal_address_is_refused(pages):
    def rebinding(host: str, port: int) -> list[str]:
        return ["127.0.0.1", "10.0.0.7"]  # public-looking first, internal second

    with pytest.raises(FetchError) as refused:
        fetch(pages.url("/article", host="news.example"), transport=guarded(rebinding))
    assert refused.value.kind == "blocked"
    assert "/article" not in pages.hits


# -- fetching --------------------------------------------------------------------------------


def test_redirects_are_followed_up_to_five(pages):
    page = fetch(pages.url("/redirect/4"), transport=guarded())
    assert page.final_url.endswith("/article") and page.status == 200
    with pytest.raises(FetchError, match="redirects more than 5"):
        fetch(pages.url("/redirect/5"), transport=guarded())


@pytest.mark.parametrize(
    ("path", "kind", "words"),
    [
        ("/pdf", "not_html", "a PDF"),
        ("/image", "not_html", "an image"),
        ("/missing", "http_error", "404"),
        ("/paywall", "http_error", "paywall"),
        ("/endless", "too_large", "larger than"),
        ("/bomb", "too_large", "larger than"),
    ],
)
def test_pages_that_are_not_articles_are_refused_plainly(pages, path, kind, words):
    with pytest.raises(FetchError) as refused:
        fetch(pages.url(path), transport=guarded())
    assert refused.value.kind == kind
    assert words in str(refused.value)


def test_slow_and_dripping_sites_time_out(pages):
    began = time.monotonic()
    with pytest.raises(FetchError) as slow:
        fetch(pages.url("/slow"), transport=guarded(), timeouts=Timeouts(read=1, total=5))
    assert slow.value.kind == "timeout"
    with pytest.raises(FetchError) as drip:
        fetch(pages.url("/drip"), transport=guarded(), timeouts=Timeouts(read=2, total=1.5))
    assert drip.value.kind == "timeout"
    assert time.monotonic() - began < 6


@pytest.mark.parametrize("path", ["/latin1", "/meta-charset"])
def test_other_charsets_are_decoded(pages, path):
    page = fetch(pages.url(path), transport=guarded())
    assert "Maire Anaïs Torrès" in page.body


def test_compressed_pages_are_read(pages):
    assert ARTICLE_TITLE in fetch(pages.url("/gzip"), transport=guarded()).body


def test_a_page_without_an_article_says_so(pages):
    with pytest.raises(FetchError) as empty:
        read_link(pages.url("/empty"), allow_private=True)
    assert empty.value.kind == "no_article" and "paste the text" in str(empty.value)


# -- extraction -----------------------------------------------------------------------------


def test_our_article_page_digests_with_its_metadata(pages, tmp_path):
    store = Store(tmp_path / "cache.db")
    result = digest_link(pages.url("/article?utm_source=slack"), allow_private=True, cache=store)
    article = result.article
    assert article.title == ARTICLE_TITLE
    assert article.outlet == "Riverside Courier" and article.byline == "Jane Reporter"
    assert article.published and article.published.startswith("2026-11-20")
    assert article.url == pages.url("/article")  # canonical: tracking dropped
    shown = {f.text for f in result.figures if f.checkworthy}
    assert {"$4.5 million", "About 1,200", "more than $30 million", "nearly 40%"} <= shown
    for f in result.figures:
        assert article.text[f.start : f.end] == f.text
    # Read again within the hour: from the cache, no second request.
    digest_link(pages.url("/article"), allow_private=True, cache=store)
    assert pages.hits["/article"] == 1
    store.close()


def test_syndication_furniture_names_the_outlet_and_leaves_the_body(pages):
    result = digest_link(pages.url("/syndicated"), allow_private=True)
    assert result.article.outlet == "Business Insider"
    assert "Read the original article" not in result.article.text
    shown = {f.text for f in result.figures if f.checkworthy}
    assert {"at least 115", "more than 1,000", "upwards of 700", "one-third"} <= shown


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_extraction_quality_on_the_corpus():
    report = score_dirs([CORPUS])
    pages = report.extraction
    assert len(pages) == 10
    mean = sum(p.body_f1 for p in pages) / len(pages)
    assert mean >= 0.95, [(p.name, round(p.body_f1, 3)) for p in pages]
    assert sum(p.title_ok for p in pages) >= 9, [(p.title, p.expected_title) for p in pages]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_a_corpus_page_over_http_digests_like_its_text(pages):
    result = digest_link(pages.url("/corpus/03-bbc-new-york-mass-burials"), allow_private=True)
    assert result.article.title == "Coronavirus: New York ramps up mass burials amid outbreak"
    assert result.article.outlet == "BBC News"
    reference = (CORPUS / "03-bbc-new-york-mass-burials.txt").read_text()
    found = {f.text for f in result.figures if f.checkworthy}
    assert "nearly 162,000" in found and "nearly 162,000" in reference


# -- Slack end to end -------------------------------------------------------------------------


def test_a_pasted_link_gets_a_placeholder_edited_into_the_digest(make_bot, slack, pages):
    bot = make_bot(fetch_allow_private=True, nudge_after="1h")
    url = pages.url("/article")
    event = message_event(f"Worth checking: <{url}>")
    bot.driver.event(event)
    placeholder = slack.wait_calls("chat.postMessage")[0]
    assert placeholder.args["thread_ts"] == event["ts"]
    assert "Reading" in texts(placeholder.args["blocks"])
    edit = slack.wait_calls("chat.update")[0]
    assert edit.args["ts"] == placeholder.response["ts"]
    shown = texts(edit.args["blocks"])
    assert ARTICLE_TITLE in shown and "Riverside Courier" in shown and "*$4.5 million*" in shown
    record = slack.wait_for(
        lambda: (r := bot.store.digest_for_message(CHANNEL, event["ts"])) and r.message_ts and r
    )
    assert record.message_ts == placeholder.response["ts"] and record.via == "link"
    assert bot.store.nudge_plan(record.id) is not None

    # The same link again in this channel, the page unchanged: read again, and the
    # placeholder becomes a pointer to the first thread, not a second digest.
    bot.driver.event(message_event(f"<{url}?utm_campaign=x>"))
    again = slack.wait_calls("chat.postMessage", count=2)[1]
    assert "reading it again for changes" in texts(again.args["blocks"])
    pointer = slack.wait_calls("chat.update", count=2)[1]
    assert pointer.args["ts"] == again.response["ts"]
    assert "That link was digested" in texts(pointer.args["blocks"])
    assert "the page has not changed since" in texts(pointer.args["blocks"])
    assert pages.hits["/article"] == 2  # read afresh, not from the hour's cache
    settle()
    assert len(slack.calls_to("chat.postMessage")) == 2 and len(bot.store.search("flood")) == 1


def test_links_that_cannot_be_read_say_why_in_the_thread(make_bot, slack, pages):
    bot = make_bot(fetch_allow_private=True)
    links = [pages.url("/pdf"), pages.url("/missing"), pages.url("/empty"), pages.url("/gzip")]
    bot.driver.event(message_event(" ".join(f"<{u}>" for u in links)))
    edits = slack.wait_calls("chat.update", count=3, timeout=10)
    reasons = [texts(e.args["blocks"]) for e in edits]
    assert any("is a PDF, not a web page" in r for r in reasons)
    assert any("404" in r for r in reasons)
    assert any("no article text" in r for r in reasons)
    posts = slack.wait_calls("chat.postMessage", count=4)
    assert len(posts) == 4  # 3 placeholders (at most 3 links per message) and the answer:
    assert "I read the first 3 links; post the other 1 in a message of their own." in [
        texts(c.args["blocks"]).split(" ", 1)[1] for c in posts
    ]
    assert not any("Traceback" in r for r in reasons)


def test_a_link_to_an_internal_address_is_refused_in_the_thread(bot, slack):
    bot.driver.event(message_event("<http://169.254.169.254/latest/meta-data/>"))
    edit = slack.wait_calls("chat.update")[0]
    assert "private or internal address" in texts(edit.args["blocks"])


def test_slash_digest_of_a_link_is_private_with_share(make_bot, slack, pages):
    bot = make_bot(fetch_allow_private=True)
    reply = bot.driver.command(f"<{pages.url('/article')}>", response_url=slack.response_url("u"))
    assert reply.status == 200 and reply.elapsed < 3.0
    reading, result = slack.wait_calls("response_url", count=2, timeout=10)
    assert "Reading" in texts(reading.args["blocks"])
    assert result.args["replace_original"] is True
    assert "*$4.5 million*" in texts(result.args["blocks"])
    assert any(b["type"] == "actions" for b in result.args["blocks"])


def test_slash_digest_please_check_a_link_reads_the_link(make_bot, slack, pages):
    bot = make_bot(fetch_allow_private=True)
    bot.driver.command(
        f"please check <{pages.url('/article')}> before 5", response_url=slack.response_url("u")
    )
    _reading, result = slack.wait_calls("response_url", count=2, timeout=10)
    assert "*$4.5 million*" in texts(result.args["blocks"])


def test_the_cli_digests_a_url(pages, capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("NEWSROOM_BOT_FETCH_ALLOW_PRIVATE", "true")
    assert main(["digest", pages.url("/article"), "--json"]) == 0
    assert ARTICLE_TITLE in capsys.readouterr().out


def test_fetches_run_in_parallel_without_sharing_state(pages):
    results: list[str] = []

    def read() -> None:
        results.append(read_link(pages.url("/article"), allow_private=True).title or "")

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [ARTICLE_TITLE] * 4


def test_listed_domain_links_unfurl_once_for_composer_and_post(make_bot, slack, pages):
    bot = make_bot(fetch_allow_private=True)
    url = pages.url("/article")
    shared = {
        "type": "link_shared",
        "channel": "COMPOSER",
        "user": "UREPORTER",
        "message_ts": "1700000000.999",
        "unfurl_id": "C123456.1700000000.999.abc",
        "source": "composer",
        "links": [{"domain": "127.0.0.1", "url": url}],
    }
    bot.driver.event(shared)
    call = slack.wait_calls("chat.unfurl")[0]
    assert call.response["ok"] and call.args["unfurl_id"] == shared["unfurl_id"]
    line = texts(call.args["unfurls"][url]["blocks"])
    assert ARTICLE_TITLE in line and "figures · " in line and "sources: " in line
    # Posted: the same link and unfurl id again, no second unfurl.
    bot.driver.event({**shared, "channel": CHANNEL, "source": "conversations_history"})
    time.sleep(0.5)
    assert len(slack.calls_to("chat.unfurl")) == 1


def test_a_link_pasted_again_after_its_page_changed_is_digested_with_what_changed(
    make_bot, slack, pages
):
    from tests.pages import ARTICLE_HTML
    from tests.test_verification import choose, figure_line

    bot = make_bot(fetch_allow_private=True, nudge_after="1h")
    url = pages.url("/live")
    event = message_event(f"<{url}>")
    bot.driver.event(event)
    first = slack.wait_for(
        lambda: (r := bot.store.digest_for_message(CHANNEL, event["ts"])) and r.message_ts and r
    )
    digest_msg = next(m for m in slack.messages(CHANNEL) if m["ts"] == first.message_ts)
    choose(bot, slack, digest_msg, "About 1,200", "not_needed", user="UALICE")
    slack.wait_for(lambda: bot.store.figure(f"{first.id}:f2").status == "not_needed")
    # The page is updated: one figure revised, one sentence added, one removed.
    pages.live = (
        ARTICLE_HTML.replace("$4.5 million", "$4.8 million")
        .replace(
            "take roughly 18 months.</p>",
            "take roughly 18 months. Engineers said 14 pumps would be installed.</p>",
        )
        .replace(
            "A council report\nestimated that nearly 40% of the cost would be paid by a "
            "state grant.",
            "",
        )
    )
    again = message_event(f"<{url}>")
    bot.driver.event(again)
    second = slack.wait_for(
        lambda: (r := bot.store.digest_for_message(CHANNEL, again["ts"])) and r.message_ts and r
    )
    assert second.revises == first.id
    shown = next(m for m in slack.messages(CHANNEL) if m["ts"] == second.message_ts)
    lead = texts([b for b in shown["blocks"] if b.get("block_id") == "changes"])
    assert "Updated since the digest of <" in lead
    assert "changed *$4.5 million* → *$4.8 million*" in lead
    assert "new *14*" in lead and "gone ~nearly 40%~" in lead
    body = [b for b in shown["blocks"] if b.get("block_id") != "changes"]
    kept = figure_line(body, "About 1,200")
    assert kept.startswith(":heavy_minus_sign:") and "Not needed by <@UALICE>" in kept
    assert "carried over from" in kept
    revised = figure_line(body, "$4.8 million")
    assert revised.startswith(":large_yellow_circle:") and "earlier: *$4.5 million*" in revised
