"""gold_contract.json: the one declaration of the gold tables that Synapse SQL reads."""

from __future__ import annotations

import json
import re

import pytest
from pyspark.sql.types import DateType, DecimalType, LongType, StringType, TimestampType

from analytics_pipeline import contract
from analytics_pipeline.silver_to_gold import GOLD_TABLES

RAW = json.loads(contract.CONTRACT_FILE.read_text())


def test_contract_lists_exactly_the_gold_tables():
    assert sorted(RAW["tables"]) == sorted(GOLD_TABLES)


@pytest.mark.parametrize("table", GOLD_TABLES)
def test_every_column_is_plain_and_typed(table):
    spec = RAW["tables"][table]
    names = [c["name"] for c in spec["columns"]]
    assert len(names) == len(set(names))
    for column in spec["columns"]:
        assert set(column) == {"name", "type", "nullable", "description"}
        assert re.fullmatch(r"[a-z][a-z0-9_]*", column["name"]), column["name"]
        assert isinstance(column["nullable"], bool)
        assert column["description"]
        contract.parse_type(column["type"])  # a type Spark and Synapse both understand
    assert set(spec["partition_columns"]) <= set(names)
    assert set(spec["key"]) <= set(names)
    assert names[-3:] == ["load_timestamp", "transformation_version", "pipeline_run_id"]


def test_required_columns_for_the_analyst_views():
    cols = {
        t: {c.name: c.type for c in contract.load_contract().table(t).columns} for t in GOLD_TABLES
    }
    assert {
        "transaction_date": "date",
        "total_revenue": "decimal(38,2)",
        "total_transactions": "bigint",
        "unique_customers": "bigint",
    }.items() <= cols["daily_sales_summary"].items()
    assert {
        "customer_id": "string",
        "total_spend": "decimal(38,2)",
        "transaction_count": "bigint",
        "customer_segment": "string",
    }.items() <= cols["customer_segmentation"].items()
    assert {
        "transaction_date": "date",
        "product_category": "string",
        "total_revenue": "decimal(38,2)",
        "total_units": "bigint",
    }.items() <= cols["product_category_performance"].items()
    assert {
        "transaction_date": "date",
        "store_location": "string",
        "total_revenue": "decimal(38,2)",
        "total_transactions": "bigint",
    }.items() <= cols["store_performance"].items()


def test_table_properties_for_synapse_serverless():
    assert RAW["table_properties"]["delta.enableDeletionVectors"] == "false"
    assert RAW["table_properties"]["delta.minReaderVersion"] == "1"


def test_parse_type():
    assert contract.parse_type("decimal(18,2)") == DecimalType(18, 2)
    assert contract.parse_type("DECIMAL(10, 4)") == DecimalType(10, 4)
    assert contract.parse_type("bigint") == LongType()
    assert contract.parse_type("date") == DateType()
    assert contract.parse_type("timestamp") == TimestampType()
    assert contract.parse_type("string") == StringType()
    with pytest.raises(ValueError, match="unsupported"):
        contract.parse_type("map<string,int>")


def test_schema_loader_gives_struct_types():
    schema = contract.gold_schema("daily_sales_summary")
    assert schema.fieldNames()[:2] == ["transaction_date", "total_revenue"]
    assert schema["transaction_date"].nullable is False


def test_conform_orders_casts_and_rejects_missing_columns(spark):
    df = spark.createDataFrame(
        [("2026-11-01", 1, "x")], "transaction_date string, total_revenue int, extra string"
    )
    with pytest.raises(ValueError, match="missing contract columns"):
        contract.conform(df, "daily_sales_summary")
