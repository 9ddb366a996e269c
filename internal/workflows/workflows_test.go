package workflows

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every contract is checked twice: on the workflows as they are (no violation), and on copies
// with one line broken (the violation is reported), so a check that cannot fail fails here.

type breakage struct {
	name     string
	file     string // workflow to break
	old, new string // first occurrence of old is replaced by new
	want     string // a violation must contain this
}

// broken returns the workflows with one text replacement applied to one file.
func broken(t *testing.T, wfs map[string]*Workflow, b breakage) map[string]*Workflow {
	t.Helper()
	wf := wfs[b.file]
	require.NotNil(t, wf, "no workflow %s", b.file)
	require.Contains(t, wf.Raw, b.old, "breakage %q: text to replace not found in %s", b.name, b.file)
	out := map[string]*Workflow{}
	for name, w := range wfs {
		out[name] = w
	}
	out[b.file] = mustParse(t, b.file, strings.Replace(wf.Raw, b.old, b.new, 1))
	return out
}

func assertContract(t *testing.T, check func(map[string]*Workflow) []string, breakages []breakage) {
	t.Helper()
	wfs := loadWorkflows(t)
	require.Empty(t, check(wfs), "the workflows break the contract")
	for _, b := range breakages {
		t.Run(b.name, func(t *testing.T) {
			problems := check(broken(t, wfs, b))
			require.NotEmpty(t, problems, "breaking %s (%q -> %q) went unnoticed", b.file, b.old, b.new)
			require.True(t, strings.Contains(strings.Join(problems, "\n"), b.want),
				"want a violation mentioning %q, got:\n%s", b.want, strings.Join(problems, "\n"))
		})
	}
}

func TestContractNoPullRequestTarget(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkNoPullRequestTarget(allWorkflows(w)) },
		[]breakage{
			{"ci on pull_request_target", "ci.yml", "  pull_request:\n", "  pull_request_target:\n", "pull_request_target"},
			{"preview on pull_request_target", "preview.yml", "  pull_request:\n", "  pull_request_target:\n", "pull_request_target"},
		})
}

func TestContractThirdPartyActionsPinnedToAVersion(t *testing.T) {
	const checkout = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
	assertContract(t, func(w map[string]*Workflow) []string { return checkActionsPinned(allWorkflows(w)) },
		[]breakage{
			{"tag instead of SHA", "ci.yml", checkout, "actions/checkout@v7.0.1", "not pinned to a full commit SHA"},
			{"moving major tag", "deploy.yml", "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0", "pulumi/actions@v7", "not pinned"},
			{"SHA without version comment", "preview.yml", checkout, "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "no '# vX.Y.Z' comment"},
			{"two pins of one action", "preview.yml", checkout, "actions/checkout@df4cb1c069e1874edd31b4311f1884172cec0e10 # v6.0.3", "elsewhere"},
		})
}

func TestContractAzureAccessIsOIDCNotSecrets(t *testing.T) {
	const login = "        with:\n          client-id: ${{ vars.AZURE_CLIENT_ID }}\n"
	assertContract(t, func(w map[string]*Workflow) []string { return checkOIDCNotSecrets(allWorkflows(w)) },
		[]breakage{
			{"client secret via creds", "deploy.yml", login, "        with:\n          creds: ${{ secrets.AZURE_CREDENTIALS }}\n          client-id: ${{ vars.AZURE_CLIENT_ID }}\n", "secrets.AZURE_CREDENTIALS"},
			{"client id from a secret", "deploy.yml", login, "        with:\n          client-id: ${{ secrets.AZURE_CLIENT_ID }}\n", "must come from a configuration variable"},
			{"client secret env var", "deploy.yml", "      ARM_USE_OIDC: \"true\"\n", "      ARM_USE_OIDC: \"true\"\n      ARM_CLIENT_SECRET: x\n", "ARM_CLIENT_SECRET"},
			{"providers not on OIDC", "preview.yml", `ARM_USE_OIDC: "true"`, `ARM_USE_OIDC: "false"`, "ARM_USE_OIDC"},
			{"no id-token permission", "deploy.yml", "      id-token: write # GitHub OIDC token for azure/login and the Azure providers\n", "", "id-token: write"},
		})
}

func TestContractMinimalPermissions(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkMinimalPermissions(allWorkflows(w)) },
		[]breakage{
			{"write-all by default", "ci.yml", "permissions: {}", "permissions: write-all", "top-level permissions grant write"},
			{"no default", "deploy.yml", "\npermissions: {}\n", "\n", "no top-level permissions"},
			{"contents write in CI", "ci.yml", "      contents: read\n", "      contents: write\n", `"contents" is not needed`},
			{"PR write in deploy", "deploy.yml", "      contents: read # checkout\n", "      contents: read # checkout\n      pull-requests: write\n", `"pull-requests" is not needed`},
		})
}

func TestContractPreviewCommentsOnThePRForBothStacks(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkPreviewCommentsBothStacks(w["preview.yml"]) },
		[]breakage{
			{"no PR comment", "preview.yml", "comment-on-pr: true", "comment-on-pr: false", "comment-on-pr"},
			{"new comment per push", "preview.yml", "edit-pr-comment: true", "edit-pr-comment: false", "edit-pr-comment"},
			{"prod not previewed", "preview.yml", "          - stack: prod\n", "          - stack: staging\n", "want [dev prod staging]"},
			{"cannot write the comment", "preview.yml", "      pull-requests: write # create / edit the preview comment\n", "", "pull-requests: write"},
			{"deploy environment in a PR", "preview.yml", "    runs-on: ubuntu-24.04\n", "    runs-on: ubuntu-24.04\n    environment: production\n", "must not get a deploy identity"},
			{"deploy identity in a PR", "preview.yml", "ARM_CLIENT_ID: ${{ vars.AZURE_PREVIEW_CLIENT_ID }}", "ARM_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}", "not the preview identity"},
			{"RBAC matrix not appended", "preview.yml", "go run ./cmd/prcomment", "echo", "appends the plan"},
			{"no markdown plan", "preview.yml", "PLAN_FLAGS=--markdown", "PLAN_FLAGS=--json", "PLAN_FLAGS=--markdown"},
			{"previews race", "preview.yml", "group: preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}", "group: preview", "per PR and stack"},
			{"not on PRs", "preview.yml", "  pull_request:\n", "  push:\n", "does not run on pull_request"},
		})
}

func TestContractProdOnlyThroughProductionAndAfterDev(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkProdOnlyThroughProduction(allWorkflows(w)) },
		[]breakage{
			{"prod without the environment", "deploy.yml", "    environment: production\n", "", `outside the "production" environment`},
			{"prod in the dev environment", "deploy.yml", "    environment: production\n", "    environment: dev\n", `outside the "production" environment`},
			{"prod not after dev", "deploy.yml", "    needs: dev\n", "", "not deployed after dev"},
			{"prod from any branch", "deploy.yml", "    needs: dev\n    if: github.ref == 'refs/heads/main'\n", "    needs: dev\n", "refs/heads/main"},
			{"pulumi up on a PR", "preview.yml", "command: preview", "command: up", "outside the"},
			{"CLI bypass", "ci.yml", "run: make build", "run: pulumi up --yes --stack prod", "runs `pulumi up` directly"},
			{"production environment for something else", "ci.yml", "    runs-on: ubuntu-24.04\n", "    runs-on: ubuntu-24.04\n    environment: production\n", "does not deploy prod"},
		})
}

func TestContractDeployRunsDevThenProdWithSQLAndSmokeCheck(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkDeployDevThenProd(w["deploy.yml"]) },
		[]breakage{
			{"not on main", "deploy.yml", "    branches: [main]\n", "    branches: [release]\n", "push to main"},
			{"no manual run", "deploy.yml", "  workflow_dispatch:\n", "  schedule:\n    - cron: '0 3 * * *'\n  workflow_call:\n", "workflow_dispatch"},
			{"deploys PRs", "deploy.yml", "on:\n", "on:\n  pull_request:\n", "deploys on pull_request"},
			{"cancels a running deploy", "deploy.yml", "      cancel-in-progress: false\n", "      cancel-in-progress: true\n", "cancel-in-progress: false"},
			{"stacks share a queue", "deploy.yml", "group: deploy-prod", "group: deploy-dev", "shares concurrency group"},
			{"no SQL apply", "deploy.yml", "run: make synapse-sql STACK=\"$STACK\" APPLY=1", "run: make synapse-sql STACK=\"$STACK\"", "make synapse-sql"},
			{"no smoke check", "deploy.yml", "run: .github/scripts/smoke-check.sh", "run: echo", "smoke check"},
			{"ADF always runs", "deploy.yml", "if: inputs.run_pipeline", "if: always()", "inputs.run_pipeline"},
		})
}

func TestContractPulumiCLIVersionPinnedInOneFile(t *testing.T) {
	goMod := readFile(t, "go.mod")
	version := readFile(t, ".pulumi-version")
	check := func(v string) func(map[string]*Workflow) []string {
		return func(w map[string]*Workflow) []string { return checkPulumiVersionPinnedOnce(allWorkflows(w), v, goMod) }
	}
	assertContract(t, check(version), []breakage{
		{"version inline", "deploy.yml", "pulumi-version-file: .pulumi-version", "pulumi-version: 3.274.1", "pulumi-version-file is not .pulumi-version"},
		{"CLI from a script", "ci.yml", "run: make build", "run: curl -fsSL https://get.pulumi.com | sh", "installs the Pulumi CLI another way"},
	})
	wfs := loadWorkflows(t)
	for _, bad := range []string{"latest", "^3", "3.274", "2.25.2", "3.200.0"} {
		require.NotEmpty(t, check(bad)(wfs), ".pulumi-version %q must be rejected", bad)
	}
}

func TestContractCIRunsMakeTestWithCaches(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkCIRunsMakeTest(w["ci.yml"]) },
		[]breakage{
			{"no make test", "ci.yml", "run: make test\n", "run: make build\n", "make test"},
			{"no module cache", "ci.yml", "          go-version-file: go.mod\n          cache: true\n", "          go-version-file: go.mod\n          cache: false\n", "setup-go"},
			{"no pip cache", "ci.yml", "cache: pip", "cache: ''", "cache: pip"},
			{"not on PRs", "ci.yml", "  pull_request:\n", "", "pull_request"},
		})
}

func TestContractConfigurationVariablesAreDocumented(t *testing.T) {
	config := readFile(t, ".github", "actionlint.yaml")
	doc := readFile(t, "docs", "delivery.md")
	assertContract(t, func(w map[string]*Workflow) []string { return checkVariablesDocumented(allWorkflows(w), config, doc) },
		[]breakage{
			{"undocumented variable", "deploy.yml", "${{ vars.PULUMI_BACKEND_URL }}", "${{ vars.PULUMI_BACKEND }}", "PULUMI_BACKEND"},
		})
	for _, subject := range []string{"environment:dev", "environment:production", ":pull_request"} {
		require.Contains(t, doc, subject, "docs/delivery.md must give the federated credential subject %q", subject)
	}
}

// Scripts and commands the workflows call exist (and scripts are executable), so a rename breaks
// the build here rather than a deploy.
func TestWorkflowsCallExistingScriptsAndCommands(t *testing.T) {
	root := repoRoot(t)
	refs := regexp.MustCompile(`(\.github/scripts/[A-Za-z0-9_.-]+\.sh|\./cmd/[A-Za-z0-9_-]+)`)
	found := 0
	for _, wf := range allWorkflows(loadWorkflows(t)) {
		for _, ref := range refs.FindAllString(wf.Raw, -1) {
			found++
			info, err := os.Stat(filepath.Join(root, ref))
			require.NoError(t, err, "%s calls %s", wf.File, ref)
			if strings.HasSuffix(ref, ".sh") {
				require.NotZero(t, info.Mode()&0o111, "%s is not executable", ref)
			}
		}
	}
	require.NotZero(t, found, "expected the workflows to call scripts")
}

const (
	devSmokeThenSync = "        run: .github/scripts/smoke-check.sh \"$RUNNER_TEMP/outputs.json\"\n\n" +
		"      - name: Start or stop the Data Factory trigger (orchestration.triggerEnabled)\n" +
		"        run: .github/scripts/adf-trigger.sh sync \"$RUNNER_TEMP/outputs.json\"\n"
	devSyncThenSmoke = "        run: .github/scripts/adf-trigger.sh sync \"$RUNNER_TEMP/outputs.json\"\n\n" +
		"      - name: Smoke check (moved)\n" +
		"        run: .github/scripts/smoke-check.sh \"$RUNNER_TEMP/outputs.json\"\n"
	postUpOutputs  = "      - name: Stack outputs\n        run: pulumi stack output --stack \"$STACK\" --json >\"$RUNNER_TEMP/outputs.json\"\n"
	prodStopThenUp = "        run: .github/scripts/adf-trigger.sh stop \"$RUNNER_TEMP/outputs-before.json\"\n\n" +
		"      - name: pulumi up\n        uses: pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0\n" +
		"        with:\n          command: up\n          stack-name: prod\n"
	prodRolesSQLSmoke = "        run: .github/scripts/synapse-roles.sh \"$RUNNER_TEMP/outputs.json\"\n\n" +
		"      # Renders synapse/*.sql from the outputs above and applies them with go-sqlcmd as the\n" +
		"      # deploy identity (Entra ID from the Azure CLI session); see synapse/README.md.\n" +
		"      - name: Apply the Synapse serverless SQL\n        run: make synapse-sql STACK=\"$STACK\" APPLY=1\n" +
		"        env:\n          OUTPUTS: ${{ runner.temp }}/outputs.json\n\n" +
		"      - name: Smoke check\n"
	devFirewallThenRoles = "      - name: Open the Synapse firewall for this runner\n" +
		"        run: .github/scripts/synapse-firewall.sh open \"$RUNNER_TEMP/outputs.json\"\n\n" +
		"      - name: Synapse RBAC roles (engineers, deploy identity)\n" +
		"        run: .github/scripts/synapse-roles.sh \"$RUNNER_TEMP/outputs.json\"\n"
	devRolesThenFirewall = "      - name: Synapse RBAC roles (engineers, deploy identity)\n" +
		"        run: .github/scripts/synapse-roles.sh \"$RUNNER_TEMP/outputs.json\"\n\n" +
		"      - name: Open the Synapse firewall for this runner\n" +
		"        run: .github/scripts/synapse-firewall.sh open \"$RUNNER_TEMP/outputs.json\"\n"
	prodRunner = "runs-on: ${{ fromJSON(vars.PROD_RUNNER_LABEL) }}"
)

func TestContractADFTriggerStoppedBeforeUpAndSyncedAfter(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkTriggerAroundUp(w["deploy.yml"]) },
		[]breakage{
			{"never stopped", "deploy.yml", "run: .github/scripts/adf-trigger.sh stop", "run: echo", "does not stop the Data Factory trigger"},
			{"stopped after up", "deploy.yml", postUpOutputs,
				postUpOutputs + "\n      - name: late stop\n        run: .github/scripts/adf-trigger.sh stop \"$RUNNER_TEMP/outputs.json\"\n",
				"stops the trigger after pulumi up"},
			{"stop may be skipped", "deploy.yml", "        id: trigger-stop\n", "        id: trigger-stop\n        continue-on-error: true\n", "unconditionally"},
			{"stop without the outputs before the update", "deploy.yml",
				`pulumi stack output --stack "$STACK" --json >"$RUNNER_TEMP/outputs-before.json"`, `echo '{}' >"$RUNNER_TEMP/outputs-before.json"`,
				"reads no `pulumi stack output --json`"},
			{"started before the smoke check", "deploy.yml", devSmokeThenSync, devSyncThenSmoke, "started before pulumi up, the SQL apply and the smoke check"},
			{"started after a failure", "deploy.yml",
				"        run: .github/scripts/adf-trigger.sh sync", "        if: always()\n        run: .github/scripts/adf-trigger.sh sync",
				"a failed deploy must not start the trigger"},
			{"synced from stale outputs", "deploy.yml", `adf-trigger.sh sync "$RUNNER_TEMP/outputs.json"`, `adf-trigger.sh sync "$RUNNER_TEMP/outputs-before.json"`,
				"written after pulumi up"},
			{"never synced", "deploy.yml", "run: .github/scripts/adf-trigger.sh sync", "run: echo", "found 0"},
		})
}

func TestContractManagedEndpointApprovalsOnlyAfterUp(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkApprovalsAfterUp(w["deploy.yml"]) },
		[]breakage{
			{"approved before up", "deploy.yml", prodStopThenUp,
				strings.Replace(prodStopThenUp, "\n\n      - name: pulumi up", "\n\n      - name: early approvals\n"+
					"        run: .github/scripts/approve-managed-endpoints.sh \"$RUNNER_TEMP/outputs-before.json\"\n\n      - name: pulumi up", 1),
				"approves private endpoint connections before pulumi up"},
			{"prod never approves", "deploy.yml", "run: .github/scripts/approve-managed-endpoints.sh", "run: echo", "does not approve its managed private endpoint"},
			{"approvals may fail", "deploy.yml", "        timeout-minutes: 15\n", "        timeout-minutes: 15\n        continue-on-error: true\n", "must not be skipped"},
			{"stale token after the wait", "deploy.yml",
				"- name: Azure login again (after the approval wait)\n        uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1",
				"- name: Azure login again (after the approval wait)\n        run: echo no login", "no azure/login between"},
		})
}

func TestContractSynapseRolesGrantedBeforeTheSQLApply(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkSynapseRoles(w["deploy.yml"]) },
		[]breakage{
			{"no roles", "deploy.yml", "run: .github/scripts/synapse-roles.sh", "run: echo", "does not grant the Synapse roles"},
			{"roles before the firewall opens", "deploy.yml", devFirewallThenRoles, devRolesThenFirewall, "before opening the workspace firewall"},
		})
}

func TestContractProdRunsOnTheRunnerInsideTheNetwork(t *testing.T) {
	assertContract(t, func(w map[string]*Workflow) []string { return checkProdRunsInTheNetwork(w["deploy.yml"]) },
		[]breakage{
			{"GitHub-hosted prod", "deploy.yml", prodRunner, "runs-on: ubuntu-24.04", "GitHub-hosted runner"},
			{"public fallback", "deploy.yml", prodRunner, `runs-on: ${{ fromJSON(vars.PROD_RUNNER_LABEL || '["ubuntu-24.04"]') }}`, "fallback"},
			{"empty-variable fallback", "deploy.yml", prodRunner, `runs-on: ${{ fromJSON(vars.PROD_RUNNER_LABEL || '["self-hosted"]') }}`, "fallback"},
			{"hard-coded labels", "deploy.yml", prodRunner, "runs-on: [self-hosted, linux]", "want ${{ fromJSON(vars.PROD_RUNNER_LABEL) }}"},
			{"prod opens the firewall", "deploy.yml", prodRolesSQLSmoke,
				"        run: .github/scripts/synapse-roles.sh \"$RUNNER_TEMP/outputs.json\"\n\n" +
					"      - name: Open the Synapse firewall\n        run: .github/scripts/synapse-firewall.sh open \"$RUNNER_TEMP/outputs.json\"\n\n" +
					strings.TrimPrefix(prodRolesSQLSmoke, "        run: .github/scripts/synapse-roles.sh \"$RUNNER_TEMP/outputs.json\"\n\n"),
				"no public endpoint"},
			{"dev on a moving image", "deploy.yml", "    runs-on: ubuntu-24.04\n", "    runs-on: ubuntu-latest\n", "want ubuntu-24.04"},
			{"dev firewall left open", "deploy.yml", "      - name: Close the Synapse firewall\n        if: always()\n",
				"      - name: Close the Synapse firewall\n", "if: always()"},
		})
}

// The runner set-up in docs/delivery.md links every private DNS zone the program creates to the
// runner's VNet; a zone added to components/network.go without the doc would leave the prod runner
// resolving that service's public address.
func TestRunnerDocsLinkEveryPrivateDNSZone(t *testing.T) {
	network := readFile(t, "components", "network.go")
	doc := readFile(t, "docs", "delivery.md")
	zones := regexp.MustCompile(`(?m)^\s*Zone\w+\s+DNSZone = "(privatelink\.[^"]+)"`).FindAllStringSubmatch(network, -1)
	require.Len(t, zones, 7, "components/network.go changed its zone list")
	loop := regexp.MustCompile(`(?s)for zone in (.*?); do\s+az network private-dns link vnet create`).FindStringSubmatch(doc)
	require.NotNil(t, loop, "docs/delivery.md lost the zone-link loop of 'Private prod'")
	listed := strings.Fields(strings.ReplaceAll(loop[1], `\`, " "))
	for _, z := range zones {
		require.Contains(t, listed, z[1], "docs/delivery.md does not link %s to the runner VNet", z[1])
	}
	require.Len(t, listed, len(zones), "docs/delivery.md links zones the program does not create: %v", listed)
}
