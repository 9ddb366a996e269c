package datafactory

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ManagedPrivateEndpoint is a private endpoint from the factory's managed virtual network to a service
// (azure-native:datafactory:ManagedPrivateEndpoint). The target's owner must approve the connection.
type ManagedPrivateEndpoint struct {
	pulumi.CustomResourceState

	Etag pulumi.StringOutput `pulumi:"etag"`
	Name pulumi.StringOutput `pulumi:"name"`
}

type managedPrivateEndpointArgs struct {
	FactoryName                string                     `pulumi:"factoryName"`
	ManagedPrivateEndpointName *string                    `pulumi:"managedPrivateEndpointName"`
	ManagedVirtualNetworkName  string                     `pulumi:"managedVirtualNetworkName"`
	Properties                 ManagedPrivateEndpointType `pulumi:"properties"`
	ResourceGroupName          string                     `pulumi:"resourceGroupName"`
}

// ManagedPrivateEndpointArgs are the inputs of a ManagedPrivateEndpoint.
type ManagedPrivateEndpointArgs struct {
	FactoryName                pulumi.StringInput
	ManagedPrivateEndpointName pulumi.StringPtrInput
	ManagedVirtualNetworkName  pulumi.StringInput
	Properties                 *ManagedPrivateEndpointTypeArgs
	ResourceGroupName          pulumi.StringInput
}

func (ManagedPrivateEndpointArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*managedPrivateEndpointArgs)(nil)).Elem()
}

// NewManagedPrivateEndpoint registers a managed private endpoint.
func NewManagedPrivateEndpoint(ctx *pulumi.Context, name string, args *ManagedPrivateEndpointArgs, opts ...pulumi.ResourceOption) (*ManagedPrivateEndpoint, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	switch {
	case args.FactoryName == nil:
		return nil, errors.New("invalid value for required argument 'FactoryName'")
	case args.ManagedVirtualNetworkName == nil:
		return nil, errors.New("invalid value for required argument 'ManagedVirtualNetworkName'")
	case args.Properties == nil:
		return nil, errors.New("invalid value for required argument 'Properties'")
	case args.ResourceGroupName == nil:
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	var resource ManagedPrivateEndpoint
	if err := ctx.RegisterResource("azure-native:datafactory:ManagedPrivateEndpoint", name, args, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
