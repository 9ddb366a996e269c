package synapse

import "encoding/json"

// The workspace's SQL auditing settings. azure-native 2.90.0 has no resource for
// Microsoft.Synapse/workspaces/extendedAuditingSettings (nor auditingSettings): neither the SDK nor the
// provider's schema names one (the contract test checks this), so the platform deploys the setting with
// a one-resource ARM template through azure-native:resources:Deployment. This file mirrors the REST
// body, specification/synapse/resource-manager/Microsoft.Synapse/stable/2021-06-01/sqlServer.json
// (ExtendedServerBlobAuditingPolicyProperties), for the fields the platform uses.

// ExtendedAuditingSettingsType is the ARM type of a workspace's extended SQL auditing settings.
const ExtendedAuditingSettingsType = "Microsoft.Synapse/workspaces/extendedAuditingSettings"

// AuditingAPIVersion is the REST API version the template deploys with (the one azure-native 2.90.0
// uses for the workspace).
const AuditingAPIVersion = "2021-06-01"

// BlobAuditingPolicyState is the policy's state.
type BlobAuditingPolicyState string

// States.
const (
	BlobAuditingPolicyStateEnabled  BlobAuditingPolicyState = "Enabled"
	BlobAuditingPolicyStateDisabled BlobAuditingPolicyState = "Disabled"
)

// ExtendedAuditingSettingsProperties is the settings' body. With IsAzureMonitorTargetEnabled the
// events go to Azure Monitor; a diagnostic setting on the workspace with the SQLSecurityAuditEvents
// category then routes them to a Log Analytics workspace.
type ExtendedAuditingSettingsProperties struct {
	State                       BlobAuditingPolicyState `json:"state"`
	IsAzureMonitorTargetEnabled *bool                   `json:"isAzureMonitorTargetEnabled,omitempty"`
	// AuditActionsAndGroups empty keeps the service's default groups (BATCH_COMPLETED_GROUP,
	// SUCCESSFUL_ and FAILED_DATABASE_AUTHENTICATION_GROUP).
	AuditActionsAndGroups []string `json:"auditActionsAndGroups,omitempty"`
	PredicateExpression   string   `json:"predicateExpression,omitempty"`
	QueueDelayMs          *int     `json:"queueDelayMs,omitempty"`
}

// ExtendedAuditingSettingsTemplate is the ARM template that sets a workspace's extended auditing
// settings ("default", the only name the API accepts).
func ExtendedAuditingSettingsTemplate(workspace string, props ExtendedAuditingSettingsProperties) map[string]interface{} {
	return map[string]interface{}{
		"$schema":        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		"contentVersion": "1.0.0.0",
		"resources": []interface{}{map[string]interface{}{
			"type":       ExtendedAuditingSettingsType,
			"apiVersion": AuditingAPIVersion,
			"name":       workspace + "/default",
			"properties": props.toMap(),
		}},
	}
}

// toMap is the body as the engine carries it: plain JSON values shaped by the struct's json tags (the
// fields the contract test checks). Marshalling this struct of strings, bools and ints cannot fail.
func (p ExtendedAuditingSettingsProperties) toMap() map[string]interface{} {
	raw, _ := json.Marshal(p)
	out := map[string]interface{}{}
	_ = json.Unmarshal(raw, &out)
	return out
}
