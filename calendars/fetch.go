package calendars

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Limits of Fetch.
const (
	// FetchTimeout bounds one fetch, connection and body included (ctx may be shorter).
	FetchTimeout = 30 * time.Second
	// MaxFetchBytes is the largest calendar Fetch accepts.
	MaxFetchBytes = 10 << 20
)

// FetchState is what a fetch remembers for the next conditional GET.
type FetchState struct {
	ETag         string // the ETag header, as sent
	LastModified string // the Last-Modified header, as sent (echoed in If-Modified-Since)
}

// FetchResult is one fetch's outcome.
type FetchResult struct {
	// NotModified is true when the server answered 304: Body is empty, keep
	// the previous import.
	NotModified bool
	Body        []byte
	// State is what to pass as prev next time.
	State FetchState
}

// Fetch does a conditional GET of an outside calendar (If-None-Match and
// If-Modified-Since from prev), bounded by FetchTimeout and MaxFetchBytes.
// webcal:// URLs are fetched over https. Only a 200 or a 304 is a success.
// Errors name the URL without its path or query, which often hold a secret.
//
// The caller's client decides where requests may go: for URLs entered by
// users, give it a dialer that refuses loopback and private addresses.
func Fetch(ctx context.Context, client *http.Client, rawURL string, prev FetchState) (FetchResult, error) {
	return fetch(ctx, client, rawURL, prev, FetchTimeout, MaxFetchBytes)
}

func fetch(ctx context.Context, client *http.Client, rawURL string, prev FetchState, timeout time.Duration, maxBytes int64) (FetchResult, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return FetchResult{}, errors.New("calendars: fetch: invalid calendar URL")
	}
	switch strings.ToLower(u.Scheme) {
	case "webcal", "webcals":
		u.Scheme = "https"
	case "http", "https":
	default:
		return FetchResult{}, fmt.Errorf("calendars: fetch: unsupported URL scheme %q (want http, https or webcal)", u.Scheme)
	}
	if u.Host == "" {
		return FetchResult{}, errors.New("calendars: fetch: calendar URL has no host")
	}
	where := u.Scheme + "://" + u.Host
	fail := func(format string, args ...any) (FetchResult, error) {
		return FetchResult{}, fmt.Errorf("calendars: fetch %s: %s", where, fmt.Sprintf(format, args...))
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fail("%v", err)
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	req.Header.Set("User-Agent", "asylum-interviews-calendar-import/1")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL and its secrets
		}
		return FetchResult{}, fmt.Errorf("calendars: fetch %s: %w", where, err)
	}
	defer resp.Body.Close()

	switch resp.StatusCode {
	case http.StatusNotModified:
		st := prev
		if v := resp.Header.Get("ETag"); v != "" {
			st.ETag = v
		}
		if v := resp.Header.Get("Last-Modified"); v != "" {
			st.LastModified = v
		}
		return FetchResult{NotModified: true, State: st}, nil
	case http.StatusOK:
	default:
		return fail("server answered %s", resp.Status)
	}
	if resp.ContentLength > maxBytes {
		return fail("calendar is %d bytes, more than the limit of %d", resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return fail("reading the calendar: %v", err)
	}
	if int64(len(body)) > maxBytes {
		return fail("calendar is more than the limit of %d bytes", maxBytes)
	}
	return FetchResult{
		Body:  body,
		State: FetchState{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
	}, nil
}
