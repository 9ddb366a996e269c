package roles

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

var guid = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestAssignmentNameIsStableGUIDPerTriple(t *testing.T) {
	scope := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
	a := AssignmentName(scope, StorageBlobDataReader.ID, "p1")
	require.Regexp(t, guid, a)
	require.Equal(t, a, AssignmentName(scope, StorageBlobDataReader.ID, "p1"), "same triple, same name")
	require.Equal(t, a, AssignmentName(
		"/subscriptions/s/resourcegroups/RG/providers/Microsoft.Storage/storageAccounts/ST", StorageBlobDataReader.ID, "P1"),
		"ARM ids are case-insensitive")
	require.NotEqual(t, a, AssignmentName(scope+"/blobServices/default/containers/gold", StorageBlobDataReader.ID, "p1"))
	require.NotEqual(t, a, AssignmentName(scope, StorageBlobDataContributor.ID, "p1"))
	require.NotEqual(t, a, AssignmentName(scope, StorageBlobDataReader.ID, "p2"))
}

func TestCatalogIsWellFormedAndResolvable(t *testing.T) {
	seen := map[string]string{}
	for _, r := range All() {
		require.Regexp(t, guid, r.ID, r.Name)
		require.NotContains(t, seen, r.ID, "duplicate id for %s and %s", r.Name, seen[r.ID])
		seen[r.ID] = r.Name
		got, ok := FromDefinitionID(r.DefinitionID("00000000-0000-0000-0000-000000000000"))
		require.True(t, ok)
		require.Equal(t, r, got)
	}
	_, ok := FromDefinitionID("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/unknown")
	require.False(t, ok)
}
