package databricks

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ---- ServicePrincipal ---------------------------------------------------------------------------

// ServicePrincipal is a Databricks service principal (databricks:index/servicePrincipal:ServicePrincipal).
// Created through a workspace-level provider in an identity-federated workspace, it is an account-level
// principal assigned to that workspace.
type ServicePrincipal struct {
	pulumi.CustomResourceState

	ApplicationId pulumi.StringOutput `pulumi:"applicationId"`
	DisplayName   pulumi.StringOutput `pulumi:"displayName"`
}

type servicePrincipalArgs struct {
	Active             *bool   `pulumi:"active"`
	AllowClusterCreate *bool   `pulumi:"allowClusterCreate"`
	ApplicationId      *string `pulumi:"applicationId"`
	DisplayName        *string `pulumi:"displayName"`
	Force              *bool   `pulumi:"force"`
	WorkspaceAccess    *bool   `pulumi:"workspaceAccess"`
}

// ServicePrincipalArgs are the inputs of a ServicePrincipal; ApplicationId is the Entra application
// (client) id of the identity, for a managed identity that of its service principal.
type ServicePrincipalArgs struct {
	Active             pulumi.BoolPtrInput
	AllowClusterCreate pulumi.BoolPtrInput
	ApplicationId      pulumi.StringPtrInput
	DisplayName        pulumi.StringPtrInput
	// Force adopts a service principal that already exists with this application id (for example one
	// Azure Databricks added when the identity first logged in) instead of failing.
	Force           pulumi.BoolPtrInput
	WorkspaceAccess pulumi.BoolPtrInput
}

func (ServicePrincipalArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*servicePrincipalArgs)(nil)).Elem()
}

// NewServicePrincipal registers a service principal.
func NewServicePrincipal(ctx *pulumi.Context, name string, args *ServicePrincipalArgs, opts ...pulumi.ResourceOption) (*ServicePrincipal, error) {
	if args == nil {
		args = &ServicePrincipalArgs{}
	}
	var res ServicePrincipal
	if err := register(ctx, "databricks:index/servicePrincipal:ServicePrincipal", name, args, &res, nil, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- PermissionAssignment -----------------------------------------------------------------------

// PermissionAssignment assigns an account-level principal to the workspace
// (databricks:index/permissionAssignment:PermissionAssignment). With a workspace-level provider a
// workspace admin can assign an account group by name; with automatic identity management the
// account resolves an Entra ID group of that name (members included) on first use.
type PermissionAssignment struct {
	pulumi.CustomResourceState

	DisplayName pulumi.StringOutput `pulumi:"displayName"`
	GroupName   pulumi.StringOutput `pulumi:"groupName"`
	PrincipalId pulumi.StringOutput `pulumi:"principalId"`
}

type permissionAssignmentArgs struct {
	GroupName            *string  `pulumi:"groupName"`
	Permissions          []string `pulumi:"permissions"`
	ServicePrincipalName *string  `pulumi:"servicePrincipalName"`
}

// PermissionAssignmentArgs are the inputs of a PermissionAssignment; set exactly one principal.
type PermissionAssignmentArgs struct {
	GroupName            pulumi.StringPtrInput
	Permissions          pulumi.StringArrayInput
	ServicePrincipalName pulumi.StringPtrInput
}

func (PermissionAssignmentArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*permissionAssignmentArgs)(nil)).Elem()
}

// NewPermissionAssignment registers a workspace permission assignment.
func NewPermissionAssignment(ctx *pulumi.Context, name string, args *PermissionAssignmentArgs, opts ...pulumi.ResourceOption) (*PermissionAssignment, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if (args.GroupName != nil) == (args.ServicePrincipalName != nil) {
		return nil, errors.New("permission assignment: set exactly one of GroupName, ServicePrincipalName")
	}
	var res PermissionAssignment
	if err := register(ctx, "databricks:index/permissionAssignment:PermissionAssignment", name, args, &res,
		map[string]bool{"Permissions": args.Permissions != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
