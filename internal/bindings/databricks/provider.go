package databricks

import (
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Provider is an explicit Databricks provider (pulumi:providers:databricks).
type Provider struct {
	pulumi.ProviderResourceState

	AzureWorkspaceResourceId pulumi.StringPtrOutput `pulumi:"azureWorkspaceResourceId"`
	Host                     pulumi.StringPtrOutput `pulumi:"host"`
}

type providerArgs struct {
	AuthType                 *string `pulumi:"authType"`
	AzureWorkspaceResourceId *string `pulumi:"azureWorkspaceResourceId"`
	Host                     *string `pulumi:"host"`
}

// ProviderArgs configures the provider. For a workspace created in the same program both Host and
// AzureWorkspaceResourceId are needed: the resource id lets Azure Entra ID authentication (CLI, OIDC,
// managed identity) reach a workspace that did not exist when the program started.
type ProviderArgs struct {
	AuthType                 pulumi.StringPtrInput
	AzureWorkspaceResourceId pulumi.StringPtrInput
	Host                     pulumi.StringPtrInput
}

func (ProviderArgs) ElementType() reflect.Type { return reflect.TypeOf((*providerArgs)(nil)).Elem() }

// NewProvider registers an explicit Databricks provider.
func NewProvider(ctx *pulumi.Context, name string, args *ProviderArgs, opts ...pulumi.ResourceOption) (*Provider, error) {
	if args == nil {
		args = &ProviderArgs{}
	}
	var resource Provider
	if err := ctx.RegisterResource("pulumi:providers:databricks", name, args, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
