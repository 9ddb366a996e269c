"""Helpers to put files into a local lake with given landing (modification) times."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

TESTDATA = Path(__file__).resolve().parents[1] / "testdata"
# The whole day-by-day fixture (testdata/manifest.json): customers, three days and a late file.
FIXTURE_FILES = (
    "customers_2026-11-01.csv",
    "transactions_2026-11-01.csv",
    "transactions_2026-11-02.csv",
    "transactions_2026-11-03.csv",
    "transactions_2026-11-01_late.csv",
)


def set_landing_time(path: Path, when: datetime | str) -> None:
    moment = datetime.fromisoformat(when) if isinstance(when, str) else when
    ts = moment.timestamp()
    os.utime(path, (ts, ts))


def land(lake: Path, source: Path, target: str, when: datetime | str) -> Path:
    """Copy ``source`` to ``<lake>/<target>`` and give it the landing time ``when``."""
    dest = Path(lake) / target
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    set_landing_time(dest, when)
    return dest


def fixture_manifest() -> list[dict]:
    return json.loads((TESTDATA / "manifest.json").read_text())["files"]


def land_fixture(lake: Path, *names: str, target_dir: str | None = None) -> list[Path]:
    """Land fixture files (by file name, as listed in testdata/manifest.json) into ``lake``.

    By default each file keeps its fixture path (``bronze/...``); ``target_dir`` overrides the
    folder (e.g. ``bronze/transactions`` for the defects file).
    """
    by_name = {Path(entry["path"]).name: entry for entry in fixture_manifest()}
    landed = []
    for name in names:
        entry = by_name[name]
        target = f"{target_dir}/{name}" if target_dir else entry["path"]
        landed.append(land(lake, TESTDATA / entry["path"], target, entry["modified_at"]))
    return landed
