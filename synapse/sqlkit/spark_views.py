"""Run the analyst views (T-SQL, transpiled by sqlkit.views) on a local SparkSession over gold
Delta tables registered under the names the Synapse objects have (``gold.<table>``). Used by the
semantic tests in synapse/tests (needs pyspark and delta-spark, i.e. the dev virtualenv)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pyspark.sql import SparkSession

from analytics_pipeline.contract import conform, load_contract
from sqlkit.views import VIEWS_SCRIPT, AnalystView, parse_views

GOLD_TABLES = tuple(load_contract().tables)
_registered: dict[str, Path] = {}  # the gold root gold.* points at in this session

# How each view's rows are ordered for comparison (views have no ORDER BY).
ORDER = {
    "gold.vw_top_categories_last_30_days": ["revenue_rank", "product_category"],
    "gold.vw_high_value_customers": ["spend_rank", "customer_id"],
    "gold.vw_monthly_revenue_trend": ["month_start"],
    "gold.vw_store_comparison": ["revenue_rank", "store_location"],
    "gold.vw_executive_dashboard": ["as_of_date"],
}


def register_gold(spark: SparkSession, gold_root: Path) -> None:
    """(Re)point ``gold.<table>`` at the Delta tables under ``gold_root``, cached in memory: the
    tables are tiny and every view reads them several times (Delta log replays are the slow
    part on a 2-core machine). A no-op when ``gold`` already points there."""
    if _registered.get("root") == gold_root:
        return
    spark.sql("CREATE DATABASE IF NOT EXISTS gold")
    for table in GOLD_TABLES:
        if spark.catalog.tableExists(f"gold.{table}"):
            spark.catalog.uncacheTable(f"gold.{table}")
        spark.sql(f"DROP TABLE IF EXISTS gold.{table}")
        spark.sql(f"CREATE TABLE gold.{table} USING DELTA LOCATION '{gold_root / table}'")
        spark.catalog.cacheTable(f"gold.{table}")
    _registered["root"] = gold_root


def install_views(spark: SparkSession, tsql: str | None = None) -> list[AnalystView]:
    """Create every analyst view in Spark from the T-SQL (the committed file by default)."""
    text = tsql if tsql is not None else VIEWS_SCRIPT.read_text(encoding="utf-8")
    views = parse_views(text)
    for view in views:
        spark.sql(view.spark_create())
    return views


def view_result(spark: SparkSession, name: str) -> tuple[list[str], list[tuple]]:
    df = spark.table(name).orderBy(*ORDER[name])
    return df.columns, [tuple(row) for row in df.collect()]


LINEAGE = {
    "load_timestamp": datetime(2026, 11, 16, 2, 0, tzinfo=UTC),
    "transformation_version": "synthetic",
    "pipeline_run_id": "synthetic",
}


def write_gold(spark: SparkSession, gold_root: Path, table: str, rows: Sequence[dict]) -> None:
    """Write hand-made rows of ``table`` (every contract column but the lineage ones) as a Delta
    table with the contract's schema, the way silver_to_gold writes gold."""
    spec = load_contract().table(table)
    full = [
        {c.name: row[c.name] if c.name not in LINEAGE else LINEAGE[c.name] for c in spec.columns}
        for row in rows
    ]
    df = spark.createDataFrame(full, schema=spec.schema)
    conform(df, table).write.format("delta").mode("overwrite").save(str(gold_root / table))
