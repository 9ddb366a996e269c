package components

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"

	adf "github.com/customer-analytics/platform/internal/bindings/azurenative/datafactory"
	"github.com/customer-analytics/platform/internal/roles"
)

// Names of the pipeline and its activities; tests and alerts refer to them.
const (
	PipelineName          = "CustomerAnalyticsPipeline"
	ActivityCheckNewFiles = "CheckNewFiles"
	ActivityBronzeSilver  = "TransformBronzeToSilver"
	ActivitySilverGold    = "TransformSilverToGold"
	ActivityRecordFailure = "RecordFailedRun"
	ActivityFailPipeline  = "FailPipeline"
	TriggerName           = "DailyAt0200UTC"
	// NotebookBronzeToSilver and NotebookSilverToGold are the notebooks the pipeline runs.
	NotebookBronzeToSilver = "bronze_to_silver"
	NotebookSilverToGold   = "silver_to_gold"
	// BronzeLandingFolder is where transaction CSVs land in the bronze container.
	BronzeLandingFolder = "transactions"
	managedVNetName     = "default"
	managedRuntimeName  = "ManagedVnetIntegrationRuntime"
	// ManagedEndpointDatabricks is the factory's managed private endpoint to the Databricks workspace;
	// the deploy workflow approves it on the workspace.
	ManagedEndpointDatabricks = "databricks"
)

// OrchestrationArgs configures the Data Factory itself, which exists before the workspace principals
// (its managed identity runs the notebooks).
type OrchestrationArgs struct {
	Foundation
	Network     *Network
	Diagnostics Diagnostics
}

// PipelineArgs configures what the factory runs, once the lake, the workspace and its cluster exist.
type PipelineArgs struct {
	Identity *Identity
	// The lake.
	StorageAccountID   pulumi.StringInput
	StorageAccountName pulumi.StringInput
	DfsEndpoint        pulumi.StringInput
	BronzeContainerID  pulumi.StringInput
	// Databricks.
	DatabricksWorkspaceID  pulumi.StringInput
	DatabricksWorkspaceURL pulumi.StringInput
	ClusterID              pulumi.StringInput
	// NotebookPaths are the workspace paths Compute deployed the notebooks to, by notebook name.
	NotebookPaths map[string]string
	// QualityThreshold (percent) fails the bronze_to_silver run when breached.
	QualityThreshold float64
	// QualityWarning (percent) raises the data-quality alert, before the run fails.
	QualityWarning float64
	// MaxRunMinutes raises the duration alert.
	MaxRunMinutes int
	// Catalog is the Unity Catalog catalog the notebooks address gold tables in (base parameter "catalog").
	Catalog string
}

// Orchestration is the Data Factory that runs the medallion pipeline.
type Orchestration struct {
	pulumi.ResourceState

	FactoryID          pulumi.StringOutput
	FactoryName        pulumi.StringOutput
	FactoryPrincipalID pulumi.StringOutput
	// FactoryApplicationID is the application (client) id of the factory's managed identity: its name
	// as a Databricks service principal.
	FactoryApplicationID pulumi.StringOutput
	PipelineName         pulumi.StringOutput
	TriggerName          pulumi.StringOutput

	args    *OrchestrationArgs
	factory pulumi.StringOutput // factory name
}

// Factory is the factory's identity as a role principal.
func (o *Orchestration) Factory() Principal { return ServicePrincipal("factory", o.FactoryPrincipalID) }

// NewOrchestration creates the factory with its system-assigned identity and looks up that identity's
// application id; AddPipeline then adds what runs in it.
func NewOrchestration(ctx *pulumi.Context, name string, args *OrchestrationArgs, opts ...pulumi.ResourceOption) (*Orchestration, error) {
	if args == nil {
		return nil, fmt.Errorf("orchestration %s: args are required", name)
	}
	if err := args.Foundation.validate("orchestration " + name); err != nil {
		return nil, err
	}
	if err := requireInputs("orchestration "+name, map[string]any{"Network": args.Network, "Diagnostics": args.Diagnostics}); err != nil {
		return nil, err
	}
	o := &Orchestration{args: args}
	if err := ctx.RegisterComponentResource("analytics:orchestration:Orchestration", name, o, opts...); err != nil {
		return nil, err
	}
	f := args.Foundation
	publicAccess := adf.PublicNetworkAccessEnabled
	if args.Network.Mode == NetworkModePrivate {
		publicAccess = adf.PublicNetworkAccessDisabled
	}
	factory, err := adf.NewFactory(ctx, child(name, "factory"), &adf.FactoryArgs{
		FactoryName:         pulumi.String(f.Names.Global("adf")),
		ResourceGroupName:   f.ResourceGroupName,
		Location:            pulumi.String(f.Location),
		Identity:            &adf.FactoryIdentityArgs{Type: adf.FactoryIdentityTypeSystemAssigned},
		PublicNetworkAccess: publicAccess,
		Tags:                f.tags(),
	}, pulumi.Parent(o))
	if err != nil {
		return nil, fmt.Errorf("orchestration %s: factory: %w", name, err)
	}
	o.FactoryID = factory.ID().ToStringOutput()
	o.FactoryName = factory.Name
	o.factory = factory.Name
	o.FactoryPrincipalID = factory.Identity.PrincipalId()
	// A managed identity's service principal carries the application id Databricks names it by.
	o.FactoryApplicationID = azuread.LookupServicePrincipalOutput(ctx, azuread.LookupServicePrincipalOutputArgs{
		ObjectId: o.FactoryPrincipalID,
	}).ClientId()
	return o, nil
}

// AddPipeline creates the factory's linked services (all through the factory's managed identity), the
// bronze dataset, the pipeline and its daily trigger, the network isolation of private mode, the
// factory's role assignments, diagnostics and alerts.
func (o *Orchestration) AddPipeline(ctx *pulumi.Context, name string, p *PipelineArgs) error {
	if err := p.validate(name); err != nil {
		return err
	}
	connectVia, lakeDeps, err := o.privateRuntime(ctx, name, p)
	if err != nil {
		return err
	}
	lake, databricks, err := o.linkedServices(ctx, name, p, connectVia, lakeDeps)
	if err != nil {
		return err
	}
	if err := o.pipelineAndTrigger(ctx, name, p, lake, databricks); err != nil {
		return err
	}
	f, parent := o.args.Foundation, pulumi.Parent(o)
	// The factory's identity holds only what its own steps use: reading bronze (CheckNewFiles),
	// running notebooks on the workspace (Azure Databricks' MSI linked service needs Contributor on it)
	// and reading secrets through the Key Vault linked service. What the notebooks may read and write is
	// decided by its Unity Catalog grants (components/catalog.go), not by Azure roles on the lake.
	if err := AssignRoles(ctx, name, f.SubscriptionID, []NamedGrant{
		{"factory-bronze-reader", RoleGrant{o.Factory(), roles.StorageBlobDataReader, p.BronzeContainerID, "bronze container"}},
		{"factory-databricks", RoleGrant{o.Factory(), roles.Contributor, p.DatabricksWorkspaceID, "databricks workspace"}},
		{"factory-vault-user", RoleGrant{o.Factory(), roles.KeyVaultSecretsUser, p.Identity.KeyVaultID, "key vault"}},
		{"engineers-factory", RoleGrant{p.Identity.Engineers(), roles.DataFactoryContributor, o.FactoryID, "data factory"}},
		{"analysts-factory", RoleGrant{p.Identity.Analysts(), roles.Reader, o.FactoryID, "data factory"}},
	}, parent); err != nil {
		return err
	}

	if err := orchestrationMonitoring(ctx, name, o.args.Diagnostics, p, o.FactoryID, parent); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(o, pulumi.Map{
		"factoryId":            o.FactoryID,
		"factoryName":          o.FactoryName,
		"factoryApplicationId": o.FactoryApplicationID,
		"pipelineName":         o.PipelineName,
		"triggerName":          o.TriggerName,
	})
}

// privateRuntime (private mode only) gives the factory a managed virtual network with an integration
// runtime inside it, and returns the runtime reference linked services connect through and what they wait for.
func (o *Orchestration) privateRuntime(ctx *pulumi.Context, name string, p *PipelineArgs) (*adf.IntegrationRuntimeReferenceArgs, []pulumi.Resource, error) {
	f, parent, factoryName := o.args.Foundation, pulumi.Parent(o), o.factory
	// Private mode: a managed virtual network with an integration runtime inside it, reaching the lake
	// and the Databricks workspace through managed private endpoints (approved on the target; see
	// docs/delivery.md). No endpoint to the vault: ADF reaches Key Vault through the runtime of the
	// linked service that references a secret, and no linked service does (all use the factory's
	// identity); add the endpoint with the first secret reference (CA.Deploy.ManagedEndpointsUsed).
	if o.args.Network.Mode != NetworkModePrivate {
		return nil, nil, nil
	}
	mvnet, err := resources.NewDeployment(ctx, child(name, "managed-vnet"), &resources.DeploymentArgs{
		// azure-native 2.90.0 has no ManagedVirtualNetwork resource for Data Factory, so the
		// factory's managed VNet is declared by a one-resource ARM deployment.
		DeploymentName:    pulumi.Sprintf("%s-managed-vnet", factoryName),
		ResourceGroupName: f.ResourceGroupName,
		Properties: &resources.DeploymentPropertiesArgs{
			Mode:     resources.DeploymentModeIncremental,
			Template: factoryName.ApplyT(managedVNetTemplate),
		},
	}, parent, pulumi.IgnoreChanges(DeploymentIgnoredInputs))
	if err != nil {
		return nil, nil, fmt.Errorf("orchestration %s: managed vnet: %w", name, err)
	}
	runtime, err := adf.NewIntegrationRuntime(ctx, child(name, "managed-runtime"), &adf.IntegrationRuntimeArgs{
		IntegrationRuntimeName: pulumi.String(managedRuntimeName),
		FactoryName:            factoryName,
		ResourceGroupName:      f.ResourceGroupName,
		Properties: adf.ManagedIntegrationRuntimeArgs{
			Description:           pulumi.String("Azure integration runtime inside the factory's managed virtual network"),
			ManagedVirtualNetwork: &adf.ManagedVirtualNetworkReferenceArgs{ReferenceName: pulumi.String(managedVNetName), Type: pulumi.String("ManagedVirtualNetworkReference")},
			ComputeProperties:     &adf.IntegrationRuntimeComputePropertiesArgs{Location: pulumi.String("AutoResolve")},
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{mvnet}))
	if err != nil {
		return nil, nil, fmt.Errorf("orchestration %s: integration runtime: %w", name, err)
	}
	endpoints, err := o.managedEndpoints(ctx, name, p, mvnet)
	if err != nil {
		return nil, nil, err
	}
	if _, err := o.args.Network.NewPrivateEndpoint(ctx, child(name, "factory-pe"), PrivateEndpointSpec{
		Target: o.FactoryID, GroupID: "dataFactory", Zone: ZoneDataFactory,
	}, parent); err != nil {
		return nil, nil, err
	}
	return adf.NewIntegrationRuntimeReference(pulumi.String(managedRuntimeName)), append([]pulumi.Resource{runtime}, endpoints...), nil
}

// managedEndpoints creates the factory's managed private endpoints to the lake (dfs) and the
// Databricks workspace (approved on the target; see docs/delivery.md).
func (o *Orchestration) managedEndpoints(ctx *pulumi.Context, name string, p *PipelineArgs, mvnet pulumi.Resource) ([]pulumi.Resource, error) {
	f, parent, factoryName := o.args.Foundation, pulumi.Parent(o), o.factory
	var out []pulumi.Resource
	for key, target := range map[string]struct {
		id    pulumi.StringInput
		group string
	}{
		"lake-dfs": {p.StorageAccountID, "dfs"},
		// The workspace's UI/API is private in prod: notebook activities reach it only through
		// this endpoint, from the managed runtime.
		ManagedEndpointDatabricks: {p.DatabricksWorkspaceID, "databricks_ui_api"},
	} {
		mpe, err := adf.NewManagedPrivateEndpoint(ctx, child(name, "mpe-"+key), &adf.ManagedPrivateEndpointArgs{
			ManagedPrivateEndpointName: pulumi.String(key),
			ManagedVirtualNetworkName:  pulumi.String(managedVNetName),
			FactoryName:                factoryName,
			ResourceGroupName:          f.ResourceGroupName,
			Properties:                 &adf.ManagedPrivateEndpointTypeArgs{PrivateLinkResourceId: target.id, GroupId: pulumi.String(target.group)},
		}, parent, pulumi.DependsOn([]pulumi.Resource{mvnet}))
		if err != nil {
			return nil, fmt.Errorf("orchestration %s: managed private endpoint %s: %w", name, key, err)
		}
		out = append(out, mpe)
	}
	return out, nil
}

// linkedServices creates the lake, Databricks and Key Vault linked services, all authenticating as the
// factory's managed identity.
func (o *Orchestration) linkedServices(ctx *pulumi.Context, name string, p *PipelineArgs, connectVia *adf.IntegrationRuntimeReferenceArgs, lakeDeps []pulumi.Resource) (lake, databricks *adf.LinkedService, err error) {
	f, parent, factoryName := o.args.Foundation, pulumi.Parent(o), o.factory
	// Linked services authenticate as the factory's managed identity: no keys, tokens or secrets.
	lake, err = adf.NewLinkedService(ctx, child(name, "ls-lake"), &adf.LinkedServiceArgs{
		LinkedServiceName: pulumi.String("DataLake"),
		FactoryName:       factoryName,
		ResourceGroupName: f.ResourceGroupName,
		Properties: adf.AzureBlobFSLinkedServiceArgs{
			Description: pulumi.String("The ADLS Gen2 lake, through the factory's managed identity"),
			Url:         p.DfsEndpoint,
			ConnectVia:  connectVia,
		},
	}, parent, pulumi.DependsOn(lakeDeps))
	if err != nil {
		return nil, nil, fmt.Errorf("orchestration %s: lake linked service: %w", name, err)
	}
	databricks, err = adf.NewLinkedService(ctx, child(name, "ls-databricks"), &adf.LinkedServiceArgs{
		LinkedServiceName: pulumi.String("Databricks"),
		FactoryName:       factoryName,
		ResourceGroupName: f.ResourceGroupName,
		Properties: adf.AzureDatabricksLinkedServiceArgs{
			Description:         pulumi.String("The pipeline cluster, through the factory's managed identity (MSI)"),
			Domain:              pulumi.Sprintf("https://%s", p.DatabricksWorkspaceURL),
			Authentication:      pulumi.String("MSI"),
			WorkspaceResourceId: p.DatabricksWorkspaceID,
			ExistingClusterId:   p.ClusterID,
			ConnectVia:          connectVia,
		},
	}, parent, pulumi.DependsOn(lakeDeps))
	if err != nil {
		return nil, nil, fmt.Errorf("orchestration %s: databricks linked service: %w", name, err)
	}
	if _, err := adf.NewLinkedService(ctx, child(name, "ls-keyvault"), &adf.LinkedServiceArgs{
		LinkedServiceName: pulumi.String("KeyVault"),
		FactoryName:       factoryName,
		ResourceGroupName: f.ResourceGroupName,
		Properties: adf.AzureKeyVaultLinkedServiceArgs{
			Description: pulumi.String("The platform Key Vault, through the factory's managed identity"),
			BaseUrl:     p.Identity.KeyVaultURI,
		},
	}, parent, pulumi.DependsOn(lakeDeps)); err != nil {
		return nil, nil, fmt.Errorf("orchestration %s: key vault linked service: %w", name, err)
	}
	return lake, databricks, nil
}

// pipelineAndTrigger creates the bronze dataset, the pipeline and its daily trigger.
func (o *Orchestration) pipelineAndTrigger(ctx *pulumi.Context, name string, p *PipelineArgs, lake, databricks *adf.LinkedService) error {
	f, parent, factoryName := o.args.Foundation, pulumi.Parent(o), o.factory
	dataset, err := adf.NewDataset(ctx, child(name, "ds-bronze"), &adf.DatasetArgs{
		DatasetName:       pulumi.String("BronzeTransactions"),
		FactoryName:       factoryName,
		ResourceGroupName: f.ResourceGroupName,
		Properties: adf.BinaryDatasetArgs{
			Description:       pulumi.String("The bronze landing folder for transaction CSVs"),
			LinkedServiceName: *adf.NewLinkedServiceReference(lake.Name),
			Location:          adf.AzureBlobFSLocationArgs{FileSystem: pulumi.String(string(ContainerBronze)), FolderPath: pulumi.String(BronzeLandingFolder)},
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("orchestration %s: dataset: %w", name, err)
	}

	pipeline, err := adf.NewPipeline(ctx, child(name, "pipeline"), &adf.PipelineArgs{
		PipelineName:      pulumi.String(PipelineName),
		FactoryName:       factoryName,
		ResourceGroupName: f.ResourceGroupName,
		Description:       pulumi.String("bronze CSV -> silver Parquet -> gold Delta; records and fails on any error"),
		Concurrency:       pulumi.Int(1), // runs never overlap: the notebooks are incremental
		Variables:         adf.VariableSpecificationMap{"failedRun": {Type: adf.VariableTypeString}},
		Activities:        pipelineActivities(p, dataset.Name, databricks.Name),
	}, parent)
	if err != nil {
		return fmt.Errorf("orchestration %s: pipeline: %w", name, err)
	}
	o.PipelineName = pipeline.Name

	trigger, err := adf.NewTrigger(ctx, child(name, "trigger"), &adf.TriggerArgs{
		TriggerName:       pulumi.String(TriggerName),
		FactoryName:       factoryName,
		ResourceGroupName: f.ResourceGroupName,
		Properties: adf.ScheduleTriggerArgs{
			Description: pulumi.String("Daily 02:00 UTC run; started or stopped by the deploy workflow from orchestration.triggerEnabled"),
			Recurrence: adf.ScheduleTriggerRecurrenceArgs{
				Frequency: adf.RecurrenceFrequencyDay,
				Interval:  pulumi.Int(1),
				StartTime: pulumi.String("2026-01-01T02:00:00Z"),
				TimeZone:  pulumi.String("UTC"),
				Schedule:  &adf.RecurrenceScheduleArgs{Hours: pulumi.IntArray{pulumi.Int(2)}, Minutes: pulumi.IntArray{pulumi.Int(0)}},
			},
			Pipelines: adf.TriggerPipelineReferenceArray{{
				PipelineReference: &adf.PipelineReferenceArgs{ReferenceName: pipeline.Name, Type: pulumi.String("PipelineReference")},
			}},
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("orchestration %s: trigger: %w", name, err)
	}
	o.TriggerName = trigger.Name

	return nil
}

func (p *PipelineArgs) validate(name string) error {
	if p == nil {
		return fmt.Errorf("orchestration %s: pipeline args are required", name)
	}
	if err := requireInputs("orchestration "+name, map[string]any{
		"Identity": p.Identity, "StorageAccountID": p.StorageAccountID, "StorageAccountName": p.StorageAccountName, "DfsEndpoint": p.DfsEndpoint,
		"BronzeContainerID": p.BronzeContainerID, "DatabricksWorkspaceID": p.DatabricksWorkspaceID,
		"DatabricksWorkspaceURL": p.DatabricksWorkspaceURL, "ClusterID": p.ClusterID,
	}); err != nil {
		return err
	}
	for _, nb := range []string{NotebookBronzeToSilver, NotebookSilverToGold} {
		if p.NotebookPaths[nb] == "" {
			return fmt.Errorf("orchestration %s: no workspace path for notebook %q", name, nb)
		}
	}
	switch {
	case p.QualityThreshold <= 0 || p.QualityThreshold > 100 || p.QualityWarning < p.QualityThreshold || p.QualityWarning > 100:
		return fmt.Errorf("orchestration %s: need 0 < quality threshold (%v) <= warning (%v) <= 100", name, p.QualityThreshold, p.QualityWarning)
	case p.MaxRunMinutes <= 0:
		return fmt.Errorf("orchestration %s: MaxRunMinutes must be positive", name)
	case p.Catalog == "":
		return fmt.Errorf("orchestration %s: Catalog is required", name)
	}
	return nil
}

// expr is a Data Factory expression value.
func expr(e string) pulumi.Map {
	return pulumi.Map{"value": pulumi.String(e), "type": pulumi.String("Expression")}
}

// pipelineActivities: CheckNewFiles -> TransformBronzeToSilver -> TransformSilverToGold on success;
// any failure or skip at the end of that chain records the failed run and fails the pipeline, so the
// run ends Failed (PipelineFailedRuns) with the failing step and its error in its output.
func pipelineActivities(args *PipelineArgs, dataset, databricks pulumi.StringInput) adf.ActivityArray {
	notebookPolicy := &adf.ActivityPolicyArgs{
		Retry:                  pulumi.Int(1),
		RetryIntervalInSeconds: pulumi.Int(300),
		Timeout:                pulumi.String("0.12:00:00"),
	}
	common := pulumi.Map{
		"storage_account": args.StorageAccountName,
		"catalog":         pulumi.String(args.Catalog),
		"pipeline_run_id": expr("@pipeline().RunId"),
		"ingestion_date":  expr("@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-dd')"),
	}
	params := func(source, target Container, extra pulumi.Map) pulumi.Map {
		out := pulumi.Map{"source_container": pulumi.String(string(source)), "target_container": pulumi.String(string(target))}
		for k, v := range common {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	return adf.ActivityArray{
		adf.GetMetadataActivityArgs{
			Name:        pulumi.String(ActivityCheckNewFiles),
			Description: pulumi.String("Lists the bronze landing folder; the notebook skips files it has already processed"),
			Dataset:     adf.NewDatasetReference(dataset),
			FieldList:   pulumi.Array{pulumi.String("exists"), pulumi.String("childItems"), pulumi.String("lastModified")},
			Policy:      &adf.ActivityPolicyArgs{Retry: pulumi.Int(1), Timeout: pulumi.String("0.00:10:00")},
		},
		adf.DatabricksNotebookActivityArgs{
			Name:              pulumi.String(ActivityBronzeSilver),
			DependsOn:         adf.ActivityDependencyArray{adf.DependsOn(ActivityCheckNewFiles, adf.DependencyConditionSucceeded)},
			LinkedServiceName: adf.NewLinkedServiceReference(databricks),
			NotebookPath:      pulumi.String(args.NotebookPaths[NotebookBronzeToSilver]),
			BaseParameters: params(ContainerBronze, ContainerSilver, pulumi.Map{
				"quality_threshold": pulumi.String(fmt.Sprintf("%g", args.QualityThreshold)),
			}),
			Policy: notebookPolicy,
		},
		adf.DatabricksNotebookActivityArgs{
			Name:              pulumi.String(ActivitySilverGold),
			DependsOn:         adf.ActivityDependencyArray{adf.DependsOn(ActivityBronzeSilver, adf.DependencyConditionSucceeded)},
			LinkedServiceName: adf.NewLinkedServiceReference(databricks),
			NotebookPath:      pulumi.String(args.NotebookPaths[NotebookSilverToGold]),
			BaseParameters:    params(ContainerSilver, ContainerGold, nil),
			Policy:            notebookPolicy,
		},
		adf.SetVariableActivityArgs{
			Name:         pulumi.String(ActivityRecordFailure),
			Description:  pulumi.String("Records the failed run (run id, failing step, error) in the run's output and in Log Analytics"),
			DependsOn:    adf.ActivityDependencyArray{adf.DependsOn(ActivitySilverGold, adf.DependencyConditionFailed, adf.DependencyConditionSkipped)},
			VariableName: pulumi.String("failedRun"),
			Value: expr("@concat('run ', pipeline().RunId, ' failed: ', coalesce(" +
				"activity('" + ActivitySilverGold + "')?.error?.message, activity('" + ActivityBronzeSilver + "')?.error?.message, " +
				"activity('" + ActivityCheckNewFiles + "')?.error?.message, 'unknown error'))"),
		},
		adf.FailActivityArgs{
			Name:      pulumi.String(ActivityFailPipeline),
			DependsOn: adf.ActivityDependencyArray{adf.DependsOn(ActivityRecordFailure, adf.DependencyConditionSucceeded)},
			Message:   expr("@variables('failedRun')"),
			ErrorCode: pulumi.String("CustomerAnalyticsPipelineFailed"),
		},
	}
}

// managedVNetTemplate is the ARM template declaring the factory's managed virtual network.
func managedVNetTemplate(factory string) map[string]interface{} {
	return map[string]interface{}{
		"$schema":        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		"contentVersion": "1.0.0.0",
		"resources": []interface{}{map[string]interface{}{
			"type":       "Microsoft.DataFactory/factories/managedVirtualNetworks",
			"apiVersion": "2018-06-01",
			"name":       factory + "/" + managedVNetName,
			"properties": map[string]interface{}{},
		}},
	}
}

// orchestrationMonitoring ships the factory's run logs to resource-specific tables and alerts on
// failed runs, long runs and falling data quality.
func orchestrationMonitoring(ctx *pulumi.Context, name string, d Diagnostics, args *PipelineArgs, factoryID pulumi.StringOutput, parent pulumi.ResourceOption) error {
	if _, err := d.AddDiagnostics(ctx, child(name, "factory-diagnostics"), factoryID, DiagnosticSpec{
		Categories: []string{"PipelineRuns", "ActivityRuns", "TriggerRuns"}, Metrics: []string{"AllMetrics"}, Dedicated: true,
	}, parent); err != nil {
		return err
	}
	if _, err := d.AddMetricAlert(ctx, child(name, "failed-runs-alert"), MetricAlertSpec{
		Name:        "adf-failed-runs",
		Description: "A run of " + PipelineName + " failed",
		Target:      factoryID, MetricNamespace: "Microsoft.DataFactory/factories", MetricName: "PipelineFailedRuns",
		Aggregation: "Total", Operator: "GreaterThan", Threshold: 0, Severity: 1, Window: "PT15M",
	}, parent); err != nil {
		return err
	}
	// "Duration > 2x normal": Azure learns the normal duration (a dynamic threshold) ...
	if _, err := d.AddDynamicLogAlert(ctx, child(name, "duration-alert"), DynamicLogAlertSpec{
		Name:        "adf-long-run",
		Description: fmt.Sprintf("A run of %s took far longer than its learned normal duration", PipelineName),
		Query: fmt.Sprintf("ADFPipelineRun\n| where PipelineName == '%s' and Status in ('Succeeded', 'Failed')\n"+
			"| extend DurationMinutes = datetime_diff('minute', End, Start)", PipelineName),
		MeasureColumn: "DurationMinutes", Severity: 2, Frequency: "PT1H", Window: "PT1H",
	}, parent); err != nil {
		return err
	}
	// ... and maxRunMinutes stays a fixed ceiling (the run must end before analysts start).
	if _, err := d.AddLogAlert(ctx, child(name, "duration-ceiling-alert"), LogAlertSpec{
		Name:        "adf-run-ceiling",
		Description: fmt.Sprintf("A run of %s took more than %d minutes", PipelineName, args.MaxRunMinutes),
		Query: fmt.Sprintf("ADFPipelineRun\n| where PipelineName == '%s' and Status in ('Succeeded', 'Failed')\n"+
			"| where datetime_diff('minute', End, Start) > %d", PipelineName, args.MaxRunMinutes),
		Severity: 2, Frequency: "PT1H", Window: "PT1H",
		// ADFPipelineRun exists only after the factory's first run logs (dev never runs the trigger).
		SkipQueryValidation: true,
	}, parent); err != nil {
		return err
	}
	_, err := d.AddLogAlert(ctx, child(name, "quality-alert"), LogAlertSpec{
		Name:        "data-quality",
		Description: fmt.Sprintf("bronze_to_silver reported a quality rate below %g%% (the run fails below %g%%)", args.QualityWarning, args.QualityThreshold),
		// The notebook's exit value (runOutput) is the JSON status with metrics.quality_rate.
		Query: fmt.Sprintf("ADFActivityRun\n| where PipelineName == '%s' and ActivityName == '%s' and Status in ('Succeeded', 'Failed')\n"+
			"| extend status = parse_json(tostring(parse_json(Output).runOutput))\n"+
			"| extend quality_rate = todouble(status.metrics.quality_rate)\n"+
			"| where isnotnull(quality_rate) and quality_rate < %g", PipelineName, ActivityBronzeSilver, args.QualityWarning),
		Severity: 2, Frequency: "PT1H", Window: "P1D",
		// ADFActivityRun exists only after the factory's first run logs.
		SkipQueryValidation: true,
	}, parent)
	return err
}
