"""The tools the SQL layer depends on are pinned, and the deploy workflow hands the apply the
outputs it fetched."""

from __future__ import annotations

import re

import yaml

from sqlkit.scripts import SYNAPSE_DIR

REPO = SYNAPSE_DIR.parent


def test_go_sqlcmd_version_is_pinned_once_for_the_build():
    go_mod = (SYNAPSE_DIR / "sqlcmd" / "go.mod").read_text()
    required = re.findall(r"^\s*github\.com/microsoft/go-sqlcmd (v\S+)", go_mod, re.M)
    assert required == ["v1.10.0"]
    assert "tool github.com/microsoft/go-sqlcmd/cmd/modern" in go_mod
    makefile = (REPO / "Makefile").read_text()
    assert re.findall(r"^SQLCMD_VERSION := (\S+)$", makefile, re.M) == required
    go_sum = (SYNAPSE_DIR / "sqlcmd" / "go.sum").read_text()
    assert "github.com/microsoft/go-sqlcmd v1.10.0 h1:" in go_sum


def test_python_sql_tools_are_pinned_exactly():
    pins = dict(
        line.split("==", 1)
        for line in (REPO / "requirements-dev.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert pins["sqlfluff"] == "4.5.0"
    assert pins["sqlglot"] == "30.30.0"


def test_deploy_applies_the_sql_with_the_outputs_it_fetched():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "deploy.yml").read_text())
    for job in ("dev", "prod"):
        steps = workflow["jobs"][job]["steps"]
        names = [s.get("name") for s in steps]
        fetch = steps[names.index("Stack outputs")]
        apply = steps[names.index("Apply the Synapse serverless SQL")]
        assert '>"$RUNNER_TEMP/outputs.json"' in fetch["run"]
        assert apply["run"] == 'make synapse-sql STACK="$STACK" APPLY=1'
        assert apply["env"] == {"OUTPUTS": "${{ runner.temp }}/outputs.json"}
        before_apply = names[: names.index("Apply the Synapse serverless SQL")]
        if job == "dev":
            # dev's workspace is public: the runner's address is let in first.
            assert "Open the Synapse firewall for this runner" in before_apply
        else:
            # prod's workspace has no public endpoint: a runner in the VNet, after the approvals.
            assert "Open the Synapse firewall for this runner" not in names
            assert "Approve the managed private endpoint connections" in before_apply
