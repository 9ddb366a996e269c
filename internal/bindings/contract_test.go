package bindings_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	adf "github.com/customer-analytics/platform/internal/bindings/azurenative/datafactory"
	"github.com/customer-analytics/platform/internal/bindings/upstream"
)

// resourceByGoName finds the upstream resource a binding's Go type mirrors.
func resourceByGoName(b upstream.Binding, s *upstream.Schema, goName string) (string, upstream.Resource, bool) {
	for tok, r := range s.Resources {
		if r.GoName == goName && (r.Package == b.Pkg || b.Partial) {
			return tok, r, true
		}
	}
	return "", upstream.Resource{}, false
}

// loadSchemas reads the vendored schema data.
func loadSchemas(t *testing.T) map[string]*upstream.Schema {
	t.Helper()
	all, err := upstream.Load()
	require.NoError(t, err)
	return all
}

// ---- static check of the Go sources -------------------------------------------------------------

type parsedPackage struct {
	structs map[string]*ast.StructType
	consts  map[string][]string // enum type -> declared values
	methods map[string][]string // type -> method names
}

func parseBinding(t *testing.T, dir string) parsedPackage {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		files = append(files, file)
	}
	require.NotEmpty(t, files, dir)
	p := parsedPackage{structs: map[string]*ast.StructType{}, consts: map[string][]string{}, methods: map[string][]string{}}
	for _, file := range files {
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if st, ok := s.Type.(*ast.StructType); ok {
							p.structs[s.Name.Name] = st
						}
					case *ast.ValueSpec:
						if d.Tok != token.CONST || s.Type == nil {
							continue
						}
						typ := types.ExprString(s.Type)
						for _, v := range s.Values {
							if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
								val, err := strconv.Unquote(lit.Value)
								require.NoError(t, err)
								p.consts[typ] = append(p.consts[typ], val)
							}
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil && len(d.Recv.List) == 1 {
					recv := strings.TrimPrefix(types.ExprString(d.Recv.List[0].Type), "*")
					p.methods[recv] = append(p.methods[recv], d.Name.Name)
				}
			}
		}
	}
	return p
}

// tags returns field name -> (pulumi tag, Go type expression) of a struct.
func tags(st *ast.StructType) map[string][2]string {
	out := map[string][2]string{}
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) == 0 {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("pulumi")
		if tag == "" {
			continue
		}
		out[f.Names[0].Name] = [2]string{strings.Split(tag, ",")[0], types.ExprString(f.Type)}
	}
	return out
}

func embeds(st *ast.StructType, name string) bool {
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 && types.ExprString(f.Type) == name {
			return true
		}
	}
	return false
}

func fieldNames(st *ast.StructType) []string {
	var out []string
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			out = append(out, n.Name)
		}
	}
	sort.Strings(out)
	return out
}

// TestBindingsMatchUpstreamSchema checks every tagged struct of every binding: resource args against the
// resource's inputs (names and Go types), resource structs against its outputs, nested plain types
// against the upstream type of the same name, typed enum constants against the upstream enums, and that
// every exported XArgs has a same-named field in its wire struct for each of its fields (else
// registration panics).
func TestBindingsMatchUpstreamSchema(t *testing.T) {
	all := loadSchemas(t)
	for _, b := range upstream.Bindings {
		t.Run(b.Dir, func(t *testing.T) {
			s := all[b.SchemaFile]
			p := parseBinding(t, b.Dir)
			missing := map[string]bool{}
			for _, m := range s.MissingTypes {
				missing[m] = true
			}
			checked := 0
			for name, st := range p.structs {
				fields := tags(st)
				switch {
				case embeds(st, "pulumi.CustomResourceState") || embeds(st, "pulumi.ProviderResourceState"):
					_, res, ok := resourceByGoName(b, s, name)
					require.True(t, ok, "resource %s is not in the upstream schema", name)
					for field, tg := range fields {
						_, ok := res.Outputs[tg[0]]
						require.True(t, ok, "%s.%s: output %q is not upstream", name, field, tg[0])
					}
					checked++
				case len(fields) == 0:
					continue
				case strings.HasSuffix(name, "Args") && name[0] >= 'a' && name[0] <= 'z':
					goName := strings.ToUpper(name[:1]) + strings.TrimSuffix(name[1:], "Args")
					tok, res, ok := resourceByGoName(b, s, goName)
					require.True(t, ok, "%s: no upstream resource %s", name, goName)
					for field, tg := range fields {
						want, ok := res.Inputs[tg[0]]
						require.True(t, ok, "%s (%s) field %s: input %q is not upstream", name, tok, field, tg[0])
						require.Equal(t, want, tg[1], "%s (%s) field %s: Go type differs from upstream", name, tok, field)
					}
					for _, req := range res.Required {
						require.Contains(t, tagValues(fields), req, "%s: required input %q cannot be sent", tok, req)
					}
					checked++
				default:
					key := b.Pkg + "." + name
					if typ, ok := s.Types[key]; ok {
						for field, tg := range fields {
							want, ok := typ.Fields[tg[0]]
							require.True(t, ok, "%s field %s: %q is not a field of upstream %s", name, field, tg[0], key)
							require.Equal(t, want, tg[1], "%s field %s: Go type differs from upstream", name, field)
						}
						for _, req := range typ.Required {
							require.Contains(t, tagValues(fields), req, "%s: required field %q cannot be sent", key, req)
						}
					} else {
						require.True(t, b.Partial && missing[key], "%s: no upstream type %s", name, key)
						// The provider's own schema (and the hints) give the missing type's fields.
						known, required, ok := s.NestedFields(key)
						require.True(t, ok, "%s: nothing is known of upstream type %s", name, key)
						for field, tg := range fields {
							want, ok := known[tg[0]]
							require.True(t, ok, "%s field %s: %q is not a field of %s (provider schema or hints)", name, field, tg[0], key)
							if want == "" {
								t.Logf("partial schema: %s.%s checked by name only", key, tg[0])
								continue
							}
							require.Equal(t, want, strings.TrimPrefix(tg[1], "*"), "%s field %s: Go type differs from the provider schema", name, field)
						}
						for _, req := range required {
							require.Contains(t, tagValues(fields), req, "%s: required field %q cannot be sent", key, req)
						}
					}
					checked++
				}
			}
			require.Positive(t, checked)

			// Exported Args structs must not have fields their wire struct lacks.
			for name, st := range p.structs {
				if !strings.HasSuffix(name, "Args") || name[0] < 'A' || name[0] > 'Z' {
					continue
				}
				base := strings.TrimSuffix(name, "Args")
				wire, ok := p.structs[strings.ToLower(base[:1])+base[1:]+"Args"]
				if !ok {
					wire, ok = p.structs[base]
				}
				require.True(t, ok, "%s has no wire struct", name)
				require.Subset(t, fieldNames(wire), fieldNames(st), "%s fields must all exist in its wire struct", name)
			}

			// Typed enum constants use allowed values.
			for typ, values := range p.consts {
				if upstream.RESTEnumTypes[b.Dir+"."+typ] {
					continue // mirrors an ARM REST body, not an azure-native type (TestRESTBindingsMatchTheSpec)
				}
				allowed, ok := s.Enums[b.Pkg+"."+typ]
				require.True(t, ok, "enum type %s is not an upstream enum", typ)
				for _, v := range values {
					require.Contains(t, allowed, v, "%s value %q is not allowed upstream", typ, v)
				}
			}
		})
	}
}

func tagValues(fields map[string][2]string) []string {
	var out []string
	for _, tg := range fields {
		out = append(out, tg[0])
	}
	return out
}

// TestUnionMembersSetTheirDiscriminator: every union member the datafactory binding declares is in
// UnionMembers, and its discriminator equals the upstream type's.
func TestUnionMembersSetTheirDiscriminator(t *testing.T) {
	s := loadSchemas(t)["azure-native-v2.90.0.json"]
	p := parseBinding(t, "azurenative/datafactory")
	var declared []string
	for typ, methods := range p.methods {
		for _, m := range methods {
			if m == "Discriminator" {
				declared = append(declared, typ)
			}
		}
	}
	var registered []string
	for _, m := range adf.UnionMembers {
		registered = append(registered, reflect.TypeOf(m).Name())
		upstream, ok := s.Types["datafactory."+m.ElementType().Name()]
		require.True(t, ok, "%T: no upstream type %s", m, m.ElementType().Name())
		require.NotNil(t, upstream.Discriminator, "%s is not a union member upstream", m.ElementType().Name())
		require.Equal(t, *upstream.Discriminator, m.Discriminator(), "%T discriminator", m)
	}
	require.ElementsMatch(t, declared, registered, "every type with a Discriminator method is listed in UnionMembers")
}
