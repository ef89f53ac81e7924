package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// Problem is an RFC 9457 problem details document, with the service's
// stable error code and per-field problems.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Code     errs.Code         `json:"code"`
	Errors   []errs.FieldError `json:"errors,omitempty"`
	Instance string            `json:"instance,omitempty"`
}

// ProblemType is the prefix of the problem type URIs; the code follows.
const ProblemType = "urn:interviews:problem:"

func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := errs.CodeOf(err)
	status := errs.Status(code)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, status = errs.TooLarge, http.StatusRequestEntityTooLarge
		err = errs.E(errs.TooLarge, "the request body is larger than %d bytes", mbe.Limit)
	}
	if log == nil {
		log = slog.Default()
	}
	if code == errs.Internal {
		// The cause goes to the log (SQL errors name no person: the
		// statements take their values as parameters), never to the client.
		log.ErrorContext(r.Context(), "internal error", "request_id", requestID(r.Context()), "error", err.Error())
	}
	p := Problem{
		Type:   ProblemType + string(code),
		Title:  http.StatusText(status),
		Status: status,
		Detail: truncate(errs.MessageOf(err), MaxEcho),
		Code:   code,
		Errors: boundedFields(errs.FieldsOf(err)),
	}
	if code == errs.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="interviews"`)
	}
	if secs := errs.RetryOf(err); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

// writeRaw writes an encoded JSON body with status 200.
func writeRaw(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// MaxEcho bounds a problem's detail and each field message, in bytes: they
// may quote what the client sent (an id in the path of any length).
const MaxEcho = 1000

// boundedFields is fs with each message cut to MaxEcho (a copy: fs may be
// shared by the error).
func boundedFields(fs []errs.FieldError) []errs.FieldError {
	if fs == nil {
		return nil
	}
	out := make([]errs.FieldError, len(fs))
	for i, f := range fs {
		out[i] = errs.FieldError{Path: truncate(f.Path, MaxEcho), Message: truncate(f.Message, MaxEcho)}
	}
	return out
}
