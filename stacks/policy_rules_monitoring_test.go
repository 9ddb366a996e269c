package stacks_test

// monitoringViolations break the clean prod baseline once per monitoring rule; TestEveryRuleCatchesItsViolation
// runs them with the other rules' cases.
var monitoringViolations = map[string]mutation{
	"CA.Monitoring.CostSpikeAlert":      drop("observability-cost-spike-budget"),
	"CA.Monitoring.BudgetForecastAlert": set("observability-budget", "notifications.forecast-100-percent.thresholdType", "Actual"),
	// The fixed ceiling alert on the same table stays: only a dynamic threshold passes.
	"CA.Monitoring.PipelineDurationDynamic": drop("orchestration-duration-alert"),
	"CA.Monitoring.StorageCapacityAlert":    set("observability-storage-capacity-alert", "actions", []any{}),
	"CA.Monitoring.ClusterTerminationAlert": set("observability-cluster-termination-alert", "skipQueryValidation", false),
	"CA.Monitoring.OperationsWorkbook":      set("observability-workbook", "sourceId", "azure monitor"),
}
