package datafactory

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Dataset is a named view of data in a linked service (azure-native:datafactory:Dataset).
type Dataset struct {
	pulumi.CustomResourceState

	Etag pulumi.StringOutput `pulumi:"etag"`
	Name pulumi.StringOutput `pulumi:"name"`
}

type datasetArgs struct {
	DatasetName       *string     `pulumi:"datasetName"`
	FactoryName       string      `pulumi:"factoryName"`
	Properties        interface{} `pulumi:"properties"`
	ResourceGroupName string      `pulumi:"resourceGroupName"`
}

// DatasetArgs are the inputs of a Dataset.
type DatasetArgs struct {
	DatasetName       pulumi.StringPtrInput
	FactoryName       pulumi.StringInput
	Properties        DatasetProperties
	ResourceGroupName pulumi.StringInput
}

func (DatasetArgs) ElementType() reflect.Type { return reflect.TypeOf((*datasetArgs)(nil)).Elem() }

// NewDataset registers a dataset; the properties' type (and their location's) is filled in.
func NewDataset(ctx *pulumi.Context, name string, args *DatasetArgs, opts ...pulumi.ResourceOption) (*Dataset, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	wire := *args
	props, err := typedProperties(args.FactoryName, args.ResourceGroupName, args.Properties)
	if err != nil {
		return nil, err
	}
	wire.Properties = props
	var resource Dataset
	if err := ctx.RegisterResource("azure-native:datafactory:Dataset", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
