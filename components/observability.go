package components

import (
	"fmt"
	"regexp"
	"time"

	"github.com/pulumi/pulumi-azure-native-sdk/consumption/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	alertsv2025 "github.com/pulumi/pulumi-azure-native-sdk/insights/v2/v20250101preview"
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/internal/naming"
)

// ObservabilityArgs configures logging, alerting and cost control.
type ObservabilityArgs struct {
	Foundation
	LogRetentionDays int
	AlertEmails      []string
	BudgetAmount     float64
	// BudgetStartDate is the first day of a month, YYYY-MM-01: the month of the stack's first deploy
	// (BudgetStart). Azure rejects a monthly budget that starts before the current month, so the date
	// is sent when the budget is created and never again (ignoreChanges on timePeriod.startDate).
	BudgetStartDate string
}

// BudgetStart is the first day of now's UTC month, the earliest start a new monthly budget accepts.
func BudgetStart(now time.Time) string {
	return now.UTC().Format("2006-01") + "-01"
}

// budgetIgnoredInputs are the budget inputs later updates never send: the start date is fixed by the
// first deploy (a later date would move the budget, an earlier one is rejected).
var budgetIgnoredInputs = []string{"timePeriod.startDate"}

// Observability is the Log Analytics workspace every service sends diagnostics to, the action group
// alerts notify, and the monthly budget.
type Observability struct {
	pulumi.ResourceState

	WorkspaceID         pulumi.StringOutput
	WorkspaceCustomerID pulumi.StringOutput
	ActionGroupID       pulumi.StringOutput
	BudgetID            pulumi.StringOutput

	name              string
	location          string
	resourceGroupName pulumi.StringInput
	resourceGroupID   pulumi.StringInput
	names             naming.Namer
	tags              pulumi.StringMap
	// budgetStart is the monthly budget's start date; the cost-spike budget starts with it.
	budgetStart string
}

// DiagnosticSpec selects what a diagnostic setting sends to Log Analytics.
type DiagnosticSpec struct {
	// Categories are log categories ("StorageRead", "AuditEvent", …).
	Categories []string
	// CategoryGroups are log category groups ("allLogs", "audit").
	CategoryGroups []string
	// Metrics are metric categories ("AllMetrics", or "Transaction" for storage services).
	Metrics []string
	// Dedicated writes to resource-specific tables (ADFActivityRun, …) instead of AzureDiagnostics.
	Dedicated bool
}

// Diagnostics is what components need from Observability: a way to ship their resources' logs and to
// alert the action group.
type Diagnostics interface {
	AddDiagnostics(ctx *pulumi.Context, name string, target pulumi.StringInput, spec DiagnosticSpec, opts ...pulumi.ResourceOption) (*insights.DiagnosticSetting, error)
	AddMetricAlert(ctx *pulumi.Context, name string, spec MetricAlertSpec, opts ...pulumi.ResourceOption) (*insights.MetricAlert, error)
	AddLogAlert(ctx *pulumi.Context, name string, spec LogAlertSpec, opts ...pulumi.ResourceOption) (*insights.ScheduledQueryRule, error)
	AddDynamicLogAlert(ctx *pulumi.Context, name string, spec DynamicLogAlertSpec, opts ...pulumi.ResourceOption) (*alertsv2025.ScheduledQueryRule, error)
}

// MetricAlertSpec is a static-threshold metric alert on one resource.
type MetricAlertSpec struct {
	// Name ends the alert rule's Azure name ("alert-ca-dev-weu-<Name>").
	Name            string
	Description     string
	Target          pulumi.StringInput
	MetricNamespace string
	MetricName      string
	Aggregation     string // Total, Average, Maximum, …
	Operator        string // GreaterThan, LessThan, …
	Threshold       float64
	Severity        int // 0 (critical) .. 4 (verbose)
	Window          string
}

// LogAlertSpec is a log-search alert over the workspace: it fires when Query returns a row.
type LogAlertSpec struct {
	// Name ends the alert rule's Azure name ("alert-ca-dev-weu-<Name>").
	Name        string
	Description string
	Query       string
	Severity    int
	// Frequency and Window are ISO 8601 durations (PT15M, P1D).
	Frequency, Window string
	// SkipQueryValidation must be set when Query reads a table that appears in the workspace only
	// after the first logs arrive (resource-specific diagnostic tables such as ADFPipelineRun): the
	// alert API validates the query at creation and rejects unknown tables, so a first deploy fails.
	SkipQueryValidation bool
}

var budgetStart = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])-01$`)

// NewObservability creates the workspace, action group and budget.
func NewObservability(ctx *pulumi.Context, name string, args *ObservabilityArgs, opts ...pulumi.ResourceOption) (*Observability, error) {
	if args == nil {
		return nil, fmt.Errorf("observability %s: args are required", name)
	}
	if err := args.Foundation.validate("observability " + name); err != nil {
		return nil, err
	}
	switch {
	case args.LogRetentionDays < 30 || args.LogRetentionDays > 730:
		return nil, fmt.Errorf("observability %s: log retention %d days is outside 30..730", name, args.LogRetentionDays)
	case len(args.AlertEmails) == 0:
		return nil, fmt.Errorf("observability %s: at least one alert e-mail is required", name)
	case args.BudgetAmount <= 0:
		return nil, fmt.Errorf("observability %s: budget amount must be positive", name)
	case !budgetStart.MatchString(args.BudgetStartDate):
		return nil, fmt.Errorf("observability %s: budget start %q must be the first of a month (YYYY-MM-01)", name, args.BudgetStartDate)
	}

	o := &Observability{name: name, location: args.Location, resourceGroupName: args.ResourceGroupName, resourceGroupID: args.ResourceGroupID,
		names: args.Names, tags: args.tags(), budgetStart: args.BudgetStartDate}
	if err := ctx.RegisterComponentResource("analytics:observability:Observability", name, o, opts...); err != nil {
		return nil, err
	}
	f := args.Foundation
	parent := pulumi.Parent(o)

	ws, err := operationalinsights.NewWorkspace(ctx, child(name, "logs"), &operationalinsights.WorkspaceArgs{
		WorkspaceName:     pulumi.String(f.Names.Regional("log")),
		ResourceGroupName: f.ResourceGroupName,
		Location:          pulumi.String(f.Location),
		Sku:               &operationalinsights.WorkspaceSkuArgs{Name: operationalinsights.WorkspaceSkuNameEnumPerGB2018},
		RetentionInDays:   pulumi.Int(args.LogRetentionDays),
		Features: &operationalinsights.WorkspaceFeaturesArgs{
			// Readers of a resource's logs need rights on that resource, not on the whole workspace.
			EnableLogAccessUsingOnlyResourcePermissions: pulumi.Bool(true),
		},
		Tags: f.tags(),
	}, parent, f.protect())
	if err != nil {
		return nil, fmt.Errorf("observability %s: workspace: %w", name, err)
	}
	if err := f.lock(ctx, name, "logs", ws.ID().ToStringOutput(), parent); err != nil {
		return nil, err
	}

	receivers := insights.EmailReceiverArray{}
	for i, email := range args.AlertEmails {
		receivers = append(receivers, &insights.EmailReceiverArgs{
			Name:                 pulumi.Sprintf("email-%d", i),
			EmailAddress:         pulumi.String(email),
			UseCommonAlertSchema: pulumi.Bool(true),
		})
	}
	ag, err := insights.NewActionGroup(ctx, child(name, "action-group"), &insights.ActionGroupArgs{
		ActionGroupName:   pulumi.String(f.Names.Regional("ag")),
		ResourceGroupName: f.ResourceGroupName,
		Location:          pulumi.String("global"),
		// At most 12 characters; shown as the sender of SMS/e-mail notifications.
		GroupShortName: pulumi.String(shortName(f.Names.Prefix + "-" + f.Names.Environment + "-ops")),
		Enabled:        pulumi.Bool(true),
		EmailReceivers: receivers,
		Tags:           f.tags(),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("observability %s: action group: %w", name, err)
	}

	notify := func(threshold float64, kind consumption.ThresholdType) *consumption.NotificationArgs {
		return &consumption.NotificationArgs{
			Enabled:       pulumi.Bool(true),
			Operator:      consumption.OperatorTypeGreaterThan,
			Threshold:     pulumi.Float64(threshold),
			ThresholdType: kind,
			ContactEmails: pulumi.ToStringArray(args.AlertEmails),
			ContactGroups: pulumi.StringArray{ag.ID().ToStringOutput()},
		}
	}
	budget, err := consumption.NewBudget(ctx, child(name, "budget"), &consumption.BudgetArgs{
		BudgetName: pulumi.String(f.Names.Regional("budget")),
		Scope:      f.ResourceGroupID,
		Amount:     pulumi.Float64(args.BudgetAmount),
		Category:   consumption.CategoryTypeCost,
		TimeGrain:  consumption.TimeGrainTypeMonthly,
		TimePeriod: &consumption.BudgetTimePeriodArgs{StartDate: pulumi.String(args.BudgetStartDate + "T00:00:00Z")},
		Notifications: consumption.NotificationMap{
			"actual-80-percent":    notify(80, consumption.ThresholdTypeActual),
			"forecast-100-percent": notify(100, consumption.ThresholdTypeForecasted),
		},
	}, parent, pulumi.IgnoreChanges(budgetIgnoredInputs))
	if err != nil {
		return nil, fmt.Errorf("observability %s: budget: %w", name, err)
	}

	o.WorkspaceID = ws.ID().ToStringOutput()
	o.WorkspaceCustomerID = ws.CustomerId
	o.ActionGroupID = ag.ID().ToStringOutput()
	o.BudgetID = budget.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(o, pulumi.Map{
		"workspaceId":   o.WorkspaceID,
		"actionGroupId": o.ActionGroupID,
		"budgetId":      o.BudgetID,
	}); err != nil {
		return nil, err
	}
	return o, nil
}

// AddDiagnostics sends a resource's logs (and metrics) to the workspace. name must carry the calling
// component's prefix; pass pulumi.Parent(caller) in opts so the setting lives with its resource.
func (o *Observability) AddDiagnostics(ctx *pulumi.Context, name string, target pulumi.StringInput, spec DiagnosticSpec, opts ...pulumi.ResourceOption) (*insights.DiagnosticSetting, error) {
	if len(spec.Categories) == 0 && len(spec.CategoryGroups) == 0 && len(spec.Metrics) == 0 {
		return nil, fmt.Errorf("diagnostics %s: nothing selected", name)
	}
	logs := insights.LogSettingsArray{}
	for _, c := range spec.Categories {
		logs = append(logs, &insights.LogSettingsArgs{Category: pulumi.String(c), Enabled: pulumi.Bool(true)})
	}
	for _, g := range spec.CategoryGroups {
		logs = append(logs, &insights.LogSettingsArgs{CategoryGroup: pulumi.String(g), Enabled: pulumi.Bool(true)})
	}
	args := &insights.DiagnosticSettingArgs{
		Name:        pulumi.String("to-log-analytics"),
		ResourceUri: target,
		WorkspaceId: o.WorkspaceID,
	}
	if len(logs) > 0 {
		args.Logs = logs
	}
	if len(spec.Metrics) > 0 {
		metrics := insights.MetricSettingsArray{}
		for _, m := range spec.Metrics {
			metrics = append(metrics, &insights.MetricSettingsArgs{Category: pulumi.String(m), Enabled: pulumi.Bool(true)})
		}
		args.Metrics = metrics
	}
	if spec.Dedicated {
		args.LogAnalyticsDestinationType = pulumi.String("Dedicated")
	}
	ds, err := insights.NewDiagnosticSetting(ctx, name, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("diagnostics %s: %w", name, err)
	}
	return ds, nil
}

// shortName trims a name to the 12 characters action groups allow.
func shortName(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// AddMetricAlert alerts the action group when a resource's metric crosses a threshold. name must carry
// the calling component's prefix; pass pulumi.Parent(caller).
func (o *Observability) AddMetricAlert(ctx *pulumi.Context, name string, spec MetricAlertSpec, opts ...pulumi.ResourceOption) (*insights.MetricAlert, error) {
	alert, err := insights.NewMetricAlert(ctx, name, &insights.MetricAlertArgs{
		RuleName:            pulumi.String(o.names.Regional("alert") + "-" + spec.Name),
		ResourceGroupName:   o.resourceGroupName,
		Location:            pulumi.String("global"),
		Description:         pulumi.String(spec.Description),
		Enabled:             pulumi.Bool(true),
		Severity:            pulumi.Int(spec.Severity),
		Scopes:              pulumi.StringArray{spec.Target},
		EvaluationFrequency: pulumi.String("PT5M"),
		WindowSize:          pulumi.String(spec.Window),
		AutoMitigate:        pulumi.Bool(true),
		Criteria: &insights.MetricAlertSingleResourceMultipleMetricCriteriaArgs{
			OdataType: pulumi.String("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"),
			AllOf: insights.MetricCriteriaArray{&insights.MetricCriteriaArgs{
				CriterionType:   pulumi.String("StaticThresholdCriterion"),
				Name:            pulumi.String(spec.MetricName),
				MetricNamespace: pulumi.String(spec.MetricNamespace),
				MetricName:      pulumi.String(spec.MetricName),
				TimeAggregation: pulumi.String(spec.Aggregation),
				Operator:        pulumi.String(spec.Operator),
				Threshold:       pulumi.Float64(spec.Threshold),
			}},
		},
		Actions: insights.MetricAlertActionArray{&insights.MetricAlertActionArgs{ActionGroupId: o.ActionGroupID}},
		Tags:    o.tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("metric alert %s: %w", name, err)
	}
	return alert, nil
}

// AddLogAlert alerts the action group when a log query over the workspace returns rows. name must
// carry the calling component's prefix; pass pulumi.Parent(caller).
func (o *Observability) AddLogAlert(ctx *pulumi.Context, name string, spec LogAlertSpec, opts ...pulumi.ResourceOption) (*insights.ScheduledQueryRule, error) {
	rule, err := insights.NewScheduledQueryRule(ctx, name, &insights.ScheduledQueryRuleArgs{
		RuleName:            pulumi.String(o.names.Regional("alert") + "-" + spec.Name),
		ResourceGroupName:   o.resourceGroupName,
		Location:            pulumi.String(o.location),
		Kind:                pulumi.String("LogAlert"),
		Description:         pulumi.String(spec.Description),
		Enabled:             pulumi.Bool(true),
		Severity:            pulumi.Float64(float64(spec.Severity)),
		Scopes:              pulumi.StringArray{o.WorkspaceID},
		EvaluationFrequency: pulumi.String(spec.Frequency),
		WindowSize:          pulumi.String(spec.Window),
		Criteria: &insights.ScheduledQueryRuleCriteriaArgs{AllOf: insights.ConditionArray{&insights.ConditionArgs{
			Query:           pulumi.String(spec.Query),
			TimeAggregation: pulumi.String("Count"),
			Operator:        pulumi.String("GreaterThan"),
			Threshold:       pulumi.Float64(0),
			FailingPeriods: &insights.ConditionFailingPeriodsArgs{
				NumberOfEvaluationPeriods: pulumi.Float64(1), MinFailingPeriodsToAlert: pulumi.Float64(1),
			},
		}}},
		Actions:             &insights.ActionsArgs{ActionGroups: pulumi.StringArray{o.ActionGroupID}},
		SkipQueryValidation: skipValidation(spec.SkipQueryValidation),
		Tags:                o.tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("log alert %s: %w", name, err)
	}
	return rule, nil
}

// skipValidation sends skipQueryValidation only when set, so rules that validate keep their inputs.
func skipValidation(skip bool) pulumi.BoolPtrInput {
	if !skip {
		return nil
	}
	return pulumi.BoolPtr(true)
}
