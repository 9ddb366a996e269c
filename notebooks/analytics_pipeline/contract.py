"""Loader for ``gold_contract.json``: the gold tables' names, columns and Spark SQL types.

The JSON is the single source of truth. silver_to_gold conforms every DataFrame to it before writing
(:func:`conform`), creates the Delta tables from it with the properties Synapse serverless needs, and
the tests compare the written tables with it. The Synapse SQL checks read the same file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyspark.sql import DataFrame
from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from .schemas import cast_to

CONTRACT_FILE = Path(__file__).with_name("gold_contract.json")


@dataclass(frozen=True)
class GoldColumn:
    name: str
    type: str
    nullable: bool
    description: str

    @property
    def data_type(self) -> DataType:
        return parse_type(self.type)


@dataclass(frozen=True)
class GoldTable:
    name: str
    description: str
    key: tuple[str, ...]
    partition_columns: tuple[str, ...]
    columns: tuple[GoldColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def schema(self) -> StructType:
        return StructType([StructField(c.name, c.data_type, c.nullable) for c in self.columns])


@dataclass(frozen=True)
class GoldContract:
    version: int
    table_properties: dict[str, str]
    tables: dict[str, GoldTable]

    def table(self, name: str) -> GoldTable:
        return self.tables[name]


# The Spark SQL type strings the contract may use (deliberately few: each must map cleanly to a
# Synapse serverless type). No JVM needed to parse them.
_SIMPLE_TYPES: dict[str, DataType] = {
    "string": StringType(),
    "date": DateType(),
    "timestamp": TimestampType(),
    "bigint": LongType(),
    "int": IntegerType(),
    "double": DoubleType(),
    "boolean": BooleanType(),
}
_DECIMAL = re.compile(r"^decimal\((\d+),\s*(\d+)\)$")


def parse_type(type_string: str) -> DataType:
    """A Spark SQL type string (``decimal(18,2)``, ``bigint``, ``date`` ...) as a DataType."""
    text = type_string.strip().lower()
    if text in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[text]
    match = _DECIMAL.match(text)
    if match:
        return DecimalType(int(match[1]), int(match[2]))
    raise ValueError(f"unsupported contract type: {type_string!r}")


def _load(raw: dict) -> GoldContract:
    tables = {}
    for name, spec in raw["tables"].items():
        columns = tuple(
            GoldColumn(c["name"], c["type"], bool(c["nullable"]), c.get("description", ""))
            for c in spec["columns"]
        )
        tables[name] = GoldTable(
            name=name,
            description=spec.get("description", ""),
            key=tuple(spec.get("key", [])),
            partition_columns=tuple(spec.get("partition_columns", [])),
            columns=columns,
        )
    return GoldContract(
        version=int(raw["version"]),
        table_properties=dict(raw.get("table_properties", {})),
        tables=tables,
    )


@cache
def load_contract(path: str | None = None) -> GoldContract:
    """The gold contract (cached). ``path`` defaults to the JSON beside this module."""
    with open(path or CONTRACT_FILE, encoding="utf-8") as fh:
        return _load(json.load(fh))


def gold_schema(table: str) -> StructType:
    """Spark StructType of gold ``table`` as declared in the contract."""
    return load_contract().table(table).schema


def conform(df: DataFrame, table: str) -> DataFrame:
    """Select the contract's columns of ``table`` in order, cast to the contract's types.

    Fails if a column is missing, so a renamed column cannot silently become null.
    """
    spec = load_contract().table(table)
    missing = [c for c in spec.column_names if c not in df.columns]
    if missing:
        raise ValueError(f"{table}: missing contract columns {missing}")
    return cast_to(df, spec.schema)
