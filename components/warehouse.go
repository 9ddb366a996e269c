package components

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	syn "github.com/customer-analytics/platform/internal/bindings/azurenative/synapse"
	"github.com/customer-analytics/platform/internal/roles"
)

// SynapseFilesystem is the workspace's default ADLS Gen2 filesystem (Spark logs, workspace files).
const SynapseFilesystem = "synapse"

// WarehouseArgs configures Synapse.
type WarehouseArgs struct {
	Foundation
	Network     *Network
	Identity    *Identity
	Diagnostics Diagnostics
	// The lake: Synapse's default filesystem lives in it and the serverless SQL reads gold from it.
	StorageAccountID   pulumi.StringInput
	StorageAccountName pulumi.StringInput
	DfsEndpoint        pulumi.StringInput
	GoldContainerID    pulumi.StringInput
	// AllowedIPRanges open the workspace firewall in firewall mode (never an allow-all rule).
	AllowedIPRanges []string
	// DedicatedSQLPool adds a dedicated pool (off by default: serverless is pay-per-query).
	DedicatedSQLPool    bool
	DedicatedSQLPoolSku string
	// SparkVersion is the Spark pool's Synapse runtime; config admits only supported ones.
	SparkVersion syn.SparkVersion
}

// Warehouse is the Synapse workspace analysts query gold through.
type Warehouse struct {
	pulumi.ResourceState

	WorkspaceID        pulumi.StringOutput
	WorkspaceName      pulumi.StringOutput
	ServerlessEndpoint pulumi.StringOutput
	PrincipalID        pulumi.StringOutput
}

// WorkspaceName is the Synapse workspace's Azure name; the lake's firewall trusts it by id before it
// exists, so it is derived, not read back.
func WorkspaceName(f Foundation) string { return f.Names.Global("syn") }

// WorkspaceResourceID is the Synapse workspace's ARM id.
func WorkspaceResourceID(f Foundation, resourceGroupName string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Synapse/workspaces/%s", f.SubscriptionID, resourceGroupName, WorkspaceName(f))
}

// NewWarehouse creates the Synapse workspace (Entra-only auth, admins group as SQL admin; private mode:
// managed VNet with exfiltration protection, no public access, private endpoints), its default
// filesystem, the Spark pool, the optional dedicated pool and the workspace's role assignments.
func NewWarehouse(ctx *pulumi.Context, name string, args *WarehouseArgs, opts ...pulumi.ResourceOption) (*Warehouse, error) {
	if args == nil {
		return nil, fmt.Errorf("warehouse %s: args are required", name)
	}
	if err := args.Foundation.validate("warehouse " + name); err != nil {
		return nil, err
	}
	if err := requireInputs("warehouse "+name, map[string]any{
		"Network": args.Network, "Identity": args.Identity, "Diagnostics": args.Diagnostics,
		"StorageAccountID": args.StorageAccountID, "StorageAccountName": args.StorageAccountName,
		"DfsEndpoint": args.DfsEndpoint, "GoldContainerID": args.GoldContainerID,
	}); err != nil {
		return nil, err
	}
	if args.SparkVersion == "" {
		return nil, fmt.Errorf("warehouse %s: a Spark runtime version is required (e.g. 3.5)", name)
	}
	if args.DedicatedSQLPool && args.DedicatedSQLPoolSku == "" {
		return nil, fmt.Errorf("warehouse %s: a dedicated SQL pool needs a sku (e.g. DW100c)", name)
	}

	w := &Warehouse{}
	if err := ctx.RegisterComponentResource("analytics:warehouse:Warehouse", name, w, opts...); err != nil {
		return nil, err
	}
	f := args.Foundation
	parent := pulumi.Parent(w)
	private := args.Network.Mode == NetworkModePrivate

	filesystem, err := storage.NewBlobContainer(ctx, child(name, "filesystem"), &storage.BlobContainerArgs{
		AccountName:       args.StorageAccountName,
		ResourceGroupName: f.ResourceGroupName,
		ContainerName:     pulumi.String(SynapseFilesystem),
		PublicAccess:      storage.PublicAccessNone,
	}, parent, f.protect())
	if err != nil {
		return nil, fmt.Errorf("warehouse %s: filesystem: %w", name, err)
	}

	wsArgs := &syn.WorkspaceArgs{
		WorkspaceName:            pulumi.String(WorkspaceName(f)),
		ResourceGroupName:        f.ResourceGroupName,
		Location:                 pulumi.String(f.Location),
		Identity:                 &syn.ManagedIdentityArgs{Type: syn.ResourceIdentityTypeSystemAssigned},
		ManagedResourceGroupName: pulumi.String(WorkspaceName(f) + "-managed"),
		DefaultDataLakeStorage: &syn.DataLakeStorageAccountDetailsArgs{
			AccountUrl:                   args.DfsEndpoint,
			Filesystem:                   pulumi.String(SynapseFilesystem),
			ResourceId:                   args.StorageAccountID,
			CreateManagedPrivateEndpoint: pulumi.Bool(private),
		},
		// Entra ID only: no SQL login exists, the admins group administers SQL.
		AzureADOnlyAuthentication:   pulumi.Bool(true),
		CspWorkspaceAdminProperties: &syn.CspWorkspaceAdminPropertiesArgs{InitialWorkspaceAdminObjectId: args.Identity.AdminsObjectID},
		TrustedServiceBypassEnabled: pulumi.Bool(true),
		PublicNetworkAccess:         syn.WorkspacePublicNetworkAccessEnabled,
		Tags:                        f.tags(),
	}
	if private {
		// Managed VNet and exfiltration protection can only be chosen when the workspace is created.
		wsArgs.ManagedVirtualNetwork = pulumi.String("default")
		wsArgs.ManagedVirtualNetworkSettings = &syn.ManagedVirtualNetworkSettingsArgs{
			PreventDataExfiltration:       pulumi.Bool(true),
			AllowedAadTenantIdsForLinking: pulumi.StringArray{pulumi.String(f.TenantID)},
		}
		wsArgs.PublicNetworkAccess = syn.WorkspacePublicNetworkAccessDisabled
	}
	ws, err := syn.NewWorkspace(ctx, child(name, "workspace"), wsArgs, parent, pulumi.DependsOn([]pulumi.Resource{filesystem}), f.protect())
	if err != nil {
		return nil, fmt.Errorf("warehouse %s: workspace: %w", name, err)
	}
	if err := f.lock(ctx, name, "workspace", ws.ID().ToStringOutput(), parent); err != nil {
		return nil, err
	}
	w.WorkspaceID = ws.ID().ToStringOutput()
	w.WorkspaceName = ws.Name
	w.PrincipalID = ws.Identity.PrincipalId()
	w.ServerlessEndpoint = ws.ConnectivityEndpoints.MapIndex(pulumi.String("sqlOnDemand"))

	if _, err := syn.NewWorkspaceAadAdmin(ctx, child(name, "sql-admin"), &syn.WorkspaceAadAdminArgs{
		WorkspaceName:     ws.Name,
		ResourceGroupName: f.ResourceGroupName,
		AdministratorType: pulumi.String("ActiveDirectory"),
		Login:             pulumi.String(args.Identity.AdminsDisplayName),
		Sid:               args.Identity.AdminsObjectID,
		TenantId:          pulumi.String(f.TenantID),
	}, parent); err != nil {
		return nil, fmt.Errorf("warehouse %s: sql admin: %w", name, err)
	}

	if private {
		for _, ep := range []struct{ key, group string }{{"sql-pe", "Sql"}, {"serverless-pe", "SqlOnDemand"}, {"dev-pe", "Dev"}} {
			zone := ZoneSynapseSQL
			if ep.group == "Dev" {
				zone = ZoneSynapseDev
			}
			if _, err := args.Network.NewPrivateEndpoint(ctx, child(name, ep.key), PrivateEndpointSpec{Target: w.WorkspaceID, GroupID: ep.group, Zone: zone}, parent); err != nil {
				return nil, err
			}
		}
	} else {
		for i, r := range args.AllowedIPRanges {
			start, end, err := ipRange(r)
			if err != nil {
				return nil, fmt.Errorf("warehouse %s: firewall range %q: %w", name, r, err)
			}
			if _, err := syn.NewIpFirewallRule(ctx, child(name, fmt.Sprintf("firewall-%d", i)), &syn.IpFirewallRuleArgs{
				RuleName:          pulumi.Sprintf("allowed-%d", i),
				WorkspaceName:     ws.Name,
				ResourceGroupName: f.ResourceGroupName,
				StartIpAddress:    pulumi.String(start),
				EndIpAddress:      pulumi.String(end),
			}, parent); err != nil {
				return nil, fmt.Errorf("warehouse %s: firewall rule: %w", name, err)
			}
		}
	}

	if _, err := syn.NewBigDataPool(ctx, child(name, "spark"), &syn.BigDataPoolArgs{
		BigDataPoolName:   pulumi.String("sparkpool"),
		WorkspaceName:     ws.Name,
		ResourceGroupName: f.ResourceGroupName,
		Location:          pulumi.String(f.Location),
		SparkVersion:      pulumi.String(string(args.SparkVersion)),
		NodeSize:          syn.NodeSizeSmall,
		NodeSizeFamily:    syn.NodeSizeFamilyMemoryOptimized,
		AutoScale:         &syn.AutoScalePropertiesArgs{Enabled: pulumi.Bool(true), MinNodeCount: pulumi.Int(3), MaxNodeCount: pulumi.Int(5)},
		AutoPause:         &syn.AutoPausePropertiesArgs{Enabled: pulumi.Bool(true), DelayInMinutes: pulumi.Int(15)},
		IsAutotuneEnabled: pulumi.Bool(false),
		Tags:              f.tags(),
	}, parent); err != nil {
		return nil, fmt.Errorf("warehouse %s: spark pool: %w", name, err)
	}
	if args.DedicatedSQLPool {
		if _, err := syn.NewSqlPool(ctx, child(name, "dedicated-pool"), &syn.SqlPoolArgs{
			SqlPoolName:        pulumi.String("dw"),
			WorkspaceName:      ws.Name,
			ResourceGroupName:  f.ResourceGroupName,
			Location:           pulumi.String(f.Location),
			Sku:                &syn.SkuArgs{Name: pulumi.String(args.DedicatedSQLPoolSku)},
			CreateMode:         syn.CreateModeDefault,
			Collation:          pulumi.String("SQL_Latin1_General_CP1_CI_AS"),
			StorageAccountType: syn.StorageAccountTypeGRS,
			Tags:               f.tags(),
		}, parent); err != nil {
			return nil, fmt.Errorf("warehouse %s: dedicated pool: %w", name, err)
		}
	}

	// The workspace identity reads gold (serverless SQL's credential) and writes its own filesystem.
	// Analysts need no Azure role here: they reach the serverless endpoint with Entra ID and get SELECT
	// on the views through the SQL scripts (synapse/).
	ident := ServicePrincipal("synapse", w.PrincipalID)
	if err := AssignRoles(ctx, name, f.SubscriptionID, []NamedGrant{
		{"synapse-gold-reader", RoleGrant{ident, roles.StorageBlobDataReader, args.GoldContainerID, "gold container"}},
		{"synapse-filesystem", RoleGrant{ident, roles.StorageBlobDataContributor, filesystem.ID().ToStringOutput(), "synapse filesystem"}},
		{"engineers-synapse", RoleGrant{args.Identity.Engineers(), roles.Contributor, w.WorkspaceID, "synapse workspace"}},
	}, parent); err != nil {
		return nil, err
	}

	if err := sqlAuditing(ctx, name, f, ws, args.Diagnostics, parent); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{
		"workspaceId":        w.WorkspaceID,
		"workspaceName":      w.WorkspaceName,
		"serverlessEndpoint": w.ServerlessEndpoint,
	}); err != nil {
		return nil, err
	}
	return w, nil
}

// sqlAuditing sends the workspace's SQL audit events to Log Analytics (checkov CKV2_AZURE_53): the
// workspace's extended auditing settings target Azure Monitor, and its diagnostic setting ships the
// SQLSecurityAuditEvents category with the workspace's other logs.
func sqlAuditing(ctx *pulumi.Context, name string, f Foundation, ws *syn.Workspace, d Diagnostics, parent pulumi.ResourceOption) error {
	settings := syn.ExtendedAuditingSettingsProperties{State: syn.BlobAuditingPolicyStateEnabled, IsAzureMonitorTargetEnabled: pulumi.BoolRef(true)}
	if _, err := resources.NewDeployment(ctx, child(name, "sql-auditing"), &resources.DeploymentArgs{
		// azure-native 2.90.0 has no resource for the auditing settings (see the binding).
		DeploymentName:    pulumi.Sprintf("%s-sql-auditing", ws.Name),
		ResourceGroupName: f.ResourceGroupName,
		Properties: &resources.DeploymentPropertiesArgs{
			Mode: resources.DeploymentModeIncremental,
			Template: ws.Name.ApplyT(func(workspace string) map[string]interface{} {
				return syn.ExtendedAuditingSettingsTemplate(workspace, settings)
			}),
		},
	}, parent, pulumi.IgnoreChanges(DeploymentIgnoredInputs)); err != nil {
		return fmt.Errorf("warehouse %s: sql auditing: %w", name, err)
	}
	_, err := d.AddDiagnostics(ctx, child(name, "workspace-diagnostics"), ws.ID().ToStringOutput(), DiagnosticSpec{
		Categories: []string{"SynapseRbacOperations", "GatewayApiRequests", "BuiltinSqlReqsEnded", "IntegrationPipelineRuns", SQLAuditCategory},
		Dedicated:  true,
	}, parent)
	return err
}

// DeploymentIgnoredInputs are what an ARM deployment never diffs: Azure returns a deployment's
// templateHash, never its template, so after a refresh the template would always look changed. A
// deliberate template change is rolled out with `pulumi up --replace <urn>` (docs/delivery.md).
var DeploymentIgnoredInputs = []string{"properties.template"}

// SQLAuditCategory is the diagnostic category that carries SQL audit events to Log Analytics.
const SQLAuditCategory = "SQLSecurityAuditEvents"

// ipRange turns a CIDR or address into the first and last address Synapse firewall rules take.
func ipRange(r string) (string, string, error) {
	if a, err := netip.ParseAddr(r); err == nil {
		return a.String(), a.String(), nil
	}
	p, err := netip.ParsePrefix(r)
	if err != nil || !p.Addr().Is4() {
		return "", "", fmt.Errorf("not an IPv4 address or network")
	}
	start := p.Masked().Addr().As4()
	end := start
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(end[0])<<24 | uint32(end[1])<<16 | uint32(end[2])<<8 | uint32(end[3])
	v |= host
	end = [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	return netip.AddrFrom4(start).String(), netip.AddrFrom4(end).String(), nil
}
