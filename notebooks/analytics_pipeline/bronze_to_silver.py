"""bronze -> silver: explicit schema, typing, validation, dedupe, quarantine, lineage, metrics.

Incremental by file: a run reads only the bronze files that are not yet in
``silver/_pipeline/processed_files`` (see :mod:`analytics_pipeline.control`), so rerunning the same
input is a no-op (``NO_NEW_DATA``).

"Latest wins" is one total order used everywhere (within a batch, across batches, for transactions
and customers): by the bronze file's modification time (when it landed), then its path, then the
record's position in the file. Silver is therefore a pure function of the set of bronze files,
however they were batched into runs.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import LongType, StringType, StructField, StructType, TimestampType

from . import control, customer_totals, lakefs
from .lakefs import FileInfo
from .paths import BronzePaths, SilverPaths, join
from .schemas import (
    AMOUNT_TYPE,
    CUSTOMERS,
    SILVER_CUSTOMERS_SCHEMA,
    SILVER_TRANSACTIONS_SCHEMA,
    TRANSACTIONS,
    BronzeDataset,
    cast_to,
    quarantine_schema,
)
from .status import NO_NEW_DATA, SUCCEEDED, QualityThresholdError, build_status, failed_status

NOTEBOOK = "bronze_to_silver"
CORRUPT = "_corrupt_record"
# With CSV column pruning on, Spark parses only the columns a query needs and cannot tell that a
# row is missing a column nobody selects (e.g. an extra column), so malformed rows would pass.
# run() turns it off for its own duration.
CSV_COLUMN_PRUNING = "spark.sql.csv.parser.columnPruning.enabled"

# Rejection reasons, in priority order: a row's ``rejection_reason`` is the first that applies;
# ``rejection_reasons`` lists all of them.
REASON_HEADER = "unrecognized_header"  # the file's header names none of the expected columns
REASON_MALFORMED = "malformed_row"  # field count differs from the header
REASON_ENCODING = (
    "invalid_encoding"  # bytes that are not UTF-8 (or a U+FFFD left by a lossy export)
)
REASON_DUPLICATE = {
    "transactions": "duplicate_transaction_id",
    "customers": "duplicate_customer_id",
}
TRANSACTION_REASONS = [
    REASON_HEADER,
    REASON_MALFORMED,
    REASON_ENCODING,
    "missing_transaction_id",
    "missing_customer_id",
    "invalid_transaction_date",
    "invalid_amount",
    "non_positive_amount",
    "invalid_quantity",
    "non_positive_quantity",
    "missing_product_category",
    "missing_store_location",
    REASON_DUPLICATE["transactions"],
]
CUSTOMER_REASONS = [
    REASON_HEADER,
    REASON_MALFORMED,
    REASON_ENCODING,
    "missing_customer_id",
    "invalid_signup_date",
    REASON_DUPLICATE["customers"],
]

# Accepted text formats. Strict on purpose: anything else is quarantined rather than guessed at.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"  # ISO yyyy-MM-dd
MIN_YEAR, MAX_YEAR = 1900, 2999  # accepted transaction / signup years (inclusive)
AMOUNT_PATTERN = (
    r"^[+-]?\d{1,16}(\.\d{1,2})?$"  # fits decimal(18,2) exactly, no thousands separator
)
QUANTITY_PATTERN = r"^[+-]?\d{1,9}$"  # fits int
# Java regex (Spark) for lakefs.WHITESPACE: (?U) makes \s match all Unicode White_Space.
WS = f"(?U)[{lakefs.WHITESPACE}]"
# What a decoder leaves for bytes that are not valid UTF-8.
REPLACEMENT_CHARACTER = "\ufffd"


# ----------------------------------------------------------------------------------------------
# Reading bronze
# ----------------------------------------------------------------------------------------------
@dataclass
class FileSchemaReport:
    file: str
    header: list[str]
    missing_columns: list[str]
    extra_columns: list[str]

    @property
    def recognized(self) -> bool:
        """The header names at least one expected column (else its first line may be data)."""
        return len(self.extra_columns) < len(self.header)


FILE_ERROR = "_file_error"  # a file-level rejection reason for every row of the file, or null


def raw_schema(dataset: BronzeDataset) -> StructType:
    """Columns of :func:`read_bronze`'s result."""
    return StructType(
        [StructField(c, StringType(), True) for c in dataset.columns]
        + [
            StructField(CORRUPT, StringType(), True),
            StructField(FILE_ERROR, StringType(), True),
            StructField("source_file", StringType(), False),
            StructField("source_file_modified_at", TimestampType(), False),
            StructField("source_record_number", LongType(), False),
        ]
    )


def csv_reader(spark: SparkSession, schema: StructType, *, header: bool):
    """The input dialect: RFC 4180 CSV in UTF-8 (see notebooks/README.md, "Input contract").

    * ``multiLine``: a quoted field may hold line breaks (the parser, not a line splitter, finds
      record ends; a file is then read by one task);
    * ``escape='"'``: a quote inside a quoted field is doubled (RFC 4180 2.7); a backslash is an
      ordinary character (Spark's default escape is a backslash, which RFC 4180 does not have);

    Spark treats every path it is given as a glob pattern: pass them through :func:`literal_paths`.
    """
    return (
        spark.read.schema(schema)
        .option("header", header)
        .option("multiLine", True)
        .option("quote", '"')
        .option("escape", '"')
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("encoding", "UTF-8")
    )


def literal_paths(files: list[FileInfo]) -> list[str]:
    """The files' paths with glob characters escaped, so Spark reads exactly these files.

    Spark globs every path (``export [resend].csv`` matches ``export r.csv``, and fails when no
    file matches). Its ``__globPaths__=false`` option is no way out: with several paths it returns
    every path once per path holding a glob character (files read twice). Hadoop's glob syntax
    escapes a special character with a backslash.
    """
    return [re.sub(r"([{}\[\]*?\\])", r"\\\1", f.path) for f in files]


def read_bronze(
    spark: SparkSession, files: list[FileInfo], dataset: BronzeDataset
) -> tuple[DataFrame, list[FileSchemaReport]]:
    """Read ``files`` as text columns named as ``dataset.columns``, matched by header name.

    Files are grouped by header; each group is read with a schema built from its header (so the
    CSV parser flags rows whose field count differs as malformed) and projected onto the expected
    columns: missing ones become null, extra ones are dropped and reported. The header is the
    first non-empty line. A file whose header names none of the expected columns is read without
    a header and every record of it (the first line too) is rejected as ``unrecognized_header``.

    Adds ``_corrupt_record`` (raw text of a malformed row), ``_file_error``, ``source_file``,
    ``source_file_modified_at`` and ``source_record_number`` (1-based record in the file).
    Evaluate with ``spark.sql.csv.parser.columnPruning.enabled=false`` (see CSV_COLUMN_PRUNING).
    """
    groups: dict[tuple[tuple[str, ...], bool], list[FileInfo]] = defaultdict(list)
    reports = []
    for f in files:
        header = lakefs.read_header(spark, f.path)
        report = FileSchemaReport(
            file=f.path,
            header=header,
            missing_columns=[c for c in dataset.columns if c not in header],
            extra_columns=[c for c in header if c not in dataset.columns],
        )
        if header:  # a file without a non-empty line has no records: reported, not read
            groups[(tuple(header), report.recognized)].append(f)
        reports.append(report)

    frames = []
    for (header, recognized), group in groups.items():
        positional = [f"_c{i}" for i in range(len(header))]
        schema = StructType(
            [StructField(name, StringType(), True) for name in positional]
            + [StructField(CORRUPT, StringType(), True)]
        )
        raw = csv_reader(spark, schema, header=recognized).csv(literal_paths(group))
        index = {name: i for i, name in reversed(list(enumerate(header)))}  # first occurrence wins
        if recognized:
            columns = [
                F.col(positional[index[c]]).alias(c)
                if c in index
                else F.lit(None).cast("string").alias(c)
                for c in dataset.columns
            ]
            corrupt, file_error = F.col(CORRUPT), F.lit(None).cast("string")
        else:  # keep each record's text for the quarantine, nothing else
            columns = [F.lit(None).cast("string").alias(c) for c in dataset.columns]
            corrupt = F.coalesce(F.col(CORRUPT), F.concat_ws(",", *positional))
            file_error = F.lit(REASON_HEADER)
        frames.append(
            raw.select(
                *columns,
                corrupt.alias(CORRUPT),
                file_error.alias(FILE_ERROR),
                F.col("_metadata.file_path").alias("source_file"),
                F.col("_metadata.file_modification_time").alias("source_file_modified_at"),
                F.col("_metadata.file_block_start").alias("_block_start"),
                # Evaluated in the scan, before any shuffle: increasing within a file split.
                F.monotonically_increasing_id().alias("_scan_order"),
            )
        )
    if not frames:
        return spark.createDataFrame([], raw_schema(dataset)), reports
    df = frames[0]
    for frame in frames[1:]:
        df = df.unionByName(frame)
    in_file = Window.partitionBy("source_file").orderBy("_block_start", "_scan_order")
    df = df.withColumn("source_record_number", F.row_number().over(in_file).cast("bigint"))
    return df.drop("_block_start", "_scan_order"), reports


# ----------------------------------------------------------------------------------------------
# Typing and validation
# ----------------------------------------------------------------------------------------------
def clean_text(column: str) -> Column:
    """Text with leading/trailing whitespace of any kind (tab, NBSP, ...) removed; empty -> null."""
    trimmed = F.regexp_replace(F.col(column), f"^{WS}+|{WS}+$", "")
    return F.when(trimmed != "", trimmed)


def standardize_name(column: str) -> Column:
    """`` electronics `` / ``ELECTRONICS`` -> ``Electronics``; ``home &\tgarden`` -> ``Home & Garden``.

    Inner runs of whitespace become one space, so a name spelled with a tab or NBSP is the same name.
    """
    return F.initcap(F.lower(F.regexp_replace(clean_text(column), f"{WS}+", " ")))


def undecodable(columns: list[str]) -> Column:
    """True when a column holds U+FFFD: bytes the UTF-8 decoder could not read (or a lossy export's
    replacement character, which is no better)."""
    return F.concat_ws("", *columns).contains(REPLACEMENT_CHARACTER)


def parse_iso_date(text: Column) -> Column:
    """``yyyy-MM-dd`` -> date, anything else (``2026-02-30``, ``31/11/2026``) -> null.

    Built from integer parts instead of ``to_date`` so it never raises, whatever
    ``spark.sql.ansi.enabled`` or ``spark.sql.legacy.timeParserPolicy`` say.
    """
    well_formed = text.rlike(DATE_PATTERN)
    year = F.substring(text, 1, 4).cast("int")
    month = F.substring(text, 6, 2).cast("int")
    day = F.substring(text, 9, 2).cast("int")
    month_ok = well_formed & year.between(MIN_YEAR, MAX_YEAR) & month.between(1, 12)
    days_in_month = F.dayofmonth(F.last_day(F.make_date(year, month, F.lit(1))))
    return F.when(month_ok & (day >= 1) & (day <= days_in_month), F.make_date(year, month, day))


def parse_amount(text: Column) -> Column:
    return F.when(text.rlike(AMOUNT_PATTERN), text.cast(AMOUNT_TYPE))


def parse_quantity(text: Column) -> Column:
    return F.when(text.rlike(QUANTITY_PATTERN), text.cast("int"))


def _reasons(*checks: tuple[str, Column]) -> Column:
    """Array of the reasons whose condition is true, in the given (priority) order."""
    return F.array_compact(F.array(*(F.when(cond, F.lit(reason)) for reason, cond in checks)))


def latest_first(prefix: str = "") -> list[Column]:
    """The "latest wins" order: newest file landing first, then path, then last record in file."""
    return [
        F.col(f"{prefix}source_file_modified_at").desc(),
        F.col(f"{prefix}source_file").desc(),
        F.col(f"{prefix}source_record_number").desc(),
    ]


def parse_transactions(raw: DataFrame) -> DataFrame:
    """Typed transaction columns plus ``rejection_reasons`` (validation, no dedupe yet)."""
    typed = raw.select(
        "*",
        clean_text("transaction_id").alias("_transaction_id"),
        clean_text("customer_id").alias("_customer_id"),
        parse_iso_date(clean_text("transaction_date")).alias("_transaction_date"),
        F.upper(clean_text("product_id")).alias("_product_id"),
        standardize_name("product_category").alias("_product_category"),
        parse_quantity(clean_text("quantity")).alias("_quantity"),
        parse_amount(clean_text("amount")).alias("_amount"),
        standardize_name("store_location").alias("_store_location"),
        F.lower(clean_text("payment_method")).alias("_payment_method"),
    )
    reasons = _reasons(
        (REASON_HEADER, F.col(FILE_ERROR) == REASON_HEADER),
        (REASON_MALFORMED, F.col(CORRUPT).isNotNull()),
        (REASON_ENCODING, undecodable([*TRANSACTIONS.columns, CORRUPT])),
        ("missing_transaction_id", F.col("_transaction_id").isNull()),
        ("missing_customer_id", F.col("_customer_id").isNull()),
        ("invalid_transaction_date", F.col("_transaction_date").isNull()),
        ("invalid_amount", F.col("_amount").isNull()),
        ("non_positive_amount", F.col("_amount") <= 0),
        ("invalid_quantity", F.col("_quantity").isNull()),
        ("non_positive_quantity", F.col("_quantity") <= 0),
        ("missing_product_category", F.col("_product_category").isNull()),
        ("missing_store_location", F.col("_store_location").isNull()),
    )
    return typed.withColumn("rejection_reasons", reasons)


def parse_customers(raw: DataFrame) -> DataFrame:
    signup_text = clean_text("signup_date")
    typed = raw.select(
        "*",
        clean_text("customer_id").alias("_customer_id"),
        clean_text("first_name").alias("_first_name"),
        clean_text("last_name").alias("_last_name"),
        F.lower(clean_text("email")).alias("_email"),
        standardize_name("city").alias("_city"),
        parse_iso_date(signup_text).alias("_signup_date"),
    )
    reasons = _reasons(
        (REASON_HEADER, F.col(FILE_ERROR) == REASON_HEADER),
        (REASON_MALFORMED, F.col(CORRUPT).isNotNull()),
        (REASON_ENCODING, undecodable([*CUSTOMERS.columns, CORRUPT])),
        ("missing_customer_id", F.col("_customer_id").isNull()),
        ("invalid_signup_date", signup_text.isNotNull() & F.col("_signup_date").isNull()),
    )
    return typed.withColumn("rejection_reasons", reasons)


def flag_duplicates(parsed: DataFrame, key: str, reason: str) -> DataFrame:
    """Among rows that passed validation, keep the latest per ``key``; flag the others ``reason``.

    Adds ``rejection_reason`` (first reason, null for valid rows).
    """
    valid = F.size("rejection_reasons") == 0
    ranked = parsed.withColumn("_valid", valid).withColumn(
        "_rank",
        F.row_number().over(Window.partitionBy(key, "_valid").orderBy(*latest_first())),
    )
    reasons = F.when(F.col("_valid") & (F.col("_rank") > 1), F.array(F.lit(reason))).otherwise(
        F.col("rejection_reasons")
    )
    return (
        ranked.withColumn("rejection_reasons", reasons)
        .withColumn("rejection_reason", F.element_at("rejection_reasons", 1))
        .drop("_valid", "_rank")
    )


def classify_transactions(raw: DataFrame) -> DataFrame:
    return flag_duplicates(
        parse_transactions(raw), "_transaction_id", REASON_DUPLICATE["transactions"]
    )


def classify_customers(raw: DataFrame) -> DataFrame:
    return flag_duplicates(parse_customers(raw), "_customer_id", REASON_DUPLICATE["customers"])


@dataclass(frozen=True)
class Lineage:
    ingestion_timestamp: datetime
    pipeline_run_id: str

    def columns(self) -> list[Column]:
        return [
            F.col("source_file"),
            F.col("source_file_modified_at"),
            F.col("source_record_number"),
            F.lit(self.ingestion_timestamp).cast("timestamp").alias("ingestion_timestamp"),
            F.lit(self.pipeline_run_id).alias("pipeline_run_id"),
        ]


def silver_transactions(classified: DataFrame, lineage: Lineage) -> DataFrame:
    """Valid rows in the silver transactions schema."""
    valid = classified.where(F.col("rejection_reason").isNull())
    df = valid.select(
        F.col("_transaction_id").alias("transaction_id"),
        F.col("_customer_id").alias("customer_id"),
        F.col("_product_id").alias("product_id"),
        F.col("_product_category").alias("product_category"),
        F.col("_quantity").alias("quantity"),
        F.col("_amount").alias("amount"),
        F.col("_store_location").alias("store_location"),
        F.col("_payment_method").alias("payment_method"),
        *lineage.columns(),
        F.col("_transaction_date").alias("transaction_date"),
    )
    return cast_to(df, SILVER_TRANSACTIONS_SCHEMA)


def silver_customers(classified: DataFrame, lineage: Lineage) -> DataFrame:
    valid = classified.where(F.col("rejection_reason").isNull())
    df = valid.select(
        F.col("_customer_id").alias("customer_id"),
        F.col("_first_name").alias("first_name"),
        F.col("_last_name").alias("last_name"),
        F.col("_email").alias("email"),
        F.col("_city").alias("city"),
        F.col("_signup_date").alias("signup_date"),
        *lineage.columns(),
    )
    return cast_to(df, SILVER_CUSTOMERS_SCHEMA)


def quarantine_rows(classified: DataFrame, dataset: BronzeDataset, lineage: Lineage) -> DataFrame:
    """Rejected rows: original text of every column, the reason(s), lineage."""
    rejected = classified.where(F.col("rejection_reason").isNotNull())
    df = rejected.select(
        *(F.col(c) for c in dataset.columns),
        F.col(CORRUPT).alias("raw_record"),
        F.col("rejection_reason"),
        F.col("rejection_reasons"),
        *lineage.columns(),
    )
    return cast_to(df, quarantine_schema(dataset))


# ----------------------------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------------------------
@dataclass
class DatasetResult:
    dataset: BronzeDataset
    files: list[FileInfo]
    reports: list[FileSchemaReport]
    classified: DataFrame | None = None
    # (file key, reason or None) -> rows
    counts: dict[tuple[str, str | None], int] = field(default_factory=dict)

    def file_counts(self, f: FileInfo) -> dict:
        """The file's records: read = valid (to silver) + quarantined, and why they were rejected."""
        read = valid = 0
        by_reason: dict[str, int] = defaultdict(int)
        for (key, reason), n in self.counts.items():
            if key == f.key:
                read += n
                if reason is None:
                    valid += n
                else:
                    by_reason[reason] += n
        return {
            "rows_read": read,
            "rows_valid": valid,
            "rows_quarantined": read - valid,
            "rejected_by_reason": dict(sorted(by_reason.items())),
        }

    def metrics(self) -> dict:
        rows_read = sum(self.counts.values())
        rows_valid = sum(n for (_, reason), n in self.counts.items() if reason is None)
        by_reason: dict[str, int] = defaultdict(int)
        for (_, reason), n in self.counts.items():
            if reason is not None:
                by_reason[reason] += n
        return {
            "files_processed": len(self.files),
            "rows_read": rows_read,
            "rows_valid": rows_valid,
            "rows_quarantined": rows_read - rows_valid,
            "rejected_by_reason": dict(sorted(by_reason.items())),
            "quality_rate": quality_rate(rows_valid, rows_read),
            "schema_drift": [
                {
                    "file": r.file,
                    "missing_columns": r.missing_columns,
                    "extra_columns": r.extra_columns,
                }
                for r in self.reports
                if r.missing_columns or r.extra_columns
            ],
        }


def quality_rate(valid: int, read: int) -> float:
    """Percent of rows read that were valid, 2 decimals (for display); 100.0 when nothing was read."""
    return 100.0 if read == 0 else round(100.0 * valid / read, 2)


def below_threshold(valid: int, read: int, threshold: float) -> bool:
    """The quality gate, on the exact ratio: 94.995 % does not pass a 95 % gate (the rounded
    ``quality_rate`` would say 95.0). Nothing read never fails."""
    return read > 0 and Fraction(100 * valid, read) < Fraction(str(threshold))


def empty_metrics() -> dict:
    return {
        "files_processed": 0,
        "rows_read": 0,
        "rows_valid": 0,
        "rows_quarantined": 0,
        "rejected_by_reason": {},
        "quality_rate": 100.0,
        "schema_drift": [],
    }


def process_dataset(
    spark: SparkSession, files: list[FileInfo], dataset: BronzeDataset
) -> DatasetResult:
    """Read, type, validate and dedupe ``files``; the classified rows are cached for the writes."""
    result = DatasetResult(dataset=dataset, files=files, reports=[])
    if not files:
        return result
    raw, result.reports = read_bronze(spark, files, dataset)
    classify = classify_transactions if dataset is TRANSACTIONS else classify_customers
    classified = classify(raw).persist(StorageLevel.MEMORY_AND_DISK)
    result.classified = classified
    rows = classified.groupBy("source_file", "rejection_reason").count().collect()
    result.counts = {
        (lakefs.normalize_path(r["source_file"]), r["rejection_reason"]): int(r["count"])
        for r in rows
    }
    unexpected = {key for key, _ in result.counts} - {f.key for f in files}
    if unexpected:  # never commit rows of a file that was not listed (e.g. read through a glob)
        raise RuntimeError(f"read files that were not listed: {sorted(unexpected)}")
    return result


# ----------------------------------------------------------------------------------------------
# Writing silver
# ----------------------------------------------------------------------------------------------
def write_quarantine(rows: DataFrame, path: str) -> None:
    """Write the batch's rejected rows to ``silver/quarantine/<dataset>/`` (Parquet).

    Partitioned by ``source_file_name`` with dynamic partition overwrite: the quarantine of a file
    is replaced, never appended to, so a rerun after a failure (or a failed quality gate) cannot
    add a row twice - and investigating a file means reading one folder.
    """
    (
        rows.withColumn("source_file_name", F.element_at(F.split("source_file", "/"), -1))
        .repartition("source_file_name")
        .write.mode("overwrite")
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("source_file_name")
        .parquet(path)
    )


@dataclass
class SilverWrite:
    dates_written: list[str]  # transaction dates whose partition was (re)written
    partitions_rewritten: int  # of those, partitions that already existed
    rows_replaced: int  # rows that lost "latest wins" against another version
    # (source file, its modification ms) -> rows that lost
    superseded: dict[tuple[str, int], int] = field(default_factory=dict)


def _rank_versions(df: DataFrame, key: str) -> DataFrame:
    """``df`` plus ``_rank`` (1 = the latest version of ``key``) and ``_superseded``.

    ``_superseded`` marks a loser that is another record than the winner: a second copy of the very
    same record (a rerun after a crash finds its own rows in silver) is dropped, not counted.
    """
    w = Window.partitionBy(key).orderBy(*latest_first())
    same_record = (F.col("source_file") == F.first("source_file").over(w)) & (
        F.col("source_record_number") == F.first("source_record_number").over(w)
    )
    rank = F.row_number().over(w)
    return df.withColumn("_rank", rank).withColumn("_superseded", (rank > 1) & ~same_record)


def _latest(ranked: DataFrame) -> DataFrame:
    return ranked.where("_rank = 1").drop("_rank", "_superseded")


def _superseded_by_file(ranked: DataFrame) -> dict[tuple[str, int], int]:
    """Superseded rows per source file upload: (path, modification time in epoch ms) -> rows."""
    landed = F.expr("unix_millis(source_file_modified_at)").alias("modified_ms")
    rows = ranked.where("_superseded").groupBy("source_file", landed).count().collect()
    return {
        (lakefs.normalize_path(r["source_file"]), int(r["modified_ms"])): int(r["count"])
        for r in rows
    }


def write_silver_transactions(
    spark: SparkSession,
    new_rows: DataFrame,
    silver: SilverPaths,
    run_token: str,
    record_changes: Callable[[list[str], list[str]], None],
    batch_id: int,
) -> SilverWrite:
    """Merge ``new_rows`` into silver/transactions (Parquet partitioned by transaction_date).

    Only the partitions that receive new rows - or hold an older version of a transaction_id that
    arrives again - are rewritten (dynamic partition overwrite); everything else is untouched. A
    rewritten partition is staged first, so no file is overwritten while it is being read.

    Calls ``record_changes(dates, customer_ids)`` with the changed transaction dates and customer
    ids, computed against silver *before* the rewrite (a superseded row's date and customer change
    too). Writes the batch's signed per-(customer, date) changes for the running totals
    (:mod:`analytics_pipeline.customer_totals`) before silver is overwritten.
    """
    target = silver.transactions
    existing_dates = set(lakefs.list_partitions(spark, target, "transaction_date"))
    new_keys = new_rows.select("transaction_id", "transaction_date", "customer_id")
    # One job for the new dates, their customers and the id range the probe of silver needs.
    keys = new_keys.agg(
        F.collect_set("transaction_date").alias("dates"),
        F.collect_set("customer_id").alias("customers"),
        F.min("transaction_id").alias("low"),
        F.max("transaction_id").alias("high"),
    ).first()
    new_dates = {d.isoformat() for d in keys["dates"]}
    older = []
    if existing_dates and new_dates:
        older = older_versions(spark, silver, new_keys, keys["low"], keys["high"])
    collision_dates = {r["transaction_date"].isoformat() for r in older}
    affected = sorted(new_dates | collision_dates)
    rewrite = sorted(set(affected) & existing_dates)

    if not affected:
        record_changes([], [])  # still log the batch (e.g. customer changes)
        return SilverWrite([], 0, 0)
    record_changes(affected, sorted({*keys["customers"], *(r["customer_id"] for r in older)}))

    superseded: dict[tuple[str, int], int] = {}
    changes_folder = customer_totals.changes_root(silver)
    if rewrite:
        existing_rows = read_silver_dates(spark, silver, [date.fromisoformat(d) for d in rewrite])
        combined = existing_rows.unionByName(new_rows)
        staging = f"{silver.staging(run_token)}/transactions"
        # Cached: the staged write and the count of superseded rows both need the ranking.
        ranked = _rank_versions(combined, "transaction_id").persist(StorageLevel.MEMORY_AND_DISK)
        try:
            _write_transactions(_latest(ranked), staging, mode="overwrite")
            superseded = _superseded_by_file(ranked)
        finally:
            ranked.unpersist()
        staged = spark.read.schema(SILVER_TRANSACTIONS_SCHEMA).parquet(staging)
        emptied = set(rewrite) - set(lakefs.list_partitions(spark, staging, "transaction_date"))
        source = staged
        # Before the overwrite below: existing_rows is read from the partitions it replaces.
        customer_totals.write(
            customer_totals.signed_changes(staged, existing_rows), changes_folder, batch_id
        )
    else:
        staging = None
        source = new_rows
        if existing_dates:  # a first load has none: silver_to_gold builds the totals from silver
            changes = customer_totals.signed_changes(new_rows)
            customer_totals.write(changes, changes_folder, batch_id)

    _write_transactions(source, target, mode="overwrite")
    if staging:
        # Dynamic overwrite never touches a partition the new data has no rows for, so a date whose
        # every row moved to another date (a corrected transaction_date) is removed here. A crash
        # before this line is repaired by the rerun (it meets both copies and rewrites both dates).
        for d in sorted(emptied):
            lakefs.delete(spark, join(target, f"transaction_date={d}"))
        lakefs.delete(spark, silver.staging(run_token))
    return SilverWrite(affected, len(rewrite), sum(superseded.values()), superseded)


def older_versions(
    spark: SparkSession, silver: SilverPaths, new_keys: DataFrame, low: str, high: str
) -> list:
    """(transaction_date, customer_id) of the silver rows whose transaction_id arrives again.

    Exact, whatever date an older version has (a correction may move a transaction by months),
    but it reads only the ``transaction_id`` column, and the ``low``..``high`` range of the new
    ids is pushed down to Parquet: a partition whose id statistics lie outside it is skipped after
    its footer. Ids that grow with time (a day's ids, yesterday's re-sends) therefore read a day or
    two of silver, not its history; random ids read the id column of every partition.
    """
    existing = (
        read_silver_transactions(spark, silver)
        .select("transaction_id", "transaction_date", "customer_id")
        .where(F.col("transaction_id").between(low, high))
    )
    ids = new_keys.select("transaction_id")
    return (
        existing.join(ids, "transaction_id", "left_semi")
        .select("transaction_date", "customer_id")
        .collect()
    )


def _write_transactions(df: DataFrame, path: str, mode: str) -> None:
    # One file per date partition; dynamic overwrite replaces only the partitions present in df.
    (
        df.repartition("transaction_date")
        .write.mode(mode)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy("transaction_date")
        .parquet(path)
    )


def read_silver_transactions(spark: SparkSession, silver: SilverPaths) -> DataFrame:
    return spark.read.schema(SILVER_TRANSACTIONS_SCHEMA).parquet(silver.transactions)


def read_silver_dates(spark: SparkSession, silver: SilverPaths, dates: list[date]) -> DataFrame:
    """Silver transactions of ``dates``, reading (and listing) only their partitions; a date whose
    partition is gone (its rows moved to another date) has no rows."""
    existing = set(lakefs.list_partitions(spark, silver.transactions, "transaction_date"))
    paths = [
        join(silver.transactions, f"transaction_date={d.isoformat()}")
        for d in dates
        if d.isoformat() in existing
    ]
    if not paths:
        return spark.createDataFrame([], SILVER_TRANSACTIONS_SCHEMA)
    reader = spark.read.schema(SILVER_TRANSACTIONS_SCHEMA).option("basePath", silver.transactions)
    return reader.parquet(*paths)


def read_silver_customers(spark: SparkSession, silver: SilverPaths) -> DataFrame | None:
    if not lakefs.exists(spark, silver.customers):
        return None
    return spark.read.schema(SILVER_CUSTOMERS_SCHEMA).parquet(silver.customers)


def write_silver_customers(
    spark: SparkSession, new_rows: DataFrame, silver: SilverPaths, run_token: str
) -> tuple[int, dict[tuple[str, int], int]]:
    """Upsert customers (latest wins per customer_id); the small table is rewritten via staging.

    Returns (customers in silver, superseded rows per source file).
    """
    existing = read_silver_customers(spark, silver)
    combined = new_rows if existing is None else existing.unionByName(new_rows)
    staging = f"{silver.staging(run_token)}/customers"
    ranked = _rank_versions(combined, "customer_id")
    _latest(ranked).coalesce(1).write.mode("overwrite").parquet(staging)
    superseded = _superseded_by_file(ranked)
    staged = spark.read.schema(SILVER_CUSTOMERS_SCHEMA).parquet(staging)
    staged.coalesce(1).write.mode("overwrite").parquet(silver.customers)
    lakefs.delete(spark, silver.staging(run_token))
    return read_silver_customers(spark, silver).count(), superseded


# ----------------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------------
def eligible(files: list[FileInfo], ingestion_date: date | None) -> list[FileInfo]:
    """Files landed up to the end of ``ingestion_date`` (UTC); all files when it is None.

    Makes a rerun of an old Data Factory run (same ingestion_date) see what that day saw.
    """
    if ingestion_date is None:
        return files
    cutoff = datetime(ingestion_date.year, ingestion_date.month, ingestion_date.day, tzinfo=UTC)
    cutoff_ms = int((cutoff + timedelta(days=1)).timestamp() * 1000)
    return [f for f in files if f.modified_ms < cutoff_ms]


def run(
    spark: SparkSession,
    *,
    bronze_root: str,
    silver_root: str,
    pipeline_run_id: str,
    ingestion_date: date | None = None,
    quality_threshold: float = 95.0,
    now: datetime | None = None,
) -> dict:
    """Process the new bronze files into silver. Returns the exit status (see status.py).

    Raises :class:`QualityThresholdError` (after writing quarantine and metrics, before touching
    silver) when the transactions' quality rate is below ``quality_threshold`` percent.
    """
    started = now or datetime.now(UTC)
    bronze, silver = BronzePaths(bronze_root), SilverPaths(silver_root)
    context = {
        "notebook": NOTEBOOK,
        "pipeline_run_id": pipeline_run_id,
        "ingestion_date": ingestion_date.isoformat() if ingestion_date else None,
    }
    batch_id = None
    results: list[DatasetResult] = []
    pruning = spark.conf.get(CSV_COLUMN_PRUNING, "true")
    spark.conf.set(CSV_COLUMN_PRUNING, "false")
    try:
        todo = {
            ds.name: control.new_files(
                spark,
                silver,
                ds.name,
                eligible(lakefs.list_files(spark, _bronze_dir(bronze, ds)), ingestion_date),
            )
            for ds in (TRANSACTIONS, CUSTOMERS)
        }
        if not any(todo.values()):
            metrics = empty_metrics() | {
                "quality_threshold": quality_threshold,
                "customers": empty_metrics(),
            }
            status = build_status(NO_NEW_DATA, metrics=metrics, **context)
            control.record_run(
                spark, silver, status, started_at=started, finished_at=_now(now), batch_id=None
            )
            return status

        batch_id = control.next_batch_id(spark, silver)
        lineage = Lineage(started, pipeline_run_id)
        run_token = f"{batch_id:08d}-{uuid.uuid4().hex[:8]}"
        tx = process_dataset(spark, todo["transactions"], TRANSACTIONS)
        cu = process_dataset(spark, todo["customers"], CUSTOMERS)
        results = [tx, cu]

        metrics = tx.metrics() | {
            "quality_threshold": quality_threshold,
            "batch_id": batch_id,
            "customers": cu.metrics(),
        }

        # Quarantine first: it is wanted for investigation even when the gate below fails.
        for result in results:
            if result.classified is not None and result.metrics()["rows_quarantined"]:
                write_quarantine(
                    quarantine_rows(result.classified, result.dataset, lineage),
                    silver.quarantine(result.dataset.name),
                )

        if below_threshold(metrics["rows_valid"], metrics["rows_read"], quality_threshold):
            status = failed_status(
                f"quality rate {metrics['quality_rate']}% is below the threshold "
                f"{quality_threshold}%; silver was not updated and the files stay unprocessed",
                metrics=metrics,
                **context,
            )
            control.record_run(
                spark, silver, status, started_at=started, finished_at=_now(now), batch_id=batch_id
            )
            raise QualityThresholdError(status)

        customer_changes: list[str] = []
        if cu.classified is not None:
            new_customers = silver_customers(cu.classified, lineage)
            customer_changes = [r[0] for r in new_customers.select("customer_id").collect()]

        def log_changes(dates: list[str], customers: list[str]) -> None:
            control.record_changes(
                spark, silver, batch_id, pipeline_run_id, dates, [*customers, *customer_changes]
            )

        # The change log is written before silver is rewritten (it needs the old versions of
        # re-sent transactions); a crash after it only makes gold recompute a little more.
        silver_info: dict = {}
        superseded: dict[str, dict[tuple[str, int], int]] = {}
        if tx.classified is not None:
            written = write_silver_transactions(
                spark,
                silver_transactions(tx.classified, lineage),
                silver,
                run_token,
                log_changes,
                batch_id,
            )
            silver_info = {
                "dates_written": written.dates_written,
                "partitions_rewritten": written.partitions_rewritten,
                "rows_replaced": written.rows_replaced,
            }
            superseded[TRANSACTIONS.name] = written.superseded
        else:
            log_changes([], [])
        if cu.classified is not None:
            silver_info["customers_total"], superseded[CUSTOMERS.name] = write_silver_customers(
                spark, new_customers, silver, run_token
            )

        control.record_processed_files(
            spark,
            silver,
            batch_id,
            pipeline_run_id,
            _now(now),
            [
                {
                    "dataset": result.dataset.name,
                    "path": f.path,
                    "name": f.name,
                    "size": f.size,
                    "modified_ms": f.modified_ms,
                    "modified_at": f.modified_at.isoformat(),
                    **result.file_counts(f),
                    "header": next(r.header for r in result.reports if r.file == f.path),
                }
                for result in results
                for f in result.files
            ],
            superseded=[
                {"dataset": dataset, "path": path, "modified_ms": modified_ms, "rows": rows}
                for dataset, by_file in superseded.items()
                for (path, modified_ms), rows in sorted(by_file.items())
            ],
        )
        metrics["silver"] = silver_info
        status = build_status(SUCCEEDED, metrics=metrics, **context)
        control.record_run(
            spark, silver, status, started_at=started, finished_at=_now(now), batch_id=batch_id
        )
        return status
    except QualityThresholdError:
        raise
    except Exception as exc:
        # Best effort: leave a FAILED record for the dashboards, then fail the notebook.
        with contextlib.suppress(Exception):
            status = failed_status(f"{type(exc).__name__}: {exc}", metrics={}, **context)
            control.record_run(
                spark, silver, status, started_at=started, finished_at=_now(now), batch_id=batch_id
            )
        raise
    finally:
        for result in results:
            if result.classified is not None:
                result.classified.unpersist()
        spark.conf.set(CSV_COLUMN_PRUNING, pruning)


def _bronze_dir(bronze: BronzePaths, dataset: BronzeDataset) -> str:
    return bronze.transactions if dataset is TRANSACTIONS else bronze.customers


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)
