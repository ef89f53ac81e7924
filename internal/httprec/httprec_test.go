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
