package bindings_test

import (
	"go/types"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	syn "github.com/customer-analytics/platform/internal/bindings/azurenative/synapse"
	"github.com/customer-analytics/platform/internal/bindings/upstream"
)

// The REST-body bindings (upstream.RESTBindings) are checked against an extract of the Azure REST API
// specification; stacks/contract_test.go checks the templates the stacks record against the same extract.

func loadRESTSpec(t *testing.T, b upstream.RESTBinding) upstream.RESTSpec {
	t.Helper()
	spec, err := upstream.LoadREST(b)
	require.NoError(t, err)
	return spec
}

// jsonKinds maps a Go field type to the JSON schema type it serialises to.
var jsonKinds = map[string]string{
	"string": "string", "*string": "string", "bool": "boolean", "*bool": "boolean", "int": "integer", "*int": "integer",
	"[]string": "array", "BlobAuditingPolicyState": "string",
}

// TestRESTBindingsMatchTheSpec: every json field of the binding is a property of the REST body with the
// same JSON type, every required property is always sent, enum constants are allowed values, and the
// template's type and API version are the spec's. It also proves the ARM route is needed: azure-native
// 2.90.0 has no resource for these settings.
func TestRESTBindingsMatchTheSpec(t *testing.T) {
	for _, b := range upstream.RESTBindings {
		t.Run(b.GoStruct, func(t *testing.T) {
			spec := loadRESTSpec(t, b)
			p := parseBinding(t, b.Dir)
			st, ok := p.structs[b.GoStruct]
			require.True(t, ok, "no struct %s in %s", b.GoStruct, b.Dir)
			sent := map[string]bool{}
			for _, f := range st.Fields.List {
				require.NotNil(t, f.Tag, "%s.%s has no json tag", b.GoStruct, f.Names[0].Name)
				tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
				name, opts, _ := strings.Cut(tag, ",")
				goType := types.ExprString(f.Type)
				want, ok := spec.Properties[name]
				require.True(t, ok, "%s.%s: %q is not a property of %s", b.GoStruct, f.Names[0].Name, name, spec.ResourceType)
				require.Equal(t, want, jsonKinds[goType], "%s.%s: %s does not serialise to %s", b.GoStruct, f.Names[0].Name, goType, want)
				sent[name] = !strings.Contains(opts, "omitempty")
			}
			for _, req := range spec.Required {
				require.True(t, sent[req], "required property %q must always be sent (no omitempty)", req)
			}
			for typ, prop := range b.EnumFields {
				require.NotEmpty(t, p.consts[typ], "enum %s has constants", typ)
				require.Subset(t, spec.Enums[prop], p.consts[typ], "%s values are allowed for %s", typ, prop)
			}
			require.Equal(t, spec.ResourceType, syn.ExtendedAuditingSettingsType)
			require.Equal(t, spec.APIVersion, syn.AuditingAPIVersion)

			for tok := range loadSchemas(t)["azure-native-v2.90.0.json"].Resources {
				require.NotContains(t, strings.ToLower(tok), "auditing", "azure-native now has %s: use it instead of the ARM template", tok)
			}
		})
	}
}
