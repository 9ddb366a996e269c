"""A local stand-in for the Unity Catalog registration of the gold tables.

On Azure the catalog component (Pulumi) registers ``<catalog>.gold.<table>`` as external Delta
tables at the gold paths before the pipeline first runs. Locally there is no Unity Catalog, so
``make demo --catalog`` and the tests do the same in Spark's own ``spark_catalog``: create the
empty contract tables at the gold paths (as the first path-mode run would) and register them by
name, so the notebooks' ``catalog`` widget can be exercised end to end.
"""

from __future__ import annotations

from pyspark.sql import SparkSession

from analytics_pipeline.silver_to_gold import GOLD_TABLES, ensure_gold_table
from analytics_pipeline.tables import GOLD_SCHEMA, SESSION_CATALOG, GoldTables

LOCAL_CATALOG = SESSION_CATALOG  # the only catalog a local session has


def register_gold_tables(spark: SparkSession, gold_root: str, catalog: str = LOCAL_CATALOG) -> None:
    """Create (if missing) and register the four gold tables at ``gold_root/<table>``."""
    by_path, by_name = GoldTables(gold_root), GoldTables(gold_root, catalog)
    spark.sql(f"CREATE SCHEMA IF NOT EXISTS {catalog}.{GOLD_SCHEMA}")
    for table in GOLD_TABLES:
        ensure_gold_table(spark, by_path.table(table))
        target = by_name.table(table)
        spark.sql(f"CREATE TABLE IF NOT EXISTS {target.name} USING DELTA LOCATION '{target.path}'")


def drop_gold_tables(spark: SparkSession, catalog: str = LOCAL_CATALOG) -> None:
    """Unregister the gold tables (external: their files stay)."""
    for table in GOLD_TABLES:
        spark.sql(f"DROP TABLE IF EXISTS {catalog}.{GOLD_SCHEMA}.{table}")
