#!/usr/bin/env python3
"""Serves the web chat page (web/) with the standard library only.

    python scripts/serve_web.py [--host 127.0.0.1] [--port 8080] [--rasa-url URL]

Why a separate small server instead of a route inside Rasa: the page is
static and must also be embeddable in other sites, so it is kept apart from
the bot like any other site that embeds the widget; Rasa stays a plain
`rasa run` and the page server needs nothing beyond Python.

* Only the page's own files are served (no node_modules, no package files).
* `GET /config.json` tells the widget where Rasa is: `--rasa-url` or
  `WEB_RASA_URL`; by default the host the page was opened with, on port
  `RASA_PORT` (5005), so `localhost` and `127.0.0.1` each stay consistent.
* Every response carries a Content-Security-Policy that allows scripts,
  styles and images from this server only, and connections to this server
  and Rasa: inline scripts and event-handler attributes never run.
* Methods other than GET/HEAD get 405; unknown paths 404.
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import os
import re
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
SERVED_SUFFIXES = {".html", ".js", ".css", ".svg", ".png", ".ico"}
HOST_PATTERN = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$")
URL_PATTERN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/-]*)?$")


def served_file(url_path: str) -> Optional[Path]:
    """The file under web/ for a URL path, or None if it is not one to serve."""
    path = urlsplit(url_path).path
    if path.endswith("/"):
        path += "index.html"
    relative = path.lstrip("/")
    if not relative or ".." in relative.split("/") or "\\" in relative:
        return None
    if relative.split("/")[0] in {"node_modules"} or relative.startswith("."):
        return None
    candidate = (WEB_DIR / relative).resolve()
    try:
        candidate.relative_to(WEB_DIR)
    except ValueError:
        return None
    if candidate.suffix not in SERVED_SUFFIXES or not candidate.is_file():
        return None
    return candidate


def rasa_url_for(host_header: Optional[str], configured: Optional[str], rasa_port: int) -> str:
    """Rasa's URL for the browser: the configured one, or the page's host on rasa_port."""
    if configured:
        return configured.rstrip("/")
    hostname = None
    if host_header and HOST_PATTERN.match(host_header):
        try:
            hostname = urlsplit("//" + host_header).hostname
        except ValueError:
            hostname = None
    hostname = hostname or "localhost"
    if ":" in hostname:
        hostname = f"[{hostname}]"
    return f"http://{hostname}:{rasa_port}"


def websocket_url(http_url: str) -> str:
    return "ws" + http_url[4:] if http_url.startswith("http") else http_url


class Handler(BaseHTTPRequestHandler):
    server_version = "konselor-web"
    sys_version = ""
    rasa_url: Optional[str] = None
    rasa_port: int = 5005
    quiet = False

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib name
        if not self.quiet:
            super().log_message(format, *args)

    def __getattr__(self, name: str):
        # Any other method (POST, PUT, FOO...) gets 405 instead of the stdlib's 501.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _method_not_allowed(self) -> None:
        self._send(405, b"Metode tidak didukung.\n", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})

    def do_HEAD(self) -> None:
        self._get(head=True)

    def do_GET(self) -> None:
        self._get(head=False)

    def _get(self, head: bool) -> None:
        rasa_url = rasa_url_for(self.headers.get("Host"), self.rasa_url, self.rasa_port)
        if urlsplit(self.path).path == "/config.json":
            body = json.dumps({"serverUrl": rasa_url}).encode()
            return self._send(200, body, "application/json", head=head, rasa_url=rasa_url)
        path = served_file(self.path)
        if path is None:
            return self._send(404, "Halaman tidak ditemukan.\n".encode(), "text/plain; charset=utf-8", head=head)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        self._send(200, path.read_bytes(), content_type, head=head, rasa_url=rasa_url)

    def _send(self, status: int, body: bytes, content_type: str, extra=None, head=False, rasa_url=None) -> None:
        rasa_url = rasa_url or rasa_url_for(self.headers.get("Host"), self.rasa_url, self.rasa_port)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {rasa_url} {websocket_url(rasa_url)}; "
            "object-src 'none'; base-uri 'none'; form-action 'none'",
        )
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def announce_when_ready(rasa_url: str, page_url: str, timeout: float = 600) -> None:
    """Prints once Rasa answers (make web starts it just before this server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(rasa_url + "/", timeout=2) as response:
                if response.status == 200:
                    print(f"Rasa is ready at {rasa_url}. Open {page_url} and start chatting.", flush=True)
                    return
        except OSError:
            pass
        time.sleep(1)
    print(f"Rasa has not answered at {rasa_url} for {timeout:.0f} s; see var/rasa-web.log.", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT") or 8080))
    parser.add_argument("--rasa-url", default=os.environ.get("WEB_RASA_URL") or None,
                        help="Rasa's URL as the browser reaches it (default: page host, port --rasa-port)")
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT") or 5005))
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.add_argument("--wait-for-rasa", action="store_true",
                        help="print a line once Rasa answers (used by `make web`)")
    args = parser.parse_args(argv)
    if args.rasa_url and not URL_PATTERN.match(args.rasa_url):
        parser.error(f"--rasa-url must look like http://host:port, not {args.rasa_url!r}")

    Handler.rasa_url, Handler.rasa_port, Handler.quiet = args.rasa_url, args.rasa_port, args.quiet
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    shown_host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
    page_url = f"http://{shown_host}:{args.port}"
    print(f"Web chat page: {page_url}  (Ctrl-C stops)", flush=True)
    if args.wait_for_rasa:
        rasa_url = args.rasa_url or f"http://127.0.0.1:{args.rasa_port}"
        threading.Thread(target=announce_when_ready, args=(rasa_url, page_url), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
