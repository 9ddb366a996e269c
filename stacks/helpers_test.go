package stacks_test

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/naming"
	"github.com/customer-analytics/platform/offline"
)

// stacksUnderTest are the committed stacks; every platform test runs over both.
var stacksUnderTest = []string{"dev", "prod"}

// runStack runs the real program for a committed stack file under recording mocks.
func runStack(t *testing.T, stack string) *offline.Result {
	t.Helper()
	res, err := offline.RunStack(".", stack, "")
	require.NoError(t, err, "stack %s must deploy under mocks", stack)
	return res
}

// projectRoot is the repository root.
func projectRoot(t *testing.T) string {
	t.Helper()
	root, err := offline.ProjectDir(".")
	require.NoError(t, err)
	return root
}

// stackConfig reads a committed stack file, for tests that alter one value.
func stackConfig(t *testing.T, stack string) offline.StackConfig {
	t.Helper()
	root, err := offline.ProjectDir(".")
	require.NoError(t, err)
	cfg, err := offline.ReadStackFile(root + "/Pulumi." + stack + ".yaml")
	require.NoError(t, err)
	return cfg
}

// names are the Azure names the program derives for a stack under the mocks' subscription.
func names(t *testing.T, stack string) naming.Namer {
	t.Helper()
	n, err := naming.New("ca", stack, "westeurope", mocks.SubscriptionID)
	require.NoError(t, err)
	return n
}

// one returns the single resource with the given type and logical name.
func one(t *testing.T, res *offline.Result, typ, name string) mocks.Resource {
	t.Helper()
	var found []mocks.Resource
	for _, r := range res.Recorder.Resources() {
		if r.Type == typ && r.Name == name {
			found = append(found, r)
		}
	}
	require.Len(t, found, 1, "want exactly one %s named %s", typ, name)
	return found[0]
}

// ofType returns every resource of a type.
func ofType(res *offline.Result, typ string) []mocks.Resource {
	var out []mocks.Resource
	for _, r := range res.Recorder.Resources() {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// rgID is the ARM id of the stack's resource group under the mocks' subscription.
func rgID(stack string) string {
	return "/subscriptions/" + mocks.SubscriptionID + "/resourceGroups/rg-ca-" + stack + "-weu"
}

// jsonShape lists the object field paths of a config value (scalars and arrays are leaves), so two
// stacks can be compared on structure rather than values.
func jsonShape(t *testing.T, raw string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return []string{"scalar"}
	}
	var paths []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			paths = append(paths, prefix)
			return
		}
		for k, e := range m {
			walk(prefix+"."+k, e)
		}
	}
	walk("", v)
	sort.Strings(paths)
	return paths
}
