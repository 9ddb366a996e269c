package naming

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNamesAreStableAndWithinAzureLimits(t *testing.T) {
	for _, env := range []string{"dev", "staging", "prod"} {
		n, err := New("ca", env, "westeurope", "00000000-0000-0000-0000-000000000001")
		require.NoError(t, err)
		again, err := New("ca", env, "westeurope", "00000000-0000-0000-0000-000000000001")
		require.NoError(t, err)
		require.Equal(t, n.Compact("st"), again.Compact("st"), "same seed must give the same name on every run")

		st := n.Compact("st")
		require.Regexp(t, `^[a-z0-9]{3,24}$`, st, "storage account names: 3-24 lowercase letters/digits")
		kv := n.Global("kv")
		require.Regexp(t, `^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`, kv, "Key Vault names: 3-24 chars")
		require.Equal(t, "vnet-ca-"+env+"-weu", n.Regional("vnet"))
	}
}

func TestSuffixDiffersPerSubscriptionAndEnvironment(t *testing.T) {
	a, err := New("ca", "dev", "westeurope", "sub-a")
	require.NoError(t, err)
	b, err := New("ca", "dev", "westeurope", "sub-b")
	require.NoError(t, err)
	c, err := New("ca", "prod", "westeurope", "sub-a")
	require.NoError(t, err)
	require.NotEqual(t, a.Suffix(), b.Suffix())
	require.NotEqual(t, a.Suffix(), c.Suffix())
}

func TestNewRejectsBadInput(t *testing.T) {
	_, err := New("CA", "dev", "westeurope", "s")
	require.ErrorContains(t, err, "prefix")
	_, err = New("ca", "dev", "moon-1", "s")
	require.ErrorContains(t, err, "unsupported region")
}

func TestTagsCannotOverrideReservedKeys(t *testing.T) {
	tags := Tags("prod", "customer-analytics", map[string]string{"Environment": "dev", "CostCenter": "Analytics"})
	require.Equal(t, map[string]string{
		"Environment": "prod", "ManagedBy": "Pulumi", "Project": "customer-analytics", "CostCenter": "Analytics",
	}, tags)
}
