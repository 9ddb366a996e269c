package inventory

// Type tokens of the Databricks provider resources that more than one reader of the inventory
// (the policy rules, the access matrix) looks up, written once so a misspelt token cannot make one
// of them silently match nothing.
const (
	TypeDatabricksCluster              = "databricks:index/cluster:Cluster"
	TypeDatabricksGroup                = "databricks:index/group:Group"
	TypeDatabricksServicePrincipal     = "databricks:index/servicePrincipal:ServicePrincipal"
	TypeDatabricksPermissionAssignment = "databricks:index/permissionAssignment:PermissionAssignment"
	TypeDatabricksPermissions          = "databricks:index/permissions:Permissions"
	TypeDatabricksGrants               = "databricks:index/grants:Grants"
	TypeDatabricksSQLTable             = "databricks:index/sqlTable:SqlTable"
	TypeDatabricksStorageCredential    = "databricks:index/storageCredential:StorageCredential"
)
