package check

import (
	"context"
	"testing"

	"github.com/databricks/databricks-sdk-go/service/iam"
	"github.com/databricks/terraform-provider-databricks/common"
	"github.com/hashicorp/go-cty/cty"
	"github.com/stretchr/testify/require"

	_ "github.com/customer-analytics/platform/tools/tfvalidate/internal/quiet"
)

// The configured provider never reaches a workspace: any API call a check makes fails with ErrOffline.
func TestConfiguredProviderRefusesAPICalls(t *testing.T) {
	ctx := context.Background()
	p := New()
	cfg := map[string]cty.Value{}
	for name, at := range p.ConfigType().AttributeTypes() {
		cfg[name] = cty.NullVal(at)
	}
	cfg["host"] = cty.StringVal("https://adb-1000000000902766.11.azuredatabricks.net")
	require.NoError(t, p.Configure(ctx, cty.ObjectVal(cfg)))

	c, ok := p.p.Meta().(*common.DatabricksClient)
	require.True(t, ok)
	require.Equal(t, "https://adb-1000000000902766.11.azuredatabricks.net", c.Config.Host)
	w, err := c.WorkspaceClient()
	if err == nil {
		_, err = w.CurrentUser.Me(ctx, iam.MeRequest{})
	}
	require.ErrorIs(t, err, ErrOffline)
}
