package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNames(t *testing.T) {
	require.Equal(t, "spark_version", SnakeCase("sparkVersion"))
	require.Equal(t, "path", SnakeCase("path"))
	require.Equal(t, "databricks:index/ClusterAutoscale:ClusterAutoscale", NestedTypeToken("databricks:index/cluster:Cluster", "autoscale"))
	require.Equal(t, "databricks:index/ClusterAzureAttributesLogAnalyticsInfo:ClusterAzureAttributesLogAnalyticsInfo",
		NestedTypeToken("databricks:index/ClusterAzureAttributes:ClusterAzureAttributes", "log_analytics_info"))
}

func TestMetadata(t *testing.T) {
	m, err := Load()
	require.NoError(t, err)

	tf, p, err := m.Resource("databricks:index/secretScope:SecretScope")
	require.NoError(t, err)
	require.Equal(t, "databricks_secret_scope", tf)
	require.Equal(t, SDKv2, p)
	_, _, err = m.Resource("databricks:index/nope:Nope")
	require.Error(t, err)

	has := func(names ...string) func(string) bool {
		return func(n string) bool {
			for _, x := range names {
				if x == n {
					return true
				}
			}
			return false
		}
	}
	// A pluralised list maps back through the recorded rename, not by snake_case.
	name, ok := m.TerraformName("databricks:index/permissions:Permissions", "accessControls", has("access_control"))
	require.True(t, ok)
	require.Equal(t, "access_control", name)
	name, ok = m.TerraformName("databricks:index/cluster:Cluster", "libraries", has("library"))
	require.True(t, ok)
	require.Equal(t, "library", name)
	_, ok = m.TerraformName("databricks:index/cluster:Cluster", "clusterNmae", has("cluster_name"))
	require.False(t, ok)

	flat, known := m.MaxItemsOne("databricks_cluster", []string{"autoscale"})
	require.True(t, known)
	require.True(t, flat)
	flat, known = m.MaxItemsOne("databricks_cluster", []string{"azure_attributes", "log_analytics_info"})
	require.True(t, known)
	require.True(t, flat)
	flat, known = m.MaxItemsOne("databricks_permissions", []string{"access_control"})
	require.True(t, known)
	require.False(t, flat)
	flat, known = m.MaxItemsOne("databricks_sql_endpoint", []string{"odbc_params"})
	require.True(t, known)
	require.True(t, flat)
}
