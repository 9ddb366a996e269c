package stacks

import (
	"encoding/json"
	"os"
	"sort"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Options are what the program needs besides the stack's config.
type Options struct {
	// ConfigKeys are all config keys the stack sets, so keys this project does not know are rejected
	// instead of silently ignored.
	ConfigKeys []string
	// ProjectDir is the repository root (where Pulumi.yaml and notebooks/ are).
	ProjectDir string
	// Now fixes the run's time for tests (zero: the wall clock); see Config.Now.
	Now time.Time
}

// Program returns the platform program.
func Program(opts Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg, err := load(ctx, opts.ConfigKeys, opts.Now)
		if err != nil {
			return err
		}
		_, err = Deploy(ctx, cfg, opts.ProjectDir)
		return err
	}
}

// Run is the program as `pulumi up` runs it: from the project directory, with the stack's config in
// PULUMI_CONFIG.
func Run(ctx *pulumi.Context) error {
	return Program(Options{ConfigKeys: KeysFromEnv(), ProjectDir: "."})(ctx)
}

// KeysFromEnv lists the config keys the engine passed to the program, sorted.
func KeysFromEnv() []string {
	var cfg map[string]string
	if raw := os.Getenv(pulumi.EnvConfig); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
			return nil
		}
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
