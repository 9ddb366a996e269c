package datafactory

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Each nested type is a plain tagged struct (the wire shape, named as upstream) plus an Args struct
// whose ElementType is that plain struct. Plain structs also implement ElementType so empty lists and
// maps inside them are sent as such.

// ---- references ------------------------------------------------------------------------------

// LinkedServiceReference points at a linked service.
type LinkedServiceReference struct {
	Parameters    map[string]interface{} `pulumi:"parameters"`
	ReferenceName string                 `pulumi:"referenceName"`
	Type          string                 `pulumi:"type"`
}

// LinkedServiceReferenceArgs builds a LinkedServiceReference; Type is set by NewLinkedServiceReference.
type LinkedServiceReferenceArgs struct {
	Parameters    pulumi.MapInput
	ReferenceName pulumi.StringInput
	Type          pulumi.StringInput
}

func (LinkedServiceReference) ElementType() reflect.Type {
	return reflect.TypeOf(LinkedServiceReference{})
}
func (LinkedServiceReferenceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(LinkedServiceReference{})
}

// NewLinkedServiceReference references a linked service by name.
func NewLinkedServiceReference(name pulumi.StringInput) *LinkedServiceReferenceArgs {
	return &LinkedServiceReferenceArgs{ReferenceName: name, Type: pulumi.String("LinkedServiceReference")}
}

// DatasetReference points at a dataset.
type DatasetReference struct {
	Parameters    map[string]interface{} `pulumi:"parameters"`
	ReferenceName string                 `pulumi:"referenceName"`
	Type          string                 `pulumi:"type"`
}

// DatasetReferenceArgs builds a DatasetReference.
type DatasetReferenceArgs struct {
	Parameters    pulumi.MapInput
	ReferenceName pulumi.StringInput
	Type          pulumi.StringInput
}

func (DatasetReference) ElementType() reflect.Type     { return reflect.TypeOf(DatasetReference{}) }
func (DatasetReferenceArgs) ElementType() reflect.Type { return reflect.TypeOf(DatasetReference{}) }

// NewDatasetReference references a dataset by name.
func NewDatasetReference(name pulumi.StringInput) DatasetReferenceArgs {
	return DatasetReferenceArgs{ReferenceName: name, Type: pulumi.String("DatasetReference")}
}

// IntegrationRuntimeReference points at an integration runtime.
type IntegrationRuntimeReference struct {
	Parameters    map[string]interface{} `pulumi:"parameters"`
	ReferenceName string                 `pulumi:"referenceName"`
	Type          string                 `pulumi:"type"`
}

// IntegrationRuntimeReferenceArgs builds an IntegrationRuntimeReference.
type IntegrationRuntimeReferenceArgs struct {
	Parameters    pulumi.MapInput
	ReferenceName pulumi.StringInput
	Type          pulumi.StringInput
}

func (IntegrationRuntimeReference) ElementType() reflect.Type {
	return reflect.TypeOf(IntegrationRuntimeReference{})
}
func (IntegrationRuntimeReferenceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(IntegrationRuntimeReference{})
}

// NewIntegrationRuntimeReference references an integration runtime by name.
func NewIntegrationRuntimeReference(name pulumi.StringInput) *IntegrationRuntimeReferenceArgs {
	return &IntegrationRuntimeReferenceArgs{ReferenceName: name, Type: pulumi.String("IntegrationRuntimeReference")}
}

// PipelineReference points at a pipeline.
type PipelineReference struct {
	Name          *string `pulumi:"name"`
	ReferenceName string  `pulumi:"referenceName"`
	Type          string  `pulumi:"type"`
}

// PipelineReferenceArgs builds a PipelineReference.
type PipelineReferenceArgs struct {
	Name          pulumi.StringPtrInput
	ReferenceName pulumi.StringInput
	Type          pulumi.StringInput
}

func (PipelineReference) ElementType() reflect.Type     { return reflect.TypeOf(PipelineReference{}) }
func (PipelineReferenceArgs) ElementType() reflect.Type { return reflect.TypeOf(PipelineReference{}) }

// ManagedVirtualNetworkReference points at the factory's managed virtual network.
type ManagedVirtualNetworkReference struct {
	ReferenceName string `pulumi:"referenceName"`
	Type          string `pulumi:"type"`
}

// ManagedVirtualNetworkReferenceArgs builds a ManagedVirtualNetworkReference.
type ManagedVirtualNetworkReferenceArgs struct {
	ReferenceName pulumi.StringInput
	Type          pulumi.StringInput
}

func (ManagedVirtualNetworkReference) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedVirtualNetworkReference{})
}
func (ManagedVirtualNetworkReferenceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedVirtualNetworkReference{})
}

// ---- factory ----------------------------------------------------------------------------------

// FactoryIdentity is the factory's managed identity.
type FactoryIdentity struct {
	Type                   string                 `pulumi:"type"`
	UserAssignedIdentities map[string]interface{} `pulumi:"userAssignedIdentities"`
}

// FactoryIdentityArgs builds a FactoryIdentity.
type FactoryIdentityArgs struct {
	Type                   pulumi.StringInput
	UserAssignedIdentities pulumi.MapInput
}

func (FactoryIdentity) ElementType() reflect.Type     { return reflect.TypeOf(FactoryIdentity{}) }
func (FactoryIdentityArgs) ElementType() reflect.Type { return reflect.TypeOf(FactoryIdentity{}) }

// FactoryIdentityResponse is the identity ARM returns, with its principal id.
type FactoryIdentityResponse struct {
	PrincipalId            string                 `pulumi:"principalId"`
	TenantId               string                 `pulumi:"tenantId"`
	Type                   string                 `pulumi:"type"`
	UserAssignedIdentities map[string]interface{} `pulumi:"userAssignedIdentities"`
}

// FactoryIdentityResponseOutput is the Output of a FactoryIdentityResponse.
type FactoryIdentityResponseOutput struct{ *pulumi.OutputState }

func (FactoryIdentityResponseOutput) ElementType() reflect.Type {
	return reflect.TypeOf(FactoryIdentityResponse{})
}

// PrincipalId is the identity's object id.
func (o FactoryIdentityResponseOutput) PrincipalId() pulumi.StringOutput {
	return o.ApplyT(func(v FactoryIdentityResponse) string { return v.PrincipalId }).(pulumi.StringOutput)
}

func init() { pulumi.RegisterOutputType(FactoryIdentityResponseOutput{}) }

// ---- pipeline pieces --------------------------------------------------------------------------

// ActivityDependency makes an activity wait for another one's outcome.
type ActivityDependency struct {
	Activity             string   `pulumi:"activity"`
	DependencyConditions []string `pulumi:"dependencyConditions"`
}

// ActivityDependencyArgs builds an ActivityDependency.
type ActivityDependencyArgs struct {
	Activity             pulumi.StringInput
	DependencyConditions pulumi.StringArrayInput
}

func (ActivityDependency) ElementType() reflect.Type     { return reflect.TypeOf(ActivityDependency{}) }
func (ActivityDependencyArgs) ElementType() reflect.Type { return reflect.TypeOf(ActivityDependency{}) }

// ActivityDependencyArray is a typed list of ActivityDependencyArgs.
type ActivityDependencyArray []ActivityDependencyArgs

func (ActivityDependencyArray) ElementType() reflect.Type {
	return reflect.TypeOf([]ActivityDependency{})
}

// DependsOn says an activity runs once activity ended in one of conditions.
func DependsOn(activity string, conditions ...DependencyCondition) ActivityDependencyArgs {
	cs := pulumi.StringArray{}
	for _, c := range conditions {
		cs = append(cs, c)
	}
	return ActivityDependencyArgs{Activity: pulumi.String(activity), DependencyConditions: cs}
}

// ActivityPolicy is an activity's retry and timeout policy.
type ActivityPolicy struct {
	Retry                  interface{} `pulumi:"retry"`
	RetryIntervalInSeconds *int        `pulumi:"retryIntervalInSeconds"`
	SecureInput            *bool       `pulumi:"secureInput"`
	SecureOutput           *bool       `pulumi:"secureOutput"`
	Timeout                interface{} `pulumi:"timeout"`
}

// ActivityPolicyArgs builds an ActivityPolicy.
type ActivityPolicyArgs struct {
	Retry                  pulumi.Input
	RetryIntervalInSeconds pulumi.IntPtrInput
	SecureInput            pulumi.BoolPtrInput
	SecureOutput           pulumi.BoolPtrInput
	Timeout                pulumi.Input
}

func (ActivityPolicy) ElementType() reflect.Type     { return reflect.TypeOf(ActivityPolicy{}) }
func (ActivityPolicyArgs) ElementType() reflect.Type { return reflect.TypeOf(ActivityPolicy{}) }

// VariableSpecification declares a pipeline variable.
type VariableSpecification struct {
	DefaultValue interface{} `pulumi:"defaultValue"`
	Type         string      `pulumi:"type"`
}

// VariableSpecificationArgs builds a VariableSpecification.
type VariableSpecificationArgs struct {
	DefaultValue pulumi.Input
	Type         pulumi.StringInput
}

func (VariableSpecification) ElementType() reflect.Type {
	return reflect.TypeOf(VariableSpecification{})
}
func (VariableSpecificationArgs) ElementType() reflect.Type {
	return reflect.TypeOf(VariableSpecification{})
}

// VariableSpecificationMap is a typed map of VariableSpecificationArgs.
type VariableSpecificationMap map[string]VariableSpecificationArgs

func (VariableSpecificationMap) ElementType() reflect.Type {
	return reflect.TypeOf(map[string]VariableSpecification{})
}

// ParameterSpecification declares a pipeline or dataset parameter.
type ParameterSpecification struct {
	DefaultValue interface{} `pulumi:"defaultValue"`
	Type         string      `pulumi:"type"`
}

// ParameterSpecificationArgs builds a ParameterSpecification.
type ParameterSpecificationArgs struct {
	DefaultValue pulumi.Input
	Type         pulumi.StringInput
}

func (ParameterSpecification) ElementType() reflect.Type {
	return reflect.TypeOf(ParameterSpecification{})
}
func (ParameterSpecificationArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ParameterSpecification{})
}

// ParameterSpecificationMap is a typed map of ParameterSpecificationArgs.
type ParameterSpecificationMap map[string]ParameterSpecificationArgs

func (ParameterSpecificationMap) ElementType() reflect.Type {
	return reflect.TypeOf(map[string]ParameterSpecification{})
}

// ---- triggers ---------------------------------------------------------------------------------

// RecurrenceSchedule pins a recurrence to hours and minutes.
type RecurrenceSchedule struct {
	Hours   []int `pulumi:"hours"`
	Minutes []int `pulumi:"minutes"`
}

// RecurrenceScheduleArgs builds a RecurrenceSchedule.
type RecurrenceScheduleArgs struct {
	Hours   pulumi.IntArrayInput
	Minutes pulumi.IntArrayInput
}

func (RecurrenceSchedule) ElementType() reflect.Type     { return reflect.TypeOf(RecurrenceSchedule{}) }
func (RecurrenceScheduleArgs) ElementType() reflect.Type { return reflect.TypeOf(RecurrenceSchedule{}) }

// ScheduleTriggerRecurrence is when a schedule trigger fires.
type ScheduleTriggerRecurrence struct {
	EndTime   *string             `pulumi:"endTime"`
	Frequency *string             `pulumi:"frequency"`
	Interval  *int                `pulumi:"interval"`
	Schedule  *RecurrenceSchedule `pulumi:"schedule"`
	StartTime *string             `pulumi:"startTime"`
	TimeZone  *string             `pulumi:"timeZone"`
}

// ScheduleTriggerRecurrenceArgs builds a ScheduleTriggerRecurrence.
type ScheduleTriggerRecurrenceArgs struct {
	EndTime   pulumi.StringPtrInput
	Frequency pulumi.StringPtrInput
	Interval  pulumi.IntPtrInput
	Schedule  *RecurrenceScheduleArgs
	StartTime pulumi.StringPtrInput
	TimeZone  pulumi.StringPtrInput
}

func (ScheduleTriggerRecurrence) ElementType() reflect.Type {
	return reflect.TypeOf(ScheduleTriggerRecurrence{})
}
func (ScheduleTriggerRecurrenceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ScheduleTriggerRecurrence{})
}

// TriggerPipelineReference is a pipeline a trigger starts, with its parameters.
type TriggerPipelineReference struct {
	Parameters        map[string]interface{} `pulumi:"parameters"`
	PipelineReference *PipelineReference     `pulumi:"pipelineReference"`
}

// TriggerPipelineReferenceArgs builds a TriggerPipelineReference.
type TriggerPipelineReferenceArgs struct {
	Parameters        pulumi.MapInput
	PipelineReference *PipelineReferenceArgs
}

func (TriggerPipelineReference) ElementType() reflect.Type {
	return reflect.TypeOf(TriggerPipelineReference{})
}
func (TriggerPipelineReferenceArgs) ElementType() reflect.Type {
	return reflect.TypeOf(TriggerPipelineReference{})
}

// TriggerPipelineReferenceArray is a typed list of TriggerPipelineReferenceArgs.
type TriggerPipelineReferenceArray []TriggerPipelineReferenceArgs

func (TriggerPipelineReferenceArray) ElementType() reflect.Type {
	return reflect.TypeOf([]TriggerPipelineReference{})
}

// ---- integration runtime and managed private endpoints -----------------------------------------

// IntegrationRuntimeComputeProperties places a managed integration runtime.
type IntegrationRuntimeComputeProperties struct {
	Location *string `pulumi:"location"`
}

// IntegrationRuntimeComputePropertiesArgs builds IntegrationRuntimeComputeProperties.
type IntegrationRuntimeComputePropertiesArgs struct {
	Location pulumi.StringPtrInput
}

func (IntegrationRuntimeComputeProperties) ElementType() reflect.Type {
	return reflect.TypeOf(IntegrationRuntimeComputeProperties{})
}
func (IntegrationRuntimeComputePropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf(IntegrationRuntimeComputeProperties{})
}

// ManagedPrivateEndpointType is a managed private endpoint's target.
type ManagedPrivateEndpointType struct {
	GroupId               *string `pulumi:"groupId"`
	PrivateLinkResourceId *string `pulumi:"privateLinkResourceId"`
}

// ManagedPrivateEndpointTypeArgs builds a ManagedPrivateEndpointType.
type ManagedPrivateEndpointTypeArgs struct {
	GroupId               pulumi.StringPtrInput
	PrivateLinkResourceId pulumi.StringPtrInput
}

func (ManagedPrivateEndpointType) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedPrivateEndpointType{})
}
func (ManagedPrivateEndpointTypeArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedPrivateEndpointType{})
}
