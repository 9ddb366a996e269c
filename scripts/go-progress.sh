#!/usr/bin/env bash
# Compiles what the given Go packages need and is not in the build cache yet, saying so as it goes:
# a first build compiles the Azure SDK modules for minutes, and a silent screen looks like a hang.
# When everything is cached it prints nothing and takes about a second (one `go list`).
#
#   scripts/go-progress.sh [-test] PACKAGES...     (-test: also what their tests import)
#
# Progress goes to stderr, so stdout stays the caller's (`make plan PLAN_FLAGS=--json >plan.json`).
# On a terminal one line updates in place every second; otherwise a line is printed every
# GO_PROGRESS_EVERY seconds (default 5) while a package compiles. GO_BUILD_FLAGS are passed to
# `go build` (the Makefile bounds its memory with them).
set -euo pipefail

GO="${GO:-go}"
every="${GO_PROGRESS_EVERY:-5}"
test_flag=()
if [[ "${1:-}" == -test ]]; then test_flag=(-test); shift; fi
(($#)) || { echo "usage: $0 [-test] PACKAGES..." >&2; exit 2; }

# The packages to compile: stale, not a main package (a link is the caller's job, and quick), not a
# test variant ("p [p.test]": the caller's `go test` compiles those, they are ours and small).
mapfile -t stale < <("$GO" list -deps "${test_flag[@]}" \
  -f '{{if and .Stale (ne .Name "main") (eq .ForTest "")}}{{.ImportPath}}{{end}}' "$@")
total=${#stale[@]}
((total)) || exit 0
what="$total Go packages"
((total > 1)) || what="1 Go package"
declare -A wanted=()
for p in "${stale[@]}"; do wanted[$p]=1; done

tty=
[[ -t 2 ]] && tty=1
start=$SECONDS
started=0
current="starting"
last_print=-1

elapsed() { local s=$((SECONDS - start)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
status() {
  local msg
  msg="compiling Go packages: $started/$total, $(elapsed), $current"
  if [[ -n "$tty" ]]; then
    printf '\r\033[K%s' "$msg" >&2
  else
    printf '%s\n' "$msg" >&2
  fi
  last_print=$SECONDS
}
# A line of go's own (an error, a download): print it on a line of its own.
passthrough() {
  [[ -n "$tty" ]] && printf '\r\033[K' >&2
  printf '%s\n' "$1" >&2
}

header="compiling $what not in the build cache yet"
if [[ " ${stale[*]} " == *" github.com/pulumi/pulumi-azure-native-sdk/"* ]]; then
  header+=", the Azure SDK modules among them: minutes, first run only (README \"Quick start\");"
  header+=" later runs take seconds"
fi
echo "$header" >&2
status

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # GO_BUILD_FLAGS is a list of flags
exec {out}< <("$GO" build -v ${GO_BUILD_FLAGS:-} "${stale[@]}" 2>&1; echo $? >"$tmp/rc")
partial=
while :; do
  if IFS= read -r -t 1 -u "$out" line; then
    line="$partial$line"
    partial=
    if [[ -n "${wanted[$line]:-}" ]]; then
      started=$((started + 1))
      current="$line"
    else
      passthrough "$line"
    fi
  elif (($? > 128)); then
    partial+="$line" # timed out: keep what came of an unfinished line
  else
    [[ -n "$partial$line" ]] && passthrough "$partial$line"
    break
  fi
  # A terminal line moves with every package and every second; a log gets a line every $every s.
  if [[ -n "$tty" ]] || ((SECONDS - last_print >= every)); then status; fi
done
exec {out}<&-
rc="$(cat "$tmp/rc" 2>/dev/null || echo 1)"
[[ -n "$tty" ]] && printf '\r\033[K' >&2
if ((rc == 0)); then
  echo "compiled $what in $(elapsed); cached for the next runs" >&2
fi
exit "$rc"
