// Package upstream is the official schema data of the packages the bindings mirror (vendored, hash-pinned)
// and the checks of a sent value against it. The bindings' own contract test and the stacks' recorded-input
// test both use it, so the knowledge of the schema lives in one place.
package upstream

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Resource is one resource of the schema data.
type Resource struct {
	Package   string            `json:"package"`
	GoName    string            `json:"goName"`
	Inputs    map[string]string `json:"inputs"`
	Required  []string          `json:"required"`
	Defaults  map[string]any    `json:"defaults"`
	Constants map[string]any    `json:"constants"`
	Outputs   map[string]string `json:"outputs"`
}

// Type is one nested object type (or union member) of the schema data.
type Type struct {
	Fields             map[string]string `json:"fields"`
	Required           []string          `json:"required"`
	Discriminator      *string           `json:"discriminator"`
	DiscriminatorField *string           `json:"discriminatorField"`
}

// Hint lists the field names recoverable for a type missing from partial schema data.
type Hint struct {
	RenamedFieldsOnly []string `json:"renamedFieldsOnly"`
}

// Schema is one vendored schema file.
type Schema struct {
	Resources        map[string]Resource `json:"resources"`
	Types            map[string]Type     `json:"types"`
	Enums            map[string][]string `json:"enums"`
	MissingTypes     []string            `json:"missing_types"`
	MissingTypeHints map[string]Hint     `json:"missing_type_hints"`
	// MissingTypeReferencedBy names, for each missing type, the resources whose inputs use it.
	MissingTypeReferencedBy map[string][]string `json:"missing_type_referenced_by"`

	// terraform is the provider's own schema (complete nested blocks) for partial Databricks data.
	terraform map[string]map[string]tfAttr
}

// Binding is one hand-written package and the upstream schema it mirrors.
type Binding struct {
	Dir        string // relative to internal/bindings
	SchemaFile string
	Pkg        string // upstream Go package name, the prefix of schema type keys
	Partial    bool   // the schema data lacks some nested types
	Version    string // the plugin version the binding pins
}

// Bindings are the hand-written binding packages.
var Bindings = []Binding{
	{"azurenative/datafactory", "azure-native-v2.90.0.json", "datafactory", false, "2.90.0"},
	{"azurenative/synapse", "azure-native-v2.90.0.json", "synapse", false, "2.90.0"},
	{"azurenative/databricks", "azure-native-v2.90.0.json", "databricks", false, "2.90.0"},
	// The Databricks provider's schema snapshot lacks its pulumiTypes*.go files: nested types such as
	// ClusterAutoscale are listed in missing_types and only their multi-word field names are recoverable
	// (missing_type_hints). Those fields are checked by name only; their Go types cannot be checked.
	{"databricks", "databricks-v1.106.0.json", "databricks", true, "1.106.0"},
}

// hashes pins the vendored copies (see data/README.md).
var hashes = map[string]string{
	"azure-native-v2.90.0.json": "7e49c3c3f3d5a5a29448991cb7017beb649b29fe2f85daf178d73e271f946822",
	"databricks-v1.106.0.json":  "4d8da170042c0b93a3aa7154517b0e04d4ad3a289f932cff86b45093e00f7af9",
	// The Databricks Terraform provider's schema (terraform.go): what the partial data lacks.
	terraformSchemaFile: "26526262fac003490011823ffe17870a6c87bb691ebc0885819a52db975b5741",
}

//go:embed data/*.json.gz data/*.json
var data embed.FS

var (
	once    sync.Once
	loaded  map[string]*Schema
	loadErr error
)

// Load reads the vendored schema files once, checking their hashes.
func Load() (map[string]*Schema, error) {
	once.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

func load() (map[string]*Schema, error) {
	out := map[string]*Schema{}
	var tf map[string]map[string]tfAttr
	for name, want := range hashes {
		gz, err := data.ReadFile("data/" + name + ".gz")
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("schema %s: sha256 %s, want %s", name, got, want)
		}
		if name == terraformSchemaFile {
			if tf, err = parseTerraform(raw); err != nil {
				return nil, fmt.Errorf("schema %s: %w", name, err)
			}
			continue
		}
		var s Schema
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		out[name] = &s
	}
	out[terraformBacked].terraform = tf
	return out, nil
}

// Entry is the schema a type token is checked against.
type Entry struct {
	Schema  *Schema
	Pkg     string
	Version string
}

// ByToken maps every resource token the bindings cover to its schema.
func ByToken(all map[string]*Schema) map[string]Entry {
	out := map[string]Entry{}
	for _, b := range Bindings {
		for tok, r := range all[b.SchemaFile].Resources {
			if r.Package == b.Pkg || b.Partial {
				out[tok] = Entry{all[b.SchemaFile], b.Pkg, b.Version}
			}
		}
	}
	return out
}

// CheckValue checks a sent (plain JSON) value against an upstream Go type string and returns what does
// not fit, each problem prefixed with path.
func (s *Schema) CheckValue(pkg, path, goType string, v any) []string {
	goType = strings.TrimPrefix(goType, "*")
	switch {
	case v == nil:
		return nil
	case strings.HasPrefix(goType, "[]"):
		arr, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a list (%s), got %T", path, goType, v)}
		}
		var out []string
		for i, e := range arr {
			out = append(out, s.CheckValue(pkg, fmt.Sprintf("%s[%d]", path, i), goType[2:], e)...)
		}
		return out
	case strings.HasPrefix(goType, "map[string]"):
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a map (%s), got %T", path, goType, v)}
		}
		var out []string
		for _, k := range keys(m) {
			out = append(out, s.CheckValue(pkg, path+"."+k, goType[len("map[string]"):], m[k])...)
		}
		return out
	case goType == "interface{}":
		return s.checkUnion(pkg, path, v)
	case goType == "string", goType == "int", goType == "float64", goType == "bool":
		return checkScalar(path, goType, v)
	}
	if allowed, ok := s.Enums[pkg+"."+goType]; ok {
		for _, a := range allowed {
			if a == v {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: enum %s does not allow %v (allowed: %v)", path, goType, v, allowed)}
	}
	return s.CheckObject(pkg, path, pkg+"."+goType, v)
}

func checkScalar(path, goType string, v any) []string {
	var ok bool
	switch goType {
	case "string":
		_, ok = v.(string)
	case "bool":
		_, ok = v.(bool)
	default: // int, float64: JSON numbers
		_, ok = v.(float64)
	}
	if !ok {
		return []string{fmt.Sprintf("%s: want a %s, got %T", path, goType, v)}
	}
	return nil
}

// checkUnion checks a free-form value: a literal, an expression, or a union member chosen by its type.
func (s *Schema) checkUnion(pkg, path string, v any) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil // literal or expression string
	}
	disc, ok := m["type"].(string)
	if !ok || disc == "Expression" {
		return nil // an expression object ({value, type: Expression}) or free-form JSON
	}
	name := s.unionMember(pkg, disc, m)
	if name == "" {
		return []string{fmt.Sprintf("%s: no upstream union member with type %q and fields %v", path, disc, keys(m))}
	}
	return s.CheckObject(pkg, path, name, m)
}

// CheckObject checks an object against the upstream type key (e.g. "datafactory.PipelineArgs").
func (s *Schema) CheckObject(pkg, path, key string, v any) []string {
	m, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: want an object %s, got %T", path, key, v)}
	}
	typ, ok := s.Types[key]
	if !ok {
		return s.checkHinted(path, key, m)
	}
	var out []string
	for _, k := range keys(m) {
		goType, ok := typ.Fields[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s: %q is not a field of %s", path, k, key))
			continue
		}
		out = append(out, s.CheckValue(pkg, path+"."+k, goType, m[k])...)
	}
	for _, req := range typ.Required {
		if _, ok := m[req]; !ok {
			out = append(out, fmt.Sprintf("%s: required field %q of %s", path, req, key))
		}
	}
	if typ.Discriminator != nil && m["type"] != *typ.Discriminator {
		out = append(out, fmt.Sprintf("%s: discriminator of %s is %v, want %s", path, key, m["type"], *typ.Discriminator))
	}
	return out
}

// checkHinted checks an object of a type the partial schema data lacks against what NestedFields
// recovers: field names, and Go types where the provider's schema gives them.
func (s *Schema) checkHinted(path, key string, m map[string]any) []string {
	fields, required, ok := s.NestedFields(key)
	if !ok {
		return []string{fmt.Sprintf("%s: upstream type %s is unknown", path, key)}
	}
	var out []string
	for _, k := range keys(m) {
		goType, known := fields[k]
		switch {
		case !known:
			out = append(out, fmt.Sprintf("%s: field %q of partially known %s", path, k, key))
		case goType != "":
			out = append(out, s.CheckValue("", path+"."+k, goType, m[k])...)
		}
	}
	for _, req := range required {
		if _, ok := m[req]; !ok {
			out = append(out, fmt.Sprintf("%s: required field %q of %s", path, req, key))
		}
	}
	return out
}

// unionMember finds the upstream type with this discriminator whose fields cover the object's keys.
func (s *Schema) unionMember(pkg, disc string, m map[string]any) string {
	var names []string
	for name, typ := range s.Types {
		if strings.HasPrefix(name, pkg+".") && typ.Discriminator != nil && *typ.Discriminator == disc {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fits := true
		for k := range m {
			if _, ok := s.Types[name].Fields[k]; !ok {
				fits = false
			}
		}
		if fits {
			return name
		}
	}
	return ""
}

// CheckInputs checks one recorded resource's plain inputs against its upstream resource: known inputs
// only, each of the right type, required inputs present, the official constructor's defaults applied
// and its constants kept.
func (e Entry) CheckInputs(token string, in map[string]any) []string {
	res := e.Schema.Resources[token]
	var out []string
	for _, key := range keys(in) {
		goType, ok := res.Inputs[key]
		if !ok {
			out = append(out, fmt.Sprintf("input %q is not upstream", key))
			continue
		}
		out = append(out, e.Schema.CheckValue(e.Pkg, key, goType, in[key])...)
	}
	for _, req := range res.Required {
		if _, ok := in[req]; !ok {
			out = append(out, fmt.Sprintf("required input %q missing", req))
		}
	}
	for key, want := range res.Defaults {
		if _, ok := in[key]; !ok {
			out = append(out, fmt.Sprintf("the official constructor would default %q to %v", key, want))
		}
	}
	for key, want := range res.Constants {
		if fmt.Sprint(in[key]) != fmt.Sprint(want) {
			out = append(out, fmt.Sprintf("constant %q is %v, want %v", key, in[key], want))
		}
	}
	return out
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
