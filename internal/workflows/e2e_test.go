package workflows

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The e2e and drift scripts run here against the fake az, pulumi, sqlcmd, curl and gh in
// testdata/fakebin (the same fakes `make e2e-dry-run` uses); the e2e script always in a scratch copy
// of the repository files it reads (testdata/e2e-dry-run.sh), so no test writes into the worktree.

// runWithFakes runs a command with testdata/fakebin first on PATH and a fresh fake state.
func runWithFakes(t *testing.T, env []string, command string, args ...string) scriptRun {
	t.Helper()
	for _, tool := range []string{"bash", "jq", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required to test the workflow scripts", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	fakes := filepath.Join(repoRoot(t), "internal", "workflows", "testdata", "fakebin")
	log := filepath.Join(t.TempDir(), "calls.log")
	require.NoError(t, os.WriteFile(log, nil, 0o600))
	cmd := exec.Command("bash", append([]string{command}, args...)...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+fakes+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_LOG="+log, "FAKE_STATE="+t.TempDir(), "GITHUB_RUN_ID=42", "GITHUB_REPOSITORY=example/repo")
	cmd.Env = append(cmd.Env, env...)
	out, code := runCommand(t, cmd)
	calls, err := os.ReadFile(log)
	require.NoError(t, err)
	return scriptRun{out: out, code: code, log: string(calls)}
}

// runCommand runs cmd with stdout and stderr into one buffer and returns it with the exit status.
func runCommand(t *testing.T, cmd *exec.Cmd) (string, int) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return out.String(), exitErr.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), 0
}

// dryRun runs `make e2e-dry-run`'s driver (e2e.sh in a scratch repository, against the fakes).
func dryRun(t *testing.T, env []string, stack string) scriptRun {
	t.Helper()
	return runWithFakes(t, env, filepath.Join(repoRoot(t), "internal", "workflows", "testdata", "e2e-dry-run.sh"), stack)
}

// lines returns the lines of text starting with prefix.
func lines(text, prefix string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// indexOf is the index of the first line containing s, or -1.
func indexOf(ls []string, s string) int {
	return slices.IndexFunc(ls, func(l string) bool { return strings.Contains(l, s) })
}

// phaseVerdicts reads the summary table: phase -> verdict.
func phaseVerdicts(out string) map[string]string {
	verdicts := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\| ([a-z-]+) \| ([a-z ]+) \|`).FindAllStringSubmatch(out, -1) {
		if m[1] != "phase" {
			verdicts[m[1]] = m[2]
		}
	}
	return verdicts
}

func TestE2EDryRunRunsEveryPhaseInOrderAndTearsDown(t *testing.T) {
	phases := e2ePhases(t)
	r := dryRun(t, nil, "e2e-42-1")
	require.Equal(t, 0, r.code, r.out)

	// The phases, in order, each passed.
	var started []string
	for _, m := range regexp.MustCompile(`(?m)^== e2e e2e-42-1: ([a-z-]+)$`).FindAllStringSubmatch(r.out, -1) {
		started = append(started, m[1])
	}
	require.Equal(t, phases, started)
	for _, phase := range phases {
		require.Equal(t, "passed", phaseVerdicts(r.out)[phase], "phase %s", phase)
	}

	// Every Pulumi call names the throwaway stack, and only it.
	pulumi := lines(r.log, "pulumi ")
	require.NotEmpty(t, pulumi)
	for _, call := range pulumi {
		require.Contains(t, call, " --stack e2e-42-1 ", call)
		require.Equal(t, 1, strings.Count(call, "--stack"), call)
	}
	// Deploy, the two no-op previews, then the teardown: protection and locks lifted before the
	// destroy, the vault purged after it, the stack removed last.
	calls := lines(r.log, "")
	order := []string{"pulumi stack init", "pulumi up --yes", "pulumi preview --expect-no-changes",
		"pulumi preview --refresh --expect-no-changes", "az storage blob upload", "createRun", "sqlcmd",
		"pulumi state unprotect --all --yes", "az lock delete --ids", "pulumi destroy --yes",
		"az keyvault purge --name kv-e2e-dev-0a1b2c --location westeurope", "pulumi stack rm --yes"}
	at := -1
	for _, call := range order {
		i := indexOf(calls, call)
		require.Greater(t, i, at, "%q must come after %q", call, order[max(0, slices.Index(order, call)-1)])
		at = i
	}
	require.Contains(t, pulumi[len(pulumi)-1], "pulumi stack rm --yes")
	require.NotContains(t, r.out, "Pulumi.e2e-42-1.yaml", "the teardown removes the stack's config file")

	// The fixture lands in its landing order, without the defects file.
	var manifest struct {
		Files []struct {
			Path       string `json:"path"`
			ModifiedAt string `json:"modified_at"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, "notebooks", "testdata", "manifest.json")), &manifest))
	sort.SliceStable(manifest.Files, func(i, j int) bool { return manifest.Files[i].ModifiedAt < manifest.Files[j].ModifiedAt })
	var want, got []string
	for _, f := range manifest.Files {
		if strings.HasPrefix(f.Path, "bronze/") {
			want = append(want, strings.TrimPrefix(f.Path, "bronze/"))
		}
	}
	for _, call := range lines(r.log, "az storage blob upload") {
		got = append(got, regexp.MustCompile(`--name (\S+)`).FindStringSubmatch(call)[1])
	}
	require.Equal(t, want, got)

	// Every analyst view was compared with the expected-rows file.
	for _, view := range []string{"gold.vw_top_categories_last_30_days", "gold.vw_high_value_customers",
		"gold.vw_monthly_revenue_trend", "gold.vw_store_comparison", "gold.vw_executive_dashboard"} {
		require.Contains(t, r.out, "ok: "+view)
	}
}

func TestE2ETeardownRunsWhenAnEarlierPhaseFails(t *testing.T) {
	for name, tc := range map[string]struct {
		env    []string
		failed string
		want   string
	}{
		"pipeline fails": {env: []string{"FAKE_RUN_RESULT=Failed"}, failed: "pipeline",
			want: "activity TransformBronzeToSilver (DatabricksNotebook) failed: quality 41.2 % is below the threshold 50"},
		"deploy fails":                    {env: []string{"FAKE_UP_FAIL=1"}, failed: "deploy", want: "error: update failed"},
		"a second run would change stuff": {env: []string{"FAKE_REFRESH_CHANGES_STACKS=e2e-42-1"}, failed: "no-op", want: "no changes were expected"},
		"a view differs": {env: []string{"FAKE_SQL_WRONG=gold.vw_store_comparison"}, failed: "views",
			want: "gold.vw_store_comparison: Synapse's rows differ"},
	} {
		t.Run(name, func(t *testing.T) {
			r := dryRun(t, tc.env, "e2e-42-1")
			require.Equal(t, 1, r.code, r.out)
			require.Contains(t, r.out, tc.want)
			verdicts := phaseVerdicts(r.out)
			phases := e2ePhases(t)
			failedAt := slices.Index(phases, tc.failed)
			for i, phase := range phases[:len(phases)-1] {
				switch {
				case i < failedAt:
					require.Equal(t, "passed", verdicts[phase], phase)
				case i == failedAt:
					require.Equal(t, "failed", verdicts[phase], phase)
				default:
					require.Equal(t, "not run", verdicts[phase], phase)
				}
			}
			require.Equal(t, "passed", verdicts["teardown"])
			require.Contains(t, r.log, "pulumi destroy --yes")
			require.Contains(t, r.log, "pulumi stack rm --yes")
		})
	}
	t.Run("the view diff names the row", func(t *testing.T) {
		r := dryRun(t, []string{"FAKE_SQL_WRONG=gold.vw_store_comparison"}, "e2e-42-1")
		require.Contains(t, r.out, "-1\tSeattle\t1267.60")
		require.Contains(t, r.out, "+99\tSeattle\t1267.60")
		require.Contains(t, r.out, "ok: gold.vw_executive_dashboard", "the other views are still compared")
	})
}

func TestE2EUploadWaitsForTheRoleToApply(t *testing.T) {
	r := dryRun(t, []string{"FAKE_UPLOAD_REFUSALS=2"}, "e2e-42-1")
	require.Equal(t, 0, r.code, r.out)
	require.Len(t, lines(r.log, "az storage blob upload"), 5+2)
	require.Contains(t, r.out, "refused (attempt 2)")
}

func TestE2EKeepsTheStackWhenDestroyFails(t *testing.T) {
	r := dryRun(t, []string{"FAKE_DESTROY_FAILURES=9"}, "e2e-42-1")
	require.Equal(t, 1, r.code, r.out)
	require.Equal(t, "failed", phaseVerdicts(r.out)["teardown"])
	require.Len(t, lines(r.log, "pulumi destroy"), 2, "one retry")
	require.NotContains(t, r.log, "pulumi stack rm", "a stack that still has resources is kept for the cleanup run")
	require.Contains(t, r.out, "re-run e2e.yml with cleanup_stack=e2e-42-1")

	retried := dryRun(t, []string{"FAKE_DESTROY_FAILURES=1"}, "e2e-42-1")
	require.Equal(t, 0, retried.code, retried.out)
	require.Contains(t, retried.log, "pulumi stack rm --yes")
}

// The e2e script refuses, before any command, every stack that is not e2e-<run id>-<attempt>:
// dev, staging and prod above all. A sabotaged copy without the check reaches the fakes, which
// shows this test would notice.
func TestE2ERefusesEveryStackButItsThrowawayOnes(t *testing.T) {
	stacks := []string{"dev", "staging", "prod", "e2e", "e2e-42", "e2e-42-1-dev", "xe2e-42-1", "E2E-42-1",
		"e2e-42-1 --stack prod", "organization/customer-analytics/prod", "e2e-42-1\nprod"}
	for _, command := range []string{"all", "deploy", "teardown"} {
		for _, stack := range stacks {
			r := dryRun(t, []string{"E2E_COMMAND=" + command}, stack)
			require.Equal(t, 2, r.code, "e2e.sh %s %q: %s", command, stack, r.out)
			require.Contains(t, r.out, "refusing stack")
			require.Empty(t, r.log, "e2e.sh %s %q reached a CLI", command, stack)
		}
	}

	sabotaged := filepath.Join(t.TempDir(), "scripts")
	require.NoError(t, exec.Command("cp", "-R", filepath.Join(repoRoot(t), ".github", "scripts"), sabotaged).Run())
	script := filepath.Join(sabotaged, "e2e.sh")
	raw, err := os.ReadFile(script)
	require.NoError(t, err)
	require.Contains(t, string(raw), "STACK_PATTERN='^e2e-[0-9]+-[0-9]+$'")
	require.NoError(t, os.WriteFile(script, []byte(strings.Replace(string(raw), "STACK_PATTERN='^e2e-[0-9]+-[0-9]+$'", "STACK_PATTERN='.*'", 1)), 0o755))
	r := dryRun(t, []string{"E2E_COMMAND=teardown", "E2E_SCRIPTS_DIR=" + sabotaged}, "prod")
	require.NotEmpty(t, r.log, "without the name check the teardown reaches pulumi for prod")
	require.Contains(t, r.log, "--stack prod")
}

func TestMakeTestRunsTheE2EDryRun(t *testing.T) {
	makefile := readFile(t, "Makefile")
	require.Regexp(t, `(?m)^TEST_TARGETS \+=.*\be2e-dry-run\b`, makefile)
	require.Regexp(t, `(?m)^e2e-dry-run:.*\n\tinternal/workflows/testdata/e2e-dry-run\.sh$`, makefile)
}
