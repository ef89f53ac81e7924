package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/web/portal"
	"github.com/asylum-scheduling/interviews/web/session"
)

var pageLinkRE = regexp.MustCompile(`/portal/signin/([A-Za-z0-9_-]+)`)

// portalBrowser signs addr in through the pages (ask, mail, button).
func portalBrowser(t *testing.T, e *env, addr string) *browser {
	t.Helper()
	b := e.browser(t)
	portalSignIn(t, b, addr)
	return b
}

// portalSignIn signs addr in through the pages in browser b.
func portalSignIn(t *testing.T, b *browser, addr string) {
	t.Helper()
	e := b.e
	before := len(e.smtp.To(addr))
	p := b.post("/portal/signin", url.Values{"email": {addr}, "csrf": {""}})
	require.Equal(t, 200, p.status, p.body)
	// Booking invitations may arrive meanwhile: the link is in the newest
	// mail that has one.
	var m []string
	waitFor(t, "the sign-in mail", 10*time.Second, func() bool {
		msgs := e.smtp.To(addr)
		for i := len(msgs) - 1; i >= before && m == nil; i-- {
			m = pageLinkRE.FindStringSubmatch(msgs[i].Text)
		}
		return m != nil
	})
	p = b.post("/portal/signin/"+m[1], url.Values{"csrf": {""}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	// The link works once.
	p = b.post("/portal/signin/"+m[1], url.Values{"csrf": {""}})
	require.Equal(t, http.StatusUnauthorized, p.status)
}

// Through the pages too, an interpreter reads only their own assignment:
// another's by id is not found, and a decline of it changes nothing.
func TestPortalPagesKeepEachToTheirOwn(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	ctx := context.Background()
	// Book two interviews with different interpreters.
	var booked []struct {
		id   int64
		addr string
	}
	used := map[string]bool{}
	for _, iv := range in.Interviews {
		if len(booked) == 2 {
			break
		}
		ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
		if err != nil || len(ans.Suggestions) == 0 || ans.Suggestions[0].Interpreter == "" || used[ans.Suggestions[0].Interpreter] {
			continue
		}
		b, err := e.booking.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk"})
		if err != nil {
			continue
		}
		used[b.Interpreter] = true
		for _, x := range in.Interpreters {
			if x.ID == b.Interpreter {
				booked = append(booked, struct {
					id   int64
					addr string
				}{b.ID, x.Email})
			}
		}
	}
	require.Len(t, booked, 2)
	mine, theirs := booked[0], booked[1]
	br := portalBrowser(t, e, mine.addr)
	p := br.get("/portal/assignments")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, fmt.Sprintf(`id="a%d"`, mine.id))
	require.NotContains(t, p.body, fmt.Sprintf(`id="a%d"`, theirs.id))
	csrf := br.csrf
	p = br.get(fmt.Sprintf("/portal/assignments/%d", theirs.id))
	require.Equal(t, 404, p.status)
	p = br.post(fmt.Sprintf("/portal/assignments/%d/decline", theirs.id), url.Values{"csrf": {csrf}, "reason": {"other"},
		"note": {"not mine"}})
	require.Equal(t, 404, p.status)
	b, err := e.db.Booking(ctx, theirs.id)
	require.NoError(t, err)
	require.NotEmpty(t, b.Interpreter, "another interpreter's decline freed the booking")
	// Without the form's token, nothing is done either.
	p = br.post(fmt.Sprintf("/portal/assignments/%d/confirm?lang=en", mine.id), url.Values{"csrf": {"forged"}})
	require.Equal(t, 403, p.status)
	require.Contains(t, p.body, "The form has expired")
	// A post from another site, or an opaque origin, is refused even with
	// the right token, as on the staff pages.
	for _, h := range []map[string]string{
		{"Origin": "https://evil.example"},
		{"Origin": "null"},
		{"Sec-Fetch-Site": "cross-site"},
	} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+fmt.Sprintf("/portal/assignments/%d/confirm?lang=en", mine.id),
			strings.NewReader("csrf="+url.QueryEscape(csrf)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		p = br.do(req)
		require.Equal(t, http.StatusForbidden, p.status, "%v", h)
		require.Contains(t, p.body, "did not come from this site", "%v", h)
	}
	p = br.get(fmt.Sprintf("/portal/assignments/%d", mine.id))
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, `class="status-requested"`, "a refused post confirmed the assignment")
	// A mail's answer links open the assignment with the one button;
	// opening them (as a mail scanner does) changes nothing.
	confirmForm := fmt.Sprintf(`action="/portal/assignments/%d/confirm"`, mine.id)
	declineForm := fmt.Sprintf(`action="/portal/assignments/%d/decline"`, mine.id)
	for answer, shown := range map[string]string{"confirm": confirmForm, "decline": declineForm} {
		p = br.get(fmt.Sprintf("/portal/assignments/%d?answer=%s", mine.id, answer))
		require.Equal(t, 200, p.status)
		require.Contains(t, p.body, shown, answer)
		require.Equal(t, 1, strings.Count(p.body, `<form method="post" action="/portal/assignments/`), answer)
		require.Contains(t, p.body, `class="status-requested"`, answer)
	}
	// An all-day absence reads as whole days, not "00:00 – 00:00".
	p = br.post("/portal/absences?lang=en", url.Values{"csrf": {csrf}, "start": {"2027-02-01T00:00"}, "end": {"2027-02-03T00:00"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = br.get("/portal/absences?lang=en")
	require.Contains(t, p.body, `<p class="absence">Mon 1 Feb 2027 – Tue 2 Feb 2027 (all day)</p>`)
	// Signed out, the portal's pages send to the sign-in page.
	p = br.post("/portal/signout", url.Values{"csrf": {csrf}})
	require.Equal(t, http.StatusSeeOther, p.status)
	p = br.get("/portal/assignments")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "/portal/?next=%2Fportal%2Fassignments", p.header.Get("Location"))
}

// Every portal text exists in Finnish, Swedish and English.
func TestPortalTranslationsAreComplete(t *testing.T) {
	missing := portal.MissingTexts()
	require.Empty(t, missing, "portal texts missing: %s", strings.Join(missing, ", "))
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A portal form larger than session.MaxForm is answered 413, not "form
// expired", and changes nothing.
func TestPortalFormTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	addr := demoInstance(t).Interpreters[0].Email
	require.NotEmpty(t, addr)
	br := portalBrowser(t, e, addr)
	br.get("/portal/absences")
	for _, size := range []int{session.MaxForm, 10 << 20} {
		p := br.post("/portal/absences", url.Values{"start": {"2031-03-03T08:00"}, "end": {"2031-03-03T12:00"},
			"note": {strings.Repeat("x", size)}})
		require.Equal(t, http.StatusRequestEntityTooLarge, p.status, "%d bytes", size)
	}
	p := br.get("/portal/absences")
	require.Equal(t, 200, p.status)
	require.NotContains(t, p.body, "2031", "no absence was added")
}
