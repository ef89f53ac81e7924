package calendars

import (
	"net/url"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// RedactURL keeps the scheme and host of a calendar URL: its path and
// query often hold a secret.
func RedactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host + "/…"
}

// ValidateCalendarURL checks that raw is an absolute http, https or webcal
// URL of at most 2048 characters, naming a host and no credentials. Where
// it may be fetched from is the fetch client's business (importer).
func ValidateCalendarURL(raw string) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return errs.Field("url", "url must not be empty")
	}
	if len(raw) > 2048 {
		return errs.Field("url", "url must be at most 2048 characters")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errs.Field("url", "url is not a valid URL")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "webcal", "webcals":
	default:
		return errs.Field("url", "url must start with https://, http:// or webcal://")
	}
	if u.Host == "" || u.User != nil {
		return errs.Field("url", "url must name a host (and no user or password)")
	}
	return nil
}
