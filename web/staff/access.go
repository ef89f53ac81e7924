package staff

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/httprec"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// access.go records the staff's reads of personal data through the pages
// in the access log (issue 26), and serves the log's page to auditors and
// admins.

// subjectOf says what a page request reads: the kind and id of its
// subject.
type subjectOf func(r *http.Request) (kind, id string)

// param reads the subject's id from a path parameter; kind is fixed.
func param(kind, name string) subjectOf {
	return func(r *http.Request) (string, string) { return kind, chi.URLParam(r, name) }
}

// list is a page that lists people's data of one kind (no single subject).
func list(kind string) subjectOf {
	return func(*http.Request) (string, string) { return kind, "" }
}

// personSubject is the person of /people/{kind}/{id}; a room's page
// reads no one's data.
func personSubject(r *http.Request) (string, string) {
	if kind := chi.URLParam(r, "kind"); kind != "room" {
		return kind, chi.URLParam(r, "id")
	}
	return "", ""
}

// reads records each page of personal data that was shown (200) to the
// signed-in member of staff; the write happens off the request path.
func (h *Handler) reads(of subjectOf) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if h.access == nil {
			return next
		}
		return httprec.AfterGet(next, func(r *http.Request, status int) {
			s := sessionFrom(r.Context())
			if s == nil || status != http.StatusOK {
				return
			}
			kind, id := of(r)
			if kind == "" {
				return
			}
			route := "GET"
			if rctx := chi.RouteContext(r.Context()); rctx != nil {
				route += " " + rctx.RoutePattern()
			}
			h.access.Record(r.Context(), scheduler.Reader{Kind: s.Kind, ID: s.Subject, Role: s.Role}, kind, id, route)
		})
	}
}

// requireAuditor lets auditors and admins through; others see why not,
// and those without a session go to sign in first.
func (h *Handler) requireAuditor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessionFrom(r.Context())
		if s == nil {
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if s.Role != resources.RoleAuditor && s.Role != resources.RoleAdmin {
			l := staffLocale(r)
			h.fail(w, r, errs.E(errs.Forbidden, "%s", staffT(l, "si.role", staffT(l, "role.auditor"), staffT(l, "role."+string(s.Role)))))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// accessData is what the access log's page shows.
type accessData struct {
	Query   resources.AccessQuery
	Entries []accessRow
	Next    string // the next page's URL; "": none
	Kinds   []string
}

// accessRow is an entry of the log as the page shows it.
type accessRow struct {
	resources.Access
	Who string // who read, in words (actorWord)
}

// accessKinds are the kinds the page's filter offers.
var accessKinds = []string{resources.AccessInterview, resources.AccessBooking, resources.AccessParticipants,
	resources.AccessInterpreter, resources.AccessInterviewer, resources.AccessParty, resources.AccessExport,
	resources.AccessMails, resources.AccessAudit, resources.AccessAbsences, resources.AccessAttention}

// accessPage lists the access log, newest first, by the filters of the
// query (what, whose read, when).
func (h *Handler) accessPage(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	q := r.URL.Query()
	aq := resources.AccessQuery{SubjectKind: q.Get("subject_kind"), SubjectID: q.Get("subject_id"), Actor: q.Get("actor"),
		From: q.Get("from"), To: q.Get("to"), Cursor: q.Get("cursor"), Limit: 50}
	p, err := h.store.AccessLog(r.Context(), aq)
	if err != nil {
		return "", err
	}
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	d := accessData{Query: aq, Kinds: accessKinds}
	for _, a := range p.Items {
		a.At = localStamp(v.L, a.At, c.loc)
		d.Entries = append(d.Entries, accessRow{Access: a, Who: actorWord(v.L, a)})
	}
	if p.NextCursor != "" {
		q.Set("cursor", p.NextCursor)
		d.Next = "/access-log?" + q.Encode()
	}
	v.Title, v.Nav, v.Data = v.T("access.title"), "access", d
	return "access_log", nil
}

// actorWord names who read: an API token by its number, a user of the
// OpenID provider by the provider's subject.
func actorWord(l string, a resources.Access) string {
	if a.ActorKind == "token" {
		if _, err := strconv.ParseInt(a.Actor, 10, 64); err == nil {
			return staffT(l, "access.token", a.Actor)
		}
	}
	return a.Actor
}
