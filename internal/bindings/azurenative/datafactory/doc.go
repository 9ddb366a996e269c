// Package datafactory is a hand-written binding for the Data Factory resources of the official
// azure-native Pulumi SDK, github.com/pulumi/pulumi-azure-native-sdk/datafactory/v2 at v2.90.0, whose
// module cannot be installed here. It registers the official type tokens with the azure-native plugin
// pinned at 2.90.0 and mirrors the generated SDK's names and shapes (FooArgs with Input fields, the
// unexported fooArgs sent on the wire, NewFoo), but only for the resources and fields the platform uses.
// Swapping it for the official module is an import change, not a resource replacement.
//
// Discriminated unions (activities, linked services, datasets, triggers, integration runtimes, dataset
// locations) are typed Args structs that set their own "type" when registered. The contract test in
// internal/bindings checks every pulumi tag, nested type, discriminator and enum value here against the
// upstream schema data.
package datafactory

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// PluginVersion is the azure-native provider plugin the resources are registered with.
const PluginVersion = "2.90.0"

// defaultOpts pins the plugin version, as the official SDK's PkgResourceDefaultOpts does.
func defaultOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Version(PluginVersion)}, opts...)
}

// Discriminated is a union member: its upstream type's discriminator value and its plain wire type.
type Discriminated interface {
	pulumi.Input
	Discriminator() string
}

// UnionMembers lists every union member this package can send, for the contract test.
var UnionMembers = []Discriminated{
	AzureBlobFSLinkedServiceArgs{}, AzureDatabricksLinkedServiceArgs{}, AzureKeyVaultLinkedServiceArgs{},
	BinaryDatasetArgs{}, AzureBlobFSLocationArgs{},
	GetMetadataActivityArgs{}, DatabricksNotebookActivityArgs{}, SetVariableActivityArgs{}, FailActivityArgs{},
	ScheduleTriggerArgs{}, ManagedIntegrationRuntimeArgs{},
}
