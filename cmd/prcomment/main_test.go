package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The heading is how the comment is found; it must match pulumi/actions' own format exactly.
func TestHeadingMatchesPulumiActionsFormat(t *testing.T) {
	require.Equal(t, "#### :tropical_drink: `preview` on customer-analytics/dev",
		pulumiHeading("preview", "customer-analytics", "dev"))
}

func TestProjectNameComesFromPulumiYAML(t *testing.T) {
	name, err := projectName(filepath.Join("..", "..", "Pulumi.yaml"))
	require.NoError(t, err)
	require.Equal(t, "customer-analytics", name)
}

func TestMergeSectionAppendsOnceAndReplacesOnRerun(t *testing.T) {
	pulumiBody := pulumiHeading("preview", "p", "dev") + "\n\n<details>\n" + pulumiSummaryTag + "\n<pre>diff</pre>\n</details>\n"
	mark := marker("dev")

	first := mergeSection(pulumiBody, mark, "RBAC v1\n")
	require.True(t, strings.HasPrefix(first, pulumiBody[:len(pulumiBody)-1]), "the Pulumi report is kept as is")
	require.Equal(t, 1, strings.Count(first, mark))
	require.True(t, strings.HasSuffix(first, mark+"\nRBAC v1\n"))

	second := mergeSection(first, mark, "RBAC v2")
	require.Equal(t, 1, strings.Count(second, mark), "a rerun replaces the section, it does not stack copies")
	require.NotContains(t, second, "RBAC v1")
	require.Contains(t, second, "RBAC v2")
	require.Equal(t, second, mergeSection(second, mark, "RBAC v2"), "merging the same section again changes nothing")
}

func TestMergeSectionStaysUnderGitHubCommentLimit(t *testing.T) {
	body := mergeSection(strings.Repeat("p", 60000), marker("prod"), strings.Repeat("| row |\n", 2000))
	require.LessOrEqual(t, len(body), maxCommentChars)
	require.Contains(t, body, "full plan is in the job summary")
}

func TestLatestPulumiCommentIgnoresOtherStacksAndLookalikes(t *testing.T) {
	dev := pulumiHeading("preview", "p", "dev")
	comments := []comment{
		{ID: 1, Body: dev + "\n" + pulumiSummaryTag, UpdatedAt: "2026-11-20T10:00:00Z"},
		{ID: 2, Body: pulumiHeading("preview", "p", "prod") + "\n" + pulumiSummaryTag, UpdatedAt: "2026-11-26T10:00:00Z"},
		{ID: 3, Body: dev + "\nno report tag", UpdatedAt: "2026-11-26T10:00:00Z"},
		{ID: 4, Body: "quote:\n" + dev + "\n" + pulumiSummaryTag, UpdatedAt: "2026-11-26T10:00:00Z"},
		{ID: 5, Body: dev + "\n" + pulumiSummaryTag, UpdatedAt: "2026-11-26T09:00:00Z"},
	}
	got := latestPulumiComment(comments, dev)
	require.NotNil(t, got)
	require.EqualValues(t, 5, got.ID, "the most recently updated comment with the heading and the report tag")
	require.Nil(t, latestPulumiComment(comments, pulumiHeading("up", "p", "dev")))
}

func TestNextPage(t *testing.T) {
	link := `<https://api.github.com/repositories/1/issues/7/comments?page=2>; rel="next", ` +
		`<https://api.github.com/repositories/1/issues/7/comments?page=5>; rel="last"`
	require.Equal(t, "https://api.github.com/repositories/1/issues/7/comments?page=2", nextPage(link))
	require.Empty(t, nextPage(`<https://x/?page=1>; rel="prev"`))
	require.Empty(t, nextPage(""))
}

// fakeGitHub serves the issue-comments API for one pull request, two comments per page.
type fakeGitHub struct {
	mu       sync.Mutex
	comments []comment
	patches  map[int64]string
	srv      *httptest.Server
}

func newFakeGitHub(t *testing.T, comments []comment) *fakeGitHub {
	f := &fakeGitHub{comments: comments, patches: map[int64]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer test-token" {
			http.Error(w, "bad token", http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/repos/org/repo/issues/7/comments":
			page := 1
			if p := r.URL.Query().Get("page"); p != "" {
				_, _ = fmt.Sscan(p, &page)
			}
			from, to := (page-1)*2, min(page*2, len(f.comments))
			if to < len(f.comments) {
				w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=2&page=%d>; rel="next"`, f.srv.URL, r.URL.Path, page+1))
			}
			_ = json.NewEncoder(w).Encode(f.comments[from:to])
		case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/repos/org/repo/issues/comments/"):
			var id int64
			_, _ = fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/repos/org/repo/issues/comments/"), &id)
			var payload struct{ Body string }
			if err := json.NewDecoder(r.Body).Decode(&payload); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			for i := range f.comments {
				if f.comments[i].ID == id {
					f.comments[i].Body = payload.Body
					f.patches[id] = payload.Body
					_ = json.NewEncoder(w).Encode(f.comments[i])
					return
				}
			}
			http.NotFound(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) env(key string) string {
	return map[string]string{"GITHUB_TOKEN": "test-token", "GITHUB_API_URL": f.srv.URL}[key]
}

func writeSection(t *testing.T, text string) string {
	path := filepath.Join(t.TempDir(), "section.md")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

func TestRunAppendsThePlanToTheStacksPulumiCommentAcrossPages(t *testing.T) {
	dev := pulumiHeading("preview", "customer-analytics", "dev")
	prod := pulumiHeading("preview", "customer-analytics", "prod")
	gh := newFakeGitHub(t, []comment{
		{ID: 10, Body: "LGTM"},
		{ID: 11, Body: prod + "\n<details>\n" + pulumiSummaryTag + "\n</details>", UpdatedAt: "2026-11-26T10:00:00Z"},
		{ID: 12, Body: "another review note"},
		{ID: 13, Body: dev + "\n<details>\n" + pulumiSummaryTag + "\n</details>", UpdatedAt: "2026-11-26T10:00:01Z"},
	})
	args := []string{"-repo", "org/repo", "-pr", "7", "-stack", "dev", "-project", "customer-analytics",
		"-section-file", writeSection(t, "| principal | scope | role |\n")}

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), args, gh.env, &out))
	require.Len(t, gh.patches, 1, "only the dev comment is edited")
	require.Contains(t, gh.patches, int64(13), "the dev comment sits on the second page")
	require.True(t, strings.HasPrefix(gh.patches[13], dev), "the body still starts with Pulumi's heading, so pulumi/actions finds it next time")
	require.Contains(t, gh.patches[13], "| principal | scope | role |")

	// A rerun with the same plan finds the section already there and does not write again.
	delete(gh.patches, 13)
	require.NoError(t, run(context.Background(), args, gh.env, &out))
	require.Empty(t, gh.patches)
}

func TestRunFailsLoudlyWhenPulumiPostedNoComment(t *testing.T) {
	gh := newFakeGitHub(t, []comment{{ID: 1, Body: "LGTM"}})
	args := []string{"-repo", "org/repo", "-pr", "7", "-stack", "prod", "-project", "customer-analytics",
		"-attempts", "2", "-wait", time.Millisecond.String(), "-section-file", writeSection(t, "x")}
	err := run(context.Background(), args, gh.env, &bytes.Buffer{})
	require.ErrorContains(t, err, "on customer-analytics/prod")
	require.Empty(t, gh.patches)
}

func TestRunRejectsIncompleteArguments(t *testing.T) {
	for name, args := range map[string][]string{
		"no repo":    {"-pr", "1", "-stack", "dev", "-section-file", "f"},
		"no pr":      {"-repo", "o/r", "-stack", "dev", "-section-file", "f"},
		"no stack":   {"-repo", "o/r", "-pr", "1", "-section-file", "f"},
		"no section": {"-repo", "o/r", "-pr", "1", "-stack", "dev"},
	} {
		t.Run(name, func(t *testing.T) {
			require.Error(t, run(context.Background(), args, func(string) string { return "x" }, &bytes.Buffer{}))
		})
	}
	gh := newFakeGitHub(t, nil)
	noToken := func(k string) string {
		if k == "GITHUB_TOKEN" {
			return ""
		}
		return gh.env(k)
	}
	args := []string{"-repo", "o/r", "-pr", "1", "-stack", "dev", "-project", "p", "-section-file", writeSection(t, "x")}
	require.ErrorContains(t, run(context.Background(), args, noToken, &bytes.Buffer{}), "GITHUB_TOKEN")
}
