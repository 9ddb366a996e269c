package datafactory

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Pipeline is a factory pipeline (azure-native:datafactory:Pipeline).
type Pipeline struct {
	pulumi.CustomResourceState

	Etag pulumi.StringOutput `pulumi:"etag"`
	Name pulumi.StringOutput `pulumi:"name"`
}

type pipelineArgs struct {
	Activities        []interface{}                     `pulumi:"activities"`
	Concurrency       *int                              `pulumi:"concurrency"`
	Description       *string                           `pulumi:"description"`
	FactoryName       string                            `pulumi:"factoryName"`
	Parameters        map[string]ParameterSpecification `pulumi:"parameters"`
	PipelineName      *string                           `pulumi:"pipelineName"`
	ResourceGroupName string                            `pulumi:"resourceGroupName"`
	Variables         map[string]VariableSpecification  `pulumi:"variables"`
}

// PipelineArgs are the inputs of a Pipeline.
type PipelineArgs struct {
	Activities        ActivityArray
	Concurrency       pulumi.IntPtrInput
	Description       pulumi.StringPtrInput
	FactoryName       pulumi.StringInput
	Parameters        ParameterSpecificationMap
	PipelineName      pulumi.StringPtrInput
	ResourceGroupName pulumi.StringInput
	Variables         VariableSpecificationMap
}

func (PipelineArgs) ElementType() reflect.Type { return reflect.TypeOf((*pipelineArgs)(nil)).Elem() }

// NewPipeline registers a pipeline. Activity types are filled in, and activity names must be unique
// with every dependency naming an activity of the pipeline (ARM would only reject that at deploy time).
func NewPipeline(ctx *pulumi.Context, name string, args *PipelineArgs, opts ...pulumi.ResourceOption) (*Pipeline, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.FactoryName == nil {
		return nil, errors.New("invalid value for required argument 'FactoryName'")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	if err := checkActivityGraph(args.Activities); err != nil {
		return nil, fmt.Errorf("pipeline %s: %w", name, err)
	}
	wire := *args
	wire.Activities = make(ActivityArray, len(args.Activities))
	for i, a := range args.Activities {
		typed, err := withType(a)
		if err != nil {
			return nil, err
		}
		wire.Activities[i] = typed
	}
	var resource Pipeline
	if err := ctx.RegisterResource("azure-native:datafactory:Pipeline", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}

// checkActivityGraph requires literal, unique activity names and dependencies on known activities.
func checkActivityGraph(activities ActivityArray) error {
	names := map[string]bool{}
	for _, a := range activities {
		n := a.ActivityName()
		if n == "" {
			return fmt.Errorf("activity %T needs a literal name", a)
		}
		if names[n] {
			return fmt.Errorf("activity name %q is used twice", n)
		}
		names[n] = true
	}
	for _, a := range activities {
		for _, d := range a.Dependencies() {
			if !names[nameOf(d.Activity)] {
				return fmt.Errorf("activity %q depends on unknown activity %q", a.ActivityName(), nameOf(d.Activity))
			}
		}
	}
	return nil
}
