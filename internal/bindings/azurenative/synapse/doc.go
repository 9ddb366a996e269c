// Package synapse is a hand-written binding for the Synapse resources of the official azure-native
// Pulumi SDK, github.com/pulumi/pulumi-azure-native-sdk/synapse/v2 at v2.90.0, whose module cannot be
// installed here. It registers the official type tokens with the azure-native plugin pinned at 2.90.0,
// mirrors the generated SDK's names and shapes for the resources and fields the platform uses, and
// applies the same input defaults as the official constructors, so state is identical to what the
// official SDK would produce.
package synapse

import (
	"context"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PluginVersion is the azure-native provider plugin the resources are registered with.
const PluginVersion = "2.90.0"

func defaultOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Version(PluginVersion)}, opts...)
}

// ResourceIdentityType is the workspace's managed identity kind (upstream enum of that name).
type ResourceIdentityType string

// ResourceIdentityTypeSystemAssigned gives the workspace a system-assigned identity.
const ResourceIdentityTypeSystemAssigned ResourceIdentityType = "SystemAssigned"

// ElementType makes the enum an Input of its own type, matching the upstream *ResourceIdentityType field.
func (ResourceIdentityType) ElementType() reflect.Type {
	return reflect.TypeOf(ResourceIdentityType(""))
}

// WorkspacePublicNetworkAccess says whether the workspace accepts public traffic.
type WorkspacePublicNetworkAccess string

// Public network access values.
const (
	WorkspacePublicNetworkAccessEnabled  WorkspacePublicNetworkAccess = "Enabled"
	WorkspacePublicNetworkAccessDisabled WorkspacePublicNetworkAccess = "Disabled"
)

// NodeSize is a Spark pool's node size.
type NodeSize string

// NodeSizeSmall is 4 vCores / 32 GB.
const NodeSizeSmall NodeSize = "Small"

// NodeSizeFamily is a Spark pool's node family.
type NodeSizeFamily string

// NodeSizeFamilyMemoryOptimized is the general-purpose Spark node family.
const NodeSizeFamilyMemoryOptimized NodeSizeFamily = "MemoryOptimized"

// CreateMode is how a SQL pool is created.
type CreateMode string

// CreateModeDefault creates an empty pool.
const CreateModeDefault CreateMode = "Default"

// StorageAccountType is a SQL pool's backup redundancy.
type StorageAccountType string

// Backup redundancies.
const (
	StorageAccountTypeGRS StorageAccountType = "GRS"
	StorageAccountTypeLRS StorageAccountType = "LRS"
)

// The string enums fit both required and optional string fields.

func (WorkspacePublicNetworkAccess) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e WorkspacePublicNetworkAccess) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e WorkspacePublicNetworkAccess) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (NodeSize) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e NodeSize) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e NodeSize) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (NodeSizeFamily) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e NodeSizeFamily) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e NodeSizeFamily) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (CreateMode) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e CreateMode) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e CreateMode) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (StorageAccountType) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e StorageAccountType) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e StorageAccountType) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}
