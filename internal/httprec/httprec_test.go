package httprec_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/httprec"
)

func TestRecorder(t *testing.T) {
	rr := httptest.NewRecorder()
	w := &httprec.Recorder{ResponseWriter: rr}
	require.Equal(t, 200, w.Answered(), "nothing written: 200")
	w.WriteHeader(http.StatusTeapot)
	w.WriteHeader(http.StatusOK) // a second status does not count
	n, err := w.Write([]byte("hello"))
	require.NoError(t, err)
	require.Equal(t, 5, n)
	require.Equal(t, http.StatusTeapot, w.Status)
	require.Equal(t, 5, w.Bytes)
	require.Equal(t, rr, w.Unwrap())

	w2 := &httprec.Recorder{ResponseWriter: httptest.NewRecorder()}
	w2.Write([]byte("x"))
	require.Equal(t, 200, w2.Status, "a write without a status is 200")
}

func TestAfterGet(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method string
		status int
		called bool
	}{
		{http.MethodGet, http.StatusOK, true},
		{http.MethodGet, http.StatusNotFound, true},
		{http.MethodPost, http.StatusOK, false},
	} {
		var got []int
		h := httprec.AfterGet(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c.status != http.StatusOK {
				w.WriteHeader(c.status)
			}
			_, _ = w.Write([]byte("x"))
		}), func(r *http.Request, status int) { got = append(got, status) })
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(c.method, "/", nil))
		require.Equal(t, c.status, rr.Code, c.method)
		if c.called {
			require.Equal(t, []int{c.status}, got, c.method)
		} else {
			require.Empty(t, got, c.method)
		}
	}
}
