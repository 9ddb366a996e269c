package registry

import (
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/tools/tfvalidate/internal/bridge"
	_ "github.com/customer-analytics/platform/tools/tfvalidate/internal/quiet"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/registry/source"
)

// resources_gen.go must be what ./gen writes from the provider version go.mod pins.
func TestGeneratedListMatchesProviderSource(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", "github.com/databricks/terraform-provider-databricks").Output()
	require.NoError(t, err)
	dir, version, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	require.Equal(t, ProviderVersion, version, "go.mod moved the provider: run go generate ./internal/registry")
	entries, _, err := source.Resources(filepath.Join(dir, source.ResourcesFile))
	require.NoError(t, err)
	want := make([]string, len(entries))
	for i, e := range entries {
		want[i] = e.Name
	}
	got := make([]string, 0, len(generated))
	for n := range generated {
		got = append(got, n)
	}
	sort.Strings(got)
	require.Equal(t, want, got)
}

// Every resource token the bridge serves from the SDKv2 provider is one this tool can build, so no
// token in the metadata falls through; the plugin-framework ones are rejected explicitly.
func TestEverySDKv2BridgeTokenIsServed(t *testing.T) {
	meta, err := bridge.Load()
	require.NoError(t, err)
	p := Provider()
	var missing []string
	sdkv2, framework := 0, 0
	for token := range meta.Tokens {
		tfName, served, err := meta.Resource(token)
		require.NoError(t, err)
		if served != bridge.SDKv2 {
			framework++
			continue
		}
		sdkv2++
		if _, ok := p.ResourcesMap[tfName]; !ok {
			missing = append(missing, tfName)
		}
	}
	require.Empty(t, missing)
	require.Equal(t, 102, sdkv2)
	require.Equal(t, 69, framework)
}
