"""Every script parses with sqlfluff (tsql, pinned in requirements-dev.txt), as rendered for a
stack. The one statement sqlfluff cannot parse lives alone in its own file and is checked against
the documented syntax instead; a tripwire test says when sqlfluff learns it."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from sqlkit.analysis import SQLFLUFF_GAPS, SqlParseError, parse, parseable_scripts, statements
from sqlkit.gold import generate
from sqlkit.scripts import SYNAPSE_DIR, batches, scripts

# Documented syntax of the statement in the gap file:
# GRANT permission ON DATABASE SCOPED CREDENTIAL :: credential_name TO principal
_GRANT_ON_CREDENTIAL = re.compile(
    r"^GRANT (?:REFERENCES|CONTROL|ALTER|TAKE OWNERSHIP|VIEW DEFINITION)"
    r" ON DATABASE SCOPED CREDENTIAL ?:: ?\[?[A-Za-z_][A-Za-z0-9_]*\]?"
    r" TO \[?[A-Za-z_][A-Za-z0-9_-]*\]?;$"
)
PARSED = parseable_scripts()


def test_sqlfluff_is_the_pinned_version():
    # The gap list below is only true of this version: bump both together.
    assert version("sqlfluff") == "4.5.0"


@pytest.mark.parametrize("name", PARSED)
def test_script_parses_with_sqlfluff_tsql(rendered, name):
    tree = parse(rendered[name].text, name)
    assert "unparsable" not in tree.descendant_type_set
    # Every batch holds at least one statement sqlfluff recognised.
    assert len(statements(rendered[name].text, name)) >= len(batches(rendered[name].text))


def test_gap_files_are_exactly_the_ones_lint_skips():
    ignored = [
        line.strip()
        for line in (SYNAPSE_DIR / ".sqlfluffignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert ignored == sorted(SQLFLUFF_GAPS)
    assert set(SQLFLUFF_GAPS) <= {s.name for s in scripts()}


@pytest.mark.parametrize("name", sorted(SQLFLUFF_GAPS))
def test_gap_file_holds_only_the_documented_statement(rendered, name):
    code = [
        line.strip()
        for line in rendered[name].text.splitlines()
        if line.strip() and not line.startswith("--") and line.strip().upper() != "GO"
    ]
    assert code == SQLFLUFF_GAPS[name]
    for statement in code:
        assert _GRANT_ON_CREDENTIAL.match(statement)


@pytest.mark.parametrize("name", sorted(SQLFLUFF_GAPS))
def test_tripwire_sqlfluff_still_cannot_parse_the_gap(rendered, name):
    """When this fails, sqlfluff has learnt the statement: move it back into the script it
    belongs to (050_analysts_role.sql), and drop the file from .sqlfluffignore and SQLFLUFF_GAPS."""
    with pytest.raises(SqlParseError, match="unparsable"):
        parse(rendered[name].text, name)


def test_the_documented_syntax_check_rejects_variants():
    assert _GRANT_ON_CREDENTIAL.match(SQLFLUFF_GAPS["051_analysts_credential_grant.sql"][0])
    for bad in [
        "GRANT REFERENCES ON DATABASE SCOPED CREDENTIAL::WorkspaceIdentity TO analysts",
        "GRANT REFERENCES ON CREDENTIAL::WorkspaceIdentity TO analysts;",
        "GRANT REFERENCES ON DATABASE SCOPED CREDENTIAL::WorkspaceIdentity TO analysts; DROP x;",
        "GRANT SELECT ON DATABASE SCOPED CREDENTIAL::WorkspaceIdentity TO analysts;",
    ]:
        assert not _GRANT_ON_CREDENTIAL.match(bad), bad


def test_a_broken_statement_is_reported():
    with pytest.raises(SqlParseError, match="unparsable"):
        parse("CREATE EXTERNAL TABLE gold.x (a INT) WITH (LOCATION = 'x' DATA_SOURCE = y);\n")


def test_the_openrowset_view_form_of_a_gold_table_parses(partitioned_contract):
    """Not used today (no gold table is partitioned), but the generator must keep producing
    valid T-SQL for it: the contract can switch a table at any time."""
    text = generate(partitioned_contract)
    tree = parse(text, "030 (partitioned)")
    assert "openrowset_segment" in tree.descendant_type_set
    assert "CREATE OR ALTER VIEW gold.daily_sales_summary" in text
