"""Bronze input columns and silver schemas.

Bronze CSVs are matched to these columns **by header name** (case-insensitive), not by position, so
a file with an extra column (ignored, reported) or without an optional column (null) still loads; a
file without a required column has every row quarantined for that field.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql.types import (
    ArrayType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

AMOUNT_TYPE = DecimalType(18, 2)


@dataclass(frozen=True)
class BronzeDataset:
    name: str  # folder under bronze/ and silver/
    columns: tuple[str, ...]  # expected header, in order
    required: tuple[str, ...]  # a row without these is quarantined
    key: str  # business key for "latest wins"


TRANSACTIONS = BronzeDataset(
    name="transactions",
    columns=(
        "transaction_id",
        "customer_id",
        "transaction_date",
        "product_id",
        "product_category",
        "quantity",
        "amount",
        "store_location",
        "payment_method",
    ),
    required=(
        "transaction_id",
        "customer_id",
        "transaction_date",
        "product_category",
        "quantity",
        "amount",
        "store_location",
    ),
    key="transaction_id",
)

CUSTOMERS = BronzeDataset(
    name="customers",
    columns=("customer_id", "first_name", "last_name", "email", "city", "signup_date"),
    required=("customer_id",),
    key="customer_id",
)

# Lineage columns on every silver and quarantine row. The first three also order "latest wins".
LINEAGE_FIELDS = [
    StructField("source_file", StringType(), False),
    StructField("source_file_modified_at", TimestampType(), False),
    StructField("source_record_number", LongType(), False),
    StructField("ingestion_timestamp", TimestampType(), False),
    StructField("pipeline_run_id", StringType(), False),
]

SILVER_TRANSACTIONS_SCHEMA = StructType(
    [
        StructField("transaction_id", StringType(), False),
        StructField("customer_id", StringType(), False),
        StructField("product_id", StringType(), True),
        StructField("product_category", StringType(), False),
        StructField("quantity", IntegerType(), False),
        StructField("amount", AMOUNT_TYPE, False),
        StructField("store_location", StringType(), False),
        StructField("payment_method", StringType(), True),
        *LINEAGE_FIELDS,
        # Partition column (Hive-style directory transaction_date=yyyy-MM-dd), last as Spark stores it.
        StructField("transaction_date", DateType(), False),
    ]
)

SILVER_CUSTOMERS_SCHEMA = StructType(
    [
        StructField("customer_id", StringType(), False),
        StructField("first_name", StringType(), True),
        StructField("last_name", StringType(), True),
        StructField("email", StringType(), True),
        StructField("city", StringType(), True),
        StructField("signup_date", DateType(), True),
        *LINEAGE_FIELDS,
    ]
)


def quarantine_schema(dataset: BronzeDataset) -> StructType:
    """Rejected rows: the raw text of every expected column, why, and where it came from.

    On disk the quarantine is also partitioned by ``source_file_name``.
    """
    return StructType(
        [
            *(StructField(c, StringType(), True) for c in dataset.columns),
            StructField("raw_record", StringType(), True),
            StructField("rejection_reason", StringType(), False),
            StructField("rejection_reasons", ArrayType(StringType(), True), False),
            *LINEAGE_FIELDS,
        ]
    )


def quote(name: str) -> str:
    """``name`` as a Spark SQL identifier: in backticks, a backtick in it doubled."""
    return "`" + name.replace("`", "``") + "`"


def cast_to(df: DataFrame, schema: StructType) -> DataFrame:
    """``df``'s columns named in ``schema``, in its order, each cast to its type.

    One SQL expression per column is one call into the JVM; ``F.col(c).cast(DataType).alias(c)``
    is about eight (the type crosses as JSON to be parsed, the session is looked up), and the
    pipeline casts every column of every table it writes on each run.
    """
    return df.selectExpr(
        *(
            f"CAST({quote(f.name)} AS {f.dataType.simpleString()}) AS {quote(f.name)}"
            for f in schema.fields
        )
    )
