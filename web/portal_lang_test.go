package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web/session"
)

var htmlLangRE = regexp.MustCompile(`<html lang="([a-z]+)">`)

// A person whose record says Finnish picks Svenska on the sign-in page and
// signs in through the mailed link: the portal speaks Swedish, also to the
// session alone (without the switch's cookie), until they choose another.
func TestPortalLanguageChosenBeforeSignInStays(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	var who solver.Interpreter
	for _, x := range in.Interpreters {
		if x.Locale == "fi" {
			who = x
			break
		}
	}
	require.NotEmpty(t, who.ID, "no Finnish-speaking interpreter in the demo")
	lang := func(b *browser, path string) string {
		p := b.get(path)
		require.Equal(t, 200, p.status, p.body)
		m := htmlLangRE.FindStringSubmatch(p.body)
		require.NotNil(t, m, p.body)
		return m[1]
	}
	// Without a choice, the record's language.
	plain := portalBrowser(t, e, who.Email)
	require.Equal(t, "fi", lang(plain, "/portal/assignments"))

	b := e.browser(t)
	p := b.get("/portal/lang/sv?next=/portal/")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "sv", lang(b, "/portal/"))
	portalSignIn(t, b, who.Email)
	require.Equal(t, "sv", lang(b, "/portal/assignments"))
	// The session keeps it: the same session without the switch's cookie.
	bare := e.browser(t)
	bare.jar.c[session.PortalCookie] = b.jar.c[session.PortalCookie]
	require.Equal(t, "sv", lang(bare, "/portal/assignments"))
	// Until they choose otherwise.
	p = b.get("/portal/lang/en?next=/portal/assignments")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "en", lang(b, "/portal/assignments"))
	require.Equal(t, "en", lang(bare, "/portal/assignments"))
}
