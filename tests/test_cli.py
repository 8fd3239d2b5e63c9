"""The `newsroom-bot` command as a person runs it: real processes, real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot import Digest
from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "business-insider-russian-deserters.txt"


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_digest_renders_the_seed_for_a_person() -> None:
    out = _run("digest", str(SEED))
    assert out.returncode == 0, out.stderr
    assert "Hundreds of Russian soldiers have deserted" in out.stdout
    assert "Business Insider" in out.stdout
    assert "The Guardian" in out.stdout
    assert "at least 115" in out.stdout
    # The count line reads as the Slack digest's does: the figures worth checking.
    from bot import digest
    from bot.slack.blocks import digest_message

    result = digest(SEED.read_text())
    counts = result.count_line()
    assert counts == "7 figures · 7 open · 11 sources"
    assert counts in out.stdout
    assert f"*{counts}*" in str(digest_message(result).blocks)


def test_digest_json_is_the_contract_with_verbatim_spans() -> None:
    out = _run("digest", str(SEED), "--json")
    assert out.returncode == 0, out.stderr
    d = Digest.model_validate_json(out.stdout)
    assert d.schema_ == "newsroom-bot/digest@1"
    assert d.figures
    for f in d.figures:
        assert d.article.text[f.start : f.end] == f.text


def test_digest_reads_standard_input() -> None:
    out = _run("digest", "-", "--json", stdin=SEED.read_bytes())
    assert out.returncode == 0, out.stderr
    assert "at least 115" in out.stdout


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "blank.txt").write_bytes(b"  \n\t\n ")
    (tmp / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp / "nul.txt").write_bytes(b"Officials said\x00\x00 12 people died.")
    (tmp / "huge.txt").write_bytes(b"Officials said 12 people died. " * 40_000)
    (tmp / "latin.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)
    return {
        "missing": ([str(tmp / "nope.txt")], "no such file"),
        "folder": ([str(tmp)], "folder"),
        "empty": ([str(tmp / "empty.txt")], "empty"),
        "whitespace": ([str(tmp / "blank.txt")], "empty"),
        "png": ([str(tmp / "image.txt")], "PNG"),
        "nul": ([str(tmp / "nul.txt")], "binary"),
        "too large": ([str(tmp / "huge.txt")], "larger than"),
        "undecodable": ([str(tmp / "latin.txt")], "UTF-8"),
        "url": (["http://127.0.0.1:9/story"], "private or internal address"),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "folder", "empty", "whitespace", "png", "nul", "too large", "undecodable", "url"],
)
def test_bad_input_gets_one_plain_line_and_exit_2(case: str, tmp_path: Path, capsys) -> None:
    args, expected = _bad_inputs(tmp_path)[case]
    code = main(["digest", *args])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("newsroom-bot: ")
    assert expected in lines[0]
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_bad_input_as_a_process_has_no_traceback(tmp_path: Path) -> None:
    out = _run("digest", str(tmp_path / "missing.txt"))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "text",
    [
        "Заголовок\n\nВ Москве в среду задержали 15 человек, сообщили в полиции.",
        "标题\n\n北京市政府周三表示，已有三百人报名参加。",
    ],
)
def test_non_english_text_digests(text: str, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    out = _run("digest", str(path), "--json")
    assert out.returncode == 0, out.stderr
    d = Digest.model_validate_json(out.stdout)
    assert d.article.language in ("ru", "zh")


def test_title_url_and_outlet_options_pass_through(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Officials said 12 people died in the fire on Tuesday.", encoding="utf-8")
    code = main(
        [
            "digest",
            str(path),
            "--json",
            "--title",
            "Fire",
            "--url",
            "https://x.test/a",
            "--outlet",
            "Reuters",
        ]
    )
    assert code == 0
    d = Digest.model_validate_json(capsys.readouterr().out)
    assert (d.article.title, d.article.url, d.article.outlet) == (
        "Fire",
        "https://x.test/a",
        "Reuters",
    )


def test_eval_prints_totals_for_the_seed() -> None:
    out = _run("eval", "seeds")
    assert out.returncode == 0, out.stderr
    assert "TOTAL" in out.stdout
    assert "1 articles" in out.stdout


def test_eval_without_gold_files_is_a_plain_error(tmp_path: Path) -> None:
    out = _run("eval", str(tmp_path))
    assert out.returncode == 2
    assert "no NAME.txt" in out.stderr


def test_a_saved_web_page_is_digested_from_its_article(tmp_path: Path, capsys) -> None:
    body = SEED.read_text().split("\n", 1)[1].strip().split("\n\n")
    page = (
        "<!doctype html><html><head><title>Russian deserters | Business Insider</title>"
        '<meta property="og:site_name" content="Business Insider"></head><body>'
        '<nav><a href="/">Home</a> <a href="/tech">Tech</a> 24 comments</nav><article>'
        "<h1>Hundreds of Russian soldiers have deserted</h1>"
        + "".join(f"<p>{p}</p>" for p in body)
        + "</article><footer>© 2022 Insider Inc. 1,000 subscribers</footer></body></html>"
    )
    saved = tmp_path / "story.html"
    saved.write_text(page)
    assert main(["digest", str(saved), "--json"]) == 0
    result = Digest.model_validate_json(capsys.readouterr().out)
    assert result.article.title == "Hundreds of Russian soldiers have deserted"
    assert "<p>" not in result.article.text and "24 comments" not in result.article.text
    assert result.count_line().startswith("7 figures · 7 open")


def test_an_internal_link_refused_names_the_setting(capsys) -> None:
    assert main(["digest", "http://127.0.0.1:9/story"]) == 2
    err = capsys.readouterr().err
    assert "private or internal address" in err and "NEWSROOM_BOT_FETCH_ALLOW_PRIVATE" in err
