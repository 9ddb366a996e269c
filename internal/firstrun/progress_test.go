package firstrun

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeGoBuild stands in for the go command: `go list` prints $FAKE_STALE (the packages not in the
// cache), `go build -v` prints each package it is given as the real one does when it starts on it,
// then takes $FAKE_DELAY seconds to "compile" it (with -o FILE, the program's build, it compiles
// $FAKE_BUILT: nothing unless set); $FAKE_ERROR makes the build fail with that
// message. Every call is logged to $FAKE_LOG.
const fakeGoBuild = `#!/usr/bin/env bash
echo "go $*" >>"$FAKE_LOG"
case "$1" in
list) for p in ${FAKE_STALE:-}; do echo "$p"; done ;;
build)
  shift
  if [[ "$*" == *" -o "* || "$*" == "-o "* ]]; then set -- ${FAKE_BUILT:-}; fi
  for a; do
    case "$a" in -*) ;; *) echo "$a" >&2; sleep "${FAKE_DELAY:-0}" ;; esac
  done
  if [[ -n "${FAKE_ERROR:-}" ]]; then echo "$FAKE_ERROR" >&2; exit 1; fi ;;
esac
`

type timedLine struct {
	at   time.Duration
	text string
}

// runProgress runs scripts/go-progress.sh with the fake go and notes when each stderr line arrives.
func runProgress(t *testing.T, env []string, args ...string) (scriptRun, []timedLine, []string) {
	t.Helper()
	dir := t.TempDir()
	writeFake(t, dir, "go", fakeGoBuild)
	log := filepath.Join(dir, "calls.log")
	cmd := exec.Command(filepath.Join(repoRoot(t), "scripts", "go-progress.sh"), args...)
	cmd.Env = append([]string{"PATH=" + dir + ":" + basePath(t), "FAKE_LOG=" + log}, env...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	start := time.Now()
	require.NoError(t, cmd.Start())
	var lines []timedLine
	scanner := bufio.NewScanner(stderr)
	for scanner.Scan() {
		lines = append(lines, timedLine{time.Since(start), scanner.Text()})
	}
	require.NoError(t, scanner.Err())
	code := 0
	if err := cmd.Wait(); err != nil {
		exit, ok := err.(*exec.ExitError)
		require.True(t, ok, err)
		code = exit.ExitCode()
	}
	calls, err := os.ReadFile(log)
	require.NoError(t, err)
	var text []string
	for _, l := range lines {
		text = append(text, l.text)
	}
	return scriptRun{code: code, stdout: stdout.String(), stderr: strings.Join(text, "\n")}, lines, strings.Split(strings.TrimSpace(string(calls)), "\n")
}

func TestProgressIsSilentWhenEverythingIsCached(t *testing.T) {
	r, _, calls := runProgress(t, nil, "./cmd/plan")
	require.Equal(t, scriptRun{code: 0}, r)
	require.Equal(t, []string{
		`go list -deps -f {{if and .Stale (ne .Name "main") (eq .ForTest "")}}{{.ImportPath}}{{end}} ./cmd/plan`,
	}, calls, "a warm run asks go list once and builds nothing")
}

func TestProgressCountsThePackagesAndNeverGoesQuiet(t *testing.T) {
	t.Parallel()
	// Two packages of 3 s each, a line at least every second: the second package alone would
	// leave 3 s of silence without the heartbeat.
	r, lines, calls := runProgress(t, []string{
		"FAKE_STALE=github.com/pulumi/pulumi-azure-native-sdk/network/v2 github.com/pulumi/pulumi-azure-native-sdk/storage/v2", "FAKE_DELAY=3",
		"GO_PROGRESS_EVERY=1", "GO_BUILD_FLAGS=-p=1",
	}, "-test", "./...")
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stdout, "progress goes to stderr; stdout is the caller's")
	require.Equal(t, []string{
		`go list -deps -test -f {{if and .Stale (ne .Name "main") (eq .ForTest "")}}{{.ImportPath}}{{end}} ./...`,
		"go build -v -p=1 github.com/pulumi/pulumi-azure-native-sdk/network/v2 github.com/pulumi/pulumi-azure-native-sdk/storage/v2",
	}, calls)

	require.Less(t, lines[0].at, 5*time.Second, "the first line comes within seconds")
	require.Equal(t, "compiling 2 Go packages not in the build cache yet, the Azure SDK modules among them: "+
		`minutes, first run only (README "Quick start"); later runs take seconds`, lines[0].text)
	for i := 1; i < len(lines); i++ {
		// Generous on a loaded 2-core runner: the fake ticks every second, silence means > 5 s.
		require.Less(t, lines[i].at-lines[i-1].at, 5*time.Second, "silent before %q", lines[i].text)
	}
	require.Regexp(t, `^compiled 2 Go packages in 0m(0[5-9]|[1-5][0-9])s; cached for the next runs$`, lines[len(lines)-1].text)

	// The count follows the packages in order, and each is named while it compiles.
	var seen []string
	for _, l := range lines[1 : len(lines)-1] {
		require.Regexp(t, `^compiling Go packages: [0-2]/2, 0m[0-5][0-9]s, `, l.text)
		if n := len(seen); n == 0 || seen[n-1] != l.text[strings.LastIndex(l.text, ", ")+2:] {
			seen = append(seen, l.text[strings.LastIndex(l.text, ", ")+2:])
		}
	}
	require.Equal(t, []string{"starting", "github.com/pulumi/pulumi-azure-native-sdk/network/v2", "github.com/pulumi/pulumi-azure-native-sdk/storage/v2"}, seen)
	require.Contains(t, r.stderr, "1/2, 0m0")
	require.Contains(t, r.stderr, "2/2, 0m0")
}

// Building the program (`make plan`): the build starts at once, so a warm run costs one `go build`,
// and says nothing; a cold one is counted against what `go list` found stale, main package included.
func TestProgressBuildingTheProgram(t *testing.T) {
	t.Run("warm: silent, one build", func(t *testing.T) {
		r, _, calls := runProgress(t, nil, "-o", "build/plan", "./cmd/plan")
		require.Equal(t, scriptRun{code: 0}, r)
		require.Equal(t, []string{"go build -v -o build/plan ./cmd/plan"}, calls, "no go list when nothing compiles")
	})
	t.Run("cold: counted, main package included", func(t *testing.T) {
		t.Parallel()
		r, lines, calls := runProgress(t, []string{
			"FAKE_STALE=example.com/lib example.com/cmd/plan", "FAKE_BUILT=example.com/lib example.com/cmd/plan",
			"FAKE_DELAY=2", "GO_PROGRESS_EVERY=1",
		}, "-o", "build/plan", "./cmd/plan")
		require.Equal(t, 0, r.code, r.stderr)
		require.Empty(t, r.stdout)
		require.Equal(t, "compiling 2 Go packages not in the build cache yet", lines[0].text)
		require.Less(t, lines[0].at, 2*time.Second)
		require.Contains(t, r.stderr, "compiling Go packages: 1/2, 0m0")
		require.Contains(t, r.stderr, "compiling Go packages: 2/2, 0m0")
		require.Contains(t, r.stderr, ", example.com/cmd/plan\n")
		require.Regexp(t, `compiled 2 Go packages in 0m0[3-9]s; cached for the next runs$`, r.stderr)
		require.ElementsMatch(t, []string{
			"go build -v -o build/plan ./cmd/plan",
			`go list -deps -f {{if and .Stale true (eq .ForTest "")}}{{.ImportPath}}{{end}} ./cmd/plan`,
		}, calls)
	})
}

func TestProgressPassesBuildErrorsThroughAndFails(t *testing.T) {
	r, _, _ := runProgress(t, []string{
		"FAKE_STALE=example.com/broken", "FAKE_ERROR=broken/x.go:3:1: syntax error: unexpected }",
	}, "./...")
	require.Equal(t, 1, r.code)
	require.Empty(t, r.stdout)
	require.Contains(t, r.stderr, "\nbroken/x.go:3:1: syntax error: unexpected }")
	require.NotContains(t, r.stderr, "compiled 1 Go package")
}

// With the real go command and this machine's build cache: the first run compiles the library a
// program needs (not the program itself: the caller links it) and the second, cached, run says
// nothing. The library's source is new on every run, so it is never in the cache beforehand, while
// the standard library the program links against is.
func TestProgressWithTheRealGoCompilesOnceThenIsSilent(t *testing.T) {
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	goCache, err := exec.Command(goBin, "env", "GOCACHE").Output()
	require.NoError(t, err)
	module := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/firstrun\n\ngo 1.26\n",
		"lib/lib.go": fmt.Sprintf("package lib\n\n// Answer is what main prints (source %d).\nfunc Answer() int { return 42 }\n",
			time.Now().UnixNano()),
		"cmd/x/x.go": "package main\n\nimport \"example.com/firstrun/lib\"\n\nfunc main() { println(lib.Answer()) }\n",
	}
	for name, body := range files {
		require.NoError(t, os.MkdirAll(filepath.Join(module, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(module, name), []byte(body), 0o644))
	}
	env := []string{
		"PATH=" + filepath.Dir(goBin) + ":" + basePath(t), "HOME=" + t.TempDir(),
		"GOCACHE=" + strings.TrimSpace(string(goCache)), "GOTOOLCHAIN=local", "GOWORK=off",
	}
	run := func(args ...string) scriptRun {
		if len(args) == 0 {
			args = []string{"./cmd/x"}
		}
		cmd := exec.Command(filepath.Join(repoRoot(t), "scripts", "go-progress.sh"), args...)
		cmd.Dir, cmd.Env = module, env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if err != nil {
			exit, ok := err.(*exec.ExitError)
			require.True(t, ok, err)
			code = exit.ExitCode()
		}
		return scriptRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
	}
	first := run()
	require.Equal(t, 0, first.code, first.stderr)
	require.Empty(t, first.stdout)
	require.Contains(t, first.stderr, "compiling 1 Go package not in the build cache yet\n", "no Azure SDK, no word of it")
	// go build -v's own line for the package is counted, not echoed as if it were an error.
	require.NotContains(t, "\n"+first.stderr, "\nexample.com/firstrun/lib\n")
	require.Contains(t, first.stderr, "compiled 1 Go package in ")
	require.Equal(t, scriptRun{code: 0}, run(), "cached: nothing to say")

	// Building the program then compiles only the main package, and links it.
	binary := filepath.Join(t.TempDir(), "x")
	build := run("-o", binary, "./cmd/x")
	require.Equal(t, 0, build.code, build.stderr)
	require.Contains(t, build.stderr, "compiling 1 Go package not in the build cache yet\n")
	require.Contains(t, build.stderr, "compiled 1 Go package in ")
	require.FileExists(t, binary)
	require.Equal(t, scriptRun{code: 0}, run("-o", binary, "./cmd/x"), "up to date: nothing to say")
}
