package bindings_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	syn "github.com/customer-analytics/platform/internal/bindings/azurenative/synapse"
	"github.com/customer-analytics/platform/internal/offline"
)

// Some settings have no azure-native resource at the pinned version, so the platform deploys them as a
// one-resource ARM template through azure-native:resources:Deployment. Their bindings mirror the REST
// body instead, and are checked against an extract of the Azure REST API specification.

// restSpec is testdata/synapse-rest-*.json: one ARM resource body extracted from the REST spec.
type restSpec struct {
	ResourceType string              `json:"resourceType"`
	APIVersion   string              `json:"apiVersion"`
	Names        []string            `json:"names"`
	Properties   map[string]string   `json:"properties"` // name -> JSON schema type
	Required     []string            `json:"required"`
	Enums        map[string][]string `json:"enums"`
}

// restBinding ties a binding struct to its REST spec extract.
type restBinding struct {
	dir, goStruct, fixture, sha256 string
	enumFields                     map[string]string // enum Go type -> the property it types
}

var restBindings = []restBinding{{
	dir: "azurenative/synapse", goStruct: "ExtendedAuditingSettingsProperties",
	fixture:    "synapse-rest-2021-06-01-extendedAuditingSettings.json",
	sha256:     "5294570064285078ff89b41a0aa1d3296160c87f5114e0cf074577eda5735ffe",
	enumFields: map[string]string{"BlobAuditingPolicyState": "state"},
}}

// restEnumTypes are the enum types TestBindingsMatchUpstreamSchema leaves to this file.
var restEnumTypes = map[string]bool{"azurenative/synapse.BlobAuditingPolicyState": true}

func loadRESTSpec(t *testing.T, b restBinding) restSpec {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", b.fixture))
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	require.Equal(t, b.sha256, hex.EncodeToString(sum[:]), "%s changed: update its hash deliberately", b.fixture)
	var spec restSpec
	require.NoError(t, json.Unmarshal(raw, &spec))
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
	for _, b := range restBindings {
		t.Run(b.goStruct, func(t *testing.T) {
			spec := loadRESTSpec(t, b)
			p := parseBinding(t, b.dir)
			st, ok := p.structs[b.goStruct]
			require.True(t, ok, "no struct %s in %s", b.goStruct, b.dir)
			sent := map[string]bool{}
			for _, f := range st.Fields.List {
				require.NotNil(t, f.Tag, "%s.%s has no json tag", b.goStruct, f.Names[0].Name)
				tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
				name, opts, _ := strings.Cut(tag, ",")
				goType := types.ExprString(f.Type)
				want, ok := spec.Properties[name]
				require.True(t, ok, "%s.%s: %q is not a property of %s", b.goStruct, f.Names[0].Name, name, spec.ResourceType)
				require.Equal(t, want, jsonKinds[goType], "%s.%s: %s does not serialise to %s", b.goStruct, f.Names[0].Name, goType, want)
				sent[name] = !strings.Contains(opts, "omitempty")
			}
			for _, req := range spec.Required {
				require.True(t, sent[req], "required property %q must always be sent (no omitempty)", req)
			}
			for typ, prop := range b.enumFields {
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

// TestRecordedTemplatesMatchTheRESTSpec: the auditing template each stack records sends only spec
// properties, the required ones, allowed enum values, under an allowed name.
func TestRecordedTemplatesMatchTheRESTSpec(t *testing.T) {
	spec := loadRESTSpec(t, restBindings[0])
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			res, err := offline.RunStack(".", stack, "")
			require.NoError(t, err)
			n := 0
			for _, r := range res.Recorder.Resources() {
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
