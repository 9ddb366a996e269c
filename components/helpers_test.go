package components

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/naming"
)

// runMocked runs body as a program under recording mocks and returns what it recorded and its error.
func runMocked(t *testing.T, body pulumi.RunFunc) (*mocks.Recorder, error) {
	t.Helper()
	rec := mocks.New("customer-analytics", "test")
	err := pulumi.RunErr(body, rec.Option())
	return rec, err
}

func testFoundation(t *testing.T) Foundation {
	t.Helper()
	n, err := naming.New("ca", "test", "westeurope", mocks.SubscriptionID)
	require.NoError(t, err)
	return Foundation{
		ResourceGroupName: pulumi.String("rg-ca-test-weu"),
		ResourceGroupID:   pulumi.String("/subscriptions/" + mocks.SubscriptionID + "/resourceGroups/rg-ca-test-weu"),
		Location:          "westeurope",
		Names:             n,
		Tags:              map[string]string{"Environment": "test"},
		SubscriptionID:    mocks.SubscriptionID,
		TenantID:          mocks.TenantID,
	}
}

// types lists the type tokens recorded, in order.
func types(rec *mocks.Recorder) []string {
	var out []string
	for _, r := range rec.Resources() {
		out = append(out, r.Type)
	}
	return out
}
