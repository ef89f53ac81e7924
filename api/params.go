package api

import (
	"net/http"
	"strconv"

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
