package workflows

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The Unity Catalog part of the preflight (issue 11, item 3): asked of the workspace with the deploy
// app's CLI session, from the stack outputs before the update.

const deployApp = "00000000-0000-0000-0000-0000000dep10"

// ucOutputs are the healthy outputs with the engineers and analysts group names.
func ucOutputs(t *testing.T) string {
	t.Helper()
	return writeOutputs(t, func(o map[string]any) {
		o["groupNames"] = map[string]string{"engineers": "ca-dev-data-engineers", "analysts": "ca-dev-data-analysts"}
	})
}

const accountGroups = `FAKE_UC_GROUPS={"ca-dev-data-engineers":"Group","ca-dev-data-analysts":"Group"}`

func TestPreflightUnityCatalogPassesWhenTheAccountAdminStepsAreDone(t *testing.T) {
	r := runScript(t, t.TempDir(), "preflight.sh", []string{"ARM_CLIENT_ID=" + deployApp, accountGroups}, "dev", "--unity-catalog", ucOutputs(t))
	require.Equal(t, 0, r.code, r.out)
	require.Contains(t, r.out, "preflight (dev): Unity Catalog prerequisites ok")
	require.Contains(t, r.out, "the engineers group 'ca-dev-data-engineers' is an account group")
	require.NotContains(t, r.out, "::error::")
	for _, call := range []string{
		"--url https://adb-123.4.azuredatabricks.net/api/2.1/unity-catalog/current-metastore-assignment",
		"--url https://adb-123.4.azuredatabricks.net/api/2.1/unity-catalog/effective-permissions/metastore/ms-1?principal=" + deployApp,
		"--url https://adb-123.4.azuredatabricks.net/api/2.0/preview/scim/v2/Groups?filter=displayName%20eq%20%22ca-dev-data-analysts%22&attributes=displayName,meta",
	} {
		require.Contains(t, r.log, "az rest --method get --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d "+call)
	}

	admin := runScript(t, t.TempDir(), "preflight.sh", []string{"ARM_CLIENT_ID=" + deployApp, "FAKE_UC_OWNER=" + deployApp, "FAKE_UC_PRIVILEGES=", accountGroups},
		"dev", "--unity-catalog", ucOutputs(t))
	require.Equal(t, 0, admin.code, admin.out)
	require.Contains(t, admin.out, "the deploy app is the admin of metastore ms-1")
	require.NotContains(t, admin.log, "effective-permissions", "a metastore admin needs no grant")

	notYet := runScript(t, t.TempDir(), "preflight.sh", []string{"ARM_CLIENT_ID=" + deployApp}, "dev", "--unity-catalog", ucOutputs(t))
	require.Equal(t, 0, notYet.code, notYet.out)
	require.Contains(t, notYet.out, "::notice::preflight (dev): the analysts group 'ca-dev-data-analysts' is not in workspace adb-123.4.azuredatabricks.net yet")
}

// A first deploy has no workspace to ask: nothing is called and the check passes with a notice.
func TestPreflightUnityCatalogOnAFirstDeploy(t *testing.T) {
	empty := writeOutputs(t, func(o map[string]any) { clear(o) })
	r := runScript(t, t.TempDir(), "preflight.sh", []string{"ARM_CLIENT_ID=" + deployApp}, "prod", "--unity-catalog", empty)
	require.Equal(t, 0, r.code, r.out)
	require.Contains(t, r.out, "::notice::preflight (prod): no Databricks workspace yet (first deploy)")
	require.Empty(t, r.log)
}

func TestPreflightUnityCatalogNamesWhatIsMissing(t *testing.T) {
	for name, tc := range map[string]struct {
		env          []string
		want, absent []string
		problems     int
	}{
		"no metastore": {env: []string{"FAKE_UC_NO_METASTORE=1", accountGroups},
			want: []string{"workspace adb-123.4.azuredatabricks.net has no Unity Catalog metastore assigned", "'Unity Catalog prerequisites', step 1"}, problems: 1},
		"missing metastore privileges": {env: []string{"FAKE_UC_PRIVILEGES=CREATE_CATALOG USE_CATALOG", accountGroups},
			want:   []string{"lacks CREATE_EXTERNAL_LOCATION on metastore ms-1", "lacks CREATE_STORAGE_CREDENTIAL on metastore ms-1", "step 3"},
			absent: []string{"lacks CREATE_CATALOG"}, problems: 2},
		"privileges held by someone else": {env: []string{"FAKE_UC_PRIVILEGES=", accountGroups},
			want: []string{"lacks CREATE_CATALOG", "lacks CREATE_EXTERNAL_LOCATION", "lacks CREATE_STORAGE_CREDENTIAL"}, problems: 3},
		"workspace-local engineers group": {env: []string{`FAKE_UC_GROUPS={"ca-dev-data-engineers":"WorkspaceGroup","ca-dev-data-analysts":"Group"}`},
			want:   []string{"the engineers group 'ca-dev-data-engineers' in workspace adb-123.4.azuredatabricks.net is a workspace-local group", "'Migrating an existing deployment to Unity Catalog', step 2"},
			absent: []string{"analysts group 'ca-dev-data-analysts' in workspace"}, problems: 1},
	} {
		t.Run(name, func(t *testing.T) {
			r := runScript(t, t.TempDir(), "preflight.sh", append([]string{"ARM_CLIENT_ID=" + deployApp}, tc.env...), "dev", "--unity-catalog", ucOutputs(t))
			require.Equal(t, 1, r.code, r.out)
			for _, w := range tc.want {
				require.Contains(t, r.out, w)
			}
			for _, a := range tc.absent {
				require.NotContains(t, r.out, a)
			}
			require.Contains(t, r.out, fmt.Sprintf("preflight (dev): %d problem(s)", tc.problems))
		})
	}
}

var ucPreflightArg = regexp.MustCompile(`preflight\.sh "\$STACK" --unity-catalog ("[^"]+"|\S+)`)

// checkUnityCatalogPreflight: every deploy job asks the workspace for the Unity Catalog prerequisites
// before `pulumi up` and before it stops the Data Factory trigger (a failed preflight leaves the
// factory as it was), unconditionally, from the stack outputs read before the update.
func checkUnityCatalogPreflight(wf *Workflow) []string {
	var problems []string
	for _, d := range deployJobs(wf) {
		j := d.job
		at := j.runs("--unity-catalog")
		if len(at) != 1 {
			problems = append(problems, fmt.Sprintf("%s: want one Unity Catalog preflight (preflight.sh \"$STACK\" --unity-catalog OUTPUTS), found %d", d.where, len(at)))
			continue
		}
		step := j.Steps[at[0]]
		if stops := j.runs("adf-trigger.sh stop"); at[0] > d.upAt || (len(stops) > 0 && at[0] > stops[0]) {
			problems = append(problems, fmt.Sprintf("%s %s: must run before the trigger stop and pulumi up", d.where, step))
		}
		if !unconditional(step) {
			problems = append(problems, fmt.Sprintf("%s %s: must not be skipped or allowed to fail", d.where, step))
		}
		if m := ucPreflightArg.FindStringSubmatch(step.Run); m == nil || outputsWrittenBefore(j, m[1], at[0]) < 0 {
			problems = append(problems, fmt.Sprintf("%s %s: reads no `pulumi stack output --json` written before it", d.where, step))
		}
	}
	return problems
}

const ucPreflightStep = "      - name: Preflight (Unity Catalog prerequisites, asked of the workspace)\n" +
	"        run: .github/scripts/preflight.sh \"$STACK\" --unity-catalog \"$RUNNER_TEMP/outputs-before.json\"\n"

const triggerStopStep = "      - name: Stop the Data Factory trigger (updates to a started trigger are rejected)\n" +
	"        id: trigger-stop\n        run: .github/scripts/adf-trigger.sh stop \"$RUNNER_TEMP/outputs-before.json\"\n"

func TestContractUnityCatalogPreflightBeforeUp(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkUnityCatalogPreflight(w["deploy.yml"]) },
		[]breakage{
			{"no preflight", "deploy.yml", ucPreflightStep, "", "found 0"},
			{"may fail", "deploy.yml", ucPreflightStep, ucPreflightStep + "        continue-on-error: true\n", "must not be skipped"},
			{"from stale outputs", "deploy.yml", ucPreflightStep,
				strings.Replace(ucPreflightStep, "outputs-before.json", "outputs-old.json", 1), "reads no `pulumi stack output --json`"},
			{"after the trigger stop", "deploy.yml", ucPreflightStep + "\n" + triggerStopStep, triggerStopStep + "\n" + ucPreflightStep, "must run before the trigger stop"},
		})
}
