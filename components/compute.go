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

// SecretScopeName is the Key-Vault-backed secret scope the cluster reads the lake credentials from.
const SecretScopeName = "keyvault"

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
	// StorageAccountName is the lake the cluster reads with the Databricks service principal.
	StorageAccountName pulumi.StringInput
	Diagnostics        Diagnostics
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
}

// NewCompute creates the workspace (VNet-injected, no public IPs), an explicit Databricks provider for
// it, the cluster policy and autoscaling cluster, the Key-Vault-backed secret scope, the notebooks and
// their library, and the workspace permissions.
func NewCompute(ctx *pulumi.Context, name string, args *ComputeArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil {
		return nil, fmt.Errorf("compute %s: args are required", name)
	}
	if err := args.Foundation.validate("compute " + name); err != nil {
		return nil, err
	}
	if err := requireInputs("compute "+name, map[string]any{
		"Network": args.Network, "Identity": args.Identity, "StorageAccountName": args.StorageAccountName, "Diagnostics": args.Diagnostics,
	}); err != nil {
		return nil, err
	}
	switch {
	case args.MinWorkers < 1 || args.MaxWorkers < args.MinWorkers || args.MaxWorkers > args.MaxWorkersCap:
		return nil, fmt.Errorf("compute %s: workers %d..%d must satisfy 1 <= min <= max <= %d", name, args.MinWorkers, args.MaxWorkers, args.MaxWorkersCap)
	case args.AutoTerminationMinutes < 10:
		return nil, fmt.Errorf("compute %s: auto-termination must be at least 10 minutes", name)
	case len(args.Notebooks) == 0:
		return nil, fmt.Errorf("compute %s: no notebooks to deploy", name)
	case args.PublicNetworkAccess == adb.PublicNetworkAccessDisabled && args.Network.Mode != NetworkModePrivate:
		return nil, fmt.Errorf("compute %s: a workspace without public access needs the network in %q mode", name, NetworkModePrivate)
	}

	c := &Compute{NotebookPaths: map[string]string{}}
	if err := ctx.RegisterComponentResource("analytics:compute:Compute", name, c, opts...); err != nil {
		return nil, err
	}
	f := args.Foundation
	parent := pulumi.Parent(c)

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
		return nil, fmt.Errorf("compute %s: workspace: %w", name, err)
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
			return nil, err
		}
		apiPath = pe.Resources()
	}
	if _, err := args.Diagnostics.AddDiagnostics(ctx, child(name, "workspace-diagnostics"), c.WorkspaceID,
		DiagnosticSpec{Categories: []string{"clusters", "jobs", "notebook", "secrets", "workspace", "accounts"}}, parent); err != nil {
		return nil, err
	}

	// The Key-Vault-backed scope is read by Microsoft's AzureDatabricks application; in an RBAC-mode
	// vault it needs Key Vault Secrets User.
	azureDatabricks, err := azuread.LookupServicePrincipal(ctx, &azuread.LookupServicePrincipalArgs{ClientId: pulumi.StringRef(AzureDatabricksAppID)})
	if err != nil {
		return nil, fmt.Errorf("compute %s: looking up the AzureDatabricks service principal: %w", name, err)
	}
	if err := AssignRoles(ctx, name, f.SubscriptionID, []NamedGrant{
		{"azure-databricks-vault-user", RoleGrant{ServicePrincipal("azure-databricks", pulumi.String(azureDatabricks.ObjectId)),
			roles.KeyVaultSecretsUser, args.Identity.KeyVaultID, "key vault"}},
		{"engineers-workspace", RoleGrant{args.Identity.Engineers(), roles.Contributor, c.WorkspaceID, "databricks workspace"}},
	}, parent); err != nil {
		return nil, err
	}

	// An explicit provider for the workspace this program creates: host for the API, the resource id
	// so Entra ID authentication works before anyone has logged in to the workspace.
	provider, err := dbx.NewProvider(ctx, child(name, "databricks"), &dbx.ProviderArgs{
		Host:                     pulumi.Sprintf("https://%s", ws.WorkspaceUrl),
		AzureWorkspaceResourceId: c.WorkspaceID,
		// The Azure CLI session, which the deploy job keeps renewable for long deploys. Auto-detection
		// could pick github-oidc-azure, whose GitHub token (an assertion good for minutes) is fetched
		// once and cannot renew the workspace token an hour later (Azure/azure-cli#28708).
		AuthType: pulumi.String("azure-cli"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute %s: provider: %w", name, err)
	}
	inWorkspace := []pulumi.ResourceOption{parent, pulumi.Provider(provider), pulumi.DependsOn(apiPath)}

	engineers, err := dbx.NewGroup(ctx, child(name, "engineers-group"), &dbx.GroupArgs{
		DisplayName:        pulumi.String(args.Identity.EngineersDisplayName),
		ExternalId:         args.Identity.EngineersObjectID,
		WorkspaceAccess:    pulumi.Bool(true),
		AllowClusterCreate: pulumi.Bool(false),
	}, inWorkspace...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: engineers group: %w", name, err)
	}
	grantEngineers := func(level string) dbx.PermissionsAccessControlArray {
		return dbx.PermissionsAccessControlArray{{GroupName: engineers.DisplayName, PermissionLevel: pulumi.String(level)}}
	}

	policy, err := dbx.NewClusterPolicy(ctx, child(name, "cluster-policy"), &dbx.ClusterPolicyArgs{
		Name:        pulumi.String(f.Names.Prefix + "-" + f.Names.Environment + "-pipelines"),
		Description: pulumi.String("Caps cluster size and forces auto-termination for the pipeline clusters"),
		Definition:  pulumi.String(clusterPolicyDefinition(args)),
	}, inWorkspace...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: cluster policy: %w", name, err)
	}

	scope, err := dbx.NewSecretScope(ctx, child(name, "secret-scope"), &dbx.SecretScopeArgs{
		Name:        pulumi.String(SecretScopeName),
		BackendType: pulumi.String("AZURE_KEYVAULT"),
		KeyvaultMetadata: &dbx.SecretScopeKeyvaultMetadataArgs{
			ResourceId: args.Identity.KeyVaultID,
			DnsName:    args.Identity.KeyVaultURI,
		},
	}, inWorkspace...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: secret scope: %w", name, err)
	}

	// The Spark config names this rotation's Key Vault secrets: they exist before the cluster (re)starts.
	clusterDeps := append(append(append([]pulumi.Resource{}, apiPath...), scope), args.Identity.DatabricksSecrets...)
	cluster, err := dbx.NewCluster(ctx, child(name, "cluster"), &dbx.ClusterArgs{
		ClusterName:            pulumi.String(f.Names.Prefix + "-" + f.Names.Environment + "-pipelines"),
		SparkVersion:           pulumi.String(args.SparkVersion),
		NodeTypeId:             pulumi.String(args.NodeType),
		Autoscale:              &dbx.ClusterAutoscaleArgs{MinWorkers: pulumi.Int(args.MinWorkers), MaxWorkers: pulumi.Int(args.MaxWorkers)},
		AutoterminationMinutes: pulumi.Int(args.AutoTerminationMinutes),
		PolicyId:               policy.PolicyId,
		// No-isolation shared: the cluster reads the lake with the service principal's credentials from
		// the secret scope; only engineers (and the factory, a workspace admin) can attach to it.
		DataSecurityMode: pulumi.String("NONE"),
		RuntimeEngine:    pulumi.String("STANDARD"),
		SparkConf:        lakeSparkConf(args.StorageAccountName, f.TenantID, args.Identity.DatabricksSecretNames),
		CustomTags:       pulumi.StringMap{"CostCenter": pulumi.String(f.Tags["CostCenter"]), "Environment": pulumi.String(f.Names.Environment)},
	}, append(inWorkspace, pulumi.DependsOn(clusterDeps))...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: cluster: %w", name, err)
	}
	c.ClusterID = cluster.ClusterId

	folder, err := dbx.NewDirectory(ctx, child(name, "pipelines-folder"), &dbx.DirectoryArgs{Path: pulumi.String(PipelinesFolder)}, inWorkspace...)
	if err != nil {
		return nil, fmt.Errorf("compute %s: folder: %w", name, err)
	}
	afterFolder := append(inWorkspace, pulumi.DependsOn(append(apiPath, folder)))
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

	// Engineers manage the cluster, use the policy and manage the pipelines folder; nobody else is
	// listed, so analysts get nothing in the workspace.
	for key, perms := range map[string]*dbx.PermissionsArgs{
		"cluster-permissions": {ClusterId: c.ClusterID, AccessControls: grantEngineers("CAN_MANAGE")},
		"policy-permissions":  {ClusterPolicyId: policy.PolicyId, AccessControls: grantEngineers("CAN_USE")},
		"folder-permissions":  {DirectoryPath: folder.Path, AccessControls: grantEngineers("CAN_MANAGE")},
	} {
		if _, err := dbx.NewPermissions(ctx, child(name, key), perms, inWorkspace...); err != nil {
			return nil, fmt.Errorf("compute %s: %s: %w", name, key, err)
		}
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

// lakeSparkConf lets the cluster read and write the lake as the Databricks service principal, with the
// credentials resolved from the Key-Vault-backed scope at cluster start (never stored in the config).
func lakeSparkConf(account pulumi.StringInput, tenantID string, secrets DatabricksSecretNames) pulumi.StringMapOutput {
	return account.ToStringOutput().ApplyT(func(acct string) map[string]string {
		host := acct + ".dfs.core.windows.net"
		return map[string]string{
			"fs.azure.account.auth.type." + host:              "OAuth",
			"fs.azure.account.oauth.provider.type." + host:    "org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider",
			"fs.azure.account.oauth2.client.id." + host:       "{{secrets/" + SecretScopeName + "/" + secrets.ClientID + "}}",
			"fs.azure.account.oauth2.client.secret." + host:   "{{secrets/" + SecretScopeName + "/" + secrets.ClientSecret + "}}",
			"fs.azure.account.oauth2.client.endpoint." + host: "https://login.microsoftonline.com/" + tenantID + "/oauth2/token",
			// Synapse serverless cannot read Delta tables with deletion vectors.
			"spark.databricks.delta.properties.defaults.enableDeletionVectors": "false",
		}
	}).(pulumi.StringMapOutput)
}

// clusterPolicyDefinition caps workers, pins runtime and node type, and forces auto-termination.
func clusterPolicyDefinition(args *ComputeArgs) string {
	def := map[string]map[string]any{
		"spark_version":           {"type": "fixed", "value": args.SparkVersion},
		"node_type_id":            {"type": "allowlist", "values": []string{args.NodeType}},
		"autoscale.min_workers":   {"type": "range", "minValue": 1, "maxValue": args.MaxWorkersCap},
		"autoscale.max_workers":   {"type": "range", "minValue": 1, "maxValue": args.MaxWorkersCap},
		"autotermination_minutes": {"type": "range", "minValue": 10, "maxValue": 120, "defaultValue": args.AutoTerminationMinutes},
		"data_security_mode":      {"type": "fixed", "value": "NONE"},
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
