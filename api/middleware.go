package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/httprec"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyToken
	keyCaller
)

// caller is filled in by authentication for the request log line, which
// observe writes with the context it made, outside the authenticated one.
type caller struct{ token *resources.Token }

func requestID(ctx context.Context) string {
	s, _ := ctx.Value(keyRequestID).(string)
	return s
}

// TokenFrom returns the token that authenticated the request, if any.
func TokenFrom(ctx context.Context) *resources.Token {
	t, _ := ctx.Value(keyToken).(*resources.Token)
	return t
}

func validRequestID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// observe gives each request an id, recovers panics, logs one line per
// request and counts it in the metrics. Logs carry the route pattern, never
// the path, query or headers: those may hold case numbers or tokens.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		who := &caller{}
		ctx := context.WithValue(context.WithValue(r.Context(), keyRequestID, id), keyCaller, who)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		sw := &httprec.Recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(ctx, "panic", "request_id", id, "panic", strings.SplitN(strings.TrimSpace(toString(p)), "\n", 2)[0])
				if sw.Status == 0 {
					writeProblem(sw, r, s.log, errs.E(errs.Internal, "internal error"))
				}
			}
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "unmatched"
			}
			status := sw.Answered()
			d := s.now().Sub(start)
			s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
			s.metrics.latency.WithLabelValues(route, r.Method).Observe(d.Seconds())
			attrs := []any{"request_id", id, "method", r.Method, "route", route, "status", status,
				"bytes", sw.Bytes, "duration_ms", float64(d.Microseconds()) / 1000}
			if t := who.token; t != nil {
				attrs = append(attrs, "token_id", t.ID, "role", string(t.Role))
			}
			s.log.InfoContext(ctx, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

func toString(p any) string {
	switch v := p.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}

// timeout bounds the time a request may take.
func timeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// markSource tells the services which route a request came by (their
// metrics count by it).
func markSource(source string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(scheduler.WithSource(r.Context(), source)))
		})
	}
}

// limitBody caps the request body.
func limitBody(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				writeProblem(w, r, nil, errs.E(errs.TooLarge, "the request body is larger than %d bytes", n))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// authenticate requires a valid bearer token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			writeProblem(w, r, s.log, errs.E(errs.Unauthorized, "an Authorization: Bearer token is required"))
			return
		}
		t, err := s.records.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		if who, _ := r.Context().Value(keyCaller).(*caller); who != nil {
			who.token = t
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyToken, t)))
	})
}

// decodedPath makes the router match the decoded path, so that a path
// parameter is the same whether a client escaped it or not
// (/v1/locations/%48EL is /v1/locations/HEL). Ids hold no '/', so an
// escaped slash only ever names nothing.
func decodedPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawPath != "" {
			u := *r.URL
			u.RawPath = ""
			r2 := *r
			r2.URL = &u
			r = &r2
		}
		next.ServeHTTP(w, r)
	})
}

// private marks every answer as personal data (case references, people's
// schedules): never stored by a cache, never sniffed as another type.
// Set before the handler runs, so that errors and successes alike carry it.
func private(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// require lets through tokens of role at least min.
func require(min resources.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t := TokenFrom(r.Context())
			if t == nil || t.Role.Rank() < min.Rank() {
				writeProblem(w, r, slog.Default(), errs.E(errs.Forbidden, "this needs the %s role", min))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RejectBadText answers 400 when the path or the query carries a NUL
// character or bytes that are not UTF-8: PostgreSQL cannot store them, and no
// identifier or filter of ours contains them. It guards the pages too.
func RejectBadText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bad := func(s string) bool { return strings.ContainsRune(s, 0) || !utf8.ValidString(s) }
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err == nil && !bad(r.URL.Path) {
			for k, vs := range q {
				if bad(k) {
					err = errs.E(errs.Invalid, "the query has a NUL character or is not UTF-8")
				}
				for _, v := range vs {
					if bad(v) {
						err = errs.E(errs.Invalid, "query parameter %q has a NUL character or is not UTF-8", k)
					}
				}
			}
		} else if err == nil {
			err = errs.E(errs.Invalid, "the path has a NUL character or is not UTF-8")
		} else {
			err = errs.E(errs.Invalid, "the query string is malformed: %v", err)
		}
		if err != nil {
			writeProblem(w, r, nil, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
