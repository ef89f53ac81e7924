package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// pathID reads the numeric id in path parameter param (of a booking, plan,
// feed…, named by what): a positive whole number, else 400.
func pathID(r *http.Request, param, what string) (int64, error) {
	raw := chi.URLParam(r, param)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(param, what+" id must be a positive whole number, not "+strconv.Quote(truncate(raw, 40)))
	}
	return id, nil
}

// onlyParams refuses query parameters other than names: a misspelt filter
// is a 400, never silently ignored.
func onlyParams(r *http.Request, names ...string) error {
	q := r.URL.Query()
	var probs []errs.FieldError
	for k := range q {
		if !slices.Contains(names, k) {
			msg := "unknown query parameter"
			if len(names) > 0 {
				msg += " (this endpoint takes " + strings.Join(names, ", ") + ")"
			}
			probs = append(probs, errs.FieldError{Path: k, Message: msg})
		}
	}
	if len(probs) == 0 {
		return nil
	}
	slices.SortFunc(probs, func(a, b errs.FieldError) int { return strings.Compare(a.Path, b.Path) })
	return errs.WithFields("unknown query parameters", probs)
}

// truncate cuts s to at most n bytes (on a rune boundary) for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}
