package components

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	adb "github.com/customer-analytics/platform/internal/bindings/azurenative/databricks"
	"github.com/customer-analytics/platform/internal/workspacefiles"
)

func TestIPRange(t *testing.T) {
	for in, want := range map[string][2]string{
		"203.0.113.7":     {"203.0.113.7", "203.0.113.7"},
		"203.0.113.7/32":  {"203.0.113.7", "203.0.113.7"},
		"203.0.113.0/24":  {"203.0.113.0", "203.0.113.255"},
		"198.51.100.0/22": {"198.51.100.0", "198.51.103.255"},
	} {
		start, end, err := ipRange(in)
		require.NoError(t, err, in)
		require.Equal(t, want, [2]string{start, end}, in)
	}
	_, _, err := ipRange("fd00::/64")
	require.Error(t, err)
}

func TestResourceKey(t *testing.T) {
	require.Equal(t, "bronze-to-silver", resourceKey("bronze_to_silver"))
	require.Equal(t, "analytics-pipeline-transform", resourceKey("analytics_pipeline/transform.py"))
	require.Equal(t, "analytics-pipeline-gold-contract-json", resourceKey("analytics_pipeline/gold_contract.json"))
}

func TestClusterPolicyDefinitionIsStableJSON(t *testing.T) {
	args := &ComputeArgs{SparkVersion: "15.4.x-scala2.12", NodeType: "Standard_DS3_v2", MaxWorkersCap: 10, AutoTerminationMinutes: 20,
		Foundation: Foundation{Tags: map[string]string{"CostCenter": "Analytics"}}}
	a, b := clusterPolicyDefinition(args), clusterPolicyDefinition(args)
	require.Equal(t, a, b, "same document on every run (no diff)")
	var def map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(a), &def))
	require.Equal(t, map[string]any{"type": "fixed", "value": "Analytics"}, def["custom_tags.CostCenter"])
	require.Equal(t, map[string]any{"type": "allowlist", "values": []any{"Standard_DS3_v2"}}, def["node_type_id"])
}

func TestComputeValidatesArgs(t *testing.T) {
	base := func() ComputeArgs {
		return ComputeArgs{Foundation: testFoundation(t), SparkVersion: "15.4.x-scala2.12", NodeType: "Standard_DS3_v2",
			MinWorkers: 1, MaxWorkers: 4, MaxWorkersCap: 10, AutoTerminationMinutes: 20, PublicNetworkAccess: adb.PublicNetworkAccessEnabled,
			Network: &Network{Mode: NetworkModeFirewall}, Identity: &Identity{}, Diagnostics: &Observability{},
			Pipeline:  PipelineIdentity{ApplicationID: pulumi.String("app"), DisplayName: "adf"},
			Notebooks: []workspacefiles.SourceFile{{Name: "n", Content: []byte("# Databricks notebook source")}}}
	}
	for want, mutate := range map[string]func(a *ComputeArgs){
		"workers 1..12 must satisfy":                      func(a *ComputeArgs) { a.MaxWorkers = 12 },
		"auto-termination must be at least":               func(a *ComputeArgs) { a.AutoTerminationMinutes = 0 },
		"no notebooks to deploy":                          func(a *ComputeArgs) { a.Notebooks = nil },
		"without public access needs":                     func(a *ComputeArgs) { a.PublicNetworkAccess = adb.PublicNetworkAccessDisabled },
		"required inputs not set: Identity":               func(a *ComputeArgs) { a.Identity = nil },
		"required inputs not set: Pipeline.ApplicationID": func(a *ComputeArgs) { a.Pipeline.ApplicationID = nil },
		"the pipeline identity needs a display name":      func(a *ComputeArgs) { a.Pipeline.DisplayName = "" },
	} {
		t.Run(want, func(t *testing.T) {
			args := base()
			mutate(&args)
			rec, err := runMocked(t, func(ctx *pulumi.Context) error {
				_, err := NewCompute(ctx, "compute", &args)
				return err
			})
			require.ErrorContains(t, err, want)
			require.Empty(t, types(rec))
		})
	}
}

func TestOrchestrationValidatesArgs(t *testing.T) {
	base := func() PipelineArgs {
		s := pulumi.String("x")
		return PipelineArgs{Identity: &Identity{},
			StorageAccountID: s, StorageAccountName: s, DfsEndpoint: s, BronzeContainerID: s,
			DatabricksWorkspaceID: s, DatabricksWorkspaceURL: s, ClusterID: s, Catalog: "ca_dev",
			NotebookPaths:    map[string]string{NotebookBronzeToSilver: "/Shared/pipelines/bronze_to_silver", NotebookSilverToGold: "/Shared/pipelines/silver_to_gold"},
			QualityThreshold: 95, QualityWarning: 98, MaxRunMinutes: 120}
	}
	for want, mutate := range map[string]func(a *PipelineArgs){
		`no workspace path for notebook "silver_to_gold"`: func(a *PipelineArgs) { delete(a.NotebookPaths, NotebookSilverToGold) },
		"quality threshold":                  func(a *PipelineArgs) { a.QualityWarning = 90 },
		"MaxRunMinutes must be positive":     func(a *PipelineArgs) { a.MaxRunMinutes = 0 },
		"required inputs not set: ClusterID": func(a *PipelineArgs) { a.ClusterID = nil },
		"Catalog is required":                func(a *PipelineArgs) { a.Catalog = "" },
	} {
		t.Run(want, func(t *testing.T) {
			args := base()
			mutate(&args)
			rec, err := runMocked(t, func(ctx *pulumi.Context) error {
				o, err := NewOrchestration(ctx, "orchestration", &OrchestrationArgs{Foundation: testFoundation(t),
					Network: &Network{Mode: NetworkModeFirewall}, Diagnostics: &Observability{}})
				if err != nil {
					return err
				}
				return o.AddPipeline(ctx, "orchestration", &args)
			})
			require.ErrorContains(t, err, want)
			require.NotContains(t, types(rec), "azure-native:datafactory:Pipeline", "nothing of the pipeline is created")
		})
	}
}

func TestWarehouseNeedsASkuForADedicatedPool(t *testing.T) {
	s := pulumi.String("x")
	_, err := runMocked(t, func(ctx *pulumi.Context) error {
		_, err := NewWarehouse(ctx, "warehouse", &WarehouseArgs{Foundation: testFoundation(t), Network: &Network{}, Identity: &Identity{},
			Diagnostics: &Observability{}, StorageAccountID: s, StorageAccountName: s, DfsEndpoint: s, GoldContainerID: s, DedicatedSQLPool: true, SparkVersion: "3.5"})
		return err
	})
	require.ErrorContains(t, err, "needs a sku")
}
