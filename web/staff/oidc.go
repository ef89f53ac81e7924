package staff

// oidc.go signs staff in with the agency's OpenID provider: the
// authorization code flow with PKCE (S256), a state and a nonce kept in
// PostgreSQL (by the state's hash) for ten minutes and bound to the browser
// by a cookie, the ID token checked by go-oidc (signature, issuer, audience,
// expiry, nonce), and the role taken from a claim of the token (groups, by
// default) through a map of its values to clerk, manager and admin.

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
	websession "github.com/asylum-scheduling/interviews/web/session"
)

// oidcCookie holds the state of a sign-in under way at the provider.
const oidcCookie = "__Host-ivoidc"

// oidcLoginTTL is how long a sign-in at the provider may take.
const oidcLoginTTL = 10 * time.Minute

// OIDCConfig configures sign-in with an OpenID provider.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL (discovery is at
	// Issuer/.well-known/openid-configuration).
	Issuer string
	// ClientID and ClientSecret are this service's client at the provider.
	ClientID, ClientSecret string
	// RedirectURL is this service's /auth/callback, as registered at the
	// provider.
	RedirectURL string
	// RoleClaim names the claim of the ID token that carries the user's
	// groups or roles (a string or a list of strings; a dotted name such as
	// realm_access.roles reaches into objects). Default: groups.
	RoleClaim string
	// RoleMap maps values of the claim to roles; a user with several gets
	// the highest, one with none is refused.
	RoleMap map[string]resources.Role
	// Name is the provider's name on the sign-in page (default: the
	// issuer's host).
	Name string
	// Scopes are asked for at sign-in (default DefaultScopes). openid is
	// always among them. Some providers send groups only for a scope of
	// their own (Dex: groups).
	Scopes []string
	// HTTPClient talks to the provider (default: one with a 10 s timeout).
	HTTPClient *http.Client
}

// DefaultScopes are the scopes asked for when none are configured.
var DefaultScopes = []string{oidc.ScopeOpenID, "profile", "email"}

// ParseScopes reads OIDC_SCOPES: scopes separated by spaces or commas;
// openid is added when missing. Empty: DefaultScopes.
func ParseScopes(s string) []string {
	return scopesOf(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }))
}

// scopesOf is scopes with openid first, DefaultScopes when empty.
func scopesOf(scopes []string) []string {
	if len(scopes) == 0 {
		return DefaultScopes
	}
	out := []string{oidc.ScopeOpenID}
	for _, s := range scopes {
		if s != oidc.ScopeOpenID && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// ParseRoleMap reads a role map: "group=role" pairs separated by commas,
// e.g. "migri-clerks=clerk,migri-managers=manager,migri-admins=admin".
func ParseRoleMap(s string) (map[string]resources.Role, error) {
	out := map[string]resources.Role{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		value, role, ok := strings.Cut(pair, "=")
		value = strings.TrimSpace(value)
		if !ok || value == "" {
			return nil, fmt.Errorf("%q is not value=role", pair)
		}
		r, err := resources.ParseRole(strings.TrimSpace(role))
		if err != nil {
			return nil, fmt.Errorf("%q: %v", pair, err)
		}
		out[value] = r
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no value=role pairs")
	}
	return out, nil
}

// oidcClient is the provider's client, discovered on first use (and again
// after a failure), so that the server starts while the provider is down.
type oidcClient struct {
	cfg      OIDCConfig
	mu       sync.Mutex
	provider *oidc.Provider
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func newOIDCClient(cfg OIDCConfig) *oidcClient {
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "groups"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Name == "" {
		if u, err := url.Parse(cfg.Issuer); err == nil && u.Host != "" {
			cfg.Name = u.Host
		} else {
			cfg.Name = "your organisation's account"
		}
	}
	return &oidcClient{cfg: cfg}
}

// ctx carries the client's HTTP client, for go-oidc and oauth2.
func (o *oidcClient) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.cfg.HTTPClient)
}

// discover returns the OAuth 2 configuration and the ID token verifier.
func (o *oidcClient) discover(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.oauth != nil {
		return o.oauth, o.verifier, nil
	}
	// The provider keeps the context's client for fetching its keys later:
	// not the request's context, which ends with the request.
	dctx, cancel := context.WithTimeout(o.ctx(context.WithoutCancel(ctx)), 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(dctx, o.cfg.Issuer)
	if err != nil {
		return nil, nil, err
	}
	o.oauth = &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: scopesOf(o.cfg.Scopes)}
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID})
	o.provider = p
	return o.oauth, o.verifier, nil
}

// providerDown answers when the provider cannot be reached.
func (h *Handler) providerDown(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Error("web: OpenID provider", "step", page.RouteOf(r), "error", err.Error())
	l := staffLocale(r)
	v := &view{Title: staffT(l, "si.down.title"), L: l, Path: r.URL.RequestURI(), Error: staffT(l, "si.down", h.oidc.cfg.Name)}
	h.render(w, r, http.StatusBadGateway, "error", v, time.Now())
}

// oidcLogin sends the browser to the provider with a fresh state, nonce
// and PKCE challenge.
func (h *Handler) oidcLogin(w http.ResponseWriter, r *http.Request) {
	if h.oidc == nil {
		h.fail(w, r, errs.E(errs.NotFound, "%s", staffT(staffLocale(r), "err.notfound")))
		return
	}
	oc, _, err := h.oidc.discover(r.Context())
	if err != nil {
		h.providerDown(w, r, err)
		return
	}
	state, nonce, verifier := websession.NewSecret(), websession.NewSecret(), oauth2.GenerateVerifier()
	l := postgres.OIDCLogin{Nonce: nonce, Verifier: verifier, Next: safeNext(r.URL.Query().Get("next"))}
	if err := h.sessions.BeginOIDC(r.Context(), state, l, oidcLoginTTL); err != nil {
		h.fail(w, r, err)
		return
	}
	websession.SetCookie(w, oidcCookie, state, int(oidcLoginTTL/time.Second))
	http.Redirect(w, r, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
}

// oidcCallback finishes a sign-in: the state must be this browser's, the
// code is exchanged (with the PKCE verifier), the ID token verified, and the
// role mapped from its claim.
func (h *Handler) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if h.oidc == nil {
		h.fail(w, r, errs.E(errs.NotFound, "%s", staffT(staffLocale(r), "err.notfound")))
		return
	}
	q := r.URL.Query()
	c, err := r.Cookie(oidcCookie)
	websession.SetCookie(w, oidcCookie, "", -1)
	if err != nil || q.Get("state") == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(q.Get("state"))) != 1 {
		h.log.Warn("web: OpenID callback refused: state", "client", h.proxies.Client(r))
		h.fail(w, r, errs.E(errs.Forbidden, "%s", staffT(staffLocale(r), "si.state")))
		return
	}
	l, err := h.sessions.TakeOIDC(r.Context(), c.Value)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if e := q.Get("error"); e != "" {
		h.log.Info("web: OpenID provider refused sign-in", "error", e)
		h.fail(w, r, errs.E(errs.Unauthorized, "%s", staffT(staffLocale(r), "si.notsigned", h.oidc.cfg.Name)))
		return
	}
	who, err := h.oidcIdentity(r.Context(), staffLocale(r), q.Get("code"), l)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := h.startSession(r, postgres.StaffByOIDC, who.subject, who.name, who.role)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	websession.SetCookie(w, websession.StaffCookie, id, int(h.sessionMax/time.Second))
	h.log.Info("web: signed in", "method", "oidc", "role", string(who.role))
	http.Redirect(w, r, safeNext(l.Next), http.StatusSeeOther)
}

// oidcUser is who the provider signed in.
type oidcUser struct {
	subject, name string
	role          resources.Role
}

// oidcIdentity exchanges the code, verifies the ID token and maps its role
// claim. Neither the tokens nor the code are logged.
func (h *Handler) oidcIdentity(ctx context.Context, lang, code string, l *postgres.OIDCLogin) (*oidcUser, error) {
	oc, verifier, err := h.oidc.discover(ctx)
	if err != nil {
		return nil, err
	}
	tok, err := oc.Exchange(h.oidc.ctx(ctx), code, oauth2.VerifierOption(l.Verifier))
	if err != nil {
		h.log.Warn("web: OpenID code exchange failed", "error", errText(err))
		return nil, errs.E(errs.Unauthorized, "%s", staffT(lang, "si.notconfirmed", h.oidc.cfg.Name))
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := verifier.Verify(h.oidc.ctx(ctx), raw)
	if err != nil || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		if err == nil {
			err = fmt.Errorf("nonce does not match")
		}
		h.log.Warn("web: OpenID ID token refused", "error", err.Error())
		return nil, errs.E(errs.Unauthorized, "%s", staffT(lang, "si.unverified"))
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, err
	}
	values := claimValues(claims, h.oidc.cfg.RoleClaim)
	if values == nil {
		if values, err = h.userinfoValues(ctx, lang, tok, idt.Subject); err != nil {
			return nil, err
		}
	}
	u := &oidcUser{subject: idt.Subject, name: displayName(claims, idt.Subject)}
	role, ok := mapRole(values, h.oidc.cfg.RoleMap)
	if !ok {
		h.log.Info("web: OpenID sign-in refused: no mapped role", "claim", h.oidc.cfg.RoleClaim)
		return nil, errs.E(errs.Forbidden, "%s", staffT(lang, "si.nogroup", h.oidc.cfg.Name))
	}
	u.role = role
	return u, nil
}

// userinfoValues reads the role claim from the provider's userinfo
// endpoint, for providers that leave it out of the ID token. The answer
// must be about the ID token's subject.
func (h *Handler) userinfoValues(ctx context.Context, lang string, tok *oauth2.Token, subject string) ([]string, error) {
	if h.oidc.provider.UserInfoEndpoint() == "" {
		return nil, nil
	}
	ui, err := h.oidc.provider.UserInfo(h.oidc.ctx(ctx), oauth2.StaticTokenSource(tok))
	if err != nil {
		h.log.Warn("web: OpenID userinfo failed", "error", err.Error())
		return nil, errs.E(errs.Unauthorized, "%s", staffT(lang, "si.nogroups", h.oidc.cfg.Name))
	}
	if ui.Subject != subject {
		h.log.Warn("web: OpenID userinfo is about another subject")
		return nil, errs.E(errs.Unauthorized, "%s", staffT(lang, "si.unverified"))
	}
	var claims map[string]any
	if err := ui.Claims(&claims); err != nil {
		return nil, err
	}
	return claimValues(claims, h.oidc.cfg.RoleClaim), nil
}

// errText is err's message without the provider's response body, which
// may echo what was sent.
func errText(err error) string {
	if re, ok := err.(*oauth2.RetrieveError); ok {
		return "token endpoint: " + re.Response.Status + " " + re.ErrorCode
	}
	return err.Error()
}

// displayName is the user's name, else their user name or e-mail address.
func displayName(claims map[string]any, subject string) string {
	for _, k := range []string{"name", "preferred_username", "email"} {
		if s, ok := claims[k].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return subject
}

// claimValues returns the strings of a claim (a string or a list), reaching
// into objects along a dotted name.
func claimValues(claims map[string]any, name string) []string {
	var v any = claims
	for _, part := range strings.Split(name, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// mapRole returns the highest role that values map to.
func mapRole(values []string, m map[string]resources.Role) (resources.Role, bool) {
	var best resources.Role
	for _, v := range values {
		if r, ok := m[v]; ok && (best == "" || r.Rank() > best.Rank()) {
			best = r
		}
	}
	return best, best != ""
}
