package web_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkSessionLookup: a signed-in request that does nothing but find
// its session in PostgreSQL (GET /signin, which sends the signed-in on):
// the round trip over loopback, per kind of session (an API token's is
// also checked against the token).
func BenchmarkSessionLookup(b *testing.B) {
	e := newOIDCEnvTB(b, true)
	tok := e.browser(b)
	tok.signIn(e.clerk)
	oidc := e.browser(b)
	require.Equal(b, http.StatusSeeOther, e.signInAt(oidc, "anna", "/queue").status)
	for name, br := range map[string]*browser{"token": tok, "oidc": oidc} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				p := br.get("/signin")
				if p.status != http.StatusSeeOther || p.header.Get("Location") != "/queue" {
					b.Fatalf("not signed in: %d %s", p.status, p.header.Get("Location"))
				}
			}
		})
	}
}
