package components

import (
	"fmt"
	"net/netip"

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
		SparkVersion:      pulumi.String("3.4"),
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

	if _, err := args.Diagnostics.AddDiagnostics(ctx, child(name, "workspace-diagnostics"), w.WorkspaceID, DiagnosticSpec{
		Categories: []string{"SynapseRbacOperations", "GatewayApiRequests", "BuiltinSqlReqsEnded", "IntegrationPipelineRuns"},
		Dedicated:  true,
	}, parent); err != nil {
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
