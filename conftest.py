"""Shared pytest fixtures: one local SparkSession with Delta for the whole run.

Lives at the repo root so every test tree (notebooks/tests, later synapse/tests) reuses the same
session; starting Spark costs ~10 s, so nothing may create its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
if str(ROOT / "notebooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "notebooks"))


# Settings for the test session only, each kept because it measured faster (27 tests:
# test_customer_totals' incremental test + test_silver_to_gold.py; CPU-seconds of the pytest process
# and its JVM, or of the whole machine when it was quiet, 2026-11-29).
TEST_SESSION_CONF = {
    # Interpreted expressions instead of Janino-compiled Java: the tests run hundreds of tiny
    # queries, each compiling code it then runs over a handful of rows (and the JIT then compiles
    # the compiled code). Quiet machine: 75.5 s / 141.7 CPU-s -> 61-66 s / 113-122 CPU-s; under load
    # 140.5 -> 110.8 CPU-s. A deliberate trade: the production path (whole-stage codegen) is still
    # run by `make demo` and `make bench-pipeline` (default settings), and Spark's own SQL suites
    # run every query in both modes (SQLQueryTestSuite's codegenConfigSets), so the results agree.
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}
# The three settings below were measured on the whole suite with adaptive query execution off,
# which then proved neutral (the last note below); 2026-11-29 evening, 2-core machine.
# The parallel collector for the test JVM: a short-lived 2 GiB heap gains nothing from G1's
# concurrent marking. GC threads over the whole suite: 9.7 CPU-s against G1's 17.6 (10.5 in pauses,
# 7.1 marking); the suite 172, 178 and 175 s against 180 s with G1 (single runs, 2026-11-29).
# Shallower inlining (JDK 13's MaxInlineLevel, and the smaller InlineSmallCode): the C2 compiler
# took a quarter of the suite's CPU, most of it compiling Spark code that runs a few thousand
# times. C2 47 CPU-s against 74, the JVM and pytest 218 CPU-s against 239 and 249 (single runs);
# the whole suite, two runs each way in turn: 169.1 s against 172.6 s (ratio 0.98).
TEST_JAVA_OPTIONS = ["-XX:+UseParallelGC", "-XX:MaxInlineLevel=9", "-XX:InlineSmallCode=1000"]
# Classes PySpark names by their short name through the py4j gateway: `functions` on every
# `F.col`, `F.lit`... (946 times in two fixture days) and `PythonUtils` on every list it sends.
# py4j resolves a short name by trying each of PySpark's wildcard imports in turn, and each miss is
# a failed class lookup through all of Spark's jars (JFR: 4 % of the JVM's samples were in
# `ReflectionCommand.getUnknownMember`). Importing them by name makes it one map lookup:
# `jvm.functions` 328 -> 134 us; the whole suite 157 and 164 s against 172-178 s without.
TEST_GATEWAY_IMPORTS = ("org.apache.spark.sql.functions", "org.apache.spark.api.python.PythonUtils")
# Measured and not kept: the JIT's C1 compiler only (-XX:TieredStopAtLevel=1) cut CPU (27 tests:
# 110.8 -> 87.3 and 119.1 -> 71.9 CPU-s under load) but not the quiet machine's wall (61.1 -> 63.4 s),
# and with it the whole suite on a quiet machine took 446 s against 439 s before any of these
# changes (test_real_world_files 60 -> 75 s): C2 compiles on the otherwise idle core for free.
# Serial GC showed no clear gain (113.1 and 110.1 CPU-s against 110.8 and 119.1, longer walls).
# C1 only again (parallel GC, adaptive execution off), whole suite: 234 s / 327 CPU-s, the
# slowest of all.
# Adaptive query execution off, again: the whole suite, two runs each way in turn, 169.1 s against
# 169.2 s with it on (ratio 1.00); it stays on, as on Databricks.


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    from py4j.java_gateway import java_import

    from tools.local_spark import build_local_spark

    session = build_local_spark(
        "pytest",
        cores=2,
        shuffle_partitions=2,
        warehouse_dir=str(tmp_path_factory.mktemp("warehouse")),
        extra_conf=TEST_SESSION_CONF,
        java_options=TEST_JAVA_OPTIONS,
    )
    for name in TEST_GATEWAY_IMPORTS:
        java_import(session.sparkContext._jvm, name)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def fixture_lake_one_batch(spark, tmp_path_factory) -> dict:
    """The whole fixture (notebooks/testdata) landed and run through the two notebook files in
    one batch, as Data Factory runs them: shared by the notebook tests (one batch gives the gold
    of the day-by-day runs) and the Synapse view tests (the views over that gold). Nothing may
    write to this lake; each pipeline run costs ~10 s, so it runs once per session.
    """
    import json

    from tools.lake import FIXTURE_FILES, land_fixture
    from tools.run_notebook import run_notebook

    lake = tmp_path_factory.mktemp("fixture-lake-one-batch")
    land_fixture(lake, *FIXTURE_FILES)
    common = {"storage_account": str(lake), "pipeline_run_id": "one-batch"}
    # The fixture holds one rejected row per defect: its quality rate is below the production
    # default (95 %).
    b2s = run_notebook(
        ROOT / "notebooks" / "bronze_to_silver.py", spark, {**common, "quality_threshold": "50"}
    )
    s2g = run_notebook(ROOT / "notebooks" / "silver_to_gold.py", spark, common)
    return {"lake": lake, "b2s": json.loads(b2s), "s2g": json.loads(s2g)}


@pytest.fixture
def lake(tmp_path):
    """An empty local folder standing in for the storage account (bronze/silver/gold containers)."""
    root = tmp_path / "lake"
    root.mkdir()
    return root
