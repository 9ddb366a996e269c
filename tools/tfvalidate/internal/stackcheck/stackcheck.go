// Package stackcheck validates every Databricks resource of one offline plan: each
// `pulumi:providers:databricks` configuration against the provider schema, then each `databricks:*`
// resource it serves, converted to Terraform names and checked by the provider's own code.
package stackcheck

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/customer-analytics/platform/tools/tfvalidate/internal/bridge"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/check"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/convert"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/planjson"
)

// Pulumi names of the Databricks package and its provider resource.
const (
	packagePrefix = "databricks:"
	providerType  = "pulumi:providers:databricks"
)

// ResourceError is a resource the provider (or the conversion to its names) rejects.
type ResourceError struct {
	URN, Type string
	Err       error
}

func (e ResourceError) Error() string { return fmt.Sprintf("%s (%s): %v", e.URN, e.Type, e.Err) }
func (e ResourceError) Unwrap() error { return e.Err }

// Report is one stack's result.
type Report struct {
	Stack     string
	Providers int            // provider configurations validated
	Validated map[string]int // Terraform resource name -> resources that passed
	Unknowns  []string       // values unknown offline ("[secret]"/"[unknown]"), as urn:path
	Errors    []ResourceError
}

// Total is the number of resources (not providers) that passed.
func (r Report) Total() int {
	n := 0
	for _, c := range r.Validated {
		n += c
	}
	return n
}

// Summary is one line: counts by Terraform type.
func (r Report) Summary() string {
	names := make([]string, 0, len(r.Validated))
	for n := range r.Validated {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, r.Validated[n])
	}
	return fmt.Sprintf("stack %s: %d provider config(s) and %d resources valid (%s); %d value(s) unknown offline, %d error(s)",
		r.Stack, r.Providers, r.Total(), strings.Join(parts, ", "), len(r.Unknowns), len(r.Errors))
}

// Validate checks every Databricks provider and resource of plan.
func Validate(ctx context.Context, meta *bridge.Metadata, plan *planjson.Plan) Report {
	rep := Report{Stack: plan.Stack, Validated: map[string]int{}}
	providers := map[string]*check.Provider{} // provider reference (urn::id) -> configured provider
	for _, r := range plan.Resources {
		if r.Type != providerType {
			continue
		}
		p, unknowns, err := configure(ctx, meta, r)
		rep.Unknowns = append(rep.Unknowns, prefixed(r.URN, unknowns)...)
		if err != nil {
			rep.Errors = append(rep.Errors, ResourceError{URN: r.URN, Type: r.Type, Err: err})
			continue
		}
		rep.Providers++
		providers[r.URN+"::"+r.ID] = p
	}
	for _, r := range plan.Resources {
		if !strings.HasPrefix(r.Type, packagePrefix) {
			continue
		}
		p, ok := providers[r.Provider]
		if !ok {
			rep.Errors = append(rep.Errors, ResourceError{URN: r.URN, Type: r.Type,
				Err: fmt.Errorf("its provider %q is not a valid explicit %s in the plan (the default provider's configuration is not recorded)", r.Provider, providerType)})
			continue
		}
		tfName, unknowns, err := resource(ctx, meta, p, r)
		rep.Unknowns = append(rep.Unknowns, prefixed(r.URN, unknowns)...)
		if err != nil {
			rep.Errors = append(rep.Errors, ResourceError{URN: r.URN, Type: r.Type, Err: err})
			continue
		}
		rep.Validated[tfName]++
	}
	return rep
}

func configure(ctx context.Context, meta *bridge.Metadata, r planjson.Resource) (*check.Provider, []string, error) {
	p := check.New()
	conv, err := convert.Provider(meta, p.ConfigSchema(), p.ConfigType(), r.Inputs)
	if err != nil {
		return nil, nil, fmt.Errorf("converting provider config: %w", err)
	}
	if err := p.Configure(ctx, conv.Value); err != nil {
		return nil, conv.Unknowns, err
	}
	return p, conv.Unknowns, nil
}

func resource(ctx context.Context, meta *bridge.Metadata, p *check.Provider, r planjson.Resource) (string, []string, error) {
	tfName, served, err := meta.Resource(r.Type)
	if err != nil {
		return "", nil, err
	}
	if served != bridge.SDKv2 {
		return "", nil, fmt.Errorf("%s is served by the provider's plugin-framework half, which this tool cannot load (only SDKv2 resources are public packages)", tfName)
	}
	res, ok := p.Resource(tfName)
	if !ok {
		return "", nil, fmt.Errorf("%s is not among the SDKv2 resources of the provider version this tool builds", tfName)
	}
	conv, err := convert.Resource(meta, r.Type, tfName, res, r.Inputs)
	if err != nil {
		return "", nil, fmt.Errorf("converting to %s: %w", tfName, err)
	}
	if err := p.Validate(ctx, tfName, conv.Value); err != nil {
		return "", conv.Unknowns, fmt.Errorf("%s: %w", tfName, err)
	}
	return tfName, conv.Unknowns, nil
}

func prefixed(urn string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = urn + ":" + p
	}
	return out
}
