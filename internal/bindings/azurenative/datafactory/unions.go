package datafactory

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

var (
	stringInputType   = reflect.TypeOf((*pulumi.StringInput)(nil)).Elem()
	discriminatedType = reflect.TypeOf((*Discriminated)(nil)).Elem()
)

// withType returns a copy of a union member with its Type field set to its discriminator, so callers
// never spell (or misspell) it; union members nested in its fields (a dataset's location) get theirs
// too. Every union member's Args has a `Type pulumi.StringInput` field.
func withType[T Discriminated](member T) (T, error) {
	if reflect.ValueOf(member).Kind() != reflect.Struct {
		return member, fmt.Errorf("datafactory: union member %T must be an Args struct value", member)
	}
	v := reflect.New(reflect.TypeOf(member)).Elem()
	v.Set(reflect.ValueOf(member))
	f := v.FieldByName("Type")
	if !f.IsValid() || f.Type() != stringInputType {
		return member, fmt.Errorf("datafactory: union member %T has no Type pulumi.StringInput field", member)
	}
	f.Set(reflect.ValueOf(pulumi.String(member.Discriminator())))
	for i := 0; i < v.NumField(); i++ {
		field := v.Field(i)
		if field.Kind() != reflect.Interface || field.IsNil() || !field.Type().Implements(discriminatedType) {
			continue
		}
		nested, err := withType(field.Interface().(Discriminated))
		if err != nil {
			return member, err
		}
		field.Set(reflect.ValueOf(nested))
	}
	return v.Interface().(T), nil
}

// typedProperties checks the inputs every factory child with a union "properties" requires, as the
// official constructors do, and returns the properties with their type filled in.
func typedProperties[P Discriminated](factoryName, resourceGroupName pulumi.StringInput, props P) (P, error) {
	switch {
	case factoryName == nil:
		return props, errors.New("invalid value for required argument 'FactoryName'")
	case isNilInput(props):
		return props, errors.New("invalid value for required argument 'Properties'")
	case resourceGroupName == nil:
		return props, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	return withType(props)
}

func isNilInput(v any) bool {
	return v == nil || reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()
}

// ---- activities -------------------------------------------------------------------------------

// Activity is one activity of a pipeline (upstream "activities" union).
type Activity interface {
	Discriminated
	ActivityName() string
	Dependencies() []ActivityDependencyArgs
}

// ActivityArray is a pipeline's activity list; its wire type is upstream's []interface{}.
type ActivityArray []Activity

func (ActivityArray) ElementType() reflect.Type { return reflect.TypeOf([]interface{}{}) }

// GetMetadataActivity reads metadata (existence, child items, …) of a dataset.
type GetMetadataActivity struct {
	Dataset     DatasetReference     `pulumi:"dataset"`
	DependsOn   []ActivityDependency `pulumi:"dependsOn"`
	Description *string              `pulumi:"description"`
	FieldList   []interface{}        `pulumi:"fieldList"`
	Name        string               `pulumi:"name"`
	Policy      *ActivityPolicy      `pulumi:"policy"`
	Type        string               `pulumi:"type"`
}

// GetMetadataActivityArgs builds a GetMetadataActivity.
type GetMetadataActivityArgs struct {
	Dataset     DatasetReferenceArgs
	DependsOn   ActivityDependencyArray
	Description pulumi.StringPtrInput
	FieldList   pulumi.ArrayInput
	Name        pulumi.StringInput
	Policy      *ActivityPolicyArgs
	Type        pulumi.StringInput
}

func (GetMetadataActivity) ElementType() reflect.Type { return reflect.TypeOf(GetMetadataActivity{}) }
func (GetMetadataActivityArgs) ElementType() reflect.Type {
	return reflect.TypeOf(GetMetadataActivity{})
}

// Discriminator is upstream's type value for GetMetadataActivity.
func (GetMetadataActivityArgs) Discriminator() string { return "GetMetadata" }

// ActivityName is the activity's name.
func (a GetMetadataActivityArgs) ActivityName() string { return nameOf(a.Name) }

// Dependencies are the activity's dependencies.
func (a GetMetadataActivityArgs) Dependencies() []ActivityDependencyArgs { return a.DependsOn }

// DatabricksNotebookActivity runs a Databricks notebook.
type DatabricksNotebookActivity struct {
	BaseParameters    map[string]interface{}  `pulumi:"baseParameters"`
	DependsOn         []ActivityDependency    `pulumi:"dependsOn"`
	Description       *string                 `pulumi:"description"`
	LinkedServiceName *LinkedServiceReference `pulumi:"linkedServiceName"`
	Name              string                  `pulumi:"name"`
	NotebookPath      interface{}             `pulumi:"notebookPath"`
	Policy            *ActivityPolicy         `pulumi:"policy"`
	Type              string                  `pulumi:"type"`
}

// DatabricksNotebookActivityArgs builds a DatabricksNotebookActivity.
type DatabricksNotebookActivityArgs struct {
	BaseParameters    pulumi.MapInput
	DependsOn         ActivityDependencyArray
	Description       pulumi.StringPtrInput
	LinkedServiceName *LinkedServiceReferenceArgs
	Name              pulumi.StringInput
	NotebookPath      pulumi.Input
	Policy            *ActivityPolicyArgs
	Type              pulumi.StringInput
}

func (DatabricksNotebookActivity) ElementType() reflect.Type {
	return reflect.TypeOf(DatabricksNotebookActivity{})
}
func (DatabricksNotebookActivityArgs) ElementType() reflect.Type {
	return reflect.TypeOf(DatabricksNotebookActivity{})
}

// Discriminator is upstream's type value for DatabricksNotebookActivity.
func (DatabricksNotebookActivityArgs) Discriminator() string { return "DatabricksNotebook" }

// ActivityName is the activity's name.
func (a DatabricksNotebookActivityArgs) ActivityName() string { return nameOf(a.Name) }

// Dependencies are the activity's dependencies.
func (a DatabricksNotebookActivityArgs) Dependencies() []ActivityDependencyArgs { return a.DependsOn }

// SetVariableActivity sets a pipeline variable.
type SetVariableActivity struct {
	DependsOn    []ActivityDependency `pulumi:"dependsOn"`
	Description  *string              `pulumi:"description"`
	Name         string               `pulumi:"name"`
	Type         string               `pulumi:"type"`
	Value        interface{}          `pulumi:"value"`
	VariableName *string              `pulumi:"variableName"`
}

// SetVariableActivityArgs builds a SetVariableActivity.
type SetVariableActivityArgs struct {
	DependsOn    ActivityDependencyArray
	Description  pulumi.StringPtrInput
	Name         pulumi.StringInput
	Type         pulumi.StringInput
	Value        pulumi.Input
	VariableName pulumi.StringPtrInput
}

func (SetVariableActivity) ElementType() reflect.Type { return reflect.TypeOf(SetVariableActivity{}) }
func (SetVariableActivityArgs) ElementType() reflect.Type {
	return reflect.TypeOf(SetVariableActivity{})
}

// Discriminator is upstream's type value for SetVariableActivity.
func (SetVariableActivityArgs) Discriminator() string { return "SetVariable" }

// ActivityName is the activity's name.
func (a SetVariableActivityArgs) ActivityName() string { return nameOf(a.Name) }

// Dependencies are the activity's dependencies.
func (a SetVariableActivityArgs) Dependencies() []ActivityDependencyArgs { return a.DependsOn }

// FailActivity ends the pipeline run as failed with a message and error code.
type FailActivity struct {
	DependsOn   []ActivityDependency `pulumi:"dependsOn"`
	Description *string              `pulumi:"description"`
	ErrorCode   interface{}          `pulumi:"errorCode"`
	Message     interface{}          `pulumi:"message"`
	Name        string               `pulumi:"name"`
	Type        string               `pulumi:"type"`
}

// FailActivityArgs builds a FailActivity.
type FailActivityArgs struct {
	DependsOn   ActivityDependencyArray
	Description pulumi.StringPtrInput
	ErrorCode   pulumi.Input
	Message     pulumi.Input
	Name        pulumi.StringInput
	Type        pulumi.StringInput
}

func (FailActivity) ElementType() reflect.Type     { return reflect.TypeOf(FailActivity{}) }
func (FailActivityArgs) ElementType() reflect.Type { return reflect.TypeOf(FailActivity{}) }

// Discriminator is upstream's type value for FailActivity.
func (FailActivityArgs) Discriminator() string { return "Fail" }

// ActivityName is the activity's name.
func (a FailActivityArgs) ActivityName() string { return nameOf(a.Name) }

// Dependencies are the activity's dependencies.
func (a FailActivityArgs) Dependencies() []ActivityDependencyArgs { return a.DependsOn }

// nameOf reads a literal activity name (activity names are plain strings in the platform).
func nameOf(s pulumi.StringInput) string {
	if v, ok := s.(pulumi.String); ok {
		return string(v)
	}
	return ""
}

// ---- linked services --------------------------------------------------------------------------

// LinkedServiceProperties is a linked service definition (upstream "properties" union).
type LinkedServiceProperties interface{ Discriminated }

// AzureBlobFSLinkedService connects to ADLS Gen2; with only a URL it authenticates as the factory's
// managed identity.
type AzureBlobFSLinkedService struct {
	ConnectVia  *IntegrationRuntimeReference `pulumi:"connectVia"`
	Description *string                      `pulumi:"description"`
	Type        string                       `pulumi:"type"`
	Url         interface{}                  `pulumi:"url"`
}

// AzureBlobFSLinkedServiceArgs builds an AzureBlobFSLinkedService.
type AzureBlobFSLinkedServiceArgs struct {
	ConnectVia  *IntegrationRuntimeReferenceArgs
	Description pulumi.StringPtrInput
	Type        pulumi.StringInput
	Url         pulumi.Input
}

func (AzureBlobFSLinkedService) ElementType() reflect.Type {
	return reflect.TypeOf(AzureBlobFSLinkedService{})
}
func (AzureBlobFSLinkedServiceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(AzureBlobFSLinkedService{})
}

// Discriminator is upstream's type value for AzureBlobFSLinkedService.
func (AzureBlobFSLinkedServiceArgs) Discriminator() string { return "AzureBlobFS" }

// AzureDatabricksLinkedService connects to a Databricks workspace.
type AzureDatabricksLinkedService struct {
	Authentication      interface{}                  `pulumi:"authentication"`
	ConnectVia          *IntegrationRuntimeReference `pulumi:"connectVia"`
	Description         *string                      `pulumi:"description"`
	Domain              interface{}                  `pulumi:"domain"`
	ExistingClusterId   interface{}                  `pulumi:"existingClusterId"`
	Type                string                       `pulumi:"type"`
	WorkspaceResourceId interface{}                  `pulumi:"workspaceResourceId"`
}

// AzureDatabricksLinkedServiceArgs builds an AzureDatabricksLinkedService.
type AzureDatabricksLinkedServiceArgs struct {
	Authentication      pulumi.Input
	ConnectVia          *IntegrationRuntimeReferenceArgs
	Description         pulumi.StringPtrInput
	Domain              pulumi.Input
	ExistingClusterId   pulumi.Input
	Type                pulumi.StringInput
	WorkspaceResourceId pulumi.Input
}

func (AzureDatabricksLinkedService) ElementType() reflect.Type {
	return reflect.TypeOf(AzureDatabricksLinkedService{})
}
func (AzureDatabricksLinkedServiceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(AzureDatabricksLinkedService{})
}

// Discriminator is upstream's type value for AzureDatabricksLinkedService.
func (AzureDatabricksLinkedServiceArgs) Discriminator() string { return "AzureDatabricks" }

// AzureKeyVaultLinkedService connects to a Key Vault.
type AzureKeyVaultLinkedService struct {
	BaseUrl     interface{} `pulumi:"baseUrl"`
	Description *string     `pulumi:"description"`
	Type        string      `pulumi:"type"`
}

// AzureKeyVaultLinkedServiceArgs builds an AzureKeyVaultLinkedService.
type AzureKeyVaultLinkedServiceArgs struct {
	BaseUrl     pulumi.Input
	Description pulumi.StringPtrInput
	Type        pulumi.StringInput
}

func (AzureKeyVaultLinkedService) ElementType() reflect.Type {
	return reflect.TypeOf(AzureKeyVaultLinkedService{})
}
func (AzureKeyVaultLinkedServiceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(AzureKeyVaultLinkedService{})
}

// Discriminator is upstream's type value for AzureKeyVaultLinkedService.
func (AzureKeyVaultLinkedServiceArgs) Discriminator() string { return "AzureKeyVault" }

// ---- datasets ---------------------------------------------------------------------------------

// DatasetProperties is a dataset definition (upstream "properties" union).
type DatasetProperties interface{ Discriminated }

// DatasetLocation is where a file dataset lives (upstream "location" union).
type DatasetLocation interface{ Discriminated }

// BinaryDataset is a set of files read as bytes; enough for GetMetadata on a folder.
type BinaryDataset struct {
	Description       *string                `pulumi:"description"`
	LinkedServiceName LinkedServiceReference `pulumi:"linkedServiceName"`
	Location          interface{}            `pulumi:"location"`
	Type              string                 `pulumi:"type"`
}

// BinaryDatasetArgs builds a BinaryDataset; Location is set with WithLocation so its type is filled in.
type BinaryDatasetArgs struct {
	Description       pulumi.StringPtrInput
	LinkedServiceName LinkedServiceReferenceArgs
	Location          DatasetLocation
	Type              pulumi.StringInput
}

func (BinaryDataset) ElementType() reflect.Type     { return reflect.TypeOf(BinaryDataset{}) }
func (BinaryDatasetArgs) ElementType() reflect.Type { return reflect.TypeOf(BinaryDataset{}) }

// Discriminator is upstream's type value for BinaryDataset.
func (BinaryDatasetArgs) Discriminator() string { return "Binary" }

// AzureBlobFSLocation is a folder or file in an ADLS Gen2 filesystem.
type AzureBlobFSLocation struct {
	FileSystem interface{} `pulumi:"fileSystem"`
	FolderPath interface{} `pulumi:"folderPath"`
	Type       string      `pulumi:"type"`
}

// AzureBlobFSLocationArgs builds an AzureBlobFSLocation.
type AzureBlobFSLocationArgs struct {
	FileSystem pulumi.Input
	FolderPath pulumi.Input
	Type       pulumi.StringInput
}

func (AzureBlobFSLocation) ElementType() reflect.Type { return reflect.TypeOf(AzureBlobFSLocation{}) }
func (AzureBlobFSLocationArgs) ElementType() reflect.Type {
	return reflect.TypeOf(AzureBlobFSLocation{})
}

// Discriminator is upstream's type value for AzureBlobFSLocation.
func (AzureBlobFSLocationArgs) Discriminator() string { return "AzureBlobFSLocation" }

// ---- triggers ---------------------------------------------------------------------------------

// TriggerProperties is a trigger definition (upstream "properties" union).
type TriggerProperties interface{ Discriminated }

// ScheduleTrigger starts pipelines on a recurrence.
type ScheduleTrigger struct {
	Description *string                    `pulumi:"description"`
	Pipelines   []TriggerPipelineReference `pulumi:"pipelines"`
	Recurrence  ScheduleTriggerRecurrence  `pulumi:"recurrence"`
	Type        string                     `pulumi:"type"`
}

// ScheduleTriggerArgs builds a ScheduleTrigger.
type ScheduleTriggerArgs struct {
	Description pulumi.StringPtrInput
	Pipelines   TriggerPipelineReferenceArray
	Recurrence  ScheduleTriggerRecurrenceArgs
	Type        pulumi.StringInput
}

func (ScheduleTrigger) ElementType() reflect.Type     { return reflect.TypeOf(ScheduleTrigger{}) }
func (ScheduleTriggerArgs) ElementType() reflect.Type { return reflect.TypeOf(ScheduleTrigger{}) }

// Discriminator is upstream's type value for ScheduleTrigger.
func (ScheduleTriggerArgs) Discriminator() string { return "ScheduleTrigger" }

// ---- integration runtimes ---------------------------------------------------------------------

// IntegrationRuntimeProperties is an integration runtime definition (upstream "properties" union).
type IntegrationRuntimeProperties interface{ Discriminated }

// ManagedIntegrationRuntime is an Azure integration runtime, here inside the managed virtual network.
type ManagedIntegrationRuntime struct {
	ComputeProperties     *IntegrationRuntimeComputeProperties `pulumi:"computeProperties"`
	Description           *string                              `pulumi:"description"`
	ManagedVirtualNetwork *ManagedVirtualNetworkReference      `pulumi:"managedVirtualNetwork"`
	Type                  string                               `pulumi:"type"`
}

// ManagedIntegrationRuntimeArgs builds a ManagedIntegrationRuntime.
type ManagedIntegrationRuntimeArgs struct {
	ComputeProperties     *IntegrationRuntimeComputePropertiesArgs
	Description           pulumi.StringPtrInput
	ManagedVirtualNetwork *ManagedVirtualNetworkReferenceArgs
	Type                  pulumi.StringInput
}

func (ManagedIntegrationRuntime) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedIntegrationRuntime{})
}
func (ManagedIntegrationRuntimeArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedIntegrationRuntime{})
}

// Discriminator is upstream's type value for ManagedIntegrationRuntime.
func (ManagedIntegrationRuntimeArgs) Discriminator() string { return "Managed" }
