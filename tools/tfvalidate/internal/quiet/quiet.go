// Package quiet discards the standard logger's output before the provider's packages initialise: they
// build schemas at init time and log every skipped ConflictsWith and diff suppression. Go initialises
// packages in import-path order once their dependencies are ready, and this path sorts before
// github.com/databricks/..., so importing it (blank) from main silences those lines too.
package quiet

import (
	"io"
	"log"
)

func init() { log.SetOutput(io.Discard) }
