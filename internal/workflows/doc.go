// Package workflows has no code, only tests: they parse .github/workflows and check, offline,
// the delivery contracts that matter — every PR previews both stacks and comments on the PR, prod
// is deployed only through the `production` environment and only after dev, Azure access is OIDC
// with no client secrets, no workflow triggers on pull_request_target, third-party actions are
// pinned to a commit with its version, the Pulumi CLI version is pinned in one file, the Data
// Factory trigger is stopped before `pulumi up` and synced with the config after it, managed private
// endpoint connections are approved only after `up` (always in prod), the Synapse roles are granted
// before the SQL apply, and prod runs on the self-hosted runner named by vars.PROD_RUNNER_LABEL,
// never on a GitHub-hosted one. The scripts the workflows call run against a fake `az`. Each
// check is also run against a deliberately broken copy of the workflow, so none of them can pass
// vacuously.
package workflows
