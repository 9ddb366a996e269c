package datafactory

import (
	"context"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Enums of the upstream package, with the values the platform uses.

// DependencyCondition is when a dependent activity runs.
type DependencyCondition string

// Dependency conditions.
const (
	DependencyConditionSucceeded DependencyCondition = "Succeeded"
	DependencyConditionFailed    DependencyCondition = "Failed"
	DependencyConditionSkipped   DependencyCondition = "Skipped"
	DependencyConditionCompleted DependencyCondition = "Completed"
)

// FactoryIdentityType is the factory's managed identity kind.
type FactoryIdentityType string

// FactoryIdentityTypeSystemAssigned gives the factory a system-assigned identity.
const FactoryIdentityTypeSystemAssigned FactoryIdentityType = "SystemAssigned"

// PublicNetworkAccess says whether the factory accepts public traffic.
type PublicNetworkAccess string

// Public network access values.
const (
	PublicNetworkAccessEnabled  PublicNetworkAccess = "Enabled"
	PublicNetworkAccessDisabled PublicNetworkAccess = "Disabled"
)

// RecurrenceFrequency is a schedule trigger's frequency.
type RecurrenceFrequency string

// RecurrenceFrequencyDay runs a schedule daily.
const RecurrenceFrequencyDay RecurrenceFrequency = "Day"

// VariableType is a pipeline variable's type.
type VariableType string

// VariableTypeString is a string variable.
const VariableTypeString VariableType = "String"

// ParameterType is a pipeline parameter's type.
type ParameterType string

// ParameterTypeString is a string parameter.
const ParameterTypeString ParameterType = "String"

// Each enum is a pulumi.StringInput (and StringPtrInput), so it fits both required and optional
// string fields of the Args structs.

func (DependencyCondition) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e DependencyCondition) ToStringOutput() pulumi.StringOutput {
	return pulumi.String(e).ToStringOutput()
}
func (e DependencyCondition) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e DependencyCondition) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(e).ToStringOutputWithContext(ctx)
}
func (e DependencyCondition) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (FactoryIdentityType) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e FactoryIdentityType) ToStringOutput() pulumi.StringOutput {
	return pulumi.String(e).ToStringOutput()
}
func (e FactoryIdentityType) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e FactoryIdentityType) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(e).ToStringOutputWithContext(ctx)
}
func (e FactoryIdentityType) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (PublicNetworkAccess) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e PublicNetworkAccess) ToStringOutput() pulumi.StringOutput {
	return pulumi.String(e).ToStringOutput()
}
func (e PublicNetworkAccess) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e PublicNetworkAccess) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(e).ToStringOutputWithContext(ctx)
}
func (e PublicNetworkAccess) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (RecurrenceFrequency) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e RecurrenceFrequency) ToStringOutput() pulumi.StringOutput {
	return pulumi.String(e).ToStringOutput()
}
func (e RecurrenceFrequency) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e RecurrenceFrequency) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(e).ToStringOutputWithContext(ctx)
}
func (e RecurrenceFrequency) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (VariableType) ElementType() reflect.Type             { return reflect.TypeOf("") }
func (e VariableType) ToStringOutput() pulumi.StringOutput { return pulumi.String(e).ToStringOutput() }
func (e VariableType) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e VariableType) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(e).ToStringOutputWithContext(ctx)
}
func (e VariableType) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (ParameterType) ElementType() reflect.Type             { return reflect.TypeOf("") }
func (e ParameterType) ToStringOutput() pulumi.StringOutput { return pulumi.String(e).ToStringOutput() }
func (e ParameterType) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e ParameterType) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(e).ToStringOutputWithContext(ctx)
}
func (e ParameterType) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}
