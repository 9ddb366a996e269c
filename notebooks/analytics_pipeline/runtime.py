"""Which Apache Spark (and Python) a Databricks runtime version ships.

The cluster's runtime is configured in ``Pulumi.<stack>.yaml`` under ``customer-analytics:compute`` ->
``sparkVersion`` (for example ``15.4.x-scala2.12``). The local test session must run the same Spark
major.minor, which ``notebooks/tests/test_runtime_versions.py`` checks against this table.

Source: the Databricks runtime release notes ("System environment" section of each release).
Add a row when the stacks move to a runtime that is not listed; the test fails until you do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RuntimeInfo:
    spark: str  # Apache Spark major.minor
    python: str  # Python major.minor
    scala: str


# Databricks Runtime major.minor -> what it ships (LTS releases and the ones in between we may meet).
DBR_RUNTIMES: dict[str, RuntimeInfo] = {
    "12.2": RuntimeInfo(spark="3.3", python="3.9", scala="2.12"),  # 12.2 LTS: Spark 3.3.2
    "13.3": RuntimeInfo(spark="3.4", python="3.10", scala="2.12"),  # 13.3 LTS: Spark 3.4.1
    "14.3": RuntimeInfo(spark="3.5", python="3.10", scala="2.12"),  # 14.3 LTS: Spark 3.5.0
    "15.4": RuntimeInfo(spark="3.5", python="3.11", scala="2.12"),  # 15.4 LTS: Spark 3.5.0
    "16.4": RuntimeInfo(spark="3.5", python="3.12", scala="2.12"),  # 16.4 LTS: Spark 3.5.2
    "17.3": RuntimeInfo(spark="4.0", python="3.12", scala="2.13"),  # 17.3 LTS: Spark 4.0.0
}

_SPARK_VERSION_KEY = re.compile(
    r"^(?P<major>\d+)\.(?P<minor>\d+)\.x-(?:[a-z0-9-]+-)?scala(?P<scala>[\d.]+)$"
)


def parse_spark_version_key(spark_version: str) -> tuple[str, str]:
    """Split a cluster ``spark_version`` key such as ``15.4.x-scala2.12`` into (``15.4``, ``2.12``).

    Photon / ML variants (``15.4.x-photon-scala2.12``, ``15.4.x-cpu-ml-scala2.12``) are accepted.
    """
    match = _SPARK_VERSION_KEY.match(spark_version.strip())
    if not match:
        raise ValueError(f"not a Databricks spark_version key: {spark_version!r}")
    return f"{match['major']}.{match['minor']}", match["scala"]


def runtime_for(spark_version: str) -> RuntimeInfo:
    """The Spark/Python/Scala versions of the Databricks runtime named by ``spark_version``."""
    dbr, scala = parse_spark_version_key(spark_version)
    try:
        info = DBR_RUNTIMES[dbr]
    except KeyError:
        raise KeyError(
            f"Databricks runtime {dbr} is not in analytics_pipeline.runtime.DBR_RUNTIMES; add it"
        ) from None
    if info.scala != scala:
        raise ValueError(f"{spark_version}: runtime {dbr} ships Scala {info.scala}, not {scala}")
    return info


def major_minor(version: str) -> str:
    """``3.5.7`` -> ``3.5``."""
    parts = version.split(".")
    return ".".join(parts[:2])
