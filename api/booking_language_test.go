package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// An explicit booking or reschedule with an interpreter of the wrong
// language, or of the wrong dialect when the dialect is required, is
// refused with 422 naming the interpreter rule (5); a dialect that is not
// required only costs (it books).
func TestExplicitBookingChecksLanguage(t *testing.T) {
	t.Parallel()
	in := bookingFixture(t)
	avail := in.Interpreters[0].Availability
	for _, x := range []struct{ id, lang string }{{"t-ar", "ar"}, {"t-ti-er", "ti-ER"}, {"t-ti-et", "ti-ET"}} {
		in.Interpreters = append(in.Interpreters, solver.Interpreter{ID: x.id, Languages: []string{x.lang}, Skills: []string{},
			Modes: []string{solver.ModeOnsite}, Locations: []string{"HEL"}, Availability: avail})
	}
	in.Interviews = append(in.Interviews, solver.Interview{ID: "D-1", Case: "CD-1", Language: "ti-ET", DialectRequired: true,
		DurationMinutes: 120, Earliest: "2026-12-07", Locations: []string{"HEL"}, InterpreterMode: solver.WantOnsite})
	e, _, _ := newBookingEnv(t, in)
	c := resources.RoleClerk
	refused := func(r resp, what string) {
		t.Helper()
		require.Equal(t, 422, r.Status, "%s: %s", what, r.Body)
		var p bookingProblem
		r.json(t, &p)
		require.NotEmpty(t, p.Violations, what)
		require.Equal(t, 5, p.Violations[0].Rule, "%s: %v", what, p.Violations)
		require.Regexp(t, `does not interpret|does not list the required dialect`, p.Violations[0].Message, what)
	}
	at := "2026-12-07T08:00:00+02:00"
	refused(e.do(c, "POST", "/v1/interviews/I-1/booking", explicit(at, "HEL-R1", "e2", "t-ar", "onsite")), "Arabic for Tigrinya")
	refused(e.do(c, "POST", "/v1/interviews/D-1/booking", explicit(at, "HEL-R1", "e2", "t-ti-er", "onsite")), "ti-ER for a required ti-ET")
	refused(e.do(c, "POST", "/v1/interviews/D-1/booking", explicit(at, "HEL-R1", "e2", "t1", "onsite")), "ti for a required ti-ET")
	require.Equal(t, 0, e.count(`select count(*) from bookings`))

	// Booked rightly, then moved to a wrong interpreter: refused, kept.
	r := e.do(c, "POST", "/v1/interviews/I-1/booking", explicit(at, "HEL-R1", "e2", "t1", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var b resources.Booking
	r.json(t, &b)
	refused(e.do(c, "POST", fmt.Sprintf("/v1/bookings/%d/reschedule", b.ID), explicit(at, "HEL-R1", "e2", "t-ar", "onsite")), "reschedule to Arabic")
	r = e.do(c, "POST", "/v1/interviews/D-1/booking", explicit("2026-12-08T08:00:00+02:00", "HEL-R2", "e2", "t-ti-et", "onsite"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	var d resources.Booking
	r.json(t, &d)
	refused(e.do(c, "POST", fmt.Sprintf("/v1/bookings/%d/reschedule", d.ID), explicit("2026-12-08T08:00:00+02:00", "HEL-R2", "e2", "t-ti-er", "onsite")), "reschedule to another dialect")
	require.Equal(t, 1, e.count(`select count(*) from bookings where id = $1 and interpreter_id = 't-ti-et'`, d.ID))

	// A dialect that is not required is allowed (it costs dialect_mismatch).
	r = e.do(c, "POST", fmt.Sprintf("/v1/bookings/%d/reschedule", b.ID), explicit(at, "HEL-R1", "e2", "t-ti-er", "onsite"))
	require.Equal(t, 200, r.Status, "%s", r.Body)
}
