// Package registry builds the Databricks provider's SDKv2 resources by Terraform name, from the
// provider's own public constructors (the aggregate provider constructor is internal to its module).
package registry

//go:generate go run ./gen
