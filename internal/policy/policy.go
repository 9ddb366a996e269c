// Package policy evaluates the platform's security rules over the resource inputs a mocked run records.
// Each rule carries the id of the public rule it mirrors (checkov CKV_*, PSRule Azure.*) or a platform
// id (CA.*) for the platform's own invariants. The offline plan prints the report; the tests require
// prod to pass every rule and dev to fail only the rules its config waives, with a reason.
package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// Rule is one policy rule.
type Rule struct {
	ID     string
	Source string // "checkov", "PSRule" or "platform"
	Title  string
	// check returns whether the rule applies (its resources exist) and what violates it.
	check func(inv *inventory.Inventory) (applies bool, findings []string)
}

// Status of a rule in a report.
type Status string

// Statuses.
const (
	Pass          Status = "pass"
	Fail          Status = "FAIL"
	Waived        Status = "waived"
	StaleWaiver   Status = "STALE-WAIVER" // an exception for a rule that passes: remove it
	NotApplicable Status = "n/a"
)

// Result is one rule's outcome.
type Result struct {
	Rule     Rule
	Status   Status
	Findings []string
	Reason   string // the exception's reason when waived
}

// Report is the outcome of every rule, in rule order.
type Report struct{ Results []Result }

// Violations are the results that must stop a deployment: failures without an exception, and
// exceptions that no longer waive anything.
func (r Report) Violations() []Result {
	var out []Result
	for _, res := range r.Results {
		if res.Status == Fail || res.Status == StaleWaiver {
			out = append(out, res)
		}
	}
	return out
}

// ByStatus returns the ids of the rules with the given status.
func (r Report) ByStatus(s Status) []string {
	var out []string
	for _, res := range r.Results {
		if res.Status == s {
			out = append(out, res.Rule.ID)
		}
	}
	return out
}

// Evaluate runs every rule. exceptions maps rule ids to the reason a failure is accepted.
func Evaluate(inv *inventory.Inventory, exceptions map[string]string) Report {
	var rep Report
	for _, rule := range registry {
		applies, findings := rule.check(inv)
		res := Result{Rule: rule, Findings: findings}
		reason, waived := exceptions[rule.ID]
		switch {
		case !applies:
			res.Status = NotApplicable
		case len(findings) > 0 && waived:
			res.Status, res.Reason = Waived, reason
		case len(findings) > 0:
			res.Status = Fail
		case waived:
			res.Status, res.Reason = StaleWaiver, reason
		default:
			res.Status = Pass
		}
		rep.Results = append(rep.Results, res)
	}
	return rep
}

// Lookup finds a rule by id.
func Lookup(id string) (Rule, bool) {
	for _, r := range registry {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// IDs lists every rule id, sorted.
func IDs() []string {
	ids := make([]string, len(registry))
	for i, r := range registry {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return ids
}

// Rules returns the registry in evaluation order.
func Rules() []Rule { return append([]Rule(nil), registry...) }

// registry is filled by the rule files' init functions, in file order.
var registry []Rule

// register adds rules; the package tests keep ids unique.
func register(rules ...Rule) { registry = append(registry, rules...) }

// eachOfType applies a per-resource check to every resource of a type.
func eachOfType(token string, check func(inv *inventory.Inventory, r mocks.Resource) []string) func(*inventory.Inventory) (bool, []string) {
	return func(inv *inventory.Inventory) (bool, []string) {
		rs := inv.OfType(token)
		var findings []string
		for _, r := range rs {
			findings = append(findings, check(inv, r)...)
		}
		return len(rs) > 0, findings
	}
}

// eachOfTypes is eachOfType over several tokens (one resource type under several API versions).
func eachOfTypes(tokens []string, check func(inv *inventory.Inventory, r mocks.Resource) []string) func(*inventory.Inventory) (bool, []string) {
	return func(inv *inventory.Inventory) (bool, []string) {
		applies, findings := false, []string(nil)
		for _, token := range tokens {
			a, f := eachOfType(token, check)(inv)
			applies, findings = applies || a, append(findings, f...)
		}
		return applies, findings
	}
}

// expect returns a finding when a resource's input at path is not want.
func expect(r mocks.Resource, path string, want any) []string {
	got := r.In(path)
	if fmt.Sprint(got) != fmt.Sprint(want) || got == nil {
		return []string{fmt.Sprintf("%s: %s is %v, want %v", inventory.DisplayName(r), path, printable(got), want)}
	}
	return nil
}

func printable(v any) any {
	if v == nil {
		return "unset"
	}
	return v
}

// sameID compares ARM ids case-insensitively.
func sameID(a, b string) bool { return strings.EqualFold(a, b) }
