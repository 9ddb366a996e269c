package components

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	adb "github.com/customer-analytics/platform/internal/bindings/azurenative/databricks"
	"github.com/customer-analytics/platform/internal/roles"
)

// Container is a top-level filesystem of the lake.
type Container string

// The medallion layers plus the scripts container.
const (
	ContainerBronze  Container = "bronze"
	ContainerSilver  Container = "silver"
	ContainerGold    Container = "gold"
	ContainerScripts Container = "scripts"
)

// Containers lists the lake's containers in creation order.
var Containers = []Container{ContainerBronze, ContainerSilver, ContainerGold, ContainerScripts}

// LifecycleRule is the tiering of one layer, in days since last modification (0 = no such action).
type LifecycleRule struct {
	Container     Container
	CoolAfterDays int
	ArchiveAfter  int
	DeleteAfter   int
}

// Lifecycle is the lake's tiering policy: raw data cools at 90 days, archives at a year and goes after
// two; cleansed data cools at 180 days; gold stays hot for analysts (no rule).
var Lifecycle = []LifecycleRule{
	{Container: ContainerBronze, CoolAfterDays: 90, ArchiveAfter: 365, DeleteAfter: 730},
	{Container: ContainerSilver, CoolAfterDays: 180},
}

// SupportsArchive reports whether blobs of an account with this replication can move to the archive
// tier; Azure does not offer archive on ZRS, GZRS or RA-GZRS accounts.
func SupportsArchive(replication storage.SkuName) bool {
	return !strings.Contains(string(replication), "ZRS")
}

// DataLakeArgs configures the ADLS Gen2 account.
type DataLakeArgs struct {
	Foundation
	Replication             storage.SkuName
	SoftDeleteRetentionDays int
	// AllowedIPRanges open the firewall in firewall mode.
	AllowedIPRanges []string
	// TrustedResourceIDs are resource instances (e.g. the Synapse workspace) let through the firewall
	// by resource-instance rules, so they can use their managed identity without a public path.
	TrustedResourceIDs []string
	Network            *Network
	Diagnostics        Diagnostics
	// Principals for the data-plane role assignments.
	Engineers, Analysts Principal
}

// DataLake is the ADLS Gen2 account with the medallion containers.
type DataLake struct {
	pulumi.ResourceState

	AccountID    pulumi.StringOutput
	AccountName  pulumi.StringOutput
	BlobEndpoint pulumi.StringOutput
	DfsEndpoint  pulumi.StringOutput
	Containers   map[Container]pulumi.StringOutput // container resource ids
	// AccessConnectorID is the Azure Databricks access connector whose managed identity Unity Catalog
	// reaches the medallion containers with (the storage credential's identity).
	AccessConnectorID pulumi.StringOutput
	// AccessConnectorPrincipalID is its system-assigned identity (for role assignments and plans).
	AccessConnectorPrincipalID pulumi.StringOutput
}

// AccessConnector is the Unity Catalog access connector's identity as a role principal.
func (l *DataLake) AccessConnector() Principal {
	return ServicePrincipal("uc-access-connector", l.AccessConnectorPrincipalID)
}

// NewDataLake creates the Unity Catalog access connector, the account (its firewall lets the connector
// through), its containers, protection and tiering policies, private endpoints (private mode),
// diagnostics and the data-plane role assignments.
func NewDataLake(ctx *pulumi.Context, name string, args *DataLakeArgs, opts ...pulumi.ResourceOption) (*DataLake, error) {
	if err := args.validate(name); err != nil {
		return nil, err
	}
	lake := &DataLake{Containers: map[Container]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource("analytics:datalake:DataLake", name, lake, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(lake)
	connector, err := newAccessConnector(ctx, name, args.Foundation, parent)
	if err != nil {
		return nil, err
	}
	lake.AccessConnectorID = connector.ID().ToStringOutput()
	lake.AccessConnectorPrincipalID = connector.Identity.PrincipalId()
	account, err := lake.newAccount(ctx, name, args)
	if err != nil {
		return nil, err
	}
	if err := lake.newContainers(ctx, name, args, account); err != nil {
		return nil, err
	}
	if err := lake.privateEndpoints(ctx, name, args, account); err != nil {
		return nil, err
	}
	if err := lake.monitorAndGrant(ctx, name, args); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(lake, pulumi.Map{
		"accessConnectorId": lake.AccessConnectorID,
		"accountId":         lake.AccountID,
		"accountName":       lake.AccountName,
		"dfsEndpoint":       lake.DfsEndpoint,
		"blobEndpoint":      lake.BlobEndpoint,
	}); err != nil {
		return nil, err
	}
	return lake, nil
}

func (args *DataLakeArgs) validate(name string) error {
	if args == nil {
		return fmt.Errorf("datalake %s: args are required", name)
	}
	if err := args.Foundation.validate("datalake " + name); err != nil {
		return err
	}
	if err := requireInputs("datalake "+name, map[string]any{
		"Network": args.Network, "Diagnostics": args.Diagnostics,
		"Engineers.ID": args.Engineers.ID, "Analysts.ID": args.Analysts.ID,
	}); err != nil {
		return err
	}
	if args.Replication == "" {
		return fmt.Errorf("datalake %s: Replication is required", name)
	}
	if args.SoftDeleteRetentionDays < 1 || args.SoftDeleteRetentionDays > 365 {
		return fmt.Errorf("datalake %s: soft-delete retention %d is outside 1..365 days", name, args.SoftDeleteRetentionDays)
	}
	return nil
}

// networkRules closes the firewall by default and lets through the access connector and the trusted
// resource instances; in firewall mode also the allow-listed IPs and the Databricks subnets.
func (l *DataLake) networkRules(args *DataLakeArgs) (*storage.NetworkRuleSetArgs, storage.PublicNetworkAccess) {
	f := args.Foundation
	private := args.Network.Mode == NetworkModePrivate
	rules := &storage.NetworkRuleSetArgs{
		DefaultAction: storage.DefaultActionDeny,
		// Trusted Azure services stay allowed, and the access connector is a resource instance rule:
		// both are what Unity Catalog needs behind a storage firewall (policy CA.Deploy.AccessConnectorFirewall).
		Bypass: storage.BypassAzureServices,
	}
	resourceRules := storage.ResourceAccessRuleArray{
		&storage.ResourceAccessRuleArgs{ResourceId: l.AccessConnectorID, TenantId: pulumi.String(f.TenantID)},
	}
	for _, id := range args.TrustedResourceIDs {
		resourceRules = append(resourceRules, &storage.ResourceAccessRuleArgs{ResourceId: pulumi.String(id), TenantId: pulumi.String(f.TenantID)})
	}
	rules.ResourceAccessRules = resourceRules
	publicAccess := storage.PublicNetworkAccessDisabled
	if !private {
		publicAccess = storage.PublicNetworkAccessEnabled
		ipRules := storage.IPRuleArray{}
		for _, r := range args.AllowedIPRanges {
			ipRules = append(ipRules, &storage.IPRuleArgs{Action: storage.ActionAllow, IPAddressOrRange: pulumi.String(storageIPRule(r))})
		}
		rules.IpRules = ipRules
		rules.VirtualNetworkRules = storage.VirtualNetworkRuleArray{
			&storage.VirtualNetworkRuleArgs{Action: storage.ActionAllow, VirtualNetworkResourceId: args.Network.DatabricksHostSubnetID},
			&storage.VirtualNetworkRuleArgs{Action: storage.ActionAllow, VirtualNetworkResourceId: args.Network.DatabricksContainerSubnetID},
		}
	}
	return rules, publicAccess
}

// newAccount creates the ADLS Gen2 account and its lock, and sets the account's outputs.
func (l *DataLake) newAccount(ctx *pulumi.Context, name string, args *DataLakeArgs) (*storage.StorageAccount, error) {
	f, parent := args.Foundation, pulumi.Parent(l)
	rules, publicAccess := l.networkRules(args)
	account, err := storage.NewStorageAccount(ctx, child(name, "account"), &storage.StorageAccountArgs{
		AccountName:            pulumi.String(f.Names.Compact("st")),
		ResourceGroupName:      f.ResourceGroupName,
		Location:               pulumi.String(f.Location),
		Kind:                   storage.KindStorageV2,
		Sku:                    &storage.SkuArgs{Name: args.Replication},
		AccessTier:             storage.AccessTierHot,
		IsHnsEnabled:           pulumi.Bool(true),
		EnableHttpsTrafficOnly: pulumi.Bool(true),
		MinimumTlsVersion:      storage.MinimumTlsVersion_TLS1_2,
		AllowBlobPublicAccess:  pulumi.Bool(false),
		// Every platform service reaches the lake with Entra ID (managed identity or service
		// principal), so account keys and SAS are switched off.
		AllowSharedKeyAccess:         pulumi.Bool(false),
		DefaultToOAuthAuthentication: pulumi.Bool(true),
		AllowCrossTenantReplication:  pulumi.Bool(false),
		AllowedCopyScope:             storage.AllowedCopyScopeAAD,
		PublicNetworkAccess:          publicAccess,
		NetworkRuleSet:               rules,
		Tags:                         f.tags(),
	}, parent, f.protect())
	if err != nil {
		return nil, fmt.Errorf("datalake %s: account: %w", name, err)
	}
	if err := f.lock(ctx, name, "account", account.ID().ToStringOutput(), parent); err != nil {
		return nil, err
	}
	l.AccountID = account.ID().ToStringOutput()
	l.AccountName = account.Name
	// Without the trailing slash ARM returns: Synapse and Data Factory expect https://<account>.dfs.core.windows.net.
	trim := func(s string) string { return strings.TrimSuffix(s, "/") }
	l.BlobEndpoint = account.PrimaryEndpoints.Blob().ApplyT(trim).(pulumi.StringOutput)
	l.DfsEndpoint = account.PrimaryEndpoints.Dfs().ApplyT(trim).(pulumi.StringOutput)
	return account, nil
}

// newContainers creates the blob service (soft delete), the containers and the lifecycle policy.
func (l *DataLake) newContainers(ctx *pulumi.Context, name string, args *DataLakeArgs, account *storage.StorageAccount) error {
	f, parent := args.Foundation, pulumi.Parent(l)
	// No blob versioning: Azure does not support it on accounts with a hierarchical namespace (policy
	// CA.Deploy.NoVersioningOnHns). Recovery rests on blob and container soft delete, the account lock and
	// the Delta tables' own history in silver and gold.
	blobService, err := storage.NewBlobServiceProperties(ctx, child(name, "blob-service"), &storage.BlobServicePropertiesArgs{
		AccountName:       account.Name,
		ResourceGroupName: f.ResourceGroupName,
		BlobServicesName:  pulumi.String("default"),
		DeleteRetentionPolicy: &storage.DeleteRetentionPolicyArgs{
			Enabled: pulumi.Bool(true), Days: pulumi.Int(args.SoftDeleteRetentionDays),
			// Azure returns allowPermanentDelete (false) with the policy; sent as returned so a
			// refresh finds nothing to change.
			AllowPermanentDelete: pulumi.Bool(false),
		},
		ContainerDeleteRetentionPolicy: &storage.DeleteRetentionPolicyArgs{
			Enabled: pulumi.Bool(true), Days: pulumi.Int(args.SoftDeleteRetentionDays),
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("datalake %s: blob service: %w", name, err)
	}
	for _, c := range Containers {
		ctr, err := storage.NewBlobContainer(ctx, child(name, string(c)), &storage.BlobContainerArgs{
			AccountName:       account.Name,
			ResourceGroupName: f.ResourceGroupName,
			ContainerName:     pulumi.String(string(c)),
			PublicAccess:      storage.PublicAccessNone,
		}, parent, pulumi.DependsOn([]pulumi.Resource{blobService}), f.protect())
		if err != nil {
			return fmt.Errorf("datalake %s: container %s: %w", name, c, err)
		}
		l.Containers[c] = ctr.ID().ToStringOutput()
	}
	if _, err := storage.NewManagementPolicy(ctx, child(name, "lifecycle"), &storage.ManagementPolicyArgs{
		AccountName:       account.Name,
		ResourceGroupName: f.ResourceGroupName,
		// ARM accepts only this name for an account's lifecycle policy.
		ManagementPolicyName: pulumi.String("default"),
		Policy:               &storage.ManagementPolicySchemaArgs{Rules: lifecycleRules(args.Replication)},
	}, parent); err != nil {
		return fmt.Errorf("datalake %s: lifecycle policy: %w", name, err)
	}
	return nil
}

// privateEndpoints (private mode) creates the blob and dfs private endpoints.
func (l *DataLake) privateEndpoints(ctx *pulumi.Context, name string, args *DataLakeArgs, account *storage.StorageAccount) error {
	if args.Network.Mode != NetworkModePrivate {
		return nil
	}
	for _, sub := range []struct {
		group string
		zone  DNSZone
	}{{"blob", ZoneBlob}, {"dfs", ZoneDfs}} {
		if _, err := args.Network.NewPrivateEndpoint(ctx, child(name, sub.group+"-pe"), PrivateEndpointSpec{
			Target: account.ID().ToStringOutput(), GroupID: sub.group, Zone: sub.zone,
		}, pulumi.Parent(l)); err != nil {
			return err
		}
	}
	return nil
}

// monitorAndGrant sends blob logs to Log Analytics and assigns the data-plane roles.
func (l *DataLake) monitorAndGrant(ctx *pulumi.Context, name string, args *DataLakeArgs) error {
	f, parent := args.Foundation, pulumi.Parent(l)
	if _, err := args.Diagnostics.AddDiagnostics(ctx, child(name, "blob-diagnostics"), pulumi.Sprintf("%s/blobServices/default", l.AccountID),
		DiagnosticSpec{Categories: []string{"StorageRead", "StorageWrite", "StorageDelete"}, Metrics: []string{"Transaction"}}, parent); err != nil {
		return err
	}
	// Data-plane access follows the medallion: engineers work on the whole account, analysts read only
	// gold, and Unity Catalog's access connector reads bronze and writes silver (the pipeline's
	// checkpoints, quarantine and control records live there too) and gold. Who may use that access is
	// decided by the Unity Catalog grants on the external locations (components/catalog.go).
	if err := AssignRoles(ctx, name, f.SubscriptionID, []NamedGrant{
		{"engineers-account", RoleGrant{args.Engineers, roles.StorageBlobDataContributor, l.AccountID, "storage account"}},
		{"analysts-gold", RoleGrant{args.Analysts, roles.StorageBlobDataReader, l.Containers[ContainerGold], "gold container"}},
		{"connector-bronze", RoleGrant{l.AccessConnector(), roles.StorageBlobDataReader, l.Containers[ContainerBronze], "bronze container"}},
		{"connector-silver", RoleGrant{l.AccessConnector(), roles.StorageBlobDataContributor, l.Containers[ContainerSilver], "silver container"}},
		{"connector-gold", RoleGrant{l.AccessConnector(), roles.StorageBlobDataContributor, l.Containers[ContainerGold], "gold container"}},
	}, parent); err != nil {
		return err
	}
	return nil
}

// newAccessConnector creates the Azure Databricks access connector with a system-assigned identity:
// Unity Catalog's storage credential uses it, so no secret exists for lake access.
func newAccessConnector(ctx *pulumi.Context, name string, f Foundation, parent pulumi.ResourceOption) (*adb.AccessConnector, error) {
	connector, err := adb.NewAccessConnector(ctx, child(name, "access-connector"), &adb.AccessConnectorArgs{
		ConnectorName:     pulumi.String(f.Names.Regional("dbac")),
		ResourceGroupName: f.ResourceGroupName,
		Location:          pulumi.String(f.Location),
		Identity:          &adb.ManagedServiceIdentityArgs{Type: adb.ManagedServiceIdentityTypeSystemAssigned},
		Tags:              f.tags(),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("datalake %s: access connector: %w", name, err)
	}
	return connector, nil
}

// lifecycleRules turns Lifecycle into the policy's rules for the given replication.
func lifecycleRules(replication storage.SkuName) storage.ManagementPolicyRuleArray {
	days := func(d int) *storage.DateAfterModificationArgs {
		return &storage.DateAfterModificationArgs{DaysAfterModificationGreaterThan: pulumi.Float64(float64(d))}
	}
	out := storage.ManagementPolicyRuleArray{}
	for _, r := range Lifecycle {
		base := &storage.ManagementPolicyBaseBlobArgs{}
		if r.CoolAfterDays > 0 {
			base.TierToCool = days(r.CoolAfterDays)
		}
		if r.ArchiveAfter > 0 && SupportsArchive(replication) {
			base.TierToArchive = days(r.ArchiveAfter)
		}
		if r.DeleteAfter > 0 {
			base.Delete = days(r.DeleteAfter)
		}
		out = append(out, &storage.ManagementPolicyRuleArgs{
			Name:    pulumi.String(string(r.Container) + "-lifecycle"),
			Enabled: pulumi.Bool(true),
			Type:    pulumi.String(string(storage.RuleTypeLifecycle)),
			Definition: &storage.ManagementPolicyDefinitionArgs{
				Filters: &storage.ManagementPolicyFilterArgs{
					BlobTypes:   pulumi.StringArray{pulumi.String("blockBlob")},
					PrefixMatch: pulumi.StringArray{pulumi.String(string(r.Container) + "/")},
				},
				Actions: &storage.ManagementPolicyActionArgs{BaseBlob: base},
			},
		})
	}
	return out
}

// storageIPRule adapts an allow-listed range to storage firewall syntax, which takes single addresses
// without a /32 suffix.
func storageIPRule(r string) string { return strings.TrimSuffix(r, "/32") }
