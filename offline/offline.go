// Package offline runs the real program under the recording mocks with a stack's YAML config: the engine
// behind `make plan` and the stack tests. It needs no cloud, no Pulumi CLI and no credentials.
package offline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/stacks"
)

// StackConfig is a stack file's config flattened the way the engine passes it to a program: object and
// array values as JSON, scalars as strings.
type StackConfig struct {
	Values     map[string]string
	SecretKeys []string
}

// Keys lists the config keys, sorted.
func (c StackConfig) Keys() []string {
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// With returns a copy with key set to value (a scalar string or a JSON document), for tests.
func (c StackConfig) With(key, value string) StackConfig {
	out := StackConfig{Values: map[string]string{}, SecretKeys: c.SecretKeys}
	for k, v := range c.Values {
		out.Values[k] = v
	}
	out.Values[key] = value
	return out
}

// Without returns a copy without key, for tests.
func (c StackConfig) Without(key string) StackConfig {
	out := c.With(key, "")
	delete(out.Values, key)
	return out
}

// ReadStackFile reads Pulumi.<stack>.yaml (or any file of that shape). Secure values cannot be
// decrypted offline and stand in as mocks.Masked.
func ReadStackFile(path string) (StackConfig, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return StackConfig{}, fmt.Errorf("reading stack config: %w", err)
	}
	var doc struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return StackConfig{}, fmt.Errorf("parsing %s: %w", path, err)
	}
	out := StackConfig{Values: map[string]string{}}
	for key, v := range doc.Config {
		if m, ok := v.(map[string]any); ok && len(m) == 1 && m["secure"] != nil {
			out.Values[key] = mocks.Masked
			out.SecretKeys = append(out.SecretKeys, key)
			continue
		}
		switch s := v.(type) {
		case string:
			out.Values[key] = s
		case bool:
			out.Values[key] = strconv.FormatBool(s)
		case int:
			out.Values[key] = strconv.Itoa(s)
		case float64:
			out.Values[key] = strconv.FormatFloat(s, 'f', -1, 64)
		case nil:
			out.Values[key] = ""
		default:
			js, err := json.Marshal(s)
			if err != nil {
				return StackConfig{}, fmt.Errorf("config %s: %w", key, err)
			}
			out.Values[key] = string(js)
		}
	}
	sort.Strings(out.SecretKeys)
	return out, nil
}

// Result is a finished offline run.
type Result struct {
	Project, Stack string
	Recorder       *mocks.Recorder
	Config         StackConfig
}

// Inventory indexes the run's resources.
func (r *Result) Inventory() *inventory.Inventory { return inventory.New(r.Recorder.Resources()) }

// PolicyExceptions returns the stack's policy exceptions (rule id -> reason).
func (r *Result) PolicyExceptions() (map[string]string, error) {
	raw, ok := r.Config.Values[stacks.Key("policyExceptions")]
	out := map[string]string{}
	if !ok {
		return out, nil
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, fmt.Errorf("config %s: %w", stacks.Key("policyExceptions"), err)
	}
	return out, nil
}

// Run executes the program of the project in dir for stack with cfg under fresh recording mocks. A
// program error (such as a config error naming its key) is returned with what was recorded before it.
func Run(dir, project, stack string, cfg StackConfig) (*Result, error) {
	rec := mocks.New(project, stack)
	withConfig := func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.SecretKeys
	}
	res := &Result{Project: project, Stack: stack, Recorder: rec, Config: cfg}
	err := pulumi.RunErr(stacks.Program(stacks.Options{ConfigKeys: cfg.Keys(), ProjectDir: dir}), rec.Option(), withConfig)
	return res, err
}

// ProjectDir finds the directory holding Pulumi.yaml, starting at dir and walking up.
func ProjectDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Pulumi.yaml")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no Pulumi.yaml in this directory or any parent")
		}
	}
}

// ProjectName reads the project name from dir/Pulumi.yaml.
func ProjectName(dir string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return "", fmt.Errorf("reading Pulumi.yaml: %w", err)
	}
	var doc struct {
		Name string `yaml:"name"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil || doc.Name == "" {
		return "", fmt.Errorf("no project name in Pulumi.yaml: %v", err)
	}
	return doc.Name, nil
}

// RunStack runs a stack of the project found from dir, reading Pulumi.<stack>.yaml unless configPath
// is given.
func RunStack(dir, stack, configPath string) (*Result, error) {
	root, err := ProjectDir(dir)
	if err != nil {
		return nil, err
	}
	project, err := ProjectName(root)
	if err != nil {
		return nil, err
	}
	if configPath == "" {
		configPath = filepath.Join(root, "Pulumi."+stack+".yaml")
	}
	cfg, err := ReadStackFile(configPath)
	if err != nil {
		return nil, err
	}
	return Run(root, project, stack, cfg)
}
