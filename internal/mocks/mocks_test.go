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

type customState struct{ pulumi.CustomResourceState }

// TestRecordsResourceOptions: the options a registration carries reach the record, protect is inherited
// from the parent, and only explicit DependsOn (not a dependency through an input) counts as explicit.
func TestRecordsResourceOptions(t *testing.T) {
	rec := New("p", "s")
	container := func(ctx *pulumi.Context, name string, in pulumi.Map, opts ...pulumi.ResourceOption) (*customState, error) {
		var res customState
		in["resourceGroupName"] = pulumi.String("rg")
		in["accountName"] = pulumi.String("st")
		in["containerName"] = pulumi.String(name)
		return &res, ctx.RegisterResource("azure-native:storage:BlobContainer", name, in, &res, opts...)
	}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var comp struct{ pulumi.ResourceState }
		if err := ctx.RegisterComponentResource("test:index:Comp", "comp", &comp, pulumi.Protect(true)); err != nil {
			return err
		}
		plain, err := container(ctx, "plain", pulumi.Map{})
		if err != nil {
			return err
		}
		input, err := container(ctx, "input", pulumi.Map{"metadata": pulumi.StringMap{"after": plain.ID().ToStringOutput()}})
		if err != nil {
			return err
		}
		_, err = container(ctx, "optioned", pulumi.Map{"metadata": pulumi.StringMap{"after": input.ID().ToStringOutput()}},
			pulumi.Parent(&comp), pulumi.RetainOnDelete(true), pulumi.DeleteBeforeReplace(true),
			pulumi.IgnoreChanges([]string{"metadata", "publicAccess"}), pulumi.DependsOn([]pulumi.Resource{plain}))
		return err
	}, rec.Option())
	require.NoError(t, err)

	byName := map[string]Resource{}
	for _, r := range rec.Resources() {
		byName[r.Name] = r
	}
	require.Equal(t, Options{IgnoreChanges: []string{}, DependsOn: []string{}}, byName["plain"].Options)
	require.Equal(t, Options{IgnoreChanges: []string{}, DependsOn: []string{}}, byName["input"].Options,
		"a dependency through an input is not an explicit dependsOn")
	require.Contains(t, byName["input"].DependsOn, byName["plain"].URN)

	opt := byName["optioned"]
	require.Equal(t, Options{
		Protect: true, RetainOnDelete: true, DeleteBeforeReplace: true,
		IgnoreChanges: []string{"metadata", "publicAccess"}, DependsOn: []string{byName["plain"].URN},
	}, opt.Options, "protect is inherited from the protected parent")
	require.True(t, opt.Protected())
	require.True(t, opt.RetainedOnDelete())
	require.True(t, opt.IgnoresChanges("publicAccess"))
	require.False(t, opt.IgnoresChanges("public"))
	require.Equal(t, []string{byName["plain"].URN}, opt.ExplicitDependsOn())
	require.False(t, byName["plain"].Protected())
}
