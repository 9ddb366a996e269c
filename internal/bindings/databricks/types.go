package databricks

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The upstream schema data for these nested types is partial (see the contract test); their field
// names follow the provider's bridge metadata.

// ClusterAutoscale bounds an autoscaling cluster.
type ClusterAutoscale struct {
	MaxWorkers *int `pulumi:"maxWorkers"`
	MinWorkers *int `pulumi:"minWorkers"`
}

// ClusterAutoscaleArgs builds a ClusterAutoscale.
type ClusterAutoscaleArgs struct {
	MaxWorkers pulumi.IntPtrInput
	MinWorkers pulumi.IntPtrInput
}

func (ClusterAutoscale) ElementType() reflect.Type     { return reflect.TypeOf(ClusterAutoscale{}) }
func (ClusterAutoscaleArgs) ElementType() reflect.Type { return reflect.TypeOf(ClusterAutoscale{}) }

// SecretScopeKeyvaultMetadata backs a secret scope with an Azure Key Vault.
type SecretScopeKeyvaultMetadata struct {
	DnsName    string `pulumi:"dnsName"`
	ResourceId string `pulumi:"resourceId"`
}

// SecretScopeKeyvaultMetadataArgs builds SecretScopeKeyvaultMetadata.
type SecretScopeKeyvaultMetadataArgs struct {
	DnsName    pulumi.StringInput
	ResourceId pulumi.StringInput
}

func (SecretScopeKeyvaultMetadata) ElementType() reflect.Type {
	return reflect.TypeOf(SecretScopeKeyvaultMetadata{})
}
func (SecretScopeKeyvaultMetadataArgs) ElementType() reflect.Type {
	return reflect.TypeOf(SecretScopeKeyvaultMetadata{})
}

// PermissionsAccessControl grants a permission level to a principal.
type PermissionsAccessControl struct {
	GroupName       *string `pulumi:"groupName"`
	PermissionLevel *string `pulumi:"permissionLevel"`
}

// PermissionsAccessControlArgs builds a PermissionsAccessControl.
type PermissionsAccessControlArgs struct {
	GroupName       pulumi.StringPtrInput
	PermissionLevel pulumi.StringPtrInput
}

func (PermissionsAccessControl) ElementType() reflect.Type {
	return reflect.TypeOf(PermissionsAccessControl{})
}
func (PermissionsAccessControlArgs) ElementType() reflect.Type {
	return reflect.TypeOf(PermissionsAccessControl{})
}

// PermissionsAccessControlArray is a typed list of PermissionsAccessControlArgs.
type PermissionsAccessControlArray []PermissionsAccessControlArgs

func (PermissionsAccessControlArray) ElementType() reflect.Type {
	return reflect.TypeOf([]PermissionsAccessControl{})
}
