package postgres_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/instancecmp"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

func newDB(t testing.TB) *postgres.DB {
	t.Helper()
	db, _ := newDBRaw(t)
	return db
}

// newDBRaw is newDB with the test's own connection to the database.
func newDBRaw(t testing.TB) (*postgres.DB, *pgtest.Raw) {
	t.Helper()
	raw := pgtest.Open(t)
	return postgres.New(raw, func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }), raw
}

// canonical compares instances up to order (internal/instancecmp).
func canonical(t *testing.T, in *solver.Instance) any {
	t.Helper()
	v, err := instancecmp.Canonical(in)
	require.NoError(t, err)
	return v
}

// withBookings gives a generated instance a current plan: the solver's first
// fit, every other booking pinned.
func withBookings(t testing.TB, in *solver.Instance) *solver.Instance {
	t.Helper()
	s, err := solver.FirstFit(in)
	require.NoError(t, err)
	for i, a := range s.Assignments {
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode, Pinned: i%2 == 0})
	}
	require.NoError(t, solver.Validate(in))
	return in
}

func TestImportExportRoundTripL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	in, err := generator.Generate("L", 7)
	require.NoError(t, err)
	in = withBookings(t, in)
	require.NoError(t, solver.Validate(in))
	require.NotEmpty(t, in.Bookings, "the L instance should carry current bookings")

	sum, err := db.Import(ctx, in)
	require.NoError(t, err)
	require.Equal(t, len(in.Interviews), sum.Interviews)
	require.Equal(t, len(in.Bookings), sum.Bookings)

	out, err := db.Export(ctx, "", "")
	require.NoError(t, err)
	require.NoError(t, solver.Validate(out))
	require.Equal(t, canonical(t, in), canonical(t, out))

	// Importing the export again changes nothing.
	_, err = db.Import(ctx, out)
	require.NoError(t, err)
	again, err := db.Export(ctx, "", "")
	require.NoError(t, err)
	require.Equal(t, canonical(t, in), canonical(t, again))
}

func TestImportInvalidLeavesDatabaseUnchanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	in, err := generator.Generate("M", 3)
	require.NoError(t, err)
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	before, err := db.Export(ctx, "", "")
	require.NoError(t, err)

	bad, err := generator.Generate("S", 4)
	require.NoError(t, err)
	bad.Interviews[1].Language = "not a tag"
	bad.Rooms[0].Location = "NOWHERE"
	_, err = db.Import(ctx, bad)
	require.Equal(t, errs.Invalid, errs.CodeOf(err), "%v", err)
	paths := map[string]bool{}
	for _, f := range errs.FieldsOf(err) {
		paths[f.Path] = true
	}
	require.True(t, paths["interviews[1].language"], "%v", errs.FieldsOf(err))
	require.True(t, paths["rooms[0].location"], "%v", errs.FieldsOf(err))

	after, err := db.Export(ctx, "", "")
	require.NoError(t, err)
	require.Equal(t, canonical(t, before), canonical(t, after))
}

func TestImportOverlappingBookingsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	in, err := generator.Generate("S", 5)
	require.NoError(t, err)
	require.NoError(t, func() error { _, err := db.Import(ctx, in); return err }())
	before, err := db.Export(ctx, "", "")
	require.NoError(t, err)

	// Two unpinned bookings of one interviewer at the same time: the solver
	// leaves such a pair to be re-planned, the database refuses to store it.
	in2 := *in
	in2.Bookings = nil
	var ivA, ivB *solver.Interview
	for i := range in2.Interviews {
		iv := &in2.Interviews[i]
		if !iv.NeedsInterp() || len(iv.Parties) > 0 {
			continue
		}
		if ivA == nil {
			ivA = iv
		} else if ivB == nil && iv.DurationMinutes == ivA.DurationMinutes {
			ivB = iv
		}
	}
	require.NotNil(t, ivB)
	start := in.Horizon.Start + "T09:00:00+02:00"
	in2.Bookings = []solver.Booking{
		{Interview: ivA.ID, Start: start, Room: in.Rooms[0].ID, Interviewer: in.Interviewers[0].ID, Interpreter: in.Interpreters[0].ID, Mode: "remote"},
		{Interview: ivB.ID, Start: start, Room: in.Rooms[1].ID, Interviewer: in.Interviewers[0].ID, Interpreter: in.Interpreters[1].ID, Mode: "remote"},
	}
	_, err = db.Import(ctx, &in2)
	require.Equal(t, errs.Invalid, errs.CodeOf(err), "%v", err)
	require.Equal(t, "bookings[1]", errs.FieldsOf(err)[0].Path)
	after, err := db.Export(ctx, "", "")
	require.NoError(t, err)
	require.Equal(t, canonical(t, before), canonical(t, after))
}

func ptr[T any](v T) *T { return &v }

func seed(t *testing.T, db *postgres.DB) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []string{"HEL", "TKU"} {
		_, err := db.PutLocation(ctx, &resources.Location{Location: solver.Location{ID: id, Name: id + " office"}, Active: true}, nil)
		require.NoError(t, err)
	}
}

func TestRoomCRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	seed(t, db)

	r := &resources.Room{Room: solver.Room{ID: "HEL-R1", Location: "HEL", Features: []string{"video"},
		Availability: []solver.Interval{{Start: "2026-12-07T08:00:00Z", End: "2026-12-07T16:00:00Z"}}}, Active: true}
	got, err := db.PutRoom(ctx, r, nil)
	require.NoError(t, err)
	require.Equal(t, int64(1), got.Version)
	require.Equal(t, []string{"video"}, got.Features)
	require.Len(t, got.Availability, 1)

	_, err = db.PutRoom(ctx, r, nil)
	require.Equal(t, errs.Conflict, errs.CodeOf(err))

	got.Features = []string{"video", "accessible"}
	got.Availability = nil
	upd, err := db.PutRoom(ctx, got, ptr(int64(1)))
	require.NoError(t, err)
	require.Equal(t, int64(2), upd.Version)
	require.Nil(t, upd.Availability)
	require.Equal(t, []string{"video", "accessible"}, upd.Features)

	_, err = db.PutRoom(ctx, got, ptr(int64(1)))
	require.Equal(t, errs.PreconditionFailed, errs.CodeOf(err), "%v", err)

	bad := &resources.Room{Room: solver.Room{ID: "X", Location: "NOPE", Features: []string{"sauna"}}, Active: true}
	_, err = db.PutRoom(ctx, bad, nil)
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
	fields := errs.FieldsOf(err)
	require.Len(t, fields, 2, "%v", fields)
	require.Equal(t, "location", fields[0].Path)
	require.Equal(t, `unknown location "NOPE"`, fields[0].Message)
	require.Equal(t, "features[0]", fields[1].Path)

	page, err := db.Rooms(ctx, resources.ListParams{Filters: map[string]string{"location": "HEL"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)

	_, err = db.Rooms(ctx, resources.ListParams{Filters: map[string]string{"colour": "red"}})
	require.Equal(t, errs.Invalid, errs.CodeOf(err))

	require.Equal(t, errs.PreconditionFailed, errs.CodeOf(db.DeleteRoom(ctx, "HEL-R1", ptr(int64(1)))))
	require.NoError(t, db.DeleteRoom(ctx, "HEL-R1", ptr(int64(2))))
	_, err = db.Room(ctx, "HEL-R1")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
	require.Equal(t, errs.NotFound, errs.CodeOf(db.DeleteRoom(ctx, "HEL-R1", nil)))
}

func TestPagingIsStable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	seed(t, db)
	for i := 0; i < 25; i++ {
		_, err := db.PutParty(ctx, &resources.Party{Party: solver.Party{ID: fmt.Sprintf("P%02d", i), Kind: "counsel"}, Active: true}, nil)
		require.NoError(t, err)
	}
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		p, err := db.Parties(ctx, resources.ListParams{Limit: 10, Cursor: cursor})
		require.NoError(t, err)
		for _, x := range p.Items {
			ids = append(ids, x.ID)
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	require.Len(t, ids, 25)
	require.True(t, sort.StringsAreSorted(ids))
	_, err := db.Parties(ctx, resources.ListParams{Cursor: "garbage!"})
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
}

func TestDeleteThatWouldOrphanBookingIsConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	in, err := generator.Generate("S", 9)
	require.NoError(t, err)
	in = withBookings(t, in)
	require.NotEmpty(t, in.Bookings)
	_, err = db.Import(ctx, in)
	require.NoError(t, err)
	b := in.Bookings[0]
	require.Equal(t, errs.Conflict, errs.CodeOf(db.DeleteRoom(ctx, b.Room, nil)))
	require.Equal(t, errs.Conflict, errs.CodeOf(db.DeleteInterviewer(ctx, b.Interviewer, nil)))
	require.Equal(t, errs.Conflict, errs.CodeOf(db.DeleteInterview(ctx, b.Interview, nil)))
	if b.Interpreter != "" {
		require.Equal(t, errs.Conflict, errs.CodeOf(db.DeleteInterpreter(ctx, b.Interpreter, nil)))
	}
	_, err = db.Room(ctx, b.Room)
	require.NoError(t, err)

	iv, err := db.Interview(ctx, b.Interview)
	require.NoError(t, err)
	require.Equal(t, resources.StatusBooked, iv.Status)

	page, err := db.Bookings(ctx, resources.ListParams{Filters: map[string]string{"interview": b.Interview}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, b.Room, page.Items[0].Room)
}

func TestInterviewCRUDAndValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := newDB(t)
	seed(t, db)
	iv := &resources.Interview{Interview: solver.Interview{ID: "I-1", Case: "C-100", Language: "ar-IQ", DurationMinutes: 90,
		Earliest: "2026-12-07", Locations: []string{"HEL"}, NeedsInterpreter: ptr(true), Priority: ptr(2)}}
	got, err := db.PutInterview(ctx, iv, nil)
	require.NoError(t, err)
	require.Equal(t, resources.StatusPending, got.Status)
	require.Equal(t, iv.Interview, got.Interview)

	bad := &resources.Interview{Interview: solver.Interview{ID: "I-2", Case: "", Language: "xx yy", DurationMinutes: 50,
		Earliest: "2026-13-01", Locations: []string{"HEL", "OUL"}}}
	_, err = db.PutInterview(ctx, bad, nil)
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
	paths := map[string]string{}
	for _, f := range errs.FieldsOf(err) {
		paths[f.Path] = f.Message
	}
	for _, p := range []string{"case", "language", "duration_minutes", "earliest", "locations[1]"} {
		require.Contains(t, paths, p, "%v", paths)
	}

	page, err := db.Interviews(ctx, resources.ListParams{Filters: map[string]string{"language": "ar", "status": "pending"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	page, err = db.Interviews(ctx, resources.ListParams{Filters: map[string]string{"language": "so"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 0)

	got.Status = resources.StatusCancelled
	upd, err := db.PutInterview(ctx, got, ptr(got.Version))
	require.NoError(t, err)
	require.Equal(t, resources.StatusCancelled, upd.Status)
	require.NoError(t, db.DeleteInterview(ctx, "I-1", ptr(upd.Version)))
}

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, raw := newDBRaw(t)
	tok, rec, err := db.CreateToken(ctx, "alice-desk", resources.RoleClerk)
	require.NoError(t, err)
	require.Len(t, tok, 4+43)
	got, err := db.Authenticate(ctx, tok)
	require.NoError(t, err)
	require.Equal(t, rec.ID, got.ID)
	require.Equal(t, resources.RoleClerk, got.Role)

	var stored []byte
	require.NoError(t, raw.QueryRow(ctx, `select hash from api_tokens where id = $1`, rec.ID).Scan(&stored))
	require.NotContains(t, string(stored), tok[4:])

	_, err = db.Authenticate(ctx, tok+"x")
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err))
	require.NoError(t, db.RevokeToken(ctx, rec.ID))
	_, err = db.Authenticate(ctx, tok)
	require.Equal(t, errs.Unauthorized, errs.CodeOf(err))
	_, _, err = db.CreateToken(ctx, "x", "root")
	require.Equal(t, errs.Invalid, errs.CodeOf(err))
}
