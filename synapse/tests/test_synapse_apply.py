"""synapse/apply.sh against a fake go-sqlcmd and a fake Azure CLI: what it would run, in which
order, with which authentication, and that it stops at the first failure."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sqlkit.render import render, serverless_endpoint, write
from sqlkit.scripts import SYNAPSE_DIR

APPLY = SYNAPSE_DIR / "apply.sh"

FAKE_SQLCMD = """#!/usr/bin/env bash
# Records its arguments (one call per line, NUL-free) and fails on the script named in FAIL_ON.
printf '%s\\n' "$*" >>"$CALLS"
for arg in "$@"; do
  if [[ -n "${FAIL_ON:-}" && "$arg" == *"$FAIL_ON" ]]; then
    echo "Msg 15151, Level 16: simulated failure" >&2
    exit 1
  fi
done
"""
FAKE_AZ = """#!/usr/bin/env bash
[[ "$*" == "account show --output none" ]] && exit "${AZ_LOGGED_OUT:-0}"
exit 3
"""


@pytest.fixture
def world(tmp_path, sample_outputs):
    rendered_dir = tmp_path / "rendered"
    write(render(sample_outputs), serverless_endpoint(sample_outputs), rendered_dir)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    sqlcmd = bin_dir / "sqlcmd"
    sqlcmd.write_text(FAKE_SQLCMD)
    (bin_dir / "az").write_text(FAKE_AZ)
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return {"dir": rendered_dir, "bin": bin_dir, "sqlcmd": sqlcmd, "calls": tmp_path / "calls"}


def run_apply(world, **env) -> subprocess.CompletedProcess:
    environment = {
        "PATH": f"{world['bin']}:{os.environ['PATH']}",
        "CALLS": str(world["calls"]),
        **env,
    }
    return subprocess.run(
        [str(APPLY), str(world["dir"]), str(world["sqlcmd"])],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def calls(world) -> list[str]:
    path: Path = world["calls"]
    return path.read_text().splitlines() if path.exists() else []


def expected_call(world, database: str, script: str) -> str:
    return (
        "-S tcp:syn-ca-dev-sample-ondemand.sql.azuresynapse.net,1433 "
        f"-d {database} --authentication-method ActiveDirectoryAzCli -N true -l 60 -b -x "
        f"-i {world['dir']}/{script}"
    )


def test_applies_every_script_in_order_with_entra_auth_from_the_cli(world):
    result = run_apply(world)
    assert result.returncode == 0, result.stderr
    assert calls(world) == [
        expected_call(world, "master", "000_database.sql"),
        expected_call(world, "CustomerAnalytics", "010_credential.sql"),
        expected_call(world, "CustomerAnalytics", "020_data_source.sql"),
        expected_call(world, "CustomerAnalytics", "030_gold_tables.sql"),
        expected_call(world, "CustomerAnalytics", "040_analyst_views.sql"),
        expected_call(world, "CustomerAnalytics", "050_analysts_role.sql"),
        expected_call(world, "CustomerAnalytics", "051_analysts_credential_grant.sql"),
    ]
    assert "apply: 7 scripts applied to syn-ca-dev-sample-ondemand.sql.azuresynapse.net" in (
        result.stdout
    )


def test_stops_at_the_first_failing_script(world):
    result = run_apply(world, FAIL_ON="030_gold_tables.sql")
    assert result.returncode == 1
    assert [c.rsplit("/", 1)[-1] for c in calls(world)] == [
        "000_database.sql",
        "010_credential.sql",
        "020_data_source.sql",
        "030_gold_tables.sql",
    ]
    assert "simulated failure" in result.stderr


def test_refuses_to_run_without_an_azure_cli_session(world):
    result = run_apply(world, AZ_LOGGED_OUT="1")
    assert result.returncode == 1
    assert "apply: no Azure CLI session: run 'az login'" in result.stderr
    assert calls(world) == []


def test_refuses_to_run_unrendered(world, tmp_path):
    world["dir"] = tmp_path / "empty"
    world["dir"].mkdir()
    result = run_apply(world)
    assert result.returncode == 1
    assert "plan.tsv is missing: render first (make synapse-sql)" in result.stderr
    assert calls(world) == []
