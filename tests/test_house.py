"""Library errors carry data and no command-line words; the command line words them. One
rule of what "shared" means."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.errors import (
    BadParameterText,
    MissingParameter,
    NoPassword,
    StoreError,
    UnknownKind,
    UnknownRecipient,
)
from geldstroom.graph.connection import Connection
from geldstroom.graph.neo4j_store import run_query
from geldstroom.graph.read_only import check_parameters
from geldstroom.graph.schema import share_count
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.actors.resolve import find_recipient
from geldstroom.loaders.documents.manifest import document_from_path
from geldstroom.queries.named import parse_param_options


def _no_cli_words(err: Exception) -> None:
    assert "--" not in str(err) and "geldstroom " not in str(err), str(err)


def test_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as missing:
        Store(tmp_path / "none.lbug")
    assert (missing.value.path, missing.value.problem) == (str(tmp_path / "none.lbug"),
                                                           StoreError.MISSING)
    _no_cli_words(missing.value)
    with pytest.raises(StoreError) as folder:
        load_store(None, tmp_path)  # type: ignore[arg-type]  # refused before the graph is read
    assert folder.value.problem == StoreError.FOLDER
    _no_cli_words(folder.value)
    # A missing store is built (tests/test_store_default.py); a missing folder is not made.
    missing_folder = tmp_path / "no-such-folder" / "none.lbug"
    result = CliRunner().invoke(app, ["query", "top_recipients", "--db", str(missing_folder)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"error: {missing_folder}: the folder for the database "
                                     "does not exist")


def test_document_kind_unknown(tmp_path: Path) -> None:
    text = tmp_path / "tekst.txt"
    text.write_text("Een tekst zonder tabel.\n", encoding="utf-8")
    with pytest.raises(UnknownKind) as caught:
        document_from_path(text)
    assert caught.value.file == str(text)
    _no_cli_words(caught.value)
    result = CliRunner().invoke(app, ["lines", "--file", str(text)])
    assert result.stderr.strip().endswith("; pass --kind and --document-year")


def test_neo4j_password() -> None:
    with pytest.raises(NoPassword) as caught:  # refused before any connection is tried
        run_query(Connection(password=""), "RETURN 1", {})
    _no_cli_words(caught.value)


def test_parameters() -> None:
    with pytest.raises(MissingParameter) as missing:
        check_parameters("MATCH (r:Actor {id: $who}) WHERE r.kind <> '$x' RETURN r", {})
    assert (missing.value.missing, missing.value.given) == (["who"], [])
    _no_cli_words(missing.value)
    with pytest.raises(BadParameterText) as bad:
        parse_param_options(["year"])
    assert bad.value.text == "year"
    _no_cli_words(bad.value)


def test_recipient_lookup_is_one_function() -> None:
    actors = [("ictu", "Stichting ICTU", ["ICTU"]), ("saip", "Stichting Administratie "
                                                     "Indonesische Pensioenen", ["SAIP"])]
    assert find_recipient("  stichting   ictu ", actors) == "ictu"
    assert find_recipient("SAIP", actors) == "saip"
    with pytest.raises(UnknownRecipient) as caught:
        find_recipient("CBS", actors)  # in the register, but not among these actors
    assert caught.value.known == ["ictu", "saip"]


def test_an_actor_id_wins_over_another_actors_alias() -> None:
    """The bundled store's two TNO actors: the register's TNO (id 'tno') and the subsidies
    file's 'Toegepast-Natuurwetenschappelijk Onderzoek', alias TNO, kept apart. The id
    tells which is meant; a name two actors carry, neither as its id, still fits several."""
    tno = [("toegepast-natuurwetenschappelijk-onderzoek",
            "Toegepast-Natuurwetenschappelijk Onderzoek", ["TNO"]),
           ("tno", "TNO", ["Nederlandse Organisatie voor Toegepast Natuurwetenschappelijk "
                           "Onderzoek"])]
    assert find_recipient("tno", tno) == "tno"
    assert find_recipient(" TNO ", tno) == "tno"  # ids compare as names do: case aside
    assert find_recipient("Toegepast-Natuurwetenschappelijk Onderzoek", tno) == \
        "toegepast-natuurwetenschappelijk-onderzoek"
    sbb = [("staatsbosbeheer", "Staatsbosbeheer", ["SBB"]),
           ("samenwerking-beroepsonderwijs-bedrijfsleven",
            "Stichting Samenwerking Beroepsonderwijs Bedrijfsleven", ["SBB", "Sbb"])]
    with pytest.raises(UnknownRecipient) as caught:
        find_recipient("SBB", sbb)
    assert caught.value.known == ["samenwerking-beroepsonderwijs-bedrijfsleven",
                                  "staatsbosbeheer"]
    assert find_recipient("staatsbosbeheer", sbb) == "staatsbosbeheer"


def test_what_shared_means() -> None:
    assert share_count(["vng"], False) == 1
    assert share_count(["ipo", "vng", "waterschapshuis"], False) == 3
    assert share_count(["vom"], True) == 2  # "o.a. aan de VOM": shared with others unnamed
    assert share_count([], False) == 1  # unattributed: one line, nobody named


def test_test_data_generators_are_not_in_the_package() -> None:
    import importlib.util

    assert importlib.util.find_spec("geldstroom.synthetic") is None
    assert importlib.util.find_spec("synthetic") is not None  # tests/ and bench/ use it
