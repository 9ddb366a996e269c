package workspacefiles

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, rel)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
}

func TestLoadReadsNotebooksAndLibrary(t *testing.T) {
	root := t.TempDir()
	write(t, root, "silver_to_gold.py", NotebookHeader+"\n# COMMAND ----------\n")
	write(t, root, "bronze_to_silver.py", NotebookHeader+"\n")
	write(t, root, "README.md", "not deployed")
	write(t, root, "analytics_pipeline/__init__.py", "")
	write(t, root, "analytics_pipeline/gold_contract.json", "{}")
	write(t, root, "analytics_pipeline/sub/x.py", "x = 1")
	write(t, root, "analytics_pipeline/__pycache__/x.cpython-311.pyc", "bytes")
	write(t, root, "tests/test_x.py", "not deployed")

	notebooks, library, err := Load(root)
	require.NoError(t, err)
	var nbNames, libNames []string
	for _, n := range notebooks {
		nbNames = append(nbNames, n.Name)
	}
	for _, l := range library {
		libNames = append(libNames, l.Name)
	}
	require.Equal(t, []string{"bronze_to_silver", "silver_to_gold"}, nbNames)
	require.Equal(t, []string{"analytics_pipeline/__init__.py", "analytics_pipeline/gold_contract.json", "analytics_pipeline/sub/x.py"}, libNames)
	require.Equal(t, "x = 1", string(library[2].Content))
}

func TestLoadRejectsNonNotebooksAndEmptyFolders(t *testing.T) {
	root := t.TempDir()
	write(t, root, "helper.py", "print('not a notebook')")
	_, _, err := Load(root)
	require.ErrorContains(t, err, "does not start with")

	_, _, err = Load(t.TempDir())
	require.ErrorContains(t, err, "no notebooks")

	_, _, err = Load(filepath.Join(root, "missing"))
	require.ErrorContains(t, err, "reading notebooks")
}
