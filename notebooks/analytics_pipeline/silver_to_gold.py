"""silver -> gold: the four analyst tables as Delta, conformed to ``gold_contract.json``.

Incremental through the silver change log (see :mod:`analytics_pipeline.control`): a run applies
every change-log batch after the gold watermark and recomputes only

* the **dates** whose silver partition changed - ``daily_sales_summary``,
  ``product_category_performance`` and ``store_performance`` are rewritten for exactly those dates
  with Delta ``replaceWhere`` (a late file for an older date rewrites that date's rows);
* the **customers** whose transactions (or customer record) changed - ``customer_segmentation`` is
  updated with a Delta ``MERGE`` on ``customer_id``, from those customers' full silver history.

Both writes are idempotent, so a rerun - or a crash before the watermark moves - recomputes the
same rows to the same values. The first run (gold missing) or ``full_refresh=True`` rebuilds
everything from silver.

Customer segments (lifetime spend over all valid, deduplicated transactions):
``HIGH`` when total_spend >= 1000.00, ``MEDIUM`` when >= 250.00, otherwise ``LOW``. Lifetime (not a
rolling window) keeps gold a pure function of silver, independent of the day the job runs.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from decimal import Decimal

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from . import TRANSFORMATION_VERSION, control, lakefs
from .contract import conform, load_contract
from .paths import SilverPaths
from .schemas import SILVER_CUSTOMERS_SCHEMA, SILVER_TRANSACTIONS_SCHEMA
from .status import NO_NEW_DATA, SUCCEEDED, build_status, failed_status
from .tables import GoldTable, GoldTables

NOTEBOOK = "silver_to_gold"

DAILY_SALES_SUMMARY = "daily_sales_summary"
CUSTOMER_SEGMENTATION = "customer_segmentation"
PRODUCT_CATEGORY_PERFORMANCE = "product_category_performance"
STORE_PERFORMANCE = "store_performance"
DATE_TABLES = (DAILY_SALES_SUMMARY, PRODUCT_CATEGORY_PERFORMANCE, STORE_PERFORMANCE)
GOLD_TABLES = (
    DAILY_SALES_SUMMARY,
    CUSTOMER_SEGMENTATION,
    PRODUCT_CATEGORY_PERFORMANCE,
    STORE_PERFORMANCE,
)

# Segmentation thresholds on lifetime total_spend (inclusive lower bounds).
HIGH_VALUE_MIN_SPEND = Decimal("1000.00")
MEDIUM_VALUE_MIN_SPEND = Decimal("250.00")


# ----------------------------------------------------------------------------------------------
# Transformations (pure: silver DataFrame in, gold rows out, no lineage columns)
# ----------------------------------------------------------------------------------------------
# Sums of amounts are decimal(38,2): every valid amount fits decimal(18,2) (silver), and 10^20 of
# them still fit the sum, so no value can overflow a total and stop gold (a NULL total would
# fail the NOT NULL contract and freeze the watermark). Averages are at most one amount wide.
TOTAL_TYPE = "decimal(38,2)"
AVERAGE_TYPE = "decimal(18,2)"


def _money(column: Column, type_: str = AVERAGE_TYPE) -> Column:
    """Round half-up to cents, as ``type_``."""
    return F.round(column, 2).cast(type_)


def _sum_amount() -> Column:
    return F.sum(F.col("amount").cast(TOTAL_TYPE))


def daily_sales_summary(transactions: DataFrame) -> DataFrame:
    return (
        transactions.groupBy("transaction_date")
        .agg(
            _sum_amount().alias("_revenue"),
            F.count(F.lit(1)).alias("total_transactions"),
            F.sum("quantity").cast("bigint").alias("total_units"),
            F.countDistinct("customer_id").alias("unique_customers"),
        )
        .select(
            "transaction_date",
            _money(F.col("_revenue"), TOTAL_TYPE).alias("total_revenue"),
            "total_transactions",
            "total_units",
            "unique_customers",
            _money(F.col("_revenue") / F.col("total_transactions")).alias("avg_transaction_value"),
        )
    )


def product_category_performance(transactions: DataFrame) -> DataFrame:
    return (
        transactions.groupBy("transaction_date", "product_category")
        .agg(
            _sum_amount().alias("_revenue"),
            F.sum("quantity").cast("bigint").alias("total_units"),
            F.count(F.lit(1)).alias("total_transactions"),
            F.countDistinct("customer_id").alias("unique_customers"),
        )
        .select(
            "transaction_date",
            "product_category",
            _money(F.col("_revenue"), TOTAL_TYPE).alias("total_revenue"),
            "total_units",
            "total_transactions",
            "unique_customers",
            _money(F.col("_revenue") / F.col("total_units")).alias("avg_unit_price"),
        )
    )


def store_performance(transactions: DataFrame) -> DataFrame:
    return (
        transactions.groupBy("transaction_date", "store_location")
        .agg(
            _sum_amount().alias("_revenue"),
            F.count(F.lit(1)).alias("total_transactions"),
            F.sum("quantity").cast("bigint").alias("total_units"),
            F.countDistinct("customer_id").alias("unique_customers"),
        )
        .select(
            "transaction_date",
            "store_location",
            _money(F.col("_revenue"), TOTAL_TYPE).alias("total_revenue"),
            "total_transactions",
            "total_units",
            "unique_customers",
            _money(F.col("_revenue") / F.col("total_transactions")).alias("avg_transaction_value"),
        )
    )


def customer_segment(total_spend: Column) -> Column:
    """HIGH (>= 1000.00), MEDIUM (>= 250.00) or LOW."""
    return (
        F.when(total_spend >= F.lit(HIGH_VALUE_MIN_SPEND), F.lit("HIGH"))
        .when(total_spend >= F.lit(MEDIUM_VALUE_MIN_SPEND), F.lit("MEDIUM"))
        .otherwise(F.lit("LOW"))
    )


def customer_segmentation(transactions: DataFrame, customers: DataFrame | None) -> DataFrame:
    """Lifetime totals and segment per customer in ``transactions`` (+ city/signup if known)."""
    totals = transactions.groupBy("customer_id").agg(
        _sum_amount().alias("_spend"),
        F.count(F.lit(1)).alias("transaction_count"),
        F.sum("quantity").cast("bigint").alias("total_units"),
        F.min("transaction_date").alias("first_purchase_date"),
        F.max("transaction_date").alias("last_purchase_date"),
    )
    if customers is None:
        attributes = totals.select(
            "customer_id",
            F.lit(None).cast("string").alias("city"),
            F.lit(None).cast("date").alias("signup_date"),
        ).limit(0)
    else:
        attributes = customers.select("customer_id", "city", "signup_date")
    spend = _money(F.col("_spend"), TOTAL_TYPE)
    return totals.join(attributes, "customer_id", "left").select(
        "customer_id",
        "city",
        "signup_date",
        spend.alias("total_spend"),
        "transaction_count",
        "total_units",
        _money(F.col("_spend") / F.col("transaction_count")).alias("avg_transaction_value"),
        "first_purchase_date",
        "last_purchase_date",
        customer_segment(spend).alias("customer_segment"),
    )


def with_lineage(
    df: DataFrame, table: str, load_timestamp: datetime, pipeline_run_id: str
) -> DataFrame:
    """Add load_timestamp / transformation_version / pipeline_run_id and conform to the contract."""
    return conform(
        df.withColumn("load_timestamp", F.lit(load_timestamp).cast("timestamp"))
        .withColumn("transformation_version", F.lit(TRANSFORMATION_VERSION))
        .withColumn("pipeline_run_id", F.lit(pipeline_run_id)),
        table,
    )


# ----------------------------------------------------------------------------------------------
# Gold Delta tables
# ----------------------------------------------------------------------------------------------
def ensure_gold_table(spark: SparkSession, target: GoldTable) -> bool:
    """Create the gold table from the contract if missing. True if it already existed.

    Table properties come from the contract (no deletion vectors, classic checkpoints, reader
    protocol 1) so Synapse serverless can read the table. Under Unity Catalog the catalog
    component registers the tables, so this only finds them (see tables.py).
    """
    from delta.tables import DeltaTable

    if target.exists(spark):
        return True
    contract = load_contract()
    spec = contract.table(target.table)
    builder = (
        DeltaTable.createIfNotExists(spark)
        .location(target.path)
        .addColumns(spec.schema)
        .comment(spec.description)
    )
    if spec.partition_columns:
        builder = builder.partitionedBy(*spec.partition_columns)
    for key, value in contract.table_properties.items():
        builder = builder.property(key, value)
    builder.execute()
    return False


def _date_literal(d: date) -> str:
    return f"DATE'{d.isoformat()}'"


def replace_dates(df: DataFrame, target: GoldTable, dates: list[date]) -> None:
    """Replace the rows of ``dates`` in a date-keyed gold table with ``df`` (idempotent)."""
    predicate = f"transaction_date IN ({', '.join(_date_literal(d) for d in dates)})"
    target.overwrite(df.coalesce(1), predicate)


def overwrite(df: DataFrame, target: GoldTable) -> None:
    target.overwrite(df.coalesce(1))


def merge_customers(
    spark: SparkSession, rows: DataFrame, touched: DataFrame, target: GoldTable
) -> None:
    """Upsert ``rows`` into customer_segmentation; delete touched customers that have no rows left."""
    columns = load_contract().table(CUSTOMER_SEGMENTATION).column_names
    source = touched.join(rows.withColumn("_present", F.lit(True)), "customer_id", "left")
    (
        target.delta_table(spark)
        .alias("t")
        .merge(source.alias("s"), "t.customer_id = s.customer_id")
        .whenMatchedDelete(condition="s._present IS NULL")
        .whenMatchedUpdate(set={c: f"s.{c}" for c in columns})
        .whenNotMatchedInsert(condition="s._present", values={c: f"s.{c}" for c in columns})
        .execute()
    )


# ----------------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------------
def read_silver(
    spark: SparkSession, silver: SilverPaths
) -> tuple[DataFrame | None, DataFrame | None]:
    transactions = customers = None
    if lakefs.exists(spark, silver.transactions):
        transactions = spark.read.schema(SILVER_TRANSACTIONS_SCHEMA).parquet(silver.transactions)
    if lakefs.exists(spark, silver.customers):
        customers = spark.read.schema(SILVER_CUSTOMERS_SCHEMA).parquet(silver.customers)
    return transactions, customers


def run(
    spark: SparkSession,
    *,
    silver_root: str,
    gold_root: str,
    pipeline_run_id: str,
    ingestion_date: date | None = None,
    full_refresh: bool = False,
    now: datetime | None = None,
    catalog: str = "",
) -> dict:
    """Bring gold up to date with silver. Returns the exit status (see status.py).

    ``catalog``: the Unity Catalog catalog whose ``gold`` schema names the gold tables; empty
    writes them by path (see tables.py).
    """
    started = now or datetime.now(UTC)
    silver, gold = SilverPaths(silver_root), GoldTables(gold_root, catalog)
    context = {
        "notebook": NOTEBOOK,
        "pipeline_run_id": pipeline_run_id,
        "ingestion_date": ingestion_date.isoformat() if ingestion_date else None,
    }
    cached: list[DataFrame] = []
    try:
        existed = {t: ensure_gold_table(spark, gold.table(t)) for t in GOLD_TABLES}
        pending, watermark, highest = control.pending_changes(spark, silver)
        full = full_refresh or not all(existed.values())
        transactions, customers = read_silver(spark, silver)

        if transactions is None or (not full and highest <= watermark):
            status = build_status(
                NO_NEW_DATA,
                metrics=_metrics("none", watermark, highest, [], 0, 0, {}),
                **context,
            )
            control.record_run(
                spark, silver, status, started_at=started, finished_at=_now(now), batch_id=None
            )
            return status

        if full:
            dates: list[date] = []
            source = transactions
            touched = transactions.select("customer_id").distinct()
        else:
            dates = sorted(
                {date.fromisoformat(d) for rec in pending for d in rec["transaction_dates"]}
            )
            source = transactions.where(F.col("transaction_date").isin(dates)) if dates else None
            customer_ids = sorted({c for rec in pending for c in rec["customer_ids"]})
            touched = spark.createDataFrame([(c,) for c in customer_ids], "customer_id string")

        rows_written: dict[str, int] = {}
        silver_rows = 0
        if source is not None:
            source = source.persist(StorageLevel.MEMORY_AND_DISK)
            cached.append(source)
            silver_rows = source.count()
            if full and not dates:
                dates = sorted(r[0] for r in source.select("transaction_date").distinct().collect())
            builders = {
                DAILY_SALES_SUMMARY: daily_sales_summary,
                PRODUCT_CATEGORY_PERFORMANCE: product_category_performance,
                STORE_PERFORMANCE: store_performance,
            }
            for table, build in builders.items():
                out = with_lineage(build(source), table, started, pipeline_run_id).persist()
                cached.append(out)
                rows_written[table] = out.count()
                if full:
                    overwrite(out, gold.table(table))
                else:
                    replace_dates(out, gold.table(table), dates)

        touched = touched.persist()
        cached.append(touched)
        customers_refreshed = touched.count()
        if customers_refreshed:
            history = (
                transactions
                if full
                else transactions.join(F.broadcast(touched), "customer_id", "left_semi")
            )
            segments = with_lineage(
                customer_segmentation(history, customers),
                CUSTOMER_SEGMENTATION,
                started,
                pipeline_run_id,
            ).persist()
            cached.append(segments)
            rows_written[CUSTOMER_SEGMENTATION] = segments.count()
            if full:
                overwrite(segments, gold.table(CUSTOMER_SEGMENTATION))
            else:
                merge_customers(spark, segments, touched, gold.table(CUSTOMER_SEGMENTATION))

        if highest > watermark:
            control.advance_gold_watermark(spark, silver, highest, pipeline_run_id, _now(now))
        metrics = _metrics(
            "full_refresh" if full else "incremental",
            watermark,
            highest,
            dates,
            silver_rows,
            customers_refreshed,
            rows_written,
        )
        status = build_status(SUCCEEDED, metrics=metrics, **context)
        control.record_run(
            spark, silver, status, started_at=started, finished_at=_now(now), batch_id=highest
        )
        return status
    except Exception as exc:
        # Best effort: leave a FAILED record for the dashboards, then fail the notebook.
        with contextlib.suppress(Exception):
            status = failed_status(f"{type(exc).__name__}: {exc}", metrics={}, **context)
            control.record_run(
                spark, silver, status, started_at=started, finished_at=_now(now), batch_id=None
            )
        raise
    finally:
        for df in cached:
            df.unpersist()


def _metrics(
    mode: str,
    watermark: int,
    highest: int,
    dates: list[date],
    silver_rows: int,
    customers_refreshed: int,
    rows_written: dict[str, int],
) -> dict:
    return {
        "mode": mode,
        "batches_applied": [watermark + 1, highest] if highest > watermark else [],
        "dates_refreshed": len(dates),
        "first_date_refreshed": dates[0].isoformat() if dates else None,
        "last_date_refreshed": dates[-1].isoformat() if dates else None,
        "silver_rows_read": silver_rows,
        "customers_refreshed": customers_refreshed,
        "rows_written": rows_written,
    }


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)
