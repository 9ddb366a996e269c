// Package bindings groups the hand-written bindings for the official Pulumi packages whose Go SDK modules
// cannot be installed here (azure-native databricks, datafactory and synapse at v2.90.0; the Databricks
// provider at v1.106.0). Its test is the contract: every pulumi tag, Go type, nested type, discriminator
// and enum value the bindings can send is checked against the upstream schema data in testdata/, and the
// inputs the platform actually sends (recorded under mocks for both stacks) are checked again, including
// required inputs and the official constructors' defaults.
package bindings
