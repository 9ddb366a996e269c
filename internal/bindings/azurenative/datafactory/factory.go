package datafactory

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Factory is a Data Factory (azure-native:datafactory:Factory).
type Factory struct {
	pulumi.CustomResourceState

	Identity            FactoryIdentityResponseOutput `pulumi:"identity"`
	Location            pulumi.StringPtrOutput        `pulumi:"location"`
	Name                pulumi.StringOutput           `pulumi:"name"`
	PublicNetworkAccess pulumi.StringPtrOutput        `pulumi:"publicNetworkAccess"`
	Tags                pulumi.StringMapOutput        `pulumi:"tags"`
}

type factoryArgs struct {
	FactoryName         *string           `pulumi:"factoryName"`
	Identity            *FactoryIdentity  `pulumi:"identity"`
	Location            *string           `pulumi:"location"`
	PublicNetworkAccess *string           `pulumi:"publicNetworkAccess"`
	ResourceGroupName   string            `pulumi:"resourceGroupName"`
	Tags                map[string]string `pulumi:"tags"`
}

// FactoryArgs are the inputs of a Factory.
type FactoryArgs struct {
	FactoryName         pulumi.StringPtrInput
	Identity            *FactoryIdentityArgs
	Location            pulumi.StringPtrInput
	PublicNetworkAccess pulumi.StringPtrInput
	ResourceGroupName   pulumi.StringInput
	Tags                pulumi.StringMapInput
}

func (FactoryArgs) ElementType() reflect.Type { return reflect.TypeOf((*factoryArgs)(nil)).Elem() }

// NewFactory registers a Data Factory.
func NewFactory(ctx *pulumi.Context, name string, args *FactoryArgs, opts ...pulumi.ResourceOption) (*Factory, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	var resource Factory
	if err := ctx.RegisterResource("azure-native:datafactory:Factory", name, args, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
