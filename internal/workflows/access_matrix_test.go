package workflows

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/access"
)

// grantedRole reads `az synapse role assignment create ... --role R --assignee-object-id ID` calls.
var grantedRole = regexp.MustCompile(`synapse role assignment create --workspace-name \S+ --role (.+?) --assignee-object-id (\S+)`)

// TestSynapseRolesMatchTheAccessMatrix: the access matrix shows the Synapse RBAC roles that
// synapse-roles.sh grants after `up` (Azure role assignments cannot express them, so the plan does
// not see them); on a workspace where nobody holds a role yet, the script grants exactly that list.
func TestSynapseRolesMatchTheAccessMatrix(t *testing.T) {
	const deployer = "00000000-0000-0000-0000-00000000de91"
	outputs := writeOutputs(t, nil)
	keys := map[string]string{deployer: access.DeployIdentity, healthyOutputs["groupObjectIds"].(map[string]string)["engineers"]: "engineers"}
	r := runScript(t, t.TempDir(), "synapse-roles.sh", []string{"DEPLOY_PRINCIPAL_OBJECT_ID=" + deployer, "SYNAPSE_ROLE_PROPAGATION_SECONDS=0"}, outputs)
	require.Equal(t, 0, r.code, r.out)
	var granted []access.SynapseRole
	for _, m := range grantedRole.FindAllStringSubmatch(r.log, -1) {
		key, ok := keys[m[2]]
		require.True(t, ok, "the script grants %s to %s, whom the matrix does not know", m[1], m[2])
		granted = append(granted, access.SynapseRole{Principal: key, Role: m[1]})
	}
	require.ElementsMatch(t, access.SynapseRoles, granted)
}
