"""silver -> gold: the four analyst tables as Delta, conformed to ``gold_contract.json``.

Incremental through the silver change log (see :mod:`analytics_pipeline.control`): a run applies
every change-log batch after the gold watermark and recomputes only

* the **dates** whose silver partition changed - ``daily_sales_summary``,
  ``product_category_performance`` and ``store_performance`` get new rows for exactly those dates
  (a late file for an older date rewrites that date's rows);
* the **customers** whose transactions (or customer record) changed - ``customer_segmentation``
  gets new rows for those customers, from their running totals (:mod:`.customer_totals`).

Each table is rewritten in one Delta commit that keeps the other rows as they were
(:func:`replace_rows`).

Both writes are idempotent, so a rerun - or a crash before the watermark moves - recomputes the
same rows to the same values. The first run (gold missing) or ``full_refresh=True`` rebuilds
everything from silver.

Customer segments (lifetime spend over all valid, deduplicated transactions):
``HIGH`` when total_spend >= 1000.00, ``MEDIUM`` when >= 250.00, otherwise ``LOW``. Lifetime (not a
rolling window) keeps gold a pure function of silver, independent of the day the job runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import TypeVar

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Observation, SparkSession
from pyspark.sql import functions as F

from . import TRANSFORMATION_VERSION, control, customer_totals, lakefs
from .bronze_to_silver import read_silver_customers, read_silver_dates, read_silver_transactions
from .contract import conform, load_contract
from .paths import SilverPaths
from .status import NO_NEW_DATA, SUCCEEDED, build_status, failed_status
from .tables import GoldTable, GoldTables

NOTEBOOK = "silver_to_gold"
T = TypeVar("T")

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


DATE_TABLE_BUILDERS = {
    DAILY_SALES_SUMMARY: daily_sales_summary,
    PRODUCT_CATEGORY_PERFORMANCE: product_category_performance,
    STORE_PERFORMANCE: store_performance,
}


def customer_segment(total_spend: Column) -> Column:
    """HIGH (>= 1000.00), MEDIUM (>= 250.00) or LOW."""
    return (
        F.when(total_spend >= F.lit(HIGH_VALUE_MIN_SPEND), F.lit("HIGH"))
        .when(total_spend >= F.lit(MEDIUM_VALUE_MIN_SPEND), F.lit("MEDIUM"))
        .otherwise(F.lit("LOW"))
    )


def customer_segmentation(transactions: DataFrame, customers: DataFrame | None) -> DataFrame:
    """Lifetime totals and segment per customer in ``transactions`` (+ city/signup if known)."""
    return segments_from_totals(customer_totals.totals_from_transactions(transactions), customers)


def segments_from_totals(totals: DataFrame, customers: DataFrame | None) -> DataFrame:
    """customer_segmentation rows from running totals (:mod:`analytics_pipeline.customer_totals`)."""
    if customers is None:
        attributes = totals.select(
            "customer_id",
            F.lit(None).cast("string").alias("city"),
            F.lit(None).cast("date").alias("signup_date"),
        ).limit(0)
    else:
        attributes = customers.select("customer_id", "city", "signup_date")
    spend = _money(F.col("total_spend"), TOTAL_TYPE)
    return totals.join(attributes, "customer_id", "left").select(
        "customer_id",
        "city",
        "signup_date",
        spend.alias("total_spend"),
        "transaction_count",
        "total_units",
        _money(F.col("total_spend") / F.col("transaction_count")).alias("avg_transaction_value"),
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


def replace_dates(df: DataFrame, target: GoldTable, dates: list[date]) -> int:
    """Replace the rows of ``dates`` in a date-keyed gold table with ``df`` (idempotent).

    Returns the rows written for those dates. See :func:`replace_rows` for how.
    """
    predicate = f"transaction_date IN ({', '.join(_date_literal(d) for d in dates)})"
    kept = target.read(df.sparkSession).where(f"NOT ({predicate})")
    return replace_rows(kept, df, target)


def overwrite(df: DataFrame, target: GoldTable) -> int:
    """Replace the whole table with ``df``; returns the rows written."""
    return replace_rows(None, df, target)


def replace_rows(kept: DataFrame | None, new: DataFrame, target: GoldTable) -> int:
    """Overwrite ``target`` with ``kept`` (its rows that stay, lineage and all) plus ``new``, in one
    Delta commit of one file; returns the rows of ``new``.

    Why not ``replaceWhere``/``MERGE``: the gold tables are small (a few rows per date, one per
    customer) and kept in one file, so either of them rewrites that file anyway - after a job to
    find it, a job to rewrite it without the replaced rows and (MERGE) a materialised source. One
    overwrite that reads the file and writes it back is one job. Delta reads ``kept`` from the
    snapshot the commit replaces, so readers see the old or the new table, never half of it. The
    row count is observed on the way into the write (no extra job, no history lookup).
    """
    observation = Observation()
    counted = new.observe(observation, F.count(F.lit(1)).alias("rows"))
    rows = counted if kept is None else kept.unionByName(counted)
    target.overwrite(rows.coalesce(1))
    return observed_rows(observation)


def observed_rows(observation: Observation) -> int:
    """The ``rows`` metric of ``observation``, after its first action.

    ``Observation.get`` copies the JVM's metric map into a dict entry by entry through py4j: 84
    round trips for this one metric (measured with PySpark 3.5.7). Asking the map for the one key
    is two. Without the py4j object (another PySpark), the public ``get``.
    """
    java = getattr(observation, "_jo", None)
    if java is None:
        return int(observation.get["rows"])
    return int(java.getAsJava().get("rows"))


def replace_customers(
    spark: SparkSession, rows: DataFrame, touched: DataFrame, target: GoldTable
) -> int:
    """Replace the ``touched`` customers' rows with ``rows``: a touched customer without a row is
    deleted (no transactions left), one without a row in the table is inserted. Returns the rows
    written."""
    kept = target.read(spark).join(F.broadcast(touched), "customer_id", "left_anti")
    return replace_rows(kept, rows, target)


# ----------------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------------
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

    def keep(df: DataFrame) -> DataFrame:
        """Cache ``df`` until the run ends: the silver read the date tables share, the totals'
        fold (see customer_totals.advance)."""
        df = df.persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(df)
        return df

    try:
        existed = {t: ensure_gold_table(spark, gold.table(t)) for t in GOLD_TABLES}
        pending, watermark, highest = control.pending_changes(spark, silver)
        full = full_refresh or not all(existed.values())
        has_transactions = lakefs.exists(spark, silver.transactions)

        if not has_transactions or (not full and highest <= watermark):
            status = build_status(
                NO_NEW_DATA,
                metrics=_metrics("none", watermark, highest, [], 0, 0, {}),
                **context,
            )
            control.record_run(
                spark, silver, status, started_at=started, finished_at=_now(now), batch_id=None
            )
            return status

        customers = read_silver_customers(spark, silver)
        if full:
            dates: list[date] = []
            source = read_silver_transactions(spark, silver)
            customer_ids: list[str] = []
        else:
            dates = sorted(
                {date.fromisoformat(d) for rec in pending for d in rec["transaction_dates"]}
            )
            source = read_silver_dates(spark, silver, dates) if dates else None
            customer_ids = sorted({c for rec in pending for c in rec["customer_ids"]})

        writes: dict[str, Callable[[], int | None]] = {}
        silver_rows = 0
        if source is not None:
            # One cached read of the changed dates feeds the three date tables.
            source = keep(source)
            silver_rows = source.count()
            if full:
                dates = sorted(r[0] for r in source.select("transaction_date").distinct().collect())
            for table, build in DATE_TABLE_BUILDERS.items():
                out = with_lineage(build(source), table, started, pipeline_run_id)
                writes[table] = (
                    partial(overwrite, out, gold.table(table))
                    if full
                    else partial(replace_dates, out, gold.table(table), dates)
                )

        def history() -> DataFrame:
            # An incremental run lists all of silver (a Spark job beyond 32 partitions) only if
            # the totals need it; a full refresh reuses its cached read.
            return source if full else read_silver_transactions(spark, silver)

        def update_customers() -> int | None:
            totals, totals_info["customer_totals"] = refresh_customer_totals(
                spark, silver, history, pending, highest, full, keep
            )
            if not (full or customer_ids):
                return None
            return write_customers(
                spark,
                totals,
                customers,
                None if full else customer_ids,
                gold.table(CUSTOMER_SEGMENTATION),
                started,
                pipeline_run_id,
            )

        totals_info: dict = {}
        writes[CUSTOMER_SEGMENTATION] = update_customers
        rows_written = {t: n for t, n in side_by_side(writes).items() if n is not None}
        customers_refreshed = (
            rows_written.get(CUSTOMER_SEGMENTATION, 0) if full else len(customer_ids)
        )

        if highest > watermark:
            control.advance_gold_watermark(spark, silver, highest, pipeline_run_id, _now(now))
        metrics = (
            _metrics(
                "full_refresh" if full else "incremental",
                watermark,
                highest,
                dates,
                silver_rows,
                customers_refreshed,
                rows_written,
            )
            | totals_info
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


def side_by_side(tasks: dict[str, Callable[[], T]]) -> dict[str, T]:
    """Run the gold writes concurrently (one thread each) and wait for all of them.

    A small write's time is mostly Delta's fixed per-commit work on the driver (log listing,
    snapshot, commit, a job per step), which overlaps; the tables are independent and each write
    is idempotent, so a failure leaves nothing a rerun does not redo.
    """
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        futures = {name: pool.submit(task) for name, task in tasks.items()}
        return {name: future.result() for name, future in futures.items()}


def write_customers(
    spark: SparkSession,
    totals: DataFrame,
    customers: DataFrame | None,
    customer_ids: list[str] | None,
    target: GoldTable,
    load_timestamp: datetime,
    pipeline_run_id: str,
) -> int:
    """customer_segmentation from the totals: every customer (``customer_ids`` None, overwrite) or
    the given ones replaced (a touched customer without transactions left is deleted)."""
    if customer_ids is None:
        rows = totals
    else:
        touched = customer_totals.customer_ids_frame(spark, customer_ids)
        rows = totals.join(F.broadcast(touched), "customer_id", "left_semi")
    segments = with_lineage(
        segments_from_totals(rows, customers),
        CUSTOMER_SEGMENTATION,
        load_timestamp,
        pipeline_run_id,
    )
    if customer_ids is None:
        return overwrite(segments, target)
    return replace_customers(spark, segments, touched, target)


def refresh_customer_totals(
    spark: SparkSession,
    silver: SilverPaths,
    history: Callable[[], DataFrame],
    pending: list[dict],
    highest: int,
    full: bool,
    keep: Callable[[DataFrame], DataFrame],
) -> tuple[DataFrame, dict]:
    """The running totals as of batch ``highest`` (see :mod:`analytics_pipeline.customer_totals`)
    and how they were obtained: ``{"mode": "applied" | "rebuilt" | "stored",
    "customers_recomputed": n}``.

    Adds the changes of the batches after the stored totals, or rebuilds them from silver (full
    refresh, none stored, or a batch whose changes are missing); a rerun finds them written.
    ``keep`` caches the fold of the changes into the stored totals (see customer_totals.advance).
    """
    ct = customer_totals
    root, changes_root = ct.totals_root(silver), ct.changes_root(silver)
    stored = ct.batches(spark, root)
    applied = stored[-1] if stored else None
    batch_id = max(highest, 0)
    if not full and applied is not None and applied >= batch_id:
        return ct.read(spark, root, applied, ct.TOTALS_SCHEMA), {"mode": "stored"}
    info = {"mode": "applied", "customers_recomputed": 0}
    if full or applied is None or not _changes_complete(spark, silver, pending, applied):
        info["mode"] = "rebuilt"
        totals = ct.totals_from_transactions(history())
    else:
        old = ct.read(spark, root, applied, ct.TOTALS_SCHEMA)
        batch_ids = [b for b in ct.batches(spark, changes_root) if applied < b <= batch_id]
        changes = None
        for b in batch_ids:
            one = ct.read(spark, changes_root, b, ct.CHANGES_SCHEMA)
            changes = one if changes is None else changes.unionByName(one)
        if changes is None:
            totals = old
        else:
            totals, info["customers_recomputed"] = ct.advance(old, changes, history, keep)
    ct.write(totals, root, batch_id)
    ct.prune(spark, root, batch_id)
    ct.prune(spark, changes_root, batch_id + 1)
    return ct.read(spark, root, batch_id, ct.TOTALS_SCHEMA), info


def _changes_complete(
    spark: SparkSession, silver: SilverPaths, pending: list[dict], applied: int
) -> bool:
    """Every batch after ``applied`` that changed silver transactions was committed and left its
    customer changes (else a crashed run may have changed silver in a way nothing records)."""
    if applied < control.gold_watermark(spark, silver):
        return False  # change records between them are not in ``pending``
    committed = control.committed_batch_ids(spark, silver)
    recorded = set(customer_totals.batches(spark, customer_totals.changes_root(silver)))
    return all(
        rec["batch_id"] in committed and rec["batch_id"] in recorded
        for rec in pending
        if rec["batch_id"] > applied and rec["transaction_dates"]
    )


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
