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


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    from tools.local_spark import build_local_spark

    session = build_local_spark(
        "pytest",
        cores=2,
        shuffle_partitions=2,
        warehouse_dir=str(tmp_path_factory.mktemp("warehouse")),
    )
    yield session
    session.stop()


@pytest.fixture
def lake(tmp_path):
    """An empty local folder standing in for the storage account (bronze/silver/gold containers)."""
    root = tmp_path / "lake"
    root.mkdir()
    return root
