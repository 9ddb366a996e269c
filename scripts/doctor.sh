#!/usr/bin/env bash
# Checks the prerequisites the README's quick start names, before a build or a Spark start-up fails
# on them somewhere deep: Go 1.26+, Python 3.11, a JDK 17+ and GNU make. For each one that is missing
# or too old it says what it found and how to install it, and exits 1.
#
#   scripts/doctor.sh [-q] [go|python|java|make ...]   (default: all four; -q prints problems only)
#
# PYTHON names the interpreter that builds .venv (the Makefile's PYTHON, default python3); JAVA_HOME,
# when set, is the JDK PySpark uses, as it does; MAKE_VERSION is the version of the make running us
# (the Makefile passes its own; without it, `make` on PATH is checked).
set -euo pipefail

# The minimums, as the README's quick start states them (internal/firstrun holds the two together).
GO_MIN=1.26
PYTHON_WANT=3.11
JAVA_MIN=17
MAKE_MIN=3.82

quiet=
if [[ "${1:-}" == -q ]]; then quiet=1; shift; fi
(($#)) || set -- go python java make

os="$(uname -s)"
problems=0

# hint TOOL: how to install it on this kind of machine.
hint() {
  local apt brew url
  case "$1" in
  go) apt="" brew="brew install go" url="https://go.dev/dl/ (Debian/Ubuntu packages are older than 1.26)" ;;
  python) apt="sudo apt-get install python3.11 python3.11-venv" brew="brew install python@3.11" url="https://www.python.org/downloads/" ;;
  java) apt="sudo apt-get install openjdk-17-jdk-headless" brew="brew install openjdk@17" url="https://adoptium.net/temurin/releases/?version=17" ;;
  make) apt="sudo apt-get install make" brew="brew install make (then run gmake)" url="https://www.gnu.org/software/make/" ;;
  esac
  if [[ "$os" == Darwin ]]; then
    echo "install: $brew, or $url"
  elif [[ -n "$apt" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "install: $apt, or $url"
  else
    echo "install: $url"
  fi
}

# version_ge A B: A >= B, comparing dot-separated numbers.
version_ge() {
  local -a a b
  IFS=. read -ra a <<<"$1"
  IFS=. read -ra b <<<"$2"
  local i
  for ((i = 0; i < ${#b[@]}; i++)); do
    local x="${a[i]:-0}" y="${b[i]:-0}"
    ((10#$x > 10#$y)) && return 0
    ((10#$x < 10#$y)) && return 1
  done
  return 0
}

# judge TOOL VERSION MIN UNREADABLE TOO_OLD [SHOWN]: reports TOOL fine when VERSION >= MIN, else the
# message that fits (VERSION empty: it could not be read). SHOWN is the version to print (VERSION).
judge() {
  if [[ -z "$2" ]]; then
    bad "$1" "$4"
  elif ! version_ge "$2" "$3"; then
    bad "$1" "$5"
  else
    ok "$1" "${6:-$2}" "need $3+"
  fi
}
ok() { [[ -n "$quiet" ]] || printf 'doctor: %-6s %-10s ok (%s)\n' "$1" "$2" "$3"; }
bad() {
  printf 'doctor: %-6s %s\n' "$1" "$2" >&2
  printf 'doctor: %-6s %s\n' "" "$(hint "$1")" >&2
  problems=$((problems + 1))
}

check_go() {
  local out v
  if ! out="$(go version 2>/dev/null)"; then
    bad go "not found on PATH: the Pulumi program and the offline plan need Go $GO_MIN or newer"
    return
  fi
  # "go version go1.26.8 linux/amd64" (also go1.26rc1, go1.26): keep the numbers.
  v="$(sed -nE 's/^go version go([0-9]+(\.[0-9]+)*).*/\1/p' <<<"$out")"
  judge go "$v" "$GO_MIN" "cannot read the version from \`go version\`: \"$out\"; need Go $GO_MIN or newer" \
    "found Go $v, too old: need Go $GO_MIN or newer (go.mod)"
}

check_python() {
  local py="${PYTHON:-python3}" v
  if ! command -v "$py" >/dev/null 2>&1; then
    bad python "$py not found on PATH: the notebooks' tests and \`make demo\` need Python $PYTHON_WANT (set PYTHON= to use another interpreter)"
    return
  fi
  v="$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true)"
  if [[ -z "$v" ]]; then
    bad python "$py does not run: need Python $PYTHON_WANT"
  elif [[ "$v" != "$PYTHON_WANT" && "$v" != "$PYTHON_WANT".* ]]; then
    local why="too old"
    version_ge "$v" "$PYTHON_WANT" && why="not the cluster's version"
    bad python "found Python $v ($py), $why: need Python $PYTHON_WANT, what Databricks Runtime 15.4 LTS runs (or set PYTHON=python$PYTHON_WANT)"
  elif ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    bad python "found Python $v ($py) without the venv module, which .venv needs"
  else
    ok python "$v" "need $PYTHON_WANT"
  fi
}

check_java() {
  local java=java out v major
  if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; fi
  if ! command -v "$java" >/dev/null 2>&1; then
    if [[ -n "${JAVA_HOME:-}" ]]; then
      bad java "JAVA_HOME=$JAVA_HOME has no bin/java: PySpark (the notebooks' tests, \`make demo\`) needs a JDK $JAVA_MIN"
    else
      bad java "not found on PATH: PySpark (the notebooks' tests, \`make demo\`) needs a JDK $JAVA_MIN"
    fi
    return
  fi
  # 'openjdk version "17.0.15" 2025-04-15' or 'java version "1.8.0_392"' (Java 8 and older say 1.x).
  out="$("$java" -version 2>&1 || true)"
  out="${out%%$'\n'*}"
  v="$(sed -nE 's/.*version "([0-9][^"]*)".*/\1/p' <<<"$out")"
  major="${v%%[.+_-]*}"
  [[ "$major" == 1 ]] && major="$(cut -d. -f2 <<<"$v")"
  [[ "$major" =~ ^[0-9]+$ ]] || major=
  judge java "$major" "$JAVA_MIN" "cannot read the version from \`$java -version\`: \"$out\"; need a JDK $JAVA_MIN" \
    "found Java $v ($java), too old: need a JDK $JAVA_MIN (Spark 3.5 with Delta)" "$v"
}

check_make() {
  local mk=make out v
  if [[ -n "${MAKE_VERSION:-}" ]]; then
    mk="the make running this"
    out="GNU Make $MAKE_VERSION"
  # Whole output, then its first line: `| head -1` could kill the writer and fail the pipeline.
  elif ! out="$("$mk" --version 2>/dev/null)" || [[ -z "$out" ]]; then
    bad make "$mk not found on PATH: every command in the README runs through GNU make $MAKE_MIN or newer"
    return
  fi
  out="${out%%$'\n'*}"
  v="$(sed -nE 's/^GNU Make ([0-9]+(\.[0-9]+)*).*/\1/p' <<<"$out")"
  judge make "$v" "$MAKE_MIN" "$mk is not GNU make (\"$out\"): need GNU make $MAKE_MIN or newer" \
    "found GNU make $v ($mk), too old: need $MAKE_MIN or newer (.SHELLFLAGS)"
}

for tool in "$@"; do
  case "$tool" in
  go | python | java | make) "check_$tool" ;;
  *) echo "doctor: unknown prerequisite \"$tool\" (go, python, java, make)" >&2; exit 2 ;;
  esac
done
if ((problems)); then
  echo "doctor: $problems prerequisite(s) missing or too old; see above (README: Quick start)" >&2
  exit 1
fi
