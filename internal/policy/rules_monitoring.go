package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// The seed's operations answers (metrics monitored in production) list a dashboard and alerts; these
// rules keep each one in the plan and routed to the stack's action group.
const (
	tWorkspace       = "azure-native:operationalinsights:Workspace"
	tActionGroup     = "azure-native:insights:ActionGroup"
	tMetricAlert     = "azure-native:insights:MetricAlert"
	tLogAlert        = "azure-native:insights:ScheduledQueryRule"
	tLogAlertPreview = "azure-native:insights/v20250101preview:ScheduledQueryRule"
	tBudget          = "azure-native:consumption:Budget"
	tWorkbook        = "azure-native:insights:Workbook"
)

func init() {
	register(
		Rule{"CA.Monitoring.CostSpikeAlert", "platform", "A budget notifies the action group when cost heads past 150 % of the baseline (seed: cost spike)",
			onlyWith(tBudget, func(inv *inventory.Inventory) []string {
				if len(budgetNotifications(inv, func(kind string, threshold float64) bool { return threshold >= 150 })) == 0 {
					return []string{"no budget notification at >= 150 % routed to an action group"}
				}
				return nil
			})},
		Rule{"CA.Monitoring.BudgetForecastAlert", "platform", "A budget notifies the action group when the forecast reaches the budget",
			onlyWith(tBudget, func(inv *inventory.Inventory) []string {
				if len(budgetNotifications(inv, func(kind string, threshold float64) bool { return kind == "Forecasted" && threshold <= 100 })) == 0 {
					return []string{"no forecasted budget notification at <= 100 % routed to an action group"}
				}
				return nil
			})},
		Rule{"CA.Monitoring.PipelineDurationDynamic", "platform", "Pipeline duration alerts on a dynamic threshold (seed: duration > 2x normal)",
			onlyWith(tFactory, func(inv *inventory.Inventory) []string {
				for _, r := range logAlerts(inv, "ADFPipelineRun") {
					if condition(r)["criterionType"] == "DynamicThresholdCriterion" && routed(inv, r.In("actions.actionGroups")) {
						return nil
					}
				}
				return []string{"no dynamic-threshold log alert on ADFPipelineRun routed to an action group"}
			})},
		Rule{"CA.Monitoring.StorageCapacityAlert", "platform", "Every storage account alerts the action group before it reaches its capacity limit", eachOfType(tStorageAccount,
			func(inv *inventory.Inventory, sa mocks.Resource) []string {
				for _, a := range inv.OfType(tMetricAlert) {
					scopes, _ := a.In("scopes").([]any)
					if len(scopes) == 1 && sameID(fmt.Sprint(scopes[0]), sa.ID) && metricName(a) == "UsedCapacity" && routedMetric(inv, a) {
						return nil
					}
				}
				return []string{inventory.DisplayName(sa) + ": no UsedCapacity alert routed to an action group"}
			})},
		Rule{"CA.Monitoring.ClusterTerminationAlert", "platform", "Databricks cluster termination failures alert the action group (query validation skipped: the table appears with the first logs)",
			onlyWith(tDatabricks, func(inv *inventory.Inventory) []string {
				for _, r := range logAlerts(inv, "DatabricksClusters") {
					if r.In("skipQueryValidation") == true && routed(inv, r.In("actions.actionGroups")) {
						return nil
					}
				}
				return []string{"no log alert on DatabricksClusters with skipQueryValidation routed to an action group"}
			})},
		Rule{"CA.Monitoring.OperationsWorkbook", "platform", "An operations workbook reads the stack's Log Analytics workspace",
			onlyWith(tWorkspace, func(inv *inventory.Inventory) []string {
				for _, ws := range inv.OfType(tWorkspace) {
					for _, wb := range inv.OfType(tWorkbook) {
						if sameID(wb.InString("sourceId"), ws.ID) && json.Valid([]byte(wb.InString("serializedData"))) &&
							strings.Contains(wb.InString("serializedData"), ws.ID) {
							return nil
						}
					}
				}
				return []string{"no workbook whose source and queries are the stack's workspace"}
			})},
	)
}

// onlyWith applies a stack-wide check when resources of a type exist.
func onlyWith(token string, check func(inv *inventory.Inventory) []string) func(*inventory.Inventory) (bool, []string) {
	return func(inv *inventory.Inventory) (bool, []string) {
		if len(inv.OfType(token)) == 0 {
			return false, nil
		}
		return true, check(inv)
	}
}

// budgetNotifications lists the budget notifications that match and reach an action group.
func budgetNotifications(inv *inventory.Inventory, match func(kind string, threshold float64) bool) []string {
	var out []string
	for _, b := range inv.OfType(tBudget) {
		notifications, _ := b.In("notifications").(map[string]any)
		for key, v := range notifications {
			n, _ := v.(map[string]any)
			kind, _ := n["thresholdType"].(string)
			threshold, _ := n["threshold"].(float64)
			if n["enabled"] == true && match(kind, threshold) && routed(inv, n["contactGroups"]) {
				out = append(out, b.InString("budgetName")+"/"+key)
			}
		}
	}
	return out
}

// logAlerts are the log-search alert rules (any API version) whose query reads table.
func logAlerts(inv *inventory.Inventory, table string) []mocks.Resource {
	var out []mocks.Resource
	for _, r := range append(inv.OfType(tLogAlert), inv.OfType(tLogAlertPreview)...) {
		if q, _ := condition(r)["query"].(string); strings.HasPrefix(strings.TrimSpace(q), table) {
			out = append(out, r)
		}
	}
	return out
}

// condition is a rule's first criterion (alert rules here have exactly one).
func condition(r mocks.Resource) map[string]any {
	all, _ := r.In("criteria.allOf").([]any)
	if len(all) == 0 {
		return nil
	}
	c, _ := all[0].(map[string]any)
	return c
}

func metricName(r mocks.Resource) string {
	c := condition(r)
	name, _ := c["metricName"].(string)
	return name
}

// routed reports whether ids is a non-empty list of action groups the stack creates.
func routed(inv *inventory.Inventory, ids any) bool {
	list, _ := ids.([]any)
	for _, id := range list {
		r, ok := inv.ByID(fmt.Sprint(id))
		if !ok || r.Type != tActionGroup {
			return false
		}
	}
	return len(list) > 0
}

// routedMetric reports whether a metric alert's actions all reach the stack's action groups.
func routedMetric(inv *inventory.Inventory, r mocks.Resource) bool {
	actions, _ := r.In("actions").([]any)
	var ids []any
	for _, a := range actions {
		m, _ := a.(map[string]any)
		ids = append(ids, m["actionGroupId"])
	}
	return routed(inv, ids)
}
