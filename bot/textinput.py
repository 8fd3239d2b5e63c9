"""Reading an article from a file, stdin or a paste, with plain answers for bad input."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import BinaryIO

from bot.errors import InputError

MAX_ARTICLE_BYTES = 1_000_000
"""Largest article accepted, in bytes of UTF-8 (about 150,000 words; a long read is ~60 KB)."""

_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "a media file"),
    (b"ID3", "an MP3 file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


def read_article(path: str, *, stdin: BinaryIO | None = None) -> str:
    """The text of the article at ``path`` ("-" for standard input), checked and decoded.

    Raises :class:`InputError` with a one-sentence reason for a missing file, a directory,
    empty or binary content, undecodable bytes, or more than :data:`MAX_ARTICLE_BYTES`.
    """
    if path == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(MAX_ARTICLE_BYTES + 1)
        where = "standard input"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path} is a folder, not an article file")
        try:
            with p.open("rb") as f:
                data = f.read(MAX_ARTICLE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
        where = path
    return check_text(decode(data, where=where), where=where)


def decode(data: bytes, *, where: str = "the input") -> str:
    """Decode article bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else clean cp1252."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{where} is larger than {MAX_ARTICLE_BYTES // 1_000_000} MB; "
            "paste the article itself, not a whole page or archive"
        )
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{where} looks like {what}, not article text")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{where} is not valid UTF-16 text") from exc
    if b"\x00" in data:
        raise InputError(f"{where} holds binary data (NUL bytes), not article text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where} is not UTF-8 text and its encoding cannot be told") from exc
    if _control_share(text) > 0.01:
        raise InputError(f"{where} is not UTF-8 text and looks binary")
    return text


def check_text(text: str, *, where: str = "the text") -> str:
    """Refuse text that cannot be an article: empty, whitespace only, binary, too large."""
    if not text.strip():
        raise InputError(f"{where} is empty; paste an article's text")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        raise InputError(f"{where} is larger than {MAX_ARTICLE_BYTES // 1_000_000} MB")
    if "\x00" in text or _control_share(text) > 0.05:
        raise InputError(f"{where} looks like binary data, not article text")
    return text


def _control_share(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / len(sample)
