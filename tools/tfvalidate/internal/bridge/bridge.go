// Package bridge answers, from the pulumi-databricks bridge metadata, how a Pulumi name maps to the
// Terraform provider's: type token -> resource name, property renames, which lists Pulumi flattens to a
// single object (maxItemsOne) and which provider (SDKv2 or plugin framework) serves a resource.
package bridge

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// The subset of pulumi-databricks 1.106.0's bridge-metadata.json the conversion needs (see data/README.md).
//
//go:embed data/databricks-bridge-v1.106.0.json.gz
var metadataGz []byte

// MetadataSHA256 is the hash of the uncompressed subset, checked at load so a silently edited copy fails.
const MetadataSHA256 = "9f1475442fdf66dbefa39abace66fdecc2c74e7068be0769f4f6a9a6f5053d70"

// Provider serving a resource: the bridge muxes the SDKv2 provider (0) and the plugin-framework one (1).
type Provider int

const (
	SDKv2 Provider = iota
	PluginFramework
)

// Field is the bridge's view of one Terraform field: whether Pulumi shows it as a single object and, for
// blocks, the same for their fields.
type Field struct {
	MaxItemsOne *bool `json:"maxItemsOne"`
	Elem        *struct {
		Fields map[string]Field `json:"fields"`
	} `json:"elem"`
}

// Fields returns the nested fields of a block (nil when the bridge records none).
func (f Field) Fields() map[string]Field {
	if f.Elem == nil {
		return nil
	}
	return f.Elem.Fields
}

// Metadata is the loaded subset.
type Metadata struct {
	Tokens                  map[string]string            `json:"tokens"`
	Mux                     map[string]Provider          `json:"mux"`
	RenamedProperties       map[string]map[string]string `json:"renamedProperties"`
	RenamedConfigProperties map[string]string            `json:"renamedConfigProperties"`
	ResourceFields          map[string]map[string]Field  `json:"fields"`
	MaxItemsOneOverrides    map[string]map[string]bool   `json:"maxItemsOneOverrides"`
}

// Load reads the embedded metadata and verifies its hash.
func Load() (*Metadata, error) {
	zr, err := gzip.NewReader(bytes.NewReader(metadataGz))
	if err != nil {
		return nil, fmt.Errorf("bridge metadata: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("bridge metadata: %w", err)
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != MetadataSHA256 {
		return nil, fmt.Errorf("bridge metadata: sha256 %x, want %s (refresh data/ as its README says)", sum, MetadataSHA256)
	}
	var m Metadata
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("bridge metadata: %w", err)
	}
	return &m, nil
}

// Resource maps a Pulumi type token to its Terraform resource name and serving provider.
func (m *Metadata) Resource(token string) (tfName string, p Provider, err error) {
	tfName, ok := m.Tokens[token]
	if !ok {
		return "", 0, fmt.Errorf("type token %s is not in the pulumi-databricks bridge metadata", token)
	}
	p, ok = m.Mux[token]
	if !ok {
		return "", 0, fmt.Errorf("type token %s (%s): the bridge metadata does not say which provider serves it", token, tfName)
	}
	return tfName, p, nil
}

// TerraformName maps a Pulumi property name of the object with type token typeToken to the Terraform
// name: the bridge's recorded rename, else the property itself if Terraform has it, else its snake_case
// if Terraform has that. ok is false when none names a Terraform attribute.
func (m *Metadata) TerraformName(typeToken, pulumiName string, has func(string) bool) (string, bool) {
	if tf, ok := m.RenamedProperties[typeToken][pulumiName]; ok {
		return tf, has(tf)
	}
	if has(pulumiName) {
		return pulumiName, true
	}
	if snake := SnakeCase(pulumiName); has(snake) {
		return snake, true
	}
	return "", false
}

// ConfigName maps a Pulumi provider config key to the Terraform provider attribute.
func (m *Metadata) ConfigName(pulumiName string, has func(string) bool) (string, bool) {
	if tf, ok := m.RenamedConfigProperties[pulumiName]; ok {
		return tf, has(tf)
	}
	if has(pulumiName) {
		return pulumiName, true
	}
	snake := SnakeCase(pulumiName)
	return snake, has(snake)
}

// MaxItemsOne reports the bridge's flattening decision for a field at path (Terraform names, outermost
// first) of resource tfName; known is false when the bridge records nothing for it.
func (m *Metadata) MaxItemsOne(tfName string, path []string) (value, known bool) {
	if v, ok := m.MaxItemsOneOverrides[tfName][strings.Join(path, ".$.")]; ok {
		return v, true
	}
	fields := m.ResourceFields[tfName]
	var f Field
	for i, p := range path {
		var ok bool
		if f, ok = fields[p]; !ok {
			return false, false
		}
		if i < len(path)-1 {
			fields = f.Fields()
		}
	}
	if f.MaxItemsOne == nil {
		return false, false
	}
	return *f.MaxItemsOne, true
}

// NestedTypeToken is the token the bridge gives the object type of field tfField inside the object
// typeToken: the parent's type name followed by the field's name in PascalCase
// ("databricks:index/cluster:Cluster" + autoscale -> "databricks:index/ClusterAutoscale:ClusterAutoscale").
func NestedTypeToken(typeToken, tfField string) string {
	name := typeToken[strings.LastIndex(typeToken, ":")+1:]
	var b strings.Builder
	b.WriteString(name)
	for _, part := range strings.Split(tfField, "_") {
		if part == "" {
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	nested := b.String()
	return "databricks:index/" + nested + ":" + nested
}

// SnakeCase turns a Pulumi camelCase name into Terraform's snake_case ("sparkVersion" -> "spark_version").
func SnakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
