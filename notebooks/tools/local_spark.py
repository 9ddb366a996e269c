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


def build_local_spark(
    app_name: str = "analytics-pipeline-local",
    *,
    cores: int = 2,
    shuffle_partitions: int = 2,
    driver_memory: str = "2g",
    warehouse_dir: str | None = None,
    extra_conf: dict[str, str] | None = None,
    java_options: list[str] | None = None,
    class_archive: bool = True,
) -> SparkSession:
    """``java_options``: more options for the driver JVM. ``class_archive``: map the JVM's class
    archive when ``make jvm-archive`` has written it (see class_archive.py)."""
    from delta import configure_spark_with_delta_pip

    from tools import class_archive as archive

    # Spark launched from a venv must run its Python workers with the same interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warehouse = warehouse_dir or tempfile.mkdtemp(prefix="spark-warehouse-")
    jvm_options = [
        f"-Dderby.system.home={warehouse}",
        *(archive.java_options() if class_archive else []),
        *(java_options or []),
    ]
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
        # spark-submit splits this string as a shell would: quote what holds a space.
        .config(
            "spark.driver.extraJavaOptions",
            " ".join(f'"{o}"' if " " in o else o for o in jvm_options),
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
