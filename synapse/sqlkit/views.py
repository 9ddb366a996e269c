"""The analyst views of ``040_analyst_views.sql``, read with sqlglot and transpiled to Spark SQL.

The T-SQL file is the only definition of the views. The semantic tests run each view on a local
SparkSession over the gold tables registered as ``gold.<table>``; this module turns every
``CREATE OR ALTER VIEW gold.x AS <select>`` into ``CREATE OR REPLACE VIEW gold.x AS <select>`` in
Spark SQL, mechanically (sqlglot, tsql -> spark), refusing anything sqlglot cannot translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from .scripts import SYNAPSE_DIR, batches

VIEWS_SCRIPT = SYNAPSE_DIR / "040_analyst_views.sql"


@dataclass(frozen=True)
class AnalystView:
    name: str  # schema-qualified, e.g. gold.vw_store_comparison
    create: exp.Create  # the T-SQL statement as sqlglot parsed it

    @property
    def select(self) -> exp.Expression:
        return self.create.expression

    @property
    def output_columns(self) -> list[str]:
        return list(self.select.named_selects)

    def spark_select(self) -> str:
        """The view's query in Spark SQL; raises if a construct has no Spark translation."""
        return self.select.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE, pretty=True)

    def spark_create(self) -> str:
        return f"CREATE OR REPLACE VIEW {self.name} AS\n{self.spark_select()}"


def parse_views(text: str, where: str = "analyst views") -> list[AnalystView]:
    """Every batch of ``text`` must be exactly one CREATE OR ALTER VIEW."""
    views = []
    for batch in batches(text):
        statements = [s for s in sqlglot.parse(batch, read="tsql") if s is not None]
        if len(statements) != 1:
            raise ValueError(
                f"{where}: each batch holds one view, found {len(statements)} statements"
            )
        create = statements[0]
        if not isinstance(create, exp.Create) or create.kind != "VIEW":
            raise ValueError(f"{where}: not a CREATE VIEW: {batch.strip()[:60]!r}")
        table = create.this if isinstance(create.this, exp.Table) else create.this.this
        name = ".".join(p.name for p in table.parts)
        views.append(AnalystView(name=name, create=create))
    return views


def analyst_views(path: Path = VIEWS_SCRIPT) -> list[AnalystView]:
    return parse_views(path.read_text(encoding="utf-8"), path.name)
