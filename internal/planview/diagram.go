package planview

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// The diagram is drawn from the recorded plan, never from a fixed picture: services are the recorded
// resources of these types, data flow is the data-plane role assignments between them, private
// endpoints are the recorded endpoints and the identity on each edge is the assignment's principal.
const (
	tStorageAccount  = "azure-native:storage:StorageAccount"
	tContainer       = "azure-native:storage:BlobContainer"
	tFactory         = "azure-native:datafactory:Factory"
	tDatabricks      = "azure-native:databricks:Workspace"
	tAccessConnector = "azure-native:databricks:AccessConnector"
	tCluster         = "databricks:index/cluster:Cluster"
	tCatalog         = "databricks:index/catalog:Catalog"
	tSynapse         = "azure-native:synapse:Workspace"
	tVault           = "azure-native:keyvault:Vault"
	tLogs            = "azure-native:operationalinsights:Workspace"
	tPrivateEndpoint = "azure-native:network:PrivateEndpoint"
	tManagedPE       = "azure-native:datafactory:ManagedPrivateEndpoint"
	tDiagnostic      = "azure-native:insights:DiagnosticSetting"
	tWorkbook        = "azure-native:insights:Workbook"
)

// services are drawn in data-flow order: lake, factory, Databricks, Synapse; then secrets and logs.
var services = []struct{ token, kind string }{
	{tStorageAccount, "Storage account"},
	{tFactory, "Data Factory"},
	{tDatabricks, "Databricks"},
	{tSynapse, "Synapse"},
	{tVault, "Key Vault"},
	{tLogs, "Log Analytics"},
}

// alertTypes are the resources counted as alert rules on the Log Analytics node.
var alertTypes = []string{
	"azure-native:insights:MetricAlert", "azure-native:insights:ScheduledQueryRule",
	"azure-native:insights/v20250101preview:ScheduledQueryRule", "azure-native:consumption:Budget",
}

type diagram struct {
	inv   *inventory.Inventory
	lines []string
	node  map[string]string // lower-cased ARM id -> node id
	edges map[string]bool
}

// Mermaid writes the plan as a Mermaid flowchart: the services, the data flow between them (who reads
// and writes what, with which identity), private endpoints and where logs go.
func Mermaid(w io.Writer, p Plan) error {
	d := &diagram{inv: p.Inventory, node: map[string]string{}, edges: map[string]bool{}}
	d.add("flowchart LR")
	d.services()
	d.privateEndpoints()
	d.dataFlow()
	d.logs()
	_, err := io.WriteString(w, strings.Join(d.lines, "\n")+"\n")
	return err
}

func (d *diagram) add(format string, args ...any) {
	d.lines = append(d.lines, fmt.Sprintf(format, args...))
}

func (d *diagram) edge(format string, args ...any) {
	e := fmt.Sprintf(format, args...)
	if !d.edges[e] {
		d.edges[e] = true
		d.add("  %s", e)
	}
}

// byName returns the resources of a type sorted by logical name, so output is stable between runs.
func (d *diagram) byName(token string) []mocks.Resource {
	rs := d.inv.OfType(token)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Name < rs[j].Name })
	return rs
}

func (d *diagram) services() {
	for _, s := range services {
		for _, r := range d.byName(s.token) {
			id := nodeID(r.Name)
			d.node[strings.ToLower(r.ID)] = id
			label := s.kind + "<br/>" + azureName(r) + exposure(r)
			if s.token != tStorageAccount {
				d.add("  %s[%s]", id, quote(label+d.extra(r)))
				continue
			}
			// The lake: one subgraph per account with its containers (medallion layers).
			d.add("  subgraph %s[%s]", id, quote(label))
			for _, c := range d.byName(tContainer) {
				if c.InString("accountName") == azureName(r) {
					cid := nodeID(c.Name)
					d.node[strings.ToLower(c.ID)] = cid
					d.add("    %s[(%s)]", cid, quote(c.InString("containerName")))
				}
			}
			d.add("  end")
		}
	}
}

// extra adds what a service runs: clusters in Databricks, the workbook and alert rules in Log Analytics.
func (d *diagram) extra(r mocks.Resource) string {
	switch r.Type {
	case tDatabricks:
		var names []string
		for _, c := range d.byName(tCluster) {
			names = append(names, "cluster "+c.InString("clusterName"))
		}
		for _, c := range d.byName(tCatalog) {
			names = append(names, "Unity Catalog: catalog "+c.InString("name"))
		}
		return prefixed(names)
	case tLogs:
		n := 0
		for _, t := range alertTypes {
			n += len(d.inv.OfType(t))
		}
		parts := []string{fmt.Sprintf("%d alert rules and budgets", n)}
		if wb := len(d.inv.OfType(tWorkbook)); wb > 0 {
			parts = append(parts, fmt.Sprintf("%d workbook", wb))
		}
		return prefixed(parts)
	}
	return ""
}

// privateEndpoints draws the VNet's private endpoints next to their targets, and Data Factory's managed
// private endpoints as edges from the factory.
func (d *diagram) privateEndpoints() {
	pes := d.byName(tPrivateEndpoint)
	if len(pes) > 0 {
		d.add("  subgraph private_endpoints[%s]", quote("VNet private endpoints"))
		for _, pe := range pes {
			d.add("    %s{{%s}}", nodeID(pe.Name), quote("PE "+first(pe.In("privateLinkServiceConnections"), "groupIds")))
		}
		d.add("  end")
		for _, pe := range pes {
			if target, ok := d.target(first(pe.In("privateLinkServiceConnections"), "privateLinkServiceId")); ok {
				d.edge("%s -.- %s", nodeID(pe.Name), target)
			}
		}
	}
	for _, m := range d.byName(tManagedPE) {
		owner, okOwner := d.ownerFactory(m)
		target, okTarget := d.target(m.InString("properties.privateLinkResourceId"))
		if okOwner && okTarget {
			d.edge("%s -.->|%s| %s", owner, quote("managed PE "+m.InString("properties.groupId")), target)
		}
	}
}

// dataFlow draws each data-plane role assignment between drawn nodes: readers pull from the scope,
// everyone else acts on it. The edge names the role and the identity that holds it.
func (d *diagram) dataFlow() {
	groups := map[string]bool{}
	for _, a := range d.inv.Assignments() {
		scope, ok := d.target(a.Scope)
		if !ok {
			continue
		}
		principal, who := d.principal(a.Principal)
		reader := readsOnly(a.Role.Name)
		switch {
		case principal == "" && a.Principal.Kind == "group" && reader && strings.Contains(a.Role.Name, "Data"):
			// People appear where they read data (analysts); admin and engineering roles are not data flow.
			principal = nodeID("group-" + a.Principal.Key)
			if !groups[principal] {
				groups[principal] = true
				d.add("  %s([%s])", principal, quote(a.Principal.Key+" group"))
			}
		case principal == "" || principal == scope:
			continue
		}
		label := quote(a.Role.Name + " · " + who)
		if reader {
			d.edge("%s -->|%s| %s", scope, label, principal)
		} else {
			d.edge("%s -->|%s| %s", principal, label, scope)
		}
	}
	d.analystsThroughSynapse(groups)
}

// analystsThroughSynapse: serverless SQL reads gold with the querying analyst's own Entra identity, so
// a group that reads a container Synapse also reads is served by Synapse's views.
func (d *diagram) analystsThroughSynapse(groups map[string]bool) {
	for _, s := range d.byName(tSynapse) {
		syn := d.node[strings.ToLower(s.ID)]
		for _, a := range d.inv.Assignments() {
			grp := nodeID("group-" + a.Principal.Key)
			if !groups[grp] || !readsOnly(a.Role.Name) {
				continue
			}
			for _, b := range d.inv.Assignments() {
				if b.Principal.ID == s.Out("identity.principalId") && sameScope(a.Scope, b.Scope) {
					d.edge("%s ==>|%s| %s", syn, quote("serverless SQL views"), grp)
				}
			}
		}
	}
}

// logs draws where each service's diagnostic setting sends its logs.
func (d *diagram) logs() {
	for _, ds := range d.byName(tDiagnostic) {
		uri := strings.TrimSuffix(strings.ToLower(ds.InString("resourceUri")), "/blobservices/default")
		src, okSrc := d.node[uri]
		dst, okDst := d.node[strings.ToLower(ds.InString("workspaceId"))]
		if okSrc && okDst {
			d.edge("%s -.->|logs| %s", src, dst)
		}
	}
}

// principal resolves an assignee to a drawn node and a label: a managed identity is its resource (an
// access connector's is drawn at the Databricks workspace, whose Unity Catalog uses it); a service
// principal is drawn at the service its key names ("databricks-sp" runs Databricks).
func (d *diagram) principal(p inventory.Principal) (node, label string) {
	switch p.Kind {
	case "managed-identity":
		if r, ok := d.byLogicalName(p.Key); ok && r.Type == tAccessConnector {
			for _, ws := range d.byName(tDatabricks) {
				return d.node[strings.ToLower(ws.ID)], "Unity Catalog access connector"
			}
		}
		if r, ok := d.byLogicalName(p.Key); ok {
			return d.node[strings.ToLower(r.ID)], p.Key + " system identity"
		}
	case "service-principal":
		service, _, _ := strings.Cut(p.Key, "-")
		for _, s := range services {
			if module(s.token) == service {
				for _, r := range d.byName(s.token) {
					return d.node[strings.ToLower(r.ID)], "service principal " + p.Key
				}
			}
		}
	}
	return "", p.Key
}

func (d *diagram) byLogicalName(name string) (mocks.Resource, bool) {
	for _, r := range d.inv.Resources() {
		if r.Name == name && r.Custom {
			return r, true
		}
	}
	return mocks.Resource{}, false
}

// target is the drawn node of an ARM id (a service or a container).
func (d *diagram) target(id string) (string, bool) {
	n, ok := d.node[strings.ToLower(id)]
	return n, ok
}

// ownerFactory is the factory node a managed private endpoint belongs to.
func (d *diagram) ownerFactory(m mocks.Resource) (string, bool) {
	for _, f := range d.byName(tFactory) {
		if f.InString("factoryName") == m.InString("factoryName") {
			return d.target(f.ID)
		}
	}
	return "", false
}

// readsOnly: data flows from the scope to the holder of a reader or secrets-user role.
func readsOnly(role string) bool {
	return strings.Contains(role, "Reader") || strings.HasSuffix(role, "Secrets User")
}

// exposure says how a service is reached from outside when the plan sets it: its public endpoint and,
// when that is open, whether a firewall denies by default.
func exposure(r mocks.Resource) string {
	for _, prefix := range []string{"", "properties."} {
		v := r.InString(prefix + "publicNetworkAccess")
		if v == "" {
			continue
		}
		out := "<br/>public network access: " + v
		for _, acl := range []string{"networkRuleSet.defaultAction", "networkAcls.defaultAction"} {
			if r.InString(prefix+acl) == "Deny" && v == "Enabled" {
				out += " (firewall: deny by default)"
			}
		}
		return out
	}
	return ""
}

func prefixed(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return "<br/>" + strings.Join(parts, "<br/>")
}

// first reads key of the first object in a list input (an endpoint's first connection).
func first(list any, key string) string {
	items, _ := list.([]any)
	if len(items) == 0 {
		return ""
	}
	m, _ := items[0].(map[string]any)
	switch v := m[key].(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			return fmt.Sprint(v[0])
		}
	}
	return ""
}

func sameScope(a, b string) bool { return strings.EqualFold(a, b) }

// module is the provider module of a type token ("azure-native:databricks:Workspace" -> "databricks").
func module(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) < 3 {
		return ""
	}
	return strings.Split(parts[1], "/")[0]
}

var nonID = regexp.MustCompile(`[^A-Za-z0-9_]`)

// nodeID turns a logical name into a Mermaid node id.
func nodeID(name string) string { return "n_" + nonID.ReplaceAllString(name, "_") }

// quote makes a Mermaid label: always quoted, with quotes escaped as an entity.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, "#quot;") + `"` }
