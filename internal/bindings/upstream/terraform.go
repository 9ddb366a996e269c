package upstream

import (
	"encoding/json"
	"sort"
	"strings"
)

// The Databricks Pulumi schema data is partial: nested types such as GrantsGrant or SqlTableColumn are
// missing, and their hints list only renamed (multi-word) fields. The provider's own schema
// (databricks-tf-v1.126.0.json, the Terraform provider pulumi-databricks bridges) has every nested
// block; NestedFields reads a missing type's fields from it.

const (
	terraformSchemaFile = "databricks-tf-v1.126.0.json"
	// terraformBacked is the schema file whose missing types the Terraform schema fills in.
	terraformBacked = "databricks-v1.106.0.json"
)

// tfAttr is one attribute or block of the Terraform schema data.
type tfAttr struct {
	Type     string            `json:"type"`
	Required bool              `json:"required"`
	Elem     json.RawMessage   `json:"elem"`
	Block    map[string]tfAttr `json:"block"`
}

func parseTerraform(raw []byte) (map[string]map[string]tfAttr, error) {
	var doc struct {
		Resources map[string]map[string]tfAttr `json:"resources"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	return doc.Resources, nil
}

// NestedFields returns the Pulumi field names of a type the schema data lacks (key "<pkg>.<Type>"),
// each with its Go type where the provider's schema gives it ("" = name only, from the hints), and the
// required fields. ok is false when nothing is known of the type.
func (s *Schema) NestedFields(key string) (fields map[string]string, required []string, ok bool) {
	fields = map[string]string{}
	if hint, found := s.MissingTypeHints[key]; found {
		ok = true
		for _, f := range hint.RenamedFieldsOnly {
			fields[f] = ""
		}
	}
	typeName := key[strings.Index(key, ".")+1:]
	for _, tok := range s.MissingTypeReferencedBy[key] {
		res, found := s.Resources[tok]
		if !found || !strings.HasPrefix(typeName, res.GoName) {
			continue
		}
		block, found := s.terraformBlock(tok, strings.TrimPrefix(typeName, res.GoName))
		if !found {
			continue
		}
		ok = true
		for name, a := range block {
			f := camel(name)
			fields[f] = a.goType()
			if a.Required {
				required = append(required, f)
			}
		}
	}
	sort.Strings(required)
	return fields, required, ok
}

// terraformBlock finds the nested block of the resource behind a Pulumi token whose name, in Pascal
// case, is suffix ("databricks:index/grants:Grants" + "Grant" -> databricks_grants.grant).
func (s *Schema) terraformBlock(token, suffix string) (map[string]tfAttr, bool) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return nil, false
	}
	module := parts[1][strings.LastIndex(parts[1], "/")+1:]
	res, ok := s.terraform["databricks_"+snake(module)]
	if !ok {
		return nil, false
	}
	for name, a := range res {
		if a.Block != nil && pascal(name) == suffix {
			return a.Block, true
		}
	}
	return nil, false
}

// goType is the Go shape Pulumi gives a Terraform attribute (scalars, lists of scalars, string maps);
// "" when it is a nested block (checked by name only).
func (a tfAttr) goType() string {
	scalar := map[string]string{"TypeString": "string", "TypeBool": "bool", "TypeInt": "int", "TypeFloat": "float64"}
	if t, ok := scalar[a.Type]; ok {
		return t
	}
	var elem string
	if json.Unmarshal(a.Elem, &elem) != nil {
		return ""
	}
	switch a.Type {
	case "TypeList", "TypeSet":
		if t, ok := scalar[elem]; ok {
			return "[]" + t
		}
	case "TypeMap":
		if t, ok := scalar[elem]; ok {
			return "map[string]" + t
		}
	}
	return ""
}

func snake(camelName string) string {
	var b strings.Builder
	for i, r := range camelName {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func pascal(snakeName string) string {
	var b strings.Builder
	for _, part := range strings.Split(snakeName, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func camel(snakeName string) string {
	p := pascal(snakeName)
	return strings.ToLower(p[:1]) + p[1:]
}
