// Package layout_test holds the repository's layout rule: internal/ is support code below the program, so
// nothing under it — tests included — imports the components, the stacks or the offline runner (which
// runs a stack). A dependency that points up belongs beside what it needs.
package layout_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/customer-analytics/platform/"

// above are the packages internal/ must never import.
var above = []string{"components", "stacks", "offline", "cmd"}

// offenders walks root and lists every Go file's import of a package above internal/; files counts the
// Go files read.
func offenders(t *testing.T, root string) (found []string, files int) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
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
					found = append(found, path+" imports "+p)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	return found, files
}

func TestInternalImportsNothingAboveIt(t *testing.T) {
	found, files := offenders(t, "..")
	require.Greater(t, files, 50, "walked internal/")
	require.Empty(t, found)
}

// The rule must be able to fail: a test file that imports the offline runner, and one importing a
// stacks sub-package, are caught; an internal import is not.
func TestTheRuleCatchesAnUpwardImport(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a_test.go": "package a_test\nimport _ \"" + module + "offline\"\n",
		"b.go":      "package b\nimport _ \"" + module + "stacks/sub\"\n",
		"c.go":      "package c\nimport _ \"" + module + "internal/mocks\"\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600))
	}
	found, files := offenders(t, dir)
	require.Equal(t, 3, files)
	require.ElementsMatch(t, []string{
		filepath.Join(dir, "a_test.go") + " imports " + module + "offline",
		filepath.Join(dir, "b.go") + " imports " + module + "stacks/sub",
	}, found)
}
