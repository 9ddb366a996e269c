// Package planjson reads the offline plan that `go run ./cmd/plan --json` prints (internal/planview's
// JSON): the fields this tool needs, numbers kept exact.
package planjson

import (
	"encoding/json"
	"fmt"
	"io"
)

// Plan is one stack's offline plan.
type Plan struct {
	Project   string     `json:"project"`
	Stack     string     `json:"stack"`
	Resources []Resource `json:"resources"`
}

// Resource is one registration and the inputs the program sent.
type Resource struct {
	URN      string         `json:"urn"`
	Type     string         `json:"type"`
	Name     string         `json:"name"`
	Provider string         `json:"provider"`
	Custom   bool           `json:"custom"`
	ID       string         `json:"id"`
	Inputs   map[string]any `json:"inputs"`
}

// Read decodes a plan; numbers stay json.Number so integers are not rounded through float64.
func Read(r io.Reader) (*Plan, error) {
	d := json.NewDecoder(r)
	d.UseNumber()
	var p Plan
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("reading plan JSON: %w", err)
	}
	if p.Stack == "" || len(p.Resources) == 0 {
		return nil, fmt.Errorf("reading plan JSON: no stack or no resources (is it `cmd/plan --json` output?)")
	}
	return &p, nil
}
