package registry

import (
	"fmt"
	"reflect"

	"github.com/databricks/databricks-sdk-go/config"
	"github.com/databricks/terraform-provider-databricks/common"
	"github.com/databricks/terraform-provider-databricks/settings"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Provider assembles a *schema.Provider the way the Databricks provider's (internal) DatabricksProvider
// does: every SDKv2 resource, the workspace settings resources, the provider schema, and the resource
// name in each operation's context. It has no ConfigureContextFunc: the caller supplies the meta.
func Provider() *schema.Provider {
	resources := make(map[string]*schema.Resource, len(generated))
	for name, build := range generated {
		resources[name] = build()
	}
	for name, r := range settings.AllSettingsResources() {
		resources[fmt.Sprintf("databricks_%s_setting", name)] = r.ToResource()
	}
	p := &schema.Provider{ResourcesMap: resources, Schema: ProviderSchema()}
	common.AddContextToAllResources(p, "databricks")
	return p
}

// ProviderSchema is the provider block's schema, built from the Go SDK's config attributes exactly as
// the provider's providerSchema (internal/providers/sdkv2/sdkv2.go) builds it.
func ProviderSchema() map[string]*schema.Schema {
	ps := map[string]*schema.Schema{}
	for _, attr := range config.ConfigAttributes {
		s := &schema.Schema{Optional: true, Sensitive: attr.Sensitive}
		switch attr.Kind {
		case reflect.String:
			s.Type = schema.TypeString
		case reflect.Bool:
			s.Type = schema.TypeBool
		case reflect.Int:
			s.Type = schema.TypeInt
		case reflect.Slice:
			s.Type = schema.TypeList
			s.Elem = &schema.Schema{Type: schema.TypeString}
		default:
			continue
		}
		ps[attr.Name] = s
	}
	return ps
}
