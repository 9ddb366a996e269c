package access

import (
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// DeployIdentity is the matrix key of the identity that runs `pulumi up`: it owns what it creates.
const DeployIdentity = "deploy-identity"

// directory unifies principals across the layers: every name a layer uses for an identity (object id,
// display name, application id, SQL user) resolves to one key.
type directory struct {
	byKey map[string]*Principal
	alias map[string]string // lower-cased name -> key
}

func newDirectory() *directory {
	return &directory{byKey: map[string]*Principal{}, alias: map[string]string{}}
}

// add records a principal (or merges into the one already known by key or any of the names).
func (d *directory) add(key, kind, objectID string, names ...string) {
	if known, ok := d.lookup(objectID); ok && objectID != "" {
		key = known
	}
	p, ok := d.byKey[key]
	if !ok {
		p = &Principal{Key: key, Kind: kind}
		d.byKey[key] = p
	}
	if p.ObjectID == "" && objectID != "" {
		p.ObjectID = objectID
		d.alias[strings.ToLower(objectID)] = key
	}
	d.alias[strings.ToLower(key)] = key
	for _, n := range names {
		d.name(key, n)
	}
}

// name adds another name for a known key.
func (d *directory) name(key, n string) {
	p, ok := d.byKey[key]
	if !ok || n == "" || n == mocks.Unknown || n == mocks.Masked {
		return
	}
	d.alias[strings.ToLower(n)] = key
	if n == p.Key || n == p.ObjectID {
		return
	}
	for _, have := range p.Names {
		if have == n {
			return
		}
	}
	p.Names = append(p.Names, n)
}

func (d *directory) lookup(name string) (string, bool) {
	k, ok := d.alias[strings.ToLower(name)]
	return k, ok
}

// resolve is the key for any name; a name no layer explains becomes an external principal of its own.
func (d *directory) resolve(name string) string {
	if k, ok := d.lookup(name); ok {
		return k
	}
	d.add(name, "external", "")
	return name
}

func (d *directory) list() []Principal {
	out := make([]Principal, 0, len(d.byKey))
	for _, p := range d.byKey {
		q := *p
		q.Names = append([]string(nil), p.Names...)
		sort.Strings(q.Names)
		out = append(out, q)
	}
	return out
}

// principalsOf builds the directory from the recorded resources and lookups: Entra groups and service
// principals, managed identities, the deploy identity, and the extra names the Databricks and Synapse
// resources give them.
func principalsOf(inv *inventory.Inventory, lookups []mocks.Call) *directory {
	d := newDirectory()
	for _, r := range inv.Resources() {
		switch r.Type {
		case "azuread:index/group:Group":
			oid, _ := r.Out("objectId").(string)
			d.add(inv.Key(r), "group", oid, r.InString("displayName"))
		case "azuread:index/servicePrincipal:ServicePrincipal":
			oid, _ := r.Out("objectId").(string)
			app, _ := r.Out("clientId").(string)
			d.add(inv.Key(r), "service-principal", oid, app, r.InString("clientId"))
		}
		if pid, ok := r.Out("identity.principalId").(string); ok {
			d.add(r.Name, "managed-identity", pid)
		}
	}
	// Principals the program does not create but assigns roles to (the admins group, a first-party app).
	for _, a := range inv.Assignments() {
		d.add(a.Principal.Key, a.Principal.Kind, a.Principal.ID)
	}
	for _, c := range lookups {
		joinLookup(d, c)
	}
	for _, r := range inv.Resources() {
		joinResourceNames(d, r)
	}
	return d
}

// joinLookup adds what an invoke says about an identity: the deploy identity (client config), and
// the application id of a service principal looked up by object id.
func joinLookup(d *directory, c mocks.Call) {
	res := mocks.PlainMap(c.Result, false)
	str := func(k string) string { s, _ := res[k].(string); return s }
	switch {
	case strings.HasSuffix(c.Token, ":getClientConfig"):
		d.add(DeployIdentity, "deploy-identity", str("objectId"), str("clientId"))
	case strings.HasSuffix(c.Token, ":getServicePrincipal"):
		if k, ok := d.lookup(str("objectId")); ok {
			d.name(k, str("clientId"))
			d.name(k, str("applicationId"))
			d.name(k, str("displayName"))
		}
	case strings.HasPrefix(c.Token, "databricks:") && strings.HasSuffix(c.Token, ":getGroup"):
		if k, ok := d.lookup(str("displayName")); ok {
			d.name(k, str("id"))
		}
	}
}

// joinResourceNames adds the names Databricks and Synapse resources give a known principal: a
// workspace group or service principal (its id, its application id), the Synapse Entra admin's login.
func joinResourceNames(d *directory, r mocks.Resource) {
	out := func(k string) string { s, _ := r.Out(k).(string); return s }
	switch r.Type {
	case tDBGroup:
		if k, ok := d.lookup(r.InString("displayName")); ok {
			d.name(k, r.ID)
			d.name(k, out("aclPrincipalId"))
		} else if k, ok := d.lookup(r.InString("externalId")); ok {
			d.name(k, r.InString("displayName"))
			d.name(k, r.ID)
		}
	case tDBSP:
		if k, ok := d.lookup(r.InString("applicationId")); ok {
			d.name(k, r.ID)
			d.name(k, r.InString("displayName"))
		}
	case "azure-native:synapse:WorkspaceAadAdmin":
		if k, ok := d.lookup(r.InString("sid")); ok {
			d.name(k, r.InString("login"))
		}
	}
}
