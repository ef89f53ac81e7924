package portal

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
	"github.com/asylum-scheduling/interviews/web/session"
)

// nextCookie keeps, between asking for a sign-in link and spending it,
// the page to return to (returnPath): a mail's deep link opened without a
// session lands on that page after sign-in.
const nextCookie = "__Host-ivportalnext"

// returnPath accepts a place to go after sign-in: a same-site relative
// path of the portal's pages (never the sign-in pages, never one with a
// dot segment); anything else is refused, so that no link sends people
// elsewhere.
func returnPath(next string) (string, bool) {
	p, ok := page.LocalPath(next)
	if !ok || !strings.HasPrefix(p, "/portal/") || strings.HasPrefix(p, "/portal/signin") {
		return "", false
	}
	path, _, _ := strings.Cut(p, "?")
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." || strings.Contains(strings.ToLower(seg), "%2e") {
			return "", false
		}
	}
	return p, true
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	next, hasNext := returnPath(r.URL.Query().Get("next"))
	if s := v.Person; s != nil {
		to := "/portal/assignments"
		if s.Role == resources.PortalCounsel {
			to = "/portal/summons"
		}
		if hasNext {
			to = next
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return "", nil
	}
	v.Title, v.Next = tr(v.L, "signin.title"), next
	v.Path = signinPath(next)
	return "signin", nil
}

// signinPath is the sign-in page with its return target, so that the
// language switch keeps it.
func signinPath(next string) string {
	if next == "" {
		return "/portal/"
	}
	return "/portal/?next=" + url.QueryEscape(next)
}

// askLink sends a sign-in link. The answer is the same whether the
// address is known or not.
func (h *Handler) askLink(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	v.Title = tr(v.L, "signin.title")
	next, hasNext := returnPath(r.PostFormValue("next"))
	v.Path = signinPath(next)
	if err := h.svc.RequestLink(r.Context(), r.PostFormValue("email"), h.proxies.Client(r)); err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid:
			v.Error, v.Next = errs.MessageOf(err), next
			return "signin", nil
		case errs.RateLimited:
			// The same answer as ever: nothing tells an address from another.
			v.Data = "sent"
			return "signin", nil
		}
		return "", err
	}
	if hasNext {
		session.SetCookie(w, nextCookie, url.QueryEscape(next), int(h.svc.LinkTTL.Seconds()))
	}
	v.Data = "sent"
	return "signin", nil
}

// linkPage shows a button that spends the link: a mail scanner that
// fetches the link does not sign anyone in.
func (h *Handler) linkPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	v.Title = tr(v.L, "signin.link")
	v.Data = chi.URLParam(r, "secret")
	return "link", nil
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	secret, sess, err := h.svc.SignIn(r.Context(), chi.URLParam(r, "secret"))
	if errs.CodeOf(err) == errs.Unauthorized {
		v.Title, v.Error, v.status = tr(v.L, "signin.title"), tr(v.L, "signin.bad"), http.StatusUnauthorized
		return "signin", nil
	}
	if err != nil {
		return "", err
	}
	// The language chosen before sign-in (the switch's cookie) stays the
	// session's, over the one on record, until the person chooses another.
	if l := session.CookieValue(r, session.LangCookie); i18n.Valid(l) && l != sess.Locale {
		if err := h.svc.SetLocale(r.Context(), secret, l); err != nil {
			return "", err
		}
	}
	session.SetCookie(w, session.PortalCookie, secret, int(time.Until(sess.ExpiresAt).Seconds()))
	to := "/portal/"
	if c, err := url.QueryUnescape(session.CookieValue(r, nextCookie)); err == nil {
		if next, ok := returnPath(c); ok {
			to = next
		}
	}
	session.SetCookie(w, nextCookie, "", -1)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return "", nil
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	if err := h.svc.SignOut(r.Context(), session.CookieValue(r, session.PortalCookie)); err != nil {
		return "", err
	}
	session.SetCookie(w, session.PortalCookie, "", -1)
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
	return "", nil
}

// switchLang switches the language and goes back to the page (a portal
// page only).
func (h *Handler) switchLang(w http.ResponseWriter, r *http.Request) {
	l := chi.URLParam(r, "lang")
	if !i18n.Valid(l) {
		h.fail(w, r, errs.E(errs.NotFound, "no such language"))
		return
	}
	session.SetCookie(w, session.LangCookie, l, 365*24*3600)
	if s := person(r); s != nil {
		if err := h.svc.SetLocale(r.Context(), session.CookieValue(r, session.PortalCookie), l); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	next, ok := page.LocalPath(r.URL.Query().Get("next"))
	if !ok || !strings.HasPrefix(next, "/portal/") {
		next = "/portal/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
