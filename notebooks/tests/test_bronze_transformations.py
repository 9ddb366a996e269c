"""Unit tests of the bronze -> silver transformations on in-memory DataFrames (no I/O)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from chispa import assert_df_equality
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from analytics_pipeline import bronze_to_silver as b2s
from analytics_pipeline.schemas import (
    CUSTOMERS,
    SILVER_CUSTOMERS_SCHEMA,
    SILVER_TRANSACTIONS_SCHEMA,
    TRANSACTIONS,
)

T0 = datetime(2026, 11, 2, 1, 5)
T1 = datetime(2026, 11, 3, 1, 5)
RUN_TS = datetime(2026, 11, 26, 2, 0)
GOOD = {
    "transaction_id": "T1",
    "customer_id": "C1",
    "transaction_date": "2026-11-01",
    "product_id": "p1",
    "product_category": "Toys",
    "quantity": "1",
    "amount": "10.00",
    "store_location": "Austin",
    "payment_method": "card",
}


def raw_schema(dataset) -> StructType:
    return b2s.raw_schema(dataset)


def raw_transactions(spark, *rows: dict):
    """Rows as read from bronze: every column text; defaults from GOOD."""
    out = []
    for n, row in enumerate(rows, start=1):
        values = {**GOOD, **row}
        out.append(
            (
                *(values.get(c) for c in TRANSACTIONS.columns),
                values.get(b2s.CORRUPT),
                values.get(b2s.FILE_ERROR),
                values.get("source_file", "file:/lake/bronze/transactions/a.csv"),
                values.get("source_file_modified_at", T0),
                values.get("source_record_number", n),
            )
        )
    return spark.createDataFrame(out, raw_schema(TRANSACTIONS))


def reasons_of(df) -> list[tuple]:
    return [
        (r["transaction_id"], r["rejection_reason"], list(r["rejection_reasons"]))
        for r in df.orderBy("source_record_number").collect()
    ]


# -- parsing ---------------------------------------------------------------------------------------
def test_parse_iso_date_accepts_only_real_iso_dates(spark):
    cases = [
        ("2026-11-01", date(2026, 11, 1)),
        ("2024-02-29", date(2024, 2, 29)),  # leap day
        ("2026-02-29", None),  # not a leap year
        ("2026-11-31", None),
        ("2026-13-01", None),
        ("2026-00-10", None),
        ("2026-1-5", None),  # would make to_date raise under the default parser policy
        ("31/11/2026", None),
        ("01/11/2026", None),
        ("not-a-date", None),
        ("2026-11-01T10:00:00", None),
        ("1899-12-31", None),
        (None, None),
    ]
    df = spark.createDataFrame([(t,) for t, _ in cases], "text string")
    got = df.select("text", b2s.parse_iso_date(F.col("text")).alias("d")).collect()
    assert [(r.text, r.d) for r in got] == cases


def test_parse_amount_and_quantity(spark):
    amounts = [
        ("10", Decimal("10.00")),
        ("10.5", Decimal("10.50")),
        ("-3.25", Decimal("-3.25")),
        ("+7.00", Decimal("7.00")),
        ("0.00", Decimal("0.00")),
        ("9999999999999999.99", Decimal("9999999999999999.99")),
        ("10,50", None),
        ("1,234.50", None),
        ("12.345", None),  # sub-cent precision is not silently rounded
        ("N/A", None),
        ("1.2.3", None),
        ("12345678901234567", None),  # does not fit decimal(18,2)
        (None, None),
    ]
    df = spark.createDataFrame([(t,) for t, _ in amounts], "text string")
    got = df.select("text", b2s.parse_amount(F.col("text")).alias("v")).collect()
    assert [(r.text, r.v) for r in got] == amounts

    quantities = [
        ("3", 3),
        ("-1", -1),
        ("0", 0),
        ("1.5", None),
        ("two", None),
        ("9999999999", None),
    ]
    df = spark.createDataFrame([(t,) for t, _ in quantities], "text string")
    got = df.select("text", b2s.parse_quantity(F.col("text")).alias("v")).collect()
    assert [(r.text, r.v) for r in got] == quantities


def test_standardize_name(spark):
    df = spark.createDataFrame(
        [(" electronics ",), ("HOME & GARDEN",), ("san francisco",), ("   ",), (None,)], "v string"
    )
    got = [r[0] for r in df.select(b2s.standardize_name("v")).collect()]
    assert got == ["Electronics", "Home & Garden", "San Francisco", None, None]


# -- validation: one row per rejection reason -----------------------------------------------------
DEFECTS = [
    ("malformed_row", {b2s.CORRUPT: "T1,C1,2026-11-01"}),
    ("missing_transaction_id", {"transaction_id": "  "}),
    ("missing_customer_id", {"customer_id": None}),
    ("invalid_transaction_date", {"transaction_date": "2026-02-30"}),
    ("invalid_transaction_date", {"transaction_date": None}),
    ("invalid_amount", {"amount": "12,50"}),
    ("invalid_amount", {"amount": None}),
    ("non_positive_amount", {"amount": "0"}),
    ("non_positive_amount", {"amount": "-4.99"}),
    ("invalid_quantity", {"quantity": "two"}),
    ("non_positive_quantity", {"quantity": "0"}),
    ("non_positive_quantity", {"quantity": "-2"}),
    ("missing_product_category", {"product_category": ""}),
    ("missing_store_location", {"store_location": None}),
]


@pytest.fixture(scope="module")
def defect_batch(spark):
    """One batch: a valid row, then one row per entry of DEFECTS (record numbers 2, 3, ...)."""
    raw = raw_transactions(
        spark,
        {"transaction_id": "OK1"},
        *({"transaction_id": f"BAD{i:02d}", **defect} for i, (_, defect) in enumerate(DEFECTS)),
    )
    classified = b2s.classify_transactions(raw).cache()
    lineage = b2s.Lineage(RUN_TS, "run-1")
    quarantined = b2s.quarantine_rows(classified, TRANSACTIONS, lineage).collect()
    result = {
        "read": raw.count(),
        "valid": b2s.silver_transactions(classified, lineage).collect(),
        "quarantined": {r.source_record_number: r for r in quarantined},
    }
    classified.unpersist()
    return result


def test_rows_read_equal_valid_plus_quarantined(defect_batch):
    assert defect_batch["read"] == 1 + len(DEFECTS)
    assert [r.transaction_id for r in defect_batch["valid"]] == ["OK1"]
    assert sorted(defect_batch["quarantined"]) == list(range(2, 2 + len(DEFECTS)))


@pytest.mark.parametrize(
    ("index", "reason", "defect"),
    [(i, r, d) for i, (r, d) in enumerate(DEFECTS)],
    ids=[f"{r}-{i}" for i, (r, _) in enumerate(DEFECTS)],
)
def test_every_defect_is_quarantined_with_its_reason(defect_batch, index, reason, defect):
    row = defect_batch["quarantined"][index + 2]
    assert row.rejection_reason == reason
    assert row.rejection_reasons == [reason]
    # the quarantine keeps the original text of the row and its lineage
    text = {**GOOD, "transaction_id": f"BAD{index:02d}", **defect}
    assert row.transaction_id == text["transaction_id"]
    assert (row.amount, row.quantity, row.transaction_date) == (
        text["amount"],
        text["quantity"],
        text["transaction_date"],
    )
    assert row.raw_record == text.get(b2s.CORRUPT)
    assert (row.ingestion_timestamp, row.pipeline_run_id) == (RUN_TS, "run-1")


def test_all_reasons_are_listed_in_priority_order(spark):
    raw = raw_transactions(
        spark,
        {
            "transaction_id": "X",
            "customer_id": "",
            "amount": "-1",
            "quantity": "x",
            "store_location": "",
        },
    )
    [(tid, reason, reasons)] = reasons_of(b2s.classify_transactions(raw))
    assert tid == "X"
    assert reason == "missing_customer_id"
    assert reasons == [
        "missing_customer_id",
        "non_positive_amount",
        "invalid_quantity",
        "missing_store_location",
    ]


# -- dedupe: latest wins, deterministically ----------------------------------------------------------
def test_dedupe_later_file_wins_over_earlier_file(spark):
    raw = raw_transactions(
        spark,
        {"amount": "1.00", "source_file": "file:/b/z.csv", "source_file_modified_at": T0},
        {"amount": "2.00", "source_file": "file:/b/a.csv", "source_file_modified_at": T1},
    )
    classified = b2s.classify_transactions(raw)
    [row] = b2s.silver_transactions(classified, b2s.Lineage(RUN_TS, "r")).collect()
    assert row.amount == Decimal("2.00")  # landed later, although its name sorts first
    [q] = b2s.quarantine_rows(classified, TRANSACTIONS, b2s.Lineage(RUN_TS, "r")).collect()
    assert (q.amount, q.rejection_reason) == ("1.00", "duplicate_transaction_id")


def test_dedupe_ties_break_on_path_then_record_number(spark):
    raw = raw_transactions(
        spark,
        {"amount": "1.00", "source_file": "file:/b/a.csv", "source_record_number": 1},
        {"amount": "2.00", "source_file": "file:/b/b.csv", "source_record_number": 1},
        {"amount": "3.00", "source_file": "file:/b/b.csv", "source_record_number": 7},
        {"amount": "4.00", "source_file": "file:/b/b.csv", "source_record_number": 3},
    )
    classified = b2s.classify_transactions(raw)
    [row] = b2s.silver_transactions(classified, b2s.Lineage(RUN_TS, "r")).collect()
    assert (row.amount, row.source_record_number) == (Decimal("3.00"), 7)
    assert classified.where("rejection_reason = 'duplicate_transaction_id'").count() == 3


def test_invalid_latest_version_does_not_replace_valid_earlier_one(spark):
    raw = raw_transactions(
        spark,
        {"amount": "5.00", "source_record_number": 1},
        {"amount": "-5.00", "source_record_number": 2},
    )
    classified = b2s.classify_transactions(raw)
    [row] = b2s.silver_transactions(classified, b2s.Lineage(RUN_TS, "r")).collect()
    assert row.amount == Decimal("5.00")
    [q] = b2s.quarantine_rows(classified, TRANSACTIONS, b2s.Lineage(RUN_TS, "r")).collect()
    assert q.rejection_reason == "non_positive_amount"


# -- exact silver rows -------------------------------------------------------------------------------
def test_silver_transactions_exact_rows(spark):
    raw = raw_transactions(
        spark,
        {
            "transaction_id": " T9 ",
            "product_id": "p7",
            "product_category": " home & garden ",
            "quantity": "2",
            "amount": "19.9",
            "store_location": "SAN FRANCISCO",
            "payment_method": " Card ",
        },
        {"transaction_id": "T10", "payment_method": ""},
    )
    actual = b2s.silver_transactions(b2s.classify_transactions(raw), b2s.Lineage(RUN_TS, "run-7"))
    src = "file:/lake/bronze/transactions/a.csv"
    expected = spark.createDataFrame(
        [
            (
                "T9",
                "C1",
                "P7",
                "Home & Garden",
                2,
                Decimal("19.90"),
                "San Francisco",
                "card",
                src,
                T0,
                1,
                RUN_TS,
                "run-7",
                date(2026, 11, 1),
            ),
            (
                "T10",
                "C1",
                "P1",
                "Toys",
                1,
                Decimal("10.00"),
                "Austin",
                None,
                src,
                T0,
                2,
                RUN_TS,
                "run-7",
                date(2026, 11, 1),
            ),
        ],
        SILVER_TRANSACTIONS_SCHEMA,
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_silver_customers_exact_rows_and_reasons(spark):
    rows = [
        ("C1", " Ava ", "Ng", "Ava@Example.COM", "seattle", "2024-05-01"),
        ("C2", "Ben", "Kim", "ben@example.com", "Portland", ""),
        ("C3", "Chloe", "Novak", "c@example.com", "Denver", "yesterday"),
        ("", "No", "Body", "n@example.com", "Denver", "2026-11-01"),
        ("C1", "Ava", "Ng", "ava@example.com", "Austin", "2024-05-01"),
    ]
    raw = spark.createDataFrame(
        [(*r, None, None, "file:/b/c.csv", T0, n) for n, r in enumerate(rows, start=1)],
        raw_schema(CUSTOMERS),
    )
    classified = b2s.classify_customers(raw)
    lineage = b2s.Lineage(RUN_TS, "r")
    expected = spark.createDataFrame(
        [
            (
                "C1",
                "Ava",
                "Ng",
                "ava@example.com",
                "Austin",
                date(2024, 5, 1),
                "file:/b/c.csv",
                T0,
                5,
                RUN_TS,
                "r",
            ),
            (
                "C2",
                "Ben",
                "Kim",
                "ben@example.com",
                "Portland",
                None,
                "file:/b/c.csv",
                T0,
                2,
                RUN_TS,
                "r",
            ),
        ],
        SILVER_CUSTOMERS_SCHEMA,
    )
    assert_df_equality(
        b2s.silver_customers(classified, lineage),
        expected,
        ignore_row_order=True,
        ignore_nullable=True,
    )
    got = {
        (r.customer_id, r.rejection_reason)
        for r in b2s.quarantine_rows(classified, CUSTOMERS, lineage).collect()
    }
    assert got == {
        ("C3", "invalid_signup_date"),
        ("", "missing_customer_id"),
        ("C1", "duplicate_customer_id"),
    }


def test_quality_rate_and_metrics():
    assert b2s.quality_rate(0, 0) == 100.0
    assert b2s.quality_rate(95, 100) == 95.0
    assert b2s.quality_rate(2, 3) == 66.67
    result = b2s.DatasetResult(dataset=TRANSACTIONS, files=[object(), object()], reports=[])
    result.counts = {
        ("f1", None): 8,
        ("f1", "invalid_amount"): 1,
        ("f2", None): 0,
        ("f2", "malformed_row"): 1,
    }
    metrics = result.metrics()
    assert {
        k: metrics[k] for k in ("files_processed", "rows_read", "rows_valid", "rows_quarantined")
    } == {
        "files_processed": 2,
        "rows_read": 10,
        "rows_valid": 8,
        "rows_quarantined": 2,
    }
    assert metrics["rejected_by_reason"] == {"invalid_amount": 1, "malformed_row": 1}
    assert metrics["quality_rate"] == 80.0


def test_eligible_files_respect_ingestion_date():
    from analytics_pipeline.lakefs import FileInfo

    def f(name, iso):
        return FileInfo(name, name, 1, int(datetime.fromisoformat(iso).timestamp() * 1000))

    files = [
        f("a", "2026-11-02T01:05:00+00:00"),
        f("b", "2026-11-02T23:59:59+00:00"),
        f("c", "2026-11-03T00:00:00+00:00"),
    ]
    assert [x.name for x in b2s.eligible(files, date(2026, 11, 2))] == ["a", "b"]
    assert [x.name for x in b2s.eligible(files, None)] == ["a", "b", "c"]


def test_rows_constructed_for_tests_match_raw_reader_columns(spark, tmp_path):
    """The in-memory raw rows above have the same columns read_bronze produces."""
    from tools.lake import land_fixture

    land_fixture(tmp_path, "transactions_2026-11-03.csv")
    from analytics_pipeline.lakefs import list_files

    files = list_files(spark, f"file:{tmp_path}/bronze/transactions")
    raw, _ = b2s.read_bronze(spark, files, TRANSACTIONS)
    assert raw.columns == raw_schema(TRANSACTIONS).fieldNames()
