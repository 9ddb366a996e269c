package components

import (
	"testing"

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
		"the admins group's object id is required": func(a *IdentityArgs) {
			a.Network, a.Diagnostics = &Network{}, &Observability{}
			a.Admins.ObjectID = ""
		},
	}
	for want, mutate := range cases {
		t.Run(want, func(t *testing.T) {
			args := IdentityArgs{
				Foundation: testFoundation(t), Engineers: GroupSpec{DisplayName: "e"}, Analysts: GroupSpec{DisplayName: "a"},
				Admins: ExistingGroup{ObjectID: "00000000-0000-0000-0000-0000000ad0de", DisplayName: "p"}, KeyVault: KeyVaultSpec{SoftDeleteRetentionDays: 90},
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
