"""Deterministic (seeded) generator of realistic bronze CSVs: transactions and customers.

Used by ``make demo`` (a week with every defect kind), ``make bench-pipeline`` (1M rows over 30
days) and the tests. Same seed and arguments -> byte-identical files and identical modification
times, so a run is reproducible end to end.

Each day lands one file ``bronze/transactions/transactions_<date>.csv`` at 01:00 UTC the next day
(its modification time). With ``defects=True`` the data carries the defects the pipeline must
handle, each at least once:

* null transaction_id / customer_id, amount <= 0, quantity <= 0
* unparseable dates (``2026-13-45``, ``31/11/2026``) and numbers (``12,50``, ``N/A``, ``two``)
* malformed rows (a field missing)
* the same transaction_id in two files (a corrected re-send the next day: the later file wins)
  and twice in one file
* a file with a UTF-8 BOM and Windows line endings (day 2)
* a file with an extra column (day 3) and one without the optional ``payment_method`` (day 4)
* inconsistent spelling of categories and stores (``" electronics "``), which silver standardises
* customers: a snapshot on day 1 and an update file later (moves, new signups, defects)

CLI: ``python -m tools.sample_data --out .lake/x --days 7 --rows-per-day 300``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import itertools
import json
import os
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Category -> (min, max) unit price. Prices are drawn log-uniformly inside the range.
CATEGORIES: dict[str, tuple[float, float]] = {
    "Electronics": (19.99, 899.00),
    "Grocery": (1.20, 45.00),
    "Clothing": (7.99, 160.00),
    "Home & Garden": (4.50, 350.00),
    "Sports": (6.00, 280.00),
    "Books": (4.99, 55.00),
    "Beauty": (3.50, 110.00),
    "Toys": (4.99, 140.00),
}
STORES = ["Seattle", "Portland", "San Francisco", "Denver", "Austin", "Chicago"]
STORE_WEIGHTS = [0.24, 0.14, 0.22, 0.12, 0.15, 0.13]
PAYMENT_METHODS = ["card", "cash", "mobile", "gift_card"]
PAYMENT_WEIGHTS = [0.62, 0.14, 0.20, 0.04]
FIRST_NAMES = ["Ava", "Ben", "Chloe", "Diego", "Emma", "Farah", "Gus", "Hana", "Ivan", "Jade",
               "Kai", "Lena", "Mo", "Nia", "Omar", "Pia", "Quinn", "Ravi", "Sara", "Tom"]  # fmt: skip
LAST_NAMES = ["Ng", "Smith", "Garcia", "Kim", "Okafor", "Novak", "Rossi", "Silva", "Chen",
              "Brown", "Khan", "Meyer", "Lopez", "Sato", "Ivanova", "Dubois"]  # fmt: skip

TRANSACTION_COLUMNS = [
    "transaction_id",
    "customer_id",
    "transaction_date",
    "product_id",
    "product_category",
    "quantity",
    "amount",
    "store_location",
    "payment_method",
]
CUSTOMER_COLUMNS = ["customer_id", "first_name", "last_name", "email", "city", "signup_date"]

# Defects injected into transaction rows (row-level); file-level ones are fixed to days 2-4.
ROW_DEFECTS = [
    "null_transaction_id",
    "null_customer_id",
    "zero_amount",
    "negative_amount",
    "zero_quantity",
    "negative_quantity",
    "bad_date",
    "bad_amount",
    "bad_quantity",
    "malformed_row",
]


@dataclass
class LandedFile:
    dataset: str  # "transactions" | "customers"
    path: str  # relative to the lake root, e.g. "bronze/transactions/transactions_2026-11-01.csv"
    modified_at: str  # ISO-8601 UTC
    rows: int  # data rows written (excluding the header)
    landing_date: str  # yyyy-MM-dd the file landed (the ingestion_date that first sees it)
    notes: list[str] = field(default_factory=list)


@dataclass
class GeneratorConfig:
    start_date: date = date(2026, 11, 1)
    days: int = 7
    rows_per_day: int = 300
    customers: int = 200
    seed: int = 42
    defects: bool = True
    defect_rate: float = 0.03  # share of rows with a row-level defect (defects=True only)
    duplicate_rate: float = 0.01  # share of a day's rows re-sent (corrected) in the next day's file


def landing_time(day: date, minute: int = 0) -> datetime:
    """When the file for ``day`` lands: 01:00 UTC the next day (+ ``minute`` to order files)."""
    return datetime(day.year, day.month, day.day, 1, minute, tzinfo=UTC) + timedelta(days=1)


def _set_mtime(path: Path, when: datetime) -> None:
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def _write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    bom: bool = False,
    crlf: bool = False,
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    data = buf.getvalue().encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class SampleData:
    """Generates the files; ``generate()`` writes them under ``<lake>/bronze``."""

    def __init__(self, config: GeneratorConfig):
        self.config = config
        self.rng = random.Random(config.seed)
        # Spending propensity per customer: Pareto-shaped, so a few customers buy a lot (HIGH),
        # many buy a little (LOW) - what segmentation is meant to find.
        self.customer_ids = [f"C{n:06d}" for n in range(1, config.customers + 1)]
        self.customer_weights = [self.rng.paretovariate(1.6) for _ in self.customer_ids]
        # Cumulative weights once: choices() with cum_weights is O(log n) per draw, not O(n).
        self.customer_cum_weights = list(itertools.accumulate(self.customer_weights))
        self.home_store = {c: self.rng.choices(STORES, STORE_WEIGHTS)[0] for c in self.customer_ids}
        self.products = {
            cat: [f"P{idx:02d}{n:03d}" for n in range(1, 41)]
            for idx, cat in enumerate(CATEGORIES, start=1)
        }

    # -- transactions -------------------------------------------------------------------------
    def _transaction(self, day: date, seq: int) -> list[str]:
        rng = self.rng
        customer = rng.choices(self.customer_ids, cum_weights=self.customer_cum_weights)[0]
        # Customers mostly shop at their home store.
        store = (
            self.home_store[customer]
            if rng.random() < 0.8
            else rng.choices(STORES, STORE_WEIGHTS)[0]
        )
        category = rng.choice(list(CATEGORIES))
        low, high = CATEGORIES[category]
        unit_price = round(low * (high / low) ** rng.random(), 2)
        quantity = rng.choices([1, 2, 3, 4, 5], [0.55, 0.22, 0.12, 0.07, 0.04])[0]
        amount = round(unit_price * quantity, 2)
        return [
            f"TX{day:%Y%m%d}{seq:07d}",
            customer,
            day.isoformat(),
            rng.choice(self.products[category]),
            category,
            str(quantity),
            f"{amount:.2f}",
            store,
            rng.choices(PAYMENT_METHODS, PAYMENT_WEIGHTS)[0],
        ]

    def _untidy(self, row: list[str]) -> None:
        """Inconsistent but valid spellings that silver standardises (not defects)."""
        r = self.rng.random()
        if r < 0.02:
            row[4] = f" {row[4].lower()} "
        elif r < 0.03:
            row[7] = row[7].upper()

    def _defect(self, row: list[str], kind: str) -> list[str]:
        rng = self.rng
        if kind == "null_transaction_id":
            row[0] = ""
        elif kind == "null_customer_id":
            row[1] = ""
        elif kind == "zero_amount":
            row[6] = "0.00"
        elif kind == "negative_amount":
            row[6] = f"-{row[6]}"
        elif kind == "zero_quantity":
            row[5] = "0"
        elif kind == "negative_quantity":
            row[5] = "-1"
        elif kind == "bad_date":
            row[2] = rng.choice(["2026-13-45", "31/11/2026", "not-a-date", "2026-02-30"])
        elif kind == "bad_amount":
            row[6] = rng.choice(["12,50", "N/A", "abc", "1.2.3"])
        elif kind == "bad_quantity":
            row[5] = rng.choice(["two", "1.5", ""])
        elif kind == "malformed_row":
            row = row[:-1]
        return row

    def day_rows(self, day: date, day_index: int) -> list[list[str]]:
        cfg = self.config
        # Weekends sell ~25% more; deterministic jitter of +-5%.
        volume = cfg.rows_per_day * (1.25 if day.weekday() >= 5 else 1.0)
        n = max(1, int(volume * (0.95 + 0.1 * self.rng.random())))
        rows = [self._transaction(day, seq) for seq in range(1, n + 1)]
        for row in rows:
            self._untidy(row)
        if cfg.defects:
            out = []
            for i, row in enumerate(rows):
                if i < len(ROW_DEFECTS) and day_index == 0:
                    # Day 1 carries every row defect at least once (rows 1..10), whatever the rate.
                    out.append(self._defect(row, ROW_DEFECTS[i]))
                elif self.rng.random() < cfg.defect_rate:
                    out.append(self._defect(row, self.rng.choice(ROW_DEFECTS)))
                else:
                    out.append(row)
            rows = out
            if day_index == 0 and len(rows) > 12:
                # The same transaction twice in one file: the later line wins.
                again = list(rows[11])
                again[5], again[6] = "1", rows[11][6]
                rows.append(again)
        return rows

    def _resend(self, previous: list[list[str]]) -> list[list[str]]:
        """Corrected re-sends of some of yesterday's valid-looking rows (same transaction_id)."""
        candidates = [r for r in previous if len(r) == len(TRANSACTION_COLUMNS) and r[0]]
        k = max(1, int(len(candidates) * self.config.duplicate_rate)) if candidates else 0
        picked = self.rng.sample(candidates, k)
        resent = []
        for row in picked:
            row = list(row)
            with contextlib.suppress(ValueError):  # a 10% discount applied late
                row[6] = f"{round(float(row[6]) * 0.9, 2):.2f}"
            resent.append(row)
        return resent

    def transactions(self) -> Iterator[tuple[date, int, list[str], list[list[str]]]]:
        """Per day: (date, day index, header, rows) with duplicates and column drift applied."""
        cfg = self.config
        previous: list[list[str]] = []
        for idx in range(cfg.days):
            day = cfg.start_date + timedelta(days=idx)
            rows = self.day_rows(day, idx)
            if cfg.defects and previous:
                rows = rows + self._resend(previous)
            header = list(TRANSACTION_COLUMNS)
            out_rows = rows
            if cfg.defects and idx == 2:
                header = [*TRANSACTION_COLUMNS, "promo_code"]
                out_rows = [
                    [*r, self.rng.choice(["", "", "WELCOME10", "BF2026"])] if len(r) == 9 else r
                    for r in rows
                ]
            elif cfg.defects and idx == 3:
                header = [c for c in TRANSACTION_COLUMNS if c != "payment_method"]
                out_rows = [r[:8] if len(r) == 9 else r[:7] for r in rows]
            previous = rows
            yield day, idx, header, out_rows

    # -- customers ----------------------------------------------------------------------------
    def customer_snapshot(self) -> list[list[str]]:
        rows = []
        for cid in self.customer_ids:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            signup = self.config.start_date - timedelta(days=self.rng.randint(30, 1500))
            rows.append([
                cid,
                first,
                last,
                f"{first}.{last}.{cid[1:]}@example.com".lower(),
                self.home_store[cid],
                signup.isoformat(),
            ])  # fmt: skip
        return rows

    def customer_update(self, snapshot: list[list[str]], day: date) -> list[list[str]]:
        """Some customers move (city changes); defects: missing id, bad signup date, a dup."""
        moved = self.rng.sample(snapshot, max(1, len(snapshot) // 20))
        rows = []
        for row in moved:
            row = list(row)
            row[4] = self.rng.choice([s for s in STORES if s != row[4]])
            rows.append(row)
        if self.config.defects:
            rows.append(["", "Nobody", "Known", "nobody@example.com", "Denver", day.isoformat()])
            bad = list(snapshot[-1])
            bad[5] = "yesterday"
            rows.append(bad)
            rows.append(list(rows[0]))  # the same customer twice in one file: later line wins
        return rows

    # -- files --------------------------------------------------------------------------------
    def generate(self, lake: Path) -> list[LandedFile]:
        cfg = self.config
        bronze = Path(lake) / "bronze"
        landed: list[LandedFile] = []

        snapshot = self.customer_snapshot()
        first_day = cfg.start_date
        path = bronze / "customers" / f"customers_{first_day.isoformat()}.csv"
        _write_csv(path, CUSTOMER_COLUMNS, snapshot)
        landed.append(self._landed("customers", lake, path, landing_time(first_day), len(snapshot)))

        for day, idx, header, rows in self.transactions():
            path = bronze / "transactions" / f"transactions_{day.isoformat()}.csv"
            notes = []
            bom = crlf = False
            if cfg.defects and idx == 1:
                bom = crlf = True
                notes.append("UTF-8 BOM and CRLF line endings")
            if cfg.defects and idx == 2:
                notes.append("extra column promo_code")
            if cfg.defects and idx == 3:
                notes.append("optional column payment_method missing")
            _write_csv(path, header, rows, bom=bom, crlf=crlf)
            landed.append(
                self._landed("transactions", lake, path, landing_time(day, 5), len(rows), notes)
            )
            if cfg.defects and idx == min(4, cfg.days - 1) and idx > 0:
                update = self.customer_update(snapshot, day)
                cpath = bronze / "customers" / f"customers_{day.isoformat()}.csv"
                _write_csv(cpath, CUSTOMER_COLUMNS, update)
                landed.append(
                    self._landed("customers", lake, cpath, landing_time(day), len(update))
                )
        return landed

    def late_file(self, lake: Path, for_day: date, landed_on: date, rows: int) -> LandedFile:
        """A file with transactions dated ``for_day`` that only lands on ``landed_on``."""
        data = [self._transaction(for_day, 9_000_000 + seq) for seq in range(1, rows + 1)]
        path = (
            Path(lake)
            / "bronze"
            / "transactions"
            / f"transactions_{for_day.isoformat()}_late_{landed_on.isoformat()}.csv"
        )
        _write_csv(path, TRANSACTION_COLUMNS, data)
        return self._landed(
            "transactions", lake, path, landing_time(landed_on - timedelta(days=1), 30), len(data),
            [f"late file for {for_day.isoformat()}"],
        )  # fmt: skip

    @staticmethod
    def _landed(
        dataset: str,
        lake: Path,
        path: Path,
        when: datetime,
        rows: int,
        notes: list[str] | None = None,
    ) -> LandedFile:
        _set_mtime(path, when)
        return LandedFile(
            dataset=dataset,
            path=str(path.relative_to(lake)),
            modified_at=when.isoformat(),
            rows=rows,
            landing_date=when.date().isoformat(),
            notes=notes or [],
        )


def generate(lake: Path | str, config: GeneratorConfig | None = None) -> list[LandedFile]:
    return SampleData(config or GeneratorConfig()).generate(Path(lake))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="lake root; files go to <out>/bronze/...")
    parser.add_argument("--start-date", default="2026-11-01")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--rows-per-day", type=int, default=300)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-defects", action="store_true")
    args = parser.parse_args(argv)
    config = GeneratorConfig(
        start_date=date.fromisoformat(args.start_date),
        days=args.days,
        rows_per_day=args.rows_per_day,
        customers=args.customers,
        seed=args.seed,
        defects=not args.no_defects,
    )
    for landed in generate(args.out, config):
        print(json.dumps(asdict(landed)))


if __name__ == "__main__":
    main()
