package bindings_test

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	adf "github.com/customer-analytics/platform/internal/bindings/azurenative/datafactory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/offline"
)

// ---- schema data --------------------------------------------------------------------------------

type schemaResource struct {
	Package   string            `json:"package"`
	GoName    string            `json:"goName"`
	Inputs    map[string]string `json:"inputs"`
	Required  []string          `json:"required"`
	Defaults  map[string]any    `json:"defaults"`
	Constants map[string]any    `json:"constants"`
	Outputs   map[string]string `json:"outputs"`
}

type schemaType struct {
	Fields             map[string]string `json:"fields"`
	Required           []string          `json:"required"`
	Discriminator      *string           `json:"discriminator"`
	DiscriminatorField *string           `json:"discriminatorField"`
}

type schemaHint struct {
	RenamedFieldsOnly []string `json:"renamedFieldsOnly"`
}

type schema struct {
	Resources        map[string]schemaResource `json:"resources"`
	Types            map[string]schemaType     `json:"types"`
	Enums            map[string][]string       `json:"enums"`
	MissingTypes     []string                  `json:"missing_types"`
	MissingTypeHints map[string]schemaHint     `json:"missing_type_hints"`
}

var (
	schemaOnce sync.Once
	schemas    map[string]*schema
	schemaErr  error
)

// schemaHashes pins the vendored copies (see testdata/README.md).
var schemaHashes = map[string]string{
	"azure-native-v2.90.0.json": "7e49c3c3f3d5a5a29448991cb7017beb649b29fe2f85daf178d73e271f946822",
	"databricks-v1.106.0.json":  "4d8da170042c0b93a3aa7154517b0e04d4ad3a289f932cff86b45093e00f7af9",
}

func loadSchemas(t *testing.T) map[string]*schema {
	t.Helper()
	schemaOnce.Do(func() {
		schemas = map[string]*schema{}
		for name, want := range schemaHashes {
			f, err := os.Open(filepath.Join("testdata", name+".gz"))
			if err != nil {
				schemaErr = err
				return
			}
			zr, err := gzip.NewReader(f)
			if err != nil {
				schemaErr = err
				return
			}
			raw, err := io.ReadAll(zr)
			_ = f.Close()
			if err != nil {
				schemaErr = err
				return
			}
			sum := sha256.Sum256(raw)
			if got := hex.EncodeToString(sum[:]); got != want {
				schemaErr = fmt.Errorf("%s: sha256 %s, want %s", name, got, want)
				return
			}
			var s schema
			if err := json.Unmarshal(raw, &s); err != nil {
				schemaErr = err
				return
			}
			schemas[name] = &s
		}
	})
	require.NoError(t, schemaErr)
	return schemas
}

// binding is one hand-written package and the upstream schema it mirrors.
type binding struct {
	dir        string // relative to this package
	schemaFile string
	pkg        string // upstream Go package name, the prefix of schema type keys
	partial    bool   // the schema data lacks some nested types
}

var bindingPackages = []binding{
	{"azurenative/datafactory", "azure-native-v2.90.0.json", "datafactory", false},
	{"azurenative/synapse", "azure-native-v2.90.0.json", "synapse", false},
	{"azurenative/databricks", "azure-native-v2.90.0.json", "databricks", false},
	// The Databricks provider's schema snapshot lacks its pulumiTypes*.go files: nested types such as
	// ClusterAutoscale are listed in missing_types and only their multi-word field names are recoverable
	// (missing_type_hints). Those fields are checked by name only; their Go types cannot be checked.
	{"databricks", "databricks-v1.106.0.json", "databricks", true},
}

func (b binding) resourceByGoName(s *schema, goName string) (string, schemaResource, bool) {
	for tok, r := range s.Resources {
		if r.GoName == goName && (r.Package == b.pkg || b.partial) {
			return tok, r, true
		}
	}
	return "", schemaResource{}, false
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
	for _, b := range bindingPackages {
		t.Run(b.dir, func(t *testing.T) {
			s := all[b.schemaFile]
			p := parseBinding(t, b.dir)
			missing := map[string]bool{}
			for _, m := range s.MissingTypes {
				missing[m] = true
			}
			checked := 0
			for name, st := range p.structs {
				fields := tags(st)
				switch {
				case embeds(st, "pulumi.CustomResourceState") || embeds(st, "pulumi.ProviderResourceState"):
					_, res, ok := b.resourceByGoName(s, name)
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
					tok, res, ok := b.resourceByGoName(s, goName)
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
					key := b.pkg + "." + name
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
						require.True(t, b.partial && missing[key], "%s: no upstream type %s", name, key)
						hint := s.MissingTypeHints[key]
						for field, tg := range fields {
							require.Contains(t, hint.RenamedFieldsOnly, tg[0],
								"%s field %s: %q not in the partial schema's field names for %s", name, field, tg[0], key)
						}
						t.Logf("partial schema: %s checked by field name only (%v); Go types unverifiable", key, tagValues(fields))
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
				if restEnumTypes[b.dir+"."+typ] {
					continue // mirrors an ARM REST body, not an azure-native type (TestRESTBindingsMatchTheSpec)
				}
				allowed, ok := s.Enums[b.pkg+"."+typ]
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

// ---- dynamic check of what the platform sends ----------------------------------------------------

// TestRecordedInputsMatchUpstreamSchema runs both stacks under mocks and checks every input the bindings
// actually sent: known properties only, required inputs present, the official constructors' defaults
// applied, union members matched by their discriminator, enum values allowed, plugin versions pinned.
func TestRecordedInputsMatchUpstreamSchema(t *testing.T) {
	all := loadSchemas(t)
	byToken := map[string]struct {
		s   *schema
		pkg string
		ver string
	}{}
	for _, b := range bindingPackages {
		ver := "2.90.0"
		if b.partial {
			ver = "1.106.0"
		}
		for tok, r := range all[b.schemaFile].Resources {
			if r.Package == b.pkg || b.partial {
				byToken[tok] = struct {
					s   *schema
					pkg string
					ver string
				}{all[b.schemaFile], b.pkg, ver}
			}
		}
	}
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			res, err := offline.RunStack(".", stack, "")
			require.NoError(t, err)
			seen := map[string]bool{}
			for _, r := range res.Recorder.Resources() {
				entry, ok := byToken[r.Type]
				if !ok {
					continue
				}
				seen[r.Type] = true
				require.Equal(t, entry.ver, r.Version, "%s: plugin version", r.URN)
				schemaRes := entry.s.Resources[r.Type]
				in := mocks.PlainMap(r.Inputs, false)
				for key, v := range in {
					goType, ok := schemaRes.Inputs[key]
					require.True(t, ok, "%s: input %q is not upstream", r.URN, key)
					checkValue(t, entry.s, entry.pkg, r.URN+"."+key, goType, v)
				}
				for _, req := range schemaRes.Required {
					require.Contains(t, in, req, "%s: required input %q missing", r.URN, req)
				}
				for key, want := range schemaRes.Defaults {
					require.Contains(t, in, key, "%s: the official constructor would default %q to %v", r.URN, key, want)
				}
				for key, want := range schemaRes.Constants {
					require.Equal(t, want, in[key], "%s: constant %q", r.URN, key)
				}
				if strings.HasPrefix(r.Type, "databricks:") {
					require.Contains(t, r.Provider, "pulumi:providers:databricks", "%s uses the explicit workspace provider", r.URN)
				}
			}
			for _, tok := range []string{
				"azure-native:databricks:Workspace", "azure-native:datafactory:Factory", "azure-native:datafactory:Pipeline",
				"azure-native:datafactory:LinkedService", "azure-native:datafactory:Dataset", "azure-native:datafactory:Trigger",
				"azure-native:synapse:Workspace", "azure-native:synapse:BigDataPool", "azure-native:synapse:WorkspaceAadAdmin",
				"pulumi:providers:databricks", "databricks:index/cluster:Cluster", "databricks:index/clusterPolicy:ClusterPolicy",
				"databricks:index/secretScope:SecretScope", "databricks:index/notebook:Notebook", "databricks:index/directory:Directory",
				"databricks:index/permissions:Permissions", "databricks:index/workspaceFile:WorkspaceFile", "databricks:index/group:Group",
			} {
				require.True(t, seen[tok], "stack %s registers %s (so its inputs were checked)", stack, tok)
			}
			if stack == "prod" {
				require.True(t, seen["azure-native:datafactory:IntegrationRuntime"] && seen["azure-native:datafactory:ManagedPrivateEndpoint"])
			} else {
				require.True(t, seen["azure-native:synapse:IpFirewallRule"])
			}
		})
	}
}

// checkValue checks a sent value against an upstream Go type string.
func checkValue(t *testing.T, s *schema, pkg, path, goType string, v any) {
	t.Helper()
	goType = strings.TrimPrefix(goType, "*")
	switch {
	case v == nil:
		return
	case strings.HasPrefix(goType, "[]"):
		arr, ok := v.([]any)
		require.True(t, ok, "%s: want a list (%s), got %T", path, goType, v)
		for i, e := range arr {
			checkValue(t, s, pkg, fmt.Sprintf("%s[%d]", path, i), goType[2:], e)
		}
	case strings.HasPrefix(goType, "map[string]"):
		m, ok := v.(map[string]any)
		require.True(t, ok, "%s: want a map (%s), got %T", path, goType, v)
		for k, e := range m {
			checkValue(t, s, pkg, path+"."+k, goType[len("map[string]"):], e)
		}
	case goType == "interface{}":
		m, ok := v.(map[string]any)
		if !ok {
			return // literal or expression string
		}
		disc, ok := m["type"].(string)
		if !ok || disc == "Expression" {
			return // an expression object ({value, type: Expression}) or free-form JSON
		}
		name := unionMember(s, pkg, disc, m)
		require.NotEmpty(t, name, "%s: no upstream union member with type %q and fields %v", path, disc, keys(m))
		checkObject(t, s, pkg, path, name, m)
	case goType == "string":
		_, ok := v.(string)
		require.True(t, ok, "%s: want a string, got %T", path, v)
	case goType == "int" || goType == "float64":
		_, ok := v.(float64)
		require.True(t, ok, "%s: want a number, got %T", path, v)
	case goType == "bool":
		_, ok := v.(bool)
		require.True(t, ok, "%s: want a bool, got %T", path, v)
	default:
		if allowed, ok := s.Enums[pkg+"."+goType]; ok {
			require.Contains(t, allowed, v, "%s: enum %s", path, goType)
			return
		}
		checkObject(t, s, pkg, path, pkg+"."+goType, v)
	}
}

func checkObject(t *testing.T, s *schema, pkg, path, key string, v any) {
	t.Helper()
	m, ok := v.(map[string]any)
	require.True(t, ok, "%s: want an object %s, got %T", path, key, v)
	typ, ok := s.Types[key]
	if !ok {
		hint, isHinted := s.MissingTypeHints[key]
		require.True(t, isHinted, "%s: upstream type %s is unknown", path, key)
		for k := range m {
			require.Contains(t, hint.RenamedFieldsOnly, k, "%s: field %q of partially known %s", path, k, key)
		}
		return
	}
	for k, e := range m {
		goType, ok := typ.Fields[k]
		require.True(t, ok, "%s: %q is not a field of %s", path, k, key)
		checkValue(t, s, pkg, path+"."+k, goType, e)
	}
	for _, req := range typ.Required {
		require.Contains(t, m, req, "%s: required field %q of %s", path, req, key)
	}
	if typ.Discriminator != nil {
		require.Equal(t, *typ.Discriminator, m["type"], "%s: discriminator of %s", path, key)
	}
}

// unionMember finds the upstream type with this discriminator whose fields cover the object's keys.
func unionMember(s *schema, pkg, disc string, m map[string]any) string {
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

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
