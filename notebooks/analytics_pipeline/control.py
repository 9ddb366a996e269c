"""Control and metrics records under ``silver/_pipeline/`` (small Delta tables).

* ``processed_files``  one row per bronze file a run committed: the file-level watermark. A file is
                       new when its (path, size, modification time) is not in here, so a re-uploaded
                       file with the same name is processed again (its rows then win as "latest").
* ``silver_changes``   change log: per batch, the transaction dates and customer ids whose silver
                       rows changed. silver_to_gold recomputes exactly those gold rows.
* ``gold_watermark``   the last change-log batch silver_to_gold has applied.
* ``run_metrics``      one row per notebook run: status, counts, quality rate, the exit JSON.

Delta gives atomic appends, so a crashed run leaves either its whole record or nothing. The
pipeline assumes one run at a time per lake (the Data Factory pipeline runs with concurrency 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    DoubleType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from . import lakefs
from .lakefs import FileInfo
from .paths import SilverPaths

PROCESSED_FILES_SCHEMA = StructType(
    [
        StructField("dataset", StringType(), False),
        StructField("file_path", StringType(), False),
        StructField("file_name", StringType(), False),
        StructField("file_size", LongType(), False),
        StructField("file_modified_at", TimestampType(), False),
        StructField("file_modified_ms", LongType(), False),
        StructField("batch_id", LongType(), False),
        StructField("pipeline_run_id", StringType(), False),
        StructField("processed_at", TimestampType(), False),
        StructField("rows_read", LongType(), False),
        StructField("rows_valid", LongType(), False),
        StructField("rows_quarantined", LongType(), False),
        StructField("header", StringType(), True),
    ]
)

CHANGES_SCHEMA = StructType(
    [
        StructField("batch_id", LongType(), False),
        StructField("pipeline_run_id", StringType(), False),
        StructField("kind", StringType(), False),  # "transaction_date" | "customer_id"
        StructField("key", StringType(), False),
    ]
)
KIND_DATE = "transaction_date"
KIND_CUSTOMER = "customer_id"

WATERMARK_SCHEMA = StructType(
    [
        StructField("batch_id", LongType(), False),
        StructField("pipeline_run_id", StringType(), False),
        StructField("updated_at", TimestampType(), False),
    ]
)

RUN_METRICS_SCHEMA = StructType(
    [
        StructField("pipeline_run_id", StringType(), False),
        StructField("notebook", StringType(), False),
        StructField("status", StringType(), False),
        StructField("run_started_at", TimestampType(), False),
        StructField("run_finished_at", TimestampType(), False),
        StructField("ingestion_date", StringType(), True),
        StructField("batch_id", LongType(), True),
        StructField("files_processed", LongType(), True),
        StructField("rows_read", LongType(), True),
        StructField("rows_valid", LongType(), True),
        StructField("rows_quarantined", LongType(), True),
        StructField("quality_rate", DoubleType(), True),
        StructField("rejected_by_reason", MapType(StringType(), LongType()), True),
        StructField("status_json", StringType(), False),
    ]
)


def read_delta(spark: SparkSession, path: str) -> DataFrame | None:
    if not lakefs.exists(spark, f"{path}/_delta_log"):
        return None
    return spark.read.format("delta").load(path)


def append_delta(df: DataFrame, path: str) -> None:
    df.write.format("delta").mode("append").save(path)


# -- processed files (file-level watermark) -----------------------------------------------------
def processed_file_keys(spark: SparkSession, silver: SilverPaths, dataset: str) -> set[tuple]:
    df = read_delta(spark, silver.processed_files)
    if df is None:
        return set()
    rows = (
        df.where(F.col("dataset") == dataset)
        .select("file_path", "file_size", "file_modified_ms")
        .collect()
    )
    return {(lakefs.normalize_path(r.file_path), r.file_size, r.file_modified_ms) for r in rows}


def new_files(
    spark: SparkSession, silver: SilverPaths, dataset: str, files: Iterable[FileInfo]
) -> list[FileInfo]:
    """``files`` minus those already committed in ``processed_files``."""
    done = processed_file_keys(spark, silver, dataset)
    return [f for f in files if (f.key, f.size, f.modified_ms) not in done]


def record_processed_files(spark: SparkSession, silver: SilverPaths, rows: list[tuple]) -> None:
    if rows:
        append_delta(spark.createDataFrame(rows, PROCESSED_FILES_SCHEMA), silver.processed_files)


# -- change log ---------------------------------------------------------------------------------
def next_batch_id(spark: SparkSession, silver: SilverPaths) -> int:
    """1 + the highest batch id in the change log or the processed files (0 for the first)."""
    highest = -1
    for path in (silver.changes, silver.processed_files):
        df = read_delta(spark, path)
        if df is not None:
            value = df.agg(F.max("batch_id")).first()[0]
            if value is not None:
                highest = max(highest, int(value))
    return highest + 1


def record_changes(
    silver: SilverPaths,
    batch_id: int,
    pipeline_run_id: str,
    dates: DataFrame | None,
    customers: DataFrame | None,
) -> None:
    """Append the changed transaction dates (column ``transaction_date``) and customer ids."""
    parts = []
    if dates is not None:
        parts.append(
            dates.select(
                F.lit(KIND_DATE).alias("kind"),
                F.date_format("transaction_date", "yyyy-MM-dd").alias("key"),
            )
        )
    if customers is not None:
        parts.append(
            customers.select(F.lit(KIND_CUSTOMER).alias("kind"), F.col("customer_id").alias("key"))
        )
    if not parts:
        return
    changes = parts[0]
    for part in parts[1:]:
        changes = changes.unionByName(part)
    changes = changes.where(F.col("key").isNotNull()).distinct()
    append_delta(
        changes.select(
            F.lit(batch_id).cast("bigint").alias("batch_id"),
            F.lit(pipeline_run_id).alias("pipeline_run_id"),
            "kind",
            "key",
        ),
        silver.changes,
    )


def pending_changes(spark: SparkSession, silver: SilverPaths) -> tuple[DataFrame | None, int, int]:
    """(changes after the gold watermark, watermark, highest batch id in the log)."""
    watermark = gold_watermark(spark, silver)
    changes = read_delta(spark, silver.changes)
    if changes is None:
        return None, watermark, watermark
    pending = changes.where(F.col("batch_id") > watermark)
    highest = changes.agg(F.max("batch_id")).first()[0]
    return pending, watermark, int(highest) if highest is not None else watermark


def gold_watermark(spark: SparkSession, silver: SilverPaths) -> int:
    df = read_delta(spark, silver.gold_watermark)
    if df is None:
        return -1
    value = df.agg(F.max("batch_id")).first()[0]
    return int(value) if value is not None else -1


def advance_gold_watermark(
    spark: SparkSession, silver: SilverPaths, batch_id: int, pipeline_run_id: str, now: datetime
) -> None:
    append_delta(
        spark.createDataFrame([(batch_id, pipeline_run_id, now)], WATERMARK_SCHEMA),
        silver.gold_watermark,
    )


# -- run metrics ----------------------------------------------------------------------------------
def record_run(
    spark: SparkSession,
    silver: SilverPaths,
    status: dict,
    *,
    started_at: datetime,
    finished_at: datetime,
    batch_id: int | None,
) -> None:
    """Append the run's metrics record (the same JSON the notebook returns or raises)."""
    metrics = status.get("metrics", {})
    row = (
        status["pipeline_run_id"],
        status["notebook"],
        status["status"],
        started_at,
        finished_at,
        status.get("ingestion_date"),
        batch_id,
        metrics.get("files_processed"),
        metrics.get("rows_read"),
        metrics.get("rows_valid"),
        metrics.get("rows_quarantined"),
        float(metrics["quality_rate"]) if "quality_rate" in metrics else None,
        metrics.get("rejected_by_reason"),
        json.dumps(status, sort_keys=True, default=str),
    )
    append_delta(spark.createDataFrame([row], RUN_METRICS_SCHEMA), silver.run_metrics)
