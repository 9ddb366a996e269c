package datafactory

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LinkedService is a connection of a factory (azure-native:datafactory:LinkedService).
type LinkedService struct {
	pulumi.CustomResourceState

	Etag pulumi.StringOutput `pulumi:"etag"`
	Name pulumi.StringOutput `pulumi:"name"`
}

type linkedServiceArgs struct {
	FactoryName       string      `pulumi:"factoryName"`
	LinkedServiceName *string     `pulumi:"linkedServiceName"`
	Properties        interface{} `pulumi:"properties"`
	ResourceGroupName string      `pulumi:"resourceGroupName"`
}

// LinkedServiceArgs are the inputs of a LinkedService.
type LinkedServiceArgs struct {
	FactoryName       pulumi.StringInput
	LinkedServiceName pulumi.StringPtrInput
	Properties        LinkedServiceProperties
	ResourceGroupName pulumi.StringInput
}

func (LinkedServiceArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*linkedServiceArgs)(nil)).Elem()
}

// NewLinkedService registers a linked service; the properties' type is filled in from their Go type.
func NewLinkedService(ctx *pulumi.Context, name string, args *LinkedServiceArgs, opts ...pulumi.ResourceOption) (*LinkedService, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	wire := *args
	props, err := typedProperties(args.FactoryName, args.ResourceGroupName, args.Properties)
	if err != nil {
		return nil, err
	}
	wire.Properties = props
	var resource LinkedService
	if err := ctx.RegisterResource("azure-native:datafactory:LinkedService", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
