package databricks

import (
	"context"
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ManagedServiceIdentityType is the kind of identity an access connector has.
type ManagedServiceIdentityType string

// Managed identity types.
const (
	ManagedServiceIdentityTypeSystemAssigned ManagedServiceIdentityType = "SystemAssigned"
)

func (ManagedServiceIdentityType) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e ManagedServiceIdentityType) ToStringOutput() pulumi.StringOutput {
	return pulumi.String(string(e)).ToStringOutput()
}
func (e ManagedServiceIdentityType) ToStringOutputWithContext(ctx context.Context) pulumi.StringOutput {
	return pulumi.String(string(e)).ToStringOutputWithContext(ctx)
}
func (e ManagedServiceIdentityType) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e ManagedServiceIdentityType) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

// ManagedServiceIdentity is the identity of an access connector.
type ManagedServiceIdentity struct {
	Type string `pulumi:"type"`
}

// ManagedServiceIdentityArgs builds a ManagedServiceIdentity.
type ManagedServiceIdentityArgs struct {
	Type pulumi.StringInput
}

func (ManagedServiceIdentity) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedServiceIdentity{})
}
func (ManagedServiceIdentityArgs) ElementType() reflect.Type {
	return reflect.TypeOf(ManagedServiceIdentity{})
}

// ManagedServiceIdentityResponse is the identity ARM returns (principal id of the system identity).
type ManagedServiceIdentityResponse struct {
	PrincipalId string `pulumi:"principalId"`
	TenantId    string `pulumi:"tenantId"`
	Type        string `pulumi:"type"`
}

// ManagedServiceIdentityResponseOutput is an Output of a ManagedServiceIdentityResponse.
type ManagedServiceIdentityResponseOutput struct{ *pulumi.OutputState }

func (ManagedServiceIdentityResponseOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*ManagedServiceIdentityResponse)(nil)).Elem()
}

// PrincipalId is the object id of the system-assigned identity.
func (o ManagedServiceIdentityResponseOutput) PrincipalId() pulumi.StringOutput {
	return o.ApplyT(func(v ManagedServiceIdentityResponse) string { return v.PrincipalId }).(pulumi.StringOutput)
}

func init() { pulumi.RegisterOutputType(ManagedServiceIdentityResponseOutput{}) }

// AccessConnector is an Azure Databricks access connector (azure-native:databricks:AccessConnector): a
// managed identity Unity Catalog uses, through a storage credential, to reach storage.
type AccessConnector struct {
	pulumi.CustomResourceState

	Identity ManagedServiceIdentityResponseOutput `pulumi:"identity"`
	Name     pulumi.StringOutput                  `pulumi:"name"`
}

type accessConnectorArgs struct {
	ConnectorName     *string                 `pulumi:"connectorName"`
	Identity          *ManagedServiceIdentity `pulumi:"identity"`
	Location          *string                 `pulumi:"location"`
	ResourceGroupName string                  `pulumi:"resourceGroupName"`
	Tags              map[string]string       `pulumi:"tags"`
}

// AccessConnectorArgs are the inputs of an AccessConnector.
type AccessConnectorArgs struct {
	ConnectorName     pulumi.StringPtrInput
	Identity          *ManagedServiceIdentityArgs
	Location          pulumi.StringPtrInput
	ResourceGroupName pulumi.StringInput
	Tags              pulumi.StringMapInput
}

func (AccessConnectorArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*accessConnectorArgs)(nil)).Elem()
}

// NewAccessConnector registers an access connector.
func NewAccessConnector(ctx *pulumi.Context, name string, args *AccessConnectorArgs, opts ...pulumi.ResourceOption) (*AccessConnector, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	var resource AccessConnector
	opts = append([]pulumi.ResourceOption{pulumi.Version(PluginVersion)}, opts...)
	if err := ctx.RegisterResource("azure-native:databricks:AccessConnector", name, args, &resource, opts...); err != nil {
		return nil, err
	}
	return &resource, nil
}
