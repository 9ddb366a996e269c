package upstream_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/bindings/upstream"
)

// The Databricks schema data lacks nested types such as GrantsGrant; NestedFields reads them from the
// provider's schema, and a sent value is checked against it (names, Go types, required fields).
func TestNestedFieldsFromTheProviderSchema(t *testing.T) {
	all, err := upstream.Load()
	require.NoError(t, err)
	entry, ok := upstream.ByToken(all)["databricks:index/grants:Grants"]
	require.True(t, ok)
	fields, required, ok := entry.Schema.NestedFields("databricks.GrantsGrant")
	require.True(t, ok)
	require.Equal(t, map[string]string{"principal": "string", "privileges": "[]string"}, fields)
	require.Equal(t, []string{"principal", "privileges"}, required)

	cols, _, ok := entry.Schema.NestedFields("databricks.SqlTableColumn")
	require.True(t, ok)
	require.Equal(t, "bool", cols["nullable"])
	require.Equal(t, "string", cols["type"])
	_, _, ok = entry.Schema.NestedFields("databricks.NoSuchType")
	require.False(t, ok)

	good := map[string]any{"catalog": "ca_dev", "grants": []any{map[string]any{"principal": "g", "privileges": []any{"SELECT"}}}}
	require.Empty(t, entry.CheckInputs("databricks:index/grants:Grants", good))
	for name, tc := range map[string]struct {
		grant map[string]any
		want  string
	}{
		"unknown field":    {map[string]any{"principal": "g", "privileges": []any{"SELECT"}, "privilege": "x"}, `field "privilege" of partially known databricks.GrantsGrant`},
		"wrong type":       {map[string]any{"principal": "g", "privileges": "SELECT"}, "want a list"},
		"missing required": {map[string]any{"privileges": []any{"SELECT"}}, `required field "principal"`},
	} {
		t.Run(name, func(t *testing.T) {
			problems := entry.CheckInputs("databricks:index/grants:Grants", map[string]any{"catalog": "c", "grants": []any{tc.grant}})
			require.NotEmpty(t, problems)
			require.Contains(t, problems[0], tc.want)
		})
	}
}
