package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/resources"
)

// The fixture's people (newPortalAPIEnv): interpreter t1 and counsel c1
// share booking I-1; t2 and c2 share I-2.
const (
	t1Name, t1Mail = "Samir Haddad", "t1@example.org"
	c1Name, c1Mail = "Eva Lind", "c1@example.org"
	t1Street       = "Kauppakatu 77"     // in t1's own absence reason and a clerk's reason
	t1Calendar     = "samir-haddad-busy" // in t1's busy calendar's URL
	c1Street       = "Hämeentie 5 B 12"  // in c1's request for another time
	eraseReason    = "request of 2026-12-08, ticket DP-4711"
)

// people is what personFixture made.
type people struct {
	b1, b2, b3 int64  // I-1 (t1, c1), I-2 (t2, c2), I-3 (t1, cancelled)
	session    string // t1's portal session
	feed       string // the path of t1's feed
}

// personFixture books I-1 (t1, c1) and I-2 (t2, c2) on 2026-12-07 and
// books and cancels t1's I-3 with a clerk's reason that quotes t1's name
// and street address. c1 acknowledges and asks for another time, giving
// their street address. With past set, the clock then moves past the
// bookings; either way t1 then gets an absence whose reason gives their
// street address, a busy calendar, a portal session (and its sign-in
// link) and a feed.
func personFixture(t *testing.T, e *env, srv *mailtest.Server, advance func(time.Duration), past bool) people {
	t.Helper()
	var p people
	p.b1 = bookWith(t, e, "I-1", "HEL-R1", "e1", "t1", "08")
	p.b2 = bookWith(t, e, "I-2", "HEL-R2", "e2", "t2", "08")
	p.b3 = bookWith(t, e, "I-3", "HEL-R1", "e1", "t1", "12")
	r := e.do(resources.RoleClerk, "POST", fmt.Sprintf("/v1/bookings/%d/cancel", p.b3), map[string]string{
		"reason": "moved: " + t1Name + " (" + t1Mail + ") now lives at " + t1Street})
	require.Equal(t, 200, r.Status, "%s", r.Body)

	c1, _ := apiSignIn(t, e, srv, c1Mail)
	r = e.do("", "POST", fmt.Sprintf("/v1/me/summons/%d/acknowledge", p.b1), nil, bearer(c1)...)
	require.Equal(t, 204, r.Status, "%s", r.Body)
	r = e.do("", "POST", fmt.Sprintf("/v1/me/summons/%d/change-request", p.b1), map[string]any{
		"reason": "I moved to " + c1Street, "dates": []string{"2026-12-07"}}, bearer(c1)...)
	require.Equal(t, 204, r.Status, "%s", r.Body)

	if past {
		advance(7 * 24 * time.Hour) // 2026-12-08 09:00 UTC: I-1 and I-2 have passed
	}
	p.session, _ = apiSignIn(t, e, srv, t1Mail)
	r = e.do("", "POST", "/v1/me/absences", map[string]string{"start": "2026-12-20T00:00:00+02:00", "end": "2026-12-21T00:00:00+02:00"},
		bearer(p.session)...)
	require.Equal(t, 204, r.Status, "%s", r.Body)
	_, err := e.raw.Exec(context.Background(), `update absences set reason = $1
		where resource_id = (select resource_id from interpreters where id = 't1')`, "moving house to "+t1Street)
	require.NoError(t, err)
	r = e.do(resources.RoleManager, "PUT", "/v1/interpreters/t1/busy-calendar", map[string]string{
		"url": "https://cal.example.net/" + t1Calendar + "/basic.ics"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r = e.do("", "POST", "/v1/me/feed", nil, bearer(p.session)...)
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var f struct {
		URL string `json:"url"`
	}
	r.json(t, &f)
	u, err := url.Parse(f.URL)
	require.NoError(t, err)
	p.feed = u.Path
	require.Equal(t, 200, e.do("", "GET", p.feed, nil).Status, "the feed works")
	return p
}

// bookWith books interview iv on 2026-12-07 at hour (local) by hand.
func bookWith(t *testing.T, e *env, iv, room, interviewer, interpreter, hour string) int64 {
	t.Helper()
	r := e.do(resources.RoleClerk, "POST", "/v1/interviews/"+iv+"/booking", map[string]any{
		"start": "2026-12-07T" + hour + ":00:00+02:00", "room": room, "interviewer": interviewer, "interpreter": interpreter, "mode": "onsite"})
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	return b.ID
}

// The export holds the person's record, bookings, answers, mails, feeds,
// sessions, links, absences and the access log's entries about them, and
// nothing of the others who share their bookings: no other name or
// address and no case reference; no secret. Reading it is recorded in the
// access log (kind export). Only admins may read it.
func TestPersonExportHoldsTheirDataAndNoOneElses(t *testing.T) {
	t.Parallel()
	e, srv, advance, _ := newPortalAPIEnv(t)
	al := withAccessLog(t, e)
	p := personFixture(t, e, srv, advance, false)
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/interpreters/t1", nil).Status)
	require.NoError(t, al.Flush(context.Background()))
	admin := tokenID(t, e, "test-admin")

	r := e.do(resources.RoleAdmin, "GET", "/v1/people/interpreter/t1/export", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var d resources.PersonData
	r.json(t, &d)
	body := string(r.Body)
	require.Equal(t, "interpreter", d.Kind)
	require.Equal(t, "t1", d.ID)
	require.Contains(t, string(d.Record), t1Name)
	require.Contains(t, string(d.Record), t1Mail)
	var booked []int64
	for _, b := range d.Bookings {
		booked = append(booked, b.Booking)
		require.Equal(t, "interpreter", b.Role)
		require.Equal(t, "Helsinki", b.Office)
	}
	require.ElementsMatch(t, []int64{p.b1, p.b3}, booked, "their bookings, not t2's")
	require.Len(t, d.Answers, 2, "the requests of I-1 and the cancelled I-3")
	require.Equal(t, p.b1, d.Answers[0].Booking)
	require.Equal(t, resources.InterpreterRequested, d.Answers[0].Status)
	require.NotEmpty(t, d.Mails)
	for _, m := range d.Mails {
		require.Equal(t, t1Mail, m.Email)
	}
	require.Len(t, d.Absences, 1)
	require.Contains(t, d.Absences[0].Reason, t1Street)
	require.NotNil(t, d.BusyCalendar)
	require.Len(t, d.Feeds, 1)
	require.Len(t, d.Sessions, 1)
	require.Len(t, d.SigninLinks, 1)
	require.NotNil(t, d.SigninLinks[0].UsedAt)
	require.Len(t, d.AccessLog, 1, "the clerk's read of the record")
	require.Equal(t, "interpreter", d.AccessLog[0].SubjectKind)

	for _, other := range []string{c1Name, c1Mail, c1Street, "Hiwet Tesfaye", "t2@example.org", "Timo Niemi", "c2@example.org",
		`"C-1"`, `"C-2"`, `"C-3"`, p.session, strings.TrimSuffix(strings.TrimPrefix(p.feed, "/feeds/"), ".ics"), t1Calendar} {
		require.NotContains(t, body, other, "the export of t1 holds %q", other)
	}

	// The party's export: their answer (with their own words), not t1's.
	r = e.do(resources.RoleAdmin, "GET", "/v1/people/party/c1/export", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var c resources.PersonData
	r.json(t, &c)
	require.Contains(t, string(c.Record), c1Name)
	require.Len(t, c.Bookings, 1)
	require.Equal(t, p.b1, c.Bookings[0].Booking)
	require.Equal(t, "counsel", c.Bookings[0].Role)
	require.Len(t, c.Answers, 1)
	require.NotNil(t, c.Answers[0].AcknowledgedAt)
	require.Contains(t, c.Answers[0].ChangeReason, c1Street)
	for _, other := range []string{t1Name, t1Mail, t1Street, `"C-1"`} {
		require.NotContains(t, string(r.Body), other, "the export of c1 holds %q", other)
	}

	// The interviewer's: their part of I-1 and I-3, no one else's name.
	r = e.do(resources.RoleAdmin, "GET", "/v1/people/interviewer/e1/export", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var iv resources.PersonData
	r.json(t, &iv)
	require.Len(t, iv.Bookings, 2)
	require.Equal(t, []int64{p.b1, p.b3}, []int64{iv.Bookings[0].Booking, iv.Bookings[1].Booking})
	require.Equal(t, "interviewer", iv.Bookings[0].Role)
	for _, other := range []string{t1Name, t1Mail, c1Name, c1Mail, `"C-1"`, `"C-3"`} {
		require.NotContains(t, string(r.Body), other, "the export of e1 holds %q", other)
	}

	// The reads are in the access log, as exports of these people.
	require.NoError(t, al.Flush(context.Background()))
	log := accessPage(t, e, resources.RoleAuditor, "?subject_kind=export&subject_id=interpreter:t1")
	require.Len(t, log.Items, 1)
	require.Equal(t, admin, log.Items[0].Actor)
	require.Equal(t, "GET /v1/people/{kind}/{id}/export", log.Items[0].Route)
	require.Len(t, accessPage(t, e, resources.RoleAuditor, "?subject_kind=export&subject_id=party:c1").Items, 1)
	r = e.do(resources.RoleAdmin, "GET", "/v1/people/interpreter/t1/export", nil)
	r.json(t, &d)
	require.Len(t, d.AccessLog, 2, "the first export is among the reads of t1")
	require.Equal(t, "export", d.AccessLog[1].SubjectKind)

	for _, c := range []struct {
		role   resources.Role
		path   string
		status int
	}{
		{resources.RoleManager, "/v1/people/interpreter/t1/export", 403},
		{resources.RoleAuditor, "/v1/people/interpreter/t1/export", 403},
		{"", "/v1/people/interpreter/t1/export", 401},
		{resources.RoleAdmin, "/v1/people/room/HEL-R1/export", 404},
		{resources.RoleAdmin, "/v1/people/interpreter/nobody/export", 404},
		{resources.RoleAdmin, "/v1/people/interviewer/e1/export", 200},
	} {
		r := e.do(c.role, "GET", c.path, nil)
		require.Equal(t, c.status, r.Status, "%s %s: %s", c.role, c.path, r.Body)
		if c.status >= 400 {
			r.problem(t)
		}
	}
}

// Erasure refuses while the person holds a future booking, naming it
// (409 still_booked, problem+json); it needs a reason that does not name
// them.
func TestEraseRefusesWhileThePersonHoldsFutureBookings(t *testing.T) {
	t.Parallel()
	e, srv, advance, _ := newPortalAPIEnv(t)
	p := personFixture(t, e, srv, advance, false)

	r := e.do(resources.RoleAdmin, "POST", "/v1/people/interpreter/t1/erase", map[string]string{"reason": eraseReason})
	require.Equal(t, 409, r.Status, "%s", r.Body)
	pr := r.problem(t)
	require.Equal(t, "still_booked", string(pr.Code))
	require.Len(t, pr.Errors, 1, "I-1; the cancelled I-3 does not count")
	require.Equal(t, "bookings[0]", pr.Errors[0].Path)
	require.Contains(t, pr.Errors[0].Message, fmt.Sprintf("booking %d: 2026-12-07T08:00:00+02:00", p.b1))
	r = e.do(resources.RoleAdmin, "POST", "/v1/people/party/c1/erase", map[string]string{"reason": eraseReason})
	require.Equal(t, 409, r.Status, "%s", r.Body)
	require.Contains(t, r.problem(t).Errors[0].Message, fmt.Sprintf("booking %d", p.b1))

	for _, c := range []struct {
		role   resources.Role
		path   string
		body   any
		status int
	}{
		{resources.RoleAdmin, "/v1/people/interviewer/e3/erase", map[string]string{}, 400},
		{resources.RoleAdmin, "/v1/people/interviewer/e3/erase", map[string]string{"reason": "  "}, 400},
		{resources.RoleAdmin, "/v1/people/interviewer/e3/erase", map[string]string{"reason": "x", "why": "y"}, 400},
		{resources.RoleAdmin, "/v1/people/interpreter/t1/erase", map[string]string{"reason": "asked by " + t1Name}, 400},
		{resources.RoleAdmin, "/v1/people/interpreter/nobody/erase", map[string]string{"reason": eraseReason}, 404},
		{resources.RoleAdmin, "/v1/people/room/HEL-R1/erase", map[string]string{"reason": eraseReason}, 404},
		{resources.RoleManager, "/v1/people/interviewer/e3/erase", map[string]string{"reason": eraseReason}, 403},
	} {
		r := e.do(c.role, "POST", c.path, c.body)
		require.Equal(t, c.status, r.Status, "%s %s %v: %s", c.role, c.path, c.body, r.Body)
		r.problem(t)
	}
	// A live hold counts too: I-7 (Turku) can only have interviewer e3.
	r = e.do(resources.RoleClerk, "POST", "/v1/interviews/I-7/suggestions", map[string]any{"hold": true})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var held suggestAnswer
	r.json(t, &held)
	require.NotNil(t, held.Hold, "%s", r.Body)
	r = e.do(resources.RoleAdmin, "POST", "/v1/people/interviewer/e3/erase", map[string]string{"reason": eraseReason})
	require.Equal(t, 409, r.Status, "%s", r.Body)
	pr = r.problem(t)
	require.Equal(t, "still_booked", string(pr.Code))
	require.Len(t, pr.Errors, 1)
	require.Equal(t, "holds[0]", pr.Errors[0].Path)
	require.Contains(t, pr.Errors[0].Message, fmt.Sprintf("hold %d: %s", held.Hold.ID, held.Hold.Start))

	// Nothing was erased: the record keeps its name.
	var name string
	require.NoError(t, e.raw.QueryRow(context.Background(), `select name from interpreters where id = 't1'`).Scan(&name))
	require.Equal(t, t1Name, name)
}

// Once the bookings have passed, erasure leaves the person's name, e-mail
// address and street address in no text column of any table; the others'
// data stays; feeds and sessions stop working; past bookings stay,
// pointing at the pseudonymised record; the audit trail keeps every older
// row and gains the erasure's.
func TestEraseLeavesTheirNameAndAddressInNoTable(t *testing.T) {
	t.Parallel()
	e, srv, advance, _ := newPortalAPIEnv(t)
	p := personFixture(t, e, srv, advance, true)
	ctx := context.Background()
	auditIDs := func() []int64 {
		rows, _ := e.raw.Query(ctx, `select id from audit_log order by id`)
		var ids []int64
		for rows.Next() {
			var id int64
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, id)
		}
		require.NoError(t, rows.Err())
		return ids
	}
	before := auditIDs()
	traces := []string{t1Name, t1Mail, t1Street, t1Calendar}
	found := pgtest.FindText(t, e.raw, traces...)
	require.NotEmpty(t, found, "the scan finds t1 before the erasure")
	t.Logf("before: %v", found)

	r := e.do(resources.RoleAdmin, "POST", "/v1/people/interpreter/t1/erase", map[string]string{"reason": eraseReason})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var er resources.Erasure
	r.json(t, &er)
	require.Equal(t, "t1", er.Person)
	require.Equal(t, "interpreter", er.Kind)
	require.Equal(t, "test-admin", er.Actor)
	require.Equal(t, "erased interpreter "+er.Pseudonym, er.Name)
	require.Len(t, er.Pseudonym, 8)

	require.Empty(t, pgtest.FindText(t, e.raw, traces...), "t1's traces are left after the erasure")
	require.NotEmpty(t, pgtest.FindText(t, e.raw, c1Name), "c1's data stays")
	require.NotEmpty(t, pgtest.FindText(t, e.raw, "Hiwet Tesfaye"), "t2's data stays")

	// Feeds, sessions and links are gone.
	require.Equal(t, 404, e.do("", "GET", p.feed, nil).Status, "the feed URL")
	require.Equal(t, 401, e.do("", "GET", "/v1/me", nil, bearer(p.session)...).Status, "the portal session")
	for _, q := range []string{`select count(*) from portal_sessions where person_id = 't1'`, `select count(*) from signin_links where person_id = 't1'`,
		`select count(*) from feed_tokens where owner_id = 't1'`, `select count(*) from absences a join interpreters t on t.resource_id = a.resource_id where t.id = 't1'`,
		`select count(*) from availability a join interpreters t on t.resource_id = a.resource_id where t.id = 't1'`} {
		var n int
		require.NoError(t, e.raw.QueryRow(ctx, q).Scan(&n))
		require.Zero(t, n, q)
	}
	// No new calendar link for the erased person; others still get one.
	r = e.do(resources.RoleManager, "POST", "/v1/feeds", map[string]string{"owner_kind": "interpreter", "owner_id": "t1"})
	require.Equal(t, 409, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), "was erased")
	r = e.do(resources.RoleManager, "POST", "/v1/feeds", map[string]string{"owner_kind": "interpreter", "owner_id": "t2"})
	require.Equal(t, 201, r.Status, "%s", r.Body)

	// Signing in again finds no one at the old address.
	r = e.do("", "POST", "/v1/portal/links", map[string]string{"email": t1Mail})
	require.Equal(t, 202, r.Status)

	// Past bookings stay, pointing at the pseudonymised record.
	r = e.do(resources.RoleClerk, "GET", fmt.Sprintf("/v1/bookings/%d", p.b1), nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"interpreter":"t1"`)
	r = e.do(resources.RoleClerk, "GET", "/v1/interpreters/t1", nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"name":"`+er.Name+`"`)

	// The audit trail: every older row, and the erasure's.
	after := auditIDs()
	require.Equal(t, before, after[:len(before)], "older rows kept")
	require.Len(t, after, len(before)+1)
	var actor, action, reason, doc string
	require.NoError(t, e.raw.QueryRow(ctx, `select actor, action, reason, after::text from audit_log where id = $1`, after[len(before)]).
		Scan(&actor, &action, &reason, &doc))
	require.Equal(t, []string{"test-admin", resources.ActionPersonErased, eraseReason}, []string{actor, action, reason})
	require.Contains(t, doc, `"person": "t1"`)
	require.Contains(t, doc, `"pseudonym": "`+er.Pseudonym+`"`)
	r = e.do(resources.RoleManager, "GET", fmt.Sprintf("/v1/bookings/%d/audit", p.b3), nil)
	require.Equal(t, 200, r.Status)
	require.Contains(t, string(r.Body), `"reason":"(erased: it quoted `+er.Name+`)"`, "the clerk's reason, redacted")

	// The export after: the pseudonym and the erasure.
	r = e.do(resources.RoleAdmin, "GET", "/v1/people/interpreter/t1/export", nil)
	require.Equal(t, 200, r.Status)
	var d resources.PersonData
	r.json(t, &d)
	require.Len(t, d.Erasures, 1)
	require.Empty(t, d.Feeds)
	require.Empty(t, d.Sessions)
	require.Len(t, d.Bookings, 2)
}

// Erasing a party blanks their own words (a request for another time,
// its audit entry too) and keeps the interpreter's data.
func TestEraseParty(t *testing.T) {
	t.Parallel()
	e, srv, advance, _ := newPortalAPIEnv(t)
	personFixture(t, e, srv, advance, true)
	r := e.do(resources.RoleAdmin, "POST", "/v1/people/party/c1/erase", map[string]string{"reason": eraseReason})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Empty(t, pgtest.FindText(t, e.raw, c1Name, c1Mail, c1Street))
	require.NotEmpty(t, pgtest.FindText(t, e.raw, t1Name))
}

// The audit trail takes an UPDATE of reason, before and after only in the
// transaction of an erasure that names itself in interviews.erasure;
// otherwise, and for DELETE and TRUNCATE always, it refuses.
func TestAuditTrailRedactionIsNarrow(t *testing.T) {
	t.Parallel()
	e, srv, advance, _ := newPortalAPIEnv(t)
	personFixture(t, e, srv, advance, true)
	ctx := context.Background()
	r := e.do(resources.RoleAdmin, "POST", "/v1/people/interviewer/e3/erase", map[string]string{"reason": eraseReason})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var done int64
	require.NoError(t, e.raw.QueryRow(ctx, `select id from erasures`).Scan(&done))

	newErasure := `insert into erasures (at, actor, person_kind, person_id, pseudonym, reason)
		values (now(), 'x', 'interviewer', 'e2', 'p', 'r') returning id`
	for _, c := range []struct {
		name    string
		steps   []string
		allowed bool
	}{
		{"no erasure", []string{`update audit_log set reason = 'x'`}, false},
		{"another transaction's erasure", []string{fmt.Sprintf(`select set_config('interviews.erasure', '%d', true)`, done),
			`update audit_log set reason = 'x'`}, false},
		{"an erasure of this transaction, but not named", []string{newErasure, `update audit_log set reason = 'x'`}, false},
		{"not a number", []string{newErasure, `select set_config('interviews.erasure', '1 or true', true)`, `update audit_log set reason = 'x'`}, false},
		{"named, changing the actor", []string{newErasure, `select set_config('interviews.erasure', (select max(id)::text from erasures), true)`,
			`update audit_log set actor = 'x'`}, false},
		{"named, deleting", []string{newErasure, `select set_config('interviews.erasure', (select max(id)::text from erasures), true)`,
			`delete from audit_log`}, false},
		{"named, truncating", []string{newErasure, `select set_config('interviews.erasure', (select max(id)::text from erasures), true)`,
			`truncate audit_log`}, false},
		{"named, redacting", []string{newErasure, `select set_config('interviews.erasure', (select max(id)::text from erasures), true)`,
			`update audit_log set reason = 'x', before = null, after = null`}, true},
	} {
		func() {
			tx, err := e.raw.Begin(ctx)
			require.NoError(t, err)
			defer tx.Rollback(ctx) // also when a check fails: the pool's close waits for it
			for i, s := range c.steps {
				_, err = tx.Exec(ctx, s)
				if i < len(c.steps)-1 {
					require.NoError(t, err, "%s: %s", c.name, s)
				}
			}
			if c.allowed {
				require.NoError(t, err, c.name)
			} else {
				require.Error(t, err, c.name)
				require.Contains(t, err.Error(), "append-only", c.name)
			}
		}()
	}
	// Erasures themselves are kept for good.
	for _, q := range []string{`update erasures set reason = 'x'`, `delete from erasures`, `truncate erasures`} {
		_, err := e.raw.Exec(ctx, q)
		require.Error(t, err, q)
	}
}
