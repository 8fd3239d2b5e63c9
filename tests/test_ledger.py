"""The verification ledger in SQLite: statuses, the append-only log, search, nudge plans."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from bot import digest
from bot.errors import Conflict
from bot.store import Store, utcnow

SEED = (
    Path(__file__).parent.parent / "seeds" / "business-insider-russian-deserters.txt"
).read_text()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ledger.db")
    yield s
    s.close()


def posted(store: Store, channel: str = "C1", ts: str = "1.1", user: str = "UREP"):
    record = store.add_digest(digest(SEED), channel=channel, source_ts=ts, user_id=user)
    store.set_posted(record.id, channel=channel, message_ts="9." + ts, thread_ts=ts)
    return record


def key_of(store: Store, record, text: str) -> str:
    return next(f.key for f in store.figures(record.id) if f.text == text)


def test_a_posted_digest_puts_its_checkworthy_figures_in_the_ledger_as_open(store):
    record = posted(store)
    figures = store.figures(record.id)
    assert [f.text for f in figures][:3] == ["Hundreds", "May 9, 2021", "Hundred"]
    open_texts = [f.text for f in store.open_figures(channel="C1")]
    assert "at least 115" in open_texts and "May 9, 2021" not in open_texts
    assert store.status_counts(channel="C1") == {
        "open": 7,
        "verified": 0,
        "disputed": 0,
        "not_needed": 0,
    }
    # An unshared /digest is not in the ledger's lists.
    store.add_digest(digest(SEED), channel="C1", user_id="UREP", via="command")
    assert store.status_counts(channel="C1")["open"] == 7


def test_status_changes_are_logged_with_who_what_and_why(store):
    record = posted(store)
    key = key_of(store, record, "at least 115")
    change = store.change_status(
        key,
        "disputed",
        actor="UCHECK",
        note="Guardian says 115 exactly",
        correction="115",
        evidence_url="https://example.org/g",
    )
    assert (change.old_status, change.figure.status) == ("open", "disputed")
    assert change.figure.correction == "115" and change.figure.updated_by == "UCHECK"
    store.change_status(key, "reopened", actor="UEDITOR", note="misclick")
    log = store.audit(figure_key=key)
    assert [(e.actor, e.old_status, e.new_status) for e in log] == [
        ("UCHECK", "open", "disputed"),
        ("UEDITOR", "disputed", "open"),
    ]
    assert log[0].evidence_url == "https://example.org/g" and log[0].figure_text == "at least 115"


def test_a_change_on_an_outdated_view_never_overturns_someone_elses_status(store):
    record = posted(store)
    key = key_of(store, record, "more than 1,000")
    assert store.figure(key).version == 0
    store.change_status(key, "verified", actor="UALICE", note="called him", seen_version=0)
    assert store.figure(key).version == 1
    # Carol's view was drawn at version 0: her snooze would reopen Alice's verification.
    with pytest.raises(Conflict) as caught:
        store.change_status(key, "snoozed", actor="UCAROL", seen_version=0)
    assert (caught.value.current.updated_by, caught.value.current.status) == ("UALICE", "verified")
    assert caught.value.current.note == "called him" and caught.value.current.version == 1
    assert len(store.audit(figure_key=key)) == 1 and store.figure(key).status == "verified"
    # A menu that carried no version (-1) is as outdated as can be.
    with pytest.raises(Conflict):
        store.change_status(key, "reopened", actor="UCAROL", seen_version=-1)
    # Drawn after the change, or her own status, or no check asked (the CLI): applied.
    store.change_status(key, "reopened", actor="UALICE", seen_version=0)
    store.change_status(key, "not_needed", actor="UCAROL", seen_version=2)
    store.change_status(key, "verified", actor="UADMIN")
    assert [e.actor for e in store.audit(figure_key=key)] == [
        "UALICE",
        "UALICE",
        "UCAROL",
        "UADMIN",
    ]
    assert store.figure(key).version == 4


def test_an_open_figure_takes_any_change_whatever_the_view(store):
    record = posted(store)
    key = key_of(store, record, "one-third")
    store.change_status(key, "snoozed", actor="UBOB", snoozed_until=utcnow() + timedelta(hours=1))
    store.change_status(key, "verified", actor="UCAROL", seen_version=0)  # open: nothing undone
    assert store.figure(key).status == "verified"


def test_the_audit_log_cannot_be_edited_or_deleted(store):
    record = posted(store)
    store.change_status(key_of(store, record, "one-third"), "verified", actor="U1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit SET actor = 'UOTHER'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit")


def test_concurrent_changes_end_in_one_state_with_both_logged(store, tmp_path):
    record = posted(store)
    key = key_of(store, record, "more than 1,000")
    barrier = threading.Barrier(2)
    other = Store(tmp_path / "ledger.db")  # a second connection, as another process would

    def click(s: Store, action: str, actor: str) -> None:
        barrier.wait()
        s.change_status(key, action, actor=actor)

    threads = [
        threading.Thread(target=click, args=(store, "verified", "UA")),
        threading.Thread(target=click, args=(other, "disputed", "UB")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = store.audit(figure_key=key)
    assert sorted(e.actor for e in log) == ["UA", "UB"]
    assert log[0].old_status == "open" and log[1].old_status == log[0].new_status
    assert store.figure(key).status == log[1].new_status
    other.close()


def test_snoozed_figures_sleep_until_their_time(store):
    record = posted(store)
    key = key_of(store, record, "upwards of 700")
    now = utcnow()
    store.change_status(key, "snoozed", actor="U1", snoozed_until=now + timedelta(hours=1))
    awake = [f.text for f in store.open_figures(digest_id=record.id, awake_at=now)]
    assert "upwards of 700" not in awake
    later = [
        f.text for f in store.open_figures(digest_id=record.id, awake_at=now + timedelta(hours=2))
    ]
    assert "upwards of 700" in later


def test_search_finds_digests_by_article_words_and_figures(store):
    record = posted(store)
    assert [s.id for s in store.search("guardsmen")] == [record.id]
    assert [s.id for s in store.search("Benyash lawyer")] == [record.id]
    assert store.search("1,000")[0].open == 7
    assert store.search("penguins") == []
    assert store.search('" OR * NEAR(') == []  # user text never becomes FTS syntax


def test_nudge_plans_are_claimed_once(store):
    record = posted(store)
    due = utcnow()
    store.plan_nudges(record.id, due)
    store.plan_nudges(record.id, due + timedelta(days=9))  # a second call changes nothing
    assert store.nudge_plan(record.id).next_at is not None
    assert store.claim_nudge(record.id, sent=0, next_at=due + timedelta(hours=1))
    assert not store.claim_nudge(record.id, sent=0, next_at=None)  # a second runner
    assert store.nudge_plan(record.id).sent == 1


def test_nudges_due_together_are_found_per_channel_and_shared_messages_by_ts(store):
    now = utcnow()
    mine, soon, later, elsewhere, deleted, posting = (
        posted(store, channel=c, ts=t)
        for c, t in (
            ("C1", "1.1"),
            ("C1", "1.2"),
            ("C1", "1.3"),
            ("C2", "1.4"),
            ("C1", "1.5"),
            ("C1", "1.6"),
        )
    )
    for record, at in (
        (mine, 0),
        (soon, 30),
        (later, 7200),
        (elsewhere, 0),
        (deleted, 0),
        (posting, 0),
    ):
        store.plan_nudges(record.id, now + timedelta(seconds=at))
    store.mark_source_deleted(deleted.id)
    assert store.claim_nudge(posting.id, sent=0, next_at=None)  # being posted right now
    due = store.nudges_due_in("C1", by=now + timedelta(hours=1), besides=mine.id, limit=7)
    assert [p.digest_id for p in due] == [soon.id]
    for record in (mine, soon):
        store.claim_nudge(record.id, sent=0, next_at=None)
        store.nudge_posted(record.id, "5.5", grouped=True)
    store.nudge_posted(posting.id, "5.5")  # the same ts in its own thread is not shared
    assert store.grouped_nudge("C1", "5.5") == [mine.id, soon.id]
    assert store.grouped_nudge("C2", "5.5") == [] and store.nudge_plan(soon.id).grouped


def test_ledger_survives_reopening_the_file(tmp_path):
    path = tmp_path / "reopen.db"
    first = Store(path)
    record = posted(first)
    first.change_status(key_of(first, record, "a dozen"), "not_needed", actor="U1")
    first.set_watch("C1", False, actor="U1")
    first.close()
    again = Store(path)
    assert again.figure(f"{record.id}:f5").status == "not_needed"
    assert len(again.audit()) == 1 and not again.watching("C1") and again.watching("C2")
    again.close()


def test_ledger_cli_exports_the_record_as_csv_json_and_audit(tmp_path, capsys):
    import csv
    import io
    import json

    from bot.cli import main

    path = tmp_path / "desk.db"
    store = Store(path)
    record = posted(store, channel="CDESK")
    store.change_status(
        key_of(store, record, "at least 115"),
        "verified",
        actor="UCHECK",
        note="Guardian confirmed",
        evidence_url="https://example.org/e",
    )
    store.close()

    assert main(["ledger", "--db", str(path), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 7 and {r["channel"] for r in rows} == {"CDESK"}
    verified = next(r for r in rows if r["text"] == "at least 115")
    assert (verified["status"], verified["updated_by"], verified["note"]) == (
        "verified",
        "UCHECK",
        "Guardian confirmed",
    )
    assert main(["ledger", "--db", str(path), "--json", "--status", "open"]) == 0
    still_open = json.loads(capsys.readouterr().out)
    assert len(still_open) == 6 and all(r["status"] == "open" for r in still_open)
    assert main(["ledger", "--db", str(path), "--json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["ledger", "--db", str(path), "--audit", "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert [(e["actor"], e["old_status"], e["new_status"]) for e in log] == [
        ("UCHECK", "open", "verified")
    ]
    assert main(["ledger", "--db", str(path)]) == 0
    table = capsys.readouterr().out
    assert "Verification ledger: 7 rows" in table
    assert max(len(line) for line in table.splitlines()) <= 80  # reads at 80 columns
    assert main(["ledger", "--db", str(path), "--wide"]) == 0
    assert "evidence url" in capsys.readouterr().out
    # Every status a person sees is accepted, however it is written.
    store = Store(path)
    store.change_status(
        key_of(store, record, "one-third"),
        "snoozed",
        actor="UBOB",
        snoozed_until=utcnow() + timedelta(hours=1),
    )
    store.close()
    for status, count in (("snoozed", 1), ("not-needed", 0), ("Verified", 1), ("open", 5)):
        assert main(["ledger", "--db", str(path), "--json", "--status", status]) == 0
        assert len(json.loads(capsys.readouterr().out)) == count, status


def test_ledger_claimreview_is_json_ld_with_the_claimreview_fields(tmp_path, capsys):
    import json

    from rdflib import Graph, Literal, Namespace
    from rdflib.namespace import RDF

    from bot.cli import main

    path = tmp_path / "desk.db"
    store = Store(path)
    result = digest(SEED).model_copy(deep=True)
    result.article.url = "https://www.businessinsider.com/russian-deserters"
    result.article.outlet = "Business Insider"
    record = store.add_digest(result, channel="CDESK", source_ts="1.1", user_id="UREP")
    store.set_posted(record.id, channel="CDESK", message_ts="9.1", thread_ts="1.1")
    store.change_status(
        key_of(store, record, "at least 115"),
        "verified",
        actor="UCHECK",
        note="Guardian confirmed",
        evidence_url="https://example.org/e",
    )
    store.change_status(
        key_of(store, record, "a dozen"), "disputed", actor="UCHECK", correction="eleven"
    )
    store.close()
    assert main(["ledger", "--db", str(path), "--claimreview", "--desk", "The Desk"]) == 0
    reviews = json.loads(capsys.readouterr().out)
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        "Disputed: should be eleven",
        "Verified",
    ]
    # Valid JSON-LD: it parses into the schema.org statements (the context inlined, offline).
    schema = Namespace("https://schema.org/")
    graph = Graph().parse(
        data=json.dumps([{**r, "@context": {"@vocab": str(schema)}} for r in reviews]),
        format="json-ld",
    )
    found = list(graph.subjects(RDF.type, schema.ClaimReview))
    assert len(found) == 2
    verified = next(s for s in found if graph.value(s, schema.reviewBody) is not None)
    assert "115" in str(graph.value(verified, schema.claimReviewed))
    rating = graph.value(verified, schema.reviewRating)
    assert graph.value(rating, schema.ratingValue) == Literal(5)
    assert graph.value(rating, schema.bestRating) == Literal(5)
    author = graph.value(verified, schema.author)
    assert graph.value(author, schema.name) == Literal("The Desk")
    assert str(graph.value(verified, schema.datePublished)) == utcnow().date().isoformat()
    claim = graph.value(verified, schema.itemReviewed)
    assert graph.value(claim, RDF.type) == schema.Claim
    assert graph.value(graph.value(claim, schema.author), schema.name) == Literal("The Guardian")
    appearance = graph.value(claim, schema.appearance)
    assert str(graph.value(appearance, schema.url)) == (
        "https://www.businessinsider.com/russian-deserters"
    )
    publisher = graph.value(appearance, schema.publisher)
    assert graph.value(publisher, schema.name) == Literal("Business Insider")


def test_ledger_cli_refuses_a_missing_file_and_a_bad_date(tmp_path, capsys):
    from bot.cli import main

    assert main(["ledger", "--db", str(tmp_path / "none.db")]) == 2
    assert "no ledger at" in capsys.readouterr().err
    Store(tmp_path / "ok.db").close()
    assert main(["ledger", "--db", str(tmp_path / "ok.db"), "--since", "last tuesday"]) == 2
    assert "is not a date" in capsys.readouterr().err
