package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// person_data_test.go: a person's data on request on the staff person
// page (web/staff/person_data.go), for admins only.

// pdReason is a reason for an erasure that names no one.
const pdReason = "The person asked for erasure by letter on 1 December 2026."

// dataPeople are the demo's interpreters with a future booking (booked)
// and without one whose name no one else bears (free): the scan for
// their name after an erasure then finds nothing of anyone else.
func dataPeople(t *testing.T, e *env) (booked, free []solver.Interpreter) {
	t.Helper()
	ctx := context.Background()
	in := demoInstance(t)
	names := map[string]int{}
	for _, p := range in.Interpreters {
		names[strings.ToLower(p.Name)]++
	}
	for _, p := range in.Interviewers {
		names[strings.ToLower(p.Name)]++
	}
	now := time.Now()
	for _, p := range in.Interpreters {
		uses, err := e.db.PersonUses(ctx, "interpreter", p.ID, now, now.AddDate(100, 0, 0))
		require.NoError(t, err)
		switch {
		case len(uses) > 0:
			booked = append(booked, p)
		case names[strings.ToLower(p.Name)] == 1 && p.Name != "" && p.Email != "":
			free = append(free, p)
		}
	}
	require.NotEmpty(t, booked, "the demo has booked interpreters")
	require.GreaterOrEqual(t, len(free), 2, "the demo has unbooked interpreters")
	return booked, free
}

// newAdmin is a browser signed in as an admin.
func newAdmin(t *testing.T, e *env) *browser {
	t.Helper()
	token, _, err := e.db.CreateToken(context.Background(), "admin-a", resources.RoleAdmin)
	require.NoError(t, err)
	b := e.browser(t)
	b.signIn(token)
	return b
}

// Clerks and managers see nothing of a person's data on request and are
// refused its routes; an admin sees the section, on a person's page only.
func TestPersonDataIsForAdminsOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	booked, free := dataPeople(t, e)
	person := "/people/interpreter/" + free[0].ID
	for _, tc := range []struct {
		role, token string
	}{{"clerk", e.clerk}, {"manager", e.manager}} {
		t.Run(tc.role, func(t *testing.T) {
			b := e.browser(t)
			b.signIn(tc.token)
			p := b.get(person)
			require.Equal(t, http.StatusOK, p.status)
			require.NotContains(t, p.body, `id="personal-data"`)
			require.NotContains(t, p.body, "export.json")
			require.NotContains(t, p.body, "/erase")
			require.Equal(t, http.StatusForbidden, b.get(person+"/export.json").status)
			for _, form := range []url.Values{{"reason": {pdReason}}, {"reason": {pdReason}, "confirm": {"yes"}}} {
				p = b.post(person+"/erase", form)
				require.Equal(t, http.StatusForbidden, p.status, p.body)
			}
			x, err := e.db.Interpreter(ctx, free[0].ID)
			require.NoError(t, err)
			require.Equal(t, free[0].Name, x.Name, "nothing erased")
		})
	}
	admin := newAdmin(t, e)
	for _, id := range []string{free[0].ID, booked[0].ID} {
		p := admin.get("/people/interpreter/" + id)
		require.Equal(t, http.StatusOK, p.status)
		require.Contains(t, p.body, `id="personal-data"`)
		require.Contains(t, p.body, `href="/people/interpreter/`+id+`/export.json"`)
		require.Contains(t, p.body, `action="/people/interpreter/`+id+`/erase"`)
	}
	iv := demoInstance(t).Interviewers[0].ID
	require.Contains(t, admin.get("/people/interviewer/"+iv).body, `id="personal-data"`)
	room := demoInstance(t).Rooms[0].ID
	p := admin.get("/people/room/" + room)
	require.Equal(t, http.StatusOK, p.status)
	require.NotContains(t, p.body, `id="personal-data"`, "a room is no person")
	require.Equal(t, http.StatusNotFound, admin.get("/people/room/"+room+"/export.json").status)
	require.Equal(t, http.StatusNotFound, admin.get("/people/party/"+room+"/export.json").status, "parties have no staff page")
	require.Equal(t, http.StatusNotFound, admin.get("/people/interpreter/NO-SUCH/export.json").status)
	// The forms post with the session's CSRF token like every staff form.
	p = admin.post(person+"/erase", url.Values{"reason": {pdReason}, "confirm": {"yes"}, "csrf": {"forged"}})
	require.Equal(t, http.StatusForbidden, p.status)
	x, err := e.db.Interpreter(ctx, free[0].ID)
	require.NoError(t, err)
	require.Equal(t, free[0].Name, x.Name, "a forged post erases nothing")
}

// An admin downloads everything held about an interpreter: a JSON file
// named by kind and id that holds the person, and the access log has the
// download as it has the API's export.
func TestAdminDownloadsAPersonsData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	booked, _ := dataPeople(t, e)
	who := booked[0]
	admin := newAdmin(t, e)
	p := admin.get("/people/interpreter/" + who.ID + "/export.json")
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Equal(t, "application/json; charset=utf-8", p.header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="interpreter-`+who.ID+`.json"`, p.header.Get("Content-Disposition"))
	require.NotContains(t, p.header.Get("Content-Disposition"), who.Name)
	require.Equal(t, "no-store", p.header.Get("Cache-Control"))
	var data resources.PersonData
	require.NoError(t, json.Unmarshal([]byte(p.body), &data))
	require.Equal(t, "interpreter", data.Kind)
	require.Equal(t, who.ID, data.ID)
	require.Contains(t, string(data.Record), who.Name)
	require.NotEmpty(t, data.Bookings, "the booked interpreter's bookings")

	require.NoError(t, e.access.Flush(ctx))
	log, err := e.db.AccessLog(ctx, resources.AccessQuery{SubjectKind: resources.AccessExport,
		SubjectID: resources.PersonExportSubject("interpreter", who.ID)})
	require.NoError(t, err)
	require.Len(t, log.Items, 1, "the download is in the access log")
	a := log.Items[0]
	require.Equal(t, resources.RoleAdmin, a.Role)
	require.Equal(t, "token", a.ActorKind)
	require.Equal(t, "GET /people/{kind}/{id}/export.json", a.Route)
}

// The erasure goes in two steps: a missing reason is a problem on the
// form; the first post changes nothing and asks to confirm with the
// reason carried over; a reason naming the person is refused; the
// confirming post erases, and the person's name and address are in no
// table.
func TestAdminErasesAPersonInTwoSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	_, free := dataPeople(t, e)
	who := free[0]
	person := "/people/interpreter/" + who.ID
	admin := newAdmin(t, e)
	require.Equal(t, http.StatusOK, admin.get(person).status)
	traces := []string{who.Name, who.Email}
	require.NotEmpty(t, pgtest.FindText(t, e.raw, traces...), "the scan finds the person before")

	p := admin.post(person+"/erase", url.Values{"reason": {"  "}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status, p.body)
	require.Contains(t, p.body, `id="erase-reason-err"`)
	require.Contains(t, p.body, "Write the reason for the erasure: it is required.")
	require.Contains(t, p.body, `aria-invalid="true"`)

	p = admin.post(person+"/erase", url.Values{"reason": {pdReason}})
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, "Erase the data of "+who.Name+"?")
	require.Contains(t, p.body, `name="confirm" value="yes"`)
	require.Contains(t, p.body, `value="`+pdReason+`"`, "the reason is carried over")
	require.Contains(t, p.body, "portal sessions and sign-in links")
	require.Contains(t, p.body, "The audit trail and the access log stay")
	x, err := e.db.Interpreter(ctx, who.ID)
	require.NoError(t, err)
	require.Equal(t, who.Name, x.Name, "the first step erases nothing")
	require.NotEmpty(t, pgtest.FindText(t, e.raw, traces...))

	named := "Erased at the request of " + who.Name
	p = admin.post(person+"/erase", url.Values{"reason": {named}, "confirm": {"yes"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status, p.body)
	require.Contains(t, p.body, "it must not name the person")
	require.Contains(t, p.body, `value="`+named+`"`, "the form keeps what was written")

	p = admin.post(person+"/erase", url.Values{"reason": {pdReason}, "confirm": {"yes"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, person, p.header.Get("Location"))
	p = admin.get(person)
	require.Equal(t, http.StatusOK, p.status)
	x, err = e.db.Interpreter(ctx, who.ID)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(x.Name, "erased interpreter "), x.Name)
	require.Regexp(t, `Data erased \(erasure \d+\)\. The record is now named “`+x.Name+`”\. Removed: .*availability periods \d+`, p.body)
	require.NotContains(t, p.body, who.Name)
	require.Empty(t, pgtest.FindText(t, e.raw, traces...), "the person's name and address are left after the erasure")

	// Erased: the page says so and offers no second erasure; the download
	// of what remains stays.
	p = admin.get(person)
	require.Regexp(t, `id="pd-erased">This person&#39;s data was erased on [^<]+ \(erasure \d+\): there is nothing left to erase`, p.body)
	require.NotContains(t, p.body, `action="`+person+`/erase"`)
	require.Contains(t, p.body, person+"/export.json")
	require.NotContains(t, p.body, `action="`+person+`/feeds"`, "no new calendar link for an erased person")
	require.Contains(t, p.body, `id="feed-erased">No subscription link is made for a person whose data was erased.`)
}

// Erasing a booked interpreter is refused on the page, in the page's
// language, listing the future bookings by when and where; the form
// keeps the reason and nothing is erased.
func TestErasingABookedPersonIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	booked, _ := dataPeople(t, e)
	who := booked[0]
	person := "/people/interpreter/" + who.ID
	now := time.Now()
	uses, err := e.db.PersonUses(ctx, "interpreter", who.ID, now, now.AddDate(100, 0, 0))
	require.NoError(t, err)
	admin := newAdmin(t, e)
	for _, l := range []string{"en", "fi", "sv"} {
		require.Equal(t, http.StatusSeeOther, admin.get("/lang/"+l+"?next="+person).status)
		admin.get(person)
		p := admin.post(person+"/erase", url.Values{"reason": {pdReason}, "confirm": {"yes"}})
		require.Equal(t, http.StatusConflict, p.status, p.body)
		require.Contains(t, p.body, `<html lang="`+l+`">`)
		require.Contains(t, p.body, `id="erase-refused"`)
		require.Contains(t, p.body, map[string]string{"en": "Nothing was erased", "fi": "Mitään ei poistettu", "sv": "Inget raderades"}[l])
		require.Contains(t, p.body, `value="`+pdReason+`"`, "the reason is kept")
		refused := p.body[strings.Index(p.body, `id="erase-refused"`):]
		refused = refused[:strings.Index(refused, "</div>")]
		for _, u := range uses {
			require.Contains(t, refused, fmt.Sprintf(`href="/bookings/%d"`, u.Booking))
		}
		require.Equal(t, len(uses), strings.Count(refused, "<tr>")-1, "one row a booking")
		loc, err := e.db.Location(ctx, uses[0].Location)
		require.NoError(t, err)
		require.Contains(t, refused, loc.Name+` <span class="id">`+loc.ID+`</span>`, "the office by name, its id after")
		if l != "en" {
			require.Empty(t, missingRE.FindAllString(p.body, -1))
			require.Empty(t, englishLeftovers(l, visibleText(p.body)))
		}
	}
	x, err := e.db.Interpreter(ctx, who.ID)
	require.NoError(t, err)
	require.Equal(t, who.Name, x.Name, "nothing erased")
}
