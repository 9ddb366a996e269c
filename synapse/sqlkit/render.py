"""Render ``synapse/*.sql`` for one stack from its Pulumi outputs (stdlib only).

    python3 -m sqlkit.render --stack dev --outputs outputs.json --out build/synapse/dev

Reads the stack outputs (``pulumi stack output --json``), checks every value the SQL uses, replaces
the sqlcmd variables ``$(Name)`` and writes:

    <out>/NNN_name.sql   the scripts exactly as they will run (no variable left)
    <out>/plan.tsv       "<database>\\t<file>" per script, in apply order (read by apply.sh)
    <out>/server         the serverless SQL endpoint to connect to

Nothing here is secret: the outputs hold names only, and the master key password is generated on
the server by the script that needs it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .scripts import SYNAPSE_DIR, VARIABLE, Script, scripts

# The gold container's name. The stack does not export it (the data lake component fixes it to
# "gold"); an output named goldContainerName, if a stack ever adds one, takes precedence.
DEFAULT_GOLD_CONTAINER = "gold"

_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
_CONTAINER = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")
_SERVERLESS = re.compile(r"^[a-z0-9][a-z0-9-]*-ondemand\.sql\.azuresynapse\.[a-z0-9.-]+[a-z]$")
# Characters that cannot appear in a group name used inside [..] identifiers and N'..' literals.
_UNSAFE_NAME = re.compile(r"[\[\]'\x00-\x1f\x7f]|\$\(")


class OutputsError(ValueError):
    """A stack output the SQL needs is missing or malformed."""


@dataclass(frozen=True)
class Rendered:
    script: Script
    text: str


def _text(outputs: Mapping, key: str) -> str:
    value = outputs.get(key)
    if not isinstance(value, str) or not value.strip():
        raise OutputsError(f"stack output {key!r} is missing or not a string")
    return value.strip()


def variables_from_outputs(outputs: Mapping) -> dict[str, str]:
    """The sqlcmd variables of the scripts, from a stack's outputs. Raises OutputsError."""
    account = _text(outputs, "storageAccountName")
    if not _ACCOUNT.match(account):
        raise OutputsError(
            f"storageAccountName {account!r} is not a storage account name (3-24 a-z0-9)"
        )

    dfs = _text(outputs, "dfsEndpoint").rstrip("/")
    if not re.fullmatch(rf"https://{re.escape(account)}\.dfs\.[a-z0-9.-]+[a-z]", dfs):
        raise OutputsError(
            f"dfsEndpoint {dfs!r} is not https://{account}.dfs.<suffix>/ (storageAccountName)"
        )

    container = outputs.get("goldContainerName", DEFAULT_GOLD_CONTAINER)
    if not isinstance(container, str) or not _CONTAINER.match(container):
        raise OutputsError(f"goldContainerName {container!r} is not a container name")

    groups = outputs.get("groupNames")
    if not isinstance(groups, Mapping):
        raise OutputsError("stack output 'groupNames' is missing or not an object")
    analysts = _text(groups, "analysts")
    if len(analysts) > 128 or _UNSAFE_NAME.search(analysts):
        raise OutputsError(
            f"groupNames.analysts {analysts!r}: at most 128 characters, no quotes, brackets or $("
        )

    return {
        "DfsEndpoint": dfs,
        "GoldContainer": container,
        "AnalystsGroup": analysts,
    }


def serverless_endpoint(outputs: Mapping) -> str:
    endpoint = _text(outputs, "synapseServerlessEndpoint").lower()
    if not _SERVERLESS.match(endpoint):
        raise OutputsError(
            f"synapseServerlessEndpoint {endpoint!r} is not <workspace>-ondemand.sql.azuresynapse.<suffix>"
        )
    return endpoint


def substitute(text: str, variables: Mapping[str, str], where: str) -> str:
    missing = sorted({m["name"] for m in VARIABLE.finditer(text)} - set(variables))
    if missing:
        raise OutputsError(f"{where}: no value for sqlcmd variable(s) {', '.join(missing)}")
    return VARIABLE.sub(lambda m: variables[m["name"]], text)


def render(outputs: Mapping, directory: Path = SYNAPSE_DIR) -> list[Rendered]:
    variables = variables_from_outputs(outputs)
    rendered = [Rendered(s, substitute(s.text(), variables, s.name)) for s in scripts(directory)]
    for r in rendered:
        # A value must never introduce a variable reference of its own.
        if VARIABLE.search(r.text):
            raise OutputsError(f"{r.script.name}: a variable is left after rendering")
    return rendered


def write(rendered: list[Rendered], server: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.sql"):
        stale.unlink()
    plan = []
    for r in rendered:
        (out / r.script.name).write_text(r.text, encoding="utf-8")
        plan.append(f"{r.script.database}\t{r.script.name}\n")
    (out / "plan.tsv").write_text("".join(plan), encoding="utf-8")
    (out / "server").write_text(server + "\n", encoding="utf-8")


def load_outputs(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutputsError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise OutputsError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise OutputsError(f"{path}: expected the JSON object `pulumi stack output --json` prints")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m sqlkit.render", description=__doc__)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--outputs", required=True, type=Path, help="stack outputs JSON")
    parser.add_argument("--out", required=True, type=Path, help="directory for the rendered SQL")
    args = parser.parse_args(argv)
    try:
        outputs = load_outputs(args.outputs)
        variables = variables_from_outputs(outputs)
        rendered = render(outputs)
        server = serverless_endpoint(outputs)
    except (OutputsError, ValueError) as exc:
        print(f"synapse-sql: {exc}", file=sys.stderr)
        return 1
    write(rendered, server, args.out)
    print(f"synapse-sql: rendered {len(rendered)} scripts for stack {args.stack} into {args.out}")
    print(f"  server        {server}")
    for name, value in sorted(variables.items()):
        print(f"  $({name}) = {value}")
    for r in rendered:
        print(f"  {r.script.name:<34} runs in {r.script.database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
