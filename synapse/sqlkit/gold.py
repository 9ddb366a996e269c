"""Generate ``synapse/030_gold_tables.sql`` from the gold contract the notebooks write.

    python -m sqlkit.gold            # rewrite 030_gold_tables.sql (make synapse-generate)
    python -m sqlkit.gold --check    # exit 1 if the committed file differs (also a test)

The contract (``notebooks/analytics_pipeline/gold_contract.json``, loaded through
``analytics_pipeline.contract``) is the single source of the gold tables' names, column order and
Spark SQL types; :data:`SPARK_TO_TSQL` is the one place where those types become T-SQL types.

One serverless object per gold table, named ``gold.<table>`` like the Delta folder:

- **external table** over the Delta folder when the table is not partitioned. Readers need SELECT
  (granted through the analyst views' ownership chain) and REFERENCES on the credential, but not
  ADMINISTER DATABASE BULK OPERATIONS; the column types are fixed in the catalog, which BI tools
  read like any table.
- **OPENROWSET(FORMAT='DELTA') view** when the contract declares partition columns: serverless
  external tables do not support partitioned Delta folders, while a Delta view exposes the
  partition columns and eliminates partitions from a WHERE on them. The role script must then also
  grant ADMINISTER DATABASE BULK OPERATIONS (a test enforces it).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from analytics_pipeline.contract import GoldContract, GoldTable, load_contract

from .scripts import DATABASE, SYNAPSE_DIR

GOLD_SCRIPT = SYNAPSE_DIR / "030_gold_tables.sql"
SCHEMA = "gold"
DATA_SOURCE = "GoldLake"
FILE_FORMAT = "DeltaFormat"
CREDENTIAL = "WorkspaceIdentity"
COLLATION = "Latin1_General_100_BIN2_UTF8"

EXTERNAL_TABLE = "external table"
DELTA_VIEW = "view"

# Spark SQL type (as the contract spells it) -> T-SQL type for serverless over Delta/Parquet. The
# only place this mapping lives. Strings are VARCHAR in the database's UTF-8 collation (Parquet
# strings are UTF-8; NVARCHAR would convert them); 256 bytes fits every string the contract has
# (ids, city and category names, segment labels, versions, run ids). Spark timestamps are
# microseconds, hence DATETIME2(6).
SPARK_TO_TSQL: dict[str, str] = {
    "string": f"VARCHAR(256) COLLATE {COLLATION}",
    "date": "DATE",
    "timestamp": "DATETIME2(6)",
    "bigint": "BIGINT",
    "int": "INT",
    "double": "FLOAT",
    "boolean": "BIT",
}
_DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")


def tsql_type(spark_type: str) -> str:
    text = spark_type.strip().lower()
    if text in SPARK_TO_TSQL:
        return SPARK_TO_TSQL[text]
    match = _DECIMAL.match(text)
    if match:
        return f"DECIMAL({match[1]}, {match[2]})"
    raise ValueError(f"no T-SQL type for contract type {spark_type!r}; add it to SPARK_TO_TSQL")


def object_kind(table: GoldTable) -> str:
    """External table unless the table is partitioned (see the module docstring)."""
    return DELTA_VIEW if table.partition_columns else EXTERNAL_TABLE


@dataclass(frozen=True)
class GoldObject:
    table: GoldTable
    kind: str

    @property
    def name(self) -> str:
        return f"{SCHEMA}.{self.table.name}"

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(c.name, tsql_type(c.type)) for c in self.table.columns]


def gold_objects(contract: GoldContract | None = None) -> list[GoldObject]:
    contract = contract or load_contract()
    return [GoldObject(t, object_kind(t)) for t in contract.tables.values()]


def _column_list(obj: GoldObject) -> str:
    return ",\n".join(f"    {name} {typ}" for name, typ in obj.columns)


def _drop_other_kind(obj: GoldObject) -> str:
    """Drop what stands in the way: the object of the other kind (the kind can change with the
    contract) and, for external tables, the table itself (external tables have no ALTER).
    Laid out the way `sqlfluff fix` lays out T-SQL, so the lint passes on the generated file."""
    external = (
        "IF\n"
        "    EXISTS (\n"
        "        SELECT 1 FROM sys.external_tables\n"
        f"        WHERE object_id = OBJECT_ID(N'{obj.name}')\n"
        "    )\n"
        "    BEGIN\n"
        f"        DROP EXTERNAL TABLE {obj.name};\n"
        "    END;\n"
    )
    view = (
        f"IF OBJECT_ID(N'{obj.name}', N'V') IS NOT NULL\n"
        "    BEGIN\n"
        f"        DROP VIEW {obj.name};\n"
        "    END;\n"
    )
    return external if obj.kind == DELTA_VIEW else view + external


def _create(obj: GoldObject) -> str:
    if obj.kind == EXTERNAL_TABLE:
        return (
            f"CREATE EXTERNAL TABLE {obj.name} (\n{_column_list(obj)}\n)\n"
            f"WITH (\n"
            f"    LOCATION = '{obj.table.name}',\n"
            f"    DATA_SOURCE = {DATA_SOURCE},\n"
            f"    FILE_FORMAT = {FILE_FORMAT}\n"
            f");\n"
        )
    select = ",\n".join(f"    r.{name}" for name, _ in obj.columns)
    return (
        f"CREATE OR ALTER VIEW {obj.name}\nAS\nSELECT\n{select}\n"
        f"FROM OPENROWSET(\n"
        f"    BULK '{obj.table.name}',\n"
        f"    DATA_SOURCE = '{DATA_SOURCE}',\n"
        f"    FORMAT = 'DELTA'\n"
        f")\nWITH (\n{_column_list(obj)}\n) AS r;\n"
    )


def _why(obj: GoldObject) -> str:
    if obj.kind == DELTA_VIEW:
        parts = ", ".join(obj.table.partition_columns)
        return f"OPENROWSET Delta view: partitioned by {parts} (external tables cannot be)"
    return "external table: unpartitioned Delta folder"


def generate(contract: GoldContract | None = None) -> str:
    objects = gold_objects(contract)
    out = [
        f"-- database: {DATABASE}\n",
        "-- Gold tables as serverless objects, one per table of the gold contract.\n",
        "-- GENERATED by `make synapse-generate` (python -m sqlkit.gold) from\n",
        "-- notebooks/analytics_pipeline/gold_contract.json: do not edit by hand; a test fails when\n",
        "-- this file and the contract disagree. Why external tables vs views: synapse/README.md.\n",
        "-- Rerunnable: each object is dropped (external tables have no ALTER) and created again;\n",
        "-- nothing is granted on them, the analyst views reach them through ownership chaining.\n",
    ]
    for obj in objects:
        out.append(f"\n-- {obj.name}: {_why(obj)}\n")
        out.append(_drop_other_kind(obj))
        out.append("GO\n\n")
        out.append(_create(obj))
        out.append("GO\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sqlkit.gold", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = generate()
    current = GOLD_SCRIPT.read_text(encoding="utf-8") if GOLD_SCRIPT.exists() else ""
    if args.check:
        if current != text:
            print(
                f"{GOLD_SCRIPT.name} is out of date: run `make synapse-generate`", file=sys.stderr
            )
            return 1
        return 0
    if current != text:
        GOLD_SCRIPT.write_text(text, encoding="utf-8")
        print(f"wrote {GOLD_SCRIPT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
