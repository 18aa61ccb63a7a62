"""A synthetic Financiële instrumenten file in the published format, at full scale.

The shape of 2016-2024 (issue 17): 700 000 rows by default, about 450 000 distinct recipient
names as written (organisations written in one to three spellings: upper case, "B.V." or
"BV", a stray comma), 20 hoofdstukken, years 2016-2024 (the plain article number before
2021, the dotted code from 2021), a third of the rows anonymised ("X" before 2019,
"Geanonimiseerde ontvanger(s) van <instrument>" from 2019), KvK number, legal form and place
on most named rows from 2020, a few negative amounts. Seeded: the same arguments write the
same file. The names are made up from syllables; no real organisation is meant.

    python bench/fi_synthetic.py OUT.csv [--rows 700000] [--seed 17]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

HEADER = ["Begrotingsjaar", "Begrotingshoofdstuk", "Begrotingsnaam", "RIS_IBOS_nummer",
          "Artikel", "Artikelonderdeel", "Instrument", "Detail", "Regeling", "Ontvanger",
          "Bedrag", "KvK_nummer", "Rechtsvorm", "ID_nummer", "Register_ID_nummer", "Plaats"]
# (code, begroting name, number in the dotted code): hoofdstukken payers.toml lists.
HOOFDSTUKKEN = [
    ("III", "Algemene Zaken", 3), ("IV", "Koninkrijksrelaties", 4),
    ("V", "Buitenlandse Zaken", 5), ("VI", "Justitie en Veiligheid", 6),
    ("VII", "Binnenlandse Zaken en Koninkrijksrelaties", 7),
    ("VIII", "Onderwijs, Cultuur en Wetenschap", 8), ("IXB", "Financiën", 9),
    ("X", "Defensie", 10), ("XII", "Infrastructuur en Waterstaat", 12),
    ("XIII", "Economische Zaken en Klimaat", 13), ("XIV", "Landbouw, Natuur en Voedselkwaliteit",
                                                   14),
    ("XV", "Sociale Zaken en Werkgelegenheid", 15),
    ("XVI", "Volksgezondheid, Welzijn en Sport", 16),
    ("XVII", "Buitenlandse Handel en Ontwikkelingssamenwerking", 17),
    ("XVIII", "Wonen en Rijksdienst", 18), ("A", "Infrastructuurfonds", 50),
    ("B", "Gemeentefonds", 51), ("C", "Provinciefonds", 52), ("F", "Diergezondheidsfonds", 53),
    ("J", "Deltafonds", 54),
]
INSTRUMENTS = ["Subsidies", "Bijdrage aan medeoverheden", "Bijdrage aan ZBO's/RWT's",
               "Bijdrage aan (inter-)nationale organisaties", "Bekostiging", "Opdrachten",
               "Inkomensoverdrachten", "Leningen", "Garanties", "Bijdrage aan agentschappen"]
FORMS = [("Stichting", "Stichting", "prefix"), ("Vereniging", "Vereniging", "prefix"),
         ("B.V.", "Besloten vennootschap", "suffix"), ("N.V.", "Naamloze vennootschap",
                                                        "suffix"),
         ("Coöperatie", "Coöperatie", "prefix"), ("", "Eenmanszaak", "none")]
SYLLABLES = ("ber", "dam", "hof", "lin", "mar", "vel", "ster", "kan", "dor", "wijk", "ro",
             "ten", "sel", "gra", "mon", "tus", "pel", "nor", "zan", "kel", "vin", "lo", "bra",
             "der", "hem", "ijs", "val", "mer", "sto", "wen", "gel", "ar", "pi", "ka", "lu",
             "ne", "so", "ta", "ve", "zi")
WORDS = ("Zorg", "Onderwijs", "Cultuur", "Natuur", "Energie", "Water", "Wonen", "Sport",
         "Jeugd", "Kennis", "Techniek", "Haven", "Groen", "Erfgoed", "Innovatie", "Welzijn",
         "Mobiliteit", "Landbouw", "Media", "Veiligheid")
PLACES = ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen",
          "Tilburg", "Almere", "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem",
          "Enschede", "Amersfoort", "Zaanstad", "Zwolle", "Leiden", "Maastricht", "Delft")
GEMEENTEN = [f"Gemeente {p}" for p in PLACES] + [f"Provincie {p}" for p in (
    "Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
    "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg")]


class Organisation:
    __slots__ = ("form", "kvk", "legal", "name", "place", "spellings")

    def __init__(self, rng: random.Random, number: int) -> None:
        short, self.legal, where = FORMS[rng.randrange(len(FORMS))]
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        core = f"{rng.choice(WORDS)}{stem} {rng.choice(PLACES)}" if rng.random() < 0.5 \
            else f"{stem} {rng.choice(WORDS)}"
        # the number keeps two organisations from one name (the names are made up)
        core = f"{core} {number}"
        self.name = (f"{short} {core}" if where == "prefix" else
                     f"{core} {short}" if where == "suffix" else core)
        self.form = short
        self.place = rng.choice(PLACES)
        self.kvk = f"{10_000_000 + number * 7:08d}"
        self.spellings = [self.name]

    def add_spelling(self, rng: random.Random) -> str:
        options = [self.name.upper(), self.name.replace(".", "").replace("  ", " "),
                   f"{self.name},", self.name.replace(" ", "  ", 1)]
        written = rng.choice(options)
        if written not in self.spellings:
            self.spellings.append(written)
        return written


def write(out: Path, rows: int = 700_000, seed: int = 17) -> dict[str, int]:
    """Write the file; the counts of what it holds."""
    rng = random.Random(seed)
    anonymised = rows // 3
    named_rows = rows - anonymised
    # 450 000 written names at 700 000 rows: organisations with one to three spellings.
    wanted_names = round(named_rows * 450_000 / (700_000 - 700_000 // 3))
    organisations: list[Organisation] = []
    names = 0
    number = 0
    while names < wanted_names:
        number += 1
        org = Organisation(rng, number)
        organisations.append(org)
        names += 1
        while names < wanted_names and rng.random() < 0.2:
            before = len(org.spellings)
            org.add_spelling(rng)
            names += len(org.spellings) - before
    # Every spelling once, then the rest of the named rows to the gemeenten and provincies
    # and a few large recipients, as the real files pay them every year.
    written: list[tuple[str, Organisation | None]] = [
        (s, org) for org in organisations for s in org.spellings]
    large = organisations[: max(1, len(organisations) // 1000)]
    while len(written) < named_rows:
        if rng.random() < 0.5:
            written.append((rng.choice(GEMEENTEN), None))
        else:
            org = rng.choice(large)
            written.append((org.name, org))
    written = written[:named_rows]
    slots = [True] * named_rows + [False] * anonymised
    rng.shuffle(written)
    rng.shuffle(slots)
    lines = {}  # (hoofdstuk, artikel) -> regelingen
    negative = 0
    with out.open("w", encoding="utf-8", newline="") as stream:
        sink = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        sink.writerow(HEADER)
        names_at = iter(written)
        for index, is_named in enumerate(slots):
            year = 2016 + index * 9 // rows
            code, begroting, number_in_code = HOOFDSTUKKEN[rng.randrange(len(HOOFDSTUKKEN))]
            artikel = rng.randint(1, 12)
            instrument = INSTRUMENTS[rng.randrange(len(INSTRUMENTS))]
            regelingen = lines.setdefault((code, artikel), [
                f"Regeling {rng.choice(WORDS).lower()} {n}" for n in range(1, 9)])
            regeling = rng.choice(regelingen)
            onderdeel = f"Onderdeel {artikel}.{rng.randint(1, 4)}"
            article_cell = (str(artikel) if year < 2021 else
                            f"{year}.{number_in_code:02d}.{artikel:02d}.00.{rng.randint(1, 9):02d}"
                            f".{rng.randint(1, 40):02d}")
            amount = max(1, int(rng.lognormvariate(3.5, 2.0)))
            if rng.random() < 0.003:
                amount, negative = -amount, negative + 1
            kvk = legal = place = ""
            if is_named:
                recipient, org = next(names_at)
                if org is not None and year >= 2020 and rng.random() < 0.7:
                    kvk, legal, place = org.kvk, org.legal, org.place
            else:
                recipient = "X" if year < 2019 else (
                    f"Geanonimiseerde ontvanger(s) van {instrument.lower()}")
            sink.writerow([year, code, begroting, article_cell, f"Artikel {artikel}",
                           onderdeel, instrument, "", regeling, recipient, amount, kvk, legal,
                           "", "", place])
    return {"rows": rows, "anonymised": anonymised, "organisations": len(organisations),
            "written names": len({w for w, _ in written}), "negative": negative,
            "hoofdstukken": len(HOOFDSTUKKEN)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=700_000)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    counts = write(args.out, args.rows, args.seed)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
