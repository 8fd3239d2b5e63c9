"""Article links: which are readable, and their canonical form (the cache and dedup key)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.errors import FetchError

# Query parameters that only track who clicked where: dropped from the canonical URL.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl"
    r"|ocid|cmpid|smid|smtyp|ref_src|ref_url|taid|sr_share|share|s_cid|__twitter_impression)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical(url: str) -> str:
    """The URL without tracking parameters, fragment or default port, host in lower case.

    Raises FetchError (``bad_url``) for anything but http(s) without credentials.
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the port validates it
    except ValueError:
        raise FetchError("bad_url", "that link is malformed") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError("bad_url", "only http and https links can be read")
    if parts.username is not None or parts.password is not None:
        raise FetchError("bad_url", "links with a user name or password are not read")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError("bad_url", "that link has no host name")
    port = parts.port
    netloc = f"[{host}]" if ":" in host else host
    if port and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
