package session

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// StaffStore is what the staff's sessions need of the store: their
// sessions, the OpenID sign-ins under way, and the API tokens staff sign in
// with. The pages' handlers never hold it: they reach it only through
// Staff's methods.
type StaffStore interface {
	CreateStaffSession(ctx context.Context, hash []byte, s postgres.StaffSession, now time.Time, idle time.Duration) error
	StaffSessionByHash(ctx context.Context, hash []byte, now time.Time, idle time.Duration) (*postgres.StaffSession, error)
	SetStaffFlash(ctx context.Context, hash []byte, msg string) error
	DeleteStaffSession(ctx context.Context, hash []byte) error
	DeleteStaffSessionsOf(ctx context.Context, kind, subject string) (int64, error)
	CreateOIDCLogin(ctx context.Context, stateHash []byte, l postgres.OIDCLogin, now time.Time, ttl time.Duration) error
	TakeOIDCLogin(ctx context.Context, stateHash []byte, now time.Time) (*postgres.OIDCLogin, error)
	Authenticate(ctx context.Context, token string) (*resources.Token, error)
	TokenRole(ctx context.Context, id int64) (role resources.Role, live bool, err error)
}

// StaffUser is a signed-in member of staff: who signed in (an API token:
// its id, name and role, never the token itself; or a user of the OpenID
// provider) and the CSRF token of the session's forms.
type StaffUser struct {
	Kind    string // postgres.StaffByToken or postgres.StaffByOIDC
	Subject string // the token's id, or the provider's subject
	TokenID int64  // signed in with a token: its id
	Name    string
	Role    resources.Role
	CSRF    string
	hash    []byte // the SHA-256 of its id
	flash   string // a confirmation for the next page
}

// Manager reports whether the user may use the managers' pages.
func (s *StaffUser) Manager() bool { return s != nil && s.Role.Rank() >= resources.RoleManager.Rank() }

// Staff keeps the staff's sessions in PostgreSQL, by the SHA-256 of their
// id: a session id read from the database cannot be used as a cookie. A
// restart, or another replica, keeps people signed in. A session ends idle
// after ttl and at the latest max after it began (Live, Touch).
type Staff struct {
	store    StaffStore
	now      func() time.Time
	ttl, max time.Duration
}

// NewStaff returns the staff's sessions on store.
func NewStaff(store StaffStore, now func() time.Time, ttl, max time.Duration) *Staff {
	return &Staff{store: store, now: now, ttl: ttl, max: max}
}

// Create starts a session of kind for subject and returns its id (for the
// cookie).
func (ss *Staff) Create(ctx context.Context, kind, subject, name string, role resources.Role) (string, error) {
	id := NewSecret()
	now := ss.now()
	err := ss.store.CreateStaffSession(ctx, Hash(id), postgres.StaffSession{Kind: kind, Subject: subject, Name: name, Role: role,
		CSRF: NewSecret(), Expires: now.Add(ss.max)}, now, ss.ttl)
	return id, err
}

// Get returns the live session of id, or nil; it extends its life. The
// token behind a session is checked each time: a revoked token (or one
// whose role changed) ends every session of it at once.
func (ss *Staff) Get(ctx context.Context, id string) (*StaffUser, error) {
	if id == "" {
		return nil, nil
	}
	k := Hash(id)
	st, err := ss.store.StaffSessionByHash(ctx, k, ss.now(), ss.ttl)
	if errs.CodeOf(err) == errs.Unauthorized {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := &StaffUser{Kind: st.Kind, Subject: st.Subject, Name: st.Name, Role: st.Role, CSRF: st.CSRF, hash: k, flash: st.Flash}
	if s.Kind != postgres.StaffByToken {
		return s, nil
	}
	if s.TokenID, err = strconv.ParseInt(s.Subject, 10, 64); err != nil {
		return nil, fmt.Errorf("web: session of token %q: %w", s.Subject, err)
	}
	role, live, err := ss.store.TokenRole(ctx, s.TokenID)
	if err != nil {
		return nil, err
	}
	if !live || role != s.Role {
		_, err := ss.DeleteAll(ctx, s)
		return nil, err
	}
	return s, nil
}

// SetFlash keeps a confirmation for the session's next page.
func (ss *Staff) SetFlash(ctx context.Context, s *StaffUser, msg string) error {
	return ss.store.SetStaffFlash(ctx, s.hash, msg)
}

// PopFlash returns and forgets the session's confirmation.
func (ss *Staff) PopFlash(ctx context.Context, s *StaffUser) (string, error) {
	if s.flash == "" {
		return "", nil
	}
	msg := s.flash
	s.flash = ""
	return msg, ss.store.SetStaffFlash(ctx, s.hash, "")
}

// Delete ends the session of id.
func (ss *Staff) Delete(ctx context.Context, id string) error {
	return ss.store.DeleteStaffSession(ctx, Hash(id))
}

// DeleteAll ends every session of the subject of s (sign-out everywhere, a
// revoked token) and says how many.
func (ss *Staff) DeleteAll(ctx context.Context, s *StaffUser) (int64, error) {
	return ss.store.DeleteStaffSessionsOf(ctx, s.Kind, s.Subject)
}

// Authenticate checks an API token a member of staff signs in with.
func (ss *Staff) Authenticate(ctx context.Context, token string) (*resources.Token, error) {
	return ss.store.Authenticate(ctx, token)
}

// BeginOIDC keeps an OpenID sign-in under way (by the hash of its state)
// for ttl.
func (ss *Staff) BeginOIDC(ctx context.Context, state string, l postgres.OIDCLogin, ttl time.Duration) error {
	return ss.store.CreateOIDCLogin(ctx, Hash(state), l, ss.now(), ttl)
}

// TakeOIDC returns and forgets the sign-in under way of state: a state is
// good once.
func (ss *Staff) TakeOIDC(ctx context.Context, state string) (*postgres.OIDCLogin, error) {
	return ss.store.TakeOIDCLogin(ctx, Hash(state), ss.now())
}
