package firstrun

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// makeDryRun is what `make -n ARGS` would run, one command a line, in the repository.
func makeDryRun(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("make", append([]string{"-n", "--no-print-directory"}, args...)...)
	cmd.Dir = repoRoot(t)
	for _, kv := range os.Environ() {
		// A `make test` running this test must not leak its own flags or overrides into the dry run.
		switch strings.SplitN(kv, "=", 2)[0] {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GO", "GO_BUILD_FLAGS", "STACK", "PLAN_FLAGS", "CONFIG":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	out, err := cmd.Output()
	require.NoError(t, err, "make -n %v", args)
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestMakePlanChecksGoThenShowsProgressThenRuns(t *testing.T) {
	require.Equal(t, []string{
		"scripts/doctor.sh -q go",
		`GO="go" GO_BUILD_FLAGS="-p=1" GOGC=50 scripts/go-progress.sh -o build/plan ./cmd/plan`,
		"build/plan --stack prod  --json",
	}, makeDryRun(t, "plan", "STACK=prod", "PLAN_FLAGS=--json"))
}

func TestMakeTestAndDemoRunTheDoctorFirst(t *testing.T) {
	for _, target := range []string{"test", "demo"} {
		t.Run(target, func(t *testing.T) {
			lines := makeDryRun(t, target)
			require.Equal(t, `MAKE_VERSION="`+makeVersion(t)+`" PYTHON="python3" scripts/doctor.sh`, lines[0])
		})
	}
}

// Every Go target that compiles first compiles what is not cached, with progress and bounded memory.
func TestGoTargetsCompileDependenciesWithProgressFirst(t *testing.T) {
	for _, target := range []string{"lint-go", "test-go", "build"} {
		t.Run(target, func(t *testing.T) {
			require.Equal(t, `GO="go" GO_BUILD_FLAGS="-p=1" GOGC=50 scripts/go-progress.sh -test ./...`, makeDryRun(t, target)[0])
		})
	}
}

func makeVersion(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("make", "--version").Output()
	require.NoError(t, err)
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimPrefix(first, "GNU Make ")
}
