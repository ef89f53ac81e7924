// Package errs is the one error type of the service: a stable code, a message
// a person can read, and per-field problems. Every layer returns *Error for the
// failures a caller can act on; anything else is internal.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Code is a stable, machine-readable error class.
type Code string

// The error codes. Their HTTP status is in the table below.
const (
	Invalid            Code = "invalid"
	NotFound           Code = "not_found"
	Conflict           Code = "conflict"
	StillBooked        Code = "still_booked" // a person's data cannot be erased while they hold future bookings or holds
	Unauthorized       Code = "unauthorized"
	Forbidden          Code = "forbidden"
	PreconditionFailed Code = "precondition_failed"
	Unprocessable      Code = "unprocessable" // well-formed, but breaks a rule (e.g. a hard scheduling rule)
	TooLarge           Code = "too_large"
	Unavailable        Code = "unavailable"  // timed out or the database is out of reach: try again
	RateLimited        Code = "rate_limited" // too many requests from this client: try again after Error.Retry
	Internal           Code = "internal"
)

// statuses maps each code to its HTTP status: the only place that does.
var statuses = map[Code]int{
	Invalid:            http.StatusBadRequest,
	NotFound:           http.StatusNotFound,
	Conflict:           http.StatusConflict,
	StillBooked:        http.StatusConflict,
	Unauthorized:       http.StatusUnauthorized,
	Forbidden:          http.StatusForbidden,
	PreconditionFailed: http.StatusPreconditionFailed,
	Unprocessable:      http.StatusUnprocessableEntity,
	TooLarge:           http.StatusRequestEntityTooLarge,
	Unavailable:        http.StatusServiceUnavailable,
	RateLimited:        http.StatusTooManyRequests,
	Internal:           http.StatusInternalServerError,
}

// RetryAfter is how many seconds a client is told to wait (Retry-After)
// before trying again after an unavailable answer.
const RetryAfter = 5

// Status returns the HTTP status of code (500 for an unknown code).
func Status(code Code) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// FieldError is a problem with one field of the input, named by its JSON path
// (the solver's paths for instance documents, e.g. "interviews[3].language").
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error is the service's error type.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	Err     error // the cause, for logs; never shown to clients
	// Retry is how long to wait before trying again (Retry-After), for
	// RateLimited.
	Retry time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return string(e.Code) + ": " + e.Err.Error()
	}
	if e.Err != nil {
		return string(e.Code) + ": " + e.Message + ": " + e.Err.Error()
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E returns an *Error with code and a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and message that keeps err as its cause.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Throttled returns a RateLimited error that says how long to wait.
func Throttled(wait time.Duration, message string) *Error {
	return &Error{Code: RateLimited, Message: message, Retry: wait}
}

// RetryOf is how many whole seconds err says to wait before trying again
// (at least 1), or 0 when it says nothing.
func RetryOf(err error) int {
	var e *Error
	if !errors.As(err, &e) {
		return 0
	}
	switch {
	case e.Code == Unavailable:
		return RetryAfter
	case e.Retry > 0:
		return max(1, int((e.Retry+time.Second-1)/time.Second))
	case e.Code == RateLimited:
		return 1
	}
	return 0
}

// WithFields returns an invalid-input error listing the problems.
func WithFields(message string, fields []FieldError) *Error {
	return &Error{Code: Invalid, Message: message, Fields: fields}
}

// Field returns an invalid-input error for one field.
func Field(path, message string) *Error {
	return &Error{Code: Invalid, Message: message, Fields: []FieldError{{Path: path, Message: message}}}
}

// CodeOf returns the code of the first *Error in err's chain, Internal when
// there is none, and "" for a nil error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// MessageOf returns the message a client may see: the *Error's message, or a
// generic one for internal errors (whose details belong in the logs only).
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// FieldsOf returns the per-field problems of err, if any.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
