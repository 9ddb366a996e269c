"""Where the pipeline reads and writes: one place that knows the lake layout.

On Databricks the notebooks get a storage account name and container names from their widgets and
build ``abfss://<container>@<account>.dfs.core.windows.net/`` roots (Unity Catalog's external locations
authorise the cluster; the notebooks hold no credential, and gold tables go by name: see tables.py). Locally (``make demo``, tests) the same entry points are given a local
folder that stands in for the account: ``<folder>/<container>/...``.

Layout (fixed; the Go program grants the Databricks identity read-only on bronze, read/write on
silver and gold, and Synapse reads gold):

    bronze/transactions/*.csv            landing, never written by the pipeline
    bronze/customers/*.csv
    silver/transactions/                 Parquet, partitioned by transaction_date
    silver/customers/                    Parquet, one row per customer (latest wins)
    silver/quarantine/<dataset>/         Delta, rejected rows with their reason
    silver/_pipeline/<record>/           Delta control records: processed files, change log,
                                         gold watermark, run metrics
    gold/<table>/                        Delta, the contract in gold_contract.json
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
_CONTAINER = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")


def container_root(storage_account: str, container: str) -> str:
    """Root URI of ``container``.

    ``storage_account`` is either an ADLS Gen2 account name (-> ``abfss://``) or, for local runs, a
    folder or URI that stands in for the account (anything containing ``/`` or ``:``).
    """
    account = storage_account.strip()
    if not _CONTAINER.match(container):
        raise ValueError(f"invalid container name: {container!r}")
    if "/" in account or ":" in account:
        return f"{account.rstrip('/')}/{container}"
    if not _ACCOUNT.match(account):
        raise ValueError(
            f"invalid storage account name: {account!r} (3-24 lowercase letters and digits)"
        )
    return f"abfss://{container}@{account}.dfs.core.windows.net"


def join(root: str, *parts: str) -> str:
    return "/".join([root.rstrip("/"), *(p.strip("/") for p in parts)])


@dataclass(frozen=True)
class BronzePaths:
    root: str

    @property
    def transactions(self) -> str:
        return join(self.root, "transactions")

    @property
    def customers(self) -> str:
        return join(self.root, "customers")


@dataclass(frozen=True)
class SilverPaths:
    root: str

    @property
    def transactions(self) -> str:
        return join(self.root, "transactions")

    @property
    def customers(self) -> str:
        return join(self.root, "customers")

    def quarantine(self, dataset: str) -> str:
        return join(self.root, "quarantine", dataset)

    def pipeline(self, record: str) -> str:
        """Control and metrics records (Delta) under ``silver/_pipeline/``."""
        return join(self.root, "_pipeline", record)

    @property
    def processed_files(self) -> str:
        return self.pipeline("processed_files")

    @property
    def changes(self) -> str:
        return self.pipeline("silver_changes")

    @property
    def gold_watermark(self) -> str:
        return self.pipeline("gold_watermark")

    @property
    def run_metrics(self) -> str:
        return self.pipeline("run_metrics")

    def staging(self, run_token: str) -> str:
        return self.pipeline(f"staging/{run_token}")


@dataclass(frozen=True)
class GoldPaths:
    root: str

    def table(self, name: str) -> str:
        return join(self.root, name)
