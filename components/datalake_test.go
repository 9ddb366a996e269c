package components

import (
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func TestSupportsArchive(t *testing.T) {
	for sku, want := range map[storage.SkuName]bool{
		storage.SkuName_Standard_LRS: true, storage.SkuName_Standard_GRS: true, storage.SkuName_Standard_RAGRS: true,
		storage.SkuName_Standard_ZRS: false, storage.SkuName_Standard_GZRS: false, storage.SkuName_Standard_RAGZRS: false,
	} {
		require.Equal(t, want, SupportsArchive(sku), sku)
	}
}

func TestStorageIPRule(t *testing.T) {
	require.Equal(t, "203.0.113.7", storageIPRule("203.0.113.7/32"), "storage takes single addresses without /32")
	require.Equal(t, "203.0.113.0/24", storageIPRule("203.0.113.0/24"))
	require.Equal(t, "203.0.113.7", storageIPRule("203.0.113.7"))
}

func TestDataLakeRequiresPrincipalsAndNetwork(t *testing.T) {
	rec, err := runMocked(t, func(ctx *pulumi.Context) error {
		_, err := NewDataLake(ctx, "lake", &DataLakeArgs{
			Foundation: testFoundation(t), Replication: storage.SkuName_Standard_LRS, SoftDeleteRetentionDays: 7,
			Engineers: GroupPrincipal("engineers", pulumi.String("e")),
		})
		return err
	})
	require.ErrorContains(t, err, "required inputs not set: Analysts.ID, Diagnostics, Network")
	require.Empty(t, types(rec))
}
