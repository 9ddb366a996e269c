package synapse

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ManagedIdentity is the workspace's identity.
type ManagedIdentity struct {
	Type *ResourceIdentityType `pulumi:"type"`
}

// ManagedIdentityArgs builds a ManagedIdentity.
type ManagedIdentityArgs struct {
	Type ResourceIdentityType
}

func (ManagedIdentity) ElementType() reflect.Type     { return reflect.TypeOf(ManagedIdentity{}) }
func (ManagedIdentityArgs) ElementType() reflect.Type { return reflect.TypeOf(ManagedIdentity{}) }

// ManagedIdentityResponse is the identity ARM returns.
type ManagedIdentityResponse struct {
	PrincipalId string  `pulumi:"principalId"`
	TenantId    string  `pulumi:"tenantId"`
	Type        *string `pulumi:"type"`
}

// ManagedIdentityResponseOutput is the Output of a ManagedIdentityResponse.
type ManagedIdentityResponseOutput struct{ *pulumi.OutputState }

func (ManagedIdentityResponseOutput) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedIdentityResponse{})
}

// PrincipalId is the identity's object id.
func (o ManagedIdentityResponseOutput) PrincipalId() pulumi.StringOutput {
	return o.ApplyT(func(v ManagedIdentityResponse) string { return v.PrincipalId }).(pulumi.StringOutput)
}

func init() { pulumi.RegisterOutputType(ManagedIdentityResponseOutput{}) }

// DataLakeStorageAccountDetails is the workspace's default ADLS Gen2 filesystem.
type DataLakeStorageAccountDetails struct {
	AccountUrl                   *string `pulumi:"accountUrl"`
	CreateManagedPrivateEndpoint *bool   `pulumi:"createManagedPrivateEndpoint"`
	Filesystem                   *string `pulumi:"filesystem"`
	ResourceId                   *string `pulumi:"resourceId"`
}

// DataLakeStorageAccountDetailsArgs builds DataLakeStorageAccountDetails.
type DataLakeStorageAccountDetailsArgs struct {
	AccountUrl                   pulumi.StringPtrInput
	CreateManagedPrivateEndpoint pulumi.BoolPtrInput
	Filesystem                   pulumi.StringPtrInput
	ResourceId                   pulumi.StringPtrInput
}

func (DataLakeStorageAccountDetails) ElementType() reflect.Type {
	return reflect.TypeOf(DataLakeStorageAccountDetails{})
}
func (DataLakeStorageAccountDetailsArgs) ElementType() reflect.Type {
	return reflect.TypeOf(DataLakeStorageAccountDetails{})
}

// ManagedVirtualNetworkSettings governs the workspace's managed virtual network.
type ManagedVirtualNetworkSettings struct {
	AllowedAadTenantIdsForLinking     []string `pulumi:"allowedAadTenantIdsForLinking"`
	LinkedAccessCheckOnTargetResource *bool    `pulumi:"linkedAccessCheckOnTargetResource"`
	PreventDataExfiltration           *bool    `pulumi:"preventDataExfiltration"`
}

// ManagedVirtualNetworkSettingsArgs builds ManagedVirtualNetworkSettings.
type ManagedVirtualNetworkSettingsArgs struct {
	AllowedAadTenantIdsForLinking     pulumi.StringArrayInput
	LinkedAccessCheckOnTargetResource pulumi.BoolPtrInput
	PreventDataExfiltration           pulumi.BoolPtrInput
}

func (ManagedVirtualNetworkSettings) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedVirtualNetworkSettings{})
}
func (ManagedVirtualNetworkSettingsArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedVirtualNetworkSettings{})
}

// CspWorkspaceAdminProperties names the workspace's first administrator.
type CspWorkspaceAdminProperties struct {
	InitialWorkspaceAdminObjectId *string `pulumi:"initialWorkspaceAdminObjectId"`
}

// CspWorkspaceAdminPropertiesArgs builds CspWorkspaceAdminProperties.
type CspWorkspaceAdminPropertiesArgs struct {
	InitialWorkspaceAdminObjectId pulumi.StringPtrInput
}

func (CspWorkspaceAdminProperties) ElementType() reflect.Type {
	return reflect.TypeOf(CspWorkspaceAdminProperties{})
}
func (CspWorkspaceAdminPropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf(CspWorkspaceAdminProperties{})
}

// AutoPauseProperties pauses an idle Spark pool.
type AutoPauseProperties struct {
	DelayInMinutes *int  `pulumi:"delayInMinutes"`
	Enabled        *bool `pulumi:"enabled"`
}

// AutoPausePropertiesArgs builds AutoPauseProperties.
type AutoPausePropertiesArgs struct {
	DelayInMinutes pulumi.IntPtrInput
	Enabled        pulumi.BoolPtrInput
}

func (AutoPauseProperties) ElementType() reflect.Type { return reflect.TypeOf(AutoPauseProperties{}) }
func (AutoPausePropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf(AutoPauseProperties{})
}

// AutoScaleProperties scales a Spark pool between node counts.
type AutoScaleProperties struct {
	Enabled      *bool `pulumi:"enabled"`
	MaxNodeCount *int  `pulumi:"maxNodeCount"`
	MinNodeCount *int  `pulumi:"minNodeCount"`
}

// AutoScalePropertiesArgs builds AutoScaleProperties.
type AutoScalePropertiesArgs struct {
	Enabled      pulumi.BoolPtrInput
	MaxNodeCount pulumi.IntPtrInput
	MinNodeCount pulumi.IntPtrInput
}

func (AutoScaleProperties) ElementType() reflect.Type { return reflect.TypeOf(AutoScaleProperties{}) }
func (AutoScalePropertiesArgs) ElementType() reflect.Type {
	return reflect.TypeOf(AutoScaleProperties{})
}

// Sku is a dedicated SQL pool's performance level.
type Sku struct {
	Name *string `pulumi:"name"`
}

// SkuArgs builds a Sku.
type SkuArgs struct {
	Name pulumi.StringPtrInput
}

func (Sku) ElementType() reflect.Type     { return reflect.TypeOf(Sku{}) }
func (SkuArgs) ElementType() reflect.Type { return reflect.TypeOf(Sku{}) }
