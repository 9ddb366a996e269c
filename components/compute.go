package components

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	adb "github.com/customer-analytics/platform/internal/bindings/azurenative/databricks"
	dbx "github.com/customer-analytics/platform/internal/bindings/databricks"
	"github.com/customer-analytics/platform/internal/roles"
	"github.com/customer-analytics/platform/internal/workspacefiles"
)

// PipelinesFolder is where the notebooks and their Python package live in the workspace.
const PipelinesFolder = "/Shared/pipelines"

// SecretScopeName is the Key-Vault-backed secret scope for application secrets. It holds no lake
// credential: Unity Catalog reaches the lake through the access connector.
const SecretScopeName = "keyvault"

// DataSecurityModeDedicated is the Unity Catalog access mode of the pipeline cluster: dedicated
// (SINGLE_USER) to the identity that runs the notebooks. Standard (USER_ISOLATION) mode would block the
// py4j gateway (spark._jvm) that notebooks/analytics_pipeline/lakefs.py uses.
const DataSecurityModeDedicated = "SINGLE_USER"

// WorkspaceUser is the workspace permission account groups and the pipeline identity get.
const WorkspaceUser = "USER"

// AzureDatabricksAppID is the application id of Microsoft's "AzureDatabricks" first-party app, which
// reads a Key-Vault-backed secret scope on the workspace's behalf.
const AzureDatabricksAppID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"

// ComputeArgs configures Databricks.
type ComputeArgs struct {
	Foundation
	SparkVersion           string
	NodeType               string
	MinWorkers, MaxWorkers int
	// MaxWorkersCap is what the cluster policy allows at most.
	MaxWorkersCap          int
	AutoTerminationMinutes int
	// PublicNetworkAccess of the workspace front end (UI/API). Disabled needs a private endpoint and a
	// deployment runner inside the VNet.
	PublicNetworkAccess adb.PublicNetworkAccess
	Network             *Network
	Identity            *Identity
	// Pipeline is the identity that runs the notebooks (Data Factory's managed identity): it becomes a
	// workspace service principal and the pipeline cluster is dedicated to it.
	Pipeline    PipelineIdentity
	Diagnostics Diagnostics
	// Notebooks are Databricks source notebooks; Library is the Python package they import.
	Notebooks []workspacefiles.SourceFile
	Library   []workspacefiles.SourceFile
}

// Compute is the Databricks workspace and what runs in it.
type Compute struct {
	pulumi.ResourceState

	WorkspaceID   pulumi.StringOutput
	WorkspaceURL  pulumi.StringOutput
	WorkspaceName pulumi.StringOutput
	ClusterID     pulumi.StringOutput
	// NotebookPaths maps each notebook's name to its workspace path (what Data Factory runs).
	NotebookPaths map[string]string
	// Provider is the workspace-level Databricks provider; InWorkspace are the options for anything
	// created through it (parent aside): the provider and the private API path.
	Provider    *dbx.Provider
	InWorkspace []pulumi.ResourceOption
	// Principals are the workspace assignments of the account groups and the pipeline's service
	// principal: Unity Catalog grants to them wait for these.
	Principals []pulumi.Resource
}

// PipelineIdentity is the Entra identity that runs the notebooks.
type PipelineIdentity struct {
	// ApplicationID is its application (client) id: its Databricks service principal name.
	ApplicationID pulumi.StringInput
	DisplayName   string
}

// NewCompute creates the workspace (VNet-injected, no public IPs), an explicit Databricks provider for
// it, the workspace principals (account groups, the pipeline's service principal), the cluster policy
// and the pipeline cluster dedicated to the pipeline identity, the Key-Vault-backed secret scope, the
// notebooks and their library, and the workspace permissions.
func NewCompute(ctx *pulumi.Context, name string, args *ComputeArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if err := args.validate(name); err != nil {
		return nil, err
	}
	c := &Compute{NotebookPaths: map[string]string{}}
	if err := ctx.RegisterComponentResource("analytics:compute:Compute", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	ws, apiPath, err := c.newWorkspace(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}
	if err := c.newProvider(ctx, name, ws, apiPath, parent); err != nil {
		return nil, err
	}
	if err := c.assignPrincipals(ctx, name, args); err != nil {
		return nil, err
	}
	policy, err := c.newPipelineCluster(ctx, name, args)
	if err != nil {
		return nil, err
	}
	if err := c.newSecretScope(ctx, name, args); err != nil {
		return nil, err
	}
	folder, err := c.deployNotebooks(ctx, name, args)
	if err != nil {
		return nil, err
	}
	if err := c.setPermissions(ctx, name, args, policy, folder); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"workspaceId":  c.WorkspaceID,
		"workspaceUrl": c.WorkspaceURL,
		"clusterId":    c.ClusterID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

func (args *ComputeArgs) validate(name string) error {
	if args == nil {
		return fmt.Errorf("compute %s: args are required", name)
	}
	if err := args.Foundation.validate("compute " + name); err != nil {
		return err
	}
	if err := requireInputs("compute "+name, map[string]any{
		"Network": args.Network, "Identity": args.Identity, "Pipeline.ApplicationID": args.Pipeline.ApplicationID, "Diagnostics": args.Diagnostics,
	}); err != nil {
		return err
	}
	switch {
	case args.MinWorkers < 1 || args.MaxWorkers < args.MinWorkers || args.MaxWorkers > args.MaxWorkersCap:
		return fmt.Errorf("compute %s: workers %d..%d must satisfy 1 <= min <= max <= %d", name, args.MinWorkers, args.MaxWorkers, args.MaxWorkersCap)
	case args.AutoTerminationMinutes < 10:
		return fmt.Errorf("compute %s: auto-termination must be at least 10 minutes", name)
	case len(args.Notebooks) == 0:
		return fmt.Errorf("compute %s: no notebooks to deploy", name)
	case args.PublicNetworkAccess == adb.PublicNetworkAccessDisabled && args.Network.Mode != NetworkModePrivate:
		return fmt.Errorf("compute %s: a workspace without public access needs the network in %q mode", name, NetworkModePrivate)
	case args.Pipeline.DisplayName == "":
		return fmt.Errorf("compute %s: the pipeline identity needs a display name", name)
	}
	return nil
}

// newWorkspace creates the workspace, its private endpoint (private mode), diagnostics and the Azure
// roles around it; it returns what the workspace API path waits for.
func (c *Compute) newWorkspace(ctx *pulumi.Context, name string, args *ComputeArgs, parent pulumi.ResourceOption) (*adb.Workspace, []pulumi.Resource, error) {
	f := args.Foundation
	// Only a workspace without public front-end access may drop the Databricks-managed NSG rules
	// (its control plane then reaches it through private link).
	nsgRules := adb.RequiredNsgRulesAllRules
	if args.PublicNetworkAccess == adb.PublicNetworkAccessDisabled {
		nsgRules = adb.RequiredNsgRulesNoAzureDatabricksRules
	}
	wsName := f.Names.Regional("dbw")
	ws, err := adb.NewWorkspace(ctx, child(name, "workspace"), &adb.WorkspaceArgs{
		WorkspaceName:          pulumi.String(wsName),
		ResourceGroupName:      f.ResourceGroupName,
		Location:               pulumi.String(f.Location),
		ManagedResourceGroupId: pulumi.String(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s-managed", f.SubscriptionID, wsName)),
		Sku:                    &adb.SkuArgs{Name: pulumi.String("premium")},
		Parameters: &adb.WorkspaceCustomParametersArgs{
			CustomVirtualNetworkId:  &adb.WorkspaceCustomStringParameterArgs{Value: args.Network.VnetID},
			CustomPublicSubnetName:  &adb.WorkspaceCustomStringParameterArgs{Value: args.Network.DatabricksHostSubnetName},
			CustomPrivateSubnetName: &adb.WorkspaceCustomStringParameterArgs{Value: args.Network.DatabricksContainerSubnetName},
			// Secure cluster connectivity: cluster nodes get no public IP in every environment.
			EnableNoPublicIp: &adb.WorkspaceCustomBooleanParameterArgs{Value: pulumi.Bool(true)},
		},
		PublicNetworkAccess: args.PublicNetworkAccess,
		RequiredNsgRules:    nsgRules,
		Tags:                f.tags(),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("compute %s: workspace: %w", name, err)
	}
	c.WorkspaceID = ws.ID().ToStringOutput()
	c.WorkspaceURL = ws.WorkspaceUrl
	c.WorkspaceName = ws.Name

	// In private mode the workspace API is reached through this endpoint, so everything created through
	// the Databricks provider waits for it and its DNS record.
	var apiPath []pulumi.Resource
	if args.Network.Mode == NetworkModePrivate {
		pe, err := args.Network.NewPrivateEndpoint(ctx, child(name, "workspace-pe"), PrivateEndpointSpec{
			Target: c.WorkspaceID, GroupID: "databricks_ui_api", Zone: ZoneDatabricks,
		}, parent)
		if err != nil {
			return nil, nil, err
		}
		apiPath = pe.Resources()
	}
	if _, err := args.Diagnostics.AddDiagnostics(ctx, child(name, "workspace-diagnostics"), c.WorkspaceID,
		DiagnosticSpec{Categories: []string{"clusters", "jobs", "notebook", "secrets", "workspace", "accounts", "unityCatalog"}}, parent); err != nil {
		return nil, nil, err
	}

	if err := c.workspaceRoles(ctx, name, args); err != nil {
		return nil, nil, err
	}
	return ws, apiPath, nil
}

// workspaceRoles: Microsoft's AzureDatabricks application reads the Key-Vault-backed scope (in an
// RBAC-mode vault it needs Key Vault Secrets User); engineers are Contributors of the workspace.
func (c *Compute) workspaceRoles(ctx *pulumi.Context, name string, args *ComputeArgs) error {
	azureDatabricks, err := azuread.LookupServicePrincipal(ctx, &azuread.LookupServicePrincipalArgs{ClientId: pulumi.StringRef(AzureDatabricksAppID)})
	if err != nil {
		return fmt.Errorf("compute %s: looking up the AzureDatabricks service principal: %w", name, err)
	}
	return AssignRoles(ctx, name, args.SubscriptionID, []NamedGrant{
		{"azure-databricks-vault-user", RoleGrant{ServicePrincipal("azure-databricks", pulumi.String(azureDatabricks.ObjectId)),
			roles.KeyVaultSecretsUser, args.Identity.KeyVaultID, "key vault"}},
		{"engineers-workspace", RoleGrant{args.Identity.Engineers(), roles.Contributor, c.WorkspaceID, "databricks workspace"}},
	}, pulumi.Parent(c))
}

// newProvider creates an explicit provider for the workspace this program creates: host for the API,
// the resource id so Entra ID authentication works before anyone has logged in to the workspace.
func (c *Compute) newProvider(ctx *pulumi.Context, name string, ws *adb.Workspace, apiPath []pulumi.Resource, parent pulumi.ResourceOption) error {
	provider, err := dbx.NewProvider(ctx, child(name, "databricks"), &dbx.ProviderArgs{
		Host:                     pulumi.Sprintf("https://%s", ws.WorkspaceUrl),
		AzureWorkspaceResourceId: c.WorkspaceID,
		// The Azure CLI session, which the deploy job keeps renewable for long deploys. Auto-detection
		// could pick github-oidc-azure, whose GitHub token (an assertion good for minutes) is fetched
		// once and cannot renew the workspace token an hour later (Azure/azure-cli#28708).
		AuthType: pulumi.String("azure-cli"),
	}, parent)
	if err != nil {
		return fmt.Errorf("compute %s: provider: %w", name, err)
	}
	c.Provider = provider
	c.InWorkspace = []pulumi.ResourceOption{pulumi.Provider(provider), pulumi.DependsOn(apiPath)}
	return nil
}

// inWorkspace are the options of a child created through the workspace provider.
func (c *Compute) inWorkspace(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append(append([]pulumi.ResourceOption{pulumi.Parent(c)}, c.InWorkspace...), extra...)
}

// assignPrincipals assigns the engineers and analysts account groups (from Entra ID through automatic
// identity management, members included) to the workspace by name, and registers the pipeline identity
// as a workspace service principal. A workspace admin can do both from the workspace-level provider
// (policy CA.Deploy.AccountGroupsByName).
func (c *Compute) assignPrincipals(ctx *pulumi.Context, name string, args *ComputeArgs) error {
	for _, g := range []struct{ key, group string }{
		{"engineers-assignment", args.Identity.EngineersDisplayName},
		{"analysts-assignment", args.Identity.AnalystsDisplayName},
	} {
		a, err := dbx.NewPermissionAssignment(ctx, child(name, g.key), &dbx.PermissionAssignmentArgs{
			GroupName:   pulumi.String(g.group),
			Permissions: pulumi.StringArray{pulumi.String(WorkspaceUser)},
		}, c.inWorkspace()...)
		if err != nil {
			return fmt.Errorf("compute %s: %s: %w", name, g.key, err)
		}
		c.Principals = append(c.Principals, a)
	}
	sp, err := dbx.NewServicePrincipal(ctx, child(name, "pipeline-sp"), &dbx.ServicePrincipalArgs{
		ApplicationId:      args.Pipeline.ApplicationID,
		DisplayName:        pulumi.String(args.Pipeline.DisplayName),
		WorkspaceAccess:    pulumi.Bool(true),
		AllowClusterCreate: pulumi.Bool(false),
		// Data Factory's first MSI login may already have added it.
		Force: pulumi.Bool(true),
	}, c.inWorkspace()...)
	if err != nil {
		return fmt.Errorf("compute %s: pipeline service principal: %w", name, err)
	}
	c.Principals = append(c.Principals, sp)
	return nil
}

// newPipelineCluster creates the cluster policy and the autoscaling pipeline cluster, dedicated to the
// pipeline identity. Its Spark config carries no credential: Unity Catalog vends storage access.
func (c *Compute) newPipelineCluster(ctx *pulumi.Context, name string, args *ComputeArgs) (*dbx.ClusterPolicy, error) {
	f := args.Foundation
	policy, err := dbx.NewClusterPolicy(ctx, child(name, "cluster-policy"), &dbx.ClusterPolicyArgs{
		Name:        pulumi.String(f.Names.Prefix + "-" + f.Names.Environment + "-pipelines"),
		Description: pulumi.String("Caps cluster size, forces auto-termination and the dedicated Unity Catalog access mode"),
		Definition:  pulumi.String(clusterPolicyDefinition(args)),
	}, c.inWorkspace()...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: cluster policy: %w", name, err)
	}
	cluster, err := dbx.NewCluster(ctx, child(name, "cluster"), &dbx.ClusterArgs{
		ClusterName:            pulumi.String(f.Names.Prefix + "-" + f.Names.Environment + "-pipelines"),
		SparkVersion:           pulumi.String(args.SparkVersion),
		NodeTypeId:             pulumi.String(args.NodeType),
		Autoscale:              &dbx.ClusterAutoscaleArgs{MinWorkers: pulumi.Int(args.MinWorkers), MaxWorkers: pulumi.Int(args.MaxWorkers)},
		AutoterminationMinutes: pulumi.Int(args.AutoTerminationMinutes),
		PolicyId:               policy.PolicyId,
		DataSecurityMode:       pulumi.String(DataSecurityModeDedicated),
		SingleUserName:         args.Pipeline.ApplicationID,
		RuntimeEngine:          pulumi.String("STANDARD"),
		SparkConf:              pulumi.StringMap(PipelineSparkConf()),
		CustomTags:             pulumi.StringMap{"CostCenter": pulumi.String(f.Tags["CostCenter"]), "Environment": pulumi.String(f.Names.Environment)},
	}, c.inWorkspace(pulumi.DependsOn(c.Principals))...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: cluster: %w", name, err)
	}
	c.ClusterID = cluster.ClusterId
	return policy, nil
}

// PipelineSparkConf is the pipeline cluster's whole Spark config: no credential, only what Synapse
// serverless needs of the Delta tables the cluster writes.
func PipelineSparkConf() map[string]pulumi.StringInput {
	return map[string]pulumi.StringInput{
		// Synapse serverless cannot read Delta tables with deletion vectors.
		"spark.databricks.delta.properties.defaults.enableDeletionVectors": pulumi.String("false"),
	}
}

// newSecretScope creates the Key-Vault-backed scope for application secrets (none of them a lake
// credential).
func (c *Compute) newSecretScope(ctx *pulumi.Context, name string, args *ComputeArgs) error {
	if _, err := dbx.NewSecretScope(ctx, child(name, "secret-scope"), &dbx.SecretScopeArgs{
		Name:        pulumi.String(SecretScopeName),
		BackendType: pulumi.String("AZURE_KEYVAULT"),
		KeyvaultMetadata: &dbx.SecretScopeKeyvaultMetadataArgs{
			ResourceId: args.Identity.KeyVaultID,
			DnsName:    args.Identity.KeyVaultURI,
		},
	}, c.inWorkspace()...); err != nil {
		return fmt.Errorf("compute %s: secret scope: %w", name, err)
	}
	return nil
}

// deployNotebooks creates the pipelines folder, the notebooks and their Python package.
func (c *Compute) deployNotebooks(ctx *pulumi.Context, name string, args *ComputeArgs) (*dbx.Directory, error) {
	folder, err := dbx.NewDirectory(ctx, child(name, "pipelines-folder"), &dbx.DirectoryArgs{Path: pulumi.String(PipelinesFolder)}, c.inWorkspace()...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: folder: %w", name, err)
	}
	afterFolder := c.inWorkspace(pulumi.DependsOn([]pulumi.Resource{folder}))
	for _, nb := range args.Notebooks {
		p := path.Join(PipelinesFolder, nb.Name)
		if _, err := dbx.NewNotebook(ctx, child(name, "notebook-"+resourceKey(nb.Name)), &dbx.NotebookArgs{
			Path:          pulumi.String(p),
			Language:      pulumi.String("PYTHON"),
			Format:        pulumi.String("SOURCE"),
			ContentBase64: pulumi.String(base64.StdEncoding.EncodeToString(nb.Content)),
		}, afterFolder...); err != nil {
			return nil, fmt.Errorf("compute %s: notebook %s: %w", name, nb.Name, err)
		}
		c.NotebookPaths[nb.Name] = p
	}
	for _, lib := range args.Library {
		if _, err := dbx.NewWorkspaceFile(ctx, child(name, "file-"+resourceKey(lib.Name)), &dbx.WorkspaceFileArgs{
			Path:          pulumi.String(path.Join(PipelinesFolder, lib.Name)),
			ContentBase64: pulumi.String(base64.StdEncoding.EncodeToString(lib.Content)),
		}, afterFolder...); err != nil {
			return nil, fmt.Errorf("compute %s: library file %s: %w", name, lib.Name, err)
		}
	}
	return folder, nil
}

// setPermissions: engineers may restart the pipeline cluster (not reconfigure it), create their own
// dedicated clusters from the policy and manage the pipelines folder; the pipeline identity may restart
// its cluster and read the notebooks. Nobody else is listed, so analysts get nothing in the workspace.
func (c *Compute) setPermissions(ctx *pulumi.Context, name string, args *ComputeArgs, policy *dbx.ClusterPolicy, folder *dbx.Directory) error {
	engineers := pulumi.String(args.Identity.EngineersDisplayName)
	pipeline := args.Pipeline.ApplicationID
	for _, p := range []struct {
		key  string
		args *dbx.PermissionsArgs
	}{
		{"cluster-permissions", &dbx.PermissionsArgs{ClusterId: c.ClusterID, AccessControls: dbx.PermissionsAccessControlArray{
			{GroupName: engineers, PermissionLevel: pulumi.String("CAN_RESTART")},
			{ServicePrincipalName: pipeline, PermissionLevel: pulumi.String("CAN_RESTART")},
		}}},
		{"policy-permissions", &dbx.PermissionsArgs{ClusterPolicyId: policy.PolicyId, AccessControls: dbx.PermissionsAccessControlArray{
			{GroupName: engineers, PermissionLevel: pulumi.String("CAN_USE")},
		}}},
		{"folder-permissions", &dbx.PermissionsArgs{DirectoryPath: folder.Path, AccessControls: dbx.PermissionsAccessControlArray{
			{GroupName: engineers, PermissionLevel: pulumi.String("CAN_MANAGE")},
			{ServicePrincipalName: pipeline, PermissionLevel: pulumi.String("CAN_READ")},
		}}},
	} {
		if _, err := dbx.NewPermissions(ctx, child(name, p.key), p.args, c.inWorkspace(pulumi.DependsOn(c.Principals))...); err != nil {
			return fmt.Errorf("compute %s: %s: %w", name, p.key, err)
		}
	}
	return nil
}

// clusterPolicyDefinition caps workers, pins runtime and node type, and forces auto-termination.
func clusterPolicyDefinition(args *ComputeArgs) string {
	def := map[string]map[string]any{
		"spark_version":           {"type": "fixed", "value": args.SparkVersion},
		"node_type_id":            {"type": "allowlist", "values": []string{args.NodeType}},
		"autoscale.min_workers":   {"type": "range", "minValue": 1, "maxValue": args.MaxWorkersCap},
		"autoscale.max_workers":   {"type": "range", "minValue": 1, "maxValue": args.MaxWorkersCap},
		"autotermination_minutes": {"type": "range", "minValue": 10, "maxValue": 120, "defaultValue": args.AutoTerminationMinutes},
		"data_security_mode":      {"type": "fixed", "value": DataSecurityModeDedicated},
		"custom_tags.CostCenter":  {"type": "fixed", "value": args.Tags["CostCenter"]},
	}
	// encoding/json sorts map keys, so the document (and the resource's input) is stable across runs.
	out, err := json.Marshal(def)
	if err != nil {
		return "{}"
	}
	return string(out)
}

// resourceKey turns a workspace path into a Pulumi name fragment.
func resourceKey(p string) string {
	r := strings.NewReplacer("/", "-", ".", "-", "_", "-")
	return r.Replace(strings.TrimSuffix(p, ".py"))
}
