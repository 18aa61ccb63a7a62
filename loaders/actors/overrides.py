"""Overrides of the actor register: names a person decided are one organisation (merge), or
a written name that is an organisation of its own whatever its key (split)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.loaders.actors.claims import bundled_path


@dataclass(frozen=True)
class Merge:
    """An override: these names are one organisation."""

    names: tuple[str, ...]
    reason: str
    source: str


@dataclass(frozen=True)
class Split:
    """An override: this written name is an organisation of its own, whatever its key."""

    name: str
    reason: str
    source: str


@dataclass(frozen=True)
class Overrides:
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()

    @classmethod
    def load(cls, path: Path | str | None = None) -> Overrides:
        """The bundled overrides, or the TOML file at `path`."""
        file = Path(path) if path is not None else bundled_path("actor_overrides.toml")
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise InputError("no such file", str(file)) from err
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise InputError(f"not a valid TOML overrides file ({err})", str(file)) from err
        merges, splits = [], []
        for number, entry in enumerate(data.get("merge", []), start=1):
            names = entry.get("names") if isinstance(entry, dict) else None
            if not isinstance(names, list) or len(names) < 2 or not all(
                isinstance(n, str) and n.strip() for n in names
            ):
                raise InputError(f"[[merge]] number {number}: expected names = [two or more "
                                 "names]", str(file))
            merges.append(Merge(tuple(names), str(entry.get("reason", "")),
                                f"{file} [[merge]] {number}"))
        for number, entry in enumerate(data.get("split", []), start=1):
            name = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name.strip():
                raise InputError(f"[[split]] number {number}: expected name = \"...\"",
                                 str(file))
            splits.append(Split(name, str(entry.get("reason", "")),
                                f"{file} [[split]] {number}"))
        unknown = set(data) - {"merge", "split"}
        if unknown:
            raise InputError(f"unknown tables {sorted(unknown)}; expected [[merge]] and "
                             "[[split]]", str(file))
        return cls(tuple(merges), tuple(splits))

    def __add__(self, other: Overrides) -> Overrides:
        return Overrides(self.merges + other.merges, self.splits + other.splits)
