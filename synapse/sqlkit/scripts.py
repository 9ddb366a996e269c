"""The ordered T-SQL scripts under ``synapse/`` and what they need (stdlib only).

Every script starts with a header line naming the database it runs in::

    -- database: master

and may use sqlcmd scripting variables ``$(Name)`` for stack-specific values. Scripts run in file
name order (``NNN_name.sql``), each in its own sqlcmd session; batches are separated by ``GO``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SYNAPSE_DIR = Path(__file__).resolve().parents[1]
DATABASE = "CustomerAnalytics"

_SCRIPT_NAME = re.compile(r"^\d{3}_[a-z0-9_]+\.sql$")
_HEADER = re.compile(r"^-- database: (?P<database>\S+)$")
# sqlcmd scripting variable reference: $(Name)
VARIABLE = re.compile(r"\$\((?P<name>[A-Za-z_][A-Za-z0-9_]*)\)")
_GO = re.compile(r"^[ \t]*GO[ \t]*(?:--.*)?$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Script:
    path: Path
    database: str

    @property
    def name(self) -> str:
        return self.path.name

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def variables(self) -> set[str]:
        return {m["name"] for m in VARIABLE.finditer(self.text())}


def database_of(text: str, where: str) -> str:
    first = text.splitlines()[0] if text else ""
    match = _HEADER.match(first)
    if not match:
        raise ValueError(f"{where}: first line must be '-- database: master|{DATABASE}'")
    database = match["database"]
    if database not in ("master", DATABASE):
        raise ValueError(f"{where}: runs in unknown database {database!r}")
    return database


def scripts(directory: Path = SYNAPSE_DIR) -> list[Script]:
    """The scripts in apply order. Fails on a ``.sql`` file that does not follow the naming rule."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        if not _SCRIPT_NAME.match(path.name):
            raise ValueError(f"{path.name}: script names are NNN_lower_snake.sql")
        found.append(Script(path, database_of(path.read_text(encoding="utf-8"), path.name)))
    if not found:
        raise ValueError(f"no scripts in {directory}")
    return found


def batches(text: str) -> list[str]:
    """Split a script into sqlcmd batches at ``GO`` lines (empty batches dropped)."""
    parts = _GO.split(text)
    return [p for p in parts if p.strip()]
