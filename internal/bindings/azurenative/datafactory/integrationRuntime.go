package datafactory

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// IntegrationRuntime is a factory's compute (azure-native:datafactory:IntegrationRuntime).
type IntegrationRuntime struct {
	pulumi.CustomResourceState

	Etag pulumi.StringOutput `pulumi:"etag"`
	Name pulumi.StringOutput `pulumi:"name"`
}

type integrationRuntimeArgs struct {
	FactoryName            string      `pulumi:"factoryName"`
	IntegrationRuntimeName *string     `pulumi:"integrationRuntimeName"`
	Properties             interface{} `pulumi:"properties"`
	ResourceGroupName      string      `pulumi:"resourceGroupName"`
}

// IntegrationRuntimeArgs are the inputs of an IntegrationRuntime.
type IntegrationRuntimeArgs struct {
	FactoryName            pulumi.StringInput
	IntegrationRuntimeName pulumi.StringPtrInput
	Properties             IntegrationRuntimeProperties
	ResourceGroupName      pulumi.StringInput
}

func (IntegrationRuntimeArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*integrationRuntimeArgs)(nil)).Elem()
}

// NewIntegrationRuntime registers an integration runtime; the properties' type is filled in.
func NewIntegrationRuntime(ctx *pulumi.Context, name string, args *IntegrationRuntimeArgs, opts ...pulumi.ResourceOption) (*IntegrationRuntime, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	wire := *args
	props, err := typedProperties(args.FactoryName, args.ResourceGroupName, args.Properties)
	if err != nil {
		return nil, err
	}
	wire.Properties = props
	var resource IntegrationRuntime
	if err := ctx.RegisterResource("azure-native:datafactory:IntegrationRuntime", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
