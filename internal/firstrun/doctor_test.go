package firstrun

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Fake toolchains, each printing its version the way the real one does.
func fakeGo(version string) string {
	return "#!/bin/sh\necho 'go version go" + version + " linux/amd64'\n"
}

// fakePython answers the doctor's version probe; FAKE_NO_VENV makes `import ensurepip, venv` fail
// as it does on a Debian python3 without python3-venv.
func fakePython(version string) string {
	return "#!/bin/sh\ncase \"$*\" in\n*ensurepip*) [ -z \"$FAKE_NO_VENV\" ] ;;\n*) echo " + version + " ;;\nesac\n"
}

func fakeJava(firstLine string) string {
	return "#!/bin/sh\necho '" + firstLine + "' >&2\necho 'OpenJDK Runtime Environment' >&2\n"
}

func fakeMake(version string) string {
	return "#!/bin/sh\necho 'GNU Make " + version + "'\necho 'Built for x86_64-pc-linux-gnu'\n"
}

// goodToolchain is what the README asks for.
func goodToolchain() map[string]string {
	return map[string]string{
		"go":      fakeGo("1.26.8"),
		"python3": fakePython("3.11.7"),
		"java":    fakeJava(`openjdk version "17.0.15" 2025-04-15`),
		"make":    fakeMake("4.3"),
	}
}

// runDoctor runs scripts/doctor.sh with only the given fakes (name -> script; "" leaves it out)
// and the base tools on PATH.
func runDoctor(t *testing.T, fakes map[string]string, env ...string) scriptRun {
	t.Helper()
	dir := t.TempDir()
	for name, body := range fakes {
		if body != "" {
			writeFake(t, dir, name, body)
		}
	}
	return runScript(t, append([]string{"PATH=" + dir + ":" + basePath(t)}, env...), "doctor.sh")
}

func TestDoctorAcceptsTheREADMEToolchain(t *testing.T) {
	r := runDoctor(t, goodToolchain())
	require.Equal(t, 0, r.code, r.stderr)
	require.Empty(t, r.stderr)
	require.Equal(t, []string{
		"doctor: go     1.26.8     ok (need 1.26+)",
		"doctor: python 3.11.7     ok (need 3.11)",
		"doctor: java   17.0.15    ok (need 17+)",
		"doctor: make   4.3        ok (need 3.82+)",
	}, strings.Split(strings.TrimSpace(r.stdout), "\n"))
}

func TestDoctorNamesWhatIsMissingOrTooOld(t *testing.T) {
	cases := []struct {
		name    string
		replace map[string]string // fakes changed from the good toolchain ("" removes it)
		env     []string
		tool    string // the one reported, as the doctor labels it
		problem string // what it says about it
		install string // the start of the hint's last choice
	}{
		{"go missing", map[string]string{"go": ""}, nil,
			"go", "not found on PATH: the Pulumi program and the offline plan need Go 1.26 or newer", "https://go.dev/dl/"},
		{"go too old", map[string]string{"go": fakeGo("1.25.3")}, nil,
			"go", "found Go 1.25.3, too old: need Go 1.26 or newer (go.mod)", "https://go.dev/dl/"},
		{"go 1.9 is older than 1.26, not newer", map[string]string{"go": fakeGo("1.9")}, nil,
			"go", "found Go 1.9, too old", "https://go.dev/dl/"},
		{"python missing", map[string]string{"python3": ""}, nil,
			"python", "python3 not found on PATH: the notebooks' tests and `make demo` need Python 3.11", "https://www.python.org/downloads/"},
		{"python too old", map[string]string{"python3": fakePython("3.9.18")}, nil,
			"python", "found Python 3.9.18 (python3), too old: need Python 3.11", "https://www.python.org/downloads/"},
		{"python newer than the cluster's", map[string]string{"python3": fakePython("3.12.1")}, nil,
			"python", "found Python 3.12.1 (python3), not the cluster's version: need Python 3.11", "https://www.python.org/downloads/"},
		{"python without venv", nil, []string{"FAKE_NO_VENV=1"},
			"python", "found Python 3.11.7 (python3) without the venv module, which .venv needs", "https://www.python.org/downloads/"},
		{"PYTHON names a missing interpreter", nil, []string{"PYTHON=python3.11"},
			"python", "python3.11 not found on PATH", "https://www.python.org/downloads/"},
		{"java missing", map[string]string{"java": ""}, nil,
			"java", "not found on PATH: PySpark (the notebooks' tests, `make demo`) needs a JDK 17", "https://adoptium.net/"},
		{"java 8 (1.8) too old", map[string]string{"java": fakeJava(`java version "1.8.0_392"`)}, nil,
			"java", `found Java 1.8.0_392 (java), too old: need a JDK 17`, "https://adoptium.net/"},
		{"java 11 too old", map[string]string{"java": fakeJava(`openjdk version "11.0.21" 2023-10-17`)}, nil,
			"java", `found Java 11.0.21 (java), too old: need a JDK 17`, "https://adoptium.net/"},
		{"JAVA_HOME without a java", nil, []string{"JAVA_HOME=/nonexistent/jdk"},
			"java", "JAVA_HOME=/nonexistent/jdk has no bin/java", "https://adoptium.net/"},
		{"make missing", map[string]string{"make": ""}, nil,
			"make", "make not found on PATH: every command in the README runs through GNU make 3.82 or newer", "https://www.gnu.org/software/make/"},
		{"make too old (macOS ships 3.81)", map[string]string{"make": fakeMake("3.81")}, nil,
			"make", "found GNU make 3.81 (make), too old: need 3.82 or newer", "https://www.gnu.org/software/make/"},
		{"the make running the doctor is too old", nil, []string{"MAKE_VERSION=3.81"},
			"make", "found GNU make 3.81 (the make running this), too old", "https://www.gnu.org/software/make/"},
		{"make is not GNU make", map[string]string{"make": "#!/bin/sh\necho 'bmake 20240711'\n"}, nil,
			"make", "make is not GNU make", "https://www.gnu.org/software/make/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fakes := goodToolchain()
			for name, body := range tc.replace {
				fakes[name] = body
			}
			r := runDoctor(t, fakes, tc.env...)
			require.Equal(t, 1, r.code, r.stdout+r.stderr)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			require.Len(t, lines, 3, r.stderr)
			require.True(t, strings.HasPrefix(lines[0], "doctor: "+tc.tool+" "), lines[0])
			require.Contains(t, lines[0], tc.problem)
			require.Regexp(t, `^doctor: +install: .*`+regexp.QuoteMeta(tc.install), lines[1])
			require.Equal(t, "doctor: 1 prerequisite(s) missing or too old; see above (README: Quick start)", lines[2])
			// The three others are still checked and reported as fine.
			require.Len(t, strings.Split(strings.TrimSpace(r.stdout), "\n"), 3, r.stdout)
			require.NotContains(t, r.stdout, "doctor: "+tc.tool+" ")
		})
	}
}

func TestDoctorReportsEveryProblemAtOnce(t *testing.T) {
	r := runDoctor(t, map[string]string{"go": fakeGo("1.21.0"), "python3": "", "java": "", "make": fakeMake("4.4.1")})
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "doctor: go     found Go 1.21.0, too old")
	require.Contains(t, r.stderr, "doctor: python python3 not found on PATH")
	require.Contains(t, r.stderr, "doctor: java   not found on PATH")
	require.Contains(t, r.stderr, "doctor: 3 prerequisite(s) missing or too old")
	require.Equal(t, "doctor: make   4.4.1      ok (need 3.82+)\n", r.stdout)
}

func TestDoctorQuietChecksOnlyWhatItIsAsked(t *testing.T) {
	// `make plan` runs `doctor.sh -q go`: silent when Go is fine, whatever else is missing.
	r := runDoctor(t, map[string]string{"go": fakeGo("1.26.8")})
	require.Equal(t, 1, r.code) // the full check still fails without python, java and make
	r = runScript(t, []string{"PATH=" + fakeDir(t, "go", fakeGo("1.26.8")) + ":" + basePath(t)}, "doctor.sh", "-q", "go")
	require.Equal(t, scriptRun{code: 0}, r)
	r = runScript(t, []string{"PATH=" + fakeDir(t, "go", fakeGo("1.22.1")) + ":" + basePath(t)}, "doctor.sh", "-q", "go")
	require.Equal(t, 1, r.code)
	require.Empty(t, r.stdout)
	require.Contains(t, r.stderr, "found Go 1.22.1, too old")
}

func fakeDir(t *testing.T, name, body string) string {
	t.Helper()
	dir := t.TempDir()
	writeFake(t, dir, name, body)
	return dir
}

// The doctor checks exactly the versions the README's quick start tells a newcomer to install.
func TestDoctorMinimumsAreTheREADMEs(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	require.NoError(t, err)
	stated := regexp.MustCompile("You need Go ([0-9.]+)\\+, Python ([0-9.]+), a JDK ([0-9]+) and `make`").FindStringSubmatch(string(readme))
	require.NotNil(t, stated, "README quick start: the prerequisites sentence moved or changed")

	script, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "doctor.sh"))
	require.NoError(t, err)
	constant := func(name string) string {
		m := regexp.MustCompile(`(?m)^` + name + `=(\S+)$`).FindStringSubmatch(string(script))
		require.NotNil(t, m, name)
		return m[1]
	}
	require.Equal(t, stated[1:], []string{constant("GO_MIN"), constant("PYTHON_WANT"), constant("JAVA_MIN")})
}
