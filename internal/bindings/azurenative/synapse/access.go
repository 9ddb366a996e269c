package synapse

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// IpFirewallRule opens the workspace's public endpoints to an address range
// (azure-native:synapse:IpFirewallRule).
type IpFirewallRule struct {
	pulumi.CustomResourceState

	Name pulumi.StringOutput `pulumi:"name"`
}

type ipFirewallRuleArgs struct {
	EndIpAddress      *string `pulumi:"endIpAddress"`
	ResourceGroupName string  `pulumi:"resourceGroupName"`
	RuleName          *string `pulumi:"ruleName"`
	StartIpAddress    *string `pulumi:"startIpAddress"`
	WorkspaceName     string  `pulumi:"workspaceName"`
}

// IpFirewallRuleArgs are the inputs of an IpFirewallRule.
type IpFirewallRuleArgs struct {
	EndIpAddress      pulumi.StringPtrInput
	ResourceGroupName pulumi.StringInput
	RuleName          pulumi.StringPtrInput
	StartIpAddress    pulumi.StringPtrInput
	WorkspaceName     pulumi.StringInput
}

func (IpFirewallRuleArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*ipFirewallRuleArgs)(nil)).Elem()
}

// NewIpFirewallRule registers a firewall rule.
func NewIpFirewallRule(ctx *pulumi.Context, name string, args *IpFirewallRuleArgs, opts ...pulumi.ResourceOption) (*IpFirewallRule, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	if args.WorkspaceName == nil {
		return nil, errors.New("invalid value for required argument 'WorkspaceName'")
	}
	var resource IpFirewallRule
	if err := ctx.RegisterResource("azure-native:synapse:IpFirewallRule", name, args, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}

// WorkspaceAadAdmin is the workspace's Entra ID SQL administrator
// (azure-native:synapse:WorkspaceAadAdmin).
type WorkspaceAadAdmin struct {
	pulumi.CustomResourceState

	Login pulumi.StringPtrOutput `pulumi:"login"`
	Sid   pulumi.StringPtrOutput `pulumi:"sid"`
}

type workspaceAadAdminArgs struct {
	AdministratorType *string `pulumi:"administratorType"`
	Login             *string `pulumi:"login"`
	ResourceGroupName string  `pulumi:"resourceGroupName"`
	Sid               *string `pulumi:"sid"`
	TenantId          *string `pulumi:"tenantId"`
	WorkspaceName     string  `pulumi:"workspaceName"`
}

// WorkspaceAadAdminArgs are the inputs of a WorkspaceAadAdmin.
type WorkspaceAadAdminArgs struct {
	AdministratorType pulumi.StringPtrInput
	Login             pulumi.StringPtrInput
	ResourceGroupName pulumi.StringInput
	Sid               pulumi.StringPtrInput
	TenantId          pulumi.StringPtrInput
	WorkspaceName     pulumi.StringInput
}

func (WorkspaceAadAdminArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*workspaceAadAdminArgs)(nil)).Elem()
}

// NewWorkspaceAadAdmin registers the workspace's Entra ID administrator.
func NewWorkspaceAadAdmin(ctx *pulumi.Context, name string, args *WorkspaceAadAdminArgs, opts ...pulumi.ResourceOption) (*WorkspaceAadAdmin, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	if args.WorkspaceName == nil {
		return nil, errors.New("invalid value for required argument 'WorkspaceName'")
	}
	var resource WorkspaceAadAdmin
	if err := ctx.RegisterResource("azure-native:synapse:WorkspaceAadAdmin", name, args, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
