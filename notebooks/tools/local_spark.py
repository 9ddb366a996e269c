"""A local SparkSession with Delta Lake, configured like a small, deterministic cluster.

Used by the repo-root ``conftest.py`` (one session for the whole pytest run), ``make demo`` and
``make bench-pipeline``. The Delta jars (io.delta:delta-spark_2.12 matching the pinned delta-spark
wheel) are resolved from Maven Central by ``configure_spark_with_delta_pip`` on first use and cached
in ~/.ivy2.
"""

from __future__ import annotations

import os
import sys
import tempfile

from pyspark.sql import SparkSession

# For a session that runs many tiny jobs and then exits (the tests): the JVM's C1 compiler only
# (C2's optimisation pays off on long runs, its compile threads compete for the 2 cores here) and the
# serial collector (no parallel GC threads for a heap of a few hundred MB).
SHORT_LIVED_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# Measured on the test suite (kilobyte tables, a few hundred small jobs): adaptive query execution
# re-plans every stage at a cost larger than anything it can save on such data, and one partition
# (shuffles, local collections, Delta snapshots) means one task where two would idle.
SMALL_DATA_CONF: dict[str, str] = {
    "spark.sql.adaptive.enabled": "false",
    "spark.default.parallelism": "1",
    "spark.databricks.delta.snapshotPartitions": "1",
}


def build_local_spark(
    app_name: str = "analytics-pipeline-local",
    *,
    cores: int = 2,
    shuffle_partitions: int = 2,
    driver_memory: str = "2g",
    warehouse_dir: str | None = None,
    extra_conf: dict[str, str] | None = None,
    jvm_options: str = "",
) -> SparkSession:
    from delta import configure_spark_with_delta_pip

    # Spark launched from a venv must run its Python workers with the same interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warehouse = warehouse_dir or tempfile.mkdtemp(prefix="spark-warehouse-")
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"
        )
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", warehouse)
        .config(
            "spark.driver.extraJavaOptions",
            f"-Dderby.system.home={warehouse} {jvm_options}".strip(),
        )
        # Delta: read the (small) transaction logs with few tasks instead of the default 50.
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.databricks.delta.stalenessLimit", "0")
    )
    for key, value in (extra_conf or {}).items():
        builder = builder.config(key, value)
    spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
