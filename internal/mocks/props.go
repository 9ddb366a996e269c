package mocks

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Masked stands for a secret value in printed output.
const Masked = "[secret]"

// Unknown stands for a value that is not known until deployment.
const Unknown = "[unknown]"

// Plain converts a property value to plain Go values (map[string]any, []any, string, float64, bool,
// nil). With mask, secrets become Masked; otherwise their values are unwrapped.
func Plain(v resource.PropertyValue, mask bool) any {
	switch {
	case v.IsSecret():
		if mask {
			return Masked
		}
		return Plain(v.SecretValue().Element, mask)
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret && mask {
			return Masked
		}
		if !o.Known {
			return Unknown
		}
		return Plain(o.Element, mask)
	case v.IsObject():
		return PlainMap(v.ObjectValue(), mask)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = Plain(e, mask)
		}
		return out
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		return string(ref.URN)
	case v.IsNull():
		return nil
	}
	return v.V
}

// PlainMap converts a property map with Plain.
func PlainMap(m resource.PropertyMap, mask bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = Plain(v, mask)
	}
	return out
}

// Get follows a dotted path ("properties.networkAcls.defaultAction") through plain maps; the second
// result is false when any step is missing.
func Get(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, step := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[step]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// In returns the plain (unmasked) value of an input path, or nil.
func (r Resource) In(path string) any {
	v, _ := Get(PlainMap(r.Inputs, false), path)
	return v
}

// Out returns the plain (unmasked) value of an output path, or nil.
func (r Resource) Out(path string) any {
	v, _ := Get(PlainMap(r.Outputs, false), path)
	return v
}

// InString returns a string input path, or "" when absent or not a string.
func (r Resource) InString(path string) string {
	s, _ := r.In(path).(string)
	return s
}
