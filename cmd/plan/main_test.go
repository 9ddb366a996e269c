package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/planview"
)

func plan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// stackFileWith writes a copy of a committed stack file with old replaced by new.
func stackFileWith(t *testing.T, stack, old, new string) string {
	t.Helper()
	raw, err := os.ReadFile("../../Pulumi." + stack + ".yaml")
	require.NoError(t, err)
	require.Contains(t, string(raw), old)
	path := filepath.Join(t.TempDir(), "Pulumi."+stack+".yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(raw), old, new, 1)), 0o600))
	return path
}

func TestTextPlanShowsTreeMatrixAndPolicy(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		code, out, errOut := plan(t, "--stack", stack)
		require.Equal(t, 0, code, errOut)
		require.Contains(t, out, "Resource tree")
		require.Contains(t, out, "datalake-account")
		require.Contains(t, out, "RBAC matrix (principal x scope x role)")
		require.Regexp(t, `analysts \(customer-analytics-`+stack+`-data-analysts\)\s+Group\s+Storage Blob Data Reader\s+container stca`+stack+`[0-9a-f]{6}/gold`, out)
		require.Contains(t, out, "Policy summary:")
		require.NotContains(t, out, "FAIL")
	}
}

// TestJSONPlanJoinsAssignmentsToResources: the JSON lists every resource with inputs and mocked outputs,
// masks secrets, and each role assignment's principalId and scope name a resource of the plan.
func TestJSONPlanJoinsAssignmentsToResources(t *testing.T) {
	code, out, errOut := plan(t, "--stack", "dev", "--json")
	require.Equal(t, 0, code, errOut)
	var p planview.JSON
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	require.Equal(t, "dev", p.Stack)
	require.NotEmpty(t, p.Resources)

	ids := map[string]bool{}
	principals := map[string]bool{}
	for _, r := range p.Resources {
		require.NotEmpty(t, r.URN)
		require.NotNil(t, r.Inputs)
		if r.ID != "" {
			ids[strings.ToLower(r.ID)] = true
		}
		if oid, ok := r.Outputs["objectId"].(string); ok {
			principals[oid] = true
		}
		if identity, ok := r.Outputs["identity"].(map[string]any); ok {
			if pid, ok := identity["principalId"].(string); ok {
				principals[pid] = true
			}
		}
		if r.Type == "azuread:index/applicationPassword:ApplicationPassword" {
			require.Equal(t, "[secret]", r.Outputs["value"])
		}
		if r.Name == "identity-databricks-sp-client-secret" {
			require.Equal(t, "[secret]", r.Inputs["properties"].(map[string]any)["value"])
		}
	}
	for _, l := range p.Lookups {
		if oid, ok := l.Result["objectId"].(string); ok {
			principals[oid] = true
		}
	}
	require.Len(t, p.RoleAssignments, 18)
	for _, a := range p.RoleAssignments {
		require.True(t, principals[a.PrincipalID], "principal %s of %s resolves to a resource", a.PrincipalID, a.Role)
		require.True(t, ids[strings.ToLower(a.Scope)], "scope %s resolves to a resource", a.Scope)
		require.NotEmpty(t, a.Role)
	}
	require.NotEmpty(t, p.Policy)
}

// TestJSONPlanRecordsResourceOptions: every resource prints its options; the Synapse workspace's explicit
// dependsOn on its filesystem (no input names the container) is there, and nothing in dev is protected.
func TestJSONPlanRecordsResourceOptions(t *testing.T) {
	code, out, errOut := plan(t, "--stack", "dev", "--json")
	require.Equal(t, 0, code, errOut)
	var raw struct {
		Resources []map[string]any `json:"resources"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	urns := map[string]string{}
	options := map[string]map[string]any{}
	for _, r := range raw.Resources {
		require.Contains(t, r, "options", r["name"])
		opts := r["options"].(map[string]any)
		for _, key := range []string{"protect", "retainOnDelete", "ignoreChanges", "deleteBeforeReplace", "dependsOn"} {
			require.Contains(t, opts, key, r["name"])
		}
		urns[r["name"].(string)] = r["urn"].(string)
		options[r["name"].(string)] = opts
	}
	require.Equal(t, []any{urns["warehouse-filesystem"]}, options["warehouse-workspace"]["dependsOn"])
	require.Equal(t, false, options["warehouse-workspace"]["protect"])
}

func TestMarkdownPlanForPullRequests(t *testing.T) {
	code, out, errOut := plan(t, "--stack", "prod", "--markdown")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "### Offline plan: `prod`")
	require.Contains(t, out, "| Principal | Type | Role | Scope |")
	require.Contains(t, out, "| pass | `CKV_AZURE_59` |")
}

func TestBadConfigExitsNamingTheKey(t *testing.T) {
	path := stackFileWith(t, "prod", "mode: private", "mode: open")
	code, out, errOut := plan(t, "--stack", "prod", "--config", path)
	require.Equal(t, 1, code)
	require.Empty(t, out)
	require.Contains(t, errOut, "config customer-analytics:network.mode")
	require.Contains(t, errOut, "allowed: firewall, private")
}

func TestPolicyViolationExitsNonZero(t *testing.T) {
	// A waiver for a rule that passes is stale and must be removed: the plan refuses it.
	path := stackFileWith(t, "dev", "  customer-analytics:policyExceptions:\n",
		"  customer-analytics:policyExceptions:\n    CKV_AZURE_44: \"an exception nobody needs any more\"\n")
	code, _, errOut := plan(t, "--stack", "dev", "--config", path)
	require.Equal(t, 3, code)
	require.Contains(t, errOut, "CKV_AZURE_44 STALE-WAIVER")
}

func TestUsageErrors(t *testing.T) {
	code, _, _ := plan(t, "--json", "--markdown")
	require.Equal(t, 2, code)
	code, _, _ = plan(t, "--no-such-flag")
	require.Equal(t, 2, code)
	code, _, errOut := plan(t, "--stack", "qa")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "Pulumi.qa.yaml")
}
