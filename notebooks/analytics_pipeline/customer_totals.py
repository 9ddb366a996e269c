"""Per-customer running totals: customer_segmentation's lifetime figures kept up to date with
signed changes, so an incremental run never re-reads a touched customer's history from silver.

bronze_to_silver records what each batch's silver write changed, per (customer, date): the rows it
added minus the rows it removed (superseded versions, rows a correction moved to another date) -
``silver/_pipeline/customer_changes/batch=<id>/``. silver_to_gold adds the changes of the batches
after its totals (``silver/_pipeline/customer_totals/batch=<id>/``) and writes the result as the
totals of the newest batch.

Sums and counts take signed changes exactly (decimal amounts, no rounding). First and last
purchase dates do not: when a change removes the last transaction on a customer's first (or last)
date, the next one is somewhere in silver. The totals therefore also keep how many transactions
fall on the first and on the last date; a customer whose first (last) date empties without a new
date below (above) it is recomputed from silver, filtered to those customers - rare: a correction
that moves the customer's only transaction of that date.

The totals are rebuilt from silver (one aggregate) when gold is rebuilt, when there are none yet,
and when a batch after them changed silver transactions but left no change record or was never
committed (a crashed bronze_to_silver run: silver may hold part of a write no record describes).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DateType, DecimalType, LongType, StringType, StructField, StructType

from . import lakefs
from .paths import SilverPaths, join

TOTAL_TYPE = DecimalType(38, 2)  # as gold's sums: 10^20 amounts of decimal(18,2) still fit
PARTITION = "batch"  # state and change folders are batch=<id>

# What one batch changed for one customer on one date (signed).
CHANGES_SCHEMA = StructType(
    [
        StructField("customer_id", StringType(), False),
        StructField("transaction_date", DateType(), False),
        StructField("spend", TOTAL_TYPE, False),
        StructField("transactions", LongType(), False),
        StructField("units", LongType(), False),
    ]
)
TOTALS_SCHEMA = StructType(
    [
        StructField("customer_id", StringType(), False),
        StructField("total_spend", TOTAL_TYPE, False),
        StructField("transaction_count", LongType(), False),
        StructField("total_units", LongType(), False),
        StructField("first_purchase_date", DateType(), False),
        StructField("last_purchase_date", DateType(), False),
        # transactions on first_purchase_date / last_purchase_date (to know when one empties)
        StructField("first_date_transactions", LongType(), False),
        StructField("last_date_transactions", LongType(), False),
    ]
)


# ----------------------------------------------------------------------------------------------
# Transformations
# ----------------------------------------------------------------------------------------------
def _signed(rows: DataFrame, negate: bool) -> DataFrame:
    spend = F.col("amount").cast(TOTAL_TYPE)
    units = F.col("quantity").cast("bigint")
    return rows.select(
        "customer_id",
        "transaction_date",
        (F.negate(spend) if negate else spend).alias("spend"),
        F.lit(-1 if negate else 1).cast("bigint").alias("transactions"),
        (F.negate(units) if negate else units).alias("units"),
    )


def signed_changes(added: DataFrame, removed: DataFrame | None = None) -> DataFrame:
    """Per (customer, date): ``added`` rows minus ``removed`` rows (silver transaction columns).

    Pairs that cancel out (a rewritten partition's unchanged rows) are dropped.
    """
    rows = _signed(added, negate=False)
    if removed is not None:
        rows = rows.unionByName(_signed(removed, negate=True))
    return sum_changes(rows)


def sum_changes(changes: DataFrame) -> DataFrame:
    """Changes summed per (customer, date), zero ones dropped."""
    return (
        changes.groupBy("customer_id", "transaction_date")
        .agg(
            F.sum("spend").cast(TOTAL_TYPE).alias("spend"),
            F.sum("transactions").cast("bigint").alias("transactions"),
            F.sum("units").cast("bigint").alias("units"),
        )
        .where("spend != 0 OR transactions != 0 OR units != 0")
    )


def _dated(condition: Column) -> Column:
    """(date, transactions) of a change row where ``condition`` holds, else null (for min/max)."""
    return F.when(condition, F.struct("transaction_date", "transactions"))


def totals_from_transactions(transactions: DataFrame) -> DataFrame:
    """The totals of every customer in ``transactions`` (silver transaction columns)."""
    daily = signed_changes(transactions)
    return (
        daily.groupBy("customer_id")
        .agg(
            F.sum("spend").cast(TOTAL_TYPE).alias("total_spend"),
            F.sum("transactions").cast("bigint").alias("transaction_count"),
            F.sum("units").cast("bigint").alias("total_units"),
            F.min(_dated(F.lit(True))).alias("_first"),
            F.max(_dated(F.lit(True))).alias("_last"),
        )
        .select(*_totals_columns("_first", "_last"))
    )


def _totals_columns(first: str, last: str) -> list[Column]:
    return [
        "customer_id",
        "total_spend",
        "transaction_count",
        "total_units",
        F.col(f"{first}.transaction_date").alias("first_purchase_date"),
        F.col(f"{last}.transaction_date").alias("last_purchase_date"),
        F.col(f"{first}.transactions").alias("first_date_transactions"),
        F.col(f"{last}.transactions").alias("last_date_transactions"),
    ]


def _as_is(df: DataFrame) -> DataFrame:
    return df


def apply_changes(
    totals: DataFrame, changes: DataFrame, keep: Callable[[DataFrame], DataFrame] = _as_is
) -> tuple[DataFrame, DataFrame]:
    """(new totals of the customers in ``changes``, ids of those to recompute from silver).

    ``changes`` must be summed per (customer, date) (:func:`sum_changes`). A customer left
    without transactions is in neither result (it is gone). Both results read one fold of the
    changes into the totals, passed through ``keep`` (a caller that uses both caches it there).
    """
    t = totals.select(
        "customer_id",
        *(F.col(c).alias(f"_old_{c}") for c in TOTALS_SCHEMA.fieldNames() if c != "customer_id"),
    )
    first, last = F.col("_old_first_purchase_date"), F.col("_old_last_purchase_date")
    day, added = F.col("transaction_date"), F.col("transactions") > 0
    folded = (
        changes.join(t, "customer_id", "left")
        .groupBy("customer_id")
        .agg(
            (F.coalesce(F.first("_old_total_spend"), F.lit(0)) + F.sum("spend"))
            .cast(TOTAL_TYPE)
            .alias("total_spend"),
            (F.coalesce(F.first("_old_transaction_count"), F.lit(0)) + F.sum("transactions"))
            .cast("bigint")
            .alias("transaction_count"),
            (F.coalesce(F.first("_old_total_units"), F.lit(0)) + F.sum("units"))
            .cast("bigint")
            .alias("total_units"),
            F.first("_old_first_purchase_date").alias("_first_date"),
            F.first("_old_last_purchase_date").alias("_last_date"),
            # transactions left on the old first / last date
            (
                F.coalesce(F.first("_old_first_date_transactions"), F.lit(0))
                + F.sum(F.when(day == first, F.col("transactions")).otherwise(0))
            ).alias("_first_left"),
            (
                F.coalesce(F.first("_old_last_date_transactions"), F.lit(0))
                + F.sum(F.when(day == last, F.col("transactions")).otherwise(0))
            ).alias("_last_left"),
            # dates outside the old range held nothing, so a positive change there is a purchase
            F.min(_dated(added & (first.isNull() | (day < first)))).alias("_below"),
            F.max(_dated(added & (last.isNull() | (day > last)))).alias("_last_above"),
        )
        .where("transaction_count > 0")
        .select(
            "customer_id",
            "total_spend",
            "transaction_count",
            "total_units",
            _extreme("_below", "_first_date", "_first_left").alias("_first"),
            _extreme("_last_above", "_last_date", "_last_left").alias("_last"),
        )
    )
    folded = keep(folded)
    complete = F.col("_first").isNotNull() & F.col("_last").isNotNull()
    updated = folded.where(complete).select(*_totals_columns("_first", "_last"))
    recompute = folded.where(~complete).select("customer_id")
    return updated, recompute


def advance(
    totals: DataFrame,
    changes: DataFrame,
    history: Callable[[], DataFrame],
    keep: Callable[[DataFrame], DataFrame] = _as_is,
) -> tuple[DataFrame, int]:
    """(``totals`` plus ``changes``, customers recomputed from silver).

    ``changes``: raw change rows of one or more batches; ``history()``: silver transactions as
    they are now, read only for the customers :func:`apply_changes` cannot update (filtered to
    them). ``keep``: see :func:`apply_changes` - the ids to recompute are collected here and the
    result is written later, so caching the fold saves computing it twice.
    """
    summed = sum_changes(changes)
    updated, recompute = apply_changes(totals, summed, keep)
    ids = [r[0] for r in recompute.collect()]
    if ids:
        transactions = history()
        wanted = customer_ids_frame(transactions.sparkSession, ids)
        theirs = transactions.join(F.broadcast(wanted), "customer_id", "left_semi")
        updated = updated.unionByName(totals_from_transactions(theirs))
    changed = summed.select("customer_id").distinct()
    return totals.join(changed, "customer_id", "left_anti").unionByName(updated), len(ids)


def customer_ids_frame(spark: SparkSession, ids: list[str]) -> DataFrame:
    """One ``customer_id`` row per id, built in the JVM from one JSON literal.

    ``createDataFrame`` of a Python list is a Python RDD: every job that reads it starts Python
    workers to unpickle the rows (about 0.15 s a join on the test machine); this frame is a
    constant the optimizer folds, whatever characters the ids hold.
    """
    return spark.range(1).select(
        F.explode(F.from_json(F.lit(json.dumps(ids)), "array<string>")).alias("customer_id")
    )


def _extreme(beyond: str, old_date: str, left: str) -> Column:
    """The new first (last) date and its transactions: a purchase beyond the old one, else the
    old one while it still holds transactions, else unknown (null: recompute)."""
    kept = F.struct(F.col(old_date).alias("transaction_date"), F.col(left).alias("transactions"))
    return F.when(F.col(beyond).isNotNull(), F.col(beyond)).when(F.col(left) > 0, kept)


# ----------------------------------------------------------------------------------------------
# Storage under silver/_pipeline/
# ----------------------------------------------------------------------------------------------
def changes_root(silver: SilverPaths) -> str:
    return silver.pipeline("customer_changes")


def totals_root(silver: SilverPaths) -> str:
    return silver.pipeline("customer_totals")


def batch_folder(root: str, batch_id: int) -> str:
    return join(root, f"{PARTITION}={batch_id:010d}")


def batches(spark: SparkSession, root: str) -> list[int]:
    """Batch ids that have a folder under ``root``, ascending."""
    return sorted(int(v) for v in lakefs.list_partitions(spark, root, PARTITION))


def write(df: DataFrame, root: str, batch_id: int) -> None:
    df.coalesce(1).write.mode("overwrite").parquet(batch_folder(root, batch_id))


def read(spark: SparkSession, root: str, batch_id: int, schema: StructType) -> DataFrame:
    return spark.read.schema(schema).parquet(batch_folder(root, batch_id))


def prune(spark: SparkSession, root: str, keep_from: int) -> None:
    """Delete the folders of batches before ``keep_from`` (applied and superseded)."""
    for batch_id in batches(spark, root):
        if batch_id < keep_from:
            lakefs.delete(spark, batch_folder(root, batch_id))
