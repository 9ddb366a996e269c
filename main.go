package main

import (
	_ "github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/consumption/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/keyvault/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	_ "github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	_ "github.com/pulumi/pulumi-azuread/sdk/v5/go/azuread"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	_ "github.com/stretchr/testify/require"
)

func main() {}
