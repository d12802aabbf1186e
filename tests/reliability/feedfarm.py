"""A farm of simulated RSS feeds on one local server, for the poll's fan-out load test: each
feed answers after its own latency (0.2-3 s, scaled), some hang past the poll's timeout, some
answer 5xx once an interval; every request is recorded with when it started and ended."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TIMEOUT_SECONDS = 5.0  # the feeds' timeout in the sources file (before scaling): 3 s answers fit
MIN_INTERVAL_SECONDS = 1.0  # the feeds' pacing (before scaling): a retry waits this long


@dataclass(frozen=True)
class Feed:
    latency: float  # seconds before it answers
    hangs: bool  # answers only after the poll's timeout: every attempt times out
    flaky: bool  # answers 503 to the first request of each interval, then 200


@dataclass(frozen=True)
class Request:
    feed: int
    interval: str  # the simulated time it arrived in
    started: float
    ended: float
    status: int


def make_feeds(count: int, scale: float, seed: int = 20) -> list[Feed]:
    """Feed 0 is the slowest that answers (3 s); every 50th hangs, every 20th is flaky."""
    rng = random.Random(seed)
    feeds = [Feed(round(rng.uniform(0.2, 3.0) * scale, 3), n % 50 == 49, n % 20 == 7)
             for n in range(count)]  # fmt: skip
    feeds[0] = Feed(3.0 * scale, False, False)
    return feeds


def sources_text(base: str, count: int, scale: float) -> str:
    """A sources file of `count` RSS feeds on the farm."""
    return "".join(
        f'[[sources]]\nname = "feed-{n}"\nkind = "rss"\nurl = "{base}/feed/{n}.xml"\n'
        f"timeout_seconds = {TIMEOUT_SECONDS * scale}\nmax_retries = 1\n"
        f"min_interval_seconds = {MIN_INTERVAL_SECONDS * scale}\n\n"
        for n in range(count)
    )


class FeedFarm:
    def __init__(self, feeds: list[Feed], clock: Callable[[], datetime], scale: float) -> None:
        self.feeds, self.clock, self.scale = feeds, clock, scale
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._idle = threading.Condition(self._lock)
        farm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def do_GET(self) -> None:
                farm.answer(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        started, now = time.monotonic(), self.clock()
        n = int(handler.path.removeprefix("/feed/").removesuffix(".xml"))
        feed, interval = self.feeds[n], now.isoformat()
        with self._lock:
            first = not any(r.feed == n and r.interval == interval for r in self.requests[-5000:])
            self._in_flight += 1
        status = 503 if feed.flaky and first else 200
        delay = TIMEOUT_SECONDS * self.scale + 0.5 * self.scale if feed.hangs else feed.latency
        time.sleep(delay)
        # A hanging answer ends, for the poll, when its client gave up.
        ended = min(time.monotonic(), started + TIMEOUT_SECONDS * self.scale)
        with self._lock:
            self.requests.append(Request(n, interval, started, ended, status))
            self._in_flight -= 1
            self._idle.notify_all()
        body = _rss(n, now).encode() if status == 200 else b"busy"
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the poll timed out and closed the connection

    def close(self) -> None:
        """Once every request is answered (a hanging feed's outlives its client) and recorded."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=30)
        self._server.shutdown()
        self._server.server_close()


def _rss(n: int, now: datetime) -> str:
    link = f"https://feed{n}.example/{now:%Y%m%d%H%M}"
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
        f"<link>https://feed{n}.example/</link><description>d</description><item>"
        f"<title>Local football club {n} wins its league match</title><link>{link}</link>"
        f"<pubDate>{format_datetime(now)}</pubDate></item></channel></rss>"
    )
