// Package httprec records what a handler answered (status and size), for
// the request logs and metrics of the API and the pages.
package httprec

import "net/http"

// Recorder wraps a ResponseWriter and records the status and the number of
// body bytes written. Status is 0 until the handler writes.
type Recorder struct {
	http.ResponseWriter
	Status int
	Bytes  int
}

// WriteHeader records the first status written.
func (w *Recorder) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records 200 when no status was written, and counts the bytes.
func (w *Recorder) Write(b []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.Bytes += n
	return n, err
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *Recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Answered is the status the client got: 200 when the handler wrote
// nothing.
func (w *Recorder) Answered() int {
	if w.Status == 0 {
		return http.StatusOK
	}
	return w.Status
}
