"""Seeded generator of bronze files shaped like real exporters write them, with their expected fate.

For the property tests (``tests/test_properties.py``): every file mixes, at random, the shapes that
point-of-sale systems and web shops produce - RFC 4180 quoting (line breaks, doubled quotes,
backslashes, commas inside quotes), blank lines before the header, CRLF, a BOM, tabs and Unicode
whitespace around values, Latin-1 bytes, bracketed / glob-like file names, a file without a
header, the largest valid amounts, corrections that move a transaction to another date and
re-sends of the same transaction in several files.

Each record carries what the input contract (notebooks/README.md) says must happen to it: its
rejection reason, or the cleaned values it must have in silver. Deduplication ("latest wins" in
landing order) is left to :func:`expected_outcome`, which plays the batches through in plain
Python - only the column names come from the pipeline.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from analytics_pipeline.schemas import CUSTOMERS, TRANSACTIONS

# The column names are the contract's; the expected outcomes below owe nothing to the pipeline.
TX_HEADER = TRANSACTIONS.columns
CU_HEADER = CUSTOMERS.columns
CATEGORIES = ("Electronics", "Home & Garden", "Toys", "Books")
STORES = ("Austin", "Zürich", "Malmö", "New York")
CITIES = ("Zürich", "Basel", "Köln", "Denver")
PRODUCTS = ('sku-12 "XL"', "SKU-9\\", "sku-7\nbundle", "p-1, blue", "P-2")
PAYMENTS = ("card", "CASH", "Wallet")
UNICODE_SPACE = ("\t", " ", "\u00a0", "\u2003", "\u3000", "\u200b")
LATIN1_SPACE = ("\t", " ", "\u00a0")
BIG = "9999999999999999.99"
# Rejections the generator produces, with a cell edit that causes each (one defect per record).
TX_DEFECTS = {
    "missing_transaction_id": ("transaction_id", "\t"),
    "missing_customer_id": ("customer_id", " \u00a0"),
    "invalid_transaction_date": ("transaction_date", ("2027-02-30", "1899-12-31", "3000-01-01")),
    "invalid_amount": ("amount", ("12345678901234567", "1,50", "12.345")),
    "non_positive_amount": ("amount", ("0.00", "-3.10")),
    "invalid_quantity": ("quantity", ("two", "1.5")),
    "non_positive_quantity": ("quantity", ("0",)),
    "missing_product_category": ("product_category", "\t \t"),
    "missing_store_location": ("store_location", ""),
}
FEATURES = ("bom", "crlf", "blank_lines", "latin1", "odd_name", "no_header")
EXTRA_FEATURES = ("bom", "crlf", "blank_lines", "odd_name")


@dataclass
class Record:
    text: str  # the CSV record, without its line terminator (quoted fields may hold line breaks)
    reason: str | None  # expected rejection reason before dedupe; None = valid
    key: str | None = None  # cleaned business key of a valid record
    values: tuple | None = None  # the cleaned values silver must hold for a valid record


@dataclass
class BronzeFile:
    dataset: str  # transactions | customers
    name: str
    day: int  # index of the run (ingestion day) that picks the file up
    landed: datetime
    features: tuple[str, ...]
    records: list[Record] = field(default_factory=list)

    def data(self) -> bytes:
        newline = "\r\n" if "crlf" in self.features else "\n"
        header = TX_HEADER if self.dataset == "transactions" else CU_HEADER
        lines = [r.text for r in self.records]
        if "no_header" not in self.features:
            lines.insert(0, ",".join(header))
        text = newline.join(lines) + newline
        if "blank_lines" in self.features:
            text = newline * 2 + text
        data = text.encode("latin-1" if "latin1" in self.features else "utf-8")
        return (b"\xef\xbb\xbf" if "bom" in self.features else b"") + data


def quote(value: str) -> str:
    """RFC 4180: quote a field holding a comma, quote or line break; double inner quotes."""
    if any(c in value for c in ',"\r\n') or value != value.strip(" "):
        return '"' + value.replace('"', '""') + '"'
    return value


class Generator:
    def __init__(self, seed: int, start: date = date(2027, 3, 1)):
        self.rng = random.Random(seed)
        self.start = start
        self.sent: list[tuple[str, tuple]] = []  # valid transactions sent so far: (id, values)
        self.next_id = 0

    # -- cells ---------------------------------------------------------------------------------
    def _pad(self, value: str, spaces: tuple[str, ...]) -> str:
        """``value`` with whitespace of any kind around it, sometimes."""
        if self.rng.random() < 0.3:
            value = self.rng.choice(spaces) + value
        if self.rng.random() < 0.3:
            value = value + self.rng.choice(spaces)
        return value

    def _name(self, canonical: str, spaces: tuple[str, ...]) -> str:
        text = self.rng.choice((canonical, canonical.lower(), canonical.upper()))
        if " " in text and self.rng.random() < 0.5:
            text = text.replace(" ", self.rng.choice(spaces))
        return self._pad(text, spaces)

    def _amount(self) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return BIG
        if roll < 0.15:
            return f"+{self.rng.randint(1, 500)}"
        return f"{self.rng.randint(1, 99999) / 100:.2f}"

    # -- transactions ----------------------------------------------------------------------------
    def transaction(self, day: int, spaces: tuple[str, ...]) -> tuple[list[str], tuple, str]:
        """(cells, cleaned values, key) of a valid transaction: new, a correction or a re-send."""
        roll = self.rng.random()
        if self.sent and roll < 0.15:  # re-send or correction of an earlier transaction
            key, old = self.rng.choice(self.sent)
            if self.rng.random() < 0.5:  # correction: swapped day/month, new amount
                d = old[2]
                moved = date(d.year, d.day, d.month) if d.day <= 12 and d.day != d.month else d
                values = (*old[:2], moved + timedelta(days=self.rng.randint(0, 1)), *old[3:])
                amount = self._amount()
                values = (*values[:6], Decimal(amount).quantize(Decimal("0.01")), *values[7:])
            else:
                values, amount = old, format(old[6], "f")
        else:
            key = f"T{self.next_id:05d}"
            self.next_id += 1
            amount = self._amount()
            values = (
                key,
                f"C{self.rng.randint(1, 12):03d}",
                self.start + timedelta(days=self.rng.randint(0, day + 2)),
                self.rng.choice(PRODUCTS).upper(),
                self.rng.choice(CATEGORIES),
                self.rng.randint(1, 5),
                Decimal(amount).quantize(Decimal("0.01")),
                self.rng.choice(STORES),
                self.rng.choice(PAYMENTS).lower(),
            )
        product = values[3] if self.rng.random() < 0.5 else values[3].lower()
        cells = [
            self._pad(values[0], spaces),
            self._pad(values[1], spaces),
            self._pad(values[2].isoformat(), spaces),
            product,
            self._name(values[4], spaces),
            self._pad(str(values[5]), spaces),
            self._pad(amount, spaces),
            self._name(values[7], spaces),
            self.rng.choice((values[8], values[8].upper())),
        ]
        return cells, values, key

    def transaction_record(self, day: int, latin1: bool) -> Record:
        spaces = LATIN1_SPACE if latin1 else UNICODE_SPACE
        cells, values, key = self.transaction(day, spaces)
        roll = self.rng.random()
        reason = None
        if roll < 0.05:
            cells.append("extra")  # one field too many
            reason = "malformed_row"
        elif roll < 0.30:
            reason = self.rng.choice(sorted(TX_DEFECTS))
            column, bad = TX_DEFECTS[reason]
            cells[TX_HEADER.index(column)] = bad if isinstance(bad, str) else self.rng.choice(bad)
        text = ",".join(quote(c) for c in cells)
        if reason is None:
            self.sent.append((key, values))
        return Record(text, reason, None if reason else key, None if reason else values)

    # -- customers -------------------------------------------------------------------------------
    def customer_record(self, latin1: bool) -> Record:
        spaces = LATIN1_SPACE if latin1 else UNICODE_SPACE
        key = f"C{self.rng.randint(1, 12):03d}"
        city = self.rng.choice(CITIES)
        signup = self.start - timedelta(days=self.rng.randint(1, 900))
        cells = [
            self._pad(key, spaces),
            "Ann",
            "Lee",
            f"{key.lower()}@example.com",
            self._name(city, spaces),
            signup.isoformat(),
        ]
        reason = None
        if self.rng.random() < 0.15:
            reason = self.rng.choice(("missing_customer_id", "invalid_signup_date"))
            cells[0 if reason == "missing_customer_id" else 5] = (
                "\t" if reason == "missing_customer_id" else "2026-02-30"
            )
        values = (key, "Ann", "Lee", f"{key.lower()}@example.com", city, signup)
        text = ",".join(quote(c) for c in cells)
        return Record(text, reason, None if reason else key, None if reason else values)

    # -- files ---------------------------------------------------------------------------------
    def files(self, days: int, files_per_day: int, records_per_file: int) -> list[BronzeFile]:
        """Transaction files (plus one customers file per day); every feature appears at least
        once (dealt round-robin after a shuffle), more are added at random."""
        deck = list(FEATURES)
        self.rng.shuffle(deck)
        out, odd_names = [], -1
        for day in range(days):
            landed = datetime(2027, 3, 2 + day, 1, 0, tzinfo=UTC) + timedelta(days=0)
            for i in range(files_per_day):
                features = {deck.pop()} if deck else set()
                # Latin-1 and "no header" spoil a whole file: once each; the rest at random.
                features |= {f for f in EXTRA_FEATURES if self.rng.random() < 0.3}
                name = f"pos_export_{day}_{i}.csv"
                if "odd_name" in features:
                    odd_names += 1
                    name = (
                        f"pos_export_{day}_{i} [resend].csv",
                        f"pos export {day}_{i} {{a,b}} *?.csv",
                        f"pos_export_{day}_{i} (Kopie) ü%20#1.csv",
                    )[odd_names % 3]
                f = BronzeFile(
                    "transactions",
                    name,
                    day,
                    landed + timedelta(minutes=i),
                    tuple(sorted(features)),
                )
                latin1 = "latin1" in features
                f.records = [self.transaction_record(day, latin1) for _ in range(records_per_file)]
                out.append(_apply_file_level_reasons(f))
            cu = BronzeFile(
                "customers",
                f"crm_{day}.csv",
                day,
                landed + timedelta(minutes=30),
                ("latin1",) if day % 2 else ("bom", "crlf"),
            )
            cu.records = [self.customer_record("latin1" in cu.features) for _ in range(8)]
            out.append(_apply_file_level_reasons(cu))
        return out


def _apply_file_level_reasons(f: BronzeFile) -> BronzeFile:
    """What the file as a whole does to its records: no header rejects all of them; Latin-1 bytes
    reject every record holding a non-ASCII character (after malformed, before the rest)."""
    for r in f.records:
        if "no_header" in f.features:
            r.reason, r.key, r.values = "unrecognized_header", None, None
        elif "latin1" in f.features and r.reason != "malformed_row" and not r.text.isascii():
            r.reason, r.key, r.values = "invalid_encoding", None, None
    return f


def generate(seed: int, days: int = 2, files_per_day: int = 4, records_per_file: int = 40):
    return Generator(seed).files(days, files_per_day, records_per_file)


# -- the expected outcome, in plain Python ---------------------------------------------------------
@dataclass
class Expected:
    silver: dict[str, dict[str, tuple]]  # dataset -> key -> values
    silver_file: dict[str, dict[str, str]]  # dataset -> key -> name of the file it came from
    per_file: dict[str, Counter]  # file name -> {"valid": n, reason: n}
    superseded: Counter  # file name -> rows removed from silver by a later version


def expected_outcome(files: list[BronzeFile]) -> Expected:
    """Play the runs (one per day) through: latest valid version wins in landing order; within a
    run the earlier versions are duplicates, across runs the older one is superseded."""
    exp = Expected(
        {"transactions": {}, "customers": {}}, {"transactions": {}, "customers": {}}, {}, Counter()
    )
    order: dict[tuple[str, str], tuple] = {}
    duplicate = {"transactions": "duplicate_transaction_id", "customers": "duplicate_customer_id"}
    for day in sorted({f.day for f in files}):
        for dataset in ("transactions", "customers"):
            candidates: dict[str, list] = {}
            for f in (f for f in files if f.day == day and f.dataset == dataset):
                counts = exp.per_file.setdefault(f.name, Counter())
                for n, r in enumerate(f.records, start=1):
                    if r.reason:
                        counts[r.reason] += 1
                    else:
                        candidates.setdefault(r.key, []).append(((f.landed, f.name, n), r, f))
            for key, versions in candidates.items():
                versions.sort(key=lambda v: v[0], reverse=True)
                (rank, winner, wf), losers = versions[0], versions[1:]
                for _, _, lf in losers:
                    exp.per_file[lf.name][duplicate[dataset]] += 1
                exp.per_file[wf.name]["valid"] += 1
                if (dataset, key) in order:
                    if order[(dataset, key)] > rank:  # an earlier-landed version arrived late
                        exp.superseded[wf.name] += 1
                        continue
                    exp.superseded[exp.silver_file[dataset][key]] += 1
                order[(dataset, key)] = rank
                exp.silver[dataset][key] = winner.values
                exp.silver_file[dataset][key] = wf.name
    return exp
