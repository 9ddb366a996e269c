// Package goldcontract reads notebooks/analytics_pipeline/gold_contract.json, the one description of the
// gold tables (names, columns, Spark SQL types, Delta reader settings) that the notebooks write, the
// Synapse SQL reads and Unity Catalog registers.
package goldcontract

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Column is one gold column.
type Column struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Nullable    bool   `json:"nullable"`
	Description string `json:"description"`
}

// Table is one gold table.
type Table struct {
	Name        string   `json:"-"`
	Description string   `json:"description"`
	Columns     []Column `json:"columns"`
}

// Contract is the whole file.
type Contract struct {
	// TableProperties are the Delta properties every gold table keeps (reader version 1, no deletion
	// vectors: what Synapse serverless can read).
	TableProperties map[string]string `json:"table_properties"`
	// Tables, sorted by name.
	Tables []Table `json:"-"`
}

// Load reads and checks the contract at path.
func Load(path string) (Contract, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Contract{}, fmt.Errorf("gold contract: %w", err)
	}
	return Parse(raw)
}

// Parse reads a contract document.
func Parse(raw []byte) (Contract, error) {
	var doc struct {
		Contract
		Tables map[string]Table `json:"tables"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return Contract{}, fmt.Errorf("gold contract: %w", err)
	}
	c := doc.Contract
	for name, t := range doc.Tables {
		if len(t.Columns) == 0 {
			return Contract{}, fmt.Errorf("gold contract: table %s has no columns", name)
		}
		for _, col := range t.Columns {
			if col.Name == "" || col.Type == "" {
				return Contract{}, fmt.Errorf("gold contract: table %s has a column without name or type", name)
			}
		}
		t.Name = name
		c.Tables = append(c.Tables, t)
	}
	if len(c.Tables) == 0 {
		return Contract{}, fmt.Errorf("gold contract: no tables")
	}
	sort.Slice(c.Tables, func(i, j int) bool { return c.Tables[i].Name < c.Tables[j].Name })
	return c, nil
}
