package components

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func TestSubnetPlan(t *testing.T) {
	cases := []struct {
		space, host, container, endpoints, err string
	}{
		{space: "10.20.0.0/16", host: "10.20.0.0/24", container: "10.20.1.0/24", endpoints: "10.20.2.0/24"},
		{space: "172.16.4.0/22", host: "172.16.4.0/24", container: "172.16.5.0/24", endpoints: "172.16.6.0/24"},
		{space: "10.20.0.0/23", err: "from /16 to /22"},
		{space: "10.0.0.0/8", err: "from /16 to /22"},
		{space: "10.20.1.0/16", err: "from /16 to /22"},
		{space: "fd00::/48", err: "IPv4"},
		{space: "ten", err: "not a CIDR"},
	}
	for _, tc := range cases {
		host, container, endpoints, err := subnetPlan(tc.space)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.space)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, []string{tc.host, tc.container, tc.endpoints}, []string{host, container, endpoints})
	}
}

func TestNetworkModes(t *testing.T) {
	for _, mode := range []NetworkMode{NetworkModeFirewall, NetworkModePrivate} {
		t.Run(string(mode), func(t *testing.T) {
			var peErr error
			rec, err := runMocked(t, func(ctx *pulumi.Context) error {
				n, err := NewNetwork(ctx, "net", &NetworkArgs{Foundation: testFoundation(t), Mode: mode, AddressSpace: "10.40.0.0/16"})
				if err != nil {
					return err
				}
				_, peErr = n.NewPrivateEndpoint(ctx, "net-x-pe", PrivateEndpointSpec{Target: pulumi.String("/x"), GroupID: "blob", Zone: ZoneBlob})
				return nil
			})
			require.NoError(t, err)
			zones := 0
			for _, r := range rec.Resources() {
				if r.Type == "azure-native:network:PrivateZone" {
					zones++
				}
			}
			if mode == NetworkModeFirewall {
				require.ErrorContains(t, peErr, `private endpoints need "private"`)
				require.Zero(t, zones)
			} else {
				require.NoError(t, peErr)
				require.Equal(t, len(PrivateZones), zones)
			}
		})
	}
}

func TestNetworkRejectsBadArgs(t *testing.T) {
	rec, err := runMocked(t, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", &NetworkArgs{Foundation: testFoundation(t), Mode: "open", AddressSpace: "10.40.0.0/16"})
		return err
	})
	require.ErrorContains(t, err, `mode "open"`)
	require.Empty(t, rec.Resources(), "nothing registered for bad args")

	_, err = runMocked(t, func(ctx *pulumi.Context) error {
		f := testFoundation(t)
		f.ResourceGroupName = nil
		_, err := NewNetwork(ctx, "net", &NetworkArgs{Foundation: f, Mode: NetworkModePrivate, AddressSpace: "10.40.0.0/16"})
		return err
	})
	require.ErrorContains(t, err, "ResourceGroupName is required")
}
