package stacks

import (
	"fmt"
	"path/filepath"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/components"
	adb "github.com/customer-analytics/platform/internal/bindings/azurenative/databricks"
	"github.com/customer-analytics/platform/internal/goldcontract"
	"github.com/customer-analytics/platform/internal/naming"
	"github.com/customer-analytics/platform/internal/workspacefiles"
)

// Platform is the composed stack, returned for tests and for later wiring.
type Platform struct {
	ResourceGroup *resources.ResourceGroup
	Observability *components.Observability
	Network       *components.Network
	Identity      *components.Identity
	DataLake      *components.DataLake
	Compute       *components.Compute
	Catalog       *components.Catalog
	Orchestration *components.Orchestration
	Warehouse     *components.Warehouse

	deployer string // object id of the identity running the deploy (owner of the groups it creates)
}

// Deploy composes the components in dependency order from a validated config and exports the stack
// outputs that operators, the deploy workflow and the SQL scripts use. projectDir is where notebooks/ is.
func Deploy(ctx *pulumi.Context, cfg *Config, projectDir string) (*Platform, error) {
	src, err := loadSources(projectDir)
	if err != nil {
		return nil, err
	}
	p, f, err := foundation(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := p.deployCore(ctx, cfg, f); err != nil {
		return nil, err
	}
	if err := p.deployWorkloads(ctx, cfg, f, src); err != nil {
		return nil, err
	}
	if err := p.deployWarehouse(ctx, cfg, f); err != nil {
		return nil, err
	}
	p.export(ctx, cfg)
	return p, nil
}

// sources are the repository files the program deploys or reads: notebooks, their library and the
// gold contract.
type sources struct {
	notebooks, library []workspacefiles.SourceFile
	gold               goldcontract.Contract
}

func loadSources(projectDir string) (sources, error) {
	var src sources
	var err error
	if src.notebooks, src.library, err = workspacefiles.Load(filepath.Join(projectDir, "notebooks")); err != nil {
		return src, err
	}
	src.gold, err = goldcontract.Load(filepath.Join(projectDir, "notebooks", "analytics_pipeline", "gold_contract.json"))
	return src, err
}

// foundation creates the resource group and what every component shares (names, tags, tenant).
func foundation(ctx *pulumi.Context, cfg *Config) (*Platform, components.Foundation, error) {
	client, err := authorization.GetClientConfig(ctx)
	if err != nil {
		return nil, components.Foundation{}, fmt.Errorf("reading the Azure client config: %w", err)
	}
	names, err := naming.New(cfg.NamePrefix, string(cfg.Environment), cfg.Location, client.SubscriptionId)
	if err != nil {
		return nil, components.Foundation{}, err
	}
	tags := naming.Tags(string(cfg.Environment), ctx.Project(), cfg.Tags)

	rgName := names.Regional("rg")
	rg, err := resources.NewResourceGroup(ctx, "resource-group", &resources.ResourceGroupArgs{
		ResourceGroupName: pulumi.String(rgName),
		Location:          pulumi.String(cfg.Location),
		Tags:              pulumi.ToStringMap(tags),
	})
	if err != nil {
		return nil, components.Foundation{}, fmt.Errorf("resource group: %w", err)
	}
	f := components.Foundation{
		ResourceGroupName: rg.Name,
		ResourceGroupID:   rg.ID().ToStringOutput(),
		Location:          cfg.Location,
		Names:             names,
		Tags:              tags,
		SubscriptionID:    client.SubscriptionId,
		TenantID:          client.TenantId,
		ProtectStateful:   cfg.Protection.Stateful,
	}
	p := &Platform{ResourceGroup: rg, deployer: client.ObjectId}
	return p, f, nil
}

// deployCore: monitoring, network, identity and the lake.
func (p *Platform) deployCore(ctx *pulumi.Context, cfg *Config, f components.Foundation) error {
	var err error
	rgName := f.Names.Regional("rg")
	if p.Observability, err = components.NewObservability(ctx, "observability", &components.ObservabilityArgs{
		Foundation:       f,
		LogRetentionDays: cfg.Monitoring.LogRetentionDays,
		AlertEmails:      cfg.Monitoring.AlertEmails,
		BudgetAmount:     cfg.Budget.Amount,
		BudgetStartDate:  components.BudgetStart(cfg.now()),
	}); err != nil {
		return err
	}

	if p.Network, err = components.NewNetwork(ctx, "network", &components.NetworkArgs{
		Foundation:   f,
		Mode:         cfg.Network.Mode,
		AddressSpace: cfg.Network.AddressSpace,
	}); err != nil {
		return err
	}

	if p.Identity, err = components.NewIdentity(ctx, "identity", &components.IdentityArgs{
		Foundation: f,
		Engineers: components.GroupSpec{DisplayName: cfg.Groups.Engineers.DisplayName, Members: cfg.Groups.Engineers.Members,
			Description: "Data engineers: build and run the pipelines (read/write lake, Databricks, Data Factory)"},
		Analysts: components.GroupSpec{DisplayName: cfg.Groups.Analysts.DisplayName, Members: cfg.Groups.Analysts.Members,
			Description: "Data analysts: read the gold layer through Synapse serverless SQL"},
		Admins: components.ExistingGroup{ObjectID: cfg.Groups.Admins.ObjectID, DisplayName: cfg.Groups.Admins.DisplayName},
		Owners: []string{p.deployer},
		KeyVault: components.KeyVaultSpec{
			PurgeProtection:         cfg.KeyVault.PurgeProtection,
			SoftDeleteRetentionDays: cfg.KeyVault.SoftDeleteRetentionDays,
			AllowedIPRanges:         cfg.Network.AllowedIPRanges,
		},
		Network:     p.Network,
		Diagnostics: p.Observability,
	}); err != nil {
		return err
	}

	if p.DataLake, err = components.NewDataLake(ctx, "datalake", &components.DataLakeArgs{
		Foundation:              f,
		Replication:             cfg.Storage.Replication,
		SoftDeleteRetentionDays: cfg.Storage.SoftDeleteRetentionDays,
		AllowedIPRanges:         cfg.Network.AllowedIPRanges,
		// Serverless SQL reads gold with the Synapse workspace's identity; a resource-instance rule lets
		// exactly that workspace through the lake's firewall.
		TrustedResourceIDs: []string{components.WorkspaceResourceID(f, rgName)},
		Network:            p.Network,
		Diagnostics:        p.Observability,
		Engineers:          p.Identity.Engineers(),
		Analysts:           p.Identity.Analysts(),
	}); err != nil {
		return err
	}
	return nil
}

// deployWorkloads: the factory (its identity runs the notebooks), the workspace and its cluster, the
// Unity Catalog objects and grants, then the pipeline the factory runs.
func (p *Platform) deployWorkloads(ctx *pulumi.Context, cfg *Config, f components.Foundation, src sources) error {
	var err error
	// The factory comes before the workspace: its managed identity runs the notebooks, so the pipeline
	// cluster is dedicated to it; the pipeline itself is added once the cluster exists.
	if p.Orchestration, err = components.NewOrchestration(ctx, "orchestration", &components.OrchestrationArgs{
		Foundation:  f,
		Network:     p.Network,
		Diagnostics: p.Observability,
	}); err != nil {
		return err
	}

	if p.Compute, err = components.NewCompute(ctx, "compute", &components.ComputeArgs{
		Foundation:             f,
		SparkVersion:           cfg.Compute.SparkVersion,
		NodeType:               cfg.Compute.NodeType,
		MinWorkers:             cfg.Compute.MinWorkers,
		MaxWorkers:             cfg.Compute.MaxWorkers,
		MaxWorkersCap:          MaxWorkersCap,
		AutoTerminationMinutes: cfg.Compute.AutoTerminationMinutes,
		PublicNetworkAccess:    adb.PublicNetworkAccess(cfg.Compute.PublicNetworkAccess),
		Network:                p.Network,
		Identity:               p.Identity,
		Pipeline: components.PipelineIdentity{
			ApplicationID: p.Orchestration.FactoryApplicationID,
			DisplayName:   f.Names.Global("adf"),
		},
		Diagnostics: p.Observability,
		Notebooks:   src.notebooks,
		Library:     src.library,
	}); err != nil {
		return err
	}

	catalogName := CatalogName(f.Names)
	if p.Catalog, err = components.NewCatalog(ctx, "catalog", &components.CatalogArgs{
		Name:               catalogName,
		StorageAccountName: p.DataLake.AccountName,
		AccessConnectorID:  p.DataLake.AccessConnectorID,
		Compute:            p.Compute,
		EngineersGroup:     cfg.Groups.Engineers.DisplayName,
		AnalystsGroup:      cfg.Groups.Analysts.DisplayName,
		Pipeline:           p.Orchestration.FactoryApplicationID,
		Gold:               src.gold,
	}); err != nil {
		return err
	}

	return p.Orchestration.AddPipeline(ctx, "orchestration", &components.PipelineArgs{
		Identity:               p.Identity,
		Catalog:                catalogName,
		StorageAccountID:       p.DataLake.AccountID,
		StorageAccountName:     p.DataLake.AccountName,
		DfsEndpoint:            p.DataLake.DfsEndpoint,
		BronzeContainerID:      p.DataLake.Containers[components.ContainerBronze],
		DatabricksWorkspaceID:  p.Compute.WorkspaceID,
		DatabricksWorkspaceURL: p.Compute.WorkspaceURL,
		ClusterID:              p.Compute.ClusterID,
		NotebookPaths:          p.Compute.NotebookPaths,
		QualityThreshold:       cfg.Orchestration.QualityThreshold,
		QualityWarning:         cfg.Orchestration.QualityAlertThreshold,
		MaxRunMinutes:          cfg.Orchestration.MaxRunMinutes,
	})
}

// deployWarehouse: Synapse, then the workbook and platform-wide alerts that look at every service.
func (p *Platform) deployWarehouse(ctx *pulumi.Context, cfg *Config, f components.Foundation) error {
	var err error
	if p.Warehouse, err = components.NewWarehouse(ctx, "warehouse", &components.WarehouseArgs{
		Foundation:          f,
		Network:             p.Network,
		Identity:            p.Identity,
		Diagnostics:         p.Observability,
		StorageAccountID:    p.DataLake.AccountID,
		StorageAccountName:  p.DataLake.AccountName,
		DfsEndpoint:         p.DataLake.DfsEndpoint,
		GoldContainerID:     p.DataLake.Containers[components.ContainerGold],
		AllowedIPRanges:     cfg.Network.AllowedIPRanges,
		DedicatedSQLPool:    cfg.Warehouse.DedicatedSQLPool,
		DedicatedSQLPoolSku: cfg.Warehouse.DedicatedSQLPoolSku,
		SparkVersion:        cfg.Warehouse.SparkVersion,
	}); err != nil {
		return err
	}

	// The workbook and the platform-wide alerts look at every service, so they come last.
	if err := p.Observability.AddOperations(ctx, components.OperationsArgs{
		StorageAccountID: p.DataLake.AccountID,
		CostBaseline:     cfg.Budget.Amount,
	}); err != nil {
		return err
	}
	return nil
}

// export sets the stack outputs.
func (p *Platform) export(ctx *pulumi.Context, cfg *Config) {
	rg := p.ResourceGroup
	ctx.Export("resourceGroupName", rg.Name)
	ctx.Export("storageAccountName", p.DataLake.AccountName)
	ctx.Export("dfsEndpoint", p.DataLake.DfsEndpoint)
	ctx.Export("blobEndpoint", p.DataLake.BlobEndpoint)
	ctx.Export("keyVaultName", p.Identity.KeyVaultName)
	ctx.Export("keyVaultUri", p.Identity.KeyVaultURI)
	ctx.Export("logAnalyticsWorkspaceId", p.Observability.WorkspaceID)
	ctx.Export("vnetId", p.Network.VnetID)
	ctx.Export("databricksWorkspaceUrl", pulumi.Sprintf("https://%s", p.Compute.WorkspaceURL))
	ctx.Export("databricksClusterId", p.Compute.ClusterID)
	ctx.Export("databricksWorkspaceName", p.Compute.WorkspaceName)
	ctx.Export("catalogName", p.Catalog.CatalogName)
	ctx.Export("accessConnectorId", p.DataLake.AccessConnectorID)
	ctx.Export("dataFactoryApplicationId", p.Orchestration.FactoryApplicationID)
	ctx.Export("dataFactoryName", p.Orchestration.FactoryName)
	ctx.Export("pipelineName", p.Orchestration.PipelineName)
	ctx.Export("triggerName", p.Orchestration.TriggerName)
	ctx.Export("triggerEnabled", pulumi.Bool(cfg.Orchestration.TriggerEnabled))
	ctx.Export("synapseWorkspaceName", p.Warehouse.WorkspaceName)
	ctx.Export("synapseServerlessEndpoint", p.Warehouse.ServerlessEndpoint)
	ctx.Export("groupNames", pulumi.StringMap{
		"engineers": pulumi.String(cfg.Groups.Engineers.DisplayName),
		"analysts":  pulumi.String(cfg.Groups.Analysts.DisplayName),
		"admins":    pulumi.String(cfg.Groups.Admins.DisplayName),
	})
	ctx.Export("groupObjectIds", pulumi.StringMap{
		"engineers": p.Identity.EngineersObjectID,
		"analysts":  p.Identity.AnalystsObjectID,
		"admins":    p.Identity.AdminsObjectID,
	})
}

// CatalogName is the stack's Unity Catalog catalog, "<prefix>_<environment>": catalogs share a
// metastore per region, so the environment is part of the name.
func CatalogName(names naming.Namer) string { return names.Prefix + "_" + names.Environment }
