package datafactory

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
)

// TestWireShape registers each kind of resource under the mocks and checks exactly what reaches the
// engine: tags from the unexported args, types filled in for every union member, nothing else.
func TestWireShape(t *testing.T) {
	rec := mocks.New("p", "s")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		f, err := NewFactory(ctx, "adf", &FactoryArgs{
			FactoryName: pulumi.String("adf-x"), ResourceGroupName: pulumi.String("rg"),
			Identity:            &FactoryIdentityArgs{Type: FactoryIdentityTypeSystemAssigned},
			PublicNetworkAccess: PublicNetworkAccessDisabled,
		})
		if err != nil {
			return err
		}
		if _, err := NewDataset(ctx, "ds", &DatasetArgs{
			FactoryName: f.Name, ResourceGroupName: pulumi.String("rg"), DatasetName: pulumi.String("Bronze"),
			Properties: BinaryDatasetArgs{
				LinkedServiceName: *NewLinkedServiceReference(pulumi.String("Lake")),
				Location:          AzureBlobFSLocationArgs{FileSystem: pulumi.String("bronze"), FolderPath: pulumi.String("transactions")},
			},
		}); err != nil {
			return err
		}
		_, err = NewPipeline(ctx, "pl", &PipelineArgs{
			FactoryName: f.Name, ResourceGroupName: pulumi.String("rg"), PipelineName: pulumi.String("P"),
			Activities: ActivityArray{
				GetMetadataActivityArgs{Name: pulumi.String("A"), Dataset: NewDatasetReference(pulumi.String("Bronze")),
					FieldList: pulumi.Array{pulumi.String("exists")}},
				FailActivityArgs{Name: pulumi.String("B"), Message: pulumi.String("m"), ErrorCode: pulumi.String("E"),
					DependsOn: ActivityDependencyArray{DependsOn("A", DependencyConditionFailed)}},
			},
			Variables: VariableSpecificationMap{"v": {Type: VariableTypeString}},
		})
		return err
	}, rec.Option())
	require.NoError(t, err)

	byName := map[string]mocks.Resource{}
	for _, r := range rec.Resources() {
		byName[r.Name] = r
	}
	require.Equal(t, map[string]any{
		"factoryName": "adf-x", "resourceGroupName": "rg", "identity": map[string]any{"type": "SystemAssigned"},
		"publicNetworkAccess": "Disabled",
	}, mocks.PlainMap(byName["adf"].Inputs, false))
	require.Equal(t, "2.90.0", byName["adf"].Version)
	require.Equal(t, map[string]any{
		"type":              "Binary",
		"linkedServiceName": map[string]any{"referenceName": "Lake", "type": "LinkedServiceReference"},
		"location":          map[string]any{"type": "AzureBlobFSLocation", "fileSystem": "bronze", "folderPath": "transactions"},
	}, byName["ds"].In("properties"))
	require.Equal(t, []any{
		map[string]any{"name": "A", "type": "GetMetadata", "fieldList": []any{"exists"},
			"dataset": map[string]any{"referenceName": "Bronze", "type": "DatasetReference"}},
		map[string]any{"name": "B", "type": "Fail", "message": "m", "errorCode": "E",
			"dependsOn": []any{map[string]any{"activity": "A", "dependencyConditions": []any{"Failed"}}}},
	}, byName["pl"].In("activities"))
	require.Equal(t, map[string]any{"v": map[string]any{"type": "String"}}, byName["pl"].In("variables"))
}

func TestPipelineRejectsBrokenActivityGraphs(t *testing.T) {
	for want, acts := range map[string]ActivityArray{
		"used twice": {FailActivityArgs{Name: pulumi.String("A")}, FailActivityArgs{Name: pulumi.String("A")}},
		"unknown activity \"Z\"": {FailActivityArgs{Name: pulumi.String("A"),
			DependsOn: ActivityDependencyArray{DependsOn("Z", DependencyConditionSucceeded)}}},
		"needs a literal name": {FailActivityArgs{Name: pulumi.Sprintf("%s", "A")}},
	} {
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			_, err := NewPipeline(ctx, "pl", &PipelineArgs{FactoryName: pulumi.String("f"), ResourceGroupName: pulumi.String("rg"), Activities: acts})
			return err
		}, mocks.New("p", "s").Option())
		require.ErrorContains(t, err, want)
	}
}

func TestUnionResourcesRequireTheirInputs(t *testing.T) {
	for want, register := range map[string]func(ctx *pulumi.Context) error{
		"'Properties'": func(ctx *pulumi.Context) error {
			_, err := NewLinkedService(ctx, "ls", &LinkedServiceArgs{FactoryName: pulumi.String("f"), ResourceGroupName: pulumi.String("rg")})
			return err
		},
		"'FactoryName'": func(ctx *pulumi.Context) error {
			_, err := NewTrigger(ctx, "tr", &TriggerArgs{ResourceGroupName: pulumi.String("rg"), Properties: ScheduleTriggerArgs{}})
			return err
		},
		"'ResourceGroupName'": func(ctx *pulumi.Context) error {
			_, err := NewDataset(ctx, "ds", &DatasetArgs{FactoryName: pulumi.String("f"), Properties: BinaryDatasetArgs{}})
			return err
		},
	} {
		rec := mocks.New("p", "s")
		require.ErrorContains(t, pulumi.RunErr(register, rec.Option()), "invalid value for required argument "+want)
		require.Empty(t, rec.Resources())
	}
}
