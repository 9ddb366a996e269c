package components

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func TestIdentityValidatesArgs(t *testing.T) {
	cases := map[string]func(a *IdentityArgs){
		"required inputs not set: Diagnostics, Network": func(a *IdentityArgs) {},
		"every group needs a display name": func(a *IdentityArgs) {
			a.Network, a.Diagnostics = &Network{}, &Observability{}
			a.Analysts.DisplayName = ""
		},
		"soft-delete retention 3 is outside 7..90": func(a *IdentityArgs) {
			a.Network, a.Diagnostics = &Network{}, &Observability{}
			a.KeyVault.SoftDeleteRetentionDays = 3
		},
		"SecretRotation is required": func(a *IdentityArgs) {
			a.Network, a.Diagnostics = &Network{}, &Observability{}
			a.SecretRotation = RotationMonth{}
		},
		"the admins group's object id is required": func(a *IdentityArgs) {
			a.Network, a.Diagnostics = &Network{}, &Observability{}
			a.Admins.ObjectID = ""
		},
	}
	for want, mutate := range cases {
		t.Run(want, func(t *testing.T) {
			rotation, err := ParseRotationMonth("2026-11")
			require.NoError(t, err)
			args := IdentityArgs{
				Foundation: testFoundation(t), Engineers: GroupSpec{DisplayName: "e"}, Analysts: GroupSpec{DisplayName: "a"},
				Admins: ExistingGroup{ObjectID: "00000000-0000-0000-0000-0000000ad0de", DisplayName: "p"}, SecretRotation: rotation, KeyVault: KeyVaultSpec{SoftDeleteRetentionDays: 90},
			}
			mutate(&args)
			rec, err := runMocked(t, func(ctx *pulumi.Context) error {
				_, err := NewIdentity(ctx, "id", &args)
				return err
			})
			require.ErrorContains(t, err, want)
			require.Empty(t, types(rec))
		})
	}
}

func TestAssignRoleRequiresAFullGrant(t *testing.T) {
	_, err := runMocked(t, func(ctx *pulumi.Context) error {
		_, err := AssignRole(ctx, "x-grant", "sub", RoleGrant{Principal: Principal{ID: pulumi.String("p")}, Scope: pulumi.String("/s")})
		return err
	})
	require.ErrorContains(t, err, "principal id and type, role and scope are required")
}

func TestRotationMonth(t *testing.T) {
	r, err := ParseRotationMonth("2026-11")
	require.NoError(t, err)
	require.Equal(t, "2026-11", r.String())
	require.Equal(t, time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC), r.Expires())
	require.Equal(t, "print days_left = datetime_diff('day', datetime(2027-11-01T00:00:00Z), now())\n| where days_left <= 30",
		SecretExpiryQuery(r.Expires()))
	for _, bad := range []string{"", "initial", "2026-1", "2026-13", "2026-11-01", "2023-12", " 2026-11"} {
		_, err := ParseRotationMonth(bad)
		require.Error(t, err, bad)
	}
}
