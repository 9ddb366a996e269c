package components

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/internal/roles"
)

// GroupSpec is one Entra security group.
type GroupSpec struct {
	DisplayName string
	Description string
	// Members are object ids of users, groups or service principals.
	Members []string
}

// ExistingGroup is an Entra group the program references but neither creates nor owns.
type ExistingGroup struct {
	ObjectID    string
	DisplayName string
}

// KeyVaultSpec configures the platform's Key Vault.
type KeyVaultSpec struct {
	// PurgeProtection can never be turned off again once on; prod keeps it on.
	PurgeProtection         bool
	SoftDeleteRetentionDays int
	// AllowedIPRanges open the firewall in firewall mode (CIDRs or single addresses).
	AllowedIPRanges []string
}

// IdentityArgs configures who exists and where secrets live.
type IdentityArgs struct {
	Foundation
	Engineers, Analysts GroupSpec
	// Admins is managed by the tenant's admins, not by the deploy identity: a principal that owns the
	// admins group could add itself to it and so to everything the admins hold.
	Admins ExistingGroup
	// Owners own the engineers/analysts groups and the application: the deploying principal, so the
	// pipeline can manage them without directory-wide rights.
	Owners      []string
	KeyVault    KeyVaultSpec
	Network     *Network
	Diagnostics Diagnostics
}

// Identity holds the platform's principals and its Key Vault.
type Identity struct {
	pulumi.ResourceState

	EngineersObjectID pulumi.StringOutput
	AnalystsObjectID  pulumi.StringOutput
	// The display names name the groups where a service needs the name (Databricks account groups,
	// Unity Catalog grants, Synapse).
	AdminsDisplayName    string
	EngineersDisplayName string
	AnalystsDisplayName  string
	AdminsObjectID       pulumi.StringOutput
	KeyVaultID           pulumi.StringOutput
	KeyVaultName         pulumi.StringOutput
	KeyVaultURI          pulumi.StringOutput
}

// Engineers is the data-engineers group as a role principal.
func (i *Identity) Engineers() Principal { return GroupPrincipal("engineers", i.EngineersObjectID) }

// Analysts is the data-analysts group as a role principal.
func (i *Identity) Analysts() Principal { return GroupPrincipal("analysts", i.AnalystsObjectID) }

// Admins is the platform-admins group as a role principal.
func (i *Identity) Admins() Principal { return GroupPrincipal("admins", i.AdminsObjectID) }

// NewIdentity creates the groups, the Key Vault (for application secrets; no lake credential: Unity
// Catalog reaches the lake through an access connector) and the identity-level role assignments.
func NewIdentity(ctx *pulumi.Context, name string, args *IdentityArgs, opts ...pulumi.ResourceOption) (*Identity, error) {
	if args == nil {
		return nil, fmt.Errorf("identity %s: args are required", name)
	}
	if err := args.Foundation.validate("identity " + name); err != nil {
		return nil, err
	}
	if err := requireInputs("identity "+name, map[string]any{"Network": args.Network, "Diagnostics": args.Diagnostics}); err != nil {
		return nil, err
	}
	for _, g := range []GroupSpec{args.Engineers, args.Analysts, {DisplayName: args.Admins.DisplayName}} {
		if g.DisplayName == "" {
			return nil, fmt.Errorf("identity %s: every group needs a display name", name)
		}
	}
	if args.Admins.ObjectID == "" {
		return nil, fmt.Errorf("identity %s: the admins group's object id is required", name)
	}
	if args.KeyVault.SoftDeleteRetentionDays < 7 || args.KeyVault.SoftDeleteRetentionDays > 90 {
		return nil, fmt.Errorf("identity %s: Key Vault soft-delete retention %d is outside 7..90 days", name, args.KeyVault.SoftDeleteRetentionDays)
	}

	id := &Identity{}
	if err := ctx.RegisterComponentResource("analytics:identity:Identity", name, id, opts...); err != nil {
		return nil, err
	}
	f := args.Foundation
	parent := pulumi.Parent(id)
	owners := pulumi.ToStringArray(args.Owners)

	group := func(key string, g GroupSpec) (*azuread.Group, error) {
		grp, err := azuread.NewGroup(ctx, child(name, key), &azuread.GroupArgs{
			DisplayName:     pulumi.String(g.DisplayName),
			Description:     pulumi.String(g.Description),
			SecurityEnabled: pulumi.Bool(true),
			MailEnabled:     pulumi.Bool(false),
			// No preventDuplicateNames: that check lists all groups by name, which needs Graph
			// Group.Read.All beyond the Group.Create the deploy app holds (policy CA.Deploy.GraphNoDirectoryReads).
			Members: pulumi.ToStringArray(g.Members),
			Owners:  owners,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("identity %s: group %s: %w", name, key, err)
		}
		return grp, nil
	}
	engineers, err := group("engineers", args.Engineers)
	if err != nil {
		return nil, err
	}
	analysts, err := group("analysts", args.Analysts)
	if err != nil {
		return nil, err
	}

	vault, err := newKeyVault(ctx, name, f, args.KeyVault, args.Network, parent)
	if err != nil {
		return nil, err
	}
	if _, err := args.Diagnostics.AddDiagnostics(ctx, child(name, "vault-diagnostics"), vault.ID().ToStringOutput(),
		DiagnosticSpec{Categories: []string{"AuditEvent"}, Metrics: []string{"AllMetrics"}}, parent); err != nil {
		return nil, err
	}

	id.EngineersObjectID = engineers.ObjectId
	id.EngineersDisplayName = args.Engineers.DisplayName
	id.AdminsDisplayName = args.Admins.DisplayName
	id.AnalystsObjectID = analysts.ObjectId
	id.AnalystsDisplayName = args.Analysts.DisplayName
	id.AdminsObjectID = pulumi.String(args.Admins.ObjectID).ToStringOutput()
	id.KeyVaultID = vault.ID().ToStringOutput()
	id.KeyVaultName = vault.Name
	id.KeyVaultURI = vault.Properties.VaultUri()

	if err := AssignRoles(ctx, name, f.SubscriptionID, []NamedGrant{
		{"admins-vault-admin", RoleGrant{id.Admins(), roles.KeyVaultAdministrator, id.KeyVaultID, "key vault"}},
		{"engineers-vault-user", RoleGrant{id.Engineers(), roles.KeyVaultSecretsUser, id.KeyVaultID, "key vault"}},
	}, parent); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(id, pulumi.Map{
		"engineersObjectId": id.EngineersObjectID,
		"analystsObjectId":  id.AnalystsObjectID,
		"adminsObjectId":    id.AdminsObjectID,
		"keyVaultId":        id.KeyVaultID,
		"keyVaultUri":       id.KeyVaultURI,
	}); err != nil {
		return nil, err
	}
	return id, nil
}

// VaultIgnoredInputs are the vault inputs later updates never diff: the access policies Azure
// Databricks adds to the vault when the secret scope is created.
var VaultIgnoredInputs = []string{"properties.accessPolicies"}

// newKeyVault creates the vault in RBAC mode (no access policies), closed by default: in private mode
// public access is disabled and a private endpoint is the only path; in firewall mode the allow-listed
// IPs and the Databricks subnets get through.
func newKeyVault(ctx *pulumi.Context, name string, f Foundation, spec KeyVaultSpec, net *Network, parent pulumi.ResourceOption) (*keyvault.Vault, error) {
	acls := &keyvault.NetworkRuleSetArgs{
		DefaultAction: keyvault.NetworkRuleActionDeny,
		// Trusted Microsoft services (Azure Databricks' secret scope, ARM) still reach the vault.
		Bypass: keyvault.NetworkRuleBypassOptionsAzureServices,
	}
	publicAccess := "Disabled"
	if net.Mode == NetworkModeFirewall {
		publicAccess = "Enabled"
		ipRules := keyvault.IPRuleArray{}
		for _, r := range spec.AllowedIPRanges {
			ipRules = append(ipRules, &keyvault.IPRuleArgs{Value: pulumi.String(r)})
		}
		acls.IpRules = ipRules
		acls.VirtualNetworkRules = keyvault.VirtualNetworkRuleArray{
			&keyvault.VirtualNetworkRuleArgs{Id: net.DatabricksHostSubnetID},
			&keyvault.VirtualNetworkRuleArgs{Id: net.DatabricksContainerSubnetID},
		}
	}
	// No accessPolicies: the vault authorizes through RBAC. Creating the Key-Vault-backed secret scope
	// adds an access policy for Azure Databricks even so; sending [] would remove it on every update
	// and a refresh would show it as a change, hence also ignoreChanges (VaultIgnoredInputs).
	props := &keyvault.VaultPropertiesArgs{
		TenantId:                  pulumi.String(f.TenantID),
		Sku:                       &keyvault.SkuArgs{Family: keyvault.SkuFamilyA, Name: keyvault.SkuNameStandard},
		EnableRbacAuthorization:   pulumi.Bool(true),
		EnableSoftDelete:          pulumi.Bool(true),
		SoftDeleteRetentionInDays: pulumi.Int(spec.SoftDeleteRetentionDays),
		PublicNetworkAccess:       pulumi.String(publicAccess),
		NetworkAcls:               acls,
	}
	// Purge protection is sent only when on: Azure rejects "false" on a vault that once had it.
	if spec.PurgeProtection {
		props.EnablePurgeProtection = pulumi.Bool(true)
	}
	vault, err := keyvault.NewVault(ctx, child(name, "vault"), &keyvault.VaultArgs{
		VaultName:         pulumi.String(f.Names.Global("kv")),
		ResourceGroupName: f.ResourceGroupName,
		Location:          pulumi.String(f.Location),
		Properties:        props,
		Tags:              f.tags(),
	}, parent, f.protect(), pulumi.IgnoreChanges(VaultIgnoredInputs))
	if err != nil {
		return nil, fmt.Errorf("identity %s: key vault: %w", name, err)
	}
	if err := f.lock(ctx, name, "vault", vault.ID().ToStringOutput(), parent); err != nil {
		return nil, err
	}
	if net.Mode == NetworkModePrivate {
		if _, err := net.NewPrivateEndpoint(ctx, child(name, "vault-pe"), PrivateEndpointSpec{
			Target: vault.ID().ToStringOutput(), GroupID: "vault", Zone: ZoneVault,
		}, parent); err != nil {
			return nil, err
		}
	}
	return vault, nil
}
