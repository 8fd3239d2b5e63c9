"""A local web server of article pages and awkward ones, on 127.0.0.1 (port 0).

Serves the development corpus's raw pages (read from ../shared/corpus at run time, never
copied) under ``/corpus/<name>``, a small article of our own under ``/article``, and pages
that misbehave the ways real sites do: redirect chains, redirects to internal addresses,
slow answers, endless or compressed-bomb bodies, PDFs and images, other charsets, error
statuses and pages with no article.
"""

from __future__ import annotations

import gzip
import html
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "business-insider-russian-deserters.txt"

ARTICLE_TITLE = "City council approves $4.5 million flood defence plan"
ARTICLE_HTML = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{ARTICLE_TITLE} | Riverside Courier</title>
<meta property="og:site_name" content="Riverside Courier">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2026-11-20T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>{ARTICLE_TITLE}</h1>
<p>The Riverside city council voted 7 to 2 on Tuesday to spend $4.5 million on new flood
defences along the east bank, according to the council's published minutes.</p>
<p>About 1,200 homes flooded last winter, the fire department said, and insurers paid out
more than $30 million in claims, according to the regional insurance association.</p>
<p>"We cannot ask residents to go through that again," Mayor Ana Torres said. She said the
work would start in March and take roughly 18 months.</p>
<p>Opponents said the plan covered only one-third of the homes at risk. A council report
estimated that nearly 40% of the cost would be paid by a state grant.</p>
</article>
<footer>Copyright Riverside Courier</footer>
</body></html>
"""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A fetcher that gave up (a timeout, the size cap, a killed bot) hangs up mid-answer:
        # that is what several of these pages are for, not an error worth printing.
        pass


class PageServer:
    """The pages on 127.0.0.1:<free port>; counts requests per path."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.live = ARTICLE_HTML  # what /live serves: a page a test can change
        server = self

        class Handler(_Pages):
            pages = server

        self._http = _QuietServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


class _Pages(BaseHTTPRequestHandler):
    pages: PageServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        self.pages.hits[path] = self.pages.hits.get(path, 0) + 1
        parts = path.strip("/").split("/")
        route = parts[0]
        if route == "article":
            self._send(200, ARTICLE_HTML.encode(), "text/html; charset=utf-8")
        elif route == "live":  # an article whose page a test updates
            self._send(200, self.pages.live.encode(), "text/html; charset=utf-8")
        elif route == "corpus" and len(parts) == 2 and (CORPUS / f"{parts[1]}.html").is_file():
            self._send(200, (CORPUS / f"{parts[1]}.html").read_bytes(), "text/html")
        elif route == "redirect":  # /redirect/N: N more hops, then the article
            left = int(parts[1])
            target = "/article" if left <= 0 else f"/redirect/{left - 1}"
            self._send(302, b"", "text/html", Location=target)
        elif route == "redirect-to":  # /redirect-to/<quoted absolute URL>
            self._send(302, b"", "text/html", Location=urllib.parse.unquote(parts[1]))
        elif route == "slow":  # /slow: 3 s to answer; /slow/N: N seconds
            time.sleep(float(parts[1]) if len(parts) == 2 else 3)
            self._send(200, ARTICLE_HTML.encode(), "text/html")
        elif route == "drip":  # a byte every 0.2 s, never finishing in time
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        elif route == "endless":  # no Content-Length, a body without end
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"<p>" + b"word " * 2000 + b"</p>")
            except OSError:
                pass
        elif route == "bomb":  # 60 KB on the wire, 60 MB unpacked
            body = gzip.compress(b"<p>" + b"a" * 60_000_000 + b"</p>", compresslevel=9)
            self._send(200, body, "text/html", Content_Encoding="gzip")
        elif route == "gzip":
            body = gzip.compress(ARTICLE_HTML.encode())
            self._send(200, body, "text/html; charset=utf-8", Content_Encoding="gzip")
        elif route == "pdf":
            self._send(200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
        elif route == "image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        elif route == "latin1":
            page = ARTICLE_HTML.replace("Mayor Ana Torres", "Maire Anaïs Torrès")
            page = page.replace('<meta charset="utf-8">', "")
            self._send(200, page.encode("iso-8859-1"), "text/html; charset=iso-8859-1")
        elif route == "meta-charset":
            page = ARTICLE_HTML.replace("Mayor Ana Torres", "Maire Anaïs Torrès")
            page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
            self._send(200, page.encode("cp1252"), "text/html")
        elif route == "syndicated":  # the seed article as a syndicated page
            title, _, body = SEED.read_text().partition("\n")
            paragraphs = "".join(
                f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip()
            )
            page = (
                f"<html><head><title>{html.escape(title)}</title></head><body><article>"
                f"<h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
            )
            self._send(200, page.encode(), "text/html; charset=utf-8")
        elif route == "empty":
            page = "<html><head><title>Subscribe</title></head><body><p>Subscribe to read.</p>"
            self._send(200, page.encode(), "text/html")
        elif route == "paywall":
            self._send(403, b"<h1>Forbidden</h1>", "text/html")
        else:
            self._send(404, b"<h1>Not found</h1>", "text/html")
