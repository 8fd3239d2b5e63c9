"""Fetching a pasted link, safely: the only network access besides Slack itself.

- http and https only, no credentials in URLs, at most 5 redirects (each hop re-checked);
- timeouts for connecting and for each read, and a deadline for the whole fetch;
- the body streamed and cut off at a size cap (counted after gzip/deflate, so a small
  compressed bomb cannot grow past it);
- an honest User-Agent naming the bot and where it lives;
- an SSRF guard: the host name is resolved and the connection is made to a checked
  address, on every hop. Loopback, private, link-local (169.254.169.254 included),
  multicast, reserved and unspecified addresses are refused, IPv6 and IPv4-mapped forms
  too, before any byte is sent. ``allow_private`` lifts the guard (tests, an intranet
  CMS). Proxies from the environment are ignored: they would bypass the guard.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

import httpcore
import httpx
from httpcore._backends.sync import SyncBackend, SyncStream
from pydantic import BaseModel

from bot import __version__
from bot.errors import FetchError
from bot.ingest.urls import canonical

USER_AGENT = (
    f"newsroom-bot/{__version__} (+https://github.com/newsroom-bot/newsroom-bot; "
    "reads links pasted in a newsroom's Slack)"
)
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)


class Timeouts(BaseModel):
    """Seconds: to connect, between two reads, and for the whole fetch."""

    connect: float = 5.0
    read: float = 10.0
    total: float = 20.0


class Fetched(BaseModel):
    """A page as read: where it ended up, what it is, and its text."""

    url: str  # canonical form of the link asked for
    final_url: str  # after redirects
    status: int
    content_type: str
    body: str
    size: int


class BlockedAddress(httpcore.ConnectError):
    """The host resolves to an address the guard refuses."""


def address_refused(address: str) -> bool:
    """Whether a connection to this IP address is refused (not a public unicast address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and address_refused(str(embedded)):
            return True
    return (
        not ip.is_global
        or ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, as the system resolver gives them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _GuardedBackend(SyncBackend):
    """Resolves the host itself and connects only to an address the guard allows."""

    def __init__(self, *, refuse: Callable[[str], bool], resolver: Resolver) -> None:
        self.refuse = refuse
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> SyncStream:
        try:
            addresses = self.resolver(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        refused = [a for a in addresses if self.refuse(a)]
        if refused:
            # Any refused address refuses the host: a name that resolves to both a public
            # and an internal address is how rebinding attacks start.
            raise BlockedAddress(f"{host} resolves to a blocked address ({refused[0]})")
        last: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, port), timeout)
            except OSError as exc:
                last = exc
                continue
            peer = sock.getpeername()[0]
            if self.refuse(peer):
                sock.close()
                raise BlockedAddress(f"connected to a blocked address ({peer})")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return SyncStream(sock)
        if isinstance(last, socket.timeout):
            raise httpcore.ConnectTimeout(f"connecting to {host} timed out")
        raise httpcore.ConnectError(f"cannot connect to {host}: {last}")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport, with every TCP connection made through the guard."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        refuse: Callable[[str], bool] | None = None,
        resolver: Resolver = resolve,
    ) -> None:
        super().__init__(trust_env=False, retries=0)
        if refuse is None:
            refuse = (lambda address: False) if allow_private else address_refused
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=0,
            network_backend=_GuardedBackend(refuse=refuse, resolver=resolver),
        )


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeouts: Timeouts | None = None,
    max_bytes: int = MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """Read the page at ``url``; raises FetchError saying plainly why it could not."""
    timeouts = timeouts or Timeouts()
    start_url = canonical(url)
    deadline = time.monotonic() + timeouts.total
    client = httpx.Client(
        transport=transport or GuardedTransport(allow_private=allow_private),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    current = url.strip()
    try:
        for _ in range(MAX_REDIRECTS + 1):
            canonical(current)  # every hop: http(s), no credentials
            with client.stream("GET", current) as response:
                if response.is_redirect and "location" in response.headers:
                    current = urljoin(str(response.url), response.headers["location"])
                    continue
                return _read(response, start_url, max_bytes, deadline)
        raise FetchError("http_error", f"the link redirects more than {MAX_REDIRECTS} times")
    except httpx.TimeoutException:
        raise FetchError("timeout", "the site took too long to answer") from None
    except httpx.ConnectError as exc:
        if isinstance(exc.__cause__, BlockedAddress):
            raise FetchError(
                "blocked", "that link points at a private or internal address, which I don't read"
            ) from None
        raise FetchError("unreachable", "I couldn't reach that site") from None
    except httpx.TooManyRedirects:
        raise FetchError("http_error", "the link redirects too many times") from None
    except httpx.HTTPError as exc:
        raise FetchError(
            "unreachable", f"the site's answer broke off ({type(exc).__name__})"
        ) from None
    finally:
        client.close()


def _read(response: httpx.Response, start_url: str, max_bytes: int, deadline: float) -> Fetched:
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        hint = " (a paywall or a login page?)" if response.status_code in {401, 402, 403} else ""
        raise FetchError("http_error", f"the site answered {response.status_code} {reason}{hint}")
    content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type and not content_type.startswith(_HTML_TYPES + _TEXT_TYPES):
        raise FetchError("not_html", f"that link is {_describe(content_type)}, not a web page")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError("too_large", f"that page is larger than {max_bytes // 1_000_000} MB")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", f"that page is larger than {max_bytes // 1_000_000} MB")
        if time.monotonic() > deadline:
            raise FetchError("timeout", "the site took too long to send the page")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not content_type:
        content_type = "text/html" if b"<html" in raw[:2048].lower() else "text/plain"
    if b"\x00" in raw[:4096]:
        raise FetchError("not_html", "that link is a binary file, not a web page")
    return Fetched(
        url=start_url,
        final_url=str(response.url),
        status=response.status_code,
        content_type=content_type,
        body=decode(raw, response.charset_encoding),
        size=size,
    )


def decode(raw: bytes, declared: str | None = None) -> str:
    """Bytes to text: the declared charset, else the page's <meta charset>, else UTF-8, else
    the best guess of charset_normalizer."""
    candidates = [declared]
    meta = _META_CHARSET.search(raw[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for charset in candidates:
        if not charset:
            continue
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return str(best) if best is not None else raw.decode("utf-8", "replace")


def _describe(content_type: str) -> str:
    kinds = {
        "application/pdf": "a PDF",
        "image/": "an image",
        "video/": "a video",
        "audio/": "an audio file",
        "application/json": "JSON data",
        "application/zip": "a zip file",
    }
    for prefix, words in kinds.items():
        if content_type.startswith(prefix):
            return words
    return f"a file of type {content_type}"
