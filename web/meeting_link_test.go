package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
	"github.com/asylum-scheduling/interviews/web"
)

// meetingBookings returns an active booking whose interpreter joins
// remotely and one where nobody does (the demo data has both), and sets
// the meeting link of their offices to officeLink.
func meetingBookings(t *testing.T, e *env, officeLink string) (remote, onsite resources.Booking) {
	t.Helper()
	ctx := context.Background()
	page, err := e.db.Bookings(ctx, resources.ListParams{Limit: 500, Filters: map[string]string{"status": "active"}})
	require.NoError(t, err)
	for _, b := range page.Items {
		switch {
		case remote.ID == 0 && b.Interpreter != "" && b.Mode == solver.ModeRemote:
			remote = b
		case onsite.ID == 0 && b.Mode != solver.ModeRemote:
			onsite = b
		}
	}
	require.NotZero(t, remote.ID, "the demo data has a booking with a remote interpreter")
	require.NotZero(t, onsite.ID, "the demo data has a booking nobody joins remotely")
	for _, b := range []resources.Booking{remote, onsite} {
		office, err := e.db.RoomLocation(ctx, b.Room)
		require.NoError(t, err)
		require.NoError(t, e.db.SetLocationContact(ctx, office, "", officeLink))
	}
	return remote, onsite
}

// The staff booking page shows the meeting link in force and who is sent
// it; a clerk sets the booking's own link, sees a bad one refused in the
// page's language with the form still holding it, and clears it again,
// all through the booking service the API's PATCH uses. A cancelled
// booking shows no form and refuses a post.
func TestBookingPageMeetingLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const office = "https://meet.example.org/office"
	remote, onsite := meetingBookings(t, e, office)
	for _, tc := range []struct {
		lang    string
		booking resources.Booking
		to      string // who is sent it
	}{
		{"fi", remote, "bk.meet.to.interpreter"},
		{"sv", onsite, "bk.meet.to.nobody"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			T := func(k string, args ...any) string { return textOf(tc.lang, k, args...) }
			c := e.browser(t)
			c.signIn(e.clerk)
			c.get("/lang/" + tc.lang + "?next=/queue")
			path := "/bookings/" + strconv.FormatInt(tc.booking.ID, 10)
			own := "https://meet.example.org/booking-" + strconv.FormatInt(tc.booking.ID, 10)

			// The office's link, said to be the office's, and who gets it.
			p := c.get(path)
			require.Equal(t, http.StatusOK, p.status, p.body)
			requireMeeting(t, p.body, office, T("bk.meet.office"))
			require.Contains(t, p.body, html.EscapeString(T(tc.to)))
			require.Contains(t, p.body, `action="`+path+`/meeting"`)

			// A link that is not https: refused in the page's language, the
			// form keeps it, nothing changes.
			bad := "http://meet.example.org/plain"
			p = c.post(path+"/meeting", url.Values{"meeting_url": {bad}})
			require.Equal(t, http.StatusUnprocessableEntity, p.status, p.body)
			require.Contains(t, p.body, html.EscapeString(T("bk.meet.bad")))
			require.Contains(t, p.body, `value="`+bad+`"`)
			require.Contains(t, p.body, `aria-invalid="true"`)
			requireOwnLink(t, e, tc.booking.ID, "")

			// A forged form changes nothing either.
			p = c.post(path+"/meeting", url.Values{"meeting_url": {own}, "csrf": {"forged"}})
			require.Equal(t, http.StatusForbidden, p.status)
			requireOwnLink(t, e, tc.booking.ID, "")

			// Set: the booking's own, in the store and on the page.
			p = c.post(path+"/meeting", url.Values{"meeting_url": {" " + own + " "}})
			require.Equal(t, http.StatusSeeOther, p.status, p.body)
			require.Equal(t, path, p.header.Get("Location"))
			requireOwnLink(t, e, tc.booking.ID, own)
			p = c.get(path)
			require.Contains(t, p.body, html.EscapeString(T("flash.meet.set", tc.booking.ID)))
			requireMeeting(t, p.body, own, T("bk.meet.own"))
			require.Contains(t, p.body, `value="`+own+`"`)

			// Cleared: the office's again.
			p = c.post(path+"/meeting", url.Values{"meeting_url": {own}, "clear": {"1"}})
			require.Equal(t, http.StatusSeeOther, p.status, p.body)
			requireOwnLink(t, e, tc.booking.ID, "")
			p = c.get(path)
			require.Contains(t, p.body, html.EscapeString(T("flash.meet.cleared", tc.booking.ID)))
			requireMeeting(t, p.body, office, T("bk.meet.office"))
			require.Empty(t, missingRE.FindAllString(p.body, -1))
		})
	}

	t.Run("cancelled", func(t *testing.T) {
		_, err := e.booking.Cancel(ctx, scheduler.ChangeRequest{BookingID: onsite.ID, Actor: "clerk-a", Reason: "test", Source: scheduler.SourceWeb})
		require.NoError(t, err)
		c := e.browser(t)
		c.signIn(e.clerk)
		c.get("/lang/fi?next=/queue")
		path := "/bookings/" + strconv.FormatInt(onsite.ID, 10)
		p := c.get(path)
		require.Equal(t, http.StatusOK, p.status, p.body)
		require.NotContains(t, p.body, `action="`+path+`/meeting"`)
		p = c.post(path+"/meeting", url.Values{"meeting_url": {"https://meet.example.org/late"}})
		require.Equal(t, http.StatusConflict, p.status, p.body)
		require.Contains(t, p.body, html.EscapeString(textOf("fi", "bk.meet.inactive", onsite.ID)))
		requireOwnLink(t, e, onsite.ID, "")
	})
}

// textOf is the staff catalog's text of key in l, filled as the pages
// fill it.
func textOf(l, key string, args ...any) string {
	s, ok := web.StaffText[l][key]
	if !ok {
		panic("no staff text " + key)
	}
	if len(args) > 0 {
		s = strings.Replace(s, "%d", strconv.FormatInt(args[0].(int64), 10), 1)
	}
	return s
}

// requireMeeting checks the link in force the page shows, and whose it is.
func requireMeeting(t *testing.T, body, link, whose string) {
	t.Helper()
	i := strings.Index(body, `id="meet-now"`)
	require.GreaterOrEqual(t, i, 0, "the page shows the link in force")
	end := strings.Index(body[i:], "</dd>")
	require.Greater(t, end, 0)
	now := body[i : i+end]
	require.Contains(t, now, `href="`+link+`"`)
	require.Contains(t, now, html.EscapeString(whose))
}

// requireOwnLink checks the booking's own link as the API reads it.
func requireOwnLink(t *testing.T, e *env, booking int64, want string) {
	t.Helper()
	b, err := e.db.Booking(context.Background(), booking)
	require.NoError(t, err)
	require.Equal(t, want, b.MeetingURL)
}
