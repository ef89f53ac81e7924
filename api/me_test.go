package api_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/internal/clientaddr"
	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// newPortalAPIEnv is the booking fixture with two interpreters and two
// counsels who have addresses: I-1 has counsel c1, I-2 counsel c2.
// It returns the fixture, the SMTP server, a function that moves the clock
// and one that restarts the portal service (a new server on the same data).
func newPortalAPIEnv(t *testing.T) (*env, *mailtest.Server, func(time.Duration), func()) {
	in := bookingFixture(t)
	in.Interpreters[0].Email, in.Interpreters[0].Name, in.Interpreters[0].Locale = "t1@example.org", "Samir Haddad", "fi"
	t2 := in.Interpreters[0]
	t2.ID, t2.Email, t2.Name = "t2", "t2@example.org", "Hiwet Tesfaye"
	in.Interpreters = append(in.Interpreters, t2)
	in.Parties[0].Email, in.Parties[0].Name = "c1@example.org", "Eva Lind"
	c2 := in.Parties[0]
	c2.ID, c2.Email, c2.Name = "c2", "c2@example.org", "Timo Niemi"
	in.Parties = append(in.Parties, c2)
	in.Interviews[0].Parties = []string{"c1"}
	in.Interviews[1].Parties = []string{"c2"}
	e, clk, _ := newBookingEnv(t, in)
	srv := mailtest.Start(t)
	sender, err := mail.NewSender(srv.URL(), "booking@migri.example")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	restart := func() {
		e.rewire(func(d *api.Deps) {
			d.Portal = scheduler.NewPortal(ctx, e.db, d.Booking, d.Log, clk.Now, "https://interviews.example",
				scheduler.SigninMail(sender, "booking@migri.example", nil))
		})
	}
	restart()
	return e, srv, func(d time.Duration) { clk.Add(d) }, restart
}

var apiLinkRE = regexp.MustCompile(`https://interviews\.example/portal/signin/[A-Za-z0-9_-]+`)

// apiSignIn asks for a link for addr through the API, reads it from the
// mail and opens a session; it returns the session token and the link.
func apiSignIn(t *testing.T, e *env, srv *mailtest.Server, addr string) (string, string) {
	t.Helper()
	before := len(srv.To(addr))
	r := e.do("", "POST", "/v1/portal/links", map[string]string{"email": addr})
	require.Equal(t, 202, r.Status, "%s", r.Body)
	msgs := srv.Wait(t, addr, before+1, 10*time.Second)
	link := apiLinkRE.FindString(msgs[len(msgs)-1].Text)
	require.NotEmpty(t, link)
	r = e.do("", "POST", "/v1/portal/sessions", map[string]string{"link": link})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var s api.SessionAnswer
	r.json(t, &s)
	return s.Token, link
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// Each person reads and answers only their own: another interpreter's
// assignment or another counsel's summons is not found (404) through the
// API; links work once and expire; staff tokens do not open /v1/me and
// portal tokens do not open the staff API; the answer to a link request is
// the same for an unknown address, which gets no mail.
func TestPortalAPIKeepsEachToTheirOwn(t *testing.T) {
	t.Parallel()
	e, srv, advance, restart := newPortalAPIEnv(t)
	book := func(iv string) int64 {
		r := e.do(resources.RoleClerk, "POST", "/v1/interviews/"+iv+"/booking", map[string]any{
			"start": map[string]string{"I-1": "2026-12-07T08:00:00+02:00", "I-2": "2026-12-07T08:00:00+02:00"}[iv],
			"room":  map[string]string{"I-1": "HEL-R1", "I-2": "HEL-R2"}[iv], "interviewer": map[string]string{"I-1": "e1", "I-2": "e2"}[iv],
			"interpreter": map[string]string{"I-1": "t1", "I-2": "t2"}[iv], "mode": "onsite"})
		require.Equal(t, 201, r.Status, "%s", r.Body)
		var b resources.Booking
		r.json(t, &b)
		return b.ID
	}
	b1, b2 := book("I-1"), book("I-2")

	t1, link := apiSignIn(t, e, srv, "t1@example.org")
	t2, _ := apiSignIn(t, e, srv, "T2@Example.org") // addresses compare case-insensitively
	c2, _ := apiSignIn(t, e, srv, "c2@example.org")

	// A link works once.
	r := e.do("", "POST", "/v1/portal/sessions", map[string]string{"link": link})
	require.Equal(t, 401, r.Status)

	// Sessions live in the database: a new server (a restart, another
	// replica) knows them.
	restart()
	r = e.do("", "GET", "/v1/me", nil, bearer(t1)...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"person":"t1"`)

	// Own assignment: yes; another's: not found, by read and by answer.
	r = e.do("", "GET", "/v1/me/assignments", nil, bearer(t1)...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), fmt.Sprintf(`"booking":%d`, b1))
	require.NotContains(t, string(r.Body), fmt.Sprintf(`"booking":%d`, b2))
	require.NotContains(t, string(r.Body), "C-1", "an interpreter never sees the case reference")
	for _, try := range []struct{ method, path string }{
		{"GET", fmt.Sprintf("/v1/me/assignments/%d", b1)},
		{"POST", fmt.Sprintf("/v1/me/assignments/%d/confirm", b1)},
	} {
		r = e.do("", try.method, try.path, nil, bearer(t2)...)
		require.Equal(t, 404, r.Status, "%s %s as t2: %s", try.method, try.path, r.Body)
	}
	r = e.do("", "POST", fmt.Sprintf("/v1/me/assignments/%d/decline", b1), map[string]string{"reason": "other"}, bearer(t2)...)
	require.Equal(t, 404, r.Status)
	// ... and nothing changed.
	r = e.do("", "GET", fmt.Sprintf("/v1/me/assignments/%d", b1), nil, bearer(t1)...)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"status":"requested"`, "another interpreter's answer changed the assignment")
	// The counsel of I-2 cannot answer I-1's summons, nor read assignments.
	r = e.do("", "POST", fmt.Sprintf("/v1/me/summons/%d/acknowledge", b1), nil, bearer(c2)...)
	require.Equal(t, 404, r.Status)
	r = e.do("", "GET", "/v1/me/assignments", nil, bearer(c2)...)
	require.Equal(t, 403, r.Status)
	r = e.do("", "GET", "/v1/me/summons", nil, bearer(c2)...)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"case":"C-2"`)
	require.NotContains(t, string(r.Body), "C-1")
	// The counsel proposes other times; their summons and the clerks'
	// needs-attention list show them.
	r = e.do("", "POST", fmt.Sprintf("/v1/me/summons/%d/change-request", b2), map[string]any{"reason": "in court",
		"proposals": []map[string]string{{"date": "2026-12-09", "part": "afternoon"}, {"date": "2026-12-10", "part": "morning"}}},
		bearer(c2)...)
	require.Equal(t, 204, r.Status, "%s", r.Body)
	r = e.do("", "GET", "/v1/me/summons", nil, bearer(c2)...)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body),
		`"proposals":[{"date":"2026-12-09","part":"afternoon"},{"date":"2026-12-10","part":"morning"}]`)
	r = e.do(resources.RoleClerk, "GET", "/v1/attention", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body),
		`"detail":"in court","proposals":[{"date":"2026-12-09","part":"afternoon"},{"date":"2026-12-10","part":"morning"}]`)

	// The tokens of one side do not open the other.
	r = e.do(resources.RoleAdmin, "GET", "/v1/me", nil)
	require.Equal(t, 401, r.Status)
	r = e.do("", "GET", "/v1/interviews", nil, bearer(t1)...)
	require.Equal(t, 401, r.Status)

	// The clerks see each person's answer and the mails sent.
	r = e.do(resources.RoleClerk, "GET", fmt.Sprintf("/v1/bookings/%d/participants", b1), nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"id":"t1"`)
	require.Contains(t, string(r.Body), `"status":"requested"`)
	require.Contains(t, string(r.Body), `"id":"c1"`)
	require.Equal(t, 404, e.do(resources.RoleClerk, "GET", "/v1/bookings/999999/participants", nil).Status)
	r = e.do(resources.RoleManager, "GET", fmt.Sprintf("/v1/bookings/%d/mails", b1), nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"method":"REQUEST"`)
	require.NotContains(t, string(r.Body), "@example.org", "the mail list shows no addresses")
	require.Equal(t, 403, e.do(resources.RoleClerk, "GET", fmt.Sprintf("/v1/bookings/%d/mails", b1), nil).Status)

	// Own answers work.
	r = e.do("", "POST", fmt.Sprintf("/v1/me/assignments/%d/confirm", b1), nil, bearer(t1)...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"status":"confirmed"`)

	// An unknown address: the same answer, and no mail. Sign-in mails go
	// out one at a time in the order asked, so once the mail of a later
	// request (t1's) has arrived, one for the unknown address would have.
	n := len(srv.Messages())
	r = e.do("", "POST", "/v1/portal/links", map[string]string{"email": "nobody@example.org"})
	require.Equal(t, 202, r.Status)
	before := len(srv.To("t1@example.org"))
	r = e.do("", "POST", "/v1/portal/links", map[string]string{"email": "t1@example.org"})
	require.Equal(t, 202, r.Status)
	msgs := srv.Wait(t, "t1@example.org", before+1, 10*time.Second)
	require.Equal(t, n+1, len(srv.Messages()), "t1's mail only")
	require.Empty(t, srv.To("nobody@example.org"))

	// An expired link is refused.
	advance(16 * time.Minute)
	r = e.do("", "POST", "/v1/portal/sessions", map[string]string{"link": apiLinkRE.FindString(msgs[len(msgs)-1].Text)})
	require.Equal(t, 401, r.Status)

	// Signing out ends the session.
	r = e.do("", "DELETE", "/v1/me/session", nil, bearer(t1)...)
	require.Equal(t, 204, r.Status)
	r = e.do("", "GET", "/v1/me", nil, bearer(t1)...)
	require.Equal(t, 401, r.Status)

	// No log line names a case, an address or a sign-in secret.
	e.mu.Lock()
	logs := e.logs.String()
	e.mu.Unlock()
	for _, secret := range []string{"C-1", "C-2", "@example.org", "/portal/signin/"} {
		require.False(t, strings.Contains(logs, secret), "the logs hold %q", secret)
	}
}

// POST /v1/portal/links takes from the client's sign-in budget: ten
// attempts, then 429 with Retry-After, whatever the address.
func TestPortalLinksRateLimited(t *testing.T) {
	t.Parallel()
	e, _, _, _ := newPortalAPIEnv(t)
	for i := range 10 {
		r := e.do("", "POST", "/v1/portal/links", map[string]string{"email": fmt.Sprintf("nobody%d@example.org", i)})
		require.Equal(t, 202, r.Status, "attempt %d: %s", i+1, r.Body)
	}
	r := e.do("", "POST", "/v1/portal/links", map[string]string{"email": "t1@example.org"})
	require.Equal(t, 429, r.Status, "%s", r.Body)
	require.Equal(t, "rate_limited", string(r.problem(t).Code))
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.Greater(t, secs, 0)
}

// Behind a trusted proxy each client has its own sign-in budget, told by
// X-Forwarded-For; from anyone else the header is not believed.
func TestPortalLinksBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	e, _, _, _ := newPortalAPIEnv(t)
	ask := func(client string) int {
		return e.do("", "POST", "/v1/portal/links", map[string]string{"email": "nobody@example.org"}, "X-Forwarded-For", client).Status
	}
	// Not trusted: every "client" is the proxy, and shares its budget.
	for i := range 10 {
		require.Equal(t, 202, ask(fmt.Sprintf("203.0.113.%d", i)), "attempt %d", i+1)
	}
	require.Equal(t, 429, ask("203.0.113.99"), "the header is not believed from an untrusted peer")

	e.rewire(func(d *api.Deps) { d.Proxies = clientaddr.MustParse("192.0.2.0/24") })
	for i := range 10 {
		require.Equal(t, 202, ask("198.51.100.1"), "attempt %d", i+1)
	}
	require.Equal(t, 429, ask("198.51.100.1"), "one client's budget is spent")
	require.Equal(t, 202, ask("198.51.100.2"), "another client behind the proxy has its own")
}
