package access

import (
	"fmt"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// SynapseRole is a Synapse RBAC role granted outside the program.
type SynapseRole struct {
	// Principal is the matrix key of the holder ("engineers", DeployIdentity).
	Principal string
	Role      string
}

// SynapseRoles are the Synapse RBAC (data-plane) roles .github/scripts/synapse-roles.sh grants on the
// workspace after `up`, because Azure role assignments cannot express them; a test in
// internal/workflows holds the script to this list.
var SynapseRoles = []SynapseRole{
	{Principal: "engineers", Role: "Synapse Administrator"},
	{Principal: DeployIdentity, Role: "Synapse SQL Administrator"},
}

// Build joins a recorded plan (resources and lookups) and the Synapse scripts into the matrix.
func Build(inv *inventory.Inventory, lookups []mocks.Call, sql SQL) (Matrix, error) {
	d := principalsOf(inv, lookups)
	grants := azureGrants(inv, d)
	grants = append(grants, ucGrants(inv, d)...)
	grants = append(grants, databricksGrants(inv, d)...)
	synapse, err := sqlGrants(sql, SQLVariables(inv), d)
	if err != nil {
		return Matrix{}, fmt.Errorf("access matrix: %w", err)
	}
	grants = append(grants, synapse...)
	grants = append(grants, synapseWorkspaceGrants(inv, d)...)
	return assemble(d.list(), grants), nil
}

// synapseWorkspaceGrants are the Synapse workspace's own administrators: its Entra SQL admin (the
// program sets it) and the Synapse RBAC roles of synapse-roles.sh.
func synapseWorkspaceGrants(inv *inventory.Inventory, d *directory) []grant {
	var out []grant
	for _, ws := range inv.OfType("azure-native:synapse:Workspace") {
		name, _ := ws.Out("name").(string)
		on := "Synapse workspace " + name
		for _, r := range SynapseRoles {
			if _, ok := d.byKey[r.Principal]; ok {
				out = append(out, grant{r.Principal, Platform, SynapseSQL, Entry{What: r.Role, On: on, Via: "synapse-roles.sh", Level: Manage}})
			}
		}
	}
	for _, a := range inv.OfType("azure-native:synapse:WorkspaceAadAdmin") {
		on := "Synapse workspace " + a.InString("workspaceName")
		out = append(out, grant{d.resolve(a.InString("sid")), Platform, SynapseSQL, Entry{What: "Entra SQL admin", On: on, Level: Manage}})
	}
	return out
}
