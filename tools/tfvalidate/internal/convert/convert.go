// Package convert turns the inputs a Pulumi program sends for a pulumi-databricks resource into the
// Terraform configuration value the bridged provider receives: property names mapped back through the
// bridge's renames, single objects (maxItemsOne) wrapped into Terraform's one-element lists, and values
// typed by the resource's schema. Whatever it cannot map is an error, never dropped.
package convert

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/go-cty/cty"
	ctyconvert "github.com/hashicorp/go-cty/cty/convert"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

	"github.com/customer-analytics/platform/tools/tfvalidate/internal/bridge"
)

// Placeholders the offline plan writes for values it cannot show: they become unknown values, which
// Terraform also meets at plan time (outputs of resources not yet created) and skips in value checks.
const (
	Secret  = "[secret]"
	Unknown = "[unknown]"
)

// Error is a conversion failure at a Pulumi property path.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// ErrUnknownProperty marks a Pulumi property with no Terraform attribute (Terraform: "An argument named
// ... is not expected here").
var ErrUnknownProperty = fmt.Errorf("no such attribute in the provider schema")

// Result is the converted configuration and how many leaf values were unknown (not value-checked).
type Result struct {
	Value    cty.Value
	Unknowns []string
}

type converter struct {
	meta     *bridge.Metadata
	resource string // Terraform resource name, for the bridge's maxItemsOne records
	unknowns []string
}

// Resource converts inputs of the resource with Pulumi type token typeToken and Terraform name tfName
// against its schema and implied configuration type.
func Resource(meta *bridge.Metadata, typeToken, tfName string, r *schema.Resource, inputs map[string]any) (Result, error) {
	c := &converter{meta: meta, resource: tfName}
	v, err := c.object(inputs, r.SchemaMap(), r.CoreConfigSchema().ImpliedType(), typeToken, nil, "")
	return Result{Value: v, Unknowns: c.unknowns}, err
}

// Provider converts a Pulumi provider's inputs to the Terraform provider block.
func Provider(meta *bridge.Metadata, s map[string]*schema.Schema, ty cty.Type, inputs map[string]any) (Result, error) {
	c := &converter{meta: meta}
	vals := map[string]cty.Value{}
	for _, pk := range sortedKeys(inputs) {
		pv := inputs[pk]
		if pv == nil {
			continue
		}
		tk, ok := meta.ConfigName(pk, func(n string) bool { _, ok := s[n]; return ok })
		if !ok {
			return Result{}, &Error{Path: pk, Err: ErrUnknownProperty}
		}
		// Pulumi may send non-string provider config values JSON-encoded as strings; decode them.
		if str, isStr := pv.(string); isStr && s[tk].Type != schema.TypeString && str != Secret && str != Unknown {
			var decoded any
			if err := decode(str, &decoded); err == nil {
				pv = decoded
			}
		}
		v, err := c.value(pv, s[tk], ty.AttributeType(tk), "", []string{tk}, pk)
		if err != nil {
			return Result{}, err
		}
		vals[tk] = v
	}
	return Result{Value: fill(vals, s, ty), Unknowns: c.unknowns}, nil
}

func (c *converter) object(in map[string]any, s map[string]*schema.Schema, ty cty.Type, typeToken string, path []string, ppath string) (cty.Value, error) {
	if !ty.IsObjectType() {
		return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("expected %s, got an object", ty.FriendlyName())}
	}
	vals := map[string]cty.Value{}
	for _, pk := range sortedKeys(in) {
		pv := in[pk]
		at := join(ppath, pk)
		if pv == nil {
			continue
		}
		tk, ok := c.meta.TerraformName(typeToken, pk, func(n string) bool { _, ok := s[n]; return ok && ty.HasAttribute(n) })
		if !ok {
			return cty.NilVal, &Error{Path: at, Err: fmt.Errorf("%w (type %s)", ErrUnknownProperty, typeToken)}
		}
		v, err := c.value(pv, s[tk], ty.AttributeType(tk), bridge.NestedTypeToken(typeToken, tk), append(path[:len(path):len(path)], tk), at)
		if err != nil {
			return cty.NilVal, err
		}
		vals[tk] = v
	}
	return fill(vals, s, ty), nil
}

// fill completes an object as Terraform decodes configuration: absent attributes are null, absent
// list/set blocks are empty collections.
func fill(vals map[string]cty.Value, s map[string]*schema.Schema, ty cty.Type) cty.Value {
	for name, at := range ty.AttributeTypes() {
		if _, ok := vals[name]; ok {
			continue
		}
		switch {
		case isBlock(s[name]) && at.IsListType():
			vals[name] = cty.ListValEmpty(at.ElementType())
		case isBlock(s[name]) && at.IsSetType():
			vals[name] = cty.SetValEmpty(at.ElementType())
		default:
			vals[name] = cty.NullVal(at)
		}
	}
	return cty.ObjectVal(vals)
}

// isBlock mirrors the SDK's CoreConfigSchema: a list or set of a nested resource that is configurable
// and not forced into attribute mode is a nested block.
func isBlock(s *schema.Schema) bool {
	if s == nil {
		return false
	}
	if _, ok := s.Elem.(*schema.Resource); !ok || s.Type == schema.TypeMap {
		return false
	}
	switch s.ConfigMode {
	case schema.SchemaConfigModeAttr:
		return false
	case schema.SchemaConfigModeBlock:
		return true
	}
	return !(s.Computed && !s.Optional)
}

func (c *converter) value(pv any, s *schema.Schema, ty cty.Type, typeToken string, path []string, ppath string) (cty.Value, error) {
	if str, ok := pv.(string); ok && (str == Secret || str == Unknown) {
		c.unknowns = append(c.unknowns, ppath)
		return cty.UnknownVal(ty), nil
	}
	switch {
	case ty.IsListType() || ty.IsSetType():
		return c.collection(pv, s, ty, typeToken, path, ppath)
	case ty.IsMapType():
		m, ok := pv.(map[string]any)
		if !ok {
			return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("expected a map, got %T", pv)}
		}
		if len(m) == 0 {
			return cty.MapValEmpty(ty.ElementType()), nil
		}
		vals := map[string]cty.Value{}
		for _, k := range sortedKeys(m) {
			v, err := c.value(m[k], elemSchema(s), ty.ElementType(), typeToken, path, ppath+"."+k)
			if err != nil {
				return cty.NilVal, err
			}
			vals[k] = v
		}
		return cty.MapVal(vals), nil
	case ty.IsObjectType():
		m, ok := pv.(map[string]any)
		if !ok {
			return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("expected an object, got %T", pv)}
		}
		r, _ := s.Elem.(*schema.Resource)
		if r == nil {
			return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("object type without a nested schema")}
		}
		return c.object(m, r.SchemaMap(), ty, typeToken, path, ppath)
	default:
		return primitive(pv, ty, ppath)
	}
}

// collection converts a Pulumi array, or the single object/value the bridge flattens a maxItemsOne list
// into, to a Terraform list or set.
func (c *converter) collection(pv any, s *schema.Schema, ty cty.Type, typeToken string, path []string, ppath string) (cty.Value, error) {
	items, isList := pv.([]any)
	index := func(i int) string { return fmt.Sprintf("%s[%d]", ppath, i) }
	if !isList {
		flat, known := c.meta.MaxItemsOne(c.resource, path)
		if !(flat || (!known && s != nil && s.MaxItems == 1)) {
			return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("expected a list (the bridge does not flatten %s to a single value), got %T", strings.Join(path, "."), pv)}
		}
		items = []any{pv}
		index = func(int) string { return ppath }
	}
	et := ty.ElementType()
	if len(items) == 0 {
		if ty.IsSetType() {
			return cty.SetValEmpty(et), nil
		}
		return cty.ListValEmpty(et), nil
	}
	vals := make([]cty.Value, len(items))
	for i, item := range items {
		v, err := c.value(item, elemSchema(s), et, typeToken, path, index(i))
		if err != nil {
			return cty.NilVal, err
		}
		vals[i] = v
	}
	if ty.IsSetType() {
		return cty.SetVal(vals), nil
	}
	return cty.ListVal(vals), nil
}

// elemSchema is the schema of a collection's elements; a nested resource is wrapped so value() sees it.
func elemSchema(s *schema.Schema) *schema.Schema {
	if s == nil {
		return nil
	}
	switch e := s.Elem.(type) {
	case *schema.Schema:
		return e
	case *schema.Resource:
		return &schema.Schema{Type: schema.TypeList, Elem: e}
	}
	return &schema.Schema{Type: schema.TypeString}
}

// primitive converts a JSON scalar with Terraform's own conversion rules (e.g. "5" is a valid number,
// "five" is not).
func primitive(pv any, ty cty.Type, ppath string) (cty.Value, error) {
	var v cty.Value
	switch x := pv.(type) {
	case string:
		v = cty.StringVal(x)
	case bool:
		v = cty.BoolVal(x)
	case json.Number:
		n, err := cty.ParseNumberVal(x.String())
		if err != nil {
			return cty.NilVal, &Error{Path: ppath, Err: err}
		}
		v = n
	case float64:
		v = cty.NumberFloatVal(x)
	default:
		return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("expected %s, got %T", ty.FriendlyName(), pv)}
	}
	out, err := ctyconvert.Convert(v, ty)
	if err != nil {
		return cty.NilVal, &Error{Path: ppath, Err: fmt.Errorf("inappropriate value: %w", err)}
	}
	return out, nil
}

func decode(s string, out *any) error {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	return d.Decode(out)
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
