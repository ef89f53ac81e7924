package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// domainTables are emptied by an import, which replaces the whole state.
// Tokens, feed tokens, job runs, the audit trail and the outbox are kept:
// audit_log and outbox refer to interviews and bookings without foreign keys
// (migration 006), and a trigger refuses to truncate audit_log.
const domainTables = `booking_origins, interview_flags, availability_patterns, party_answers, signin_links, portal_sessions, idempotency_keys, booking_flags, plans, occupancy, holds, bookings, interview_excluded_interviewers, interview_excluded_interpreters,
	interview_parties, interview_locations, interviews, interpreter_locations, availability, availability_versions, absences,
	busy_calendars, rooms, interviewers, interpreters, parties, resource, travel_times, locations`

// Import replaces the whole state (settings, resources, interview requests,
// bookings) by an interview-instance/v1 document, in one transaction: all or
// nothing. The document is validated first by the solver; its problems come
// back with their JSON paths. Interviews with a booking are "booked", the
// others "pending". The audit trail and the outbox are kept (undelivered
// events are still delivered), and identities are not restarted: booking
// and outbox ids are never reused. The import itself is audited with actor
// ImportActor; see ImportAs.
func (db *DB) Import(ctx context.Context, in *solver.Instance) (resources.ImportSummary, error) {
	return db.ImportAs(ctx, in, resources.ImportActor)
}

// ImportAs is Import with the audit actor of the import (the token's name).
func (db *DB) ImportAs(ctx context.Context, in *solver.Instance, actor string) (resources.ImportSummary, error) {
	var sum resources.ImportSummary
	if actor == "" {
		actor = resources.ImportActor
	}
	if err := solver.Validate(in); err != nil {
		return sum, resources.InstanceError(err)
	}
	stmts, paths, err := importStmts(in)
	if err != nil {
		return sum, err
	}
	if err := db.replaceInstance(ctx, in, actor, stmts, paths); err != nil {
		return sum, err
	}
	// Fresh statistics after a bulk load, so that the planner picks indexes.
	if _, err := db.pool.Exec(ctx, `analyze `+strings.ReplaceAll(domainTables, "\n\t", " ")); err != nil {
		return sum, Translate(err)
	}
	return summaryOf(in), nil
}

// importStmts are the statements that insert the instance, each with the
// path of the entity it comes from (for the error of a refused row); an
// entity whose statements cannot be built (a bad instant) is a field error.
func importStmts(in *solver.Instance) (stmts []stmt, paths []string, err error) {
	add := func(path string, ss ...stmt) {
		for _, s := range ss {
			stmts = append(stmts, s)
			paths = append(paths, path)
		}
	}
	for i, l := range in.Locations {
		add(fmt.Sprintf("locations[%d]", i), locationStmts(l, true, nil)...)
	}
	for i, t := range in.TravelMinutes {
		add(fmt.Sprintf("travel_minutes[%d]", i), st(`insert into travel_times (from_location, to_location, minutes) values ($1, $2, $3)`, t.From, t.To, t.Minutes))
	}
	// Entities whose statements may fail to build (bad instants), by path.
	type gen struct {
		path string
		f    func() ([]stmt, error)
	}
	var gens []gen
	for i, x := range in.Rooms {
		gens = append(gens, gen{fmt.Sprintf("rooms[%d]", i), func() ([]stmt, error) { return roomStmts(x, true, nil) }})
	}
	for i, x := range in.Interviewers {
		gens = append(gens, gen{fmt.Sprintf("interviewers[%d]", i), func() ([]stmt, error) { return interviewerStmts(x, true, nil) }})
	}
	for i, x := range in.Interpreters {
		gens = append(gens, gen{fmt.Sprintf("interpreters[%d]", i), func() ([]stmt, error) { return interpreterStmts(x, true, nil) }})
	}
	for i, x := range in.Parties {
		gens = append(gens, gen{fmt.Sprintf("parties[%d]", i), func() ([]stmt, error) { return partyStmts(x, true, nil) }})
	}
	booked := map[string]bool{}
	for _, b := range in.Bookings {
		booked[b.Interview] = true
	}
	duration := map[string]int{}
	for i, x := range in.Interviews {
		duration[x.ID] = x.DurationMinutes
		status := string(resources.StatusPending)
		if booked[x.ID] {
			status = string(resources.StatusBooked)
		}
		gens = append(gens, gen{fmt.Sprintf("interviews[%d]", i), func() ([]stmt, error) { return interviewStmts(x, status, nil) }})
	}
	for _, g := range gens {
		ss, err := g.f()
		if err != nil {
			return nil, nil, errs.Field(g.path, errs.MessageOf(err))
		}
		add(g.path, ss...)
	}
	for i, b := range in.Bookings {
		start, _ := solver.ParseInstant(b.Start)
		end := start.Add(time.Duration(duration[b.Interview]) * time.Minute)
		add(fmt.Sprintf("bookings[%d]", i), bookingStmt(b, start, end))
	}
	return stmts, paths, nil
}

// replaceInstance empties the domain tables and runs the import's
// statements and settings in one transaction, with one audit entry.
func (db *DB) replaceInstance(ctx context.Context, in *solver.Instance, actor string, stmts []stmt, paths []string) error {
	return WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		// continue identity: ids of bookings (and of everything else) go on
		// growing, so that an id in the kept audit trail or outbox, or in a
		// webhook receiver, never names a different booking later.
		if _, err := tx.Exec(ctx, `truncate `+domainTables+` continue identity`); err != nil {
			return err
		}
		if err := putSettings(ctx, tx, in); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for _, s := range stmts {
			batch.Queue(s.sql, s.args...)
		}
		br := tx.SendBatch(ctx, batch)
		for i := range stmts {
			if _, err := br.Exec(); err != nil {
				br.Close()
				return importError(paths[i], err)
			}
		}
		if err := br.Close(); err != nil {
			return err
		}
		after, err := json.Marshal(summaryOf(in))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into audit_log (at, actor, action, after) values ($1, $2, $3, $4::jsonb)`,
			db.now(), actor, resources.ActionInstanceImported, string(after))
		return err
	})
}

var conflictKey = regexp.MustCompile(`\(resource_id, during\)=\((\d+),`)

func importError(path string, err error) error {
	t := Translate(err)
	msg := errs.MessageOf(t)
	if errs.CodeOf(t) == errs.Conflict && conflictKey.MatchString(err.Error()) {
		msg = "overlaps another booking of the same room, interviewer, interpreter or party"
	}
	if errs.CodeOf(t) == errs.Internal {
		return t
	}
	return &errs.Error{Code: errs.Invalid, Message: "the instance cannot be stored: " + path + ": " + msg,
		Fields: []errs.FieldError{{Path: path, Message: msg}}, Err: err}
}

// bookingStmt writes a booking and its occupancy rows (room, interviewer,
// interpreter, parties of the interview), and marks the interview booked.
func bookingStmt(b solver.Booking, start, end time.Time) stmt {
	return st(`with b as (
			insert into bookings (interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned)
			values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, start_at, end_at),
		o as (insert into occupancy (resource_id, during, booking_id)
			select r.resource_id, tstzrange(b.start_at, b.end_at), b.id from b, (
				select resource_id from rooms where id = $4
				union all select resource_id from interviewers where id = $5
				union all select resource_id from interpreters where id = $6
				union all select p.resource_id from parties p join interview_parties ip on ip.party_id = p.id
					where ip.interview_id = $1) r)
		update interviews set status = 'booked' where id = $1 and status = 'pending'`,
		b.Interview, start, end, b.Room, b.Interviewer, nullString(b.Interpreter), b.Mode, b.Pinned)
}

// Export returns the current state as an interview-instance/v1 document.
// from and to (local dates, both optional) narrow the horizon; the document
// then holds the pending and booked interviews whose window meets it, except
// those booked outside it, and their active bookings. Resources are always exported whole; an inactive
// one with no availability, so that references stay valid. Absences are cut
// out of availability.
func (db *DB) Export(ctx context.Context, from, to string) (*solver.Instance, error) {
	var in *solver.Instance
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		in, err = export(ctx, tx, from, to)
		return err
	}, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	return in, err
}

func export(ctx context.Context, tx pgx.Tx, from, to string) (*solver.Instance, error) {
	in, loc, err := instanceFrame(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := exportHorizon(in, from, to); err != nil {
		return nil, err
	}
	if err := exportResources(ctx, tx, loc, in); err != nil {
		return nil, err
	}
	ids, err := exportInterviews(ctx, tx, loc, in)
	if err != nil {
		return nil, err
	}
	emptyLists(in)
	bs, err := loadBookings(ctx, tx, loc, bookingSelect+` where status = 'active' and interview_id = any($1) order by interview_id`, ids)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		in.Bookings = append(in.Bookings, b.Booking)
	}
	return in, nil
}

// exportHorizon sets the horizon of an export: from and to when given,
// else the stored one; there must be one.
func exportHorizon(in *solver.Instance, from, to string) error {
	var probs []errs.FieldError
	if from != "" {
		if d, err := parseDate(from); err != nil {
			probs = append(probs, errs.FieldError{Path: "from", Message: "from must be a date YYYY-MM-DD"})
		} else {
			in.Horizon.Start = dateString(d)
		}
	}
	if to != "" {
		if d, err := parseDate(to); err != nil {
			probs = append(probs, errs.FieldError{Path: "to", Message: "to must be a date YYYY-MM-DD"})
		} else {
			in.Horizon.End = dateString(d)
		}
	}
	if len(probs) > 0 {
		return errs.WithFields("bad export range", probs)
	}
	if in.Horizon.Start == "" || in.Horizon.End == "" {
		return errs.WithFields("no planning horizon is stored: give from and to", []errs.FieldError{{Path: "from", Message: "required: no horizon stored"}, {Path: "to", Message: "required: no horizon stored"}})
	}
	if in.Horizon.End < in.Horizon.Start {
		return errs.Field("to", "to is before from")
	}
	return nil
}

// exportResources adds every room, interviewer, interpreter and party with
// its availability less absences; an inactive one is never available.
func exportResources(ctx context.Context, tx pgx.Tx, loc *time.Location, in *solver.Instance) error {
	ar := availRead{absences: true}
	rooms, err := loadRooms(ctx, tx, loc, ar, roomSelect+` order by id`)
	if err != nil {
		return err
	}
	for _, x := range rooms {
		if !x.Active {
			x.Availability = []solver.Interval{}
		}
		in.Rooms = append(in.Rooms, x.Room)
	}
	ers, err := loadInterviewers(ctx, tx, loc, ar, interviewerSelect+` order by id`)
	if err != nil {
		return err
	}
	for _, x := range ers {
		if !x.Active {
			x.Availability = []solver.Interval{}
		}
		in.Interviewers = append(in.Interviewers, x.Interviewer)
	}
	ips, err := loadInterpreters(ctx, tx, loc, ar, interpreterSelect+` order by id`)
	if err != nil {
		return err
	}
	for _, x := range ips {
		if !x.Active {
			x.Availability = []solver.Interval{}
		}
		in.Interpreters = append(in.Interpreters, x.Interpreter)
	}
	ps, err := loadParties(ctx, tx, loc, ar, partySelect+` order by id`)
	if err != nil {
		return err
	}
	for _, x := range ps {
		if !x.Active {
			x.Availability = []solver.Interval{}
		}
		in.Parties = append(in.Parties, x.Party)
	}
	return nil
}

// exportInterviews adds the interviews whose window meets the horizon, less
// those booked outside it (their booking is not this horizon's business),
// and returns their ids.
func exportInterviews(ctx context.Context, tx pgx.Tx, loc *time.Location, in *solver.Instance) ([]string, error) {
	hs, _ := parseDate(in.Horizon.Start)
	he, _ := parseDate(in.Horizon.End)
	first := solver.Date(hs.Time.Unix() / 86400).Midnight(loc)
	after := solver.Date(he.Time.Unix()/86400 + 1).Midnight(loc)
	ivs, err := loadInterviews(ctx, tx, interviewSelect+` where status in ('pending', 'booked')
		and earliest <= $2 and (latest is null or latest >= $1)
		and not exists (select 1 from bookings b where b.interview_id = interviews.id and b.status = 'active'
			and (b.start_at < $3 or b.start_at >= $4))
		order by id`, hs, he, first, after)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ivs))
	for i, x := range ivs {
		in.Interviews = append(in.Interviews, x.Interview)
		ids[i] = x.ID
	}
	return ids, nil
}

// emptyLists makes the lists the format requires [] when empty, never null.
func emptyLists(in *solver.Instance) {
	if in.Interviews == nil {
		in.Interviews = []solver.Interview{}
	}
	if in.Locations == nil {
		in.Locations = []solver.Location{}
	}
	if in.Rooms == nil {
		in.Rooms = []solver.Room{}
	}
	if in.Interviewers == nil {
		in.Interviewers = []solver.Interviewer{}
	}
	if in.Interpreters == nil {
		in.Interpreters = []solver.Interpreter{}
	}
}

// instanceFrame starts an instance from the tables: the settings (time
// zone, grain, start times, weights, horizon), the offices and the travel
// times. Export and the booking check build on it.
func instanceFrame(ctx context.Context, tx pgx.Tx) (*solver.Instance, *time.Location, error) {
	s, loc, err := getSettings(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	in := &solver.Instance{Format: solver.InstanceFormat, Timezone: s.Timezone, GrainMinutes: s.GrainMinutes,
		StartTimes: s.StartTimes, Weights: s.Weights}
	if s.Horizon != nil {
		in.Horizon = *s.Horizon
	}
	locs, err := scanLocations(must(tx.Query(ctx, locationSelect+` order by id`)))
	if err != nil {
		return nil, nil, err
	}
	for _, l := range locs {
		in.Locations = append(in.Locations, l.Location)
	}
	rows, _ := tx.Query(ctx, `select from_location, to_location, minutes from travel_times order by 1, 2`)
	in.TravelMinutes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Travel, error) {
		var t solver.Travel
		err := r.Scan(&t.From, &t.To, &t.Minutes)
		return t, err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(in.TravelMinutes) == 0 {
		in.TravelMinutes = nil
	}
	return in, loc, nil
}

func must(rows pgx.Rows, _ error) pgx.Rows { return rows }

// ---- bookings (read side; the booking workflow writes them)

const bookingSelect = `select id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned,
	status, sequence, version from bookings`

func loadBookings(ctx context.Context, q querier, loc *time.Location, sql string, args ...any) ([]resources.Booking, error) {
	rows, _ := q.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Booking, error) {
		var b resources.Booking
		var start, end time.Time
		var interp *string
		err := r.Scan(&b.ID, &b.Interview, &start, &end, &b.Room, &b.Interviewer, &interp, &b.Mode, &b.Pinned,
			&b.Status, &b.Sequence, &b.Version)
		b.Start, b.End, b.Interpreter = solver.FormatInstant(start, loc), solver.FormatInstant(end, loc), str(interp)
		return b, err
	})
}

// Booking returns a booking.
func (db *DB) Booking(ctx context.Context, id int64) (*resources.Booking, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	bs, err := loadBookings(ctx, db.pool, loc, bookingSelect+` where id = $1`, id)
	if err != nil {
		return nil, Translate(err)
	}
	if len(bs) == 0 {
		return nil, errs.E(errs.NotFound, "booking %d not found", id)
	}
	if bs[0].MeetingURL, err = db.BookingMeetingURL(ctx, id); err != nil {
		return nil, err
	}
	return &bs[0], nil
}

// Bookings lists bookings by id. Filters: interview, status, room,
// interviewer, interpreter, from, to (start instants, RFC 3339 or dates).
func (db *DB) Bookings(ctx context.Context, p resources.ListParams) (resources.Page[resources.Booking], error) {
	var zero resources.Page[resources.Booking]
	l, err := newList(p, "interview", "status", "room", "interviewer", "interpreter", "from", "to")
	if err != nil {
		return zero, err
	}
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return zero, Translate(err)
	}
	if v, ok := p.Filters["status"]; ok && v != "active" && v != "cancelled" && v != "completed" {
		return zero, errs.Field("status", "status must be active, cancelled or completed")
	}
	for _, f := range []struct{ name, col string }{{"interview", "interview_id"}, {"status", "status"}, {"room", "room_id"},
		{"interviewer", "interviewer_id"}, {"interpreter", "interpreter_id"}} {
		if v, ok := p.Filters[f.name]; ok {
			l.where(f.col+" = ?", v)
		}
	}
	for _, f := range []struct{ name, cond string }{{"from", "start_at >= ?"}, {"to", "start_at < ?"}} {
		if v, ok := p.Filters[f.name]; ok {
			t, err := instantOrDate(v, loc, f.name == "to")
			if err != nil {
				return zero, errs.Field(f.name, f.name+" must be an RFC 3339 instant or a date YYYY-MM-DD")
			}
			l.where(f.cond, t)
		}
	}
	if err := l.idAfter(true); err != nil {
		return zero, err
	}
	sql := bookingSelect
	if len(l.conds) > 0 {
		sql += " where " + joinAnd(l.conds)
	}
	sql += " order by id limit " + strconv.Itoa(l.limit+1)
	items, err := loadBookings(ctx, db.pool, loc, sql, l.args...)
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.Booking) string { return strconv.FormatInt(x.ID, 10) }), nil
}

func joinAnd(conds []string) string {
	out := ""
	for i, c := range conds {
		if i > 0 {
			out += " and "
		}
		out += c
	}
	return out
}

// instantOrDate reads an RFC 3339 instant, or a local date as its midnight
// (the next midnight when end is set, so that "to" includes the date).
func instantOrDate(v string, loc *time.Location, end bool) (time.Time, error) {
	if t, err := solver.ParseInstant(v); err == nil {
		return t, nil
	}
	d, err := solver.ParseDate(v)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		d++
	}
	return d.Midnight(loc), nil
}

// summaryOf counts what an instance holds.
func summaryOf(in *solver.Instance) resources.ImportSummary {
	return resources.ImportSummary{Locations: len(in.Locations), Rooms: len(in.Rooms), Interviewers: len(in.Interviewers),
		Interpreters: len(in.Interpreters), Parties: len(in.Parties), Interviews: len(in.Interviews), Bookings: len(in.Bookings)}
}
