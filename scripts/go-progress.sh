#!/usr/bin/env bash
# Compiles Go code, saying what it is doing while it does: a first build compiles the Azure SDK
# modules for minutes, and a silent screen looks like a hang. When everything is cached it prints
# nothing.
#
#   scripts/go-progress.sh [-test] PACKAGES...   compile what PACKAGES need that is not cached yet
#                                                (-test: also what their tests import), link nothing
#   scripts/go-progress.sh -o FILE PACKAGE       build the program PACKAGE into FILE
#
# The first form asks `go list` what is stale, then builds only that. The second starts the build
# at once, so a warm run costs no more than `go run`, and asks `go list` for the count alongside.
# Progress goes to stderr, so stdout stays the caller's (`make plan PLAN_FLAGS=--json >plan.json`).
# On a terminal one line updates in place every second; otherwise a line is printed every
# GO_PROGRESS_EVERY seconds (default 5). GO_BUILD_FLAGS are passed to `go build` (the Makefile
# bounds its memory with them).
set -euo pipefail

GO="${GO:-go}"
every="${GO_PROGRESS_EVERY:-5}"
test_flag=()
out_file=
case "${1:-}" in
-test) test_flag=(-test); shift ;;
-o) out_file="${2:?-o needs a file}"; shift 2 ;;
esac
(($#)) || { echo "usage: $0 [-test] PACKAGES... | -o FILE PACKAGE" >&2; exit 2; }

tmp="$(mktemp -d)"
stale=()
trap 'rm -rf "$tmp"' EXIT

# list_stale: the packages to compile, one a line: stale, not a test variant ("p [p.test]": the
# caller's `go test` compiles those, they are ours and small) and, unless we build the program, not
# a main package (linking those is the caller's business).
list_stale() {
  local main='(ne .Name "main")'
  [[ -z "$out_file" ]] || main=true
  "$GO" list -deps "${test_flag[@]}" \
    -f "{{if and .Stale $main (eq .ForTest \"\")}}{{.ImportPath}}{{end}}" "$@"
}

if [[ -z "$out_file" ]]; then
  mapfile -t stale < <(list_stale "$@")
  ((${#stale[@]})) || exit 0
  build=("${stale[@]}")
  printf '%s\n' "${stale[@]}" >"$tmp/stale"
  echo 0 >"$tmp/before"
  : >"$tmp/listed"
else
  build=(-o "$out_file" "$@")
fi
packages=("$@")

total=
started=0
current="starting"
announced=
last_print=-1
start=$SECONDS
tty=
[[ -t 2 ]] && tty=1

elapsed() { local s=$((SECONDS - start)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
# learn_total: the number of packages to compile, once `go list` has said: those it still found
# stale plus those already compiled when it was asked (all but the one in progress).
learn_total() {
  [[ -z "$total" && -f "$tmp/listed" ]] || return 0
  mapfile -t stale <"$tmp/stale"
  total=$((${#stale[@]} + $(cat "$tmp/before")))
  ((total >= started)) || total=$started
}
# announce: the first line, said once something is being compiled. Building the program, this is
# when we ask `go list` how much there is to compile: a warm run, compiling nothing, never asks.
announce() {
  if [[ ! -f "$tmp/listed" ]]; then
    echo $((started > 0 ? started - 1 : 0)) >"$tmp/before"
    { list_stale "${packages[@]}" >"$tmp/stale" 2>/dev/null || true; : >"$tmp/listed"; } &
    local waited=0
    while [[ ! -f "$tmp/listed" ]] && ((waited < 30)); do sleep 0.1; waited=$((waited + 1)); done
  fi
  learn_total
  local what="${total:-some} Go packages"
  [[ "$total" == 1 ]] && what="1 Go package"
  local header="compiling $what not in the build cache yet"
  if [[ " ${stale[*]:-} " == *" github.com/pulumi/pulumi-azure-native-sdk/"* ]]; then
    header+=", the Azure SDK modules among them: minutes, first run only (README \"Quick start\");"
    header+=" later runs take seconds"
  fi
  echo "$header" >&2
  announced=1
}
status() {
  learn_total
  local msg
  msg="compiling Go packages: $started/${total:-?}, $(elapsed), $current"
  if [[ -n "$tty" ]]; then
    printf '\r\033[K%s' "$msg" >&2
  else
    printf '%s\n' "$msg" >&2
  fi
  last_print=$SECONDS
}
# A line of go's own (an error, a download): printed on a line of its own.
passthrough() {
  [[ -n "$tty" && -n "$announced" ]] && printf '\r\033[K' >&2
  printf '%s\n' "$1" >&2
}

if [[ -z "$out_file" ]]; then announce; status; fi
# shellcheck disable=SC2086 # GO_BUILD_FLAGS is a list of flags
exec {out}< <("$GO" build -v ${GO_BUILD_FLAGS:-} "${build[@]}" 2>&1; echo $? >"$tmp/rc")
partial=
while :; do
  if IFS= read -r -t 1 -u "$out" line; then
    line="$partial$line"
    partial=
    # `go build -v` names each package as it starts compiling it; an import path has no spaces,
    # while go's errors and notes ("# pkg", "file.go:3:1: ...", "go: downloading ...") do.
    if [[ "$line" =~ ^[^[:space:]#]+$ ]]; then
      started=$((started + 1))
      current="$line"
      [[ -n "$announced" ]] || announce
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
  if [[ -n "$announced" ]] && { [[ -n "$tty" ]] || ((SECONDS - last_print >= every)); }; then status; fi
done
exec {out}<&-
wait
rc="$(cat "$tmp/rc" 2>/dev/null || echo 1)"
if [[ -n "$announced" ]]; then
  [[ -n "$tty" ]] && printf '\r\033[K' >&2
  if ((rc == 0)); then
    echo "compiled $started Go package$( ((started == 1)) || echo s) in $(elapsed); cached for the next runs" >&2
  fi
fi
exit "$rc"
