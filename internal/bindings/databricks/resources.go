package databricks

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// register is what every New* does: check the required inputs, pin the plugin, register.
func register(ctx *pulumi.Context, token, name string, args pulumi.Input, res pulumi.CustomResource, required map[string]bool, opts []pulumi.ResourceOption) error {
	for field, ok := range required {
		if !ok {
			return errors.New("invalid value for required argument '" + field + "'")
		}
	}
	return ctx.RegisterResource(token, name, args, res, defaultOpts(opts)...)
}

// ---- Cluster ------------------------------------------------------------------------------------

// Cluster is an all-purpose cluster (databricks:index/cluster:Cluster).
type Cluster struct {
	pulumi.CustomResourceState

	ClusterId   pulumi.StringOutput    `pulumi:"clusterId"`
	ClusterName pulumi.StringPtrOutput `pulumi:"clusterName"`
}

type clusterArgs struct {
	ApplyPolicyDefaultValues *bool             `pulumi:"applyPolicyDefaultValues"`
	Autoscale                *ClusterAutoscale `pulumi:"autoscale"`
	AutoterminationMinutes   *int              `pulumi:"autoterminationMinutes"`
	ClusterName              *string           `pulumi:"clusterName"`
	CustomTags               map[string]string `pulumi:"customTags"`
	DataSecurityMode         *string           `pulumi:"dataSecurityMode"`
	NodeTypeId               *string           `pulumi:"nodeTypeId"`
	PolicyId                 *string           `pulumi:"policyId"`
	RuntimeEngine            *string           `pulumi:"runtimeEngine"`
	SingleUserName           *string           `pulumi:"singleUserName"`
	SparkConf                map[string]string `pulumi:"sparkConf"`
	SparkEnvVars             map[string]string `pulumi:"sparkEnvVars"`
	SparkVersion             string            `pulumi:"sparkVersion"`
}

// ClusterArgs are the inputs of a Cluster.
type ClusterArgs struct {
	ApplyPolicyDefaultValues pulumi.BoolPtrInput
	Autoscale                *ClusterAutoscaleArgs
	AutoterminationMinutes   pulumi.IntPtrInput
	ClusterName              pulumi.StringPtrInput
	CustomTags               pulumi.StringMapInput
	DataSecurityMode         pulumi.StringPtrInput
	NodeTypeId               pulumi.StringPtrInput
	PolicyId                 pulumi.StringPtrInput
	RuntimeEngine            pulumi.StringPtrInput
	// SingleUserName is the user (or service principal application id) a dedicated (SINGLE_USER)
	// cluster is assigned to.
	SingleUserName pulumi.StringPtrInput
	SparkConf      pulumi.StringMapInput
	SparkEnvVars   pulumi.StringMapInput
	SparkVersion   pulumi.StringInput
}

func (ClusterArgs) ElementType() reflect.Type { return reflect.TypeOf((*clusterArgs)(nil)).Elem() }

// NewCluster registers a cluster.
func NewCluster(ctx *pulumi.Context, name string, args *ClusterArgs, opts ...pulumi.ResourceOption) (*Cluster, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res Cluster
	if err := register(ctx, "databricks:index/cluster:Cluster", name, args, &res, map[string]bool{"SparkVersion": args.SparkVersion != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- ClusterPolicy ------------------------------------------------------------------------------

// ClusterPolicy limits what clusters may be created (databricks:index/clusterPolicy:ClusterPolicy).
type ClusterPolicy struct {
	pulumi.CustomResourceState

	Name     pulumi.StringOutput `pulumi:"name"`
	PolicyId pulumi.StringOutput `pulumi:"policyId"`
}

type clusterPolicyArgs struct {
	Definition         *string `pulumi:"definition"`
	Description        *string `pulumi:"description"`
	MaxClustersPerUser *int    `pulumi:"maxClustersPerUser"`
	Name               *string `pulumi:"name"`
}

// ClusterPolicyArgs are the inputs of a ClusterPolicy; Definition is the policy's JSON document.
type ClusterPolicyArgs struct {
	Definition         pulumi.StringPtrInput
	Description        pulumi.StringPtrInput
	MaxClustersPerUser pulumi.IntPtrInput
	Name               pulumi.StringPtrInput
}

func (ClusterPolicyArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*clusterPolicyArgs)(nil)).Elem()
}

// NewClusterPolicy registers a cluster policy.
func NewClusterPolicy(ctx *pulumi.Context, name string, args *ClusterPolicyArgs, opts ...pulumi.ResourceOption) (*ClusterPolicy, error) {
	if args == nil {
		args = &ClusterPolicyArgs{}
	}
	var res ClusterPolicy
	if err := register(ctx, "databricks:index/clusterPolicy:ClusterPolicy", name, args, &res, nil, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- SecretScope --------------------------------------------------------------------------------

// SecretScope is a secret scope (databricks:index/secretScope:SecretScope).
type SecretScope struct {
	pulumi.CustomResourceState

	BackendType pulumi.StringOutput `pulumi:"backendType"`
	Name        pulumi.StringOutput `pulumi:"name"`
}

type secretScopeArgs struct {
	BackendType      *string                      `pulumi:"backendType"`
	KeyvaultMetadata *SecretScopeKeyvaultMetadata `pulumi:"keyvaultMetadata"`
	Name             *string                      `pulumi:"name"`
}

// SecretScopeArgs are the inputs of a SecretScope.
type SecretScopeArgs struct {
	BackendType      pulumi.StringPtrInput
	KeyvaultMetadata *SecretScopeKeyvaultMetadataArgs
	Name             pulumi.StringPtrInput
}

func (SecretScopeArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*secretScopeArgs)(nil)).Elem()
}

// NewSecretScope registers a secret scope. A Key-Vault-backed scope can only be created with Entra ID
// authentication (not a personal access token).
func NewSecretScope(ctx *pulumi.Context, name string, args *SecretScopeArgs, opts ...pulumi.ResourceOption) (*SecretScope, error) {
	if args == nil {
		args = &SecretScopeArgs{}
	}
	var res SecretScope
	if err := register(ctx, "databricks:index/secretScope:SecretScope", name, args, &res, nil, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- Directory, Notebook, WorkspaceFile ---------------------------------------------------------

// Directory is a workspace folder (databricks:index/directory:Directory).
type Directory struct {
	pulumi.CustomResourceState

	Path pulumi.StringOutput `pulumi:"path"`
}

type directoryArgs struct {
	DeleteRecursive *bool  `pulumi:"deleteRecursive"`
	Path            string `pulumi:"path"`
}

// DirectoryArgs are the inputs of a Directory.
type DirectoryArgs struct {
	DeleteRecursive pulumi.BoolPtrInput
	Path            pulumi.StringInput
}

func (DirectoryArgs) ElementType() reflect.Type { return reflect.TypeOf((*directoryArgs)(nil)).Elem() }

// NewDirectory registers a workspace folder.
func NewDirectory(ctx *pulumi.Context, name string, args *DirectoryArgs, opts ...pulumi.ResourceOption) (*Directory, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res Directory
	if err := register(ctx, "databricks:index/directory:Directory", name, args, &res, map[string]bool{"Path": args.Path != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// Notebook is a workspace notebook (databricks:index/notebook:Notebook).
type Notebook struct {
	pulumi.CustomResourceState

	Path pulumi.StringOutput `pulumi:"path"`
	Url  pulumi.StringOutput `pulumi:"url"`
}

type notebookArgs struct {
	ContentBase64 *string `pulumi:"contentBase64"`
	Format        *string `pulumi:"format"`
	Language      *string `pulumi:"language"`
	Path          string  `pulumi:"path"`
}

// NotebookArgs are the inputs of a Notebook. ContentBase64 carries the source, so a changed notebook
// file is a diff of this resource.
type NotebookArgs struct {
	ContentBase64 pulumi.StringPtrInput
	Format        pulumi.StringPtrInput
	Language      pulumi.StringPtrInput
	Path          pulumi.StringInput
}

func (NotebookArgs) ElementType() reflect.Type { return reflect.TypeOf((*notebookArgs)(nil)).Elem() }

// NewNotebook registers a notebook.
func NewNotebook(ctx *pulumi.Context, name string, args *NotebookArgs, opts ...pulumi.ResourceOption) (*Notebook, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res Notebook
	if err := register(ctx, "databricks:index/notebook:Notebook", name, args, &res, map[string]bool{"Path": args.Path != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// WorkspaceFile is a non-notebook workspace file (databricks:index/workspaceFile:WorkspaceFile).
type WorkspaceFile struct {
	pulumi.CustomResourceState

	Path pulumi.StringOutput `pulumi:"path"`
}

type workspaceFileArgs struct {
	ContentBase64 *string `pulumi:"contentBase64"`
	Path          string  `pulumi:"path"`
}

// WorkspaceFileArgs are the inputs of a WorkspaceFile.
type WorkspaceFileArgs struct {
	ContentBase64 pulumi.StringPtrInput
	Path          pulumi.StringInput
}

func (WorkspaceFileArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*workspaceFileArgs)(nil)).Elem()
}

// NewWorkspaceFile registers a workspace file.
func NewWorkspaceFile(ctx *pulumi.Context, name string, args *WorkspaceFileArgs, opts ...pulumi.ResourceOption) (*WorkspaceFile, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	var res WorkspaceFile
	if err := register(ctx, "databricks:index/workspaceFile:WorkspaceFile", name, args, &res, map[string]bool{"Path": args.Path != nil}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// ---- Group, Permissions -------------------------------------------------------------------------

// Group is a workspace group (databricks:index/group:Group).
type Group struct {
	pulumi.CustomResourceState

	DisplayName pulumi.StringOutput `pulumi:"displayName"`
}

type groupArgs struct {
	AllowClusterCreate *bool   `pulumi:"allowClusterCreate"`
	DisplayName        *string `pulumi:"displayName"`
	ExternalId         *string `pulumi:"externalId"`
	WorkspaceAccess    *bool   `pulumi:"workspaceAccess"`
}

// GroupArgs are the inputs of a Group. ExternalId ties it to its Entra ID group.
type GroupArgs struct {
	AllowClusterCreate pulumi.BoolPtrInput
	DisplayName        pulumi.StringPtrInput
	ExternalId         pulumi.StringPtrInput
	WorkspaceAccess    pulumi.BoolPtrInput
}

func (GroupArgs) ElementType() reflect.Type { return reflect.TypeOf((*groupArgs)(nil)).Elem() }

// NewGroup registers a workspace group.
func NewGroup(ctx *pulumi.Context, name string, args *GroupArgs, opts ...pulumi.ResourceOption) (*Group, error) {
	if args == nil {
		args = &GroupArgs{}
	}
	var res Group
	if err := register(ctx, "databricks:index/group:Group", name, args, &res, nil, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// Permissions sets the full access-control list of one workspace object
// (databricks:index/permissions:Permissions); principals not listed lose access.
type Permissions struct {
	pulumi.CustomResourceState

	ObjectType pulumi.StringOutput `pulumi:"objectType"`
}

type permissionsArgs struct {
	AccessControls  []PermissionsAccessControl `pulumi:"accessControls"`
	ClusterId       *string                    `pulumi:"clusterId"`
	ClusterPolicyId *string                    `pulumi:"clusterPolicyId"`
	DirectoryPath   *string                    `pulumi:"directoryPath"`
}

// PermissionsArgs are the inputs of Permissions; set exactly one object (cluster, policy, directory).
type PermissionsArgs struct {
	AccessControls  PermissionsAccessControlArray
	ClusterId       pulumi.StringPtrInput
	ClusterPolicyId pulumi.StringPtrInput
	DirectoryPath   pulumi.StringPtrInput
}

func (PermissionsArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*permissionsArgs)(nil)).Elem()
}

// NewPermissions registers an access-control list.
func NewPermissions(ctx *pulumi.Context, name string, args *PermissionsArgs, opts ...pulumi.ResourceOption) (*Permissions, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	objects := 0
	for _, set := range []bool{args.ClusterId != nil, args.ClusterPolicyId != nil, args.DirectoryPath != nil} {
		if set {
			objects++
		}
	}
	if objects != 1 {
		return nil, errors.New("permissions: set exactly one of ClusterId, ClusterPolicyId, DirectoryPath")
	}
	var res Permissions
	if err := register(ctx, "databricks:index/permissions:Permissions", name, args, &res, map[string]bool{"AccessControls": len(args.AccessControls) > 0}, opts); err != nil {
		return nil, err
	}
	return &res, nil
}
