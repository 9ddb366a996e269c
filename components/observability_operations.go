package components

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/consumption/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	alertsv2025 "github.com/pulumi/pulumi-azure-native-sdk/insights/v2/v20250101preview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OperationsArgs is what the operations workbook and the platform-wide alerts look at. They exist once
// every service does, so the stack adds them last with AddOperations.
type OperationsArgs struct {
	// StorageAccountID is the lake account: its capacity is charted and alerted on.
	StorageAccountID pulumi.StringInput
	// CostBaseline is the expected monthly spend (the budget amount); the cost-spike alert fires at
	// CostSpikePercent of it.
	CostBaseline float64
}

const (
	// CostSpikePercent is the seed's "cost spike > 150 % of baseline".
	CostSpikePercent = 150
	// StorageAccountMaxBytes is the documented maximum capacity of a standard storage account, 5 PiB:
	// https://learn.microsoft.com/azure/storage/common/scalability-targets-standard-account
	StorageAccountMaxBytes = 5 * (1 << 50)
	// StorageCapacityAlertPercent of StorageAccountMaxBytes raises the "storage approaching limit" alert.
	StorageCapacityAlertPercent = 80
)

// DynamicLogAlertSpec is a log-search alert whose threshold Azure learns from the history of a
// measure (a dynamic threshold), instead of a fixed number.
type DynamicLogAlertSpec struct {
	// Name ends the alert rule's Azure name ("alert-ca-dev-weu-<Name>").
	Name        string
	Description string
	// Query returns one row per event with a numeric MeasureColumn (and TimeGenerated).
	Query         string
	MeasureColumn string
	Severity      int
	// Frequency and Window are ISO 8601 durations (PT1H, P1D).
	Frequency, Window string
}

// AddOperations adds the operations workbook and the platform-wide alerts the seed lists: cost spike,
// storage approaching its limit and Databricks cluster termination failures. Children are parented to
// the Observability component.
func (o *Observability) AddOperations(ctx *pulumi.Context, args OperationsArgs) error {
	switch {
	case args.StorageAccountID == nil:
		return fmt.Errorf("operations: the storage account id is required")
	case args.CostBaseline <= 0:
		return fmt.Errorf("operations: the cost baseline must be positive")
	}
	if err := o.addWorkbook(ctx, args.StorageAccountID); err != nil {
		return err
	}
	if err := o.addCostSpikeBudget(ctx, args); err != nil {
		return err
	}
	if err := o.addStorageCapacityAlert(ctx, args.StorageAccountID); err != nil {
		return err
	}
	_, err := o.addLogRule(ctx, child(o.name, "cluster-termination-alert"), "databricks-cluster-termination",
		"A Databricks cluster failed to terminate (auto-termination or a stop request got an error response)",
		3, "PT1H", "PT1H", &alertsv2025.ConditionArgs{
			// The clusters category of the Databricks diagnostic setting: "delete" is a termination
			// (automatic ones too), its Response carries the statusCode and errorMessage.
			// https://learn.microsoft.com/azure/databricks/admin/account-settings/audit-logs#clusters
			Query: pulumi.String("DatabricksClusters\n| where ActionName in ('delete', 'deleteResult')\n" +
				"| extend statusCode = toint(parse_json(Response).statusCode), errorMessage = tostring(parse_json(Response).errorMessage)\n" +
				"| where statusCode >= 400 or isnotempty(errorMessage)"),
			TimeAggregation: pulumi.String("Count"),
			Operator:        pulumi.String("GreaterThan"),
			Threshold:       pulumi.Float64(0),
		})
	return err
}

// AddDynamicLogAlert alerts the action group when a measure rises well above what Azure learned is
// normal for it. name must carry the calling component's prefix; pass pulumi.Parent(caller).
func (o *Observability) AddDynamicLogAlert(ctx *pulumi.Context, name string, spec DynamicLogAlertSpec, opts ...pulumi.ResourceOption) (*alertsv2025.ScheduledQueryRule, error) {
	if spec.MeasureColumn == "" {
		return nil, fmt.Errorf("dynamic log alert %s: a measure column is required", name)
	}
	return o.addLogRule(ctx, name, spec.Name, spec.Description, spec.Severity, spec.Frequency, spec.Window, &alertsv2025.ConditionArgs{
		Query:               pulumi.String(spec.Query),
		CriterionType:       pulumi.String("DynamicThresholdCriterion"),
		MetricMeasureColumn: pulumi.String(spec.MeasureColumn),
		TimeAggregation:     pulumi.String("Maximum"),
		Operator:            pulumi.String("GreaterThan"),
		// Low sensitivity: only values far above the learned band alert, the nearest Azure offers
		// to the seed's "duration > 2x normal".
		AlertSensitivity: pulumi.String("Low"),
	}, opts...)
}

// addLogRule creates a log-search alert rule on the workspace with the 2025-01-01-preview API, the first
// that takes dynamic thresholds for log alerts. skipQueryValidation: the tables the rules read
// (ADFPipelineRun, DatabricksClusters) exist only after the first logs arrive, and ARM rejects a
// query on a missing table at creation.
func (o *Observability) addLogRule(ctx *pulumi.Context, name, ruleName, description string, severity int, frequency, window string, condition *alertsv2025.ConditionArgs, opts ...pulumi.ResourceOption) (*alertsv2025.ScheduledQueryRule, error) {
	if len(opts) == 0 {
		opts = []pulumi.ResourceOption{pulumi.Parent(o)}
	}
	condition.FailingPeriods = &alertsv2025.ConditionFailingPeriodsArgs{
		NumberOfEvaluationPeriods: pulumi.Float64(1), MinFailingPeriodsToAlert: pulumi.Float64(1),
	}
	rule, err := alertsv2025.NewScheduledQueryRule(ctx, name, &alertsv2025.ScheduledQueryRuleArgs{
		RuleName:            pulumi.String(o.names.Regional("alert") + "-" + ruleName),
		ResourceGroupName:   o.resourceGroupName,
		Location:            pulumi.String(o.location),
		Kind:                pulumi.String("LogAlert"),
		Description:         pulumi.String(description),
		Enabled:             pulumi.Bool(true),
		Severity:            pulumi.Float64(float64(severity)),
		Scopes:              pulumi.StringArray{o.WorkspaceID},
		EvaluationFrequency: pulumi.String(frequency),
		WindowSize:          pulumi.String(window),
		SkipQueryValidation: pulumi.Bool(true),
		Criteria:            &alertsv2025.ScheduledQueryRuleCriteriaArgs{AllOf: alertsv2025.ConditionArray{condition}},
		Actions:             &alertsv2025.ActionsArgs{ActionGroups: pulumi.StringArray{o.ActionGroupID}},
		Tags:                o.tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("log alert %s: %w", name, err)
	}
	return rule, nil
}

// addCostSpikeBudget is the cost-spike alert. Cost Management anomaly alerts (scheduledActions of kind
// InsightAlert) are subscription-scoped and their SDK module is not served here, so the nearest
// resource-group-scoped signal is a second budget at the baseline with notifications at 150 %:
// forecasted (the month's run rate is heading there, days before it happens) and actual.
func (o *Observability) addCostSpikeBudget(ctx *pulumi.Context, args OperationsArgs) error {
	notify := func(kind consumption.ThresholdType) *consumption.NotificationArgs {
		return &consumption.NotificationArgs{
			Enabled:       pulumi.Bool(true),
			Operator:      consumption.OperatorTypeGreaterThan,
			Threshold:     pulumi.Float64(CostSpikePercent),
			ThresholdType: kind,
			ContactGroups: pulumi.StringArray{o.ActionGroupID},
		}
	}
	_, err := consumption.NewBudget(ctx, child(o.name, "cost-spike-budget"), &consumption.BudgetArgs{
		BudgetName: pulumi.String(o.names.Regional("budget") + "-cost-spike"),
		Scope:      o.resourceGroupID,
		Amount:     pulumi.Float64(args.CostBaseline),
		Category:   consumption.CategoryTypeCost,
		TimeGrain:  consumption.TimeGrainTypeMonthly,
		TimePeriod: &consumption.BudgetTimePeriodArgs{StartDate: pulumi.String(o.budgetStart + "T00:00:00Z")},
		Notifications: consumption.NotificationMap{
			fmt.Sprintf("forecast-%d-percent", CostSpikePercent): notify(consumption.ThresholdTypeForecasted),
			fmt.Sprintf("actual-%d-percent", CostSpikePercent):   notify(consumption.ThresholdTypeActual),
		},
	}, pulumi.Parent(o), pulumi.IgnoreChanges(budgetIgnoredInputs))
	if err != nil {
		return fmt.Errorf("observability %s: cost-spike budget: %w", o.name, err)
	}
	return nil
}

// addStorageCapacityAlert warns when the lake account's used capacity passes 80 % of the documented
// account maximum. UsedCapacity is emitted hourly, so the rule evaluates hourly over six hours (the
// five-minute cadence of AddMetricAlert would evaluate empty windows).
func (o *Observability) addStorageCapacityAlert(ctx *pulumi.Context, storageAccountID pulumi.StringInput) error {
	_, err := insights.NewMetricAlert(ctx, child(o.name, "storage-capacity-alert"), &insights.MetricAlertArgs{
		RuleName:            pulumi.String(o.names.Regional("alert") + "-storage-capacity"),
		ResourceGroupName:   o.resourceGroupName,
		Location:            pulumi.String("global"),
		Description:         pulumi.String(fmt.Sprintf("The lake storage account passed %d%% of the 5 PiB a storage account can hold", StorageCapacityAlertPercent)),
		Enabled:             pulumi.Bool(true),
		Severity:            pulumi.Int(2),
		Scopes:              pulumi.StringArray{storageAccountID},
		EvaluationFrequency: pulumi.String("PT1H"),
		WindowSize:          pulumi.String("PT6H"),
		AutoMitigate:        pulumi.Bool(true),
		Criteria: &insights.MetricAlertSingleResourceMultipleMetricCriteriaArgs{
			OdataType: pulumi.String("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"),
			AllOf: insights.MetricCriteriaArray{&insights.MetricCriteriaArgs{
				CriterionType:   pulumi.String("StaticThresholdCriterion"),
				Name:            pulumi.String("UsedCapacity"),
				MetricNamespace: pulumi.String("Microsoft.Storage/storageAccounts"),
				MetricName:      pulumi.String("UsedCapacity"),
				TimeAggregation: pulumi.String("Average"),
				Operator:        pulumi.String("GreaterThan"),
				Threshold:       pulumi.Float64(float64(StorageAccountMaxBytes) * StorageCapacityAlertPercent / 100),
			}},
		},
		Actions: insights.MetricAlertActionArray{&insights.MetricAlertActionArgs{ActionGroupId: o.ActionGroupID}},
		Tags:    o.tags,
	}, pulumi.Parent(o))
	if err != nil {
		return fmt.Errorf("observability %s: storage capacity alert: %w", o.name, err)
	}
	return nil
}
