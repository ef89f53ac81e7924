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

// AfterGet serves next and, for a GET, then calls done with the request
// and the status the client got: the access log records a read once the
// router has matched and the page or answer was shown. Other methods pass
// straight through.
func AfterGet(next http.Handler, done func(r *http.Request, status int)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		rec := &Recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		done(r, rec.Answered())
	})
}
