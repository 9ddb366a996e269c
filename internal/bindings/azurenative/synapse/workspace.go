package synapse

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Workspace is a Synapse workspace (azure-native:synapse:Workspace).
type Workspace struct {
	pulumi.CustomResourceState

	ConnectivityEndpoints pulumi.StringMapOutput        `pulumi:"connectivityEndpoints"`
	Identity              ManagedIdentityResponseOutput `pulumi:"identity"`
	Name                  pulumi.StringOutput           `pulumi:"name"`
	PublicNetworkAccess   pulumi.StringPtrOutput        `pulumi:"publicNetworkAccess"`
}

type workspaceArgs struct {
	AzureADOnlyAuthentication     *bool                          `pulumi:"azureADOnlyAuthentication"`
	CspWorkspaceAdminProperties   *CspWorkspaceAdminProperties   `pulumi:"cspWorkspaceAdminProperties"`
	DefaultDataLakeStorage        *DataLakeStorageAccountDetails `pulumi:"defaultDataLakeStorage"`
	Identity                      *ManagedIdentity               `pulumi:"identity"`
	Location                      *string                        `pulumi:"location"`
	ManagedResourceGroupName      *string                        `pulumi:"managedResourceGroupName"`
	ManagedVirtualNetwork         *string                        `pulumi:"managedVirtualNetwork"`
	ManagedVirtualNetworkSettings *ManagedVirtualNetworkSettings `pulumi:"managedVirtualNetworkSettings"`
	PublicNetworkAccess           *string                        `pulumi:"publicNetworkAccess"`
	ResourceGroupName             string                         `pulumi:"resourceGroupName"`
	Tags                          map[string]string              `pulumi:"tags"`
	TrustedServiceBypassEnabled   *bool                          `pulumi:"trustedServiceBypassEnabled"`
	WorkspaceName                 *string                        `pulumi:"workspaceName"`
}

// WorkspaceArgs are the inputs of a Workspace.
type WorkspaceArgs struct {
	AzureADOnlyAuthentication     pulumi.BoolPtrInput
	CspWorkspaceAdminProperties   *CspWorkspaceAdminPropertiesArgs
	DefaultDataLakeStorage        *DataLakeStorageAccountDetailsArgs
	Identity                      *ManagedIdentityArgs
	Location                      pulumi.StringPtrInput
	ManagedResourceGroupName      pulumi.StringPtrInput
	ManagedVirtualNetwork         pulumi.StringPtrInput
	ManagedVirtualNetworkSettings *ManagedVirtualNetworkSettingsArgs
	PublicNetworkAccess           pulumi.StringPtrInput
	ResourceGroupName             pulumi.StringInput
	Tags                          pulumi.StringMapInput
	TrustedServiceBypassEnabled   pulumi.BoolPtrInput
	WorkspaceName                 pulumi.StringPtrInput
}

func (WorkspaceArgs) ElementType() reflect.Type { return reflect.TypeOf((*workspaceArgs)(nil)).Elem() }

// NewWorkspace registers a Synapse workspace, defaulting publicNetworkAccess to "Enabled" and
// trustedServiceBypassEnabled to false as the official constructor does.
func NewWorkspace(ctx *pulumi.Context, name string, args *WorkspaceArgs, opts ...pulumi.ResourceOption) (*Workspace, error) {
	if args == nil {
		return nil, errors.New("missing one or more required arguments")
	}
	if args.ResourceGroupName == nil {
		return nil, errors.New("invalid value for required argument 'ResourceGroupName'")
	}
	wire := *args
	if wire.PublicNetworkAccess == nil {
		wire.PublicNetworkAccess = WorkspacePublicNetworkAccessEnabled
	}
	if wire.TrustedServiceBypassEnabled == nil {
		wire.TrustedServiceBypassEnabled = pulumi.BoolPtr(false)
	}
	var resource Workspace
	if err := ctx.RegisterResource("azure-native:synapse:Workspace", name, &wire, &resource, defaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &resource, nil
}
