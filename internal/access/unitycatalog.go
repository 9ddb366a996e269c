package access

import (
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// Databricks provider tokens of the Unity Catalog securables and grants the matrix reads.
const (
	tUCGrants            = inventory.TypeDatabricksGrants
	tUCGrant             = "databricks:index/grant:Grant"
	tUCCatalog           = "databricks:index/catalog:Catalog"
	tUCSchema            = "databricks:index/schema:Schema"
	tUCTable             = inventory.TypeDatabricksSQLTable
	tUCExternalLocation  = "databricks:index/externalLocation:ExternalLocation"
	tUCStorageCredential = inventory.TypeDatabricksStorageCredential
)

// privilegeLevels classify Unity Catalog privileges
// (https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/manage-privileges/privileges);
// one not listed counts as Manage.
var privilegeLevels = map[string]Level{
	"BROWSE":                   View,
	"USE CATALOG":              Use,
	"USE SCHEMA":               Use,
	"USE CONNECTION":           Use,
	"SELECT":                   Read,
	"READ FILES":               Read,
	"READ VOLUME":              Read,
	"EXECUTE":                  Run,
	"MODIFY":                   Write,
	"WRITE FILES":              Write,
	"WRITE VOLUME":             Write,
	"REFRESH":                  Write,
	"CREATE TABLE":             Write,
	"CREATE EXTERNAL TABLE":    Write,
	"CREATE EXTERNAL VOLUME":   Write,
	"CREATE VOLUME":            Write,
	"CREATE FUNCTION":          Write,
	"CREATE MATERIALIZED VIEW": Write,
	"CREATE MODEL":             Write,
	"CREATE SCHEMA":            Write,
	"CREATE MANAGED STORAGE":   Write,
}

// gates are the privileges that open nothing below the securable by themselves: on a catalog they sit
// on the platform row instead of being inherited by every layer.
var gates = map[string]bool{"BROWSE": true, "USE CATALOG": true}

// securable is a Unity Catalog object as the matrix labels and places it.
type securable struct {
	label  string
	layers []Layer
}

// ucGrants places every Unity Catalog grant, and the ownership the deploy identity (or an explicit
// owner) holds over the securables the program creates.
func ucGrants(inv *inventory.Inventory, d *directory) []grant {
	locs := externalLocationLayers(inv)
	var out []grant
	for _, r := range inv.Resources() {
		switch r.Type {
		case tUCGrants:
			s := securableOf(r, locs)
			for _, g := range asList(r.In("grants")) {
				m, _ := g.(map[string]any)
				p, _ := m["principal"].(string)
				out = append(out, privilegeGrants(d.resolve(p), s, asStrings(m["privileges"]))...)
			}
		case tUCGrant:
			out = append(out, privilegeGrants(d.resolve(r.InString("principal")), securableOf(r, locs), asStrings(r.In("privileges")))...)
		case tUCCatalog, tUCSchema, tUCTable, tUCExternalLocation, tUCStorageCredential:
			owner := r.InString("owner")
			if owner == "" {
				owner = DeployIdentity
			}
			s := ownedSecurable(r, locs)
			for _, l := range s.layers {
				out = append(out, grant{d.resolve(owner), l, UnityCatalog, Entry{What: "OWNER", On: s.label, Via: "creates it", Level: Manage}})
			}
		}
	}
	return out
}

func privilegeGrants(key string, s securable, privileges []string) []grant {
	var out []grant
	for _, p := range privileges {
		p = strings.ToUpper(strings.ReplaceAll(p, "_", " "))
		level, ok := privilegeLevels[p]
		if !ok {
			level = Manage
		}
		layers := s.layers
		if gates[p] && strings.HasPrefix(s.label, "catalog ") {
			layers = []Layer{Platform}
		}
		for _, l := range layers {
			out = append(out, grant{key, l, UnityCatalog, Entry{What: p, On: s.label, Level: level}})
		}
	}
	return out
}

// securableOf names the object a grants resource is about and the rows it reaches: a catalog every
// lake layer (privileges granted on it are inherited by its schemas and tables), a schema or a
// table (catalog.schema.table) the layer of its schema, an external location the layer of its
// container, a storage credential or the metastore the platform.
func securableOf(r mocks.Resource, locs map[string]Layer) securable {
	switch {
	case r.InString("table") != "":
		return tableSecurable("table", r.InString("table"))
	case r.InString("view") != "":
		return tableSecurable("view", r.InString("view"))
	case r.InString("volume") != "":
		return tableSecurable("volume", r.InString("volume"))
	case r.InString("schema") != "":
		name := r.InString("schema")
		return securable{"schema " + name, []Layer{layerOfName(lastPart(name))}}
	case r.InString("catalog") != "":
		return securable{"catalog " + r.InString("catalog"), lakeLayers}
	case r.InString("externalLocation") != "":
		name := r.InString("externalLocation")
		return securable{"external location " + name, []Layer{locationLayer(locs, name)}}
	case r.InString("storageCredential") != "":
		return securable{"storage credential " + r.InString("storageCredential"), []Layer{Platform}}
	case r.InString("metastore") != "":
		return securable{"metastore", []Layer{Platform}}
	}
	return securable{"unknown securable " + r.Name, Layers}
}

// ownedSecurable is a securable resource the program creates, for its owner.
func ownedSecurable(r mocks.Resource, locs map[string]Layer) securable {
	name := r.InString("name")
	switch r.Type {
	case tUCCatalog:
		return securable{"catalog " + name, lakeLayers}
	case tUCSchema:
		return securable{"schema " + r.InString("catalogName") + "." + name, []Layer{layerOfName(name)}}
	case tUCTable:
		return tableSecurable("table", r.InString("catalogName")+"."+r.InString("schemaName")+"."+name)
	case tUCExternalLocation:
		return securable{"external location " + name, []Layer{locationLayer(locs, name)}}
	}
	return securable{"storage credential " + name, []Layer{Platform}}
}

// tableSecurable labels a three-part name by its schema and table ("table gold.store_performance")
// and places it on its schema's layer.
func tableSecurable(kind, full string) securable {
	parts := strings.Split(full, ".")
	if len(parts) < 2 {
		return securable{kind + " " + full, Layers}
	}
	schema := parts[len(parts)-2]
	return securable{kind + " " + schema + "." + parts[len(parts)-1], []Layer{layerOfName(schema)}}
}

// externalLocationLayers maps each external location the program creates to the layer of its
// container (abfss://<container>@<account>.dfs.core.windows.net/...).
func externalLocationLayers(inv *inventory.Inventory) map[string]Layer {
	out := map[string]Layer{}
	for _, r := range inv.OfType(tUCExternalLocation) {
		container, _, _ := strings.Cut(strings.TrimPrefix(r.InString("url"), "abfss://"), "@")
		out[r.InString("name")] = layerOfName(container)
	}
	return out
}

func locationLayer(locs map[string]Layer, name string) Layer {
	if l, ok := locs[name]; ok {
		return l
	}
	return Platform
}

func lastPart(name string) string { return name[strings.LastIndex(name, ".")+1:] }

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func asStrings(v any) []string {
	var out []string
	for _, e := range asList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
