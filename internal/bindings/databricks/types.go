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
	GroupName            *string `pulumi:"groupName"`
	PermissionLevel      *string `pulumi:"permissionLevel"`
	ServicePrincipalName *string `pulumi:"servicePrincipalName"`
}

// PermissionsAccessControlArgs builds a PermissionsAccessControl (set one of GroupName and
// ServicePrincipalName, the application id).
type PermissionsAccessControlArgs struct {
	GroupName            pulumi.StringPtrInput
	PermissionLevel      pulumi.StringPtrInput
	ServicePrincipalName pulumi.StringPtrInput
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

// StorageCredentialAzureManagedIdentity makes a storage credential use an Azure Databricks access
// connector's managed identity (its resource id; system-assigned, so no managed identity id).
type StorageCredentialAzureManagedIdentity struct {
	AccessConnectorId string `pulumi:"accessConnectorId"`
}

// StorageCredentialAzureManagedIdentityArgs builds a StorageCredentialAzureManagedIdentity.
type StorageCredentialAzureManagedIdentityArgs struct {
	AccessConnectorId pulumi.StringInput
}

func (StorageCredentialAzureManagedIdentity) ElementType() reflect.Type {
	return reflect.TypeOf(StorageCredentialAzureManagedIdentity{})
}
func (StorageCredentialAzureManagedIdentityArgs) ElementType() reflect.Type {
	return reflect.TypeOf(StorageCredentialAzureManagedIdentity{})
}

// SqlTableColumn is one column of a table (name, Spark SQL type, nullability, comment).
type SqlTableColumn struct {
	Comment  *string `pulumi:"comment"`
	Name     string  `pulumi:"name"`
	Nullable *bool   `pulumi:"nullable"`
	Type     *string `pulumi:"type"`
}

// SqlTableColumnArgs builds a SqlTableColumn.
type SqlTableColumnArgs struct {
	Comment  pulumi.StringPtrInput
	Name     pulumi.StringInput
	Nullable pulumi.BoolPtrInput
	Type     pulumi.StringPtrInput
}

func (SqlTableColumn) ElementType() reflect.Type     { return reflect.TypeOf(SqlTableColumn{}) }
func (SqlTableColumnArgs) ElementType() reflect.Type { return reflect.TypeOf(SqlTableColumn{}) }

// SqlTableColumnArray is a typed list of SqlTableColumnArgs.
type SqlTableColumnArray []SqlTableColumnArgs

func (SqlTableColumnArray) ElementType() reflect.Type { return reflect.TypeOf([]SqlTableColumn{}) }

// GrantsGrant gives one principal (account group display name, user name or service principal
// application id) a set of Unity Catalog privileges.
type GrantsGrant struct {
	Principal  string   `pulumi:"principal"`
	Privileges []string `pulumi:"privileges"`
}

// GrantsGrantArgs builds a GrantsGrant.
type GrantsGrantArgs struct {
	Principal  pulumi.StringInput
	Privileges pulumi.StringArrayInput
}

func (GrantsGrant) ElementType() reflect.Type     { return reflect.TypeOf(GrantsGrant{}) }
func (GrantsGrantArgs) ElementType() reflect.Type { return reflect.TypeOf(GrantsGrant{}) }

// GrantsGrantArray is a typed list of GrantsGrantArgs.
type GrantsGrantArray []GrantsGrantArgs

func (GrantsGrantArray) ElementType() reflect.Type { return reflect.TypeOf([]GrantsGrant{}) }
