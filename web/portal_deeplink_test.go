package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/scheduler"
)

var (
	nextFieldRE = regexp.MustCompile(`name="next" value="([^"]*)"`)
	langLinkRE  = regexp.MustCompile(`href="(/portal/lang/sv\?next=[^"]*)"`)
)

// signInFrom asks for a link on the sign-in page as the browser shows it
// (with its next field, if any, or next when given), spends the mailed
// link and returns where the portal sends the browser then.
func signInFrom(t *testing.T, b *browser, signinPage, addr, next string) string {
	t.Helper()
	p := b.get(signinPage)
	require.Equal(t, 200, p.status, p.body)
	form := url.Values{"email": {addr}, "csrf": {""}}
	if m := nextFieldRE.FindStringSubmatch(p.body); m != nil {
		form.Set("next", html.UnescapeString(m[1]))
	}
	if next != "" {
		form.Set("next", next)
	}
	before := len(b.e.smtp.To(addr))
	p = b.post("/portal/signin", form)
	require.Equal(t, 200, p.status, p.body)
	var m []string
	waitFor(t, "the sign-in mail", 10*time.Second, func() bool {
		msgs := b.e.smtp.To(addr)
		for i := len(msgs) - 1; i >= before && m == nil; i-- {
			m = pageLinkRE.FindStringSubmatch(msgs[i].Text)
		}
		return m != nil
	})
	p = b.post("/portal/signin/"+m[1], url.Values{"csrf": {""}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	return p.header.Get("Location")
}

// A mail's Confirm link opened without a session goes through sign-in and
// lands on that assignment, with the one button; a hostile return target
// lands on the portal's own start.
func TestPortalDeepLinkThroughSignIn(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	ctx := context.Background()
	var id int64
	var addr string
	for _, iv := range in.Interviews {
		ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1})
		if err != nil || len(ans.Suggestions) == 0 || ans.Suggestions[0].Interpreter == "" {
			continue
		}
		b, err := e.booking.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk"})
		if err != nil {
			continue
		}
		for _, x := range in.Interpreters {
			if x.ID == b.Interpreter {
				id, addr = b.ID, x.Email
			}
		}
		break
	}
	require.NotZero(t, id)
	// The link of the request mail itself.
	var link *url.URL
	linkRE := regexp.MustCompile(fmt.Sprintf(`https?://\S+/portal/assignments/%d\?answer=confirm`, id))
	waitFor(t, "the request mail", 10*time.Second, func() bool {
		for _, m := range e.smtp.To(addr) {
			if s := linkRE.FindString(m.Text); s != "" {
				link, _ = url.Parse(s)
			}
		}
		return link != nil
	})
	deep := link.RequestURI()

	b := e.browser(t)
	p := b.get(deep)
	require.Equal(t, http.StatusSeeOther, p.status)
	signin := p.header.Get("Location")
	require.Equal(t, "/portal/?next="+url.QueryEscape(deep), signin)
	// Switching the language on the sign-in page keeps where to return.
	p = b.get(signin)
	m := langLinkRE.FindStringSubmatch(p.body)
	require.NotNil(t, m, p.body)
	p = b.get(html.UnescapeString(m[1]))
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, signin, p.header.Get("Location"))
	require.Equal(t, deep, signInFrom(t, b, signin, addr, ""), "sign-in did not return to the mail's link")
	p = b.get(deep)
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, fmt.Sprintf(`action="/portal/assignments/%d/confirm"`, id))
	require.Contains(t, p.body, `class="status-requested"`, "opening the link changed the answer")

	// Hostile targets, in the page's address or posted: the portal's start
	// (each by another interpreter: sign-in links are rate limited per
	// address).
	var others []string
	for _, x := range in.Interpreters {
		if x.Email != addr && x.Email != "" {
			others = append(others, x.Email)
		}
	}
	for i, hostile := range []string{"https://evil.example/portal/", "//evil.example/portal/", "/portal/../..//evil.example"} {
		b := e.browser(t)
		p := b.get("/portal/?next=" + url.QueryEscape(hostile))
		require.Equal(t, 200, p.status)
		require.NotContains(t, p.body, `name="next"`, hostile)
		require.Equal(t, "/portal/", signInFrom(t, b, "/portal/", others[i], hostile), hostile)
	}
}
