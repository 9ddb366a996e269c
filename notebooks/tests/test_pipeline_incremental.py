"""The fixture lake run day by day through the two notebook files, as Data Factory would.

Runs (ingestion_date selects what has landed by then; see testdata/manifest.json):

    A  2026-11-02  customers + day 1                    first run: full build of gold
    B  2026-11-03  day 2 (BOM/CRLF, re-send of T004)     rewrites 11-01 and adds 11-02
    C  2026-11-04  day 3 (clean)                         touches only 11-03
    D  2026-11-05  late file for 11-01 (T013, T001 fix)  touches only 11-01; C001 MEDIUM -> HIGH
    E  2026-11-05  same again                            NO_NEW_DATA, nothing changes

Expected values are computed by hand from the fixture files.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from analytics_pipeline import bronze_to_silver, silver_to_gold
from analytics_pipeline.entrypoints import silver_to_gold_main
from tools.lake import FIXTURE_FILES, land_fixture
from tools.local_catalog import LOCAL_CATALOG, drop_gold_tables, register_gold_tables
from tools.run_notebook import run_notebook

NOTEBOOKS = Path(__file__).resolve().parents[1]
RUNS = [
    ("A", "2026-11-02"),
    ("B", "2026-11-03"),
    ("C", "2026-11-04"),
    ("D", "2026-11-05"),
    ("E", "2026-11-05"),
]
D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)


def gold_versions(lake: Path) -> dict[str, int]:
    """Each gold table's latest committed version, from its log's file names (no Spark job)."""
    return {
        table: max(
            int(p.stem)
            for p in (lake / "gold" / table / "_delta_log").glob("*.json")
            if p.stem.isdigit()
        )
        for table in silver_to_gold.GOLD_TABLES
    }


def snapshot_gold(spark, lake: Path, unchanged: dict | None = None) -> dict[str, list[tuple]]:
    """Every gold table's rows; ``unchanged`` holds the rows of tables known to be at the version
    they were read at (a Delta version is immutable), which are not read again."""
    out = dict(unchanged or {})
    for table in silver_to_gold.GOLD_TABLES:
        if table not in out:
            df = spark.read.format("delta").load(str(lake / "gold" / table))
            out[table] = sorted(tuple(r) for r in df.collect())
    return out


def silver_partition_files(lake: Path) -> dict[str, list[tuple[str, int]]]:
    """Per transaction_date partition: its data files and their modification times."""
    root = lake / "silver" / "transactions"
    return {
        part.name.split("=", 1)[1]: sorted(
            (f.name, f.stat().st_mtime_ns) for f in part.iterdir() if f.suffix == ".parquet"
        )
        for part in sorted(root.glob("transaction_date=*"))
    }


def run_history(spark, lake: Path, catalog: str = "") -> dict:
    land_fixture(lake, *FIXTURE_FILES)
    out = {"lake": lake}
    before = None
    for name, ingestion_date in RUNS:
        common = {
            "storage_account": str(lake),
            "catalog": catalog,
            "pipeline_run_id": f"run-{name}",
            "ingestion_date": ingestion_date,
        }
        b2s = run_notebook(
            NOTEBOOKS / "bronze_to_silver.py", spark, {**common, "quality_threshold": "50"}
        )
        s2g = run_notebook(NOTEBOOKS / "silver_to_gold.py", spark, common)
        versions = gold_versions(lake)
        unchanged = {
            table: before["gold"][table]
            for table, version in versions.items()
            if before and before["gold_versions"][table] == version
        }
        out[name] = before = {
            "b2s": json.loads(b2s),
            "s2g": json.loads(s2g),
            "gold": snapshot_gold(spark, lake, unchanged),
            "gold_versions": versions,
            "silver_files": silver_partition_files(lake),
        }
    return out


@pytest.fixture(scope="module")
def histories(spark, tmp_path_factory):
    """The runs by path, and the same runs under a (local) Unity Catalog: the gold tables
    registered by name at the gold paths before the first run, as the catalog component does, and
    the ``catalog`` widget set.

    The two are independent lakes, so they run side by side, each in its own session of the one
    SparkContext (its own SQL settings: bronze_to_silver sets one for the length of a run). A run
    waits mostly on the driver's sequence of small jobs, not on the CPU, so the two interleave
    (2 cores, in the whole suite: 51 s one after the other, 45 s side by side).
    """
    by_name_lake = tmp_path_factory.mktemp("history_by_name")
    register_gold_tables(spark, str(by_name_lake / "gold"))
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            by_path = pool.submit(
                run_history, spark.newSession(), tmp_path_factory.mktemp("history")
            )
            by_name = pool.submit(run_history, spark.newSession(), by_name_lake, LOCAL_CATALOG)
            done = by_path.result(), by_name.result()
        yield done
    finally:
        drop_gold_tables(spark)


@pytest.fixture(scope="module")
def history(histories):
    return histories[0]


@pytest.fixture(scope="module")
def history_by_name(histories):
    return histories[1]


def gold_values(
    snapshot, table, drop=("load_timestamp", "transformation_version", "pipeline_run_id")
):
    """Rows without the lineage columns (the last three of every gold table)."""
    assert drop == ("load_timestamp", "transformation_version", "pipeline_run_id")
    return [row[:-3] for row in snapshot["gold"][table]]


def run_ids(snapshot, table, key_len):
    return {row[:key_len]: row[-1] for row in snapshot["gold"][table]}


# -- bronze_to_silver exit status and metrics ------------------------------------------------------
def test_exit_status_contract(history):
    for name, _ in RUNS:
        for key in ("b2s", "s2g"):
            status = history[name][key]
            assert {"status", "notebook", "pipeline_run_id", "metrics"} <= status.keys()
            assert status["pipeline_run_id"] == f"run-{name}"
        metrics = history[name]["b2s"]["metrics"]
        for field in (
            "files_processed",
            "rows_read",
            "rows_valid",
            "rows_quarantined",
            "rejected_by_reason",
            "quality_rate",
        ):
            assert field in metrics
        assert metrics["rows_read"] == metrics["rows_valid"] + metrics["rows_quarantined"]
        assert sum(metrics["rejected_by_reason"].values()) == metrics["rows_quarantined"]
    assert history["A"]["b2s"]["notebook"] == "bronze_to_silver"
    assert history["A"]["s2g"]["notebook"] == "silver_to_gold"


def test_first_day_metrics(history):
    m = history["A"]["b2s"]["metrics"]
    assert history["A"]["b2s"]["status"] == "SUCCEEDED"
    assert (m["files_processed"], m["rows_read"], m["rows_valid"], m["rows_quarantined"]) == (
        1,
        8,
        4,
        4,
    )
    assert m["rejected_by_reason"] == {
        "duplicate_transaction_id": 1,
        "invalid_transaction_date": 1,
        "missing_customer_id": 1,
        "non_positive_amount": 1,
    }
    assert m["quality_rate"] == 50.0
    c = m["customers"]
    assert (c["files_processed"], c["rows_read"], c["rows_valid"], c["rows_quarantined"]) == (
        1,
        4,
        3,
        1,
    )
    assert c["rejected_by_reason"] == {"invalid_signup_date": 1}


def test_second_day_metrics_bom_crlf_extra_column_and_resend(history):
    m = history["B"]["b2s"]["metrics"]
    assert (m["files_processed"], m["rows_read"], m["rows_valid"], m["rows_quarantined"]) == (
        1,
        6,
        3,
        3,
    )
    assert m["rejected_by_reason"] == {
        "invalid_quantity": 1,
        "malformed_row": 1,
        "non_positive_amount": 1,
    }
    assert [(d["missing_columns"], d["extra_columns"]) for d in m["schema_drift"]] == [
        ([], ["promo_code"])
    ]
    # T004 re-sent for 11-01: that partition is rewritten, its older version replaced
    assert m["silver"]["dates_written"] == ["2026-11-01", "2026-11-02"]
    assert (m["silver"]["partitions_rewritten"], m["silver"]["rows_replaced"]) == (1, 1)


def test_rerun_is_a_no_op(history):
    assert history["E"]["b2s"]["status"] == "NO_NEW_DATA"
    assert history["E"]["s2g"]["status"] == "NO_NEW_DATA"
    assert history["E"]["b2s"]["metrics"]["rows_read"] == 0
    assert history["E"]["b2s"]["metrics"]["quality_rate"] == 100.0
    assert history["E"]["gold"] == history["D"]["gold"]  # identical, load_timestamp included
    assert history["E"]["silver_files"] == history["D"]["silver_files"]


# -- silver ------------------------------------------------------------------------------------------
def test_silver_final_rows(spark, history):
    df = bronze_to_silver.read_silver_transactions(
        spark, bronze_to_silver.SilverPaths(str(history["lake"] / "silver"))
    )
    rows = df.collect()
    got = sorted(
        (
            r.transaction_date,
            r.transaction_id,
            r.customer_id,
            r.product_category,
            r.quantity,
            r.amount,
            r.store_location,
            r.pipeline_run_id,
        )
        for r in rows
    )
    assert got == [
        (D1, "T001", "C001", "Electronics", 1, Decimal("1000.00"), "Seattle", "run-D"),
        (D1, "T002", "C002", "Grocery", 3, Decimal("12.60"), "Seattle", "run-A"),
        (D1, "T003", "C002", "Books", 2, Decimal("20.00"), "Portland", "run-A"),
        (D1, "T004", "C003", "Grocery", 1, Decimal("3.90"), "Portland", "run-B"),
        (D1, "T013", "C003", "Books", 1, Decimal("15.00"), "Portland", "run-D"),
        (D2, "T008", "C004", "Electronics", 1, Decimal("250.00"), "Seattle", "run-B"),
        (D2, "T011", "C002", "Grocery", 2, Decimal("7.50"), "Portland", "run-B"),
        (D3, "T014", "C002", "Grocery", 1, Decimal("5.00"), "Seattle", "run-C"),
        (D3, "T015", "C005", "Toys", 2, Decimal("30.00"), "Denver", "run-C"),
    ]
    # no duplicates, ever
    assert len(rows) == len({r.transaction_id for r in rows})


def test_quarantine_keeps_every_rejected_row_once(spark, history):
    q = spark.read.parquet(str(history["lake"] / "silver" / "quarantine" / "transactions"))
    rows = q.collect()
    got = sorted(
        (Path(r.source_file).name, r.source_record_number, r.transaction_id, r.rejection_reason)
        for r in rows
    )
    assert got == [
        ("transactions_2026-11-01.csv", 2, "T002", "duplicate_transaction_id"),
        ("transactions_2026-11-01.csv", 5, "T005", "missing_customer_id"),
        ("transactions_2026-11-01.csv", 6, "T006", "invalid_transaction_date"),
        ("transactions_2026-11-01.csv", 7, "T007", "non_positive_amount"),
        ("transactions_2026-11-02.csv", 2, "T009", "non_positive_amount"),
        ("transactions_2026-11-02.csv", 3, "T010", "invalid_quantity"),
        ("transactions_2026-11-02.csv", 6, "T012", "malformed_row"),
    ]
    [malformed] = [r for r in rows if r.rejection_reason == "malformed_row"]
    assert malformed.raw_record == "T012,C005,2026-11-02,P400,Toys,1,35.00,Portland"


def test_second_day_only_touches_new_data(history):
    # C (a clean day 3) writes only its own partition: 11-01 and 11-02 files are untouched
    before, after = history["B"]["silver_files"], history["C"]["silver_files"]
    assert sorted(after) == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert after["2026-11-01"] == before["2026-11-01"]
    assert after["2026-11-02"] == before["2026-11-02"]
    m = history["C"]["s2g"]["metrics"]
    assert (m["mode"], m["dates_refreshed"], m["first_date_refreshed"]) == (
        "incremental",
        1,
        "2026-11-03",
    )
    assert m["silver_rows_read"] == 2
    # gold rows of older dates keep the run that wrote them
    assert run_ids(history["C"], "daily_sales_summary", 1) == {
        (D1,): "run-B",
        (D2,): "run-B",
        (D3,): "run-C",
    }


def test_late_file_updates_only_its_date(history):
    before, after = history["C"]["silver_files"], history["D"]["silver_files"]
    assert after["2026-11-02"] == before["2026-11-02"]
    assert after["2026-11-03"] == before["2026-11-03"]
    assert after["2026-11-01"] != before["2026-11-01"]
    assert run_ids(history["D"], "daily_sales_summary", 1) == {
        (D1,): "run-D",
        (D2,): "run-B",
        (D3,): "run-C",
    }
    assert gold_values(history["C"], "daily_sales_summary")[0] == (
        D1, Decimal("1036.49"), 4, 7, 3, Decimal("259.12"),
    )  # fmt: skip
    assert gold_values(history["D"], "daily_sales_summary")[0] == (
        D1, Decimal("1051.50"), 5, 8, 3, Decimal("210.30"),
    )  # fmt: skip
    seg = {row[0]: row for row in gold_values(history["C"], "customer_segmentation")}
    assert seg["C001"][3:] == (Decimal("999.99"), 1, 1, Decimal("999.99"), D1, D1, "MEDIUM")
    seg = {row[0]: row for row in gold_values(history["D"], "customer_segmentation")}
    assert seg["C001"][3:] == (Decimal("1000.00"), 1, 1, Decimal("1000.00"), D1, D1, "HIGH")
    # customers whose history did not change keep their row
    assert run_ids(history["D"], "customer_segmentation", 1) == {
        ("C001",): "run-D",
        ("C002",): "run-C",
        ("C003",): "run-D",
        ("C004",): "run-B",
        ("C005",): "run-C",
    }


# -- gold, exact rows --------------------------------------------------------------------------------
def test_gold_after_first_day(history):
    assert history["A"]["s2g"]["metrics"]["mode"] == "full_refresh"
    assert gold_values(history["A"], "daily_sales_summary") == [
        (D1, Decimal("1036.69"), 4, 7, 3, Decimal("259.17")),
    ]


def test_gold_daily_sales_summary(history):
    assert gold_values(history["D"], "daily_sales_summary") == [
        (D1, Decimal("1051.50"), 5, 8, 3, Decimal("210.30")),
        (D2, Decimal("257.50"), 2, 3, 2, Decimal("128.75")),
        (D3, Decimal("35.00"), 2, 3, 2, Decimal("17.50")),
    ]


def test_gold_customer_segmentation(history):
    assert gold_values(history["D"], "customer_segmentation") == [
        (
            "C001",
            "Seattle",
            date(2024, 5, 1),
            Decimal("1000.00"),
            1,
            1,
            Decimal("1000.00"),
            D1,
            D1,
            "HIGH",
        ),
        (
            "C002",
            "Seattle",
            date(2025, 1, 15),
            Decimal("45.10"),
            4,
            8,
            Decimal("11.28"),
            D1,
            D3,
            "LOW",
        ),
        ("C003", None, None, Decimal("18.90"), 2, 2, Decimal("9.45"), D1, D1, "LOW"),
        ("C004", "Portland", None, Decimal("250.00"), 1, 1, Decimal("250.00"), D2, D2, "MEDIUM"),
        ("C005", None, None, Decimal("30.00"), 1, 2, Decimal("30.00"), D3, D3, "LOW"),
    ]


def test_gold_product_category_performance(history):
    assert gold_values(history["D"], "product_category_performance") == [
        (D1, "Books", Decimal("35.00"), 3, 2, 2, Decimal("11.67")),
        (D1, "Electronics", Decimal("1000.00"), 1, 1, 1, Decimal("1000.00")),
        (D1, "Grocery", Decimal("16.50"), 4, 2, 2, Decimal("4.13")),
        (D2, "Electronics", Decimal("250.00"), 1, 1, 1, Decimal("250.00")),
        (D2, "Grocery", Decimal("7.50"), 2, 1, 1, Decimal("3.75")),
        (D3, "Grocery", Decimal("5.00"), 1, 1, 1, Decimal("5.00")),
        (D3, "Toys", Decimal("30.00"), 2, 1, 1, Decimal("15.00")),
    ]


def test_gold_store_performance(history):
    assert gold_values(history["D"], "store_performance") == [
        (D1, "Portland", Decimal("38.90"), 3, 4, 2, Decimal("12.97")),
        (D1, "Seattle", Decimal("1012.60"), 2, 4, 2, Decimal("506.30")),
        (D2, "Portland", Decimal("7.50"), 1, 2, 1, Decimal("7.50")),
        (D2, "Seattle", Decimal("250.00"), 1, 1, 1, Decimal("250.00")),
        (D3, "Denver", Decimal("30.00"), 1, 2, 1, Decimal("30.00")),
        (D3, "Seattle", Decimal("5.00"), 1, 1, 1, Decimal("5.00")),
    ]


def test_gold_lineage_columns(history):
    from analytics_pipeline import TRANSFORMATION_VERSION

    for table, rows in history["D"]["gold"].items():
        assert rows, table
        for row in rows:
            assert row[-2] == TRANSFORMATION_VERSION
            assert row[-3] is not None  # load_timestamp


# -- batching does not matter ------------------------------------------------------------------------
def test_one_batch_gives_the_same_silver_and_gold(spark, history, fixture_lake_one_batch):
    """All files in one run == the same files day by day (latest wins is batch-independent).
    The one-batch lake is the session's (the Synapse view tests read its gold too)."""
    assert fixture_lake_one_batch["b2s"]["metrics"]["files_processed"] == 4
    one_batch = {"gold": snapshot_gold(spark, fixture_lake_one_batch["lake"])}
    for table in silver_to_gold.GOLD_TABLES:
        assert gold_values(one_batch, table) == gold_values(history["D"], table), table


# -- under Unity Catalog (the catalog widget; tables.py) ----------------------------------------------
def values_and_writer(snapshot, table):
    """Each row's values and the run that wrote it (load_timestamp differs between lakes)."""
    return [row[:-3] + row[-1:] for row in snapshot["gold"][table]]


def test_by_name_every_run_gives_the_gold_of_the_path_runs(spark, history, history_by_name):
    for name, _ in RUNS:
        for table in silver_to_gold.GOLD_TABLES:
            assert values_and_writer(history_by_name[name], table) == values_and_writer(
                history[name], table
            ), (name, table)
        assert history_by_name[name]["s2g"]["status"] == history[name]["s2g"]["status"]
    # the registered (empty) tables make the first run incremental from the whole change log
    assert history_by_name["A"]["s2g"]["metrics"]["mode"] == "incremental"


def test_by_name_the_tables_stay_registered_at_the_paths_synapse_reads(spark, history_by_name):
    gold_root = history_by_name["lake"] / "gold"
    for table in silver_to_gold.GOLD_TABLES:
        name = f"{LOCAL_CATALOG}.gold.{table}"
        detail = spark.sql(f"DESCRIBE DETAIL {name}").first()
        assert detail.location == (gold_root / table).as_uri().replace("file:///", "file:/")
        by_name = sorted(tuple(r) for r in spark.read.table(name).collect())
        by_path = spark.read.format("delta").load(str(gold_root / table)).collect()
        assert by_name
        assert by_name == sorted(tuple(r) for r in by_path)


def test_by_name_a_full_refresh_keeps_values_and_synapse_settings(spark, history_by_name):
    lake = history_by_name["lake"]
    params = {"storage_account": str(lake), "catalog": LOCAL_CATALOG, "pipeline_run_id": "full"}
    status = silver_to_gold_main(spark, params, full_refresh=True)
    assert status["metrics"]["mode"] == "full_refresh"
    after = snapshot_gold(spark, lake)
    for table in silver_to_gold.GOLD_TABLES:
        assert [r[:-3] for r in after[table]] == gold_values(history_by_name["E"], table)
        assert {r[-1] for r in after[table]} == {"full"}
        detail = spark.sql(f"DESCRIBE DETAIL {LOCAL_CATALOG}.gold.{table}").first()
        assert (detail.minReaderVersion, detail.minWriterVersion) == (1, 2)
        assert detail.properties["delta.enableDeletionVectors"] == "false"
        assert detail.properties["delta.checkpointPolicy"] == "classic"
