package goldcontract_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/goldcontract"
)

func TestLoadTheCommittedContract(t *testing.T) {
	c, err := goldcontract.Load(filepath.Join("..", "..", "notebooks", "analytics_pipeline", "gold_contract.json"))
	require.NoError(t, err)
	var names []string
	for _, tbl := range c.Tables {
		names = append(names, tbl.Name)
		require.NotEmpty(t, tbl.Columns, tbl.Name)
	}
	require.Equal(t, []string{"customer_segmentation", "daily_sales_summary", "product_category_performance", "store_performance"}, names, "sorted by name")
	require.Equal(t, "1", c.TableProperties["delta.minReaderVersion"])
	require.Equal(t, "false", c.TableProperties["delta.enableDeletionVectors"])
	require.Equal(t, goldcontract.Column{Name: "transaction_date", Type: "date", Nullable: false,
		Description: "Calendar date of the transactions (UTC)."}, c.Tables[1].Columns[0])
}

func TestParseRejectsBadContracts(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"not json":        {`{`, "gold contract"},
		"no tables":       {`{"tables":{}}`, "no tables"},
		"no columns":      {`{"tables":{"t":{"columns":[]}}}`, "table t has no columns"},
		"column w/o type": {`{"tables":{"t":{"columns":[{"name":"a"}]}}}`, "without name or type"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := goldcontract.Parse([]byte(tc.doc))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
