// Package databricks is a hand-written binding for the Azure Databricks workspace and access connector
// of the official azure-native Pulumi SDK, github.com/pulumi/pulumi-azure-native-sdk/databricks/v2 at
// v2.90.0, whose module cannot be installed here. It registers azure-native:databricks:Workspace and
// azure-native:databricks:AccessConnector with the azure-native plugin pinned at 2.90.0 and mirrors the
// generated SDK's names and shapes for the fields the platform uses.
package databricks

import (
	"context"
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PluginVersion is the azure-native provider plugin the resources are registered with.
const PluginVersion = "2.90.0"

// PublicNetworkAccess says whether the workspace's front end accepts public traffic.
type PublicNetworkAccess string

// Public network access values.
const (
	PublicNetworkAccessEnabled  PublicNetworkAccess = "Enabled"
	PublicNetworkAccessDisabled PublicNetworkAccess = "Disabled"
)

// RequiredNsgRules says which NSG rules Azure Databricks manages for a VNet-injected workspace.
type RequiredNsgRules string

// Required NSG rule sets.
const (
	RequiredNsgRulesAllRules               RequiredNsgRules = "AllRules"
	RequiredNsgRulesNoAzureDatabricksRules RequiredNsgRules = "NoAzureDatabricksRules"
)

func (PublicNetworkAccess) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e PublicNetworkAccess) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e PublicNetworkAccess) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

func (RequiredNsgRules) ElementType() reflect.Type { return reflect.TypeOf("") }
func (e RequiredNsgRules) ToStringPtrOutput() pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutput()
}
func (e RequiredNsgRules) ToStringPtrOutputWithContext(ctx context.Context) pulumi.StringPtrOutput {
	return pulumi.StringPtr(string(e)).ToStringPtrOutputWithContext(ctx)
}

// Sku is the workspace tier ("premium" for RBAC, secret scopes ACLs and private link).
type Sku struct {
	Name string  `pulumi:"name"`
	Tier *string `pulumi:"tier"`
}

// SkuArgs builds a Sku.
type SkuArgs struct {
	Name pulumi.StringInput
	Tier pulumi.StringPtrInput
}

func (Sku) ElementType() reflect.Type     { return reflect.TypeOf(Sku{}) }
func (SkuArgs) ElementType() reflect.Type { return reflect.TypeOf(Sku{}) }

// WorkspaceCustomStringParameter wraps a string workspace parameter.
type WorkspaceCustomStringParameter struct {
	Value string `pulumi:"value"`
}

// WorkspaceCustomStringParameterArgs builds a WorkspaceCustomStringParameter.
type WorkspaceCustomStringParameterArgs struct {
	Value pulumi.StringInput
}

func (WorkspaceCustomStringParameter) ElementType() reflect.Type {
	return reflect.TypeOf(WorkspaceCustomStringParameter{})
}
func (WorkspaceCustomStringParameterArgs) ElementType() reflect.Type {
	return reflect.TypeOf(WorkspaceCustomStringParameter{})
}

// WorkspaceCustomBooleanParameter wraps a boolean workspace parameter.
type WorkspaceCustomBooleanParameter struct {
	Value bool `pulumi:"value"`
}

// WorkspaceCustomBooleanParameterArgs builds a WorkspaceCustomBooleanParameter.
type WorkspaceCustomBooleanParameterArgs struct {
	Value pulumi.BoolInput
}

func (WorkspaceCustomBooleanParameter) ElementType() reflect.Type {
	return reflect.TypeOf(WorkspaceCustomBooleanParameter{})
}
func (WorkspaceCustomBooleanParameterArgs) ElementType() reflect.Type {
	return reflect.TypeOf(WorkspaceCustomBooleanParameter{})
}

// WorkspaceCustomParameters are the workspace's network and security parameters.
type WorkspaceCustomParameters struct {
	CustomPrivateSubnetName *WorkspaceCustomStringParameter  `pulumi:"customPrivateSubnetName"`
	CustomPublicSubnetName  *WorkspaceCustomStringParameter  `pulumi:"customPublicSubnetName"`
	CustomVirtualNetworkId  *WorkspaceCustomStringParameter  `pulumi:"customVirtualNetworkId"`
	EnableNoPublicIp        *WorkspaceCustomBooleanParameter `pulumi:"enableNoPublicIp"`
}

// WorkspaceCustomParametersArgs builds WorkspaceCustomParameters.
type WorkspaceCustomParametersArgs struct {
	CustomPrivateSubnetName *WorkspaceCustomStringParameterArgs
	CustomPublicSubnetName  *WorkspaceCustomStringParameterArgs
	CustomVirtualNetworkId  *WorkspaceCustomStringParameterArgs
	EnableNoPublicIp        *WorkspaceCustomBooleanParameterArgs
}

func (WorkspaceCustomParameters) ElementType() reflect.Type {
	return reflect.TypeOf(WorkspaceCustomParameters{})
}
func (WorkspaceCustomParametersArgs) ElementType() reflect.Type {
	return reflect.TypeOf(WorkspaceCustomParameters{})
}

// Workspace is an Azure Databricks workspace (azure-native:databricks:Workspace).
type Workspace struct {
	pulumi.CustomResourceState

	ManagedResourceGroupId pulumi.StringOutput `pulumi:"managedResourceGroupId"`
	Name                   pulumi.StringOutput `pulumi:"name"`
	WorkspaceId            pulumi.StringOutput `pulumi:"workspaceId"`
	WorkspaceUrl           pulumi.StringOutput `pulumi:"workspaceUrl"`
}

type workspaceArgs struct {
	Location               *string                    `pulumi:"location"`
	ManagedResourceGroupId string                     `pulumi:"managedResourceGroupId"`
	Parameters             *WorkspaceCustomParameters `pulumi:"parameters"`
	PublicNetworkAccess    *string                    `pulumi:"publicNetworkAccess"`
	RequiredNsgRules       *string                    `pulumi:"requiredNsgRules"`
	ResourceGroupName      string                     `pulumi:"resourceGroupName"`
	Sku                    *Sku                       `pulumi:"sku"`
	Tags                   map[string]string          `pulumi:"tags"`
	WorkspaceName          *string                    `pulumi:"workspaceName"`
}

// WorkspaceArgs are the inputs of a Workspace.
type WorkspaceArgs struct {
	Location               pulumi.StringPtrInput
	ManagedResourceGroupId pulumi.StringInput
	Parameters             *WorkspaceCustomParametersArgs
	PublicNetworkAccess    pulumi.StringPtrInput
	RequiredNsgRules       pulumi.StringPtrInput
	ResourceGroupName      pulumi.StringInput
	Sku                    *SkuArgs
	Tags                   pulumi.StringMapInput
	WorkspaceName          pulumi.StringPtrInput
}

func (WorkspaceArgs) ElementType() reflect.Type { return reflect.TypeOf((*workspaceArgs)(nil)).Elem() }

// NewWorkspace registers a Databricks workspace.
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ManagedResourceGroupId == nil {
		return nil, errors.New("invalid value for required argument 'ManagedResourceGroupId'")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	var resource Workspace
	opts = append([]pulumi.ResourceOption{pulumi.Version(PluginVersion)}, opts...)
	if err := ctx.RegisterResource("azure-native:databricks:Workspace", name, args, &resource, opts...); err != nil {
		return nil, err
	}
	return &resource, nil
}
