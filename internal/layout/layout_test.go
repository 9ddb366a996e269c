// Package layout_test holds the repository's layout rule: internal/ is support code below the program, so
// nothing under it — tests included — imports the components, the stacks or the offline runner (which
// runs a stack). A dependency that points up belongs beside what it needs.
package layout_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/customer-analytics/platform/"

// above are the packages internal/ must never import.
var above = []string{"components", "stacks", "offline", "cmd"}

func TestInternalImportsNothingAboveIt(t *testing.T) {
	files := 0
	var offenders []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		files++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, a := range above {
				if p == module+a || strings.HasPrefix(p, module+a+"/") {
					offenders = append(offenders, path+" imports "+p)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 50, "walked internal/")
	require.Empty(t, offenders)
}

// The rule must be able to fail: a file that imports the stacks is caught.
func TestTheRuleCatchesAnUpwardImport(t *testing.T) {
	src := "package x\nimport _ \"" + module + "stacks\"\n"
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ImportsOnly)
	require.NoError(t, err)
	p, _ := strconv.Unquote(f.Imports[0].Path.Value)
	require.True(t, strings.HasPrefix(p, module+"stacks"))
}
