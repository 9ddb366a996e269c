package components

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// workbookTemplate is the operations workbook (Azure Workbooks "Notebook/1.0" JSON), kept in its own
// file so it can be edited in the portal's Advanced Editor and pasted back. ${name} placeholders are
// filled by renderWorkbook; {Name} (no dollar) are the workbook's own parameters.
//
//go:embed observability_workbook.json
var workbookTemplate string

// workbookNamespace keeps this project's workbook GUIDs apart from other uuid-v5 users.
var workbookNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/customer-analytics/platform/workbooks"))

// WorkbookName is the workbook's resource name. ARM requires a GUID; deriving it from the resource
// group keeps it identical on every run, so the workbook is updated in place, never duplicated.
func WorkbookName(resourceGroupID string) string {
	return uuid.NewSHA1(workbookNamespace, []byte(strings.ToLower(resourceGroupID)+"|operations")).String()
}

var (
	workbookPlaceholder = regexp.MustCompile(`\$\{([A-Za-z]+)\}`)
	// A value lands inside JSON strings (some nested twice), so it may not carry quotes or backslashes.
	workbookSafeValue = regexp.MustCompile(`^[^"\\]*$`)
)

// renderWorkbook fills the template's placeholders; every placeholder needs a value and the result
// must be valid JSON.
func renderWorkbook(values map[string]string) (string, error) {
	missing := map[string]bool{}
	out := workbookPlaceholder.ReplaceAllStringFunc(workbookTemplate, func(m string) string {
		key := m[2 : len(m)-1]
		v, ok := values[key]
		if !ok || !workbookSafeValue.MatchString(v) {
			missing[key] = true
			return m
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("workbook: no usable value for %s", strings.Join(slices.Sorted(maps.Keys(missing)), ", "))
	}
	if !json.Valid([]byte(out)) {
		return "", fmt.Errorf("workbook: the rendered template is not valid JSON")
	}
	return out, nil
}

// addWorkbook deploys the operations workbook: pipeline runs, data quality, storage growth, errors by
// component and cost, all read from the workspace the diagnostic settings feed.
func (o *Observability) addWorkbook(ctx *pulumi.Context, storageAccountID pulumi.StringInput) error {
	n := o.names
	inputs := pulumi.All(o.WorkspaceID, o.resourceGroupName, o.resourceGroupID, storageAccountID, o.ActionGroupID)
	data := inputs.ApplyT(func(v []any) (string, error) {
		return renderWorkbook(map[string]string{
			"workspaceId":       v[0].(string),
			"resourceGroupName": v[1].(string),
			"resourceGroupId":   v[2].(string),
			"storageAccountId":  v[3].(string),
			"actionGroupName":   n.Regional("ag"),
			"environment":       n.Environment,
			"pipelineName":      PipelineName,
			"qualityActivity":   ActivityBronzeSilver,
		})
	}).(pulumi.StringOutput)
	name := o.resourceGroupID.ToStringOutput().ApplyT(WorkbookName).(pulumi.StringOutput)
	_, err := insights.NewWorkbook(ctx, child(o.name, "workbook"), &insights.WorkbookArgs{
		ResourceName:      name,
		ResourceGroupName: o.resourceGroupName,
		Location:          pulumi.String(o.location),
		Kind:              pulumi.String(string(insights.WorkbookSharedTypeKindShared)),
		DisplayName:       pulumi.String(fmt.Sprintf("Customer analytics operations (%s)", n.Environment)),
		Category:          pulumi.String("workbook"),
		Version:           pulumi.String("Notebook/1.0"),
		// Opening the workbook from the workspace's Workbooks blade lists it there.
		SourceId:       o.WorkspaceID,
		SerializedData: data,
		Tags:           o.tags,
	}, pulumi.Parent(o))
	if err != nil {
		return fmt.Errorf("observability %s: workbook: %w", o.name, err)
	}
	return nil
}
