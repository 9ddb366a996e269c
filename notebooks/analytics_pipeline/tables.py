"""Where a gold table is read and written: by path (local runs) or by Unity Catalog name.

The one seam between the pipeline and Unity Catalog. Bronze and silver are files: under Unity
Catalog the notebooks read and write them as ``abfss://`` paths that external locations govern
(READ FILES / WRITE FILES), so nothing changes for them. The four gold tables are registered in
Unity Catalog as external Delta tables at the same paths Synapse serverless reads, and once a path
belongs to a registered table, Unity Catalog governs it through the table's own grants (SELECT /
MODIFY), not the external location's: "To further refine access control you can use GRANT on
external tables to encapsulate access to individual files within an external location"
(https://learn.microsoft.com/en-us/azure/databricks/sql/language-manual/sql-ref-external-locations;
the example in https://docs.databricks.com/sql/language-manual/sql-ref-external-tables.html shows
``LIST`` of such a table's path failing without privileges on the table). So with a ``catalog`` the
gold tables are read, written and checked by name ``<catalog>.gold.<table>`` - the access that
Unity Catalog audits and grants per table - and the path stays what Synapse reads.

Without a catalog (``make demo``, tests, a cluster without Unity Catalog) everything is by path, as
before. Locally the name mode runs against Spark's own ``spark_catalog`` (schema ``gold``, tables
registered at the gold paths), which is how the tests cover it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from . import lakefs
from .paths import GoldPaths

GOLD_SCHEMA = "gold"  # the schema the catalog component creates beside bronze and silver
SESSION_CATALOG = "spark_catalog"  # Spark's built-in catalog: the local stand-in for Unity Catalog
_CATALOG = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")


def check_catalog(catalog: str) -> str:
    """``""`` (path mode) or a plain catalog name (letters, digits, ``_``); raises ValueError."""
    catalog = catalog.strip()
    if catalog and not _CATALOG.match(catalog):
        raise ValueError(
            f"invalid catalog name: {catalog!r} (letters, digits and _, not starting with a digit)"
        )
    return catalog


@dataclass(frozen=True)
class GoldTable:
    """One gold table: its path (always: Synapse reads it) and, under Unity Catalog, its name."""

    table: str
    path: str
    name: str | None = None

    def exists(self, spark: SparkSession) -> bool:
        """Whether the Delta table is there; by name, a missing table is an error, not False.

        Under Unity Catalog the catalog component registers the gold tables (with the contract's
        columns and properties) and the pipeline's identity holds no CREATE TABLE, so a table
        that is not registered means a deployment step is missing.
        """
        if not self.name:
            return lakefs.exists(spark, f"{self.path}/_delta_log")
        if not spark.catalog.tableExists(self.name):
            raise LookupError(
                f"gold table {self.name} is not registered; the platform's catalog component "
                f"registers it as an external table at {self.path}"
            )
        return True

    def overwrite(self, df: DataFrame) -> None:
        """Replace the table's rows with ``df`` (which may read the table itself: Delta reads the
        snapshot the commit replaces).

        By name this is DataFrameWriterV2's ``overwrite(true)``, which Delta commits as the same
        WRITE (mode Overwrite) as the path writer and which keeps the table's properties and
        comment: the v1 writer's ``saveAsTable`` in overwrite mode is a replace-table-as-select
        that open-source Delta rejects for such a table.
        """
        if self.name:
            df.writeTo(self.name).overwrite(F.lit(True))
            return
        df.write.format("delta").mode("overwrite").save(self.path)

    def read(self, spark: SparkSession) -> DataFrame:
        if self.name:
            return spark.read.table(self.name)
        return spark.read.format("delta").load(self.path)


@dataclass(frozen=True)
class GoldTables:
    """The gold container's root and, when set, the Unity Catalog catalog that names its tables."""

    root: str
    catalog: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "catalog", check_catalog(self.catalog))

    def table(self, table: str) -> GoldTable:
        name = f"{self.catalog}.{GOLD_SCHEMA}.{table}" if self.catalog else None
        return GoldTable(table=table, path=GoldPaths(self.root).table(table), name=name)
