package api

// me.go is the JSON side of the portal of the people outside the agency:
// sign-in by a link sent by e-mail (POST /v1/portal/links, then
// /v1/portal/sessions), and under /v1/me an interpreter's assignments or a
// counsel's summons, their answers, absences and calendar link. A portal
// session token (Authorization: Bearer) opens /v1/me only; staff tokens
// never do. Every read and write is bounded by the session's person:
// another person's booking is not found.

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

type portalSessionKey struct{}

func portalSessionFrom(ctx context.Context) *resources.PortalSession {
	s, _ := ctx.Value(portalSessionKey{}).(*resources.PortalSession)
	return s
}

// mountPortal mounts the sign-in and /v1/me routes (no staff token).
func (s *Server) mountPortal(r chi.Router) {
	r.Use(limitBody(MaxBody))
	r.Post("/portal/links", s.h(s.portalLinks))
	r.Post("/portal/sessions", s.h(s.portalSessions))
	r.Group(func(r chi.Router) {
		// Unknown parameters are refused before the session is looked up.
		r.Use(s.noParams, s.portalAuth)
		r.Get("/me", s.h(s.me))
		r.Delete("/me/session", s.h(s.meSignOut))
		r.Get("/me/assignments", s.h(meList(s.portal.Assignments)))
		r.Get("/me/assignments/{id}", s.h(s.meAssignment))
		r.Post("/me/assignments/{id}/confirm", s.h(s.meConfirm))
		r.Post("/me/assignments/{id}/decline", s.h(s.meDecline))
		r.Get("/me/summons", s.h(meList(s.portal.Summons)))
		r.Post("/me/summons/{id}/acknowledge", s.h(s.meAcknowledge))
		r.Post("/me/summons/{id}/change-request", s.h(s.meChangeRequest))
		r.Get("/me/absences", s.h(meList(s.portal.Absences)))
		r.Post("/me/absences", s.h(s.meAddAbsence))
		r.Delete("/me/absences/{id}", s.h(s.meDeleteAbsence))
		r.Post("/me/feed", s.h(s.meFeed))
	})
}

// noParams refuses any query parameter (none of /v1/me takes one).
func (s *Server) noParams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := onlyParams(r); err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// portalAuth requires a portal session token.
func (s *Server) portalAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			writeProblem(w, r, s.log, errs.E(errs.Unauthorized, "an Authorization: Bearer portal session token is required"))
			return
		}
		sess, err := s.portal.Session(r.Context(), strings.TrimSpace(token))
		if err != nil {
			writeProblem(w, r, s.log, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), portalSessionKey{}, sess)))
	})
}

type linkRequest struct {
	Email string `json:"email"`
}

// portalLinks sends a sign-in link; the answer is the same whether the
// address is known or not.
func (s *Server) portalLinks(w http.ResponseWriter, r *http.Request) error {
	var req linkRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.portal.RequestLink(r.Context(), req.Email, s.proxies.Client(r)); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "sent",
		"detail": "if the address is known, a sign-in link is on its way to it"})
	return nil
}

type sessionRequest struct {
	Link string `json:"link"`
}

// SessionAnswer is a new portal session: its token (shown once) and person.
type SessionAnswer struct {
	Token     string `json:"token"`
	Role      string `json:"role"`
	Person    string `json:"person"`
	Name      string `json:"name"`
	Locale    string `json:"locale"`
	ExpiresAt string `json:"expires_at"`
}

func (s *Server) portalSessions(w http.ResponseWriter, r *http.Request) error {
	var req sessionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	link := req.Link
	if i := strings.LastIndex(link, "/portal/signin/"); i >= 0 {
		link = link[i+len("/portal/signin/"):]
	}
	token, sess, err := s.portal.SignIn(r.Context(), link)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, SessionAnswer{Token: token, Role: sess.Role, Person: sess.PersonID, Name: sess.Name,
		Locale: sess.Locale, ExpiresAt: sess.ExpiresAt.UTC().Format(time.RFC3339)})
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	sess := portalSessionFrom(r.Context())
	writeJSON(w, http.StatusOK, map[string]string{"role": sess.Role, "person": sess.PersonID, "name": sess.Name,
		"locale": sess.Locale, "expires_at": sess.ExpiresAt.UTC().Format(time.RFC3339)})
	return nil
}

func (s *Server) meSignOut(w http.ResponseWriter, r *http.Request) error {
	_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if err := s.portal.SignOut(r.Context(), strings.TrimSpace(token)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) meAssignment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "assignment")
	if err != nil {
		return err
	}
	a, err := s.portal.Assignment(r.Context(), portalSessionFrom(r.Context()), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// answerAssignment confirms or declines, then answers with the assignment.
func (s *Server) answerAssignment(w http.ResponseWriter, r *http.Request, do func(*resources.PortalSession, int64) error) error {
	id, err := pathID(r, "id", "assignment")
	if err != nil {
		return err
	}
	sess := portalSessionFrom(r.Context())
	if err := do(sess, id); err != nil {
		return err
	}
	a, err := s.portal.Assignment(r.Context(), sess, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) meConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := decodeOptional(r, &struct{}{}); err != nil {
		return err
	}
	return s.answerAssignment(w, r, func(sess *resources.PortalSession, id int64) error {
		return s.portal.Confirm(r.Context(), sess, id)
	})
}

type declineRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) meDecline(w http.ResponseWriter, r *http.Request) error {
	var req declineRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	return s.answerAssignment(w, r, func(sess *resources.PortalSession, id int64) error {
		return s.portal.Decline(r.Context(), sess, id, req.Reason)
	})
}

func (s *Server) meAcknowledge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "summons")
	if err != nil {
		return err
	}
	if err := decodeOptional(r, &struct{}{}); err != nil {
		return err
	}
	if err := s.portal.Acknowledge(r.Context(), portalSessionFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type changeRequest struct {
	Reason    string                   `json:"reason"`
	Dates     []string                 `json:"dates"`
	Proposals []resources.TimeProposal `json:"proposals"`
}

func (s *Server) meChangeRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "summons")
	if err != nil {
		return err
	}
	var req changeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.portal.ProposeOtherTime(r.Context(), portalSessionFrom(r.Context()), id, req.Reason, req.Dates, req.Proposals); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) meAddAbsence(w http.ResponseWriter, r *http.Request) error {
	var a resources.Absence
	if err := decode(r, &a); err != nil {
		return err
	}
	if err := s.portal.AddAbsence(r.Context(), portalSessionFrom(r.Context()), a.Start, a.End); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) meDeleteAbsence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "absence")
	if err != nil {
		return err
	}
	if err := s.portal.DeleteAbsence(r.Context(), portalSessionFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// meFeed makes a new calendar link for the signed-in interpreter (their
// earlier links stop working); the URL is shown once.
func (s *Server) meFeed(w http.ResponseWriter, r *http.Request) error {
	if err := decodeOptional(r, &struct{}{}); err != nil {
		return err
	}
	token, err := s.portal.RotateFeed(r.Context(), portalSessionFrom(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"url": s.feedURL(r, token)})
	return nil
}

// meList answers with the signed-in person's list that list reads.
func meList[T any](list func(context.Context, *resources.PortalSession) ([]T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		xs, err := list(r.Context(), portalSessionFrom(r.Context()))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(xs)})
		return nil
	}
}

// bookingList answers with a list about an existing booking (404 for one
// that does not exist).
func (s *Server) bookingList(list func(context.Context, int64) (any, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := onlyParams(r); err != nil {
			return err
		}
		id, err := pathID(r, "id", "booking")
		if err != nil {
			return err
		}
		if _, err := s.db.Booking(r.Context(), id); err != nil {
			return err
		}
		xs, err := list(r.Context(), id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": xs})
		return nil
	}
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// mountAttention mounts the clerks' view of what the people outside the
// agency said: the "needs attention" list, a booking's participants and
// its mails.
func (s *Server) mountAttention(r chi.Router) {
	clerk := r.With(require(resources.RoleClerk))
	clerk.Get("/attention", s.h(func(w http.ResponseWriter, r *http.Request) error {
		if err := onlyParams(r); err != nil {
			return err
		}
		as, err := s.db.NeedsAttention(r.Context(), s.now())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(as)})
		return nil
	}))
	clerk.Get("/bookings/{id}/participants", s.h(s.bookingList(func(ctx context.Context, id int64) (any, error) {
		ps, err := s.db.Participants(ctx, id)
		return nonNil(ps), err
	})))
	r.With(require(resources.RoleManager)).Get("/bookings/{id}/mails", s.h(s.bookingList(func(ctx context.Context, id int64) (any, error) {
		ms, err := s.db.Mails(ctx, id)
		return nonNil(ms), err
	})))
}
