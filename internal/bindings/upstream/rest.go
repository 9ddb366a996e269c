package upstream

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Some settings have no azure-native resource at the pinned version, so the platform deploys them as a
// one-resource ARM template through azure-native:resources:Deployment. Their bindings mirror the REST
// body instead, and are checked against an extract of the Azure REST API specification.

// RESTSpec is data/synapse-rest-*.json: one ARM resource body extracted from the REST spec.
type RESTSpec struct {
	ResourceType string              `json:"resourceType"`
	APIVersion   string              `json:"apiVersion"`
	Names        []string            `json:"names"`
	Properties   map[string]string   `json:"properties"` // name -> JSON schema type
	Required     []string            `json:"required"`
	Enums        map[string][]string `json:"enums"`
}

// RESTBinding ties a binding struct to its REST spec extract.
type RESTBinding struct {
	Dir, GoStruct, Fixture, SHA256 string
	EnumFields                     map[string]string // enum Go type -> the property it types
}

// RESTBindings are the bindings that mirror a REST body.
var RESTBindings = []RESTBinding{{
	Dir: "azurenative/synapse", GoStruct: "ExtendedAuditingSettingsProperties",
	Fixture:    "synapse-rest-2021-06-01-extendedAuditingSettings.json",
	SHA256:     "5294570064285078ff89b41a0aa1d3296160c87f5114e0cf074577eda5735ffe",
	EnumFields: map[string]string{"BlobAuditingPolicyState": "state"},
}}

// RESTEnumTypes are the enum types (binding dir + "." + type) that mirror a REST body, not an
// azure-native enum.
var RESTEnumTypes = map[string]bool{"azurenative/synapse.BlobAuditingPolicyState": true}

// LoadREST reads a binding's REST spec extract, checking its hash.
func LoadREST(b RESTBinding) (RESTSpec, error) {
	raw, err := data.ReadFile("data/" + b.Fixture)
	if err != nil {
		return RESTSpec{}, fmt.Errorf("REST spec %s: %w", b.Fixture, err)
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != b.SHA256 {
		return RESTSpec{}, fmt.Errorf("REST spec %s changed (sha256 %s): update its hash deliberately", b.Fixture, got)
	}
	var spec RESTSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return RESTSpec{}, fmt.Errorf("REST spec %s: %w", b.Fixture, err)
	}
	return spec, nil
}
