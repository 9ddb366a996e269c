package main

import (
	"fmt"
	"strings"
)

// pulumiSummaryTag is part of every comment pulumi/actions writes; with the heading it is how
// the action itself recognises its comment when edit-pr-comment is on.
const pulumiSummaryTag = "<summary>Pulumi report</summary>"

// maxCommentChars stays under GitHub's 65,536-character limit for a comment body.
const maxCommentChars = 65000

// pulumiHeading is the first line of the comment pulumi/actions posts for a command and stack
// (src/libs/pr.ts in pulumi/actions v7.0.0).
func pulumiHeading(command, project, stack string) string {
	return fmt.Sprintf("#### :tropical_drink: `%s` on %s/%s", command, project, stack)
}

// marker delimits the appended section; everything after it belongs to this command.
func marker(stack string) string {
	return fmt.Sprintf("<!-- customer-analytics:offline-plan:%s -->", stack)
}

// mergeSection returns body with any earlier copy of the section (from the marker to the end)
// replaced by section. The section is cut, with a note, if the comment would grow past GitHub's
// limit.
func mergeSection(body, mark, section string) string {
	if i := strings.Index(body, mark); i >= 0 {
		body = body[:i]
	}
	head := strings.TrimRight(body, "\n") + "\n\n" + mark + "\n"
	section = strings.TrimSpace(section) + "\n"
	if room := maxCommentChars - len(head); len(section) > room {
		const note = "\n\n_(cut to fit a GitHub comment: the full plan is in the job summary)_\n"
		keep := max(room-len(note), 0)
		section = strings.ToValidUTF8(section[:keep], "") + note
	}
	return head + section
}

type comment struct {
	ID        int64  `json:"id"`
	Body      string `json:"body"`
	HTMLURL   string `json:"html_url"`
	UpdatedAt string `json:"updated_at"`
}

// latestPulumiComment picks, among the comments pulumi/actions wrote for this heading, the one
// updated last: the action edits the first match it sees in the first page of comments, and
// posts a new one when it sees none, so the most recently touched one is this run's.
func latestPulumiComment(comments []comment, heading string) *comment {
	var latest *comment
	for i := range comments {
		c := &comments[i]
		if !strings.HasPrefix(c.Body, heading) || !strings.Contains(c.Body, pulumiSummaryTag) {
			continue
		}
		// RFC 3339 UTC timestamps from the API order correctly as strings.
		if latest == nil || c.UpdatedAt >= latest.UpdatedAt {
			latest = c
		}
	}
	return latest
}
