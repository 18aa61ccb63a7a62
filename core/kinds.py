"""What a document is, what an actor is, which dataset a row comes from. Apart from the
record model (geldstroom.model, which re-exports them) because the command line's options
and the summary on the store need them at start-up, and the model's pydantic classes take
longer to build than the whole start-up budget."""

from enum import StrEnum


class DocumentKind(StrEnum):
    BEGROTING = "begroting"
    JAARVERSLAG = "jaarverslag"


class ActorKind(StrEnum):
    """What an organisation is. A register's word wins over a curated guess."""

    MINISTER = "minister"  # pays from a ministry's hoofdstuk
    FUND = "fund"  # pays from a fund's hoofdstuk (Gemeentefonds, Deltafonds, ...)
    PAYER = "payer"  # pays from another hoofdstuk (De Koning, Staten-Generaal, ...)
    AGENTSCHAP = "agentschap"
    ZBO = "ZBO"
    RWT = "RWT"
    ZBO_RWT = "ZBO/RWT"  # in both registers
    STICHTING = "stichting"
    GEMEENTE = "gemeente"
    PROVINCIE = "provincie"
    WATERSCHAP = "waterschap"
    MEDEOVERHEID = "medeoverheid"  # a group of them: "de waterschappen"
    KOEPEL = "koepel"
    UNIVERSITEIT = "universiteit"
    INTERNATIONAL = "international"
    COMPANY = "company"
    FOUND_IN_TEXT = "found in text"  # named as a recipient by a document, in no register
    UNATTRIBUTED = "unattributed"  # the graph's node for money no source attributes
    UNKNOWN = "unknown"  # other


PAYER_KINDS = frozenset({ActorKind.MINISTER, ActorKind.FUND, ActorKind.PAYER})


class Origin(StrEnum):
    """Where an actor's names come from, strongest first."""

    CURATED = "curated"  # core/data/actors.toml, payers.toml, or a user's register
    REGISTER = "register"  # the ZBO/RWT registers, BZK's stichtingen list
    DATA = "data"  # a dataset's recipient column
    TEXT = "text"  # a document's payment sentence


class OpenDataset(StrEnum):
    """The published datasets geldstroom reads; see core/data/minfin/sources.toml."""

    BUDGETTAIRE_TABELLEN = "budgettaire tabellen"
    BEGROTINGSSTATEN = "begrotingsstaten"
    SUBSIDIES = "subsidies"
    MEDEOVERHEDEN = "bijdragen aan medeoverheden"
    AGENTSCHAPPEN = "agentschappen"
    REGISTER = "register"  # ZBO, RWT and stichtingen lists: kinds and parent ministries
    # Every payment through a financial instrument with its recipient, per year since 2016
    # (rijksfinancien.nl); not bundled: a user's manifest adds the files (bundled = true).
    FINANCIELE_INSTRUMENTEN = "financiele instrumenten"


# A payer the data does not name: agencies' turnover from "other ministries".
UNNAMED_MINISTRIES = "overige departementen (niet genoemd)"
