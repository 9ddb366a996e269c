// Package access is the cross-layer access matrix: who can do what to each medallion layer, through
// every layer of control the platform uses (Azure RBAC, Unity Catalog grants, Databricks object
// permissions and the Synapse serverless SQL grants), with each principal recognised under all the
// names those layers use for it (an Entra object id, a display name, an application id).
package access

import (
	"fmt"
	"sort"
	"strings"
)

// Layer is a row dimension of the matrix: a medallion layer, or the platform around it.
type Layer string

// The lake layers and the platform row (services, compute, workspaces: nothing inside one layer).
const (
	Bronze   Layer = "bronze"
	Silver   Layer = "silver"
	Gold     Layer = "gold"
	Platform Layer = "platform"
)

// Layers are the rows of each principal, in order.
var Layers = []Layer{Bronze, Silver, Gold, Platform}

// lakeLayers are the medallion layers a lake-wide grant reaches.
var lakeLayers = []Layer{Bronze, Silver, Gold}

// layerOfName is the lake layer a container or schema name stands for; other names are the platform.
func layerOfName(name string) Layer {
	switch Layer(strings.ToLower(name)) {
	case Bronze:
		return Bronze
	case Silver:
		return Silver
	case Gold:
		return Gold
	}
	return Platform
}

// Control is a column of the matrix: the system that enforces a grant.
type Control string

// The layers of control, in column order.
const (
	AzureRBAC    Control = "Azure RBAC"
	UnityCatalog Control = "Unity Catalog"
	Databricks   Control = "Databricks permissions"
	SynapseSQL   Control = "Synapse SQL"
)

// Controls are the columns, in order.
var Controls = []Control{AzureRBAC, UnityCatalog, Databricks, SynapseSQL}

// Level classifies what a grant allows, from the least to the most.
type Level int

// Levels of access. View sees metadata only; Use is a gate that opens nothing by itself (USE
// CATALOG, workspace access, REFERENCES on a credential); Read reads data or secrets; Run executes
// code or compute; Write changes data; Manage changes the object or who may use it.
const (
	View Level = iota
	Use
	Read
	Run
	Write
	Manage
)

var levelNames = []string{"view", "use", "read", "run", "write", "manage"}

func (l Level) String() string {
	if l < View || l > Manage {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// Entry is one grant in a cell: what is granted, on what, and how much it allows.
type Entry struct {
	// What is the role, privilege or permission level as the control names it ("Storage Blob Data
	// Reader", "SELECT", "CAN_MANAGE").
	What string
	// On is the object, labelled for people ("container stcadev/gold", "table gold.store_performance").
	On string
	// Via is how the principal holds it when not directly (a SQL role, ownership of what it created).
	Via   string
	Level Level
}

func (e Entry) String() string {
	s := e.What + " @ " + e.On
	if e.Via != "" {
		s += " (" + e.Via + ")"
	}
	return s
}

// Principal is one identity under all its names.
type Principal struct {
	// Key is the name the matrix uses ("analysts", "orchestration-factory").
	Key string `json:"key"`
	// Kind is "group", "service-principal", "managed-identity", "deploy-identity" or "external".
	Kind string `json:"kind"`
	// ObjectID is the Entra object (or managed-identity principal) id, when known.
	ObjectID string `json:"objectId,omitempty"`
	// Names are the other names the layers use: display names, application ids, SQL user names.
	Names []string `json:"names"`
}

// Row is one principal on one layer: its entries per control.
type Row struct {
	Principal string
	Layer     Layer
	Cells     map[Control][]Entry
}

// Matrix is the whole access view: one row per principal and layer that holds anything.
type Matrix struct {
	Principals []Principal
	Rows       []Row
}

// Row returns the row of a principal on a layer (empty cells when it holds nothing there).
func (m Matrix) Row(principal string, layer Layer) Row {
	for _, r := range m.Rows {
		if r.Principal == principal && r.Layer == layer {
			return r
		}
	}
	return Row{Principal: principal, Layer: layer, Cells: map[Control][]Entry{}}
}

// grant is one entry before it is placed in the matrix.
type grant struct {
	principal string
	layer     Layer
	control   Control
	entry     Entry
}

// assemble sorts grants into rows (principals in key order, layers in Layers order, entries sorted and
// de-duplicated within a cell).
func assemble(principals []Principal, grants []grant) Matrix {
	rows := map[string]*Row{}
	for _, g := range grants {
		k := g.principal + "\x00" + string(g.layer)
		r, ok := rows[k]
		if !ok {
			r = &Row{Principal: g.principal, Layer: g.layer, Cells: map[Control][]Entry{}}
			rows[k] = r
		}
		r.Cells[g.control] = append(r.Cells[g.control], g.entry)
	}
	m := Matrix{Principals: principals}
	for _, r := range rows {
		for c, es := range r.Cells {
			r.Cells[c] = uniqueEntries(es)
		}
		m.Rows = append(m.Rows, *r)
	}
	order := map[Layer]int{}
	for i, l := range Layers {
		order[l] = i
	}
	sort.Slice(m.Rows, func(i, j int) bool {
		a, b := m.Rows[i], m.Rows[j]
		if a.Principal != b.Principal {
			return a.Principal < b.Principal
		}
		return order[a.Layer] < order[b.Layer]
	})
	sort.Slice(m.Principals, func(i, j int) bool { return m.Principals[i].Key < m.Principals[j].Key })
	return m
}

func uniqueEntries(es []Entry) []Entry {
	sort.Slice(es, func(i, j int) bool { return es[i].String() < es[j].String() })
	out := es[:0]
	for i, e := range es {
		if i == 0 || e != es[i-1] {
			out = append(out, e)
		}
	}
	return out
}
