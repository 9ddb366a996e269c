"""The scripts as sqlfluff's tsql dialect parses them: statements, the IF guards around them, and
the objects they create, drop and grant. Used by the checks in synapse/tests (needs sqlfluff).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlfluff.core import FluffConfig, Linter
from sqlfluff.core.parser import BaseSegment

from .scripts import scripts


class SqlParseError(ValueError):
    """sqlfluff found an unparsable section."""


# Scripts that hold only statements the tsql dialect of the pinned sqlfluff (4.5.0) cannot parse,
# with the exact statements each may hold. `make lint-sql` skips them (.sqlfluffignore); the parse
# tests check their text against the documented syntax and fail once sqlfluff can parse them.
SQLFLUFF_GAPS: dict[str, list[str]] = {
    "051_analysts_credential_grant.sql": [
        "GRANT REFERENCES ON DATABASE SCOPED CREDENTIAL::WorkspaceIdentity TO analysts;",
    ],
}


def parseable_scripts() -> list[str]:
    """Names of the scripts sqlfluff must parse: all but the gap files."""
    return [s.name for s in scripts() if s.name not in SQLFLUFF_GAPS]


@cache
def _linter() -> Linter:
    # The raw templater: the tests parse rendered SQL, in which nothing is templated any more.
    return Linter(config=FluffConfig(overrides={"dialect": "tsql", "templater": "raw"}))


def parse(sql: str, where: str = "<sql>") -> BaseSegment:
    parsed = _linter().parse_string(sql, fname=where)
    problems = [v.desc() for v in parsed.violations]
    if problems or parsed.tree is None:
        raise SqlParseError(f"{where}: {'; '.join(problems) or 'no parse tree'}")
    return parsed.tree


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Statement:
    script: str
    kind: str  # the sqlfluff segment type, or "dynamic_sql" for the text run by EXEC (N'...')
    text: str  # whitespace-collapsed SQL
    guards: tuple[str, ...]  # conditions of the enclosing IFs, innermost first (collapsed)
    line: int


def _unquote(literal: str) -> str:
    body = literal[1:] if literal[:1] in "Nn" else literal
    return body[1:-1].replace("''", "'")


def statements(sql: str, script: str) -> list[Statement]:
    """Every statement of ``sql`` in order, nested ones (inside IF / BEGIN..END) included, plus
    the SQL text each ``EXEC (N'...')`` runs (its string literals joined, variables left out)."""
    return list(_statements(sql, script))


@cache
def _statements(sql: str, script: str) -> tuple[Statement, ...]:
    tree = parse(sql, script)
    found = []
    for seg in tree.recursive_crawl("statement"):
        inner = next(c for c in seg.segments if not (c.is_whitespace or c.is_meta))
        if inner.type in ("if_then_statement", "begin_end_block"):
            continue
        guards = tuple(
            squash(_if_condition(step.segment))
            for step in reversed(tree.path_to(seg))
            if step.segment.type == "if_then_statement"
        )
        line = inner.pos_marker.line_no if inner.pos_marker else 0
        found.append(Statement(script, inner.type, squash(inner.raw), guards, line))
        if inner.type == "execute_script_statement":
            literals = [_unquote(q.raw) for q in inner.recursive_crawl("quoted_literal")]
            found.append(Statement(script, "dynamic_sql", squash("".join(literals)), guards, line))
    return tuple(found)


def _if_condition(if_statement: BaseSegment) -> str:
    clause = next(s for s in if_statement.segments if s.type == "if_clause")
    return clause.raw.strip()[2:]  # drop the IF keyword


# What a CREATE makes, by the words that follow CREATE: (kind, name).
_CREATES = [
    (re.compile(r"^CREATE OR ALTER VIEW (\S+)", re.I), "view (create or alter)"),
    (re.compile(r"^CREATE VIEW (\S+)", re.I), "view"),
    (re.compile(r"^CREATE EXTERNAL TABLE (\S+?)\s*\(", re.I), "external table"),
    (re.compile(r"^CREATE EXTERNAL DATA SOURCE (\S+)", re.I), "external data source"),
    (re.compile(r"^CREATE EXTERNAL FILE FORMAT (\S+)", re.I), "external file format"),
    (re.compile(r"^CREATE DATABASE SCOPED CREDENTIAL (\S+)", re.I), "database scoped credential"),
    (re.compile(r"^CREATE DATABASE (\S+)", re.I), "database"),
    (re.compile(r"^CREATE MASTER KEY()", re.I), "master key"),
    (re.compile(r"^CREATE SCHEMA (\S+)", re.I), "schema"),
    (re.compile(r"^CREATE ROLE (\S+)", re.I), "role"),
    (re.compile(r"^CREATE USER (\[[^\]]+\]|\S+)", re.I), "user"),
]
MASTER_KEY_NAME = "##MS_DatabaseMasterKey##"


@dataclass(frozen=True)
class Create:
    statement: Statement
    kind: str
    name: str  # as written, brackets removed; the master key's catalog name for CREATE MASTER KEY


def creates(stmts: list[Statement]) -> list[Create]:
    """The CREATE statements (dynamic SQL included). Raises on a CREATE of an unknown kind, so a
    new kind of object cannot slip past the idempotency rules unclassified."""
    found = []
    for st in stmts:
        if not st.text.upper().startswith("CREATE "):
            continue
        for pattern, kind in _CREATES:
            match = pattern.match(st.text)
            if match:
                name = match[1].strip("[]") if kind != "master key" else MASTER_KEY_NAME
                found.append(Create(st, kind, name))
                break
        else:
            raise ValueError(f"{st.script}:{st.line}: unclassified CREATE: {st.text[:60]}")
    return found


_GRANT = re.compile(
    r"^GRANT (?P<permission>[A-Z ]+?)(?: ON (?P<securable>\S+(?: \S+)*?))? TO (?P<grantee>\S+?);?$",
    re.I,
)


@dataclass(frozen=True)
class Grant:
    permission: str  # upper case, e.g. SELECT
    securable: str  # e.g. OBJECT::gold.vw_store_comparison ("" for a database permission)
    grantee: str


def grant_of(text: str) -> Grant:
    match = _GRANT.match(squash(text))
    if not match:
        raise ValueError(f"not a single-grantee GRANT: {text}")
    securable = re.sub(r"\s*::\s*", "::", match["securable"] or "")
    return Grant(match["permission"].upper(), securable, match["grantee"].strip("[]"))


# ---------------------------------------------------------------------------------------------
# Idempotency by construction: the rules every script keeps so that rerunning it is a no-op.
# ---------------------------------------------------------------------------------------------
_NOT_EXISTS = re.compile(r"\bNOT\s+EXISTS\b|\bIS\s+NULL\b", re.I)
_EXISTS = re.compile(r"(?<!NOT )\bEXISTS\b|\bIS\s+NOT\s+NULL\b", re.I)
_DROP = re.compile(r"^DROP (EXTERNAL TABLE|VIEW) (\S+?);?$", re.I)
_ADD_MEMBER = re.compile(r"^ALTER ROLE (\S+) ADD MEMBER (\[[^\]]+\]|\S+?);?$", re.I)


def _names(condition: str, name: str) -> bool:
    return f"N'{name}'" in condition or f"'{name}'" in condition


def _guarded(st: Statement, name: str, test: re.Pattern) -> bool:
    return any(_names(g, name) and test.search(g) for g in st.guards)


def idempotency_problems(sql: str, script: str) -> list[str]:
    """Why rerunning ``sql`` would fail or change something, by construction (empty = fine):

    - a view is created with CREATE OR ALTER (keeps its permissions);
    - an external table (no ALTER exists) is created after a DROP of the same table, guarded by an
      existence test naming it;
    - any other object is created inside an IF that tests that very object's absence;
    - ADD MEMBER runs only when the membership does not exist yet.
    """
    stmts = statements(sql, script)
    problems = []
    dropped: dict[tuple[str, str], int] = {}
    for index, st in enumerate(stmts):
        match = _DROP.match(st.text)
        if match and _guarded(st, match[2], _EXISTS):
            dropped[(match[1].upper(), match[2])] = index
        member = _ADD_MEMBER.match(st.text)
        if member and not _guarded(st, member[2].strip("[]"), _NOT_EXISTS):
            problems.append(
                f"{script}:{st.line}: ADD MEMBER {member[2]} without a NOT EXISTS guard"
            )
    for create in creates(stmts):
        where = f"{script}:{create.statement.line}: {create.kind} {create.name}"
        if create.kind == "view (create or alter)":
            continue
        if create.kind == "view":
            problems.append(f"{where}: use CREATE OR ALTER VIEW")
        elif create.kind == "external table":
            index = stmts.index(create.statement)
            if dropped.get(("EXTERNAL TABLE", create.name), len(stmts)) > index:
                problems.append(f"{where}: not preceded by a guarded DROP EXTERNAL TABLE")
        elif not _guarded(create.statement, create.name, _NOT_EXISTS):
            problems.append(f"{where}: bare CREATE (no IF testing that it does not exist)")
    return problems
