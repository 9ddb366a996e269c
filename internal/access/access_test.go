package access

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
)

const (
	analystsOID = "00000000-0000-0000-0000-0000000000a1"
	factoryPID  = "00000000-0000-0000-0000-0000000000f1"
	factoryApp  = "00000000-0000-0000-0000-0000000000f2"
	account     = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stca"
	analystsDN  = "ca-data-analysts"
)

func container(name string) string { return account + "/blobServices/default/containers/" + name }

// fixture is a small plan: the analysts group reading gold in every layer of control, the factory's
// identity known by its principal id (Azure) and its application id (Databricks), a cluster.
func fixture() []mocks.Resource {
	res := []mocks.Resource{
		{URN: "urn:identity", Type: "analytics:identity:Identity", Name: "identity"},
		rec("azuread:index/group:Group", "identity-analysts", "urn:identity", "",
			map[string]any{"displayName": analystsDN}, map[string]any{"objectId": analystsOID}),
		rec("azure-native:storage:StorageAccount", "datalake-account", "", account, nil, map[string]any{"name": "stca"}),
		rec("azure-native:datafactory:Factory", "orchestration-factory", "", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/adf",
			nil, map[string]any{"name": "adf", "identity": map[string]any{"principalId": factoryPID}}),
		rec("databricks:index/cluster:Cluster", "compute-cluster", "", "c-1", map[string]any{"clusterName": "pipelines", "singleUserName": factoryApp}, nil),
		rec("databricks:index/servicePrincipal:ServicePrincipal", "compute-factory-sp", "", "sp-1", map[string]any{"applicationId": factoryApp}, nil),
		rec("databricks:index/grants:Grants", "catalog-gold-tables", "", "g-1", map[string]any{
			"table": "ca_dev.gold.store_performance", "grants": []any{
				map[string]any{"principal": analystsDN, "privileges": []any{"SELECT"}},
				map[string]any{"principal": factoryApp, "privileges": []any{"SELECT", "MODIFY"}},
			}}, nil),
		rec("databricks:index/grants:Grants", "catalog-catalog", "", "g-2", map[string]any{
			"catalog": "ca_dev", "grants": []any{map[string]any{"principal": analystsDN, "privileges": []any{"USE_CATALOG"}}}}, nil),
	}
	for _, c := range []string{"bronze", "silver", "gold"} {
		res = append(res, rec("azure-native:storage:BlobContainer", "datalake-"+c, "", container(c), map[string]any{"accountName": "stca"}, map[string]any{"name": c}))
	}
	res = append(res, assignment(analystsOID, "Group", roles.StorageBlobDataReader, container("gold")))
	res = append(res, assignment(factoryPID, "ServicePrincipal", roles.StorageBlobDataReader, container("bronze")))
	return res
}

func rec(typ, name, parent, id string, in, out map[string]any) mocks.Resource {
	if out == nil {
		out = in
	}
	return mocks.Resource{URN: "urn:" + name, Type: typ, Name: name, Parent: parent, Custom: true, ID: id,
		Inputs: resource.NewPropertyMapFromMap(in), Outputs: resource.NewPropertyMapFromMap(out)}
}

func assignment(principal, kind string, role roles.Role, scope string) mocks.Resource {
	return rec("azure-native:authorization:RoleAssignment", "ra-"+principal+role.ID+scope, "", "ra", map[string]any{
		"principalId": principal, "principalType": kind, "roleDefinitionId": role.DefinitionID("s"), "scope": scope,
		"roleAssignmentName": roles.AssignmentName(scope, role.ID, principal),
	}, nil)
}

func repoSQL(t *testing.T) SQL {
	t.Helper()
	q, err := ReadSQL(filepath.Join("..", "..", "synapse"))
	require.NoError(t, err)
	return q
}

// lookups: the factory identity's application id, looked up by its principal (object) id.
var lookups = []mocks.Call{{
	Token:  "azuread:index/getServicePrincipal:getServicePrincipal",
	Args:   resource.NewPropertyMapFromMap(map[string]any{"objectId": factoryPID}),
	Result: resource.NewPropertyMapFromMap(map[string]any{"objectId": factoryPID, "clientId": factoryApp}),
}}

func build(t *testing.T, res []mocks.Resource, q SQL) Matrix {
	t.Helper()
	m, err := Build(inventory.New(res), lookups, q)
	require.NoError(t, err)
	return m
}

func cell(m Matrix, principal string, l Layer, c Control) []string {
	var out []string
	for _, e := range m.Row(principal, l).Cells[c] {
		out = append(out, e.String())
	}
	return out
}

// The committed scripts, read as the matrix reads them.
func TestReadSQLReadsTheCommittedGrants(t *testing.T) {
	q := repoSQL(t)
	require.Equal(t, []string{"analysts"}, q.Roles)
	require.Equal(t, []string{"$(AnalystsGroup)"}, q.Users)
	require.Equal(t, map[string][]string{"analysts": {"$(AnalystsGroup)"}}, q.Members)
	require.Equal(t, map[string][]string{"WorkspaceIdentity": {"$(DfsEndpoint)/$(GoldContainer)"}}, q.CredentialPaths)
	var got []string
	for _, g := range q.Grants {
		got = append(got, g.File+": "+g.Permission+" "+g.Class+"::"+g.Object+" TO "+g.Grantee)
	}
	require.Equal(t, []string{
		"050_analysts_role.sql: SELECT OBJECT::gold.vw_top_categories_last_30_days TO analysts",
		"050_analysts_role.sql: SELECT OBJECT::gold.vw_high_value_customers TO analysts",
		"050_analysts_role.sql: SELECT OBJECT::gold.vw_monthly_revenue_trend TO analysts",
		"050_analysts_role.sql: SELECT OBJECT::gold.vw_store_comparison TO analysts",
		"050_analysts_role.sql: SELECT OBJECT::gold.vw_executive_dashboard TO analysts",
		"051_analysts_credential_grant.sql: REFERENCES DATABASE SCOPED CREDENTIAL::WorkspaceIdentity TO analysts",
	}, got)
}

// What the reader does not model it refuses, rather than print a matrix that misses it.
func TestReadSQLRefusesWhatItCannotModel(t *testing.T) {
	for name, tc := range map[string]struct{ sql, want string }{
		"deny":             {"DENY SELECT ON OBJECT::gold.v TO analysts;", `"DENY" is not modelled`},
		"revoke":           {"REVOKE SELECT ON OBJECT::gold.v TO analysts;", `"REVOKE" is not modelled`},
		"legacy member":    {"EXEC sp_addrolemember 'db_owner', 'x';", "sp_addrolemember"},
		"grant without ;":  {"GRANT SELECT ON OBJECT::gold.v TO analysts\nGO", "1 GRANT keywords but 0 GRANT statements"},
		"drop role member": {"ALTER ROLE analysts DROP MEMBER [x];", "DROP MEMBER"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSQL("099_x.sql", tc.sql)
			require.ErrorContains(t, err, tc.want)
			require.ErrorContains(t, err, "synapse/099_x.sql")
		})
	}
}

func TestReadSQLSplitsGrantLists(t *testing.T) {
	q, err := ParseSQL("x.sql", "-- GRANT in a comment is ignored\nGRANT SELECT, INSERT ON SCHEMA::silver TO a, [b c] WITH GRANT OPTION;\nGRANT CONTROL TO d;")
	require.NoError(t, err)
	require.Equal(t, []SQLGrant{
		{"SELECT", "SCHEMA", "silver", "a", "x.sql"}, {"INSERT", "SCHEMA", "silver", "a", "x.sql"},
		{"SELECT", "SCHEMA", "silver", "b c", "x.sql"}, {"INSERT", "SCHEMA", "silver", "b c", "x.sql"},
		{"CONTROL", "DATABASE", "", "d", "x.sql"},
	}, q.Grants)
}

// One identity, many names: the analysts group is its object id in Azure RBAC, its display name in
// Unity Catalog and in the SQL user the scripts create; the factory's identity is its principal id in
// Azure and its application id on the cluster and in the grants.
func TestPrincipalsAreUnifiedAcrossLayers(t *testing.T) {
	m := build(t, fixture(), repoSQL(t))
	require.Equal(t, []string{"Storage Blob Data Reader @ container stca/gold"}, cell(m, "analysts", Gold, AzureRBAC))
	require.Equal(t, []string{"SELECT @ table gold.store_performance"}, cell(m, "analysts", Gold, UnityCatalog))
	require.Equal(t, []string{"USE CATALOG @ catalog ca_dev"}, cell(m, "analysts", Platform, UnityCatalog))
	require.Equal(t, []string{
		"REFERENCES @ credential WorkspaceIdentity (SQL role analysts)",
		"SELECT @ object gold.vw_executive_dashboard (SQL role analysts)",
		"SELECT @ object gold.vw_high_value_customers (SQL role analysts)",
		"SELECT @ object gold.vw_monthly_revenue_trend (SQL role analysts)",
		"SELECT @ object gold.vw_store_comparison (SQL role analysts)",
		"SELECT @ object gold.vw_top_categories_last_30_days (SQL role analysts)",
	}, cell(m, "analysts", Gold, SynapseSQL))
	require.Equal(t, []string{"Storage Blob Data Reader @ container stca/bronze"}, cell(m, "orchestration-factory", Bronze, AzureRBAC))
	require.Equal(t, []string{"MODIFY @ table gold.store_performance", "SELECT @ table gold.store_performance"}, cell(m, "orchestration-factory", Gold, UnityCatalog))
	require.Equal(t, []string{"dedicated user @ cluster pipelines"}, cell(m, "orchestration-factory", Platform, Databricks))
	for _, p := range m.Principals {
		require.NotEqual(t, factoryApp, p.Key, "the application id must join the managed identity, not stand alone")
		require.NotEqual(t, analystsDN, p.Key, "the display name must join the group, not stand alone")
	}
	require.Empty(t, ReadsGoldOnly(m, "analysts"))
}

// The analysts check fails on a grant beyond reading gold in any layer of control.
func TestAnalystsCheckFailsOnAnyGrantBeyondReadingGold(t *testing.T) {
	withSQL := func(extra string) func(*[]mocks.Resource, *SQL) {
		return func(_ *[]mocks.Resource, q *SQL) {
			more, err := ParseSQL("099_extra.sql", extra)
			if err != nil {
				panic(err)
			}
			q.Grants = append(q.Grants, more.Grants...)
			for r, ms := range more.Members {
				q.Members[r] = append(q.Members[r], ms...)
			}
		}
	}
	withResource := func(r mocks.Resource) func(*[]mocks.Resource, *SQL) {
		return func(res *[]mocks.Resource, _ *SQL) { *res = append(*res, r) }
	}
	ucGrant := func(on string, value any, privilege string) mocks.Resource {
		return rec("databricks:index/grants:Grants", "extra-"+on+privilege, "", "g-x", map[string]any{
			on: value, "grants": []any{map[string]any{"principal": analystsDN, "privileges": []any{privilege}}}}, nil)
	}
	for name, tc := range map[string]struct {
		mutate func(*[]mocks.Resource, *SQL)
		want   string
	}{
		"azure: read silver": {withResource(assignment(analystsOID, "Group", roles.StorageBlobDataReader, container("silver"))),
			"analysts on silver: Azure RBAC: Storage Blob Data Reader @ container stca/silver allows read"},
		"azure: write gold": {withResource(assignment(analystsOID, "Group", roles.StorageBlobDataContributor, container("gold"))),
			"analysts on gold: Azure RBAC: Storage Blob Data Contributor @ container stca/gold allows write"},
		"azure: secrets": {withResource(assignment(analystsOID, "Group", roles.KeyVaultSecretsUser, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")),
			"analysts on platform: Azure RBAC: Key Vault Secrets User"},
		"unity catalog: modify gold": {withResource(ucGrant("table", "ca_dev.gold.store_performance", "MODIFY")),
			"analysts on gold: Unity Catalog: MODIFY @ table gold.store_performance allows write"},
		"unity catalog: select silver": {withResource(ucGrant("schema", "ca_dev.silver", "SELECT")),
			"analysts on silver: Unity Catalog: SELECT @ schema ca_dev.silver allows read"},
		"unity catalog: select on the catalog reaches bronze": {withResource(ucGrant("catalog", "ca_dev", "SELECT")),
			"analysts on bronze: Unity Catalog: SELECT @ catalog ca_dev allows read"},
		"databricks: attach to the cluster": {withResource(rec("databricks:index/permissions:Permissions", "extra-perm", "", "p-x", map[string]any{
			"clusterId": "c-1", "accessControls": []any{map[string]any{"groupName": analystsDN, "permissionLevel": "CAN_ATTACH_TO"}}}, nil)),
			"analysts on platform: Databricks permissions: CAN_ATTACH_TO @ cluster pipelines allows run"},
		"sql: select silver": {withSQL("GRANT SELECT ON SCHEMA::silver TO analysts;"),
			"analysts on silver: Synapse SQL: SELECT @ schema silver (SQL role analysts) allows read"},
		"sql: alter a gold view": {withSQL("GRANT ALTER ON OBJECT::gold.vw_store_comparison TO analysts;"),
			"analysts on gold: Synapse SQL: ALTER @ object gold.vw_store_comparison (SQL role analysts) allows manage"},
		"sql: fixed role": {withSQL("ALTER ROLE db_datareader ADD MEMBER [$(AnalystsGroup)];"),
			"analysts on platform: Synapse SQL: member of db_datareader @ database allows read"},
	} {
		t.Run(name, func(t *testing.T) {
			res, q := fixture(), repoSQL(t)
			require.Empty(t, ReadsGoldOnly(build(t, res, q), "analysts"), "the fixture itself passes")
			tc.mutate(&res, &q)
			got := ReadsGoldOnly(build(t, res, q), "analysts")
			rows := 1
			if strings.Contains(name, "on the catalog") {
				rows = 2 // inherited by bronze and silver (gold reads are allowed)
			}
			require.Len(t, got, rows, strings.Join(got, "\n"))
			require.Contains(t, got[0], tc.want)
		})
	}
}

// A SQL user the plan does not know fails the matrix instead of appearing as a stranger, and so does
// a variable the plan cannot fill (no analysts group).
func TestSQLUserMustNameAPrincipal(t *testing.T) {
	q := repoSQL(t)
	q.Users = append(q.Users, "someone-else")
	_, err := Build(inventory.New(fixture()), nil, q)
	require.ErrorContains(t, err, "the SQL user [someone-else] names no principal")

	var noGroup []mocks.Resource
	for _, r := range fixture() {
		if r.Type != "azuread:index/group:Group" {
			noGroup = append(noGroup, r)
		}
	}
	_, err = Build(inventory.New(noGroup), nil, repoSQL(t))
	require.ErrorContains(t, err, "sqlcmd variable(s) AnalystsGroup")

	q = repoSQL(t)
	q.Users = append(q.Users, "$(Nobody)")
	_, err = Build(inventory.New(fixture()), nil, q)
	require.ErrorContains(t, err, "sqlcmd variable(s) Nobody")
}

func TestReadSQLFailsOnAMissingFolder(t *testing.T) {
	_, err := ReadSQL(filepath.Join(t.TempDir(), "nope"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
