// Package planview renders an offline run as the plan people read: a resource tree, the RBAC matrix, the
// cross-layer access matrix and the policy summary, as text, JSON or GitHub markdown.
package planview

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/customer-analytics/platform/internal/access"
	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/policy"
)

// Plan is everything a view shows.
type Plan struct {
	Project, Stack string
	Inventory      *inventory.Inventory
	Lookups        []mocks.Call
	Policy         policy.Report
	// Access is the cross-layer access matrix (access.Build); views without it omit the section.
	Access *access.Matrix
}

// ProtectedMark follows a resource registered with pulumi.Protect in the text tree.
const ProtectedMark = "[protected]"

// Counts summarises the plan: custom resources, components and role assignments.
func (p Plan) Counts() (resources, components, assignments int) {
	for _, r := range p.Inventory.Resources() {
		if r.Custom {
			resources++
		} else {
			components++
		}
	}
	return resources, components, len(p.Inventory.Assignments())
}

// Text writes the human-readable plan.
func Text(w io.Writer, p Plan) error {
	res, comps, ras := p.Counts()
	fmt.Fprintf(w, "Offline plan of stack %q (project %s): %d resources in %d components, %d role assignments\n",
		p.Stack, p.Project, res, comps, ras)
	fmt.Fprintln(w, "Nothing was deployed: the program ran under Pulumi mocks; ids and principal ids are stand-ins.")

	fmt.Fprintf(w, "\nResource tree (%s: `pulumi up` refuses to delete it)\n", ProtectedMark)
	children := map[string][]mocks.Resource{}
	for _, r := range p.Inventory.Resources() {
		children[r.Parent] = append(children[r.Parent], r)
	}
	// Registration order varies between runs (resources register concurrently); print by name.
	for _, c := range children {
		sort.SliceStable(c, func(i, j int) bool { return c[i].Name < c[j].Name })
	}
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		for _, r := range children[parent] {
			label := r.Type
			if r.Custom {
				label = fmt.Sprintf("%-45s %s", shortType(r.Type), azureName(r))
			}
			if r.Protected() {
				label += "  " + ProtectedMark
			}
			fmt.Fprintf(w, "%s%-*s %s\n", indent, 44-len(indent), r.Name, label)
			walk(r.URN, indent+"  ")
		}
	}
	for _, root := range roots(p.Inventory, children) {
		walk(root, "  ")
	}

	fmt.Fprintf(w, "\nRBAC matrix (principal x scope x role)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PRINCIPAL\tKIND\tROLE\tSCOPE")
	for _, a := range p.Inventory.Assignments() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", principalLabel(a.Principal), a.PrincipalType, a.Role.Name, a.ScopeLabel)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p.Access != nil {
		if err := accessText(w, *p.Access); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nPolicy summary: %s\n", summary(p.Policy))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range p.Policy.Results {
		detail := r.Reason
		if r.Status == policy.Fail || r.Status == policy.StaleWaiver {
			detail = strings.Join(r.Findings, "; ")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Status, r.Rule.ID, r.Rule.Title, detail)
	}
	return tw.Flush()
}

// Markdown writes the architecture diagram, the RBAC matrix and the policy summary for a pull-request
// comment.
func Markdown(w io.Writer, p Plan) error {
	res, comps, ras := p.Counts()
	fmt.Fprintf(w, "### Offline plan: `%s`\n\n%d resources in %d components, %d role assignments. Policy: %s.\n\n", p.Stack, res, comps, ras, summary(p.Policy))
	if err := architectureDetails(w, p); err != nil {
		return err
	}
	fmt.Fprintf(w, "<details><summary>RBAC matrix (who gets access to what)</summary>\n\n| Principal | Type | Role | Scope |\n|---|---|---|---|\n")
	for _, a := range p.Inventory.Assignments() {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", principalLabel(a.Principal), a.PrincipalType, a.Role.Name, a.ScopeLabel)
	}
	fmt.Fprint(w, "\n</details>\n\n")
	if p.Access != nil {
		if err := accessMarkdown(w, *p.Access); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "<details><summary>Policy summary</summary>\n\n| Status | Rule | Title | Note |\n|---|---|---|---|\n")
	for _, r := range p.Policy.Results {
		note := r.Reason
		if r.Status == policy.Fail || r.Status == policy.StaleWaiver {
			note = strings.Join(r.Findings, "<br>")
		}
		fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", r.Status, r.Rule.ID, r.Rule.Title, strings.ReplaceAll(note, "|", "\\|"))
	}
	_, err := fmt.Fprintf(w, "\n</details>\n")
	return err
}

// JSON is the machine-readable plan.
type JSON struct {
	Project         string           `json:"project"`
	Stack           string           `json:"stack"`
	Resources       []JSONResource   `json:"resources"`
	Lookups         []JSONLookup     `json:"lookups"`
	RoleAssignments []JSONAssignment `json:"roleAssignments"`
	// AccessMatrix is present when the plan was built with the Synapse scripts (cmd/plan).
	AccessMatrix *JSONAccess `json:"accessMatrix,omitempty"`
	Policy       []JSONRule  `json:"policy"`
}

// JSONResource is one registration with its inputs and mocked outputs; secrets show as "[secret]".
type JSONResource struct {
	URN      string         `json:"urn"`
	Type     string         `json:"type"`
	Name     string         `json:"name"`
	Parent   string         `json:"parent"`
	Provider string         `json:"provider,omitempty"`
	Custom   bool           `json:"custom"`
	ID       string         `json:"id,omitempty"`
	Inputs   map[string]any `json:"inputs"`
	Outputs  map[string]any `json:"outputs"`
	Options  JSONOptions    `json:"options"`
}

// JSONOptions are the resource options the registration carried; every field is always present.
type JSONOptions struct {
	Protect             bool     `json:"protect"`
	RetainOnDelete      bool     `json:"retainOnDelete"`
	IgnoreChanges       []string `json:"ignoreChanges"`
	DeleteBeforeReplace bool     `json:"deleteBeforeReplace"`
	// DependsOn are the explicit pulumi.DependsOn URNs, not the dependencies through inputs.
	DependsOn []string `json:"dependsOn"`
}

func jsonOptions(o mocks.Options) JSONOptions {
	nonNil := func(s []string) []string { return append([]string{}, s...) }
	return JSONOptions{
		Protect: o.Protect, RetainOnDelete: o.RetainOnDelete, IgnoreChanges: nonNil(o.IgnoreChanges),
		DeleteBeforeReplace: o.DeleteBeforeReplace, DependsOn: nonNil(o.DependsOn),
	}
}

// JSONLookup is a data-source lookup the program made (e.g. a first-party service principal) and the
// mocked answer, so principals that are not created by the program can be joined too.
type JSONLookup struct {
	Token  string         `json:"token"`
	Args   map[string]any `json:"args"`
	Result map[string]any `json:"result"`
}

// JSONAssignment is a role assignment joined to its principal and scope.
type JSONAssignment struct {
	Name             string `json:"name"`
	PrincipalID      string `json:"principalId"`
	Principal        string `json:"principal"`
	PrincipalKind    string `json:"principalKind"`
	PrincipalType    string `json:"principalType"`
	Role             string `json:"role"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	Scope            string `json:"scope"`
	ScopeLabel       string `json:"scopeLabel"`
}

// JSONRule is one policy result.
type JSONRule struct {
	ID       string   `json:"id"`
	Source   string   `json:"source"`
	Title    string   `json:"title"`
	Status   string   `json:"status"`
	Findings []string `json:"findings,omitempty"`
	Reason   string   `json:"reason,omitempty"`
}

// ToJSON builds the machine-readable plan.
func ToJSON(p Plan) JSON {
	out := JSON{Project: p.Project, Stack: p.Stack, Resources: []JSONResource{}, Lookups: []JSONLookup{}, RoleAssignments: []JSONAssignment{}}
	for _, c := range p.Lookups {
		out.Lookups = append(out.Lookups, JSONLookup{Token: c.Token, Args: mocks.PlainMap(c.Args, true), Result: mocks.PlainMap(c.Result, true)})
	}
	for _, r := range p.Inventory.Resources() {
		out.Resources = append(out.Resources, JSONResource{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent, Provider: r.Provider, Custom: r.Custom, ID: r.ID,
			Inputs: mocks.PlainMap(r.Inputs, true), Outputs: mocks.PlainMap(r.Outputs, true), Options: jsonOptions(r.Options),
		})
	}
	for _, a := range p.Inventory.Assignments() {
		out.RoleAssignments = append(out.RoleAssignments, JSONAssignment{
			Name: a.Name, PrincipalID: a.Principal.ID, Principal: a.Principal.Key, PrincipalKind: a.Principal.Kind,
			PrincipalType: a.PrincipalType, Role: a.Role.Name, RoleDefinitionID: a.Role.ID, Scope: a.Scope, ScopeLabel: a.ScopeLabel,
		})
	}
	if p.Access != nil {
		m := toJSONAccess(*p.Access)
		out.AccessMatrix = &m
	}
	for _, r := range p.Policy.Results {
		out.Policy = append(out.Policy, JSONRule{ID: r.Rule.ID, Source: r.Rule.Source, Title: r.Rule.Title, Status: string(r.Status), Findings: r.Findings, Reason: r.Reason})
	}
	return out
}

// WriteJSON writes the machine-readable plan, indented.
func WriteJSON(w io.Writer, p Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ToJSON(p))
}

func summary(rep policy.Report) string {
	counts := map[policy.Status]int{}
	for _, r := range rep.Results {
		counts[r.Status]++
	}
	parts := []string{}
	for _, s := range []policy.Status{policy.Pass, policy.Waived, policy.Fail, policy.StaleWaiver, policy.NotApplicable} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

func principalLabel(p inventory.Principal) string {
	if p.Display != "" && p.Display != p.Key {
		return p.Key + " (" + p.Display + ")"
	}
	return p.Key
}

func shortType(t string) string { return strings.TrimPrefix(t, "azure-native:") }

func azureName(r mocks.Resource) string {
	for _, k := range []string{"name", "displayName", "path", "clusterName", "scopeName"} {
		if s, ok := r.Out(k).(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// roots are the parents that are not themselves recorded (the root stack).
func roots(inv *inventory.Inventory, children map[string][]mocks.Resource) []string {
	var out []string
	for parent := range children {
		if _, ok := inv.ByURN(parent); !ok {
			out = append(out, parent)
		}
	}
	sort.Strings(out)
	return out
}
