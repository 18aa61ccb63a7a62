"""The records of the register and sources files that every answer reads: an actor (a payer
in payers.toml, an organisation in actors.toml) and an open-data source (sources.toml), on
the base every record shares. Apart from the record model (geldstroom.model, which
re-exports them) because the summary on the store needs the payers' names and the sources'
kinds at every answer, and the model's other pydantic classes take 0.02 s to build."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from geldstroom.kinds import ActorKind, OpenDataset, Origin


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(Record):
    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    part_of: str | None = None
    hoofdstuk: str | None = None  # for a payer: the begroting hoofdstuk it pays from
    ministry: str | None = None  # the parent ministry a register gives
    origin: Origin = Origin.CURATED
    note: str = ""
    # What a source says of the organisation, where it says it (Financiële instrumenten):
    # its KvK numbers (two: reported, ActorRegister.kvk_conflicts), legal form and place.
    kvk: tuple[str, ...] = ()
    legal_form: str | None = None
    place: str | None = None


class OpenSource(Record):
    """One published data file, as a sources manifest lists it."""

    dataset: OpenDataset
    path: str
    title: str
    publisher: str
    address: str
    unit: str
    licence: str
    copy_of: str = ""
    year: int | None = None  # the OWB year of a budgettaire tabellen file
