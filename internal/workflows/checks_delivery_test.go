package workflows

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The promotion path (dev -> staging -> prod), the end-to-end workflow and drift detection.

// stackEnvironments: the GitHub environment that alone may change each long-lived stack.
var stackEnvironments = map[string]string{"dev": "dev", "staging": "staging", "prod": "production"}

// privateStacks have no public data-plane endpoint: runner inside the network, managed private
// endpoint approvals, no Synapse firewall steps.
var privateStacks = []string{"staging", "prod"}

// upJob is the job of deploy.yml that runs `pulumi up` on exactly this stack, or nil.
func upJob(wf *Workflow, stack string) *Job {
	for _, d := range deployJobs(wf) {
		if d.stack == stack {
			return d.job
		}
	}
	return nil
}

// checkPromotionPath: deploy.yml promotes dev -> staging -> prod: staging deploys in the `staging`
// environment after the dev deploy, and prod after the staging deploy (so after dev too).
func checkPromotionPath(wf *Workflow) []string {
	var problems []string
	dev, staging, prod := upJob(wf, "dev"), upJob(wf, "staging"), upJob(wf, "prod")
	if dev == nil || staging == nil || prod == nil {
		return []string{fmt.Sprintf("%s: want one job running pulumi up on each of dev, staging and prod", wf.File)}
	}
	if staging.Environment.Name != "staging" {
		problems = append(problems, fmt.Sprintf("%s job %s: deploys staging in environment %q, want \"staging\" (one required reviewer)", wf.File, staging.ID, staging.Environment.Name))
	}
	if !needsClosure(wf, staging)[dev.ID] {
		problems = append(problems, fmt.Sprintf("%s job %s: staging is not deployed after dev (needs %v)", wf.File, staging.ID, staging.Needs))
	}
	if !needsClosure(wf, prod)[staging.ID] {
		problems = append(problems, fmt.Sprintf("%s job %s: prod is not deployed after staging (needs %v)", wf.File, prod.ID, prod.Needs))
	}
	// Two people approve prod: an environment lets any one of its reviewers approve, so a gate job
	// in production-approval (no credentials, after staging) comes before the production job.
	gate := ""
	for id := range needsClosure(wf, prod) {
		if job := wf.Jobs[id]; job != nil && job.Environment.Name == "production-approval" {
			gate = id
			if len(job.Permissions.Writes()) > 0 || len(job.stepsUsing(azureLogin))+len(job.stepsUsing(pulumiAction)) > 0 {
				problems = append(problems, fmt.Sprintf("%s job %s: the approval gate must hold no credentials and reach no cloud", wf.File, id))
			}
			if !needsClosure(wf, job)[staging.ID] {
				problems = append(problems, fmt.Sprintf("%s job %s: the second prod approval is asked before staging is deployed", wf.File, id))
			}
		}
	}
	if gate == "" {
		problems = append(problems, fmt.Sprintf("%s job %s: prod has one approval only (no production-approval gate before it)", wf.File, prod.ID))
	}
	return problems
}

var (
	e2eScript      = ".github/scripts/e2e.sh"
	e2eCall        = regexp.MustCompile(`\.github/scripts/e2e\.sh\s+([a-z-]+)\s+"\$STACK"`)
	otherStackRefs = regexp.MustCompile(`(--stack[ =]"?|STACK=)(dev|staging|prod)\b|vars\.(AZURE_SUBSCRIPTION_ID_(DEV|STAGING|PROD)|PROD_RUNNER_LABEL|STAGING_RUNNER_LABEL)`)
)

// checkE2E: e2e.yml runs by hand or, opted in by vars.E2E_SCHEDULE, on a schedule; only in the `e2e`
// environment (no other workflow uses it, it uses no other); on a stack named from the run id; it
// names no other stack and changes stacks only through e2e.sh (no pulumi/actions command). The name
// check runs before Azure is reached; the phases run in the script's order; the teardown and the
// summary run always, after a fresh login.
func checkE2E(wfs map[string]*Workflow, phases []string) []string {
	var problems []string
	wf := wfs["e2e.yml"]
	if wf == nil {
		return []string{"e2e.yml is missing"}
	}
	for event := range wf.On {
		if event != "workflow_dispatch" && event != "schedule" {
			problems = append(problems, fmt.Sprintf("%s: runs on %s; want workflow_dispatch and an opt-in schedule only", wf.File, event))
		}
	}
	for _, other := range allWorkflows(wfs) {
		for _, job := range sortedJobs(other) {
			if other != wf && job.Environment.Name == "e2e" {
				problems = append(problems, fmt.Sprintf("%s job %s: uses the e2e environment (its identity is e2e.yml's alone)", other.File, job.ID))
			}
		}
	}
	if m := otherStackRefs.FindString(wf.Raw); m != "" {
		problems = append(problems, fmt.Sprintf("%s: names another stack or its settings (%q)", wf.File, m))
	}
	for _, job := range sortedJobs(wf) {
		where := fmt.Sprintf("%s job %s", wf.File, job.ID)
		if job.Environment.Name != "e2e" {
			problems = append(problems, fmt.Sprintf("%s: runs in environment %q, want \"e2e\"", where, job.Environment.Name))
		}
		if _, scheduled := wf.On["schedule"]; scheduled && !strings.Contains(job.If, "vars.E2E_SCHEDULE == 'true'") {
			problems = append(problems, where+": a scheduled run must be opted in by vars.E2E_SCHEDULE == 'true'")
		}
		if !regexp.MustCompile(`format\('e2e-\{0\}-\{1\}', github\.run_id, github\.run_attempt\)`).MatchString(job.Env["STACK"]) {
			problems = append(problems, fmt.Sprintf("%s: env STACK is %q, want e2e-<run id>-<attempt>", where, job.Env["STACK"]))
		}
		if job.Concurrency.Group == "" || job.Concurrency.CancelInProgress != "false" {
			problems = append(problems, where+": needs a concurrency group with cancel-in-progress: false (a cancelled run must still tear down)")
		}
		for _, step := range job.stepsUsing(pulumiAction) {
			if cmd := step.With["command"]; cmd != "" {
				problems = append(problems, fmt.Sprintf("%s %s: runs pulumi/actions %q; e2e stacks change only through %s", where, step, cmd, e2eScript))
			}
		}
		problems = append(problems, checkE2ESteps(where, job, phases)...)
	}
	return problems
}

// checkE2ESteps: the order and conditions of e2e.sh's steps in one job.
func checkE2ESteps(where string, job *Job, phases []string) []string {
	var problems []string
	var order []string
	at := map[string]int{}
	for i, s := range job.Steps {
		if !strings.Contains(s.Run, e2eScript) {
			continue
		}
		calls := e2eCall.FindAllStringSubmatch(s.Run, -1)
		if len(calls) != strings.Count(s.Run, e2eScript) {
			problems = append(problems, fmt.Sprintf("%s %s: calls %s without \"$STACK\"", where, s, e2eScript))
		}
		for _, m := range calls {
			order = append(order, m[1])
			at[m[1]] = i
		}
	}
	login := job.stepIndex(func(s *Step) bool { return s.Action() == azureLogin })
	if check, ok := at["check"]; !ok || login < 0 || check > login {
		problems = append(problems, where+`: the first step after checkout must be e2e.sh check "$STACK", before any Azure login`)
	}
	var ran []string
	for _, name := range order {
		if slices.Contains(phases, name) {
			ran = append(ran, name)
		}
	}
	if !slices.Equal(ran, phases) {
		problems = append(problems, fmt.Sprintf("%s: runs the e2e phases %v, want %v (e2e.sh phases)", where, ran, phases))
		return problems
	}
	last := phases[len(phases)-1]
	for _, name := range phases {
		s := job.Steps[at[name]]
		always := strings.Contains(s.If, "always()")
		if name == last && (!always || s.ContinueOnError != "") {
			problems = append(problems, fmt.Sprintf("%s %s: the %s must run with if: always() and may not be skipped", where, s, name))
		}
		if name != last && always {
			problems = append(problems, fmt.Sprintf("%s %s: phase %s runs after a failure (if: always())", where, s, name))
		}
	}
	teardown, before := at[last], at[phases[len(phases)-2]]
	if !slices.ContainsFunc(job.Steps[before+1:teardown], func(s *Step) bool {
		return s.Action() == azureLogin && strings.Contains(s.If, "always()")
	}) {
		problems = append(problems, where+": no azure/login with if: always() right before the teardown (the session may be older than its token)")
	}
	summary, ok := at["summary"]
	if !ok || summary < teardown || !strings.Contains(job.Steps[summary].If, "always()") ||
		!strings.Contains(job.Steps[summary].Run, "GITHUB_STEP_SUMMARY") {
		problems = append(problems, where+": e2e.sh summary must write $GITHUB_STEP_SUMMARY after the teardown, with if: always()")
	}
	return problems
}

// checkDrift: drift.yml runs on a schedule from main, once per long-lived stack, as the read-only
// preview identity in the `drift` environment, with issues: write for the issue per stack; private
// stacks run on their runners inside the network; each stack has its own concurrency group.
func checkDrift(wf *Workflow) []string {
	if wf == nil {
		return []string{"drift.yml is missing"}
	}
	var problems []string
	if _, ok := wf.On["schedule"]; !ok {
		problems = append(problems, wf.File+": has no schedule")
	}
	for event := range wf.On {
		if event != "schedule" && event != "workflow_dispatch" {
			problems = append(problems, fmt.Sprintf("%s: runs on %s; want schedule and workflow_dispatch only", wf.File, event))
		}
	}
	calls := 0
	for _, job := range sortedJobs(wf) {
		if job.runs(".github/scripts/drift.sh") == nil {
			continue
		}
		calls++
		where := fmt.Sprintf("%s job %s", wf.File, job.ID)
		if stacks := matrixValues(job.Strategy.Matrix, "stack"); !slices.Equal(stacks, []string{"dev", "prod", "staging"}) {
			problems = append(problems, fmt.Sprintf("%s: checks stacks %v, want [dev prod staging]", where, stacks))
		}
		if !strings.Contains(job.If, "refs/heads/main") {
			problems = append(problems, where+": not limited to refs/heads/main")
		}
		if job.Environment.Name != "drift" {
			problems = append(problems, fmt.Sprintf("%s: runs in environment %q, want \"drift\" (read-only identity)", where, job.Environment.Name))
		}
		if !strings.Contains(job.Env["ARM_CLIENT_ID"], "vars.AZURE_PREVIEW_CLIENT_ID") {
			problems = append(problems, where+": ARM_CLIENT_ID is not the read-only preview identity")
		}
		for _, login := range job.stepsUsing(azureLogin) {
			if !strings.Contains(login.With["client-id"], "vars.AZURE_PREVIEW_CLIENT_ID") {
				problems = append(problems, fmt.Sprintf("%s %s: logs in as %q, not the preview identity", where, login, login.With["client-id"]))
			}
		}
		if job.Permissions.Scopes["issues"] != "write" {
			problems = append(problems, where+": cannot open or close issues (permissions issues: write missing)")
		}
		if !strings.Contains(job.Env["STACK"], "matrix.stack") || !strings.Contains(job.Steps[job.runs(".github/scripts/drift.sh")[0]].Run, `drift.sh "$STACK"`) {
			problems = append(problems, where+`: want env STACK: ${{ matrix.stack }} and drift.sh "$STACK"`)
		}
		if !strings.Contains(job.Concurrency.Group, "matrix.stack") || job.Concurrency.CancelInProgress != "false" {
			problems = append(problems, where+": want one concurrency group per stack, never cancelled (issue updates would race)")
		}
		problems = append(problems, checkDriftRunners(where, job)...)
	}
	if calls != 1 {
		problems = append(problems, fmt.Sprintf("%s: want one job calling .github/scripts/drift.sh, found %d", wf.File, calls))
	}
	return problems
}

// checkDriftRunners: runs-on comes from the matrix; dev runs on ubuntu-24.04 and each private stack
// on the runner its repository variable names (a refresh reads private data-plane APIs).
func checkDriftRunners(where string, job *Job) []string {
	var problems []string
	if !regexp.MustCompile(`^\$\{\{\s*fromJSON\(\s*matrix\.runs-on\s*\)\s*\}\}$`).MatchString(strings.Join(runsOnValues(job.RunsOn), " ")) {
		problems = append(problems, where+": runs-on must be ${{ fromJSON(matrix.runs-on) }}")
	}
	want := map[string]string{"dev": `'["ubuntu-24.04"]'`}
	for stack, variable := range runnerVariables {
		want[stack] = "${{ vars." + variable + " }}"
	}
	m := job.Strategy.Matrix
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "include" {
			continue
		}
		for _, entry := range m.Content[i+1].Content {
			var stack, runner string
			for j := 0; j+1 < len(entry.Content); j += 2 {
				switch entry.Content[j].Value {
				case "stack":
					stack = entry.Content[j+1].Value
				case "runs-on":
					runner = entry.Content[j+1].Value
				}
			}
			if w, ok := want[stack]; ok && strings.Join(strings.Fields(runner), "") != strings.Join(strings.Fields(strings.Trim(w, "'")), "") {
				problems = append(problems, fmt.Sprintf("%s: stack %s runs on %q, want %s", where, stack, runner, w))
			}
		}
	}
	return problems
}
