package components

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func newTestObservability(ctx *pulumi.Context, t *testing.T) (*Observability, error) {
	return NewObservability(ctx, "obs", &ObservabilityArgs{Foundation: testFoundation(t), LogRetentionDays: 30,
		AlertEmails: []string{"ops@example.com"}, BudgetAmount: 100, BudgetStartDate: "2026-12-01"})
}

func TestAddOperationsValidatesArgs(t *testing.T) {
	good := OperationsArgs{StorageAccountID: pulumi.String("/sa"), CostBaseline: 100}
	cases := map[string]func(a *OperationsArgs){
		"the storage account id is required": func(a *OperationsArgs) { a.StorageAccountID = nil },
		"the cost baseline must be positive": func(a *OperationsArgs) { a.CostBaseline = 0 },
	}
	for want, mutate := range cases {
		t.Run(want, func(t *testing.T) {
			args := good
			mutate(&args)
			_, err := runMocked(t, func(ctx *pulumi.Context) error {
				o, err := newTestObservability(ctx, t)
				if err != nil {
					return err
				}
				return o.AddOperations(ctx, args)
			})
			require.ErrorContains(t, err, want)
		})
	}
}

func TestAddDynamicLogAlertNeedsAMeasure(t *testing.T) {
	_, err := runMocked(t, func(ctx *pulumi.Context) error {
		o, err := newTestObservability(ctx, t)
		if err != nil {
			return err
		}
		_, err = o.AddDynamicLogAlert(ctx, "obs-x", DynamicLogAlertSpec{Name: "x", Query: "T", Frequency: "PT1H", Window: "PT1H"})
		return err
	})
	require.ErrorContains(t, err, "a measure column is required")
}

// TestRenderWorkbookNeedsEveryPlaceholder: a placeholder without a (JSON-safe) value is an error, not
// a workbook that queries "${workspaceId}".
func TestRenderWorkbookNeedsEveryPlaceholder(t *testing.T) {
	values := map[string]string{
		"workspaceId": "/ws", "resourceGroupName": "rg", "resourceGroupId": "/rg", "storageAccountId": "/sa",
		"actionGroupName": "ag", "environment": "test", "pipelineName": PipelineName, "qualityActivity": ActivityBronzeSilver,
	}
	out, err := renderWorkbook(values)
	require.NoError(t, err)
	require.NotContains(t, out, "${")

	delete(values, "storageAccountId")
	values["workspaceId"] = `/ws"`
	_, err = renderWorkbook(values)
	require.EqualError(t, err, "workbook: no usable value for storageAccountId, workspaceId")
}

// TestWorkbookNameIsAStableGUIDPerResourceGroup: ARM ids are case-insensitive, names are not shared.
func TestWorkbookNameIsAStableGUIDPerResourceGroup(t *testing.T) {
	a := WorkbookName("/subscriptions/s/resourceGroups/rg-a")
	require.Equal(t, a, WorkbookName("/SUBSCRIPTIONS/s/resourcegroups/RG-A"))
	require.NotEqual(t, a, WorkbookName("/subscriptions/s/resourceGroups/rg-b"))
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a)
}
