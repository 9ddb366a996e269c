// Package source reads the Databricks provider's list of SDKv2 resources from its source, so the
// registry is generated from the provider's own list rather than written by hand.
package source

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"sort"
	"strings"
)

// ResourcesFile is the provider file, relative to its module root, whose functions list the resources.
const ResourcesFile = "internal/providers/sdkv2/resources.go"

// listFuncs are the functions of ResourcesFile whose map literals together are the provider's resources.
var listFuncs = map[string]bool{"WorkspaceResources": true, "AccountResources": true, "DualResources": true}

// Entry is one resource: its Terraform name and the Go expression that builds it.
type Entry struct{ Name, Expr string }

// Resources parses path and returns the entries (sorted by name) and the import specs they use.
func Resources(path string) ([]Entry, []string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	var entries []Entry
	used := map[string]bool{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || !listFuncs[fn.Name.Name] {
			continue
		}
		var perr error
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok || perr != nil {
				return perr == nil
			}
			lit, ok := kv.Key.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				perr = fmt.Errorf("%s: %s: a map key that is not a string literal", path, fset.Position(kv.Pos()))
				return false
			}
			var expr strings.Builder
			if err := printer.Fprint(&expr, fset, kv.Value); err != nil {
				perr = err
				return false
			}
			ast.Inspect(kv.Value, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok {
						used[id.Name] = true
					}
				}
				return true
			})
			entries = append(entries, Entry{Name: strings.Trim(lit.Value, `"`), Expr: expr.String()})
			return false
		})
		if perr != nil {
			return nil, nil, perr
		}
	}
	if len(entries) == 0 {
		return nil, nil, fmt.Errorf("%s: no resources found in %v", path, listFuncs)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	var imports []string
	for _, imp := range f.Imports {
		p := strings.Trim(imp.Path.Value, `"`)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if used[name] && !strings.Contains(p, "/internal/") && !strings.HasSuffix(p, "helper/schema") {
			spec := imp.Path.Value
			if imp.Name != nil {
				spec = imp.Name.Name + " " + spec
			}
			imports = append(imports, spec)
		}
	}
	return entries, imports, nil
}
