package firstrun

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// repoRoot is the repository root: this package sits two levels below it.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// writeFake writes an executable script NAME into dir.
func writeFake(t *testing.T, dir, name, body string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755))
}

// basePath is a directory holding only the system tools the scripts use (bash and a few
// coreutils), linked from this machine, so a PATH of it plus a fakes directory hides the real
// go, python3, java and make.
func basePath(t *testing.T, tools ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range append([]string{"bash", "env", "sed", "uname", "cut", "cat", "rm", "mktemp", "sleep"}, tools...) {
		real, err := exec.LookPath(tool)
		require.NoError(t, err, "the test needs %s on PATH", tool)
		require.NoError(t, os.Symlink(real, filepath.Join(dir, tool)))
	}
	return dir
}

type scriptRun struct {
	code           int
	stdout, stderr string
}

// runScript runs scripts/NAME with exactly env (nothing inherited) and args.
func runScript(t *testing.T, env []string, name string, args ...string) scriptRun {
	t.Helper()
	cmd := exec.Command(filepath.Join(repoRoot(t), "scripts", name), args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return scriptRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}
