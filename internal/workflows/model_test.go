package workflows

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The subset of the GitHub Actions workflow syntax the contracts look at.

type Workflow struct {
	File        string
	Raw         string
	Name        string
	On          map[string]*yaml.Node // event name -> its settings (an empty node when none)
	Permissions Permissions
	Jobs        map[string]*Job
}

type Job struct {
	ID          string
	Name        string      `yaml:"name"`
	If          string      `yaml:"if"`
	Needs       stringList  `yaml:"needs"`
	Environment Environment `yaml:"environment"`
	Permissions Permissions `yaml:"permissions"`
	Concurrency Concurrency `yaml:"concurrency"`
	Strategy    struct {
		Matrix yaml.Node `yaml:"matrix"`
	} `yaml:"strategy"`
	Env   scalarMap `yaml:"env"`
	Steps []*Step   `yaml:"steps"`
	// TimeoutMinutes is the job's timeout-minutes (empty: GitHub's default, 360).
	TimeoutMinutes string    `yaml:"timeout-minutes"`
	Uses           string    `yaml:"uses"`    // a reusable-workflow call
	RunsOn         yaml.Node `yaml:"runs-on"` // a label, a list of labels, {group, labels} or an expression
}

type Step struct {
	ID              string    `yaml:"id"`
	Name            string    `yaml:"name"`
	If              string    `yaml:"if"`
	ContinueOnError string    `yaml:"continue-on-error"`
	Uses            string    `yaml:"uses"`
	Run             string    `yaml:"run"`
	With            scalarMap `yaml:"with"`
	Env             scalarMap `yaml:"env"`
	UsesComment     string    // the "# vX.Y.Z" comment on the uses: line
	Line            int
}

func (s *Step) UnmarshalYAML(n *yaml.Node) error {
	type plain Step
	if err := n.Decode((*plain)(s)); err != nil {
		return err
	}
	s.Line = n.Line
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "uses" {
			s.UsesComment = strings.TrimSpace(n.Content[i+1].LineComment)
		}
	}
	return nil
}

func (s *Step) String() string {
	if s.Name != "" {
		return fmt.Sprintf("step %q (line %d)", s.Name, s.Line)
	}
	if s.Uses != "" {
		return fmt.Sprintf("step %s (line %d)", s.Uses, s.Line)
	}
	return fmt.Sprintf("step at line %d", s.Line)
}

// Action is the action a step uses without its ref: "pulumi/actions" for "pulumi/actions@<sha>".
func (s *Step) Action() string {
	action, _, _ := strings.Cut(s.Uses, "@")
	return action
}

// Permissions is `permissions:`: unset, a scalar (read-all / write-all), or scope -> level.
type Permissions struct {
	Set    bool
	All    string
	Scopes map[string]string
}

func (p *Permissions) UnmarshalYAML(n *yaml.Node) error {
	p.Set = true
	if n.Kind == yaml.ScalarNode {
		p.All = n.Value
		return nil
	}
	return n.Decode(&p.Scopes)
}

// Writes lists the scopes granted write, "*" for write-all.
func (p Permissions) Writes() []string {
	if p.All == "write-all" {
		return []string{"*"}
	}
	var writes []string
	for scope, level := range p.Scopes {
		if level == "write" {
			writes = append(writes, scope)
		}
	}
	slices.Sort(writes)
	return writes
}

// Environment is `environment:` as a name or {name, url}.
type Environment struct{ Name string }

func (e *Environment) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		e.Name = n.Value
		return nil
	}
	var full struct {
		Name string `yaml:"name"`
	}
	if err := n.Decode(&full); err != nil {
		return err
	}
	e.Name = full.Name
	return nil
}

// Concurrency is `concurrency:` as a group name or {group, cancel-in-progress}.
type Concurrency struct {
	Group            string
	CancelInProgress string
}

func (c *Concurrency) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		c.Group = n.Value
		return nil
	}
	var full struct {
		Group            string `yaml:"group"`
		CancelInProgress string `yaml:"cancel-in-progress"`
	}
	if err := n.Decode(&full); err != nil {
		return err
	}
	c.Group, c.CancelInProgress = full.Group, full.CancelInProgress
	return nil
}

// stringList accepts a scalar or a sequence (needs:, branches:).
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = []string{n.Value}
		return nil
	}
	return n.Decode((*[]string)(l))
}

// scalarMap keeps the text of each value (`true`, `60`, "x"), as the runner passes inputs.
type scalarMap map[string]string

func (m *scalarMap) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping", n.Line)
	}
	*m = scalarMap{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		(*m)[n.Content[i].Value] = n.Content[i+1].Value
	}
	return nil
}

func parseWorkflow(file string, raw []byte) (*Workflow, error) {
	var doc struct {
		Name        string          `yaml:"name"`
		On          yaml.Node       `yaml:"on"`
		Permissions Permissions     `yaml:"permissions"`
		Jobs        map[string]*Job `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	wf := &Workflow{File: file, Raw: string(raw), Name: doc.Name, Permissions: doc.Permissions,
		Jobs: doc.Jobs, On: map[string]*yaml.Node{}}
	switch doc.On.Kind {
	case yaml.ScalarNode:
		wf.On[doc.On.Value] = &yaml.Node{}
	case yaml.SequenceNode:
		for _, event := range doc.On.Content {
			wf.On[event.Value] = &yaml.Node{}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(doc.On.Content); i += 2 {
			wf.On[doc.On.Content[i].Value] = doc.On.Content[i+1]
		}
	default:
		return nil, fmt.Errorf("%s: no `on:` triggers", file)
	}
	for id, job := range wf.Jobs {
		if job == nil {
			return nil, fmt.Errorf("%s: job %s is empty", file, id)
		}
		job.ID = id
	}
	return wf, nil
}

func mustParse(t *testing.T, file, raw string) *Workflow {
	t.Helper()
	wf, err := parseWorkflow(file, []byte(raw))
	require.NoError(t, err)
	return wf
}

// repoRoot is the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "go.mod not found above the test directory")
		dir = parent
	}
}

func readFile(t *testing.T, parts ...string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(append([]string{repoRoot(t)}, parts...)...))
	require.NoError(t, err)
	return string(raw)
}

// loadWorkflows parses every workflow in .github/workflows.
func loadWorkflows(t *testing.T) map[string]*Workflow {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), ".github", "workflows", "*.y*ml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no workflows found")
	wfs := map[string]*Workflow{}
	for _, path := range files {
		name := filepath.Base(path)
		wfs[name] = mustParse(t, name, readFile(t, ".github", "workflows", name))
	}
	return wfs
}

func sortedJobs(wf *Workflow) []*Job {
	jobs := make([]*Job, 0, len(wf.Jobs))
	for _, job := range wf.Jobs {
		jobs = append(jobs, job)
	}
	slices.SortFunc(jobs, func(a, b *Job) int { return strings.Compare(a.ID, b.ID) })
	return jobs
}

func allWorkflows(wfs map[string]*Workflow) []*Workflow {
	names := make([]string, 0, len(wfs))
	for name := range wfs {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]*Workflow, 0, len(names))
	for _, name := range names {
		out = append(out, wfs[name])
	}
	return out
}

// stepsUsing returns the job's steps that use the action (owner/repo).
func (j *Job) stepsUsing(action string) []*Step {
	var steps []*Step
	for _, s := range j.Steps {
		if strings.EqualFold(s.Action(), action) {
			steps = append(steps, s)
		}
	}
	return steps
}

// stepIndex is the index of the first step matching, or -1.
func (j *Job) stepIndex(match func(*Step) bool) int {
	return slices.IndexFunc(j.Steps, match)
}

// matrixValues lists the values a matrix key takes, from `key: [...]` and `include: [{key: ...}]`.
func matrixValues(matrix yaml.Node, key string) []string {
	var values []string
	for i := 0; i+1 < len(matrix.Content); i += 2 {
		k, v := matrix.Content[i], matrix.Content[i+1]
		switch k.Value {
		case key:
			for _, item := range v.Content {
				values = append(values, item.Value)
			}
		case "include":
			for _, entry := range v.Content {
				for j := 0; j+1 < len(entry.Content); j += 2 {
					if entry.Content[j].Value == key {
						values = append(values, entry.Content[j+1].Value)
					}
				}
			}
		}
	}
	slices.Sort(values)
	return slices.Compact(values)
}

// stacksOf resolves the stacks a pulumi/actions step targets: a literal stack-name, or the
// values of the matrix key it names (${{ matrix.stack }}).
func stacksOf(job *Job, step *Step) []string {
	name := strings.TrimSpace(step.With["stack-name"])
	if m := matrixRef.FindStringSubmatch(name); m != nil {
		return matrixValues(job.Strategy.Matrix, m[1])
	}
	// organization/project/stack is the fully qualified form of a DIY-backend stack.
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return []string{name}
}

var matrixRef = regexp.MustCompile(`^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$`)

// needsClosure is every job the job waits for, directly or not.
func needsClosure(wf *Workflow, job *Job) map[string]bool {
	seen := map[string]bool{}
	var walk func(*Job)
	walk = func(j *Job) {
		for _, id := range j.Needs {
			if !seen[id] {
				seen[id] = true
				if dep := wf.Jobs[id]; dep != nil {
					walk(dep)
				}
			}
		}
	}
	walk(job)
	return seen
}

// nodeStrings lists the scalar values under key in a mapping node (`branches: [main]`).
func nodeStrings(n *yaml.Node, key string) []string {
	if n == nil {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != key {
			continue
		}
		v := n.Content[i+1]
		if v.Kind == yaml.ScalarNode {
			return []string{v.Value}
		}
		var out []string
		for _, item := range v.Content {
			out = append(out, item.Value)
		}
		return out
	}
	return nil
}

// runsOnValues lists every scalar under runs-on (a label, list items, or a group and its labels).
func runsOnValues(n yaml.Node) []string {
	var values []string
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			values = append(values, n.Value)
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				continue // keys (group, labels)
			}
			walk(c)
		}
	}
	walk(&n)
	return values
}
