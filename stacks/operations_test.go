package stacks_test

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/components"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/offline"
)

const (
	tWorkbook    = "azure-native:insights:Workbook"
	tLogAlert    = "azure-native:insights:ScheduledQueryRule"
	tDynamicRule = "azure-native:insights/v20250101preview:ScheduledQueryRule"
)

// TestOperationsWorkbook: one shared workbook per stack, named with a GUID stable for the resource
// group, listed under the workspace, its JSON filled with this stack's ids (no placeholder left).
func TestOperationsWorkbook(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			ws := one(t, res, "azure-native:operationalinsights:Workspace", "observability-logs")
			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			wb := one(t, res, tWorkbook, "observability-workbook")
			require.Equal(t, components.WorkbookName(rgID(stack)), wb.In("resourceName"))
			require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, wb.In("resourceName"))
			require.Equal(t, "rg-ca-"+stack+"-weu", wb.In("resourceGroupName"))
			require.Equal(t, "shared", wb.In("kind"))
			require.Equal(t, "workbook", wb.In("category"))
			require.Equal(t, "Notebook/1.0", wb.In("version"))
			require.Equal(t, "Customer analytics operations ("+stack+")", wb.In("displayName"))
			require.Equal(t, ws.ID, wb.In("sourceId"))
			require.Equal(t, "westeurope", wb.In("location"))

			data := wb.InString("serializedData")
			require.True(t, json.Valid([]byte(data)))
			require.NotContains(t, data, "${", "every placeholder is filled")
			var doc struct {
				Items []struct {
					Name    string         `json:"name"`
					Content map[string]any `json:"content"`
				} `json:"items"`
				FallbackResourceIDs []string `json:"fallbackResourceIds"`
			}
			require.NoError(t, json.Unmarshal([]byte(data), &doc))
			require.Equal(t, []string{ws.ID}, doc.FallbackResourceIDs)
			names := []string{}
			for _, it := range doc.Items {
				names = append(names, it.Name)
			}
			require.Equal(t, []string{"intro", "parameters", "pipeline-runs-24h", "data-quality-7d", "storage-capacity-30d",
				"storage-writes-per-container-30d", "storage-transactions-7d", "error-rate-by-component-7d", "synapse-queries-7d",
				"cost-trend-30d", "cost-link"}, names)
			for _, it := range doc.Items {
				switch it.Name {
				case "storage-capacity-30d", "storage-transactions-7d":
					require.Equal(t, []any{sa.ID}, it.Content["resourceIds"])
				case "cost-trend-30d":
					require.Contains(t, it.Content["query"], rgID(stack)+"/providers/Microsoft.CostManagement/query")
				case "cost-link":
					require.Contains(t, it.Content["json"], "https://portal.azure.com/#resource"+rgID(stack)+"/costanalysis")
				}
			}
		})
	}
}

// TestOperationsAlerts: the seed's missing alerts, each routed to the action group — cost spike
// (budget at 150 %, forecast and actual), storage approaching the account limit, Databricks cluster
// termination failures, pipeline duration on a dynamic threshold, plus the fixed duration ceiling.
func TestOperationsAlerts(t *testing.T) {
	baseline := map[string]float64{"dev": 500, "prod": 5000}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			ag := one(t, res, "azure-native:insights:ActionGroup", "observability-action-group")
			ws := one(t, res, "azure-native:operationalinsights:Workspace", "observability-logs")
			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			alert := names(t, stack).Regional("alert")

			spike := one(t, res, "azure-native:consumption:Budget", "observability-cost-spike-budget")
			// The cost-spike budget starts with the monthly one and, like it, never moves (ignoreChanges).
			main := one(t, res, "azure-native:consumption:Budget", "observability-budget")
			require.Equal(t, []string{"timePeriod.startDate"}, spike.Options.IgnoreChanges)
			notify := func(kind string) map[string]any {
				return map[string]any{"enabled": true, "operator": "GreaterThan", "threshold": 150.0, "thresholdType": kind, "contactGroups": []any{ag.ID}}
			}
			require.Equal(t, map[string]any{
				"budgetName": "budget-ca-" + stack + "-weu-cost-spike", "scope": rgID(stack), "amount": baseline[stack],
				"category": "Cost", "timeGrain": "Monthly", "timePeriod": map[string]any{"startDate": main.In("timePeriod.startDate")},
				"notifications": map[string]any{"forecast-150-percent": notify("Forecasted"), "actual-150-percent": notify("Actual")},
			}, mocks.PlainMap(spike.Inputs, true))

			capacity := one(t, res, "azure-native:insights:MetricAlert", "observability-storage-capacity-alert")
			require.Equal(t, alert+"-storage-capacity", capacity.In("ruleName"))
			require.Equal(t, []any{sa.ID}, capacity.In("scopes"))
			require.Equal(t, "PT1H", capacity.In("evaluationFrequency"))
			require.Equal(t, "PT6H", capacity.In("windowSize"))
			require.Equal(t, []any{map[string]any{"actionGroupId": ag.ID}}, capacity.In("actions"))
			require.Equal(t, []any{map[string]any{
				"criterionType": "StaticThresholdCriterion", "name": "UsedCapacity", "metricNamespace": "Microsoft.Storage/storageAccounts",
				"metricName": "UsedCapacity", "timeAggregation": "Average", "operator": "GreaterThan", "threshold": 0.8 * 5 * (1 << 50),
			}}, capacity.In("criteria.allOf"))

			for name, want := range map[string]struct {
				ruleName          string
				severity          float64
				frequency, window string
				condition         map[string]any
			}{
				"observability-cluster-termination-alert": {alert + "-databricks-cluster-termination", 3, "PT1H", "PT1H", map[string]any{
					"timeAggregation": "Count", "operator": "GreaterThan", "threshold": 0.0,
				}},
				"orchestration-duration-alert": {alert + "-adf-long-run", 2, "PT1H", "PT1H", map[string]any{
					"criterionType": "DynamicThresholdCriterion", "metricMeasureColumn": "DurationMinutes", "timeAggregation": "Maximum",
					"operator": "GreaterThan", "alertSensitivity": "Low",
				}},
			} {
				rule := one(t, res, tDynamicRule, name)
				require.Equal(t, want.ruleName, rule.In("ruleName"), name)
				require.Equal(t, "LogAlert", rule.In("kind"), name)
				require.Equal(t, true, rule.In("skipQueryValidation"), name)
				require.Equal(t, []any{ws.ID}, rule.In("scopes"), name)
				require.Equal(t, []any{ag.ID}, rule.In("actions.actionGroups"), name)
				require.Equal(t, want.severity, rule.In("severity"), name)
				require.Equal(t, want.frequency, rule.In("evaluationFrequency"), name)
				require.Equal(t, want.window, rule.In("windowSize"), name)
				cond := rule.In("criteria.allOf").([]any)[0].(map[string]any)
				require.NotEmpty(t, cond["query"])
				delete(cond, "query")
				want.condition["failingPeriods"] = map[string]any{"numberOfEvaluationPeriods": 1.0, "minFailingPeriodsToAlert": 1.0}
				require.Equal(t, want.condition, cond, name)
			}
			ceiling := one(t, res, tLogAlert, "orchestration-duration-ceiling-alert")
			require.Equal(t, alert+"-adf-run-ceiling", ceiling.In("ruleName"))
		})
	}
}

// logTables is the vendored list (testdata/log-analytics-tables.json) of the tables each diagnostic
// category fills and the columns of the tables the queries read.
type logTables struct {
	Categories map[string]struct {
		Dedicated string `json:"dedicated"`
		Shared    string `json:"shared"`
	} `json:"categories"`
	MetricsTable string `json:"metricsTable"`
	Tables       map[string]struct {
		Source  string   `json:"source"`
		Columns []string `json:"columns"`
	} `json:"tables"`
}

func loadLogTables(t *testing.T) logTables {
	t.Helper()
	raw, err := os.ReadFile("testdata/log-analytics-tables.json")
	require.NoError(t, err)
	var lt logTables
	require.NoError(t, json.Unmarshal(raw, &lt))
	return lt
}

// sentTables derives, from the recorded diagnostic settings, the Log Analytics tables this stack fills.
func sentTables(t *testing.T, res *offline.Result, lt logTables) map[string]bool {
	t.Helper()
	sent := map[string]bool{}
	for _, ds := range ofType(res, "azure-native:insights:DiagnosticSetting") {
		dedicated := ds.InString("logAnalyticsDestinationType") == "Dedicated"
		logs, _ := ds.In("logs").([]any)
		for _, l := range logs {
			category, _ := l.(map[string]any)["category"].(string)
			dest, ok := lt.Categories[category]
			require.True(t, ok, "%s: category %q is not in testdata/log-analytics-tables.json", ds.Name, category)
			if dedicated {
				sent[dest.Dedicated] = true
			} else {
				sent[dest.Shared] = true
			}
		}
		if metrics, _ := ds.In("metrics").([]any); len(metrics) > 0 {
			sent[lt.MetricsTable] = true
		}
	}
	return sent
}

var (
	kqlString     = regexp.MustCompile(`@?'(?:[^'\\]|\\.)*'|@?"(?:[^"\\]|\\.)*"`)
	kqlIdentifier = regexp.MustCompile(`\.?[A-Za-z_][A-Za-z0-9_]*`)
	kqlAlias      = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)\s*=[^=~]`)
)

// kqlReferences lists the tables a query reads and the columns it names. Columns are the capitalised
// identifiers (every Log Analytics column is; KQL functions and operators are lower-case, and the
// queries name their own computed columns in lower camel case), minus aliases the query defines and
// property accesses (x.Name).
func kqlReferences(query string, known map[string]bool) (tables, columns []string) {
	q := kqlString.ReplaceAllString(query, "''")
	aliases := map[string]bool{}
	for _, m := range kqlAlias.FindAllStringSubmatch(q, -1) {
		aliases[m[1]] = true
	}
	seen := map[string]bool{}
	for _, id := range kqlIdentifier.FindAllString(q, -1) {
		if strings.HasPrefix(id, ".") || seen[id] || aliases[id] || id[0] < 'A' || id[0] > 'Z' {
			continue
		}
		seen[id] = true
		if known[id] {
			tables = append(tables, id)
		} else {
			columns = append(columns, id)
		}
	}
	sort.Strings(tables)
	sort.Strings(columns)
	return tables, columns
}

// logQueries are every KQL query the stack deploys: the workbook's log items and the log alerts.
func logQueries(t *testing.T, res *offline.Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, wb := range ofType(res, tWorkbook) {
		var doc struct {
			Items []struct {
				Name    string `json:"name"`
				Content struct {
					Query     string `json:"query"`
					QueryType int    `json:"queryType"`
				} `json:"content"`
				Type int `json:"type"`
			} `json:"items"`
		}
		require.NoError(t, json.Unmarshal([]byte(wb.InString("serializedData")), &doc))
		for _, it := range doc.Items {
			// Type 3 with query type 0 is a Log Analytics query; 12 is the Cost Management (ARM) call.
			if it.Type == 3 && it.Content.QueryType == 0 {
				out[wb.Name+"/"+it.Name] = it.Content.Query
			}
		}
	}
	for _, typ := range []string{tLogAlert, tDynamicRule} {
		for _, r := range ofType(res, typ) {
			out[r.Name] = r.In("criteria.allOf").([]any)[0].(map[string]any)["query"].(string)
		}
	}
	return out
}

// TestLogQueriesReadWhatDiagnosticsSend: every table the workbook and the log alerts query is one a
// diagnostic setting of the stack fills, and every column they name is a column of those tables.
func TestLogQueriesReadWhatDiagnosticsSend(t *testing.T) {
	lt := loadLogTables(t)
	known := map[string]bool{lt.MetricsTable: true}
	for _, c := range lt.Categories {
		known[c.Dedicated], known[c.Shared] = true, true
	}
	for name := range lt.Tables {
		known[name] = true
	}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			sent := sentTables(t, res, lt)
			queries := logQueries(t, res)
			require.ElementsMatch(t, []string{
				"observability-workbook/pipeline-runs-24h", "observability-workbook/data-quality-7d",
				"observability-workbook/storage-writes-per-container-30d", "observability-workbook/error-rate-by-component-7d",
				"observability-workbook/synapse-queries-7d",
				"observability-cluster-termination-alert", "orchestration-duration-alert", "orchestration-duration-ceiling-alert",
				"orchestration-quality-alert",
			}, keys(queries))
			for name, q := range queries {
				tables, columns := kqlReferences(q, known)
				if name == "identity-secret-expiry-alert" {
					// A print of the credential's fixed end date: it must read no table, so it works before
					// any log exists.
					require.Empty(t, tables, "%s must read no table", name)
					continue
				}
				require.NotEmpty(t, tables, "%s reads no known table", name)
				valid := map[string]bool{}
				for _, table := range tables {
					require.True(t, sent[table], "%s reads %s, which no diagnostic setting of %s fills", name, table, stack)
					vendored, ok := lt.Tables[table]
					require.True(t, ok, "%s: vendor the columns of %s in testdata/log-analytics-tables.json", name, table)
					for _, c := range vendored.Columns {
						valid[c] = true
					}
				}
				for _, c := range columns {
					require.True(t, valid[c], "%s names %s, not a column of %v", name, c, tables)
				}
			}
		})
	}
}

// TestKQLReferencesCatchesUnknownColumns: the checker itself tells tables, columns, aliases and
// property accesses apart.
func TestKQLReferencesCatchesUnknownColumns(t *testing.T) {
	tables, columns := kqlReferences("ADFPipelineRun | where Status == 'Failed' and PipelineNam == \"X Y\"\n"+
		"| extend Minutes = datetime_diff('minute', End, Start), s = parse_json(Output).Metrics", map[string]bool{"ADFPipelineRun": true})
	require.Equal(t, []string{"ADFPipelineRun"}, tables)
	require.Equal(t, []string{"End", "Output", "PipelineNam", "Start", "Status"}, columns)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
