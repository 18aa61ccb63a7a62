"""The web explorer in a real browser: Debian's chromium driven by Playwright (its own
browser download is not reachable here). Without chromium these tests skip with one line;
in CI (CI=true) they fail instead. Screenshots of the three main pages go to
build/screenshots/ (or $GELDSTROOM_SCREENSHOTS)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_fixtures import cli_json

from geldstroom.cli.common import current_store
from geldstroom.dutch import format_euros
from geldstroom.web.app import create_app
from geldstroom.web.explorer import Explorer

CHROMIUM = os.environ.get("GELDSTROOM_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("GELDSTROOM_SCREENSHOTS")
                   or Path(__file__).resolve().parent.parent / "build" / "screenshots")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI runs the browser tests, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """The explorer on a free local port, served by uvicorn in a thread of this process."""
    import uvicorn

    explorer = Explorer(current_store(None))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    server = uvicorn.Server(uvicorn.Config(create_app(explorer), log_level="warning",
                                           lifespan="off"))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    explorer.close()
    listener.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, address: str):
    context = browser.new_context(base_url=address, viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def _shoot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def test_type_and_pick_a_suggestion_with_the_keyboard(page) -> None:
    from playwright.sync_api import expect  # late: without Playwright the tests skip

    page.goto("/")
    box = page.get_by_label("Search an organisation, ministry or budget line")
    box.press_sequentially("Stichting Centrum voor Arb", delay=20)
    first = page.locator("#suggestions [role=option]").first
    # Suggestions for an earlier keystroke may show first: wait for those of the whole text.
    expect(first).to_contain_text("Stichting Centrum voor Arbeidsverhoudingen Overheidspersoneel")
    assert box.get_attribute("aria-expanded") == "true"
    _shoot(page, "national", full_page=False)  # the suggestions open
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "suggestion-0"
    assert first.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url("**/recipient/caop")
    assert page.locator("h1").inner_text() == \
        "Stichting Centrum voor Arbeidsverhoudingen Overheidspersoneel"


def test_recipient_page_totals_equal_the_cli_summary(page) -> None:
    page.goto("/recipient/caop")
    expected = cli_json("summary", "Stichting CAOP")
    rows = page.locator("#rows-h ~ div table tbody tr")
    assert rows.count() == len(expected["recipients"])
    for row, record in zip(rows.all(), expected["recipients"], strict=True):
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == str(record["year"])
        assert cells[2] == format_euros(record["alone_euros"])
        assert cells[3] == format_euros(record["shared_euros"])
    stated = page.locator("#unplaced-h ~ div table tbody tr")
    assert [r.locator("td").nth(2).inner_text() for r in stated.all()] == \
        [format_euros(u["euros"]) for u in expected["unplaced"]]
    _shoot(page, "recipient")


def test_follow_an_amount_to_its_source(page) -> None:
    page.goto("/recipient/caop")
    # The row is cited twice (received per year, and stated on no known line): the first.
    page.get_by_role("link", name="subsidiesministeries2015.csv:107").first.click()
    page.wait_for_url(re.compile(r"/source/subsidiesministeries2015\.csv\?line=107$"))
    cited = page.locator("tr.cited")
    assert cited.locator("th").inner_text() == "107"
    assert "Stichting CAOP" in cited.inner_text()


def test_payer_page_with_its_sankey(page) -> None:
    from playwright.sync_api import expect  # late: without Playwright the tests skip

    page.goto("/payer/minister-bzk?year=2024")
    assert page.locator("h1").inner_text() == \
        "Minister van Binnenlandse Zaken en Koninkrijksrelaties"
    row = page.locator("#totals-h ~ div table tbody tr", has_text="2024")
    assert row.locator("td").last.inner_text() == "ok"
    sankey = page.locator("figure.sankey svg")
    expect(sankey).to_be_visible()
    box = sankey.bounding_box()
    assert box is not None and 600 < box["width"] <= 1100  # scaled to the column
    # The bands out of the minister carry their exact euros: together BZK artikel 7's
    # Uitgaven in the Begroting 2024, the same 86 189 000 the check above says "ok" to.
    out = page.evaluate("""() => [...document.querySelectorAll(
        'figure.sankey g.flow[data-source="m:minister-bzk"]')].map((g) => +g.dataset.euros)""")
    assert sum(out) == 86_189_000
    # SAIP's line, 001_1ef586f7da9213de.txt:1071, its 2024 column 5.638 (x € 1 000).
    band = page.locator('figure.sankey g.flow[data-target="r:saip"] > title')
    assert band.first.text_content() == ("Stichting Administratie Indonesische "
                                         "Pensioenen → SAIP: € 5.638.000")
    assert "SAIP: € 5,6 mln" in sankey.text_content()
    _shoot(page, "payer")
    page.locator("figure.sankey").screenshot(path=str(SCREENSHOTS / "payer-sankey.png"))
    # Fewer flows kept: the URL says so (shareable), the drawing folds the rest.
    page.get_by_label("largest flows kept").fill("5")
    page.get_by_role("button", name="Draw").click()
    page.wait_for_url(re.compile(r"/payer/minister-bzk\?year=2024&top=5$"))
    expect(page.locator("figure.sankey svg")).to_have_attribute(
        "aria-label", re.compile("grootste 5 stromen"))


def test_recipient_page_names_and_sources(page) -> None:
    """The section `actors explain` prints: one row per claim, each source a link to the
    cited line of the bundled file."""
    page.goto("/recipient/caop")
    claims = cli_json("actors", "explain", "caop", "--open-data", "--texts")["claims"]
    rows = page.locator("#names-h ~ div table.names tbody tr")
    assert rows.count() == len(claims)
    for row, claim in zip(rows.all(), claims, strict=True):
        cells = row.locator("td").all_inner_texts()
        assert cells[0].splitlines()[0] == claim["name"]
        assert cells[1].splitlines()[0] == claim["source"]
        assert cells[4] == claim["joined"]
    page.locator("section", has=page.locator("#names-h")).screenshot(
        path=str(SCREENSHOTS / "recipient-names.png"))
    page.get_by_role("link", name="geldstroom/data/actors.toml:23").click()
    page.wait_for_url(re.compile(r"/source/geldstroom%2Fdata%2Factors\.toml\?line=23$"))
    assert page.locator("tr.cited td").inner_text() == 'id = "caop"'


def test_run_a_cypher_example_and_download_its_csv(page) -> None:
    page.goto("/cypher")
    page.get_by_role("link", name="top_recipients").click()
    page.wait_for_url(re.compile(r"/cypher\?statement="))
    # The example fills in every parameter with its default; change two of them.
    params = page.get_by_label("Parameters (key=value, one a line)")
    given = dict(line.split("=", 1) for line in params.input_value().splitlines())
    params.fill("\n".join(f"{k}={v}" for k, v in {**given, "year": "2015",
                                                  "limit": "5"}.items()))
    page.get_by_role("button", name="Run").click()
    page.wait_for_url(re.compile(r"params=year"))
    assert page.locator("#res-h").inner_text() == "5 rows"
    first = page.locator("table.result tbody tr").first.locator("td").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    assert header.startswith("recipient,name,kind,total_euros")
    assert len(rows) == 5 and rows[0].startswith(first)


def test_readable_on_a_phone(browser, address: str) -> None:
    context = browser.new_context(base_url=address, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True)
    phone = context.new_page()
    for name, url in (("national", "/"), ("recipient", "/recipient/caop"),
                      ("payer", "/payer/minister-bzk?year=2024")):
        phone.goto(url)
        # The page itself never scrolls sideways: wide tables scroll in their own box.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, url
        _shoot(phone, f"phone-{name}", full_page=False)
    # The Sankey keeps labels one can read and scrolls in its own box, as the tables do.
    figure = phone.locator("figure.sankey")
    assert figure.bounding_box()["width"] <= 390
    assert figure.evaluate("(f) => f.scrollWidth > f.clientWidth")
    figure.scroll_into_view_if_needed()
    _shoot(phone, "phone-payer-sankey", full_page=False)
    phone.goto("/recipient/caop#names-h")
    _shoot(phone, "phone-recipient-names", full_page=False)
    context.close()


def test_ci_runs_the_readme_test_command() -> None:
    """CI installs chromium as a developer does: the README's test command is .ci/run's."""
    root = Path(__file__).resolve().parent.parent
    command = (root / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert "apt-get install -y -qq chromium" in command
    assert f"```sh\n{command}\n```" in (root / "README.md").read_text(encoding="utf-8")


_CONTRAST = """
() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const worst = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest("svg") || !el.getClientRects().length) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push(el.tagName + "." + el.className + " " + ratio.toFixed(2));
  }
  return worst;
}
"""


def test_text_contrast_and_labels(page) -> None:
    """Every piece of text reaches WCAG AA contrast (4.5:1) on its background, and every
    form field has a label a screen reader reads."""
    for url in ("/", "/recipient/caop", "/payer/minister-bzk?year=2024", "/cypher",
                "/recipient/Logus"):
        page.goto(url)
        assert page.evaluate(_CONTRAST) == [], url
        unlabelled = page.evaluate("""() => [...document.querySelectorAll(
            "input:not([type=hidden]), textarea, select")].filter(
            (f) => !f.labels.length && !f.getAttribute("aria-label")).map((f) => f.id)""")
        assert unlabelled == [], url
