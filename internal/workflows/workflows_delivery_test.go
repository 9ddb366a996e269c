package workflows

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestContractPromotionDevThenStagingThenProd(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkPromotionPath(w["deploy.yml"]) },
		[]breakage{
			{"prod straight after dev", "deploy.yml", "    needs: prod-approval\n", "    needs: dev\n", "prod is not deployed after staging"},
			{"one prod approval", "deploy.yml", "    environment: production-approval\n", "    environment: staging\n", "prod has one approval only"},
			{"approval before staging", "deploy.yml", "    needs: staging\n    if: github.ref == 'refs/heads/main'\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n",
				"    needs: dev\n    if: github.ref == 'refs/heads/main'\n    runs-on: ubuntu-24.04\n    timeout-minutes: 5\n", "prod is not deployed after staging"},
			{"gate with credentials", "deploy.yml", "    environment: production-approval\n    permissions: {}\n", "    environment: production-approval\n    permissions:\n      id-token: write\n", "no credentials"},
			{"staging not after dev", "deploy.yml", "  staging:\n    name: deploy staging\n    needs: dev\n", "  staging:\n    name: deploy staging\n", "staging is not deployed after dev"},
			{"staging without its reviewer", "deploy.yml", "    environment: staging\n", "    environment: dev\n", `want "staging"`},
			{"no staging deploy", "deploy.yml", "          stack-name: staging\n", "          stack-name: dev\n", "each of dev, staging and prod"},
		})
	// The existing contracts cover staging as a private stack like prod.
	assertContract(t, func(w map[string]*Workflow) []string { return checkProdRunsInTheNetwork(w["deploy.yml"]) },
		[]breakage{
			{"GitHub-hosted staging", "deploy.yml", "runs-on: ${{ fromJSON(vars.STAGING_RUNNER_LABEL) }}", "runs-on: ubuntu-24.04", "staging needs the runner inside the network"},
			{"staging on prod's runner", "deploy.yml", "runs-on: ${{ fromJSON(vars.STAGING_RUNNER_LABEL) }}", "runs-on: ${{ fromJSON(vars.PROD_RUNNER_LABEL) }}", "want ${{ fromJSON(vars.STAGING_RUNNER_LABEL) }}"},
		})
	assertContract(t, func(w map[string]*Workflow) []string { return checkApprovalsAfterUp(w["deploy.yml"]) },
		[]breakage{
			{"prod never approves", "deploy.yml", prodApprovals, strings.Replace(prodApprovals,
				`run: .github/scripts/approve-managed-endpoints.sh "$RUNNER_TEMP/outputs.json"`, "run: echo", 1), "prod does not approve"},
		})
	assertContract(t, func(w map[string]*Workflow) []string { return checkProdOnlyThroughProduction(allWorkflows(w)) },
		[]breakage{
			{"staging in the production environment", "deploy.yml", "    environment: staging\n", "    environment: production\n", `changes staging outside the "staging" environment`},
			{"staging from any branch", "deploy.yml", "    needs: dev\n    if: github.ref == 'refs/heads/main'\n    # Staging", "    needs: dev\n    # Staging", "the staging job is not limited to refs/heads/main"},
		})
}

// prodApprovals is the approval step of the prod job (the staging job's comes first in the file).
const prodApprovals = "        run: .github/scripts/approve-managed-endpoints.sh \"$RUNNER_TEMP/outputs.json\"\n\n" +
	"      # The approval wait can outlast the ~10 minutes the OIDC assertion is accepted for, and the\n" +
	"      # next steps ask for new tokens (Synapse development endpoint, SQL).\n" +
	"      - name: Azure login again (after the approval wait)\n" +
	"        uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1\n" +
	"        with:\n          client-id: ${{ vars.AZURE_CLIENT_ID }}\n          tenant-id: ${{ vars.AZURE_TENANT_ID }}\n" +
	"          subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}\n\n" +
	"      # No Synapse firewall step: the prod workspace"

// e2ePhases are the phases e2e.sh runs, in its order (`e2e.sh phases`).
func e2ePhases(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join(repoRoot(t), ".github", "scripts", "e2e.sh"), "phases").Output()
	require.NoError(t, err)
	phases := strings.Fields(string(out))
	require.Equal(t, "teardown", phases[len(phases)-1], "the teardown is the last phase")
	return phases
}

func TestContractE2ETouchesOnlyItsThrowawayStack(t *testing.T) {
	phases := e2ePhases(t)
	teardown := "      - name: \"e2e: teardown (always)\"\n        if: always()\n"
	assertContract(t, func(w map[string]*Workflow) []string { return checkE2E(w, phases) },
		[]breakage{
			{"runs on push", "e2e.yml", "on:\n", "on:\n  push:\n", "runs on push"},
			{"schedule not opt-in", "e2e.yml", "    if: github.event_name == 'workflow_dispatch' || vars.E2E_SCHEDULE == 'true'\n", "", "opted in by vars.E2E_SCHEDULE"},
			{"deploy environment", "e2e.yml", "    environment: e2e\n", "    environment: dev\n", `want "e2e"`},
			{"fixed stack", "e2e.yml", "format('e2e-{0}-{1}', github.run_id, github.run_attempt)", "'dev'", "want e2e-<run id>-<attempt>"},
			{"targets dev", "e2e.yml", `run: .github/scripts/e2e.sh deploy "$STACK"`, `run: .github/scripts/e2e.sh deploy "$STACK" && pulumi preview --stack dev`, `names another stack`},
			{"prod runner", "e2e.yml", "    runs-on: ubuntu-24.04\n", "    runs-on: ${{ fromJSON(vars.PROD_RUNNER_LABEL) }}\n", "names another stack"},
			{"pulumi/actions up", "e2e.yml", "          pulumi-version-file: .pulumi-version\n", "          pulumi-version-file: .pulumi-version\n          command: up\n          stack-name: e2e\n", "change only through"},
			{"e2e identity elsewhere", "drift.yml", "    environment: drift\n", "    environment: e2e\n", "its identity is e2e.yml's alone"},
			{"stack name unchecked", "e2e.yml", `run: .github/scripts/e2e.sh check "$STACK"`, "run: echo", `e2e.sh check "$STACK", before any Azure login`},
			{"phase without the stack", "e2e.yml", `run: .github/scripts/e2e.sh seed "$STACK"`, "run: .github/scripts/e2e.sh seed e2e-1-1", `without "$STACK"`},
			{"phase skipped", "e2e.yml", `run: .github/scripts/e2e.sh views "$STACK"`, "run: echo", "runs the e2e phases"},
			{"phases swapped", "e2e.yml", `run: .github/scripts/e2e.sh pipeline "$STACK"`, `run: .github/scripts/e2e.sh pipeline "$STACK" && .github/scripts/e2e.sh seed "$STACK"`, "runs the e2e phases"},
			{"teardown only on success", "e2e.yml", teardown, "      - name: \"e2e: teardown (always)\"\n", "must run with if: always()"},
			{"teardown may fail silently", "e2e.yml", teardown, teardown + "        continue-on-error: true\n", "may not be skipped"},
			{"a phase after a failure", "e2e.yml", "      - name: \"e2e: views (the five analyst views against the expected rows)\"\n        if: inputs.cleanup_stack == ''\n",
				"      - name: \"e2e: views (the five analyst views against the expected rows)\"\n        if: always()\n", "runs after a failure"},
			{"stale token at teardown", "e2e.yml", "      - name: Azure login again (before teardown)\n        if: always()\n", "      - name: Azure login again (before teardown)\n", "right before the teardown"},
			{"no summary", "e2e.yml", `.github/scripts/e2e.sh summary "$STACK" >>"$GITHUB_STEP_SUMMARY"`, "echo done", "GITHUB_STEP_SUMMARY"},
			{"cancellable", "e2e.yml", "      group: e2e\n      cancel-in-progress: false\n", "      group: e2e\n      cancel-in-progress: true\n", "cancel-in-progress: false"},
		})
}

func TestContractDriftPerStackReadOnlyWithIssues(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkDrift(w["drift.yml"]) },
		[]breakage{
			{"no schedule", "drift.yml", "  schedule:\n    - cron: \"41 5 * * *\"\n", "  push:\n", "has no schedule"},
			{"staging unchecked", "drift.yml", "          - stack: staging\n", "          - stack: dev\n", "want [dev prod staging]"},
			{"deploy identity", "drift.yml", "      ARM_CLIENT_ID: ${{ vars.AZURE_PREVIEW_CLIENT_ID }}\n", "      ARM_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}\n", "not the read-only preview identity"},
			{"deploy login", "drift.yml", "          client-id: ${{ vars.AZURE_PREVIEW_CLIENT_ID }}\n", "          client-id: ${{ vars.AZURE_CLIENT_ID }}\n", "not the preview identity"},
			{"production environment", "drift.yml", "    environment: drift\n", "    environment: production\n", `want "drift"`},
			{"cannot file issues", "drift.yml", "      issues: write # open, update and close the stack's drift issue\n", "", "issues: write missing"},
			{"prod on a GitHub runner", "drift.yml", "            runs-on: ${{ vars.PROD_RUNNER_LABEL }}\n", "            runs-on: '[\"ubuntu-24.04\"]'\n", "stack prod runs on"},
			{"any branch", "drift.yml", "    if: github.ref == 'refs/heads/main'\n", "", "refs/heads/main"},
			{"racing issue updates", "drift.yml", "      group: drift-${{ matrix.stack }}\n", "      group: drift\n", "one concurrency group per stack"},
		})
	// drift.yml's issues: write is the one write scope beyond id-token and pull-requests.
	assertContract(t, func(w map[string]*Workflow) []string { return checkMinimalPermissions(allWorkflows(w)) },
		[]breakage{
			{"issues write without drift.sh", "drift.yml", `run: .github/scripts/drift.sh "$STACK"`, "run: echo", `"issues" is not needed`},
		})
}
