"""The local Spark must be the Spark the cluster runs: nobody bumps one without the other."""

from __future__ import annotations

import sys
from pathlib import Path

import pyspark
import pytest
import yaml

from analytics_pipeline.runtime import major_minor, parse_spark_version_key, runtime_for

REPO = Path(__file__).resolve().parents[2]
STACK_FILES = sorted(REPO.glob("Pulumi.*.yaml"))


def cluster_spark_version(stack_file: Path) -> str:
    config = yaml.safe_load(stack_file.read_text())["config"]
    return config["customer-analytics:compute"]["sparkVersion"]


def test_every_stack_is_checked():
    assert [p.name for p in STACK_FILES] == [
        "Pulumi.dev.yaml",
        "Pulumi.e2e.yaml",
        "Pulumi.prod.yaml",
        "Pulumi.staging.yaml",
    ]


@pytest.mark.parametrize("stack_file", STACK_FILES, ids=lambda p: p.name)
def test_local_pyspark_matches_cluster_runtime(stack_file):
    runtime = runtime_for(cluster_spark_version(stack_file))
    assert major_minor(pyspark.__version__) == runtime.spark


@pytest.mark.parametrize("stack_file", STACK_FILES, ids=lambda p: p.name)
def test_local_python_matches_cluster_runtime(stack_file):
    runtime = runtime_for(cluster_spark_version(stack_file))
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == runtime.python


def test_delta_spark_is_built_for_the_local_spark():
    from importlib.metadata import requires, version

    from packaging.requirements import Requirement

    # delta-spark declares the pyspark range its jars were compiled against, e.g. ">=3.5.3,<3.6.0".
    pyspark_req = next(
        Requirement(r) for r in requires("delta-spark") if Requirement(r).name == "pyspark"
    )
    assert pyspark_req.specifier.contains(pyspark.__version__)
    # DBR 15.4 ships Delta Lake 3.2; keep the local Delta on the same line.
    assert major_minor(version("delta-spark")) == "3.2"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("15.4.x-scala2.12", ("15.4", "2.12")),
        ("15.4.x-photon-scala2.12", ("15.4", "2.12")),
        ("15.4.x-cpu-ml-scala2.12", ("15.4", "2.12")),
        ("17.3.x-scala2.13", ("17.3", "2.13")),
    ],
)
def test_parse_spark_version_key(key, expected):
    assert parse_spark_version_key(key) == expected


def test_runtime_table_rejects_unknown_and_mismatched_runtimes():
    assert runtime_for("15.4.x-scala2.12").spark == "3.5"
    assert runtime_for("13.3.x-scala2.12").spark == "3.4"
    with pytest.raises(KeyError, match="add it"):
        runtime_for("99.1.x-scala2.12")
    with pytest.raises(ValueError, match="Scala"):
        runtime_for("15.4.x-scala2.13")
    with pytest.raises(ValueError, match="not a Databricks"):
        runtime_for("3.5.0")
