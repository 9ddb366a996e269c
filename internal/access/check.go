package access

import "fmt"

// readerCeiling is the most a read-only principal may hold per layer: on gold, gates and reads (SELECT,
// USE SCHEMA, Storage Blob Data Reader, REFERENCES on the gold credential); on the platform, gates and
// metadata (USE CATALOG, workspace access, Azure Reader); on bronze and silver nothing at all.
var readerCeiling = map[Layer]Level{Gold: Read, Platform: Use}

// ReadsGoldOnly lists every grant that lets a principal do more than read gold: anything on bronze or
// silver, more than reading on gold, more than a gate or metadata on the platform. Empty means the
// principal can read gold and nothing else, in every layer of control.
func ReadsGoldOnly(m Matrix, principal string) []string {
	var out []string
	for _, r := range m.Rows {
		if r.Principal != principal {
			continue
		}
		ceiling, allowed := readerCeiling[r.Layer]
		for _, c := range Controls {
			for _, e := range r.Cells[c] {
				if !allowed || e.Level > ceiling {
					out = append(out, fmt.Sprintf("%s on %s: %s: %s allows %s", principal, r.Layer, c, e, e.Level))
				}
			}
		}
	}
	return out
}
