package planview

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

const root = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"

func optionPlan() Plan {
	vault := mocks.Resource{
		URN: "urn:pulumi:s::p::azure-native:keyvault:Vault::kv", Type: "azure-native:keyvault:Vault", Name: "kv", Parent: root,
		Custom: true, Inputs: resource.PropertyMap{}, Outputs: resource.NewPropertyMapFromMap(map[string]any{"name": "kv-s"}),
		Options: mocks.Options{Protect: true, IgnoreChanges: []string{"properties.accessPolicies"}, DependsOn: []string{"urn:x"}},
	}
	plain := mocks.Resource{
		URN: "urn:pulumi:s::p::azure-native:storage:BlobContainer::gold", Type: "azure-native:storage:BlobContainer", Name: "gold", Parent: root,
		Custom: true, Inputs: resource.PropertyMap{}, Outputs: resource.NewPropertyMapFromMap(map[string]any{"name": "gold"}),
		Options: mocks.Options{RetainOnDelete: true, DeleteBeforeReplace: true},
	}
	return Plan{Project: "p", Stack: "s", Inventory: inventory.New([]mocks.Resource{vault, plain})}
}

func TestTextMarksProtectedResources(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, Text(&out, optionPlan()))
	lines := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines[f[0]] = l
		}
	}
	require.Regexp(t, `^  kv\s+keyvault:Vault\s+kv-s  \[protected\]$`, lines["kv"])
	require.NotContains(t, lines["gold"], ProtectedMark)
}

func TestJSONCarriesEveryResourceOption(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, WriteJSON(&out, optionPlan()))
	var doc struct {
		Resources []struct {
			Name    string         `json:"name"`
			Options map[string]any `json:"options"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	require.Len(t, doc.Resources, 2)
	got := map[string]map[string]any{}
	for _, r := range doc.Resources {
		got[r.Name] = r.Options
	}
	require.Equal(t, map[string]any{
		"protect": true, "retainOnDelete": false, "ignoreChanges": []any{"properties.accessPolicies"},
		"deleteBeforeReplace": false, "dependsOn": []any{"urn:x"},
	}, got["kv"])
	require.Equal(t, map[string]any{
		"protect": false, "retainOnDelete": true, "ignoreChanges": []any{},
		"deleteBeforeReplace": true, "dependsOn": []any{},
	}, got["gold"], "absent options print as false and empty lists, never null")
}
