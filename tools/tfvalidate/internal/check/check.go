// Package check validates converted Databricks resources with the Databricks Terraform provider's own
// code, through the same plugin-protocol entry points Terraform calls: ValidateResourceTypeConfig (schema,
// types, required, conflicts_with/exactly_one_of/at_least_one_of, ValidateFunc/ValidateDiagFunc) and
// PlanResourceChange for a create (the resource's CustomizeDiff and other plan-time checks). The provider
// is configured offline: any check that would call the Databricks API fails with ErrOffline instead.
package check

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/databricks/databricks-sdk-go/client"
	"github.com/databricks/databricks-sdk-go/config"
	"github.com/databricks/databricks-sdk-go/config/credentials"
	"github.com/databricks/terraform-provider-databricks/common"
	"github.com/hashicorp/go-cty/cty"
	"github.com/hashicorp/go-cty/cty/msgpack"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

	"github.com/customer-analytics/platform/tools/tfvalidate/internal/registry"
)

// ErrOffline is what an API call made during validation returns: that check needs the live workspace.
var ErrOffline = errors.New("offline validation: this check needs the live Databricks API")

// terraformVersion is what ConfigureProvider reports as the caller; the provider only puts it in its
// user agent, which no request ever carries here.
const terraformVersion = "1.9.0"

// Stage names the protocol call that rejected a configuration.
type Stage string

const (
	StageProvider Stage = "provider config" // PrepareProviderConfig / ConfigureProvider
	StageValidate Stage = "validate"        // ValidateResourceTypeConfig
	StagePlan     Stage = "plan"            // PlanResourceChange (CustomizeDiff)
)

// Error carries the provider's diagnostics for one resource.
type Error struct {
	Stage       Stage
	Diagnostics []string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Stage, strings.Join(e.Diagnostics, "; "))
}

// Provider is the Databricks provider, assembled from its public resource constructors, behind the SDK's
// plugin-protocol server.
type Provider struct {
	p      *schema.Provider
	server *schema.GRPCProviderServer
}

// New assembles the provider; Configure must be called before Resource.
func New() *Provider {
	p := registry.Provider()
	p.ConfigureContextFunc = configureOffline
	return &Provider{p: p, server: schema.NewGRPCProviderServer(p)}
}

// Resource returns the SDKv2 resource of that Terraform name, if the provider serves it.
func (p *Provider) Resource(tfName string) (*schema.Resource, bool) {
	r, ok := p.p.ResourcesMap[tfName]
	return r, ok
}

// ConfigType is the implied type of the provider block.
func (p *Provider) ConfigType() cty.Type {
	return schema.InternalMap(p.p.Schema).CoreConfigSchema().ImpliedType()
}

// ConfigSchema is the provider block's schema.
func (p *Provider) ConfigSchema() map[string]*schema.Schema { return p.p.Schema }

// Configure validates the provider block and configures the provider with it (offline).
func (p *Provider) Configure(ctx context.Context, cfg cty.Value) error {
	dv, err := dynamic(cfg)
	if err != nil {
		return err
	}
	prep, err := p.server.PrepareProviderConfig(ctx, &tfprotov5.PrepareProviderConfigRequest{Config: dv})
	if err != nil {
		return err
	}
	if e := errorOf(StageProvider, prep.Diagnostics); e != nil {
		return e
	}
	conf, err := p.server.ConfigureProvider(ctx, &tfprotov5.ConfigureProviderRequest{Config: dv, TerraformVersion: terraformVersion})
	if err != nil {
		return err
	}
	if e := errorOf(StageProvider, conf.Diagnostics); e != nil {
		return e
	}
	return nil
}

// Validate validates a create of resource tfName with configuration cfg as Terraform would at plan time.
func (p *Provider) Validate(ctx context.Context, tfName string, cfg cty.Value) error {
	r, ok := p.p.ResourcesMap[tfName]
	if !ok {
		return fmt.Errorf("%s is not an SDKv2 resource of the provider", tfName)
	}
	dv, err := dynamic(cfg)
	if err != nil {
		return err
	}
	val, err := p.server.ValidateResourceTypeConfig(ctx, &tfprotov5.ValidateResourceTypeConfigRequest{TypeName: tfName, Config: dv})
	if err != nil {
		return err
	}
	if e := errorOf(StageValidate, val.Diagnostics); e != nil {
		return e
	}
	prior, err := msgpack.Marshal(cty.NullVal(r.CoreConfigSchema().ImpliedType()), r.CoreConfigSchema().ImpliedType())
	if err != nil {
		return err
	}
	// For a create Terraform proposes the configuration itself as the new state.
	plan, err := p.server.PlanResourceChange(ctx, &tfprotov5.PlanResourceChangeRequest{
		TypeName: tfName, PriorState: &tfprotov5.DynamicValue{MsgPack: prior}, ProposedNewState: dv, Config: dv,
	})
	if err != nil {
		return err
	}
	if e := errorOf(StagePlan, plan.Diagnostics); e != nil {
		return e
	}
	return nil
}

func dynamic(v cty.Value) (*tfprotov5.DynamicValue, error) {
	b, err := msgpack.Marshal(v, v.Type())
	if err != nil {
		return nil, fmt.Errorf("encoding configuration: %w", err)
	}
	return &tfprotov5.DynamicValue{MsgPack: b}, nil
}

func errorOf(stage Stage, diags []*tfprotov5.Diagnostic) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity != tfprotov5.DiagnosticSeverityError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" && d.Detail != d.Summary {
			msg += ": " + d.Detail
		}
		if d.Attribute != nil && len(d.Attribute.Steps()) > 0 {
			msg = fmt.Sprintf("%s (at %s)", msg, d.Attribute.String())
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		return nil
	}
	return &Error{Stage: stage, Diagnostics: msgs}
}

// configureOffline is the provider's configure step (ConfigureDatabricksClient in the provider, which is
// internal) minus authentication: the config attributes are set exactly as the provider sets them, but
// credentials and the HTTP transport refuse every call, so a check that needs the API fails with
// ErrOffline instead of reaching a workspace.
func configureOffline(_ context.Context, d *schema.ResourceData) (any, diag.Diagnostics) {
	cfg := &config.Config{Credentials: offlineCredentials{}, HTTPTransport: offlineTransport{}}
	for _, attr := range config.ConfigAttributes {
		value, ok := d.GetOk(attr.Name)
		if !ok {
			continue
		}
		if attr.Kind == reflect.Slice {
			raw, _ := value.([]any)
			strs := make([]string, len(raw))
			for i, v := range raw {
				strs[i], _ = v.(string)
			}
			value = strs
		}
		if err := attr.Set(cfg, value); err != nil {
			return nil, diag.FromErr(fmt.Errorf("provider attribute %s: %w", attr.Name, err))
		}
	}
	return &common.DatabricksClient{DatabricksClient: &client.DatabricksClient{Config: cfg}}, nil
}

type offlineCredentials struct{}

func (offlineCredentials) Name() string { return "offline" }
func (offlineCredentials) Configure(context.Context, *config.Config) (credentials.CredentialsProvider, error) {
	return nil, ErrOffline
}

type offlineTransport struct{}

func (offlineTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, ErrOffline }
