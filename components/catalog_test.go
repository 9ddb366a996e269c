package components

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/goldcontract"
)

func TestCatalogValidatesArgs(t *testing.T) {
	base := func() CatalogArgs {
		return CatalogArgs{Name: "ca_test", StorageAccountName: pulumi.String("st"), AccessConnectorID: pulumi.String("/x"),
			Compute: &Compute{}, EngineersGroup: "e", AnalystsGroup: "a", Pipeline: pulumi.String("app"),
			Gold: goldcontract.Contract{Tables: []goldcontract.Table{{Name: "t", Columns: []goldcontract.Column{{Name: "c", Type: "int"}}}}}}
	}
	for want, mutate := range map[string]func(a *CatalogArgs){
		"required inputs not set: AccessConnectorID": func(a *CatalogArgs) { a.AccessConnectorID = nil },
		"required inputs not set: Compute":           func(a *CatalogArgs) { a.Compute = nil },
		"Name is required":                           func(a *CatalogArgs) { a.Name = "" },
		"both group names are required":              func(a *CatalogArgs) { a.AnalystsGroup = "" },
		"the gold contract has no tables":            func(a *CatalogArgs) { a.Gold.Tables = nil },
	} {
		t.Run(want, func(t *testing.T) {
			args := base()
			mutate(&args)
			rec, err := runMocked(t, func(ctx *pulumi.Context) error {
				_, err := NewCatalog(ctx, "catalog", &args)
				return err
			})
			require.ErrorContains(t, err, want)
			require.Empty(t, types(rec))
		})
	}
}

// The grant model gives analysts read access to the gold tables and the USE privileges that reach them,
// nothing else; the pipeline identity no privilege that creates or manages securables.
func TestCatalogGrantsModel(t *testing.T) {
	g := CatalogGrants("eng", "ana", "adf", []string{"t1", "t2"})
	analysts := map[string][]Privilege{}
	for securable, access := range g {
		if p, ok := access["ana"]; ok {
			analysts[securable] = p
		}
		for _, p := range access["adf"] {
			require.NotContains(t, []Privilege{PrivCreateTable, PrivCreateExternalTable}, p, securable)
		}
	}
	require.Equal(t, map[string][]Privilege{
		"catalog": {PrivUseCatalog}, "schema/gold": {PrivUseSchema}, "table/t1": {PrivSelect}, "table/t2": {PrivSelect},
	}, analysts)
	require.Equal(t, []Privilege{PrivReadFiles}, g["location/bronze"]["adf"], "the pipeline only reads bronze")
	require.NotContains(t, g["location/gold"], "adf", "gold is written through its tables, not as files")
}
