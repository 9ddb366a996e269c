// Package inventory indexes the resources recorded by a mocked run of the program, so policies and the
// plan can join role assignments to the principals and scopes they name.
package inventory

import (
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
)

// Inventory is a read-only index over recorded resources.
type Inventory struct {
	resources []mocks.Resource
	byURN     map[string]int
	byID      map[string]int // lower-cased ARM ids
	principal map[string]Principal
}

// Principal is an identity that can hold roles.
type Principal struct {
	// ID is the object id.
	ID string
	// Key is the owning resource's logical name without its component prefix ("engineers"); for a
	// managed identity the whole logical name ("orchestration-factory", "datalake-access-connector").
	Key string
	// Kind is "group", "service-principal" or "managed-identity".
	Kind string
	// Display is the human name (group display name, resource name).
	Display string
}

// Assignment is one role assignment joined to its principal, role and scope.
type Assignment struct {
	URN           string
	Name          string // the GUID
	Principal     Principal
	PrincipalType string
	Role          roles.Role
	RoleKnown     bool
	Scope         string
	ScopeLabel    string
	Description   string
}

// New indexes resources.
func New(resources []mocks.Resource) *Inventory {
	inv := &Inventory{resources: resources, byURN: map[string]int{}, byID: map[string]int{}, principal: map[string]Principal{}}
	for i, r := range resources {
		inv.byURN[r.URN] = i
		if r.ID != "" {
			inv.byID[strings.ToLower(r.ID)] = i
		}
	}
	for _, r := range resources {
		key := inv.Key(r)
		switch r.Type {
		case "azuread:index/group:Group":
			if oid, ok := r.Out("objectId").(string); ok {
				inv.principal[oid] = Principal{ID: oid, Key: key, Kind: "group", Display: r.InString("displayName")}
			}
		case "azuread:index/servicePrincipal:ServicePrincipal":
			if oid, ok := r.Out("objectId").(string); ok {
				inv.principal[oid] = Principal{ID: oid, Key: key, Kind: "service-principal", Display: key}
			}
		}
		if pid, ok := r.Out("identity.principalId").(string); ok {
			// The logical name ("orchestration-factory") says whose identity it is.
			inv.principal[pid] = Principal{ID: pid, Key: r.Name, Kind: "managed-identity", Display: DisplayName(r)}
		}
	}
	return inv
}

// Resources returns every recorded resource.
func (inv *Inventory) Resources() []mocks.Resource { return inv.resources }

// OfType returns the custom resources of a type token, in registration order.
func (inv *Inventory) OfType(token string) []mocks.Resource {
	var out []mocks.Resource
	for _, r := range inv.resources {
		if r.Type == token {
			out = append(out, r)
		}
	}
	return out
}

// ByID finds a resource by ARM id (case-insensitive).
func (inv *Inventory) ByID(id string) (mocks.Resource, bool) {
	i, ok := inv.byID[strings.ToLower(id)]
	if !ok {
		return mocks.Resource{}, false
	}
	return inv.resources[i], true
}

// ByURN finds a resource by URN.
func (inv *Inventory) ByURN(urn string) (mocks.Resource, bool) {
	i, ok := inv.byURN[urn]
	if !ok {
		return mocks.Resource{}, false
	}
	return inv.resources[i], true
}

// Key is a resource's logical name without its parent component's prefix.
func (inv *Inventory) Key(r mocks.Resource) string {
	if p, ok := inv.ByURN(r.Parent); ok && !p.Custom {
		return strings.TrimPrefix(r.Name, p.Name+"-")
	}
	return r.Name
}

// Principal resolves an object id; unknown ids (e.g. members given in config) come back with Kind "external".
func (inv *Inventory) Principal(id string) Principal {
	if p, ok := inv.principal[id]; ok {
		return p
	}
	return Principal{ID: id, Key: id, Kind: "external", Display: id}
}

// DisplayName is a short human label of a resource: its kind and Azure name.
func DisplayName(r mocks.Resource) string {
	kind := r.Type[strings.LastIndex(r.Type, ":")+1:]
	name, _ := r.Out("name").(string)
	if name == "" {
		name = r.Name
	}
	switch r.Type {
	case "azure-native:storage:BlobContainer":
		return "container " + r.InString("accountName") + "/" + name
	}
	return kind + " " + name
}

// ScopeLabel names the resource an ARM scope refers to.
func (inv *Inventory) ScopeLabel(scope string) string {
	if r, ok := inv.ByID(scope); ok {
		return DisplayName(r)
	}
	return scope
}

// Assignments returns every role assignment joined to principal, role and scope, sorted by principal,
// scope and role.
func (inv *Inventory) Assignments() []Assignment {
	var out []Assignment
	for _, r := range inv.OfType("azure-native:authorization:RoleAssignment") {
		role, known := roles.FromDefinitionID(r.InString("roleDefinitionId"))
		if !known {
			role = roles.Role{Name: r.InString("roleDefinitionId"), ID: r.InString("roleDefinitionId")}
		}
		scope := r.InString("scope")
		principal := inv.Principal(r.InString("principalId"))
		if label, _, ok := strings.Cut(r.InString("description"), ":"); ok && principal.Kind == "external" {
			// A principal the program does not create (a first-party app): its assignment names it.
			principal.Key, principal.Display = label, label
		}
		out = append(out, Assignment{
			URN:           r.URN,
			Name:          r.InString("roleAssignmentName"),
			Principal:     principal,
			PrincipalType: r.InString("principalType"),
			Role:          role,
			RoleKnown:     known,
			Scope:         scope,
			ScopeLabel:    inv.ScopeLabel(scope),
			Description:   r.InString("description"),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Principal.Key != b.Principal.Key {
			return a.Principal.Key < b.Principal.Key
		}
		if a.ScopeLabel != b.ScopeLabel {
			return a.ScopeLabel < b.ScopeLabel
		}
		return a.Role.Name < b.Role.Name
	})
	return out
}
