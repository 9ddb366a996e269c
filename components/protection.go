package components

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LockLevelCanNotDelete lets authorised users read and change a resource but not delete it.
const LockLevelCanNotDelete = "CanNotDelete"

// protect is the resource option of a stateful resource: with Foundation.ProtectStateful the engine
// refuses to delete or replace it until an operator unprotects it (docs/delivery.md, "Removing
// protection").
func (f Foundation) protect() pulumi.ResourceOption { return pulumi.Protect(f.ProtectStateful) }

// lock puts a CanNotDelete management lock on a stateful resource when Foundation.ProtectStateful is
// set, so neither the portal nor the CLI deletes it by accident. Creating a lock needs
// Microsoft.Authorization/locks/write, which Contributor lacks: bootstrap step 4 grants it.
func (f Foundation) lock(ctx *pulumi.Context, component, key string, target pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	if !f.ProtectStateful {
		return nil
	}
	if _, err := authorization.NewManagementLockByScope(ctx, child(component, key+"-lock"), &authorization.ManagementLockByScopeArgs{
		Scope:    target,
		LockName: pulumi.String("do-not-delete"),
		Level:    pulumi.String(LockLevelCanNotDelete),
		Notes:    pulumi.String("Stateful platform resource (config protection.stateful); see docs/delivery.md, Removing protection"),
	}, opts...); err != nil {
		return fmt.Errorf("%s: lock on %s: %w", component, key, err)
	}
	return nil
}
