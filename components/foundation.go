// Package components holds the platform's typed ComponentResources. Each component takes typed Args
// (Inputs and plain config values, never reading config itself), parents every child to itself with a
// name prefixed by its own, and registers its outputs last.
package components

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/internal/naming"
)

// Foundation is what every component shares: where resources go, how they are named and tagged, and
// which tenant/subscription they live in.
type Foundation struct {
	ResourceGroupName pulumi.StringInput
	ResourceGroupID   pulumi.StringInput
	Location          string
	Names             naming.Namer
	Tags              map[string]string
	SubscriptionID    string
	TenantID          string
	// ProtectStateful protects and locks the stateful resources (protection.go).
	ProtectStateful bool
}

func (f Foundation) validate(component string) error {
	var errs []error
	if f.ResourceGroupName == nil {
		errs = append(errs, errors.New("ResourceGroupName is required"))
	}
	if f.ResourceGroupID == nil {
		errs = append(errs, errors.New("ResourceGroupID is required"))
	}
	if f.Location == "" {
		errs = append(errs, errors.New("the Location field is required"))
	}
	if f.SubscriptionID == "" || f.TenantID == "" {
		errs = append(errs, errors.New("SubscriptionID and TenantID are required"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: %w", component, err)
	}
	return nil
}

// tags returns the common tags as a Pulumi map.
func (f Foundation) tags() pulumi.StringMap { return pulumi.ToStringMap(f.Tags) }

// child names a child resource "<component>-<suffix>" so every URN shows its owner.
func child(component, suffix string) string { return component + "-" + suffix }

// requireInputs reports the names of nil required inputs as one error.
func requireInputs(component string, inputs map[string]any) error {
	var missing []string
	for name, v := range inputs {
		if isNil(v) {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("%s: required inputs not set: %s", component, strings.Join(missing, ", "))
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return rv.IsNil()
	}
	return false
}
