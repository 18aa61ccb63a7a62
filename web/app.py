"""The web explorer: server-rendered pages over the graph store, a JSON API beside them, and
a little plain JavaScript for suggestions. No asset comes from elsewhere: it works offline.

Pages and API render what web/explorer.py reads through the summary library; no request
writes anything (the store is open read-only, downloads are made in memory).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from geldstroom.cells import csv_bytes, join_list
from geldstroom.dutch import format_euros, format_euros_short
from geldstroom.errors import InputError, UnknownRecipient
from geldstroom.graph.same_money import SOURCES
from geldstroom.queries.named import named_queries, parse_param_options
from geldstroom.queries.ranking import RECIPIENT_KINDS
from geldstroom.web.explorer import SANKEY_TOP, Explorer, NotFound, Page

_HERE = Path(__file__).parent
_EVIDENCE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+)(?::\s?(?P<quote>.*))?$", re.DOTALL)
_MAX_TOP = 1000

YearParam = Annotated[int | None, Query(ge=1800, le=2200, description="Only this year.")]
FormatParam = Annotated[str, Query(pattern="^(json|csv)$", alias="format",
                                   description="json (default) or csv")]
SankeyTopParam = Annotated[int, Query(
    ge=1, le=500, description="The Sankey keeps this many largest flows; the rest folds into "
    "'overig' (diagram --top).")]
PayerParam = Annotated[list[str] | None, Query(
    max_length=200, description="summary --payer: a hoofdstuk (XVI), a short name (VWS), "
    "'VWS (XVI)' or a payer's id; repeat it or give a comma list.")]
SourceParam = Annotated[list[str] | None, Query(
    max_length=200, description="summary --source: subsidy, turnover, bijdrage, table, "
    "document, instrument (or the names in full); repeat it or give a comma list.")]
InstrumentParam = Annotated[str | None, Query(
    max_length=200, description="summary --instrument: lines whose instrument contains it.")]
KindParam = Annotated[list[str] | None, Query(
    alias="exclude_kind", max_length=200, description="summary --exclude-kind: leave out "
    "recipients of these kinds (agentschap, gemeente, ...).")]
ListParam = Annotated[str | None, Query(
    alias="list", description="One list of the page (its name, as in the JSON's keys): "
    "with format=csv, that list as CSV.")]


def create_app(explorer: Explorer) -> FastAPI:
    app = FastAPI(title="geldstroom explorer", docs_url=None, redoc_url=None,
                  description="Follow Dutch public money: the same records as the command "
                  "line's --format json, as JSON or CSV.")
    templates = Jinja2Templates(env=_environment())
    # for the macros too (an imported macro sees globals, not the page's context)
    templates.env.globals["name"] = explorer.name
    templates.env.globals["in_store"] = explorer.actors.__contains__
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.state.explorer = explorer

    def html(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        return templates.TemplateResponse(request, template, {
            "years": explorer.years, "name": explorer.name, **context}, status_code=status)

    def wants_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, err: NotFound) -> Response:
        if wants_api(request):
            return JSONResponse({"error": str(err), "closest": [
                {**s.to_json(), "url": _url(s.kind, s.id)} for s in err.closest]}, 404)
        return html(request, "error.html", 404, title="Not found", message=str(err),
                    closest=err.closest)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, err: InputError) -> Response:
        if isinstance(err, UnknownRecipient) and err.known:  # several fit: link each
            choices = [explorer.suggestion(known) for known in err.known[:30]]
            if wants_api(request):
                return JSONResponse({"error": " ".join(str(err).split()), "closest": [
                    {**c.to_json(), "url": _url(c.kind, c.id)} for c in choices]}, 400)
            return html(request, "error.html", 400, title="Which one?",
                        message=" ".join(str(err).split()), closest=choices)
        return _bad_request(request, str(err), html, wants_api(request))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, err: RequestValidationError) -> Response:
        return _bad_request(request, _one_line(err), html, wants_api(request))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        message = "no such page" if err.status_code == 404 else str(err.detail)
        if wants_api(request):
            return JSONResponse({"error": message}, err.status_code)
        return html(request, "error.html", err.status_code, title=message.capitalize(),
                    message=message, closest=[])

    # --- pages ------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, year: YearParam = None,
              top: Annotated[int, Query(ge=1, le=_MAX_TOP)] = 20, payer: PayerParam = None,
              source: SourceParam = None, instrument: InstrumentParam = None,
              exclude_kind: KindParam = None) -> Response:
        given = {"payer": payer or [], "source": source or [], "instrument": instrument,
                 "exclude_kind": exclude_kind or []}
        page = explorer.national(year, top, explorer.ranking_filters(**given))
        return html(request, "index.html", page=page, year=year, top=top, given=given,
                    sources=SOURCES, kinds=RECIPIENT_KINDS,
                    api=_with("/api/national", year=year, top=top, **given))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
        found = explorer.index.suggest(q, 50) if q.strip() else []
        exact = [s for s in found if s.matched.casefold() == q.strip().casefold()]
        organisations = [s for s in exact if s.kind != "line"]
        exact = organisations or exact  # 'Logius' is the agency before its budget lines
        if len(exact) == 1:  # the whole name typed: go there (what Enter means without JS)
            return RedirectResponse(_url(exact[0].kind, exact[0].id), 303)
        if q.strip() and not found:
            found = explorer.index.closest(q)
        return html(request, "search.html", q=q, found=found)

    @app.get("/recipient/{actor_id:path}", response_class=HTMLResponse,
             include_in_schema=False)
    def recipient_page(request: Request, actor_id: str, year: YearParam = None) -> Response:
        found = explorer.find_recipient(actor_id)
        if found != actor_id:  # a name or alias: the page lives at the actor's id
            return RedirectResponse(_with(_url("recipient", found), year=year), 307)
        page = explorer.recipient(found, year)
        return html(request, "recipient.html", page=page, actor=explorer.actors[found],
                    year=year, api=_with(f"/api/recipient/{quote(found, safe='')}", year=year),
                    chart=_chart(page.records["recipients"]),
                    received_chart=_received_chart(page.records.get("received")))

    # Before the payer page: its {payer_id:path} would take '.../sankey.svg' as an id.
    @app.get("/payer/{payer_id:path}/sankey.svg", summary="diagram --payer ID --year Y "
             "--top N -o x.svg", response_class=Response)
    def payer_sankey(payer_id: str, year: YearParam = None,
                     top: SankeyTopParam = SANKEY_TOP) -> Response:
        """The Sankey of one payer and year (default: its last), the file `diagram` writes,
        byte for byte; drawn by the first request for it, then kept in memory."""
        actor = explorer.find_payer(payer_id)
        sankey = explorer.payer(actor.id, year, top).extra["sankey"]
        if sankey is None:
            raise NotFound(f"Sankey of {year} for payer", actor.id, [])
        return Response(explorer.sankey_svg(sankey, actor.id, top),
                        media_type="image/svg+xml")

    @app.get("/payer/{payer_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def payer_page(request: Request, payer_id: str, year: YearParam = None,
                   top: SankeyTopParam = SANKEY_TOP) -> Response:
        actor = explorer.find_payer(payer_id)
        page = explorer.payer(actor.id, year, top)
        shown_top = top if top != SANKEY_TOP else None  # the default stays out of the URL
        return html(request, "payer.html", page=page, actor=actor, year=page.extra["year"],
                    top=shown_top,
                    sankey_url=_with(f"/payer/{quote(actor.id, safe='')}/sankey.svg",
                                     year=page.extra["year"], top=shown_top),
                    api=_with(f"/api/payer/{quote(actor.id, safe='')}",
                              year=page.extra["year"], top=shown_top))

    @app.get("/line/{line_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def line_page(request: Request, line_id: str) -> Response:
        line = explorer.find_line(line_id)
        page = explorer.line(line.id)
        return html(request, "line.html", page=page, line=line,
                    api=f"/api/line/{quote(line.id, safe='')}")

    @app.get("/source/{document:path}", response_class=HTMLResponse, include_in_schema=False)
    def source_page(request: Request, document: str,
                    line: Annotated[int, Query(ge=1)] = 1) -> Response:
        lines = explorer.source(document, line)
        return html(request, "source.html", document=document, line=line, lines=lines)

    @app.get("/cypher", response_class=HTMLResponse, include_in_schema=False)
    def cypher_page(request: Request,
                    statement: Annotated[str, Query(max_length=20_000)] = "",
                    params: Annotated[str, Query(max_length=5_000)] = "",
                    example: str | None = None) -> Response:
        examples = named_queries()
        if example is not None:
            if example not in examples:
                raise NotFound("named query", example, [])
            chosen = examples[example]
            lines = [f"{p.name}={_param_text(p.default)}" for p in chosen.parameters.values()]
            return RedirectResponse(_with("/cypher", statement=chosen.cypher.strip(),
                                          params="\n".join(lines) or None), 303)
        columns: list[str] = []
        records: list[dict[str, Any]] = []
        error = ""
        if statement.strip():
            try:
                columns, records = explorer.cypher(statement, _parameters(params.splitlines()))
            except InputError as err:
                error = " ".join(str(err).split())
        given = [p.strip() for p in params.splitlines() if p.strip()]
        return html(request, "cypher.html", 400 if error else 200, statement=statement,
                    params=params, examples=examples, columns=columns, records=records,
                    error=error, csv=_with("/api/cypher", statement=statement, param=given,
                                           format="csv") if statement.strip() else "")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> Response:
        return html(request, "docs.html", schema=app.openapi())

    # --- the JSON API -----------------------------------------------------------------

    @app.get("/api/search", summary="Suggestions for what was typed")
    async def api_search(q: Annotated[str, Query(max_length=200)],
                         limit: Annotated[int, Query(ge=1, le=50)] = 10) -> JSONResponse:
        """Organisations, payers and budget lines whose names contain the text (any case,
        accents and punctuation ignored), best first, each with its page's URL; when no
        name contains it, the names most like it (a typo: 'Logus')."""
        return JSONResponse([{**s.to_json(), "url": _url(s.kind, s.id)}
                             for s in explorer.index.closest(q, limit)])

    @app.get("/api/national", summary="summary [--year Y] [--top N] [--payer P] [--source S] "
             "[--instrument T] [--exclude-kind K] -f json")
    def api_national(year: YearParam = None, top: Annotated[int, Query(ge=1, le=_MAX_TOP)] = 20,
                     payer: PayerParam = None, source: SourceParam = None,
                     instrument: InstrumentParam = None, exclude_kind: KindParam = None,
                     list_name: ListParam = None, fmt: FormatParam = "json") -> Response:
        """Per payer and year the lines against the tables' Uitgaven, and the recipients
        ranked by total received, counted once, with summary --year's filters (lists:
        totals, top_recipients)."""
        filters = explorer.ranking_filters(payer or [], source or [], instrument,
                                           exclude_kind or [])
        return _download(explorer.national(year, top, filters), list_name, fmt, "national")

    @app.get("/api/recipient/{actor_id:path}", summary="summary NAME [--year Y] -f json")
    def api_recipient(actor_id: str, year: YearParam = None, list_name: ListParam = None,
                      fmt: FormatParam = "json") -> Response:
        """One recipient by id, name or alias: its rows per year and instrument and what is
        stated for it on no known line (lists: recipients, unplaced, flows)."""
        found = explorer.find_recipient(actor_id)
        return _download(explorer.recipient(found, year), list_name, fmt, found)

    @app.get("/api/payer/{payer_id:path}", summary="One ministry or fund")
    def api_payer(payer_id: str, year: YearParam = None, top: SankeyTopParam = SANKEY_TOP,
                  list_name: ListParam = None, fmt: FormatParam = "json") -> Response:
        """Its lines against the tables' Uitgaven per year, and for one year (default: the
        last) its articles and flows, and the Sankey of that year, the data of `diagram
        --payer ID --year Y --top N` (lists: totals, articles, flows, sankey)."""
        actor = explorer.find_payer(payer_id)
        return _download(explorer.payer(actor.id, year, top), list_name, fmt, actor.id)

    @app.get("/api/line/{line_id:path}", summary="One budget line")
    def api_line(line_id: str, list_name: ListParam = None,
                 fmt: FormatParam = "json") -> Response:
        """Its figures per year and stage and whom it pays (lists: figures, pays)."""
        line = explorer.find_line(line_id)
        return _download(explorer.line(line.id), list_name, fmt, "line")

    @app.get("/api/query/{name}", summary="query NAME --param k=v -f json")
    def api_query(request: Request, name: str, fmt: FormatParam = "json") -> Response:
        """A named query (queries/*.cypher); every other query parameter is one of its
        parameters (`?year=2015&limit=10`)."""
        given = {k: v for k, v in request.query_params.multi_items() if k != "format"}
        columns, records = explorer.named_query(name, given)
        return _listing(columns, records, fmt, name)

    @app.get("/api/cypher", summary="cypher STATEMENT --param k=v -f json")
    def api_cypher(statement: Annotated[str, Query(max_length=20_000)],
                   param: Annotated[list[str] | None, Query()] = None,
                   fmt: FormatParam = "json") -> Response:
        """Your own read-only Cypher, with the `cypher` command's guards; `param` is
        key=value (repeatable), values read as JSON where they parse."""
        columns, records = explorer.cypher(statement, _parameters(param or []))
        return _listing(columns, records, fmt, "cypher")

    return app


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("geldstroom.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["euros"] = lambda v: format_euros(v) if isinstance(v, int) else ""
    env.filters["euros_short"] = lambda v: format_euros_short(v) if isinstance(v, int) else ""
    env.filters["path"] = lambda v: quote(str(v), safe="")
    env.filters["cell"] = _cell
    env.globals["url"] = _url
    env.globals["with_params"] = _with
    env.globals["evidence"] = _evidence
    return env


def _url(kind: str, id_: str) -> str:
    return f"/{kind}/{quote(id_, safe='')}"


def _with(path: str, **params: Any) -> str:
    """`path` with the given query parameters (None left out, lists repeated)."""
    pairs = [(k, v) for k, v in params.items() if v is not None and v != []]
    return f"{path}?{urlencode(pairs, doseq=True)}" if pairs else path


def _evidence(text: str) -> dict[str, Any]:
    """'file.csv:107: Stichting CAOP' -> its file, line and quote, to link to the source."""
    match = _EVIDENCE.match(text)
    if not match:
        return {"file": "", "line": 0, "quote": text}
    return {"file": match["file"], "line": int(match["line"]), "quote": match["quote"] or ""}


def _cell(value: Any) -> str:
    """One value as a CSV cell, as the CLI writes it: lists joined, booleans as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return join_list(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _param_text(value: Any) -> str:
    return "null" if value is None else value if isinstance(value, str) else json.dumps(value)


def _parameters(pairs: Sequence[str]) -> dict[str, Any]:
    """key=value lines (empty lines skipped), values as JSON where they parse: the
    `cypher` command's --param."""
    given = parse_param_options([p.strip() for p in pairs if p.strip()])
    values: dict[str, Any] = {}
    for key, text in given.items():
        try:
            values[key] = json.loads(text)
        except ValueError:
            values[key] = text
    return values


def _download(page: Page, list_name: str | None, fmt: str, stem: str) -> Response:
    if list_name is not None and list_name not in page.lists:
        raise InputError(f"list {list_name!r}: this answer's lists are "
                         f"{', '.join(page.lists)}")
    if fmt == "csv":
        if list_name is None:
            raise InputError(f"format=csv needs list=NAME, one of {', '.join(page.lists)}")
        columns, rows = page.lists[list_name]
        return _listing(columns, rows, fmt, f"{stem}-{list_name}")
    if list_name is not None:
        return JSONResponse(page.lists[list_name][1])
    return JSONResponse(page.records)


def _listing(columns: Sequence[str], rows: Sequence[dict[str, Any]], fmt: str,
             stem: str) -> Response:
    if fmt == "json":
        return JSONResponse(list(rows))
    body = csv_bytes(columns, ([_cell(row.get(c)) for c in columns] for row in rows))
    filename = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-") or "rows"
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}.csv"'})


def _bad_request(request: Request, message: str, html: Any, api: bool) -> Response:
    message = " ".join(message.split())
    if api:
        return JSONResponse({"error": message}, 400)
    return html(request, "error.html", 400, title="Bad request", message=message, closest=[])


def _one_line(err: RequestValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
    given = first.get("input")
    shown = f", got {given!r}" if given is not None and not isinstance(given, dict) else ""
    return f"{where}: {first.get('msg', 'not valid')}{shown}"


def _chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """An SVG bar chart of the recipient's rows: one bar per year and instrument (alone,
    solid; the whole amount of shared lines, hatched, beside it). Bars are drawn, never
    added up: the rows' own amounts, on one scale."""
    bars: list[dict[str, Any]] = []
    for row in rows:
        for part, euros in (("alone", row["alone_euros"]), ("shared", row["shared_euros"])):
            if euros:
                bars.append({"year": row["year"], "instrument": row["instrument"],
                             "part": part, "euros": euros})
    if not bars:
        return {"bars": [], "width": 0, "height": 0}
    biggest = max(abs(b["euros"]) for b in bars) or 1
    height, bar_width, gap = 160, 18, 14
    x = 10
    last_year = None
    for bar in bars:
        if last_year is not None and bar["year"] != last_year:
            x += gap
        bar["x"] = x
        bar["h"] = max(1, round(abs(bar["euros"]) / biggest * height))
        bar["y"] = 10 + height - bar["h"]
        bar["new_year"] = bar["year"] != last_year
        last_year = bar["year"]
        x += bar_width + 2
    return {"bars": bars, "width": x + 10, "height": height + 40, "bar_width": bar_width,
            "base": 10 + height}


def _received_chart(received: dict[str, Any] | None) -> dict[str, Any]:
    """One bar per year: the total received as the library counts it."""
    years = (received or {}).get("years") or []
    if not years:
        return {"bars": []}
    biggest = max(abs(y["total_euros"]) for y in years) or 1
    height, bar_width = 160, 34
    bars = [{"year": y["year"], "euros": y["total_euros"], "x": 10 + i * (bar_width + 8),
             "h": max(1, round(abs(y["total_euros"]) / biggest * height))}
            for i, y in enumerate(years)]
    for bar in bars:
        bar["y"] = 10 + height - bar["h"]
    return {"bars": bars, "width": 20 + len(bars) * (bar_width + 8), "height": height + 40,
            "bar_width": bar_width, "base": 10 + height}
