"""Scripts, their order and variables, and `make synapse-sql` rendering them from stack outputs."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sqlkit.render import OutputsError, render, serverless_endpoint, variables_from_outputs
from sqlkit.scripts import SYNAPSE_DIR, batches, scripts

REPO = SYNAPSE_DIR.parent
SAMPLE = Path(__file__).resolve().parent / "sample-outputs.dev.json"


def test_scripts_run_in_this_order_and_database():
    assert [(s.name, s.database) for s in scripts()] == [
        ("000_database.sql", "master"),
        ("010_credential.sql", "CustomerAnalytics"),
        ("020_data_source.sql", "CustomerAnalytics"),
        ("030_gold_tables.sql", "CustomerAnalytics"),
        ("040_analyst_views.sql", "CustomerAnalytics"),
        ("050_analysts_role.sql", "CustomerAnalytics"),
        ("051_analysts_credential_grant.sql", "CustomerAnalytics"),
    ]


def test_scripts_use_exactly_the_variables_the_renderer_fills(sample_outputs):
    used = {name for s in scripts() for name in s.variables()}
    assert (
        used
        == set(variables_from_outputs(sample_outputs))
        == {
            "DfsEndpoint",
            "GoldContainer",
            "AnalystsGroup",
        }
    )
    by_script = {s.name: s.variables() for s in scripts() if s.variables()}
    assert by_script == {
        "020_data_source.sql": {"DfsEndpoint", "GoldContainer"},
        "050_analysts_role.sql": {"AnalystsGroup"},
    }


def test_variables_come_from_the_stack_outputs(sample_outputs):
    assert variables_from_outputs(sample_outputs) == {
        "DfsEndpoint": "https://stcadevsample01.dfs.core.windows.net",
        "GoldContainer": "gold",
        "AnalystsGroup": "customer-analytics-dev-data-analysts",
    }
    assert serverless_endpoint(sample_outputs) == "syn-ca-dev-sample-ondemand.sql.azuresynapse.net"
    other = copy.deepcopy(sample_outputs) | {"goldContainerName": "gold-v2"}
    assert variables_from_outputs(other)["GoldContainer"] == "gold-v2"


def test_rendered_scripts_have_the_stack_values_and_no_variables(rendered):
    source = "\n".join(r.script.text() for r in rendered.values())
    text = "\n".join(r.text for r in rendered.values())
    assert "$(" in source
    assert "$(" not in text
    assert "LOCATION = 'https://stcadevsample01.dfs.core.windows.net/gold'," in text
    assert "CREATE USER [customer-analytics-dev-data-analysts] FROM EXTERNAL PROVIDER;" in text
    assert "ALTER ROLE analysts ADD MEMBER [customer-analytics-dev-data-analysts];" in text
    # Rendering changes nothing but the variables.
    for r in rendered.values():
        assert len(batches(r.text)) == len(batches(r.script.text()))


def _broken(sample: dict, **changes) -> dict:
    out = copy.deepcopy(sample)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"storageAccountName": None}, "'storageAccountName' is missing"),
        ({"storageAccountName": "Not_An_Account"}, "is not a storage account name"),
        ({"dfsEndpoint": "https://otheraccount.dfs.core.windows.net/"}, "is not https://"),
        ({"dfsEndpoint": "http://stcadevsample01.dfs.core.windows.net/"}, "is not https://"),
        ({"goldContainerName": "Gold_Container"}, "is not a container name"),
        ({"groupNames": None}, "'groupNames' is missing"),
        ({"groupNames": {"analysts": "x]; DROP USER dbo; --"}}, "no quotes, brackets"),
        ({"groupNames": {"analysts": "o'brien"}}, "no quotes, brackets"),
        ({"groupNames": {"analysts": "$(GoldContainer)"}}, "no quotes, brackets"),
        ({"groupNames": {"analysts": ""}}, "'analysts' is missing"),
    ],
)
def test_bad_outputs_are_refused_with_the_key_named(sample_outputs, changes, message):
    with pytest.raises(OutputsError, match=message.replace("(", r"\(").replace("$", r"\$")):
        render(_broken(sample_outputs, **changes))


@pytest.mark.parametrize(
    "endpoint",
    ["syn-ca-dev.sql.azuresynapse.net", "tcp:syn-ca-dev-ondemand.sql.azuresynapse.net,1433", ""],
)
def test_only_a_serverless_endpoint_is_accepted(sample_outputs, endpoint):
    with pytest.raises(OutputsError, match="synapseServerlessEndpoint"):
        serverless_endpoint(_broken(sample_outputs, synapseServerlessEndpoint=endpoint))


def _make(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_make_synapse_sql_renders_offline_from_an_outputs_file(tmp_path):
    out = tmp_path / "dev"
    result = _make("synapse-sql", "STACK=dev", f"OUTPUTS={SAMPLE}", f"SYNAPSE_OUT={out}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rendered 7 scripts for stack dev" in result.stdout
    assert "rendered only; APPLY=1 applies them" in result.stdout
    assert (out / "plan.tsv").read_text() == (
        "master\t000_database.sql\n"
        "CustomerAnalytics\t010_credential.sql\n"
        "CustomerAnalytics\t020_data_source.sql\n"
        "CustomerAnalytics\t030_gold_tables.sql\n"
        "CustomerAnalytics\t040_analyst_views.sql\n"
        "CustomerAnalytics\t050_analysts_role.sql\n"
        "CustomerAnalytics\t051_analysts_credential_grant.sql\n"
    )
    assert (out / "server").read_text() == "syn-ca-dev-sample-ondemand.sql.azuresynapse.net\n"
    expected = render(_load(SAMPLE))
    assert sorted(p.name for p in out.glob("*.sql")) == [r.script.name for r in expected]
    for r in expected:
        assert (out / r.script.name).read_text() == r.text


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_make_synapse_sql_without_outputs_or_pulumi_fails_clearly(tmp_path):
    # A PATH with make, python3 and the shell tools, but no pulumi.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("make", "python3", "bash", "sh", "mkdir", "cp", "env"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    assert shutil.which("pulumi", path=str(bin_dir)) is None
    result = _make(
        "synapse-sql", "STACK=prod", f"SYNAPSE_OUT={tmp_path / 'out'}", path=str(bin_dir)
    )
    assert result.returncode != 0
    assert "synapse-sql: no stack outputs for prod: pass OUTPUTS=path/to/outputs.json" in (
        result.stdout + result.stderr
    )


def test_make_synapse_sql_reports_a_bad_outputs_file(tmp_path):
    bad = tmp_path / "outputs.json"
    bad.write_text('{"storageAccountName": "stcadevsample01"}')
    result = _make("synapse-sql", "STACK=dev", f"OUTPUTS={bad}", f"SYNAPSE_OUT={tmp_path / 'o'}")
    assert result.returncode != 0
    assert "synapse-sql: stack output 'dfsEndpoint' is missing or not a string" in result.stderr


def test_renderer_needs_only_the_standard_library(tmp_path):
    """The deploy job renders with the runner's python3, without the dev virtualenv: -S keeps
    site-packages (sqlfluff, pyspark, ...) off the path."""
    command = [sys.executable, "-S", "-m", "sqlkit.render", "--stack", "dev"]
    result = subprocess.run(
        [*command, "--outputs", str(SAMPLE), "--out", str(tmp_path)],
        cwd=SYNAPSE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "051_analysts_credential_grant.sql").exists()
