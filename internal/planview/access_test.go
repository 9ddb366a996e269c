package planview

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/access"
)

func sampleMatrix() *access.Matrix {
	return &access.Matrix{
		Principals: []access.Principal{{Key: "analysts", Kind: "group", ObjectID: "oid-a", Names: []string{"ca-analysts"}}},
		Rows: []access.Row{{Principal: "analysts", Layer: access.Gold, Cells: map[access.Control][]access.Entry{
			access.AzureRBAC:  {{What: "Storage Blob Data Reader", On: "container st/gold", Level: access.Read}},
			access.SynapseSQL: {{What: "SELECT", On: "object gold.a", Via: "SQL role analysts", Level: access.Read}, {What: "SELECT", On: "object gold.b|c", Level: access.Read}},
		}}},
	}
}

// One table: a row per principal and layer, a column per layer of control; a cell with two grants
// continues on the next line, empty cells print "-".
func TestAccessMatrixText(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, accessText(&out, *sampleMatrix()))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Equal(t, accessTitle, lines[0])
	require.Regexp(t, `^  PRINCIPAL\s+LAYER\s+AZURE RBAC\s+UNITY CATALOG\s+DATABRICKS PERMISSIONS\s+SYNAPSE SQL$`, lines[1])
	require.Regexp(t, `^  analysts\s+gold\s+Storage Blob Data Reader @ container st/gold\s+-\s+-\s+SELECT @ object gold.a \(SQL role analysts\)$`, lines[2])
	require.Regexp(t, `^\s+SELECT @ object gold.b\|c$`, lines[3])
	require.Regexp(t, `^  analysts\s+group\s+oid-a\s+ca-analysts$`, lines[len(lines)-1])
}

func TestAccessMatrixMarkdownAndJSON(t *testing.T) {
	var md bytes.Buffer
	require.NoError(t, accessMarkdown(&md, *sampleMatrix()))
	require.Contains(t, md.String(), "| Principal | Layer | Azure RBAC | Unity Catalog | Databricks permissions | Synapse SQL |\n|---|---|---|---|---|---|\n")
	require.Contains(t, md.String(), "| analysts | gold | Storage Blob Data Reader @ container st/gold | - | - | SELECT @ object gold.a (SQL role analysts)<br>SELECT @ object gold.b\\|c |\n")

	p := optionPlan()
	p.Access = sampleMatrix()
	var out bytes.Buffer
	require.NoError(t, WriteJSON(&out, p))
	var doc struct {
		AccessMatrix struct {
			Principals []map[string]any `json:"principals"`
			Rows       []map[string]any `json:"rows"`
		} `json:"accessMatrix"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	require.Equal(t, []map[string]any{{"key": "analysts", "kind": "group", "objectId": "oid-a", "names": []any{"ca-analysts"}}}, doc.AccessMatrix.Principals)
	require.Equal(t, []map[string]any{{
		"principal": "analysts", "layer": "gold",
		"azureRbac":             []any{map[string]any{"what": "Storage Blob Data Reader", "on": "container st/gold", "level": "read"}},
		"unityCatalog":          []any{},
		"databricksPermissions": []any{},
		"synapseSql": []any{
			map[string]any{"what": "SELECT", "on": "object gold.a", "via": "SQL role analysts", "level": "read"},
			map[string]any{"what": "SELECT", "on": "object gold.b|c", "level": "read"},
		},
	}}, doc.AccessMatrix.Rows)

	// Without a matrix (the architecture doc's plans) the section is left out.
	var plain bytes.Buffer
	require.NoError(t, WriteJSON(&plain, optionPlan()))
	require.NotContains(t, plain.String(), "accessMatrix")
}
