"""Unit tests of the gold transformations (exact rows), segmentation edges, and the gold tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from chispa import assert_df_equality
from pyspark.sql import Observation
from pyspark.sql import functions as F

from analytics_pipeline import silver_to_gold as s2g
from analytics_pipeline.contract import gold_schema, load_contract
from analytics_pipeline.tables import GoldTable, GoldTables
from tools.local_catalog import LOCAL_CATALOG

D1, D2 = date(2026, 11, 1), date(2026, 11, 2)
TX_COLUMNS = "transaction_id string, customer_id string, product_category string, quantity int, amount decimal(18,2), store_location string, transaction_date date"


@pytest.fixture(scope="module")
def transactions(spark):
    rows = [
        ("T1", "C1", "Books", 2, Decimal("10.00"), "Austin", D1),
        ("T2", "C1", "Books", 1, Decimal("5.01"), "Denver", D1),
        ("T3", "C2", "Toys", 3, Decimal("30.00"), "Austin", D1),
        ("T4", "C2", "Toys", 1, Decimal("0.01"), "Austin", D2),
    ]
    return spark.createDataFrame(rows, TX_COLUMNS)


def test_daily_sales_summary_exact(spark, transactions):
    expected = spark.createDataFrame(
        [
            (D1, Decimal("45.01"), 3, 6, 2, Decimal("15.00")),  # 45.01 / 3 = 15.0033
            (D2, Decimal("0.01"), 1, 1, 1, Decimal("0.01")),
        ],
        "transaction_date date, total_revenue decimal(38,2), total_transactions bigint, total_units bigint, unique_customers bigint, avg_transaction_value decimal(18,2)",
    )
    assert_df_equality(
        s2g.daily_sales_summary(transactions), expected, ignore_row_order=True, ignore_nullable=True
    )


def test_product_category_performance_exact(spark, transactions):
    expected = spark.createDataFrame(
        [
            (D1, "Books", Decimal("15.01"), 3, 2, 1, Decimal("5.00")),  # 15.01 / 3 = 5.0033
            (D1, "Toys", Decimal("30.00"), 3, 1, 1, Decimal("10.00")),
            (D2, "Toys", Decimal("0.01"), 1, 1, 1, Decimal("0.01")),
        ],
        "transaction_date date, product_category string, total_revenue decimal(38,2), total_units bigint, total_transactions bigint, unique_customers bigint, avg_unit_price decimal(18,2)",
    )
    assert_df_equality(
        s2g.product_category_performance(transactions),
        expected,
        ignore_row_order=True,
        ignore_nullable=True,
    )


def test_store_performance_exact(spark, transactions):
    expected = spark.createDataFrame(
        [
            (D1, "Austin", Decimal("40.00"), 2, 5, 2, Decimal("20.00")),
            (D1, "Denver", Decimal("5.01"), 1, 1, 1, Decimal("5.01")),
            (D2, "Austin", Decimal("0.01"), 1, 1, 1, Decimal("0.01")),
        ],
        "transaction_date date, store_location string, total_revenue decimal(38,2), total_transactions bigint, total_units bigint, unique_customers bigint, avg_transaction_value decimal(18,2)",
    )
    assert_df_equality(
        s2g.store_performance(transactions), expected, ignore_row_order=True, ignore_nullable=True
    )


def test_averages_round_half_up(spark):
    rows = [("T1", "C1", "Books", 4, Decimal("16.50"), "Austin", D1)]  # 16.50 / 4 = 4.125
    df = spark.createDataFrame(rows, TX_COLUMNS)
    [row] = s2g.product_category_performance(df).collect()
    assert row.avg_unit_price == Decimal("4.13")


SEGMENT_EDGES = [
    ("0.01", "LOW"),
    ("249.99", "LOW"),
    ("250.00", "MEDIUM"),
    ("250.01", "MEDIUM"),
    ("999.99", "MEDIUM"),
    ("1000.00", "HIGH"),
    ("1000.01", "HIGH"),
    ("123456.78", "HIGH"),
]


@pytest.fixture(scope="module")
def segments_by_spend(spark):
    """One customer per edge case, segmented in one go."""
    rows = [
        (f"T{i}", f"C{i}", "Books", 1, Decimal(spend), "Austin", D1)
        for i, (spend, _) in enumerate(SEGMENT_EDGES)
    ]
    out = s2g.customer_segmentation(spark.createDataFrame(rows, TX_COLUMNS), None).collect()
    return {r.total_spend: r.customer_segment for r in out}


def test_segmentation_thresholds_are_the_documented_ones():
    thresholds = (s2g.MEDIUM_VALUE_MIN_SPEND, s2g.HIGH_VALUE_MIN_SPEND)
    assert thresholds == (Decimal("250.00"), Decimal("1000.00"))


@pytest.mark.parametrize(("spend", "segment"), SEGMENT_EDGES)
def test_segmentation_thresholds_at_their_edges(segments_by_spend, spend, segment):
    assert segments_by_spend[Decimal(spend)] == segment


def test_segmentation_sums_lifetime_spend_across_days(spark):
    rows = [
        ("T1", "C1", "Books", 1, Decimal("600.00"), "Austin", D1),
        ("T2", "C1", "Toys", 2, Decimal("400.00"), "Denver", D2),
        ("T3", "C2", "Toys", 1, Decimal("249.99"), "Denver", D2),
    ]
    customers = spark.createDataFrame(
        [("C1", "Austin", D1), ("C9", "Nowhere", D2)],
        "customer_id string, city string, signup_date date",
    )
    expected = spark.createDataFrame(
        [
            ("C1", "Austin", D1, Decimal("1000.00"), 2, 3, Decimal("500.00"), D1, D2, "HIGH"),
            ("C2", None, None, Decimal("249.99"), 1, 1, Decimal("249.99"), D2, D2, "LOW"),
        ],
        "customer_id string, city string, signup_date date, total_spend decimal(38,2), transaction_count bigint, total_units bigint, avg_transaction_value decimal(18,2), first_purchase_date date, last_purchase_date date, customer_segment string",
    )
    actual = s2g.customer_segmentation(spark.createDataFrame(rows, TX_COLUMNS), customers)
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_with_lineage_conforms_to_the_contract(spark, transactions):
    load_ts = datetime(2026, 11, 26, 2, 0)
    out = s2g.with_lineage(
        s2g.daily_sales_summary(transactions), s2g.DAILY_SALES_SUMMARY, load_ts, "run-9"
    )
    assert [(f.name, f.dataType) for f in out.schema] == [
        (f.name, f.dataType) for f in gold_schema(s2g.DAILY_SALES_SUMMARY)
    ]
    assert {
        (r.load_timestamp, r.transformation_version, r.pipeline_run_id) for r in out.collect()
    } == {(load_ts, "1.0.0", "run-9")}


# -- the Delta tables ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gold_tables(spark, tmp_path_factory):
    gold = GoldTables(str(tmp_path_factory.mktemp("gold")))
    for table in s2g.GOLD_TABLES:
        assert s2g.ensure_gold_table(spark, gold.table(table)) is False
        assert s2g.ensure_gold_table(spark, gold.table(table)) is True  # idempotent
    return gold


@pytest.mark.parametrize("table", s2g.GOLD_TABLES)
def test_gold_table_schema_equals_the_contract(spark, gold_tables, table):
    written = spark.read.format("delta").load(gold_tables.table(table).path).schema
    declared = gold_schema(table)
    assert [(f.name, f.dataType.simpleString(), f.nullable) for f in written] == [
        (f.name, f.dataType.simpleString(), f.nullable) for f in declared
    ]


@pytest.mark.parametrize("table", s2g.GOLD_TABLES)
def test_gold_table_is_readable_by_synapse_serverless(spark, gold_tables, table):
    detail = spark.sql(f"DESCRIBE DETAIL delta.`{gold_tables.table(table).path}`").first()
    assert detail.minReaderVersion == 1  # no reader table features
    assert detail.minWriterVersion == 2
    assert detail.properties["delta.enableDeletionVectors"] == "false"
    assert detail.properties["delta.checkpointPolicy"] == "classic"
    assert detail.partitionColumns == list(load_contract().table(table).partition_columns)


def test_replace_customers_updates_inserts_and_deletes(spark, gold_tables):
    target = gold_tables.table(s2g.CUSTOMER_SEGMENTATION)
    load_ts = datetime(2026, 11, 26, 2, 0)

    def segments(rows):
        df = spark.createDataFrame(rows, TX_COLUMNS)
        return s2g.with_lineage(
            s2g.customer_segmentation(df, None), s2g.CUSTOMER_SEGMENTATION, load_ts, "r"
        )

    def touched(*ids):
        return spark.createDataFrame([(i,) for i in ids], "customer_id string")

    first = segments(
        [
            ("T1", "A", "Books", 1, Decimal("10.00"), "X", D1),
            ("T2", "B", "Books", 1, Decimal("20.00"), "X", D1),
        ]
    )
    s2g.replace_customers(spark, first, touched("A", "B"), target)
    # A's history changed, B's transactions were all superseded away, C is new
    second = segments(
        [
            ("T3", "A", "Books", 1, Decimal("300.00"), "X", D2),
            ("T4", "C", "Books", 1, Decimal("5.00"), "X", D2),
        ]
    )
    s2g.replace_customers(spark, second, touched("A", "B", "C"), target)
    got = sorted(
        (r.customer_id, r.total_spend, r.customer_segment)
        for r in spark.read.format("delta").load(target.path).collect()
    )
    assert got == [("A", Decimal("300.00"), "MEDIUM"), ("C", Decimal("5.00"), "LOW")]
    # each write leaves the table as one file (README: no small files accumulate in gold)
    assert spark.sql(f"DESCRIBE DETAIL delta.`{target.path}`").first().numFiles == 1


# -- the Unity Catalog seam (tables.py), on the local spark_catalog --------------------------------------
def test_by_name_the_gold_io_goes_through_the_catalog_never_the_path(spark, tmp_path):
    """With a name, ensure/overwrite/replace resolve the table in the catalog: a target whose
    path does not exist works, and nothing is ever written at that path."""
    registered = GoldTables(str(tmp_path / "registered")).table(s2g.DAILY_SALES_SUMMARY)
    s2g.ensure_gold_table(spark, registered)
    name = f"{LOCAL_CATALOG}.gold.{s2g.DAILY_SALES_SUMMARY}"
    spark.sql(f"CREATE SCHEMA IF NOT EXISTS {LOCAL_CATALOG}.gold")
    spark.sql(f"CREATE TABLE {name} USING DELTA LOCATION '{registered.path}'")
    try:
        elsewhere = tmp_path / "not-the-registered-path"
        target = GoldTable(s2g.DAILY_SALES_SUMMARY, str(elsewhere), name)
        assert s2g.ensure_gold_table(spark, target) is True
        load_ts = datetime(2026, 11, 26, 2, 0)
        rows = [
            ("T1", "C1", "Books", 2, Decimal("10.00"), "Austin", D1),
            ("T2", "C2", "Toys", 1, Decimal("4.00"), "Austin", D2),
        ]

        def gold(rows):
            df = s2g.daily_sales_summary(spark.createDataFrame(rows, TX_COLUMNS))
            return s2g.with_lineage(df, s2g.DAILY_SALES_SUMMARY, load_ts, "r")

        s2g.overwrite(gold(rows), target)
        s2g.replace_dates(
            gold([("T3", "C3", "Books", 1, Decimal("7.00"), "Austin", D2)]), target, [D2]
        )
        got = sorted((r.transaction_date, r.total_revenue) for r in target.read(spark).collect())
        assert got == [(D1, Decimal("10.00")), (D2, Decimal("7.00"))]
        assert (
            sorted((r.transaction_date, r.total_revenue) for r in registered.read(spark).collect())
            == got
        )
        assert not elsewhere.exists()
        detail = spark.sql(f"DESCRIBE DETAIL {name}").first()  # writes by name keep the contract
        assert detail.minReaderVersion == 1
        assert detail.numFiles == 1
        assert detail.properties["delta.enableDeletionVectors"] == "false"
        assert detail.description == load_contract().table(s2g.DAILY_SALES_SUMMARY).description
    finally:
        spark.sql(f"DROP TABLE IF EXISTS {name}")


def test_by_name_a_table_that_is_not_registered_is_an_error(spark, tmp_path):
    target = GoldTables(str(tmp_path / "gold"), LOCAL_CATALOG).table(s2g.STORE_PERFORMANCE)
    with pytest.raises(
        LookupError, match=r"spark_catalog\.gold\.store_performance is not registered"
    ):
        s2g.ensure_gold_table(spark, target)
    assert not (tmp_path / "gold").exists()  # the pipeline does not create it by path instead


def test_observed_rows_reads_the_one_metric_as_observation_get_does(spark):
    observation = Observation()
    df = spark.range(7).observe(observation, F.count(F.lit(1)).alias("rows"))
    df.write.format("noop").mode("overwrite").save()
    assert s2g.observed_rows(observation) == 7
    assert observation.get == {"rows": 7}  # the public API agrees

    without_py4j = SimpleNamespace(get={"rows": 3})  # another PySpark's: only the public API
    assert s2g.observed_rows(without_py4j) == 3
