package datafactory

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Trigger starts pipelines (azure-native:datafactory:Trigger). ARM creates triggers stopped; starting
// and stopping is an action outside the resource (see the deploy workflow).
type Trigger struct {
	pulumi.CustomResourceState

	Etag pulumi.StringOutput `pulumi:"etag"`
	Name pulumi.StringOutput `pulumi:"name"`
}

type triggerArgs struct {
	FactoryName       string      `pulumi:"factoryName"`
	Properties        interface{} `pulumi:"properties"`
	ResourceGroupName string      `pulumi:"resourceGroupName"`
	TriggerName       *string     `pulumi:"triggerName"`
}

// TriggerArgs are the inputs of a Trigger.
type TriggerArgs struct {
	FactoryName       pulumi.StringInput
	Properties        TriggerProperties
	ResourceGroupName pulumi.StringInput
	TriggerName       pulumi.StringPtrInput
}

func (TriggerArgs) ElementType() reflect.Type { return reflect.TypeOf((*triggerArgs)(nil)).Elem() }

// NewTrigger registers a trigger; the properties' type is filled in.
func NewTrigger(ctx *pulumi.Context, name string, args *TriggerArgs, opts ...pulumi.ResourceOption) (*Trigger, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	wire := *args
	props, err := typedProperties(args.FactoryName, args.ResourceGroupName, args.Properties)
	if err != nil {
		return nil, err
	}
	wire.Properties = props
	var resource Trigger
	if err := ctx.RegisterResource("azure-native:datafactory:Trigger", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
