package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
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
		require.Contains(t, out, "Access matrix: who can do what to each layer")
		require.Regexp(t, `(?m)^  analysts\s+gold\s+Storage Blob Data Reader @ container stca`+stack+`[0-9a-f]{6}/gold\s`, out)
		require.Contains(t, out, "SELECT @ object gold.vw_store_comparison (SQL role analysts)")
		require.Contains(t, out, "Principals (one identity under the names each layer uses)")
		require.Contains(t, out, "Policy summary:")
		require.NotContains(t, out, "FAIL")
		// protection.stateful is on in prod only: the tree marks the protected lake account there.
		require.Equal(t, stack == "prod", regexp.MustCompile(`(?m)^\s+datalake-account\s.*\[protected\]$`).MatchString(out), stack)
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
	principals["00000000-0000-0000-0000-0000000ad0de"] = true // groups.admins.objectId: an existing group, not created
	require.Len(t, p.RoleAssignments, 17)
	for _, a := range p.RoleAssignments {
		require.True(t, principals[a.PrincipalID], "principal %s of %s resolves to a resource", a.PrincipalID, a.Role)
		require.True(t, ids[strings.ToLower(a.Scope)], "scope %s resolves to a resource", a.Scope)
		require.NotEmpty(t, a.Role)
	}
	require.NotEmpty(t, p.Policy)

	require.NotNil(t, p.AccessMatrix)
	var analystsGold *planview.JSONAccessRow
	for i, r := range p.AccessMatrix.Rows {
		if r.Principal == "analysts" && r.Layer == "gold" {
			analystsGold = &p.AccessMatrix.Rows[i]
		}
	}
	require.NotNil(t, analystsGold)
	require.Contains(t, analystsGold.SynapseSQL, planview.JSONAccessEntry{What: "REFERENCES", On: "credential WorkspaceIdentity", Via: "SQL role analysts", Level: "use"})
}

// The matrix reads the Synapse scripts from the project: a project without them fails the plan.
func TestAccessMatrixNeedsTheSynapseScripts(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: p\nruntime: go\n"), 0o600))
	_, err := accessMatrix(dir, planview.Plan{})
	require.ErrorContains(t, err, "reading the Synapse scripts")
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
	require.Contains(t, out, "| Principal | Layer | Azure RBAC | Unity Catalog | Databricks permissions | Synapse SQL |")
	require.Contains(t, out, "| pass | `CKV_AZURE_59` |")
}

// TestMarkdownDrawsTheArchitecture: the PR comment carries the stack's Mermaid diagram, the same one
// docs/architecture.md holds for that stack.
func TestMarkdownDrawsTheArchitecture(t *testing.T) {
	doc, err := os.ReadFile("../../docs/architecture.md")
	require.NoError(t, err)
	for _, stack := range []string{"dev", "prod"} {
		code, out, errOut := plan(t, "--stack", stack, "--markdown")
		require.Equal(t, 0, code, errOut)
		_, section, ok := strings.Cut(string(doc), "## Stack `"+stack+"`\n\n")
		require.True(t, ok)
		diagram, _, ok := strings.Cut(section, "```\n")
		require.True(t, ok)
		diagram += "```\n"
		require.Contains(t, out, "<summary>Architecture (drawn from this plan)</summary>")
		require.Contains(t, out, diagram, "the comment and docs/architecture.md show the same picture")
	}
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
