package web_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// HEAD is answered wherever GET is (link checkers ask with HEAD; mails'
// links were reported broken with 405): each page gives GET's status and
// content type to HEAD, with no body, signed in or not.
func TestHeadWhereverGet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	iv := demoInstance(t).Interviews[0].ID
	paths := []string{"/", "/signin", "/favicon.ico", "/static/favicon.svg", "/no-such-page", "/portal/", "/portal", "/portal/signin/x", "/portal/assignments",
		"/queue", "/attention", "/planner", "/shortages", "/plans", "/flags", "/scenarios", "/cases/" + iv, "/healthz"}
	head := func(b *browser, path string) page {
		req, err := http.NewRequest(http.MethodHead, e.srv.URL+path, nil)
		require.NoError(t, err)
		return b.do(req)
	}
	anon, staff := e.browser(t), e.browser(t)
	staff.signIn(e.manager)
	for _, b := range []*browser{anon, staff} {
		for _, p := range paths {
			get, h := b.get(p), head(b, p)
			require.NotEqual(t, http.StatusMethodNotAllowed, h.status, "HEAD %s", p)
			require.Equal(t, get.status, h.status, "HEAD %s", p)
			require.Equal(t, get.header.Get("Content-Type"), h.header.Get("Content-Type"), "HEAD %s", p)
			require.Empty(t, h.body, "HEAD %s", p)
		}
	}
}
