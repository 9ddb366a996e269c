package planview

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/customer-analytics/platform/internal/access"
)

// accessTitle heads the cross-layer matrix in every view.
const accessTitle = "Access matrix: who can do what to each layer, across Azure RBAC, Unity Catalog, Databricks permissions and Synapse SQL"

// accessText writes the matrix as one table: a row per principal and layer, a column per layer of
// control; a cell with several grants continues on the lines below. The principals follow with every
// name the layers use for them.
func accessText(w io.Writer, m access.Matrix) error {
	fmt.Fprintf(w, "\n%s\n", accessTitle)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "  PRINCIPAL\tLAYER")
	for _, c := range access.Controls {
		fmt.Fprintf(tw, "\t%s", strings.ToUpper(string(c)))
	}
	fmt.Fprintln(tw)
	for _, r := range m.Rows {
		lines := 1
		for _, c := range access.Controls {
			lines = max(lines, len(r.Cells[c]))
		}
		for i := range lines {
			if i == 0 {
				fmt.Fprintf(tw, "  %s\t%s", r.Principal, r.Layer)
			} else {
				fmt.Fprint(tw, "  \t")
			}
			for _, c := range access.Controls {
				fmt.Fprintf(tw, "\t%s", cellLine(r.Cells[c], i))
			}
			fmt.Fprintln(tw)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nPrincipals (one identity under the names each layer uses)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  PRINCIPAL\tKIND\tOBJECT ID\tOTHER NAMES")
	for _, p := range m.Principals {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Key, p.Kind, orDash(p.ObjectID), orDash(strings.Join(p.Names, ", ")))
	}
	return tw.Flush()
}

func cellLine(es []access.Entry, i int) string {
	switch {
	case i < len(es):
		return es[i].String()
	case i == 0:
		return "-"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// accessMarkdown writes the matrix as a collapsed GitHub table.
func accessMarkdown(w io.Writer, m access.Matrix) error {
	fmt.Fprintf(w, "<details><summary>%s</summary>\n\n| Principal | Layer |", accessTitle)
	for _, c := range access.Controls {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprint(w, "\n|---|---|"+strings.Repeat("---|", len(access.Controls))+"\n")
	for _, r := range m.Rows {
		fmt.Fprintf(w, "| %s | %s |", r.Principal, r.Layer)
		for _, c := range access.Controls {
			var parts []string
			for _, e := range r.Cells[c] {
				parts = append(parts, strings.ReplaceAll(e.String(), "|", "\\|"))
			}
			fmt.Fprintf(w, " %s |", orDash(strings.Join(parts, "<br>")))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "\n| Principal | Kind | Object id | Other names |\n|---|---|---|---|\n")
	for _, p := range m.Principals {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", p.Key, p.Kind, orDash(p.ObjectID), orDash(strings.Join(p.Names, ", ")))
	}
	_, err := fmt.Fprint(w, "\n</details>\n\n")
	return err
}

// JSONAccess is the matrix in the JSON plan.
type JSONAccess struct {
	Principals []access.Principal `json:"principals"`
	Rows       []JSONAccessRow    `json:"rows"`
}

// JSONAccessRow is one principal on one layer, its grants per layer of control.
type JSONAccessRow struct {
	Principal    string            `json:"principal"`
	Layer        string            `json:"layer"`
	AzureRBAC    []JSONAccessEntry `json:"azureRbac"`
	UnityCatalog []JSONAccessEntry `json:"unityCatalog"`
	Databricks   []JSONAccessEntry `json:"databricksPermissions"`
	SynapseSQL   []JSONAccessEntry `json:"synapseSql"`
}

// JSONAccessEntry is one grant.
type JSONAccessEntry struct {
	What  string `json:"what"`
	On    string `json:"on"`
	Via   string `json:"via,omitempty"`
	Level string `json:"level"`
}

func toJSONAccess(m access.Matrix) JSONAccess {
	out := JSONAccess{Principals: append([]access.Principal{}, m.Principals...), Rows: []JSONAccessRow{}}
	entries := func(es []access.Entry) []JSONAccessEntry {
		list := []JSONAccessEntry{}
		for _, e := range es {
			list = append(list, JSONAccessEntry{What: e.What, On: e.On, Via: e.Via, Level: e.Level.String()})
		}
		return list
	}
	for _, r := range m.Rows {
		out.Rows = append(out.Rows, JSONAccessRow{
			Principal: r.Principal, Layer: string(r.Layer), AzureRBAC: entries(r.Cells[access.AzureRBAC]),
			UnityCatalog: entries(r.Cells[access.UnityCatalog]), Databricks: entries(r.Cells[access.Databricks]),
			SynapseSQL: entries(r.Cells[access.SynapseSQL]),
		})
	}
	return out
}
