package stacks

import (
	"encoding/json"
	"os"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Program returns the platform program. configKeys are all config keys the stack sets, so keys this
// project does not know are rejected instead of silently ignored.
func Program(configKeys []string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cfg, err := Load(ctx, configKeys)
		if err != nil {
			return err
		}
		_, err = Deploy(ctx, cfg)
		return err
	}
}

// Run is the program as `pulumi up` runs it; the engine passes the stack's config in PULUMI_CONFIG.
func Run(ctx *pulumi.Context) error { return Program(KeysFromEnv())(ctx) }

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
