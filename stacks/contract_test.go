package stacks_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/bindings/upstream"
	"github.com/customer-analytics/platform/internal/mocks"
)

// TestRecordedInputsMatchUpstreamSchema runs both stacks under mocks and checks every input the bindings
// actually sent: known properties only, required inputs present, the official constructors' defaults
// applied, union members matched by their discriminator, enum values allowed, plugin versions pinned.
// (The bindings' own contract test checks their Go sources; this one checks what the program sends.)
func TestRecordedInputsMatchUpstreamSchema(t *testing.T) {
	all, err := upstream.Load()
	require.NoError(t, err)
	byToken := upstream.ByToken(all)
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			seen := map[string]bool{}
			for _, r := range runStack(t, stack).Recorder.Resources() {
				entry, ok := byToken[r.Type]
				if !ok {
					continue
				}
				seen[r.Type] = true
				require.Equal(t, entry.Version, r.Version, "%s: plugin version", r.URN)
				require.Empty(t, entry.CheckInputs(r.Type, mocks.PlainMap(r.Inputs, false)), "%s: inputs against the upstream schema", r.URN)
				if strings.HasPrefix(r.Type, "databricks:") {
					require.Contains(t, r.Provider, "pulumi:providers:databricks", "%s uses the explicit workspace provider", r.URN)
				}
			}
			for _, tok := range []string{
				"azure-native:databricks:Workspace", "azure-native:datafactory:Factory", "azure-native:datafactory:Pipeline",
				"azure-native:datafactory:LinkedService", "azure-native:datafactory:Dataset", "azure-native:datafactory:Trigger",
				"azure-native:synapse:Workspace", "azure-native:synapse:BigDataPool", "azure-native:synapse:WorkspaceAadAdmin",
				"pulumi:providers:databricks", "databricks:index/cluster:Cluster", "databricks:index/clusterPolicy:ClusterPolicy",
				"databricks:index/secretScope:SecretScope", "databricks:index/notebook:Notebook", "databricks:index/directory:Directory",
				"databricks:index/permissions:Permissions", "databricks:index/workspaceFile:WorkspaceFile",
				"azure-native:databricks:AccessConnector", "databricks:index/storageCredential:StorageCredential",
				"databricks:index/externalLocation:ExternalLocation", "databricks:index/catalog:Catalog", "databricks:index/schema:Schema",
				"databricks:index/sqlTable:SqlTable", "databricks:index/grants:Grants", "databricks:index/servicePrincipal:ServicePrincipal",
				"databricks:index/permissionAssignment:PermissionAssignment",
			} {
				require.True(t, seen[tok], "stack %s registers %s (so its inputs were checked)", stack, tok)
			}
			if stack == "prod" {
				require.True(t, seen["azure-native:datafactory:IntegrationRuntime"] && seen["azure-native:datafactory:ManagedPrivateEndpoint"])
			} else {
				require.True(t, seen["azure-native:synapse:IpFirewallRule"])
			}
		})
	}
}

// TestRecordedTemplatesMatchTheRESTSpec: the auditing template each stack records sends only spec
// properties, the required ones, allowed enum values, under an allowed name.
func TestRecordedTemplatesMatchTheRESTSpec(t *testing.T) {
	spec, err := upstream.LoadREST(upstream.RESTBindings[0])
	require.NoError(t, err)
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			n := 0
			for _, r := range runStack(t, stack).Recorder.Resources() {
				if r.Type != "azure-native:resources:Deployment" {
					continue
				}
				resources, _ := r.In("properties.template.resources").([]any)
				for _, x := range resources {
					m := x.(map[string]any)
					if m["type"] != spec.ResourceType {
						continue
					}
					n++
					require.Equal(t, spec.APIVersion, m["apiVersion"])
					_, name, _ := strings.Cut(m["name"].(string), "/")
					require.Contains(t, spec.Names, name)
					props := m["properties"].(map[string]any)
					for k := range props {
						require.Contains(t, spec.Properties, k, "%s: %q is not in the REST body", r.URN, k)
					}
					for _, req := range spec.Required {
						require.Contains(t, props, req)
					}
					for k, allowed := range spec.Enums {
						if v, ok := props[k]; ok {
							require.Contains(t, allowed, v, "%s.%s", r.URN, k)
						}
					}
				}
			}
			require.Equal(t, 1, n, "one auditing template per stack")
		})
	}
}
