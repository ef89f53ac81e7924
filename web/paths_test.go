package web_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A page's address is the same whether a client (or html/template, in the
// pages' own links) escaped characters of an id or not.
func TestEscapedIDsInPagePaths(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser(t)
	b.signIn(e.clerk)
	for _, c := range []struct{ plain, escaped string }{
		{"/cases/I-0001", "/cases/%49-0001"},
		{"/cases/I-0001", "/cases/I%2D0001"},
	} {
		plain := b.get(c.plain)
		require.Equal(t, http.StatusOK, plain.status, c.plain)
		p := b.get(c.escaped)
		require.Equal(t, http.StatusOK, p.status, "%s: %.300s", c.escaped, p.body)
	}
}
