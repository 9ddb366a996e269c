package workflows

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// drift.sh against the fake pulumi and gh: one issue per drifting stack, updated rather than
// duplicated, closed when the stack is clean; a failing check is not drift.

type issue struct {
	Number   int      `json:"number"`
	Title    string   `json:"title"`
	State    string   `json:"state"`
	Labels   []string `json:"labels"`
	Body     string   `json:"body"`
	Comments []string `json:"comments"`
}

const devTitle = "Drift: stack dev differs from its Pulumi program"

// runDrift runs drift.sh (or a sabotaged copy) on stack, starting from issues, and returns the run
// and the issues afterwards.
func runDrift(t *testing.T, script, stack string, issues []issue, env ...string) (scriptRun, []issue) {
	t.Helper()
	if issues == nil {
		issues = []issue{}
	}
	raw, err := json.Marshal(issues)
	require.NoError(t, err)
	state := t.TempDir()
	r := runWithFakes(t, append(env, "FAKE_ISSUES="+string(raw), "FAKE_STATE="+state), script, stack)
	var after []issue
	if db, err := os.ReadFile(filepath.Join(state, "issues.json")); err == nil {
		require.NoError(t, json.Unmarshal(db, &after))
	}
	return r, after
}

func driftScript(t *testing.T) string {
	return filepath.Join(repoRoot(t), ".github", "scripts", "drift.sh")
}

func openIssues(issues []issue, title string) []issue {
	var out []issue
	for _, i := range issues {
		if i.State == "open" && i.Title == title {
			out = append(out, i)
		}
	}
	return out
}

func TestDriftOpensOneIssuePerStackAndUpdatesIt(t *testing.T) {
	prodIssue := issue{Number: 7, Title: "Drift: stack prod differs from its Pulumi program", State: "open", Labels: []string{"drift"}}
	drifting := "FAKE_CHANGES_STACKS=dev"

	r, after := runDrift(t, driftScript(t), "dev", []issue{prodIssue}, drifting)
	require.Equal(t, 1, r.code, r.out)
	require.Contains(t, r.out, "::error::drift (dev): the stack has drifted; opened https://github.com/example/repo/issues/8")
	created := openIssues(after, devTitle)
	require.Len(t, created, 1)
	require.Equal(t, []string{"drift"}, created[0].Labels)
	require.Contains(t, created[0].Body, "~ 1 to update")
	require.Contains(t, created[0].Body, `~ defaultAction: "Allow" => "Deny"`)
	require.Contains(t, created[0].Body, "actions/runs/42")
	require.Len(t, openIssues(after, prodIssue.Title), 1, "another stack's issue is left alone")

	again, after2 := runDrift(t, driftScript(t), "dev", after, drifting, "GITHUB_RUN_ID=43")
	require.Equal(t, 1, again.code, again.out)
	require.Len(t, openIssues(after2, devTitle), 1, "a second drifting run updates the issue, never duplicates it")
	require.NotContains(t, again.log, "gh issue create")
	require.Contains(t, openIssues(after2, devTitle)[0].Body, "actions/runs/43")
	require.Contains(t, openIssues(after2, devTitle)[0].Comments[0], "Still drifting in run")

	// Read-only: the only Pulumi command is a refreshing preview that expects no changes.
	for _, call := range lines(r.log+again.log, "pulumi ") {
		require.True(t, strings.HasPrefix(call, "pulumi preview --refresh --expect-no-changes "), call)
		require.Contains(t, call, "--stack dev")
	}
}

func TestDriftClosesTheIssueWhenTheStackIsClean(t *testing.T) {
	devIssue := issue{Number: 3, Title: devTitle, State: "open", Labels: []string{"drift"}}
	prodIssue := issue{Number: 7, Title: "Drift: stack prod differs from its Pulumi program", State: "open", Labels: []string{"drift"}}
	r, after := runDrift(t, driftScript(t), "dev", []issue{devIssue, prodIssue})
	require.Equal(t, 0, r.code, r.out)
	require.Empty(t, openIssues(after, devTitle))
	require.Len(t, openIssues(after, prodIssue.Title), 1)
	require.Contains(t, r.log, "gh issue close 3 ")

	quiet, _ := runDrift(t, driftScript(t), "staging", nil)
	require.Equal(t, 0, quiet.code, quiet.out)
	require.Empty(t, lines(quiet.log, "gh issue close"))
	require.Empty(t, lines(quiet.log, "gh issue create"))
}

func TestDriftFailureThatIsNotDriftOpensNoIssue(t *testing.T) {
	r, after := runDrift(t, driftScript(t), "prod", nil, "FAKE_PREVIEW_ERROR_STACKS=prod")
	require.Equal(t, 1, r.code, r.out)
	require.Contains(t, r.out, "not drift")
	require.Empty(t, after)
	require.Empty(t, lines(r.log, "gh issue create"))

	bad, _ := runDrift(t, driftScript(t), "e2e-1-1", nil)
	require.Equal(t, 2, bad.code, bad.out)
	require.Empty(t, bad.log, "an unknown stack reaches neither pulumi nor gh")
}

// Sabotaged copies of drift.sh: each breaks one promise, and the scenario that guards it notices.
func TestDriftChecksCatchSabotagedCopies(t *testing.T) {
	original, err := os.ReadFile(driftScript(t))
	require.NoError(t, err)
	sabotage := func(old, new string) string {
		require.Contains(t, string(original), old)
		path := filepath.Join(t.TempDir(), "drift.sh")
		require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(original), old, new, 1)), 0o755))
		return path
	}
	existing := []issue{{Number: 3, Title: devTitle, State: "open", Labels: []string{"drift"}}}

	noLookup := sabotage(`jq -r --arg t "$title"`, `jq -r --arg t "another title"`)
	_, after := runDrift(t, noLookup, "dev", existing, "FAKE_CHANGES_STACKS=dev")
	require.Len(t, openIssues(after, devTitle), 2, "without the lookup a second issue is opened")

	noClose := sabotage(`gh issue close "$issue"`, `echo gh issue close "$issue"`)
	_, after = runDrift(t, noClose, "dev", existing)
	require.Len(t, openIssues(after, devTitle), 1, "without the close the issue stays open")

	everyFailureIsDrift := sabotage("if ! grep -Eq", "if grep -Eq")
	_, after = runDrift(t, everyFailureIsDrift, "prod", nil, "FAKE_PREVIEW_ERROR_STACKS=prod")
	require.NotEmpty(t, after, "treating a failed check as drift files an issue")
}
