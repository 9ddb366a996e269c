package components

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/internal/roles"
)

// Key Vault secret names holding the Databricks service principal's credentials (before the rotation
// suffix, see DatabricksSecretName); the cluster reads them through the Key-Vault-backed secret scope.
const (
	SecretDatabricksClientID     = "databricks-sp-client-id"
	SecretDatabricksClientSecret = "databricks-sp-client-secret"
)

// secretIgnoredInputs: ARM never returns a Key Vault secret's value, so after a refresh every secret
// would diff against what was sent. The value is ignored instead, and a new value reaches the vault
// through a new secret name: the name carries the rotation month (DatabricksSecretName), so a rotation
// creates the next secret (and the cluster's Spark config points at it) before the old one is deleted.
var secretIgnoredInputs = []string{"properties.value"}

// DatabricksSecretName is the Key Vault name of a Databricks credential for a rotation month.
func DatabricksSecretName(base string, rotation RotationMonth) string {
	return base + "-" + rotation.String()
}

// DatabricksSecretNames are the Key Vault secret names of the Databricks service principal's credentials.
type DatabricksSecretNames struct{ ClientID, ClientSecret string }

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
	Owners []string
	// SecretRotation is the month the Databricks service-principal secret was issued; changing it
	// issues a new secret, valid until SecretRotation.Expires().
	SecretRotation RotationMonth
	KeyVault       KeyVaultSpec
	Network        *Network
	Diagnostics    Diagnostics
}

// Identity holds the platform's principals and its Key Vault.
type Identity struct {
	pulumi.ResourceState

	EngineersObjectID pulumi.StringOutput
	AnalystsObjectID  pulumi.StringOutput
	// AdminsDisplayName and EngineersDisplayName name the groups where a service needs the name.
	AdminsDisplayName    string
	EngineersDisplayName string
	AdminsObjectID       pulumi.StringOutput
	DatabricksClientID   pulumi.StringOutput
	// DatabricksSecretNames are the Key Vault secret names of the client id and secret (this rotation's);
	// DatabricksSecrets are those secrets, for whatever reads them to wait for.
	DatabricksSecretNames DatabricksSecretNames
	DatabricksSecrets     []pulumi.Resource
	DatabricksObjectID    pulumi.StringOutput
	KeyVaultID            pulumi.StringOutput
	KeyVaultName          pulumi.StringOutput
	KeyVaultURI           pulumi.StringOutput
}

// Engineers is the data-engineers group as a role principal.
func (i *Identity) Engineers() Principal { return GroupPrincipal("engineers", i.EngineersObjectID) }

// Analysts is the data-analysts group as a role principal.
func (i *Identity) Analysts() Principal { return GroupPrincipal("analysts", i.AnalystsObjectID) }

// Admins is the platform-admins group as a role principal.
func (i *Identity) Admins() Principal { return GroupPrincipal("admins", i.AdminsObjectID) }

// Databricks is the Databricks service principal (the lake identity of the cluster).
func (i *Identity) Databricks() Principal {
	return ServicePrincipal("databricks-sp", i.DatabricksObjectID)
}

// NewIdentity creates the groups, the Databricks service principal, the Key Vault holding its secret
// and the identity-level role assignments (resource group and vault).
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
	if args.SecretRotation.IsZero() {
		return nil, fmt.Errorf("identity %s: SecretRotation is required", name)
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

	dbx, err := newDatabricksPrincipal(ctx, name, f, owners, args.SecretRotation, parent)
	if err != nil {
		return nil, err
	}
	expires := args.SecretRotation.Expires()

	vault, err := newKeyVault(ctx, name, f, args.KeyVault, args.Network, parent)
	if err != nil {
		return nil, err
	}
	if id.DatabricksSecrets, err = storeDatabricksSecrets(ctx, name, f, vault, dbx, args.SecretRotation, parent); err != nil {
		return nil, err
	}
	if _, err := args.Diagnostics.AddDiagnostics(ctx, child(name, "vault-diagnostics"), vault.ID().ToStringOutput(),
		DiagnosticSpec{Categories: []string{"AuditEvent"}, Metrics: []string{"AllMetrics"}}, parent); err != nil {
		return nil, err
	}
	if err := addSecretExpiryAlert(ctx, name, args.Diagnostics, expires, parent); err != nil {
		return nil, err
	}

	id.EngineersObjectID = engineers.ObjectId
	id.EngineersDisplayName = args.Engineers.DisplayName
	id.AdminsDisplayName = args.Admins.DisplayName
	id.AnalystsObjectID = analysts.ObjectId
	id.AdminsObjectID = pulumi.String(args.Admins.ObjectID).ToStringOutput()
	id.DatabricksClientID = dbx.app.ClientId
	id.DatabricksSecretNames = DatabricksSecretNames{
		ClientID:     DatabricksSecretName(SecretDatabricksClientID, args.SecretRotation),
		ClientSecret: DatabricksSecretName(SecretDatabricksClientSecret, args.SecretRotation),
	}
	id.DatabricksObjectID = dbx.sp.ObjectId
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
		"engineersObjectId":  id.EngineersObjectID,
		"analystsObjectId":   id.AnalystsObjectID,
		"adminsObjectId":     id.AdminsObjectID,
		"databricksClientId": id.DatabricksClientID,
		"keyVaultId":         id.KeyVaultID,
		"keyVaultUri":        id.KeyVaultURI,
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

// SecretValidityMonths is how long a Databricks service-principal secret lives from the first day of
// its identity.secretRotation month.
const SecretValidityMonths = 12

// SecretExpiryWarningDays is how long before the end date the expiry alert starts firing (daily).
const SecretExpiryWarningDays = 30

// RotationMonth is the month a secret was issued (identity.secretRotation, "YYYY-MM").
type RotationMonth struct{ start time.Time }

// ParseRotationMonth reads "YYYY-MM" (2024-01 or later).
func ParseRotationMonth(s string) (RotationMonth, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Format("2006-01") != s {
		return RotationMonth{}, fmt.Errorf("is not a month in the form YYYY-MM")
	}
	if t.Year() < 2024 {
		return RotationMonth{}, fmt.Errorf("is before 2024-01")
	}
	return RotationMonth{start: t}, nil
}

// IsZero reports an unset month.
func (r RotationMonth) IsZero() bool { return r.start.IsZero() }

// String is the "YYYY-MM" form.
func (r RotationMonth) String() string { return r.start.Format("2006-01") }

// Expires is the end of the secret's validity: midnight UTC on the first day of the month
// SecretValidityMonths after the rotation month.
func (r RotationMonth) Expires() time.Time { return r.start.AddDate(0, SecretValidityMonths, 0) }

// addSecretExpiryAlert warns the action group daily from SecretExpiryWarningDays before the secret's end
// date. The query reads no table (print), so the rule validates on the very first deploy, and the end
// date is a constant that moves with identity.secretRotation.
func addSecretExpiryAlert(ctx *pulumi.Context, name string, d Diagnostics, expires time.Time, opts ...pulumi.ResourceOption) error {
	_, err := d.AddLogAlert(ctx, child(name, "secret-expiry-alert"), LogAlertSpec{
		Name: "sp-secret-expiry",
		Description: fmt.Sprintf("The Databricks service principal's secret expires on %s: set a new identity.secretRotation and deploy",
			expires.Format("2006-01-02")),
		Query:    SecretExpiryQuery(expires),
		Severity: 2, Frequency: "P1D", Window: "P1D",
	}, opts...)
	return err
}

// SecretExpiryQuery returns one row while the secret expires within SecretExpiryWarningDays (or has expired).
func SecretExpiryQuery(expires time.Time) string {
	return fmt.Sprintf("print days_left = datetime_diff('day', datetime(%s), now())\n| where days_left <= %d",
		expires.Format(time.RFC3339), SecretExpiryWarningDays)
}

// databricksPrincipal is the Databricks cluster's identity: its application, service principal and
// password.
type databricksPrincipal struct {
	app      *azuread.Application
	sp       *azuread.ServicePrincipal
	password *azuread.ApplicationPassword
}

// newDatabricksPrincipal registers the application, its service principal and a password that ends
// with the rotation month's validity.
func newDatabricksPrincipal(ctx *pulumi.Context, name string, f Foundation, owners pulumi.StringArray, rotation RotationMonth, parent pulumi.ResourceOption) (databricksPrincipal, error) {
	app, err := azuread.NewApplication(ctx, child(name, "databricks-app"), &azuread.ApplicationArgs{
		DisplayName: pulumi.String(f.Names.Regional("sp-databricks")),
		Description: pulumi.String("Databricks cluster identity for the customer-analytics lake"),
		Owners:      owners,
		// No preventDuplicateNames: it lists applications by name (Application.Read.All), beyond the
		// Application.ReadWrite.OwnedBy the deploy app holds.
		SignInAudience: pulumi.String("AzureADMyOrg"),
	}, parent)
	if err != nil {
		return databricksPrincipal{}, fmt.Errorf("identity %s: application: %w", name, err)
	}
	sp, err := azuread.NewServicePrincipal(ctx, child(name, "databricks-sp"), &azuread.ServicePrincipalArgs{
		ClientId: app.ClientId,
		Owners:   owners,
	}, parent)
	if err != nil {
		return databricksPrincipal{}, fmt.Errorf("identity %s: service principal: %w", name, err)
	}
	expires := rotation.Expires()
	password, err := azuread.NewApplicationPassword(ctx, child(name, "databricks-secret"), &azuread.ApplicationPasswordArgs{
		ApplicationId:     app.ID(),
		DisplayName:       pulumi.String("lake-access (stored in Key Vault only)"),
		EndDate:           pulumi.String(expires.Format(time.RFC3339)),
		RotateWhenChanged: pulumi.StringMap{"rotation": pulumi.String(rotation.String())},
	}, parent)
	if err != nil {
		return databricksPrincipal{}, fmt.Errorf("identity %s: application password: %w", name, err)
	}
	return databricksPrincipal{app: app, sp: sp, password: password}, nil
}

// storeDatabricksSecrets writes the client id and secret into Key Vault, expiring with the password.
//
// A rotation replaces the secrets by new names; the old ones are retained on delete rather than deleted:
// they expire with their password anyway, and deleting them would go through the vault's data plane
// (closed in private mode) under a CanNotDelete lock.
func storeDatabricksSecrets(ctx *pulumi.Context, name string, f Foundation, vault *keyvault.Vault, dbx databricksPrincipal, rotation RotationMonth, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	expires := rotation.Expires()
	// The secret goes only into Key Vault (written through ARM, which works with the vault's data
	// plane closed); it is never exported and stays a Pulumi secret in state.
	secrets := map[string]pulumi.StringInput{
		SecretDatabricksClientID:     dbx.app.ClientId,
		SecretDatabricksClientSecret: pulumi.ToSecret(dbx.password.Value).(pulumi.StringOutput),
	}
	var stored []pulumi.Resource
	for _, secretName := range []string{SecretDatabricksClientID, SecretDatabricksClientSecret} {
		secret, err := keyvault.NewSecret(ctx, child(name, secretName), &keyvault.SecretArgs{
			SecretName:        pulumi.String(DatabricksSecretName(secretName, rotation)),
			VaultName:         vault.Name,
			ResourceGroupName: f.ResourceGroupName,
			Properties: &keyvault.SecretPropertiesArgs{Value: secrets[secretName], ContentType: pulumi.String("text/plain"),
				// Expires with the password (checkov CKV_AZURE_41), so the vault shows when to rotate.
				Attributes: &keyvault.SecretAttributesArgs{Expires: pulumi.Int(int(expires.Unix()))}},
			Tags: f.tags(),
		}, parent, pulumi.IgnoreChanges(secretIgnoredInputs), pulumi.RetainOnDelete(true))
		if err != nil {
			return nil, fmt.Errorf("identity %s: secret %s: %w", name, secretName, err)
		}
		stored = append(stored, secret)
	}
	return stored, nil
}
