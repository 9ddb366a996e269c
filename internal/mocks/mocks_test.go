package mocks

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func TestARMIDsAreBuiltFromInputs(t *testing.T) {
	in := map[string]string{"resourceGroupName": "rg-x", "accountName": "stx", "containerName": "gold"}
	get := func(k string) string { return in[k] }

	id, name, err := armID(armIDTemplates["azure-native:storage:BlobContainer"], "logical", get)
	require.NoError(t, err)
	require.Equal(t, "/subscriptions/"+SubscriptionID+"/resourceGroups/rg-x/providers/Microsoft.Storage/storageAccounts/stx/blobServices/default/containers/gold", id)
	require.Equal(t, "gold", name)

	id, name, err = armID(armIDTemplates["azure-native:storage:BlobServiceProperties"], "logical", get)
	require.NoError(t, err)
	require.Equal(t, "default", name, "a fixed last segment is the name")
	require.Contains(t, id, "/storageAccounts/stx/blobServices/default")

	_, name, err = armID(armIDTemplates["azure-native:keyvault:Vault"], "logical-vault", func(k string) string {
		return map[string]string{"resourceGroupName": "rg"}[k]
	})
	require.NoError(t, err)
	require.Equal(t, "logical-vault", name, "absent own name falls back to the logical name")

	_, _, err = armID(armIDTemplates["azure-native:storage:BlobContainer"], "logical", func(string) string { return "" })
	require.ErrorContains(t, err, `input "resourceGroupName"`)
}

func TestPlainMasksSecretsOnlyWhenAsked(t *testing.T) {
	m := resource.PropertyMap{
		"password": resource.MakeSecret(resource.NewProperty("s3cret")),
		"nested":   resource.NewProperty(resource.PropertyMap{"list": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(1.0)})}),
		"unknown":  resource.MakeComputed(resource.NewProperty("")),
	}
	require.Equal(t, map[string]any{"password": Masked, "nested": map[string]any{"list": []any{1.0}}, "unknown": Unknown}, PlainMap(m, true))
	require.Equal(t, "s3cret", PlainMap(m, false)["password"])
	v, ok := Get(PlainMap(m, false), "nested.list")
	require.True(t, ok)
	require.Equal(t, []any{1.0}, v)
	_, ok = Get(PlainMap(m, false), "nested.missing")
	require.False(t, ok)
}

func TestUnknownTypesAndInvokesAreErrors(t *testing.T) {
	r := New("p", "s")
	_, err := r.Call(pulumi.MockCallArgs{Token: "azure-native:storage:listStorageAccountKeys"})
	require.ErrorContains(t, err, "no answer for invoke")
	require.Equal(t, 1, r.Invokes()["azure-native:storage:listStorageAccountKeys"])
	require.Equal(t, StableUUID("a", "b"), StableUUID("a", "b"), "stable across runs")
	require.NotEqual(t, StableUUID("a", "b"), StableUUID("a", "c"))
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, StableUUID("x"))
}
