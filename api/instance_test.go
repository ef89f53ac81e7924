package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/instancecmp"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// An instance import replaces the domain state but never the audit trail or
// the undelivered notifications, and never reuses a booking or outbox id
// (webhook receivers de-duplicate by id).
func TestImportKeepsAuditTrailAndOutboxAndNeverReusesIds(t *testing.T) {
	t.Parallel()
	e, clk, _ := newBookingEnv(t, nil)
	c, m := resources.RoleClerk, resources.RoleManager
	ctx := context.Background()

	r := e.do(m, "POST", "/v1/instance", bookingFixture(t))
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var old resources.Booking
	r.json(t, &old)
	r = e.do(c, "POST", fmt.Sprintf("/v1/bookings/%d/reschedule", old.ID),
		explicit("2026-12-08T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 200, r.Status, "%s", r.Body)
	auditBefore := e.count(`select count(*) from audit_log where action <> 'instance_imported'`)
	require.Equal(t, 2, auditBefore, "booked, rescheduled")
	var oldEvents []int64
	rows, _ := e.raw.Query(ctx, `select id from outbox order by id`)
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		oldEvents = append(oldEvents, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, oldEvents, 2, "booking.created, booking.rescheduled")

	// Import again: the booking is gone, its trail and its events stay.
	r = e.do(m, "POST", "/v1/instance", bookingFixture(t))
	require.Equal(t, 200, r.Status, "%s", r.Body)
	require.Equal(t, 0, e.count(`select count(*) from bookings`))
	require.Equal(t, auditBefore, e.count(`select count(*) from audit_log where action <> 'instance_imported'`))
	require.Equal(t, 2, e.count(`select count(*) from audit_log where booking_id = $1`, old.ID))
	require.Equal(t, 2, e.count(`select count(*) from outbox where booking_id = $1 and delivered_at is null`, old.ID))
	// Each import is audited: the fixture's (db.Import) and two through the API.
	require.Equal(t, 3, e.count(`select count(*) from audit_log where action = 'instance_imported' and interview_id is null and booking_id is null`))
	var actor string
	var summary []byte
	require.NoError(t, e.raw.QueryRow(ctx, `select actor, after::text from audit_log where action = 'instance_imported' order by id desc limit 1`).Scan(&actor, &summary))
	// The API names the manager's token once api/server.go calls ImportAs;
	// db.Import alone records resources.ImportActor.
	require.Equal(t, "test-manager", actor, "the import is audited under the token that made it")
	var sum resources.ImportSummary
	require.NoError(t, json.Unmarshal(summary, &sum))
	require.Equal(t, len(bookingFixture(t).Interviews), sum.Interviews)
	// The interview's trail still shows what happened to it before.
	r = e.do(m, "GET", "/v1/interviews/I-1/audit", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var trail struct{ Items []resources.AuditEntry }
	r.json(t, &trail)
	require.Len(t, trail.Items, 2)
	require.Equal(t, "booked", trail.Items[0].Action)
	// The manager still sees the waiting events.
	r = e.do(m, "GET", "/v1/outbox?state=pending", nil)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var ob struct{ Items []resources.OutboxEvent }
	r.json(t, &ob)
	require.Len(t, ob.Items, 2)

	// A new booking gets a larger id than any before, and its event too.
	r = e.do(c, "POST", "/v1/interviews/I-1/booking", explicit("2026-12-07T08:00:00+02:00", "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var fresh resources.Booking
	r.json(t, &fresh)
	require.Greater(t, fresh.ID, old.ID)
	var newEvent int64
	require.NoError(t, e.raw.QueryRow(ctx, `select id from outbox where booking_id = $1`, fresh.ID).Scan(&newEvent))
	require.Greater(t, newEvent, oldEvents[len(oldEvents)-1])

	// Events of a booking that an import removed are still delivered, with
	// their stored payload, under their own ids.
	var (
		mu   sync.Mutex
		got  = map[string]string{}
		body = map[string][]byte{}
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.Header.Get("X-Delivery")] = r.Header.Get("X-Event")
		body[r.Header.Get("X-Delivery")] = b
		mu.Unlock()
	}))
	defer hook.Close()
	ob2 := scheduler.NewOutbox(e.db, nil, func() time.Time { return clk.Now().Add(time.Hour) }, hook.URL, []byte("secret"))
	delivered, failed, err := ob2.DeliverDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, delivered)
	require.Zero(t, failed)
	require.Equal(t, "booking.created", got[fmt.Sprint(oldEvents[0])])
	require.Equal(t, "booking.rescheduled", got[fmt.Sprint(oldEvents[1])])
	var stored []byte
	require.NoError(t, e.raw.QueryRow(ctx, `select payload::text from outbox where id = $1`, oldEvents[1]).Scan(&stored))
	require.JSONEq(t, string(stored), string(body[fmt.Sprint(oldEvents[1])]))
}

// The L round trip through the router: POST /v1/instance with a generated L
// instance and a first-fit plan as unpinned bookings, then GET /v1/instance
// gives the same instance (up to order).
func TestInstanceRoundTripLThroughRouter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in, err := generator.Generate("L", 1)
	require.NoError(t, err)
	fit, err := solver.FirstFit(in)
	require.NoError(t, err)
	for _, a := range fit.Assignments {
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode})
	}
	require.NoError(t, solver.Validate(in))
	require.Greater(t, len(in.Bookings), 100, "the L instance should carry many current bookings")

	r := e.do(resources.RoleManager, "POST", "/v1/instance", in)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	var sum resources.ImportSummary
	r.json(t, &sum)
	require.Equal(t, len(in.Interviews), sum.Interviews)
	require.Equal(t, len(in.Bookings), sum.Bookings)

	r = e.do(resources.RoleClerk, "GET", "/v1/instance", nil)
	require.Equal(t, 200, r.Status)
	out, err := solver.ParseInstance(bytes.NewReader(r.Body))
	require.NoError(t, err)
	require.NoError(t, solver.Validate(out))
	require.Equal(t, canonicalInstance(t, in), canonicalInstance(t, out))
}

// canonicalInstance compares instances up to order (internal/instancecmp).
func canonicalInstance(t *testing.T, in *solver.Instance) any {
	t.Helper()
	v, err := instancecmp.Canonical(in)
	require.NoError(t, err)
	return v
}
