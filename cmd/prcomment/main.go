// Command prcomment appends a section (the offline `make plan` RBAC matrix and policy summary)
// to the pull-request comment that pulumi/actions posts for a stack, so that reviewers read the
// resource diff and the access changes in one place.
//
// pulumi/actions (with comment-on-pr and edit-pr-comment) keeps one comment per command and
// stack and rewrites its whole body on every run; this command runs after it, finds that comment
// by the heading the action writes, and replaces everything from its own marker on with the new
// section. Running it twice leaves one copy of the section.
//
//	prcomment -repo owner/name -pr 42 -stack dev -section-file plan-section.md
//
// It reads GITHUB_TOKEN (pull-requests: write) and GITHUB_API_URL (default https://api.github.com).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

type options struct {
	repo        string
	pr          int
	command     string
	stack       string
	project     string
	sectionFile string
	attempts    int
	wait        time.Duration
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "::error::prcomment: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	opts, err := parseFlags(args)
	if err != nil {
		return err
	}
	if opts.project == "" {
		if opts.project, err = projectName("Pulumi.yaml"); err != nil {
			return err
		}
	}
	section, err := os.ReadFile(opts.sectionFile)
	if err != nil {
		return fmt.Errorf("reading the section: %w", err)
	}
	token := getenv("GITHUB_TOKEN")
	if token == "" {
		return errors.New("GITHUB_TOKEN is not set")
	}
	api := getenv("GITHUB_API_URL")
	if api == "" {
		api = "https://api.github.com"
	}
	gh := &client{api: strings.TrimRight(api, "/"), token: token}

	heading := pulumiHeading(opts.command, opts.project, opts.stack)
	var found *comment
	for attempt := 1; attempt <= opts.attempts; attempt++ {
		comments, err := gh.listComments(ctx, opts.repo, opts.pr)
		if err != nil {
			return err
		}
		if found = latestPulumiComment(comments, heading); found != nil {
			break
		}
		if attempt < opts.attempts {
			time.Sleep(opts.wait)
		}
	}
	if found == nil {
		return fmt.Errorf("no comment starting with %q on %s#%d: did the pulumi/actions step run with comment-on-pr?",
			heading, opts.repo, opts.pr)
	}
	body := mergeSection(found.Body, marker(opts.stack), string(section))
	if body == found.Body {
		fmt.Fprintf(stdout, "comment %d already carries this section\n", found.ID)
		return nil
	}
	if err := gh.updateComment(ctx, opts.repo, found.ID, body); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "appended %s to comment %d (%s)\n", opts.sectionFile, found.ID, found.HTMLURL)
	return nil
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("prcomment", flag.ContinueOnError)
	fs.StringVar(&o.repo, "repo", "", "owner/name of the repository (GITHUB_REPOSITORY)")
	fs.IntVar(&o.pr, "pr", 0, "pull request number")
	fs.StringVar(&o.command, "command", "preview", "the pulumi/actions command whose comment to extend")
	fs.StringVar(&o.stack, "stack", "", "stack name as given to pulumi/actions stack-name")
	fs.StringVar(&o.project, "project", "", "Pulumi project name (default: name in ./Pulumi.yaml)")
	fs.StringVar(&o.sectionFile, "section-file", "", "markdown file with the section to append")
	fs.IntVar(&o.attempts, "attempts", 4, "times to look for the comment before giving up")
	fs.DurationVar(&o.wait, "wait", 5*time.Second, "pause between attempts")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case !strings.Contains(o.repo, "/"):
		return o, fmt.Errorf("-repo must be owner/name, got %q", o.repo)
	case o.pr <= 0:
		return o, errors.New("-pr must be a pull request number")
	case o.stack == "":
		return o, errors.New("-stack is required")
	case o.sectionFile == "":
		return o, errors.New("-section-file is required")
	case o.attempts < 1:
		return o, errors.New("-attempts must be at least 1")
	}
	return o, nil
}

// projectName reads the project name from Pulumi.yaml, the name pulumi/actions puts in its heading.
func projectName(path string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading the project name: %w", err)
	}
	var project struct {
		Name string `yaml:"name"`
	}
	if err := yaml.Unmarshal(raw, &project); err != nil {
		return "", fmt.Errorf("parsing %s: %w", path, err)
	}
	if project.Name == "" {
		return "", fmt.Errorf("%s has no name", path)
	}
	return project.Name, nil
}
