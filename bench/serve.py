"""The web explorer as a browser meets it: `geldstroom serve` on the national store, timed
with a local HTTP client (one keep-alive connection, as a browser's fetch).

    python bench/serve.py [SUGGESTIONS] [PAGES]

Starts `geldstroom serve --port 0` on the default store (GELDSTROOM_DB or the cache; built
first when missing), then measures:
- start-up: from starting the process to its first answer, and the explorer's own part
  (opening the store and building the suggestion index);
- suggestions: SUGGESTIONS requests (default 500) to /api/search, each a keystroke while
  typing real names of the store letter by letter (aim: p95 < 30 ms; the peer's stated
  median is < 25 ms), against the server's floor in the same run (a static file);
- the warm-up: the server reads every flow, the register behind `actors explain` and draws
  each payer's Sankey in a thread after its first answer; the bench waits until the server
  is idle (its CPU time still for a second) and says when that was;
- recipient pages, HTML and JSON (aim: p95 < 150 ms; with the names and sources behind the
  actor) and payer pages (aim: p95 < 300 ms; the page embeds its Sankey by URL, drawn at
  warm-up for each payer's last year), PAGES requests each (default 100), over the top recipients
  and every payer; then payer pages of 2015, a year whose Sankey nobody drew yet, and
  apart from them their Sankey SVGs (the page embeds the drawing by URL), first drawn by the
  request, then kept; the first national request (it reads every flow once)
  is reported apart;
- the server's memory (VmRSS) after the warm-up and after all of it.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from urllib.parse import quote, urlencode


def _percentile(found: list[float], share: float) -> float:
    ordered = sorted(found)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(name: str, found: list[float], aim: float | None = None) -> str:
    p50, p95 = statistics.median(found) * 1000, _percentile(found, 0.95) * 1000
    verdict = "" if aim is None else (" ok" if p95 < aim else f" ABOVE the aim {aim:.0f} ms")
    return (f"{name}: {len(found)} requests, median {p50:.2f} ms, p95 {p95:.2f} ms, "
            f"max {max(found) * 1000:.1f} ms{verdict}")


class Client:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        return time.perf_counter() - started, response.status, body

    def timed(self, paths: list[str]) -> list[float]:
        out = []
        for path in paths:
            seconds, status, _ = self.get(path)
            assert status == 200, (path, status)
            out.append(seconds)
        return out


def _keystrokes(names: list[str], count: int) -> list[str]:
    """What typing the names sends: every prefix from two letters on, until `count`."""
    out: list[str] = []
    while len(out) < count:
        for name in names:
            for end in range(2, len(name) + 1):
                out.append(name[:end])
                if len(out) == count:
                    return out
    return out


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_idle(pid: int, limit: float = 300) -> None:
    """Until the process used under 0.05 s of CPU in a second (its warm-up thread done)."""
    deadline = time.monotonic() + limit
    before = _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = _cpu_seconds(pid)
        if now - before < 0.05:
            return
        before = now


def main(suggestions: int, pages: int) -> None:
    exe = shutil.which("geldstroom")
    if exe is None:
        sys.exit("install the package first: pip install -e .")
    subprocess.run([exe, "summary", "--top", "1", "-f", "json"], check=True,
                   capture_output=True)  # builds the store first when it is missing
    started = time.perf_counter()
    server = subprocess.Popen([exe, "serve", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "COLUMNS": "200"})
    try:
        line = server.stdout.readline()
        port = int(line.split()[3].rstrip("/").rsplit(":", 1)[1])
        client = Client(port)
        client.get("/static/style.css")
        up = time.perf_counter() - started
        print(f"start-up: {up:.2f} s from starting the process to its first answer; {line.strip()}")

        first, _, body = client.get("/api/national?top=50")
        national = json.loads(body)
        warm = client.get("/api/national?top=50")[0]
        top = [r["recipient"] for r in national["top_recipients"]]
        names = [*(r["name"] for r in national["top_recipients"][:30]),
                 "Stichting CAOP", "Logius", "Gemeentefonds", "Ministerie van Financien",
                 "Rijksdienst voor Ondernemend Nederland (RVO)",
                 "Vereniging van Nederlandse Gemeenten", "Overlegstelsel",
                 "Bijdrage aan agentschappen"]
        payers = sorted({t["payer"] for t in national["totals"]
                         if not t["payer"].startswith("hoofdstuk ")})
        print(f"national summary: first request {first * 1000:.0f} ms (reads every flow "
              f"once), again {warm * 1000:.1f} ms")
        _wait_idle(server.pid)
        print(f"warm-up done (server idle) {time.perf_counter() - started:.1f} s after "
              f"starting the process; memory then {_rss_mb(server.pid):.0f} MB (VmRSS)")
        client = Client(port)  # the server closes a connection idle for 5 s

        floor = client.timed(["/static/suggest.js"] * 200)
        print(_summary("floor: a static file", floor))
        typed = _keystrokes(names, suggestions)
        found = client.timed([f"/api/search?{urlencode({'q': q, 'limit': 10})}"
                              for q in typed])
        print(_summary("suggestions /api/search", found, 30))
        ratio = statistics.median(found) / statistics.median(floor)
        print(f"  ratio to the floor: median x{ratio:.1f}")

        refused = [r for r in top if client.get("/api/recipient/" + quote(r, safe=""))[1] != 200]
        if refused:  # the resolver finds several for the id (said on the page, with links)
            print(f"  of the top {len(top)}, refused by the resolver: {', '.join(refused)}")
        top = [r for r in top if r not in refused]
        recipients = (top * (pages // len(top) + 1))[:pages]
        for kind, prefix in (("HTML", "/recipient/"), ("JSON", "/api/recipient/")):
            print(_summary(f"recipient page {kind}",
                           client.timed([prefix + quote(r, safe="") for r in recipients]), 150))
        chosen = (payers * (pages // len(payers) + 1))[:pages]
        for kind, prefix in (("HTML", "/payer/"), ("JSON", "/api/payer/")):
            print(_summary(f"payer page {kind}",
                           client.timed([prefix + quote(p, safe="") for p in chosen]), 300))
        drawn_2015 = [p for p in payers if any(t["payer"] == p and t["year"] == 2015
                                               for t in national["totals"])]
        # The page embeds its Sankey by URL: the page's HTML never draws; the drawing is
        # timed apart, on its first request (drawn) and again (kept).
        print(_summary("payer page HTML, 2015 (a year whose Sankey nobody drew yet)",
                       client.timed([f"/payer/{quote(p, safe='')}?year=2015"
                                     for p in drawn_2015]), 300))
        print(_summary("  its Sankey SVG, first request (drawn by the request)",
                       client.timed([f"/payer/{quote(p, safe='')}/sankey.svg?year=2015"
                                     for p in drawn_2015])))
        print(_summary("  the same SVGs again (drawing kept)",
                       client.timed([f"/payer/{quote(p, safe='')}/sankey.svg?year=2015"
                                     for p in drawn_2015]), 300))
        print(f"server memory after all of it: {_rss_mb(server.pid):.0f} MB (VmRSS)")
    finally:
        server.send_signal(2)
        server.communicate(timeout=30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500,
         int(sys.argv[2]) if len(sys.argv) > 2 else 100)
