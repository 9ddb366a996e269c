package synapse

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// BigDataPool is an Apache Spark pool (azure-native:synapse:BigDataPool).
type BigDataPool struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

type bigDataPoolArgs struct {
	AutoPause         *AutoPauseProperties `pulumi:"autoPause"`
	AutoScale         *AutoScaleProperties `pulumi:"autoScale"`
	BigDataPoolName   *string              `pulumi:"bigDataPoolName"`
	IsAutotuneEnabled *bool                `pulumi:"isAutotuneEnabled"`
	Location          *string              `pulumi:"location"`
	NodeCount         *int                 `pulumi:"nodeCount"`
	NodeSize          *string              `pulumi:"nodeSize"`
	NodeSizeFamily    *string              `pulumi:"nodeSizeFamily"`
	ResourceGroupName string               `pulumi:"resourceGroupName"`
	SparkVersion      *string              `pulumi:"sparkVersion"`
	Tags              map[string]string    `pulumi:"tags"`
	WorkspaceName     string               `pulumi:"workspaceName"`
}

// BigDataPoolArgs are the inputs of a BigDataPool.
type BigDataPoolArgs struct {
	AutoPause         *AutoPausePropertiesArgs
	AutoScale         *AutoScalePropertiesArgs
	BigDataPoolName   pulumi.StringPtrInput
	IsAutotuneEnabled pulumi.BoolPtrInput
	Location          pulumi.StringPtrInput
	NodeCount         pulumi.IntPtrInput
	NodeSize          pulumi.StringPtrInput
	NodeSizeFamily    pulumi.StringPtrInput
	ResourceGroupName pulumi.StringInput
	SparkVersion      pulumi.StringPtrInput
	Tags              pulumi.StringMapInput
	WorkspaceName     pulumi.StringInput
}

func (BigDataPoolArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*bigDataPoolArgs)(nil)).Elem()
}

// NewBigDataPool registers a Spark pool.
func NewBigDataPool(ctx *pulumi.Context, name string, args *BigDataPoolArgs, opts ...pulumi.ResourceOption) (*BigDataPool, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	if args.WorkspaceName == nil {
		return nil, errors.New("invalid value for required argument 'WorkspaceName'")
	}
	var resource BigDataPool
	if err := ctx.RegisterResource("azure-native:synapse:BigDataPool", name, args, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}

// SqlPool is a dedicated SQL pool (azure-native:synapse:SqlPool).
type SqlPool struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

type sqlPoolArgs struct {
	Collation          *string           `pulumi:"collation"`
	CreateMode         *string           `pulumi:"createMode"`
	Location           *string           `pulumi:"location"`
	ResourceGroupName  string            `pulumi:"resourceGroupName"`
	Sku                *Sku              `pulumi:"sku"`
	SqlPoolName        *string           `pulumi:"sqlPoolName"`
	StorageAccountType *string           `pulumi:"storageAccountType"`
	Tags               map[string]string `pulumi:"tags"`
	WorkspaceName      string            `pulumi:"workspaceName"`
}

// SqlPoolArgs are the inputs of a SqlPool.
type SqlPoolArgs struct {
	Collation          pulumi.StringPtrInput
	CreateMode         pulumi.StringPtrInput
	Location           pulumi.StringPtrInput
	ResourceGroupName  pulumi.StringInput
	Sku                *SkuArgs
	SqlPoolName        pulumi.StringPtrInput
	StorageAccountType pulumi.StringPtrInput
	Tags               pulumi.StringMapInput
	WorkspaceName      pulumi.StringInput
}

func (SqlPoolArgs) ElementType() reflect.Type { return reflect.TypeOf((*sqlPoolArgs)(nil)).Elem() }

// NewSqlPool registers a dedicated SQL pool, defaulting collation and backup redundancy (GRS) as the
// official constructor does.
func NewSqlPool(ctx *pulumi.Context, name string, args *SqlPoolArgs, opts ...pulumi.ResourceOption) (*SqlPool, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	if args.WorkspaceName == nil {
		return nil, errors.New("invalid value for required argument 'WorkspaceName'")
	}
	wire := *args
	if wire.Collation == nil {
		wire.Collation = pulumi.StringPtr("")
	}
	if wire.StorageAccountType == nil {
		wire.StorageAccountType = StorageAccountTypeGRS
	}
	var resource SqlPool
	if err := ctx.RegisterResource("azure-native:synapse:SqlPool", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
