package components

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/internal/roles"
)

// Principal is who receives a role: an Entra group, a service principal or a managed identity.
type Principal struct {
	ID   pulumi.StringInput
	Type authorization.PrincipalType
	// Label names the principal in descriptions and plans ("engineers", "adf-identity").
	Label string
}

// GroupPrincipal is an Entra security group.
func GroupPrincipal(label string, objectID pulumi.StringInput) Principal {
	return Principal{ID: objectID, Type: authorization.PrincipalTypeGroup, Label: label}
}

// ServicePrincipal is an application's service principal or a managed identity.
func ServicePrincipal(label string, objectID pulumi.StringInput) Principal {
	return Principal{ID: objectID, Type: authorization.PrincipalTypeServicePrincipal, Label: label}
}

// RoleGrant is one role assignment: principal x role x scope.
type RoleGrant struct {
	Principal Principal
	Role      roles.Role
	// Scope is the ARM id the role applies to (resource group, account, container, vault, …).
	Scope pulumi.StringInput
	// ScopeLabel names the scope in the description ("gold container").
	ScopeLabel string
}

// AssignRole creates a role assignment whose name is a GUID derived from scope, role and principal, so
// reruns never collide with the assignment they created. principalType is always set: for principals
// created in the same deployment it saves ARM the directory lookup that fails during Entra replication.
// name must carry the calling component's prefix; pass pulumi.Parent(caller) in opts.
func AssignRole(ctx *pulumi.Context, name, subscriptionID string, g RoleGrant, opts ...pulumi.ResourceOption) (*authorization.RoleAssignment, error) {
	if g.Principal.ID == nil || g.Scope == nil || g.Role.ID == "" || g.Principal.Type == "" {
		return nil, fmt.Errorf("role assignment %s: principal id and type, role and scope are required", name)
	}
	assignmentName := pulumi.All(g.Scope, g.Principal.ID).ApplyT(func(v []any) string {
		return roles.AssignmentName(v[0].(string), g.Role.ID, v[1].(string))
	}).(pulumi.StringOutput)
	ra, err := authorization.NewRoleAssignment(ctx, name, &authorization.RoleAssignmentArgs{
		RoleAssignmentName: assignmentName,
		Scope:              g.Scope,
		RoleDefinitionId:   pulumi.String(g.Role.DefinitionID(subscriptionID)),
		PrincipalId:        g.Principal.ID,
		PrincipalType:      g.Principal.Type,
		Description:        pulumi.String(fmt.Sprintf("%s: %s on %s", g.Principal.Label, g.Role.Name, g.ScopeLabel)),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("role assignment %s: %w", name, err)
	}
	return ra, nil
}

// NamedGrant is a RoleGrant with the suffix of its resource name ("<component>-<Key>").
type NamedGrant struct {
	Key   string
	Grant RoleGrant
}

// AssignRoles creates one role assignment per grant, each named "<component>-<key>".
func AssignRoles(ctx *pulumi.Context, component, subscriptionID string, grants []NamedGrant, opts ...pulumi.ResourceOption) error {
	for _, g := range grants {
		if _, err := AssignRole(ctx, child(component, g.Key), subscriptionID, g.Grant, opts...); err != nil {
			return err
		}
	}
	return nil
}
