// Package mocks is the recording Pulumi mock monitor shared by the unit tests and the offline plan. It
// records every registration (inputs, parent, provider), echoes inputs as state and fills the outputs a
// real provider would compute (ARM ids built from the inputs, principal ids, endpoints), deterministically,
// so that two runs of the program record identical data.
package mocks

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Identity of the fake caller. Fixed values keep every recorded input stable across runs.
const (
	SubscriptionID   = "00000000-0000-0000-0000-00000000a11c"
	TenantID         = "00000000-0000-0000-0000-0000000007e1"
	DeployerObjectID = "00000000-0000-0000-0000-0000000de910"
	DeployerClientID = "00000000-0000-0000-0000-00000000c11e"
)

// Resource is one recorded registration.
type Resource struct {
	URN      string
	Type     string
	Name     string
	Parent   string // parent URN; the root stack's URN for top-level resources
	Provider string // provider reference ("urn::id") when one was set explicitly
	Version  string // plugin version requested by the registration
	Custom   bool
	ID       string
	Inputs   resource.PropertyMap
	Outputs  resource.PropertyMap
	// DependsOn are the URNs the resource was registered to wait for (explicit and from its inputs).
	DependsOn []string
	// Options are the resource options the registration carried (protect, ignoreChanges, …).
	Options Options
}

// Options are the resource options of one registration that change how the engine treats the resource
// after it exists, as the program sent them to the engine.
type Options struct {
	// Protect: the engine refuses to delete (or replace) the resource. Inherited from the parent when the
	// resource does not set it, as the SDK does.
	Protect bool
	// RetainOnDelete: the engine forgets the resource instead of deleting it in Azure.
	RetainOnDelete bool
	// IgnoreChanges are the input paths whose differences the engine ignores on update.
	IgnoreChanges []string
	// DeleteBeforeReplace: a replacement deletes the old resource first.
	DeleteBeforeReplace bool
	// DependsOn are the explicit pulumi.DependsOn URNs (a component expands to its children): the
	// dependencies that no input explains.
	DependsOn []string
}

// Protected reports whether the engine refuses to delete the resource.
func (r Resource) Protected() bool { return r.Options.Protect }

// RetainedOnDelete reports whether deleting the resource only removes it from the state.
func (r Resource) RetainedOnDelete() bool { return r.Options.RetainOnDelete }

// IgnoresChanges reports whether the registration ignores changes to the input path (exactly as
// written in ignoreChanges, e.g. "accessPolicies" or "properties.value").
func (r Resource) IgnoresChanges(path string) bool {
	for _, p := range r.Options.IgnoreChanges {
		if p == path {
			return true
		}
	}
	return false
}

// ExplicitDependsOn are the URNs the resource waits for through pulumi.DependsOn.
func (r Resource) ExplicitDependsOn() []string { return r.Options.DependsOn }

// Recorder implements pulumi.MockResourceMonitor.
type Recorder struct {
	project, stack string

	mu           sync.Mutex
	resources    []Resource
	outputsCalls int
	calls        []Call
}

// Call is one recorded invoke (a data-source lookup) and the answer the mocks gave.
type Call struct {
	Token  string
	Args   resource.PropertyMap
	Result resource.PropertyMap
}

// New returns a Recorder for one run of the program as project/stack.
func New(project, stack string) *Recorder {
	return &Recorder{project: project, stack: stack}
}

// Option is the pulumi.RunOption that installs the recorder.
func (r *Recorder) Option() pulumi.RunOption { return pulumi.WithMocks(r.project, r.stack, r) }

// Resources returns the recorded registrations in registration order.
func (r *Recorder) Resources() []Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Resource(nil), r.resources...)
}

// RegisterResourceOutputsCalls counts the components' RegisterResourceOutputs calls.
func (r *Recorder) RegisterResourceOutputsCalls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outputsCalls
}

// RegisterResourceOutputs is called by the mock monitor for every ctx.RegisterResourceOutputs.
func (r *Recorder) RegisterResourceOutputs() (*emptypb.Empty, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outputsCalls++
	return &emptypb.Empty{}, nil
}

// NewResource records a registration and returns its id and state.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	parent, version := "", ""
	var deps []string
	var opts Options
	if rpc != nil {
		parent = rpc.GetParent()
		version = rpc.GetVersion()
		deps = rpc.GetDependencies()
		opts = optionsOf(rpc)
	}
	rec := Resource{
		URN:       r.urn(parent, args.TypeToken, args.Name),
		Type:      args.TypeToken,
		Name:      args.Name,
		Parent:    parent,
		Provider:  args.Provider,
		Version:   version,
		Custom:    args.Custom,
		Inputs:    args.Inputs.Copy(),
		DependsOn: deps,
		Options:   opts,
	}
	state := args.Inputs.Copy()
	if args.Custom {
		id, err := r.fill(&rec, state)
		if err != nil {
			return "", nil, err
		}
		rec.ID = id
	}
	rec.Outputs = state
	r.mu.Lock()
	r.resources = append(r.resources, rec)
	r.mu.Unlock()
	return rec.ID, state, nil
}

// optionsOf reads the resource options from the registration. The request carries one dependency list
// (explicit DependsOn merged with the inputs' dependencies); the explicit ones are those no input's
// property dependencies name.
func optionsOf(rpc *pulumirpc.RegisterResourceRequest) Options {
	fromInputs := map[string]bool{}
	for _, pd := range rpc.GetPropertyDependencies() {
		for _, urn := range pd.GetUrns() {
			fromInputs[urn] = true
		}
	}
	explicit := []string{}
	for _, urn := range rpc.GetDependencies() {
		if !fromInputs[urn] {
			explicit = append(explicit, urn)
		}
	}
	sort.Strings(explicit)
	return Options{
		Protect:             rpc.GetProtect(),
		RetainOnDelete:      rpc.GetRetainOnDelete(),
		IgnoreChanges:       append([]string{}, rpc.GetIgnoreChanges()...),
		DeleteBeforeReplace: rpc.GetDeleteBeforeReplace(),
		DependsOn:           explicit,
	}
}

// Call answers the invokes the program makes and records them; an unexpected invoke is an error so
// tests notice it.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	result, err := answer(args)
	r.mu.Lock()
	r.calls = append(r.calls, Call{Token: args.Token, Args: args.Args.Copy(), Result: result})
	r.mu.Unlock()
	return result, err
}

// Calls returns the recorded invokes in call order.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

func answer(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch args.Token {
	case "azure-native:authorization:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": DeployerClientID, "objectId": DeployerObjectID,
			"subscriptionId": SubscriptionID, "tenantId": TenantID,
		}), nil
	case "azuread:index/getServicePrincipal:getServicePrincipal":
		clientID, objectID := "", ""
		if v, ok := args.Args["clientId"]; ok && v.IsString() {
			clientID = v.StringValue()
			objectID = StableUUID("service-principal", clientID)
		}
		// By object id (a managed identity's principal id): its application id is derived from it.
		if v, ok := args.Args["objectId"]; ok && v.IsString() {
			objectID = v.StringValue()
			clientID = ClientIDOf(objectID)
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": objectID, "objectId": objectID,
			"clientId": clientID, "displayName": "external service principal " + clientID,
		}), nil
	case "azuread:index/getClientConfig:getClientConfig":
		return resource.NewPropertyMapFromMap(map[string]any{
			"clientId": DeployerClientID, "objectId": DeployerObjectID, "tenantId": TenantID,
		}), nil
	}
	return nil, fmt.Errorf("mocks: no answer for invoke %q", args.Token)
}

// Invokes returns how often each invoke token was called.
func (r *Recorder) Invokes() map[string]int {
	out := map[string]int{}
	for _, c := range r.Calls() {
		out[c.Token]++
	}
	return out
}

func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(typ), name))
}

// ClientIDOf is the application (client) id the mocks give the service principal with this object id
// (a managed identity's principal id).
func ClientIDOf(objectID string) string { return StableUUID("client-of", objectID) }

// StableUUID is a deterministic uuid for a fake object id (principal, workspace, …).
func StableUUID(parts ...string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(strings.Join(parts, "|"))).String()
}

// fill computes the id and the provider-computed outputs of a custom resource.
func (r *Recorder) fill(rec *Resource, state resource.PropertyMap) (string, error) {
	in := rec.Inputs
	str := func(key string) string {
		v, ok := in[resource.PropertyKey(key)]
		if !ok {
			return ""
		}
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set := func(key string, v any) { state[resource.PropertyKey(key)] = resource.NewPropertyValue(v) }

	if strings.HasPrefix(rec.Type, "pulumi:providers:") {
		return StableUUID(rec.URN), nil
	}
	if tmpl, ok := armIDTemplates[rec.Type]; ok {
		id, name, err := armID(tmpl, rec.Name, str)
		if err != nil {
			return "", fmt.Errorf("mocks: %s %q: %w", rec.Type, rec.Name, err)
		}
		set("name", name)
		if _, ok := in["location"]; !ok && !strings.Contains(rec.Type, ":authorization:") {
			set("location", "westeurope")
		}
		fillIdentity(rec, state)
		if extra, ok := armOutputs[rec.Type]; ok {
			extra(rec, name, state)
		}
		return id, nil
	}
	if extra, ok := otherOutputs[rec.Type]; ok {
		return extra(rec, str, state), nil
	}
	if strings.HasPrefix(rec.Type, "databricks:index/") {
		return databricksOutputs(rec, str, state), nil
	}
	return "", fmt.Errorf("mocks: no id rule for resource type %q (add one to armIDTemplates or otherOutputs)", rec.Type)
}

// fillIdentity gives a resource with a system-assigned identity its principal id, as ARM does.
func fillIdentity(rec *Resource, state resource.PropertyMap) {
	idv, ok := rec.Inputs["identity"]
	if !ok || !idv.IsObject() {
		return
	}
	identity := idv.ObjectValue().Copy()
	typ := identity["type"]
	if !typ.IsString() || !strings.Contains(typ.StringValue(), "SystemAssigned") {
		return
	}
	identity["principalId"] = resource.NewProperty(StableUUID("principal", rec.URN))
	identity["tenantId"] = resource.NewProperty(TenantID)
	state["identity"] = resource.NewProperty(identity)
}
