package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// client is the little of the GitHub REST API this command needs.
type client struct {
	api   string
	token string
	http  *http.Client
}

func (c *client) do(ctx context.Context, method, url string, body any, out any) (http.Header, error) {
	var payload io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		payload = bytes.NewReader(raw)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, payload)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.http
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the response: %w", method, url, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, strings.TrimSpace(string(raw)))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("%s %s: decoding the response: %w", method, url, err)
		}
	}
	return resp.Header, nil
}

// listComments returns every comment of the pull request, following the Link header's pages.
func (c *client) listComments(ctx context.Context, repo string, pr int) ([]comment, error) {
	var all []comment
	url := fmt.Sprintf("%s/repos/%s/issues/%d/comments?per_page=100", c.api, repo, pr)
	for url != "" {
		var page []comment
		header, err := c.do(ctx, http.MethodGet, url, nil, &page)
		if err != nil {
			return nil, fmt.Errorf("listing comments: %w", err)
		}
		all = append(all, page...)
		url = nextPage(header.Get("Link"))
	}
	return all, nil
}

func (c *client) updateComment(ctx context.Context, repo string, id int64, body string) error {
	url := fmt.Sprintf("%s/repos/%s/issues/comments/%d", c.api, repo, id)
	if _, err := c.do(ctx, http.MethodPatch, url, map[string]string{"body": body}, nil); err != nil {
		return fmt.Errorf("updating comment %d: %w", id, err)
	}
	return nil
}

// nextPage returns the rel="next" URL of a Link header, or "".
func nextPage(link string) string {
	for part := range strings.SplitSeq(link, ",") {
		url, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok {
			continue
		}
		for param := range strings.SplitSeq(params, ";") {
			if strings.TrimSpace(param) == `rel="next"` {
				return strings.Trim(strings.TrimSpace(url), "<>")
			}
		}
	}
	return ""
}
