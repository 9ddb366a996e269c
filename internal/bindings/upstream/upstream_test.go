package upstream_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/bindings/upstream"
)

// The recorded-input test in stacks/ trusts CheckInputs to say no; each kind of mistake must be caught.
func TestCheckInputsCatchesEachKindOfMistake(t *testing.T) {
	all, err := upstream.Load()
	require.NoError(t, err)
	entry, ok := upstream.ByToken(all)["azure-native:datafactory:Pipeline"]
	require.True(t, ok)
	good := map[string]any{
		"factoryName": "adf", "resourceGroupName": "rg", "pipelineName": "p",
		"activities": []any{map[string]any{"name": "wait", "type": "Wait", "waitTimeInSeconds": 1.0}},
	}
	require.Empty(t, entry.CheckInputs("azure-native:datafactory:Pipeline", good))

	for name, tc := range map[string]struct {
		edit func(m map[string]any)
		want string
	}{
		"unknown input":        {func(m map[string]any) { m["pipelineNmae"] = "p" }, `input "pipelineNmae" is not upstream`},
		"missing required":     {func(m map[string]any) { delete(m, "factoryName") }, `required input "factoryName" missing`},
		"wrong scalar type":    {func(m map[string]any) { m["pipelineName"] = 3.0 }, "want a string"},
		"unknown union member": {func(m map[string]any) { m["activities"] = []any{map[string]any{"name": "x", "type": "Sleep"}} }, `no upstream union member with type "Sleep"`},
		"unknown nested field": {func(m map[string]any) { m["activities"].([]any)[0].(map[string]any)["waitTime"] = 1.0 }, `no upstream union member with type "Wait"`},
	} {
		t.Run(name, func(t *testing.T) {
			m := map[string]any{}
			for k, v := range good {
				m[k] = v
			}
			m["activities"] = []any{map[string]any{"name": "wait", "type": "Wait", "waitTimeInSeconds": 1.0}}
			tc.edit(m)
			problems := entry.CheckInputs("azure-native:datafactory:Pipeline", m)
			require.NotEmpty(t, problems)
			require.Contains(t, problems[0], tc.want)
		})
	}
}

func TestEnumValuesAreChecked(t *testing.T) {
	all, err := upstream.Load()
	require.NoError(t, err)
	s := all["azure-native-v2.90.0.json"]
	var enum string
	var allowed []string
	for name, values := range s.Enums {
		if len(name) > len("databricks.") && name[:len("databricks.")] == "databricks." && len(values) > 0 {
			enum, allowed = name[len("databricks."):], values
			break
		}
	}
	require.NotEmpty(t, enum)
	require.Empty(t, s.CheckValue("databricks", "x", enum, allowed[0]))
	require.NotEmpty(t, s.CheckValue("databricks", "x", enum, "NotAValue"))
}
