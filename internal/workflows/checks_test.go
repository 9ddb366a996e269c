package workflows

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Each check returns the violations it finds, one sentence each, naming file, job and step.

const (
	pulumiAction = "pulumi/actions"
	azureLogin   = "azure/login"
)

// mutating pulumi/actions commands: anything but preview and output changes a stack.
var mutatingCommands = []string{"up", "update", "refresh", "destroy"}

// checkNoPullRequestTarget: pull_request_target runs PR code with the base repository's token
// and secrets; previews use pull_request, where fork PRs get neither.
func checkNoPullRequestTarget(wfs []*Workflow) []string {
	var problems []string
	for _, wf := range wfs {
		if _, ok := wf.On["pull_request_target"]; ok {
			problems = append(problems, wf.File+": triggers on pull_request_target")
		}
	}
	return problems
}

var (
	shaRef         = regexp.MustCompile(`^[0-9a-f]{40}$`)
	versionComment = regexp.MustCompile(`^#\s*v\d+\.\d+\.\d+$`)
)

// checkActionsPinned: every action from outside the repository is pinned to a full commit SHA
// with the release it is ("# vX.Y.Z"), and one action is pinned to one commit everywhere.
func checkActionsPinned(wfs []*Workflow) []string {
	var problems []string
	pins := map[string]string{} // action -> "sha # version" first seen
	for _, wf := range wfs {
		for _, job := range sortedJobs(wf) {
			refs := []*Step{}
			if job.Uses != "" {
				refs = append(refs, &Step{Uses: job.Uses, Name: "reusable workflow"})
			}
			for _, step := range append(refs, job.Steps...) {
				if step.Uses == "" || strings.HasPrefix(step.Uses, "./") || strings.HasPrefix(step.Uses, "docker://") {
					continue
				}
				action, ref, ok := strings.Cut(step.Uses, "@")
				where := fmt.Sprintf("%s job %s %s", wf.File, job.ID, step)
				switch {
				case !ok || !shaRef.MatchString(ref):
					problems = append(problems, fmt.Sprintf("%s: %s is not pinned to a full commit SHA", where, step.Uses))
				case !versionComment.MatchString(step.UsesComment):
					problems = append(problems, fmt.Sprintf("%s: %s has no '# vX.Y.Z' comment naming the release", where, step.Uses))
				default:
					pin := ref + " " + step.UsesComment
					if first, seen := pins[action]; seen && first != pin {
						problems = append(problems, fmt.Sprintf("%s: %s pinned to %s here but %s elsewhere", where, action, pin, first))
					}
					pins[action] = pin
				}
			}
		}
	}
	return problems
}

var (
	secretRef  = regexp.MustCompile(`secrets\.([A-Za-z0-9_]+)`)
	secretEnvs = regexp.MustCompile(`(?i)(CLIENT_SECRET|CLIENT_CERTIFICATE|CERTIFICATE_PASSWORD|STORAGE_KEY|SAS_TOKEN|CONFIG_PASSPHRASE|ACCESS_TOKEN)`)
	varsRef    = regexp.MustCompile(`^\$\{\{\s*(vars\.[A-Z0-9_]+|matrix\.[a-z0-9_-]+)\s*\}\}$`)
)

// checkOIDCNotSecrets: Azure is reached only through GitHub OIDC federated credentials — no
// repository secrets (but the automatic GITHUB_TOKEN), no azure/login `creds`, no credential-like
// env vars, id-token: write wherever Azure is used, and ARM_USE_OIDC for the Azure providers.
func checkOIDCNotSecrets(wfs []*Workflow) []string {
	var problems []string
	for _, wf := range wfs {
		for _, m := range secretRef.FindAllStringSubmatch(wf.Raw, -1) {
			if m[1] != "GITHUB_TOKEN" {
				problems = append(problems, fmt.Sprintf("%s: reads secrets.%s (Azure access must be OIDC, not stored secrets)", wf.File, m[1]))
			}
		}
		for _, job := range sortedJobs(wf) {
			envs := []scalarMap{job.Env}
			for _, step := range job.Steps {
				envs = append(envs, step.Env)
			}
			for _, env := range envs {
				for key := range env {
					if secretEnvs.MatchString(key) {
						problems = append(problems, fmt.Sprintf("%s job %s: sets credential variable %s", wf.File, job.ID, key))
					}
				}
			}
			logins, pulumis := job.stepsUsing(azureLogin), job.stepsUsing(pulumiAction)
			for _, login := range logins {
				where := fmt.Sprintf("%s job %s %s", wf.File, job.ID, login)
				for _, forbidden := range []string{"creds", "auth-type"} {
					if _, ok := login.With[forbidden]; ok {
						problems = append(problems, fmt.Sprintf("%s: sets %s (use client-id/tenant-id/subscription-id with OIDC)", where, forbidden))
					}
				}
				for _, input := range []string{"client-id", "tenant-id", "subscription-id"} {
					if !varsRef.MatchString(login.With[input]) {
						problems = append(problems, fmt.Sprintf("%s: %s must come from a configuration variable, got %q", where, input, login.With[input]))
					}
				}
			}
			if (len(logins) > 0 || len(pulumis) > 0) && job.Permissions.Scopes["id-token"] != "write" {
				problems = append(problems, fmt.Sprintf("%s job %s: uses Azure without permissions id-token: write", wf.File, job.ID))
			}
			if len(pulumis) > 0 {
				if job.Env["ARM_USE_OIDC"] != "true" {
					problems = append(problems, fmt.Sprintf("%s job %s: runs Pulumi without ARM_USE_OIDC: \"true\"", wf.File, job.ID))
				}
				if len(logins) == 0 {
					problems = append(problems, fmt.Sprintf("%s job %s: runs Pulumi without azure/login (state and secrets use the CLI session)", wf.File, job.ID))
				}
			}
		}
	}
	return problems
}

// checkMinimalPermissions: the workflow grants nothing by default, every job says what it
// needs, and the only write scopes are id-token (Azure OIDC) and pull-requests (the preview
// comment), each only in a job that uses it.
func checkMinimalPermissions(wfs []*Workflow) []string {
	var problems []string
	for _, wf := range wfs {
		if !wf.Permissions.Set {
			problems = append(problems, wf.File+": no top-level permissions (the default token may be read-write)")
		} else if w := wf.Permissions.Writes(); len(w) > 0 {
			problems = append(problems, fmt.Sprintf("%s: top-level permissions grant write on %v; grant per job", wf.File, w))
		}
		for _, job := range sortedJobs(wf) {
			if !job.Permissions.Set {
				problems = append(problems, fmt.Sprintf("%s job %s: no permissions block", wf.File, job.ID))
				continue
			}
			comments, issues := false, false
			for _, step := range job.Steps {
				if (step.Action() == pulumiAction && step.With["comment-on-pr"] == "true") || strings.Contains(step.Run, "./cmd/prcomment") {
					comments = true
				}
				issues = issues || strings.Contains(step.Run, ".github/scripts/drift.sh")
			}
			azure := len(job.stepsUsing(azureLogin)) > 0 || len(job.stepsUsing(pulumiAction)) > 0
			for _, scope := range job.Permissions.Writes() {
				switch {
				case scope == "id-token" && azure:
				case scope == "pull-requests" && comments:
				case scope == "issues" && issues:
				default:
					problems = append(problems, fmt.Sprintf("%s job %s: write permission on %q is not needed", wf.File, job.ID, scope))
				}
			}
		}
	}
	return problems
}

// pulumiSteps yields each pulumi/actions step with its job and the stacks it targets.
type pulumiStep struct {
	wf     *Workflow
	job    *Job
	step   *Step
	stacks []string
}

func pulumiSteps(wfs []*Workflow) []pulumiStep {
	var out []pulumiStep
	for _, wf := range wfs {
		for _, job := range sortedJobs(wf) {
			for _, step := range job.stepsUsing(pulumiAction) {
				out = append(out, pulumiStep{wf, job, step, stacksOf(job, step)})
			}
		}
	}
	return out
}

var pulumiCLIMutation = regexp.MustCompile(`\bpulumi\s+(up|update|destroy|refresh|import|cancel|state|stack\s+(rm|import|change-secrets-provider))\b`)

// checkProdOnlyThroughProduction: every step that changes the prod stack runs in a job bound to
// the `production` environment (required reviewers, and the only federated credential that can
// deploy), that job waits for a job that deployed dev, and nothing changes a stack by calling
// the Pulumi CLI directly, which would bypass these rules.
func checkProdOnlyThroughProduction(wfs []*Workflow) []string {
	var problems []string
	for _, wf := range wfs {
		for _, job := range sortedJobs(wf) {
			for _, step := range job.Steps {
				if m := pulumiCLIMutation.FindString(step.Run); m != "" {
					problems = append(problems, fmt.Sprintf("%s job %s %s: runs `%s` directly; change stacks through pulumi/actions", wf.File, job.ID, step, m))
				}
			}
			if job.Environment.Name == "production" && !slices.ContainsFunc(pulumiSteps([]*Workflow{wf}), func(p pulumiStep) bool {
				return p.job == job && slices.Contains(p.stacks, "prod")
			}) {
				problems = append(problems, fmt.Sprintf("%s job %s: uses the production environment but does not deploy prod", wf.File, job.ID))
			}
		}
	}
	all := pulumiSteps(wfs)
	deploysDev := func(wf *Workflow, id string) bool {
		return slices.ContainsFunc(all, func(p pulumiStep) bool {
			return p.wf == wf && p.job.ID == id && p.step.With["command"] == "up" && slices.Equal(p.stacks, []string{"dev"})
		})
	}
	sawProdUp := false
	for _, p := range all {
		if !slices.Contains(mutatingCommands, p.step.With["command"]) {
			continue
		}
		where := fmt.Sprintf("%s job %s %s", p.wf.File, p.job.ID, p.step)
		for _, stack := range p.stacks {
			want := stackEnvironments[stack]
			if want == "" {
				problems = append(problems, fmt.Sprintf("%s: changes unknown stack %q", where, stack))
				continue
			}
			if p.job.Environment.Name != want {
				problems = append(problems, fmt.Sprintf("%s: changes %s outside the %q environment (environment %q)", where, stack, want, p.job.Environment.Name))
			}
			if stack != "dev" && !strings.Contains(p.job.If, "refs/heads/main") {
				problems = append(problems, fmt.Sprintf("%s: the %s job is not limited to refs/heads/main", where, stack))
			}
		}
		if slices.Contains(p.stacks, "prod") {
			if len(p.stacks) > 1 {
				problems = append(problems, fmt.Sprintf("%s: changes prod in the same job as %v", where, p.stacks))
			}
			if p.step.With["command"] == "up" {
				sawProdUp = true
			}
			if !slices.ContainsFunc(sortedKeys(needsClosure(p.wf, p.job)), func(id string) bool { return deploysDev(p.wf, id) }) {
				problems = append(problems, fmt.Sprintf("%s: prod is not deployed after dev (the job needs no job that runs `up` on dev)", where))
			}
		}
	}
	if !sawProdUp {
		problems = append(problems, "no workflow deploys prod with pulumi/actions `up`")
	}
	return problems
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkPreviewCommentsBothStacks: pull requests run `pulumi preview` for dev and prod, comment it
// on the PR (editing the same comment on every push), append the offline RBAC matrix and policy
// summary to that comment, and do so as the preview identity, never in a deploy environment.
func checkPreviewCommentsBothStacks(wf *Workflow) []string {
	var problems []string
	if _, ok := wf.On["pull_request"]; !ok {
		problems = append(problems, wf.File+": does not run on pull_request")
	}
	var previews []pulumiStep
	for _, p := range pulumiSteps([]*Workflow{wf}) {
		if p.step.With["command"] == "preview" {
			previews = append(previews, p)
		}
	}
	if len(previews) != 1 {
		return append(problems, fmt.Sprintf("%s: want one pulumi/actions preview step (over a stack matrix), found %d", wf.File, len(previews)))
	}
	p := previews[0]
	where := fmt.Sprintf("%s job %s", wf.File, p.job.ID)
	if !slices.Equal(p.stacks, []string{"dev", "prod", "staging"}) {
		problems = append(problems, fmt.Sprintf("%s: previews stacks %v, want [dev prod staging]", where, p.stacks))
	}
	for input, want := range map[string]string{"comment-on-pr": "true", "edit-pr-comment": "true"} {
		if got := p.step.With[input]; got != want {
			problems = append(problems, fmt.Sprintf("%s: pulumi/actions %s is %q, want %q", where, input, got, want))
		}
	}
	if p.job.Permissions.Scopes["pull-requests"] != "write" {
		problems = append(problems, where+": cannot comment (permissions pull-requests: write missing)")
	}
	if p.job.Environment.Name != "" {
		problems = append(problems, fmt.Sprintf("%s: previews in environment %q; PR code must not get a deploy identity", where, p.job.Environment.Name))
	}
	if !strings.Contains(p.job.Env["ARM_CLIENT_ID"], "vars.AZURE_PREVIEW_CLIENT_ID") {
		problems = append(problems, where+": ARM_CLIENT_ID is not the preview identity (vars.AZURE_PREVIEW_CLIENT_ID)")
	}
	for _, login := range p.job.stepsUsing(azureLogin) {
		if !strings.Contains(login.With["client-id"], "vars.AZURE_PREVIEW_CLIENT_ID") {
			problems = append(problems, fmt.Sprintf("%s %s: logs in as %q, not the preview identity", where, login, login.With["client-id"]))
		}
	}
	stackFromMatrix := strings.Contains(p.job.Env["STACK"], "matrix.stack")
	if !stackFromMatrix {
		problems = append(problems, where+": env STACK must be ${{ matrix.stack }} (the plan and comment steps use it)")
	}
	plan := p.job.stepIndex(func(s *Step) bool {
		return regexp.MustCompile(`\bmake\b[^\n]*\bplan\b`).MatchString(s.Run) &&
			strings.Contains(s.Run, `STACK="$STACK"`) && strings.Contains(s.Run, "PLAN_FLAGS=--markdown")
	})
	preview := p.job.stepIndex(func(s *Step) bool { return s == p.step })
	comment := p.job.stepIndex(func(s *Step) bool {
		return strings.Contains(s.Run, "go run ./cmd/prcomment") && strings.Contains(s.Run, `-stack "$STACK"`)
	})
	switch {
	case plan < 0:
		problems = append(problems, where+`: no step runs make plan STACK="$STACK" PLAN_FLAGS=--markdown`)
	case comment < 0:
		problems = append(problems, where+`: no step appends the plan to the comment (go run ./cmd/prcomment -stack "$STACK")`)
	case !(plan < preview && preview < comment):
		problems = append(problems, where+": want make plan, then pulumi preview, then the prcomment step")
	}
	group := p.job.Concurrency.Group
	if !strings.Contains(group, "matrix.stack") || !strings.Contains(group, "github.event.pull_request.number") {
		problems = append(problems, fmt.Sprintf("%s: concurrency group %q must be per PR and stack", where, group))
	}
	return problems
}

// checkDeployDevThenProd: deploy.yml runs on pushes to main and by hand only; dev is updated,
// its Synapse SQL applied and smoke-checked (the ADF pipeline on demand) before prod, which goes
// through the same steps; one deploy per stack at a time.
func checkDeployDevThenProd(wf *Workflow) []string {
	var problems []string
	push, ok := wf.On["push"]
	if !ok || !slices.Contains(nodeStrings(push, "branches"), "main") {
		problems = append(problems, wf.File+": does not run on push to main")
	}
	if _, ok := wf.On["workflow_dispatch"]; !ok {
		problems = append(problems, wf.File+": cannot be run by hand (workflow_dispatch)")
	}
	for event := range wf.On {
		if strings.HasPrefix(event, "pull_request") {
			problems = append(problems, fmt.Sprintf("%s: deploys on %s", wf.File, event))
		}
	}
	groups := map[string]string{}
	for _, env := range []struct{ stack, environment string }{{"dev", "dev"}, {"staging", "staging"}, {"prod", "production"}} {
		var job *Job
		var up *Step
		for _, p := range pulumiSteps([]*Workflow{wf}) {
			if p.step.With["command"] == "up" && slices.Equal(p.stacks, []string{env.stack}) {
				job, up = p.job, p.step
			}
		}
		if job == nil {
			problems = append(problems, fmt.Sprintf("%s: no job runs pulumi up on %s", wf.File, env.stack))
			continue
		}
		where := fmt.Sprintf("%s job %s", wf.File, job.ID)
		if job.Env["STACK"] != env.stack {
			problems = append(problems, fmt.Sprintf("%s: env STACK is %q, want %q", where, job.Env["STACK"], env.stack))
		}
		if job.Concurrency.Group == "" || job.Concurrency.CancelInProgress != "false" {
			problems = append(problems, fmt.Sprintf("%s: needs a concurrency group with cancel-in-progress: false (one deploy per stack, never cancelled midway)", where))
		} else if other, dup := groups[job.Concurrency.Group]; dup {
			problems = append(problems, fmt.Sprintf("%s: shares concurrency group %q with %s", where, job.Concurrency.Group, other))
		}
		groups[job.Concurrency.Group] = env.stack
		upAt := job.stepIndex(func(s *Step) bool { return s == up })
		sqlAt := job.stepIndex(func(s *Step) bool {
			return strings.Contains(s.Run, "make synapse-sql") && strings.Contains(s.Run, `STACK="$STACK"`) && strings.Contains(s.Run, "APPLY=1")
		})
		smokeAt := job.stepIndex(func(s *Step) bool { return strings.Contains(s.Run, ".github/scripts/smoke-check.sh") })
		if !(upAt >= 0 && upAt < sqlAt && sqlAt < smokeAt) {
			problems = append(problems, fmt.Sprintf("%s: want pulumi up, then make synapse-sql STACK=\"$STACK\" APPLY=1, then the smoke check (got steps %d, %d, %d)", where, upAt, sqlAt, smokeAt))
		}
		if env.stack == "dev" {
			adfAt := job.stepIndex(func(s *Step) bool { return strings.Contains(s.Run, ".github/scripts/run-adf-pipeline.sh") })
			if adfAt < smokeAt || !strings.Contains(job.Steps[max(adfAt, 0)].If, "inputs.run_pipeline") {
				problems = append(problems, where+": the ADF pipeline must run after the smoke check and only when inputs.run_pipeline is set")
			}
		}
	}
	return problems
}

// checkPulumiVersionPinnedOnce: every pulumi/actions step installs the CLI version written in
// .pulumi-version, which is an exact 3.x release no older than the Go SDK in go.mod.
func checkPulumiVersionPinnedOnce(wfs []*Workflow, versionFile, goMod string) []string {
	var problems []string
	steps := pulumiSteps(wfs)
	if len(steps) == 0 {
		problems = append(problems, "no pulumi/actions step found")
	}
	for _, p := range steps {
		where := fmt.Sprintf("%s job %s %s", p.wf.File, p.job.ID, p.step)
		if p.step.With["pulumi-version-file"] != ".pulumi-version" {
			problems = append(problems, where+": pulumi-version-file is not .pulumi-version")
		}
		if _, ok := p.step.With["pulumi-version"]; ok {
			problems = append(problems, where+": sets pulumi-version (pin it in .pulumi-version only)")
		}
	}
	for _, wf := range wfs {
		if strings.Contains(wf.Raw, "get.pulumi.com") || strings.Contains(wf.Raw, "pulumi/setup-pulumi") {
			problems = append(problems, wf.File+": installs the Pulumi CLI another way")
		}
	}
	cli := strings.TrimSpace(versionFile)
	sdk := regexp.MustCompile(`(?m)^\s*github\.com/pulumi/pulumi/sdk/v3 v(\S+)`).FindStringSubmatch(goMod)
	switch {
	case !regexp.MustCompile(`^3\.\d+\.\d+$`).MatchString(cli):
		problems = append(problems, fmt.Sprintf(".pulumi-version is %q, want an exact 3.x.y release", cli))
	case sdk == nil:
		problems = append(problems, "go.mod does not require github.com/pulumi/pulumi/sdk/v3")
	case compareVersions(cli, sdk[1]) < 0:
		problems = append(problems, fmt.Sprintf(".pulumi-version %s is older than the Go SDK %s", cli, sdk[1]))
	}
	return problems
}

func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		var x, y int
		_, _ = fmt.Sscan(pa[i], &x)
		_, _ = fmt.Sscan(pb[i], &y)
		if x != y {
			return x - y
		}
	}
	return len(pa) - len(pb)
}

// checkCIRunsMakeTest: ci.yml runs the same `make test` as .ci/run on PRs and main, with the
// Go module cache and the pip cache.
func checkCIRunsMakeTest(wf *Workflow) []string {
	var problems []string
	if _, ok := wf.On["pull_request"]; !ok {
		problems = append(problems, wf.File+": does not run on pull_request")
	}
	if push, ok := wf.On["push"]; !ok || !slices.Contains(nodeStrings(push, "branches"), "main") {
		problems = append(problems, wf.File+": does not run on push to main")
	}
	var makeTest, goCache, pipCache bool
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if regexp.MustCompile(`(?m)^\s*make test\s*$`).MatchString(s.Run) {
				makeTest = true
			}
			if s.Action() == "actions/setup-go" && s.With["go-version-file"] == "go.mod" && s.With["cache"] != "false" {
				goCache = true
			}
			if s.Action() == "actions/setup-python" && s.With["cache"] == "pip" {
				pipCache = true
			}
		}
	}
	if !makeTest {
		problems = append(problems, wf.File+": no step runs `make test`")
	}
	if !goCache {
		problems = append(problems, wf.File+": no actions/setup-go with go-version-file: go.mod and its module cache")
	}
	if !pipCache {
		problems = append(problems, wf.File+": no actions/setup-python with cache: pip")
	}
	return problems
}

var varsUse = regexp.MustCompile(`vars\.([A-Z0-9_]+)`)

// checkVariablesDocumented: every configuration variable a workflow reads is declared for
// actionlint (so typos fail the lint) and explained in docs/delivery.md.
func checkVariablesDocumented(wfs []*Workflow, actionlintConfig, doc string) []string {
	var problems []string
	seen := map[string]bool{}
	for _, wf := range wfs {
		for _, m := range varsUse.FindAllStringSubmatch(wf.Raw, -1) {
			name := m[1]
			if seen[name] {
				continue
			}
			seen[name] = true
			if !regexp.MustCompile(`(?m)^\s*-\s*` + name + `\b`).MatchString(actionlintConfig) {
				problems = append(problems, fmt.Sprintf("vars.%s (%s) is not in .github/actionlint.yaml config-variables", name, wf.File))
			}
			if !strings.Contains(doc, "`"+name+"`") {
				problems = append(problems, fmt.Sprintf("vars.%s (%s) is not documented in docs/delivery.md", name, wf.File))
			}
		}
	}
	return problems
}

// deployJob is a job that runs `pulumi up` on one stack, with the index of that step.
type deployJob struct {
	stack string
	job   *Job
	upAt  int
	where string
}

// deployJobs lists deploy.yml's dev and prod jobs (those that run up on exactly one stack).
func deployJobs(wf *Workflow) []deployJob {
	var out []deployJob
	for _, p := range pulumiSteps([]*Workflow{wf}) {
		if p.step.With["command"] == "up" && len(p.stacks) == 1 {
			out = append(out, deployJob{p.stacks[0], p.job, p.job.stepIndex(func(s *Step) bool { return s == p.step }),
				fmt.Sprintf("%s job %s", wf.File, p.job.ID)})
		}
	}
	slices.SortFunc(out, func(a, b deployJob) int { return strings.Compare(a.stack, b.stack) })
	return out
}

// runs returns the indexes of the job's steps whose run: script calls the command.
func (j *Job) runs(command string) []int {
	var at []int
	for i, s := range j.Steps {
		if strings.Contains(s.Run, command) {
			at = append(at, i)
		}
	}
	return at
}

func (j *Job) sqlApplyAt() int {
	return j.stepIndex(func(s *Step) bool {
		return strings.Contains(s.Run, "make synapse-sql") && strings.Contains(s.Run, "APPLY=1")
	})
}

// unconditional: a step that runs only while everything before it succeeded.
func unconditional(s *Step) bool {
	return (s.If == "" || strings.TrimSpace(s.If) == "success()") && s.ContinueOnError == ""
}

var scriptFileArg = regexp.MustCompile(`adf-trigger\.sh (?:stop|sync) ("[^"]+"|\S+)`)

// outputsWrittenBefore is the index of the last step before `before` that writes
// `pulumi stack output --json` to file, or -1.
func outputsWrittenBefore(j *Job, file string, before int) int {
	at := -1
	for i := 0; i < before && i < len(j.Steps); i++ {
		run := j.Steps[i].Run
		if regexp.MustCompile(`\bpulumi stack output\b[^\n]*--json`).MatchString(run) && strings.Contains(run, ">"+file) {
			at = i
		}
	}
	return at
}

// checkTriggerAroundUp: every deploy job stops the Data Factory trigger before `pulumi up` (ADF
// rejects updates to a started trigger), deciding from the stack outputs read before the update
// (after the Azure login and the Pulumi CLI install), and starts or stops it as the config says only
// after the update, the SQL apply and the smoke check succeeded, from the outputs read after `up`.
func checkTriggerAroundUp(wf *Workflow) []string {
	var problems []string
	jobs := deployJobs(wf)
	if len(jobs) == 0 {
		return []string{wf.File + ": no job runs pulumi up"}
	}
	for _, d := range jobs {
		j := d.job
		stops, syncs := j.runs(".github/scripts/adf-trigger.sh stop"), j.runs(".github/scripts/adf-trigger.sh sync")
		if len(stops) == 0 {
			problems = append(problems, d.where+": does not stop the Data Factory trigger before pulumi up (adf-trigger.sh stop)")
		}
		for _, at := range stops {
			step := j.Steps[at]
			if at > d.upAt {
				problems = append(problems, fmt.Sprintf("%s %s: stops the trigger after pulumi up", d.where, step))
				continue
			}
			if !unconditional(step) {
				problems = append(problems, fmt.Sprintf("%s %s: the trigger stop must run unconditionally before the update", d.where, step))
			}
			m := scriptFileArg.FindStringSubmatch(step.Run)
			producer := -1
			if m != nil {
				producer = outputsWrittenBefore(j, m[1], at)
			}
			login := j.stepIndex(func(s *Step) bool { return s.Action() == azureLogin })
			install := j.stepIndex(func(s *Step) bool { return s.Action() == pulumiAction })
			switch {
			case producer < 0:
				problems = append(problems, fmt.Sprintf("%s %s: reads no `pulumi stack output --json` written before it (the outputs before the update)", d.where, step))
			case login < 0 || login > producer || install < 0 || install > producer:
				problems = append(problems, fmt.Sprintf("%s %s: the outputs before the update are read before the Azure login or the Pulumi CLI install", d.where, step))
			}
		}
		sqlAt, smokeAt := j.sqlApplyAt(), j.stepIndex(func(s *Step) bool { return strings.Contains(s.Run, ".github/scripts/smoke-check.sh") })
		if len(syncs) != 1 {
			problems = append(problems, fmt.Sprintf("%s: want one step that syncs the trigger with the config (adf-trigger.sh sync), found %d", d.where, len(syncs)))
			continue
		}
		at := syncs[0]
		step := j.Steps[at]
		if !(at > d.upAt && at > sqlAt && at > smokeAt) {
			problems = append(problems, fmt.Sprintf("%s %s: the trigger is started before pulumi up, the SQL apply and the smoke check are done", d.where, step))
		}
		if !unconditional(step) {
			problems = append(problems, fmt.Sprintf("%s %s: runs with if: %q; a failed deploy must not start the trigger", d.where, step, step.If))
		}
		if m := scriptFileArg.FindStringSubmatch(step.Run); m == nil || outputsWrittenBefore(j, m[1], at) <= d.upAt {
			problems = append(problems, fmt.Sprintf("%s %s: must read the stack outputs written after pulumi up", d.where, step))
		}
	}
	return problems
}

// checkApprovalsAfterUp: the managed private endpoint connections are approved only after
// `pulumi up` created the endpoints, in prod (private network mode) always, before the SQL apply
// that reads the lake through them, and an azure/login comes between the approvals' wait and the
// SQL apply, which asks for new tokens.
func checkApprovalsAfterUp(wf *Workflow) []string {
	var problems []string
	for _, d := range deployJobs(wf) {
		j := d.job
		approvals := j.runs(".github/scripts/approve-managed-endpoints.sh")
		for _, at := range approvals {
			if at < d.upAt {
				problems = append(problems, fmt.Sprintf("%s %s: approves private endpoint connections before pulumi up", d.where, j.Steps[at]))
			}
			if !unconditional(j.Steps[at]) {
				problems = append(problems, fmt.Sprintf("%s %s: the approvals must not be skipped or allowed to fail", d.where, j.Steps[at]))
			}
		}
		if !slices.Contains(privateStacks, d.stack) {
			continue
		}
		if len(approvals) != 1 {
			problems = append(problems, fmt.Sprintf("%s: %s does not approve its managed private endpoint connections (want one approve-managed-endpoints.sh step, found %d)", d.where, d.stack, len(approvals)))
			continue
		}
		at, sqlAt := approvals[0], j.sqlApplyAt()
		if sqlAt < at {
			problems = append(problems, d.where+": the SQL apply runs before the managed private endpoints are approved")
			continue
		}
		if !slices.ContainsFunc(j.Steps[at+1:sqlAt], func(s *Step) bool { return s.Action() == azureLogin }) {
			problems = append(problems, d.where+": no azure/login between the approvals (which may wait minutes) and the SQL apply")
		}
	}
	return problems
}

// checkSynapseRoles: every deploy job grants the Synapse RBAC roles after `pulumi up` and before
// the SQL apply, and in a job that opens the Synapse firewall, after opening it.
func checkSynapseRoles(wf *Workflow) []string {
	var problems []string
	for _, d := range deployJobs(wf) {
		j := d.job
		roles := j.runs(".github/scripts/synapse-roles.sh")
		if len(roles) != 1 {
			problems = append(problems, fmt.Sprintf("%s: does not grant the Synapse roles (want one synapse-roles.sh step, found %d)", d.where, len(roles)))
			continue
		}
		at := roles[0]
		if at < d.upAt || at > j.sqlApplyAt() {
			problems = append(problems, fmt.Sprintf("%s %s: grant the Synapse roles after pulumi up and before the SQL apply", d.where, j.Steps[at]))
		}
		if open := j.runs("synapse-firewall.sh open"); len(open) > 0 && open[0] > at {
			problems = append(problems, fmt.Sprintf("%s %s: grants the Synapse roles before opening the workspace firewall", d.where, j.Steps[at]))
		}
	}
	return problems
}

var (
	githubHosted = regexp.MustCompile(`(?i)\b(ubuntu|windows|macos)-(latest|\d[\w.-]*)`)
	// runnerVariables name the repository variable holding each private stack's runner labels.
	runnerVariables = map[string]string{"staging": "STAGING_RUNNER_LABEL", "prod": "PROD_RUNNER_LABEL"}
)

// checkProdRunsInTheNetwork: prod's data planes are private, so the prod job runs on the
// self-hosted runner named by the repository variable PROD_RUNNER_LABEL (fromJSON of a label
// array) with no fallback and never a GitHub-hosted label, and it leaves the Synapse firewall alone
// (no public endpoint). Dev stays on the pinned GitHub-hosted image, opening the firewall for the
// runner before the SQL apply and closing it with if: always().
func checkProdRunsInTheNetwork(wf *Workflow) []string {
	var problems []string
	for _, d := range deployJobs(wf) {
		j := d.job
		labels := runsOnValues(j.RunsOn)
		text := strings.Join(labels, " ")
		opens, closes := j.runs("synapse-firewall.sh open"), j.runs("synapse-firewall.sh close")
		switch d.stack {
		case "prod", "staging":
			variable := runnerVariables[d.stack]
			if m := githubHosted.FindString(text); m != "" {
				problems = append(problems, fmt.Sprintf("%s: runs-on names the GitHub-hosted runner %q; %s needs the runner inside the network", d.where, m, d.stack))
			}
			if strings.Contains(text, "||") {
				problems = append(problems, fmt.Sprintf("%s: runs-on %q has a fallback; an unset %s must fail the job", d.where, text, variable))
			}
			want := regexp.MustCompile(`^\$\{\{\s*fromJSON\(\s*vars\.` + variable + `\s*\)\s*\}\}$`)
			if len(labels) != 1 || !want.MatchString(labels[0]) {
				problems = append(problems, fmt.Sprintf("%s: runs-on is %q, want ${{ fromJSON(vars.%s) }}", d.where, text, variable))
			}
			if len(opens)+len(closes) > 0 {
				problems = append(problems, fmt.Sprintf("%s: the %s job calls synapse-firewall.sh, but the %s workspace has no public endpoint", d.where, d.stack, d.stack))
			}
		case "dev":
			if !slices.Equal(labels, []string{"ubuntu-24.04"}) {
				problems = append(problems, fmt.Sprintf("%s: runs-on is %q, want ubuntu-24.04", d.where, text))
			}
			sqlAt := j.sqlApplyAt()
			if len(opens) != 1 || opens[0] > sqlAt {
				problems = append(problems, d.where+": must open the Synapse firewall for the runner before the SQL apply")
			}
			if len(closes) != 1 || closes[0] < sqlAt || !strings.Contains(j.Steps[closes[0]].If, "always()") {
				problems = append(problems, d.where+": must close the Synapse firewall after the SQL apply with if: always()")
			}
		}
	}
	return problems
}
