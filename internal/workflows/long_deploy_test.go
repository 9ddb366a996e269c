package workflows

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Long deploys (issue 9, item 8): a cold prod `pulumi up` can take two hours, but a GitHub OIDC token
// handed to the Azure CLI is accepted for about ten minutes and the CLI cannot renew it
// (Azure/azure-cli#28708). Every job that runs Pulumi therefore keeps its credentials renewable with
// .github/scripts/azure-oidc-refresh.sh.

const oidcRefresher = ".github/scripts/azure-oidc-refresh.sh start"

// minDeployMinutes is what a deploy job needs: a two-hour `up` plus the steps around it.
const minDeployMinutes = 150

// checkLongDeployCredentials: in every job with a `pulumi up` or `preview`, the OIDC refresher starts
// unconditionally after azure/login and before Pulumi; the Pulumi CLI's state and secrets use the
// refreshed token file (WorkloadIdentityCredential, the same client as the providers), never the CLI
// pin; the Databricks provider uses the CLI session the refresher renews; no step relies on tokens
// primed at login; and a deploy job has time for a two-hour `up`.
func checkLongDeployCredentials(wfs []*Workflow) []string {
	var problems []string
	for _, p := range pulumiSteps(wfs) {
		command := p.step.With["command"]
		if command != "up" && command != "preview" {
			continue
		}
		j, where := p.job, fmt.Sprintf("%s job %s", p.wf.File, p.job.ID)
		pulumiAt := j.stepIndex(func(s *Step) bool { return s == p.step })
		loginAt := j.stepIndex(func(s *Step) bool { return s.Action() == azureLogin })
		starts := j.runs(oidcRefresher)
		switch {
		case len(starts) != 1:
			problems = append(problems, fmt.Sprintf("%s: want one step running %q, found %d", where, oidcRefresher, len(starts)))
		case starts[0] > pulumiAt:
			problems = append(problems, fmt.Sprintf("%s: the OIDC refresher starts after pulumi %s", where, command))
		case loginAt < 0 || starts[0] < loginAt:
			problems = append(problems, where+": the OIDC refresher must start after azure/login (which it renews)")
		case !unconditional(j.Steps[starts[0]]):
			problems = append(problems, where+": the OIDC refresher must not be skipped or allowed to fail")
		}
		env := map[string]string{}
		for k, v := range j.Env {
			env[k] = v
		}
		for k, v := range p.step.Env {
			env[k] = v
		}
		want := map[string]string{
			"AZURE_TOKEN_CREDENTIALS": "WorkloadIdentityCredential",
			"DATABRICKS_AUTH_TYPE":    "azure-cli",
			"AZURE_CLIENT_ID":         env["ARM_CLIENT_ID"],
			"AZURE_TENANT_ID":         env["ARM_TENANT_ID"],
		}
		for _, k := range sortedKeys(map[string]bool{"AZURE_TOKEN_CREDENTIALS": true, "DATABRICKS_AUTH_TYPE": true, "AZURE_CLIENT_ID": true, "AZURE_TENANT_ID": true}) {
			if env[k] == "" || env[k] != want[k] {
				problems = append(problems, fmt.Sprintf("%s: %s is %q, want %q", where, k, env[k], want[k]))
			}
		}
		if strings.EqualFold(env["AZURE_KEYVAULT_AUTH_VIA_CLI"], "true") {
			problems = append(problems, where+": AZURE_KEYVAULT_AUTH_VIA_CLI=true pins the secrets provider to the CLI tokens cached at login")
		}
		if slices.ContainsFunc(j.Steps, func(s *Step) bool { return strings.Contains(s.Run, "az-prime-tokens") }) {
			problems = append(problems, where+": primed CLI tokens expire after 60-90 minutes; use the OIDC refresher")
		}
		if command == "up" {
			if m, err := strconv.Atoi(j.TimeoutMinutes); j.TimeoutMinutes != "" && (err != nil || m < minDeployMinutes) {
				problems = append(problems, fmt.Sprintf("%s: timeout-minutes %s leaves no room for a two-hour up (want >= %d)", where, j.TimeoutMinutes, minDeployMinutes))
			}
		}
	}
	return problems
}

func TestContractLongDeploysKeepRenewableCredentials(t *testing.T) {
	const start = "        run: .github/scripts/azure-oidc-refresh.sh start\n"
	assertContract(t, func(w map[string]*Workflow) []string { return checkLongDeployCredentials(allWorkflows(w)) },
		[]breakage{
			{"no refresher in deploy", "deploy.yml", start, "        run: echo\n", "found 0"},
			{"no refresher in preview", "preview.yml", start, "        run: echo\n", "found 0"},
			{"refresher may fail", "deploy.yml", start, start + "        continue-on-error: true\n", "must not be skipped"},
			{"state through the CLI pin", "deploy.yml", "AZURE_TOKEN_CREDENTIALS: WorkloadIdentityCredential", "AZURE_TOKEN_CREDENTIALS: AzureCLICredential", "AZURE_TOKEN_CREDENTIALS"},
			{"secrets through the CLI", "preview.yml", "      DATABRICKS_AUTH_TYPE: azure-cli\n", "      DATABRICKS_AUTH_TYPE: azure-cli\n      AZURE_KEYVAULT_AUTH_VIA_CLI: \"true\"\n", "AZURE_KEYVAULT_AUTH_VIA_CLI"},
			{"another identity for the state", "deploy.yml", "      AZURE_CLIENT_ID: ${{ vars.AZURE_CLIENT_ID }}\n", "      AZURE_CLIENT_ID: ${{ vars.AZURE_PREVIEW_CLIENT_ID }}\n", "AZURE_CLIENT_ID"},
			{"databricks auto-detects", "deploy.yml", "      DATABRICKS_AUTH_TYPE: azure-cli\n", "", "DATABRICKS_AUTH_TYPE"},
			{"primed tokens again", "deploy.yml", start, "        run: .github/scripts/az-prime-tokens.sh && .github/scripts/azure-oidc-refresh.sh start\n", "primed CLI tokens"},
			{"two-hour job", "deploy.yml", "    timeout-minutes: 180\n", "    timeout-minutes: 120\n", "no room for a two-hour up"},
			{"no azure/login to renew", "preview.yml", "        uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1\n",
				"        run: echo no login\n", "must start after azure/login"},
		})
}

// Running the refresher against fake curl (GitHub's token endpoint) and az.

const fakeOIDCCurl = `#!/usr/bin/env bash
echo "curl $*" >>"$FAKE_LOG"
[[ -z "${FAKE_CURL_FAIL:-}" && ! -f "$FAKE_LOG.fail" ]] || { echo "curl: (22) The requested URL returned error: 500" >&2; exit 22; }
n=$(grep -c '^curl ' "$FAKE_LOG")
printf '{"value":"oidc-token-%d"}' "$n"
`

const fakeOIDCAz = `#!/usr/bin/env bash
echo "az $*" >>"$FAKE_LOG"
`

type refresherRun struct {
	out, log, githubEnv, tokenFile, pidFile string
	code                                    int
}

func runRefresher(t *testing.T, env []string, args ...string) refresherRun {
	t.Helper()
	bin, temp := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bin, "curl"), []byte(fakeOIDCCurl), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "az"), []byte(fakeOIDCAz), 0o755))
	r := refresherRun{log: filepath.Join(temp, "calls.log"), githubEnv: filepath.Join(temp, "github-env"),
		tokenFile: filepath.Join(temp, "azure-federated-token"), pidFile: filepath.Join(temp, "azure-oidc-refresh.pid")}
	require.NoError(t, os.WriteFile(r.log, nil, 0o600))
	require.NoError(t, os.WriteFile(r.githubEnv, nil, 0o600))
	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot(t), ".github", "scripts", "azure-oidc-refresh.sh")}, args...)...)
	cmd.Env = append([]string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "FAKE_LOG=" + r.log,
		"RUNNER_TEMP=" + temp, "GITHUB_ENV=" + r.githubEnv,
		"ACTIONS_ID_TOKEN_REQUEST_URL=https://token.actions.example/t?x=1", "ACTIONS_ID_TOKEN_REQUEST_TOKEN=req",
		"ARM_CLIENT_ID=client", "ARM_TENANT_ID=tenant", "ARM_SUBSCRIPTION_ID=sub"}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		r.code = exitErr.ExitCode()
	} else {
		require.NoError(t, err)
	}
	r.out = out.String()
	return r
}

func read(t *testing.T, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(raw)
}

// TestOIDCRefresherKeepsTheTokenFresh: start writes a token for Entra ID's audience, logs the CLI in
// with it, exports the file to later steps and keeps doing so in the background until stopped.
func TestOIDCRefresherKeepsTheTokenFresh(t *testing.T) {
	r := runRefresher(t, []string{"OIDC_REFRESH_SECONDS=1"}, "start")
	require.Equal(t, 0, r.code, r.out)
	t.Cleanup(func() { runRefresherStop(t, r) })
	require.Equal(t, "AZURE_FEDERATED_TOKEN_FILE="+r.tokenFile+"\n", read(t, r.githubEnv))
	require.Equal(t, "oidc-token-1", read(t, r.tokenFile))
	info, err := os.Stat(r.tokenFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the token file is private")
	calls := read(t, r.log)
	require.Contains(t, calls, "curl --silent --show-error --fail --retry 3 --header Authorization: bearer req https://token.actions.example/t?x=1&audience=api://AzureADTokenExchange")
	require.Contains(t, calls, "az login --service-principal --username client --tenant tenant --federated-token oidc-token-1 --allow-no-subscriptions --output none")
	require.Contains(t, calls, "az account set --subscription sub")

	// The file is written before the login, so wait for the login with the third token, then check both.
	require.Eventually(t, func() bool { return strings.Contains(read(t, r.log), "--federated-token oidc-token-3 ") }, 10*time.Second, 100*time.Millisecond,
		"the background loop fetches new tokens and logs the CLI in with them")
	require.Contains(t, []string{"oidc-token-3", "oidc-token-4"}, read(t, r.tokenFile), "the file holds the latest token")

	stop := runRefresher(t, []string{"RUNNER_TEMP=" + filepath.Dir(r.pidFile)}, "stop")
	require.Equal(t, 0, stop.code, stop.out)
	require.NoFileExists(t, r.pidFile)
	time.Sleep(500 * time.Millisecond) // a refresh already running when the loop was stopped may finish
	before := read(t, r.log)
	time.Sleep(2500 * time.Millisecond)
	require.Equal(t, before, read(t, r.log), "nothing refreshes after stop")
}

func runRefresherStop(t *testing.T, r refresherRun) {
	if raw, err := os.ReadFile(r.pidFile); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
			if p, err := os.FindProcess(pid); err == nil {
				_ = p.Kill()
			}
		}
	}
}

// TestOIDCRefresherFailsLoudly: a first fetch that fails fails the step (nothing is written or
// exported); without the id-token permission it says so.
func TestOIDCRefresherFailsLoudly(t *testing.T) {
	r := runRefresher(t, []string{"FAKE_CURL_FAIL=1"}, "start")
	require.Equal(t, 1, r.code, r.out)
	require.Contains(t, r.out, "::error::could not fetch a GitHub OIDC token")
	require.NoFileExists(t, r.tokenFile)
	require.NotContains(t, read(t, r.log), "az login")
	require.Empty(t, read(t, r.githubEnv))

	r = runRefresher(t, []string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN="}, "once")
	require.NotEqual(t, 0, r.code, "no id-token permission")
	require.Contains(t, r.out, "id-token: write")

	r = runRefresher(t, nil, "restart")
	require.Equal(t, 2, r.code, r.out)
}

// TestOIDCRefresherKeepsTheLastGoodToken: when GitHub's endpoint fails in the background, the token
// file and the CLI session keep the last good token, the loop keeps trying, and stop reports it.
func TestOIDCRefresherKeepsTheLastGoodToken(t *testing.T) {
	r := runRefresher(t, []string{"OIDC_REFRESH_SECONDS=1"}, "start")
	require.Equal(t, 0, r.code, r.out)
	t.Cleanup(func() { runRefresherStop(t, r) })
	require.NoError(t, os.WriteFile(r.log+".fail", nil, 0o600))
	require.Eventually(t, func() bool { return strings.Count(read(t, r.log), "curl ") >= 3 }, 10*time.Second, 100*time.Millisecond)
	require.Equal(t, "oidc-token-1", read(t, r.tokenFile))
	require.Equal(t, 1, strings.Count(read(t, r.log), "az login"), "no login with a failed fetch")

	stop := runRefresher(t, []string{"RUNNER_TEMP=" + filepath.Dir(r.pidFile)}, "stop")
	require.Equal(t, 0, stop.code, stop.out)
	require.Contains(t, stop.out, "::warning::some background Azure OIDC refreshes failed")
}
