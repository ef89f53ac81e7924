package postgres

// booking.go writes the booking workflow's changes: bookings, holds,
// reschedules and cancellations, each in one transaction with its occupancy,
// audit and outbox rows and its idempotency key. The rules themselves are
// checked by the caller's Check function, called inside the transaction once
// the people and rooms involved are locked.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Placement says when and with whom an interview is held. The end follows
// from the interview's duration; the location from the room.
type Placement struct {
	Start       time.Time
	Room        string
	Interviewer string
	Interpreter string // empty when mode is none
	Mode        string
}

// CheckInput is what a change is checked against: an instance holding the
// settings, the locations and travel times, the resources involved and the
// interviews concerned; the active bookings and live holds of the same local
// date that share a room, person or party with the new placement (holds as
// interviews "hold~ID"); and the new assignment.
type CheckInput struct {
	Instance *solver.Instance
	Others   []solver.Assignment
	New      solver.Assignment
}

// HoldInterviewPrefix names the stand-in interviews of holds in instances
// built for checks and suggestions.
const HoldInterviewPrefix = "hold~"

// TakenError says that a resource is occupied at the time wanted, by a
// booking or by a live hold of another caller.
type TakenError struct {
	Resource string     // "interpreter t1"
	HeldTill *time.Time // set when a hold takes it
	Message  string
}

func (e *TakenError) Error() string { return "conflict: " + e.Message }

// Unwrap gives the error its code.
func (e *TakenError) Unwrap() error { return &errs.Error{Code: errs.Conflict, Message: e.Message} }

// Idem is an idempotency key with the hash of the request it came with.
type Idem struct {
	Key  string
	Hash []byte
}

// IdemTTL is how long an idempotency key is kept.
const IdemTTL = 24 * time.Hour

// Change is one change of the booking workflow.
type Change struct {
	Action    string // ActionBooked, ActionHeld, ActionRescheduled, ActionCancelled
	Interview string // booked, held
	BookingID int64  // rescheduled, cancelled
	Place     *Placement
	Pinned    bool
	Actor     string
	Reason    string
	ExpiresAt time.Time // held
	Idem      *Idem
	Now       time.Time
	// Check is called inside the transaction, under the locks, before
	// anything is written; its error aborts the change and comes back as it is.
	Check func(*CheckInput) error
	// AnswerDue is when an interpreter asked at requested must answer for
	// an interview at start, under the settings' rules (read in the
	// change's transaction): the rule is the scheduler's
	// (scheduler.AnswerDue). Required when a booking or a move asks an
	// interpreter.
	AnswerDue func(rules resources.Confirmation, requested, start time.Time) time.Time
	// Origin is how a booking or move came about (automation.go); Check
	// may complete it (the rules a placement by hand worsens). Nil: not
	// recorded.
	Origin *resources.BookingOrigin
}

// ChangeResult is what a change did. Replayed is set when an idempotency
// key answered with the stored result of an earlier request.
type ChangeResult struct {
	Booking  *resources.Booking
	Hold     *resources.Hold
	Replayed bool
}

// Apply makes a change in one transaction: the idempotency key is claimed
// (or its stored answer replayed), the interview row and the rows of every
// resource involved are locked in a fixed order (interview, then resources by
// id), expired holds in the way are deleted, occupied resources are refused
// (*TakenError), Check runs, and the booking or hold is written with its
// occupancy (the exclusion constraint is the last guard), audit and outbox
// rows.
func (db *DB) Apply(ctx context.Context, c Change) (*ChangeResult, error) {
	var res *ChangeResult
	var err error
	for attempt := 0; ; attempt++ {
		err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
			var err error
			res, err = apply(ctx, tx, c)
			return err
		})
		// The locks are taken in one order, so deadlocks should not
		// happen; should one (or a serialization failure) happen anyway,
		// the change is tried again from the start.
		if attempt < 2 && retryable(err) {
			continue
		}
		break
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ApplyAll makes several moves of bookings in one transaction, all or
// none: the old occupancy of every booking moved goes first, so that the
// moves may take each other's places (a swap, a cycle). Each change is then
// applied as Apply does, checked against the others already applied.
func (db *DB) ApplyAll(ctx context.Context, cs []Change) ([]*ChangeResult, error) {
	var ids []int64
	for _, c := range cs {
		if c.Action != resources.ActionRescheduled || c.BookingID == 0 {
			return nil, errs.E(errs.Internal, "ApplyAll moves bookings only")
		}
		ids = append(ids, c.BookingID)
	}
	out := make([]*ChangeResult, len(cs))
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `delete from occupancy where booking_id = any($1)`, ids); err != nil {
			return err
		}
		for i, c := range cs {
			res, err := apply(ctx, tx, c)
			if err != nil {
				return err
			}
			out[i] = res
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

// apply is Apply's transaction: its steps, in order.
func apply(ctx context.Context, tx pgx.Tx, c Change) (*ChangeResult, error) {
	if c.Now.IsZero() {
		return nil, errs.E(errs.Internal, "no clock")
	}
	st, loc, err := getSettings(ctx, tx)
	if err != nil {
		return nil, err
	}
	if c.Idem != nil {
		replay, err := claimKey(ctx, tx, c.Idem, c.Actor, c.Now)
		if err != nil || replay != nil {
			return replay, err
		}
	}
	iv, err := lockInterview(ctx, tx, loc, c)
	if err != nil {
		return nil, err
	}
	switch c.Action {
	case resources.ActionBooked, resources.ActionHeld:
		if err := requirePending(ctx, tx, iv); err != nil {
			return nil, err
		}
	case resources.ActionCancelled:
		return cancel(ctx, tx, loc, c, iv.old)
	case resources.ActionRescheduled:
	default:
		return nil, errs.E(errs.Internal, "unknown action %q", c.Action)
	}
	if c.Place == nil {
		return nil, errs.E(errs.Invalid, "no placement given")
	}
	p := *c.Place
	end := p.Start.Add(time.Duration(iv.duration) * time.Minute)
	during := span(p.Start, end)
	rs, err := involved(ctx, tx, p, iv.id)
	if err != nil {
		return nil, err
	}
	held, err := lockResources(ctx, tx, rs.ids, iv.id)
	if err != nil {
		return nil, err
	}
	if err := endOwnHolds(ctx, tx, c, iv.id, len(held) > 0); err != nil {
		return nil, err
	}
	var oldID *int64
	if iv.old != nil {
		oldID = &iv.old.ID
	}
	if err := refuseTaken(ctx, tx, c, rs, during, oldID, loc); err != nil {
		return nil, err
	}
	a := solver.Assignment{Interview: iv.id, Start: solver.FormatInstant(p.Start, loc), End: solver.FormatInstant(end, loc),
		Location: rs.roomLoc, Room: p.Room, Interviewer: p.Interviewer, Interpreter: p.Interpreter, Mode: p.Mode}
	if c.Check != nil {
		ci, err := checkInput(ctx, tx, loc, iv.id, a, p.Start, rs.ids, oldID, c.Now)
		if err != nil {
			return nil, err
		}
		if err := c.Check(ci); err != nil {
			return nil, err
		}
	}
	w := placed{c: c, loc: loc, iv: iv, p: p, end: end, during: during, rs: rs, a: a}
	if p.Interpreter != "" && c.Action != resources.ActionHeld {
		if c.AnswerDue == nil {
			return nil, errs.E(errs.Internal, "no answer rule for the interpreter's request")
		}
		due := c.AnswerDue(st.Rules(), c.Now, p.Start)
		w.due = &due
	}
	switch c.Action {
	case resources.ActionHeld:
		return w.hold(ctx, tx)
	case resources.ActionBooked:
		return w.book(ctx, tx)
	default:
		return w.reschedule(ctx, tx)
	}
}

// lockedInterview is the interview a change is about, locked, with its
// active booking when the change names one.
type lockedInterview struct {
	id       string
	status   string
	duration int
	old      *resources.Booking
}

// lockInterview finds the change's interview (through its booking when it
// names one), locks its row and reads the booking, which must be active.
func lockInterview(ctx context.Context, tx pgx.Tx, loc *time.Location, c Change) (*lockedInterview, error) {
	iv := &lockedInterview{id: c.Interview}
	if c.BookingID != 0 {
		err := tx.QueryRow(ctx, `select interview_id from bookings where id = $1`, c.BookingID).Scan(&iv.id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "booking %d not found", c.BookingID)
		}
		if err != nil {
			return nil, err
		}
	}
	err := tx.QueryRow(ctx, `select status, duration_minutes from interviews where id = $1 for no key update`, iv.id).Scan(&iv.status, &iv.duration)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "interview %q not found", iv.id)
	}
	if err != nil {
		return nil, err
	}
	if c.BookingID != 0 {
		bs, err := loadBookings(ctx, tx, loc, bookingSelect+` where id = $1`, c.BookingID)
		if err != nil {
			return nil, err
		}
		iv.old = &bs[0]
		if iv.old.Status != "active" {
			return nil, errs.E(errs.Conflict, "booking %d is %s: it cannot be changed", iv.old.ID, iv.old.Status)
		}
	}
	return iv, nil
}

// requirePending refuses to book or hold an interview that is not pending.
func requirePending(ctx context.Context, tx pgx.Tx, iv *lockedInterview) error {
	if iv.status == string(resources.StatusPending) {
		return nil
	}
	if iv.status == string(resources.StatusBooked) {
		var bid int64
		tx.QueryRow(ctx, `select id from bookings where interview_id = $1 and status = 'active'`, iv.id).Scan(&bid)
		return errs.E(errs.Conflict, "interview %s is booked already (booking %d): reschedule or cancel that booking", iv.id, bid)
	}
	return errs.E(errs.Conflict, "interview %s is %s: only pending interviews can be booked or held", iv.id, iv.status)
}

// resourceSet is what a placement occupies: the resource ids (room,
// interviewer, interpreter, the interview's parties) with the names used in
// answers, and the room's location.
type resourceSet struct {
	ids     []int64
	names   map[int64]string
	roomLoc string
}

// involved reads the resources of placement p of interview ivID; unknown
// ones are invalid.
func involved(ctx context.Context, tx pgx.Tx, p Placement, ivID string) (*resourceSet, error) {
	var roomRID, erRID, trRID *int64
	var roomLoc *string
	var parties []int64
	var partyIDs []string
	err := tx.QueryRow(ctx, `select
		(select resource_id from rooms where id = $1), (select location_id from rooms where id = $1),
		(select resource_id from interviewers where id = $2),
		(select resource_id from interpreters where id = $3),
		array(select p.resource_id from interview_parties ip join parties p on p.id = ip.party_id where ip.interview_id = $4 order by ip.ord),
		array(select ip.party_id from interview_parties ip where ip.interview_id = $4 order by ip.ord)`,
		p.Room, p.Interviewer, nullString(p.Interpreter), ivID).Scan(&roomRID, &roomLoc, &erRID, &trRID, &parties, &partyIDs)
	if err != nil {
		return nil, err
	}
	var bad []errs.FieldError
	if roomRID == nil {
		bad = append(bad, errs.FieldError{Path: "room", Message: fmt.Sprintf("unknown room %q", p.Room)})
	}
	if erRID == nil {
		bad = append(bad, errs.FieldError{Path: "interviewer", Message: fmt.Sprintf("unknown interviewer %q", p.Interviewer)})
	}
	if p.Interpreter != "" && trRID == nil {
		bad = append(bad, errs.FieldError{Path: "interpreter", Message: fmt.Sprintf("unknown interpreter %q", p.Interpreter)})
	}
	if len(bad) > 0 {
		return nil, errs.WithFields("the assignment names unknown resources", bad)
	}
	rs := &resourceSet{ids: []int64{*roomRID, *erRID}, roomLoc: str(roomLoc),
		names: map[int64]string{*roomRID: "room " + p.Room, *erRID: "interviewer " + p.Interviewer}}
	if trRID != nil {
		rs.ids = append(rs.ids, *trRID)
		rs.names[*trRID] = "interpreter " + p.Interpreter
	}
	for i, r := range parties {
		rs.ids = append(rs.ids, r)
		rs.names[r] = "party " + partyIDs[i]
	}
	return rs, nil
}

// lockResources locks the rows of the resources, with those of the
// interview's own holds (which the change may delete), in one order: no
// deadlocks between changes. It returns the holds' resources.
func lockResources(ctx context.Context, tx pgx.Tx, ids []int64, ivID string) ([]int64, error) {
	rows, _ := tx.Query(ctx, `select distinct o.resource_id from occupancy o join holds h on h.id = o.hold_id where h.interview_id = $1`, ivID)
	held, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	lockSet := append(append([]int64{}, ids...), held...)
	sort.Slice(lockSet, func(i, j int) bool { return lockSet[i] < lockSet[j] })
	if _, err := tx.Exec(ctx, `select id from resource where id = any($1) order by id for no key update`, lockSet); err != nil {
		return nil, err
	}
	return held, nil
}

// endOwnHolds deletes the interview's holds: they end when it is booked or
// moved; a new hold replaces only the caller's earlier ones.
func endOwnHolds(ctx context.Context, tx pgx.Tx, c Change, ivID string, some bool) error {
	if !some {
		return nil
	}
	q := `delete from holds where interview_id = $1`
	args := []any{ivID}
	if c.Action == resources.ActionHeld {
		q += ` and actor = $2`
		args = append(args, c.Actor)
	}
	_, err := tx.Exec(ctx, q, args...)
	return err
}

// refuseTaken finds what occupies the resources during the time (besides
// the booking being moved): expired holds in the way are deleted (they stop
// blocking at once); anything else is a *TakenError naming the resource,
// the interpreter first.
func refuseTaken(ctx context.Context, tx pgx.Tx, c Change, rs *resourceSet, during pgtype.Range[pgtype.Timestamptz], oldID *int64, loc *time.Location) error {
	rows, _ := tx.Query(ctx, `select o.resource_id, o.hold_id, h.expires_at from occupancy o join resource r on r.id = o.resource_id
		left join holds h on h.id = o.hold_id
		where o.active and o.resource_id = any($1) and o.during && $2 and ($3::bigint is null or o.booking_id is distinct from $3)
		order by case r.kind when 'interpreter' then 0 when 'interviewer' then 1 when 'party' then 2 else 3 end, o.resource_id`,
		rs.ids, during, oldID)
	type taken struct {
		rid  int64
		hold *int64
		till *time.Time
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (taken, error) {
		var t taken
		err := r.Scan(&t.rid, &t.hold, &t.till)
		return t, err
	})
	if err != nil {
		return err
	}
	var takenList []taken
	var expired []int64
	for _, t := range all {
		if t.hold != nil && t.till != nil && !t.till.After(c.Now) {
			expired = append(expired, *t.hold)
			continue
		}
		takenList = append(takenList, t)
	}
	if len(expired) > 0 {
		if _, err := tx.Exec(ctx, `delete from holds where id = any($1) and expires_at <= $2`, expired, c.Now); err != nil {
			return err
		}
	}
	if len(takenList) == 0 {
		return nil
	}
	first := takenList[0]
	var what []string
	seen := map[int64]bool{}
	for _, t := range takenList {
		if !seen[t.rid] {
			seen[t.rid] = true
			what = append(what, rs.names[t.rid])
		}
	}
	msg := rs.names[first.rid] + " is already booked at that time"
	if first.till != nil {
		msg = rs.names[first.rid] + " is held for another interview at that time until " + solver.FormatInstant(*first.till, loc)
	}
	if len(what) > 1 {
		msg += " (taken then: " + strings.Join(what, ", ") + ")"
	}
	return &TakenError{Resource: rs.names[first.rid], HeldTill: first.till, Message: msg}
}

// placed is a checked placement, ready to be written as a hold, a booking
// or a moved booking.
type placed struct {
	c      Change
	loc    *time.Location
	iv     *lockedInterview
	p      Placement
	end    time.Time
	during pgtype.Range[pgtype.Timestamptz]
	rs     *resourceSet
	a      solver.Assignment
	due    *time.Time // when the interpreter asked must answer (none: no interpreter)
}

// hold writes a hold and its occupancy, and its audit entry.
func (w placed) hold(ctx context.Context, tx pgx.Tx) (*ChangeResult, error) {
	var hid int64
	c, p := w.c, w.p
	err := tx.QueryRow(ctx, `with h as (
			insert into holds (interview_id, actor, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, expires_at, created_at)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id),
		o as (insert into occupancy (resource_id, during, hold_id, created_at)
			select unnest($11::bigint[]), $12::tstzrange, h.id, $10 from h)
		select id from h`,
		w.iv.id, c.Actor, p.Start, w.end, p.Room, p.Interviewer, nullString(p.Interpreter), p.Mode, c.ExpiresAt, c.Now,
		w.rs.ids, w.during).Scan(&hid)
	if err != nil {
		return nil, occupancyError(err, w.rs.names)
	}
	a := w.a
	res := &ChangeResult{Hold: &resources.Hold{ID: hid, Interview: w.iv.id, Start: a.Start, End: a.End, Room: a.Room, Interviewer: a.Interviewer,
		Interpreter: a.Interpreter, Mode: a.Mode, ExpiresAt: solver.FormatInstant(c.ExpiresAt, w.loc)}}
	if err := audit(ctx, tx, c, w.iv.id, nil, nil, res.Hold); err != nil {
		return nil, err
	}
	return res, nil
}

// book writes the booking, its occupancy (the exclusion constraint is the
// last guard) and the interview's status in one statement, then the audit,
// outbox and idempotency rows.
func (w placed) book(ctx context.Context, tx pgx.Tx) (*ChangeResult, error) {
	c, p := w.c, w.p
	bs, err := loadBookings(ctx, tx, w.loc, `with b as (
			insert into bookings (interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, created_at, updated_at,
				interpreter_status, interpreter_due)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, case when $6::text is not null then 'requested' end,
				$12::timestamptz)
			returning id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, status, sequence, version),
		o as (insert into occupancy (resource_id, during, booking_id, created_at)
			select unnest($10::bigint[]), $11::tstzrange, b.id, $9 from b),
		u as (update interviews set status = 'booked', version = version + 1, updated_at = $9 where id = $1)
		select * from b`,
		w.iv.id, p.Start, w.end, p.Room, p.Interviewer, nullString(p.Interpreter), p.Mode, c.Pinned, c.Now, w.rs.ids, w.during, w.due)
	if err != nil {
		return nil, occupancyError(err, w.rs.names)
	}
	if err := recordOrigin(ctx, tx, c, bs[0].ID); err != nil {
		return nil, err
	}
	return finish(ctx, tx, w.loc, c, w.iv.id, &bs[0], nil, w.rs.roomLoc)
}

// reschedule moves the booking: the old occupancy goes first (its own
// statement), so that the new one may overlap it.
func (w placed) reschedule(ctx context.Context, tx pgx.Tx) (*ChangeResult, error) {
	c, p, old := w.c, w.p, w.iv.old
	if _, err := tx.Exec(ctx, `delete from occupancy where booking_id = $1`, old.ID); err != nil {
		return nil, err
	}
	bs, err := loadBookings(ctx, tx, w.loc, `with b as (
			update bookings set start_at = $2, end_at = $3, room_id = $4, interviewer_id = $5, interpreter_id = $6,
				mode = $7, pinned = $8, sequence = sequence + 1, version = version + 1, updated_at = $9,
				-- A new interpreter, or the same one at another time or place, is asked anew.
				interpreter_status = case when $6::text is null then null when `+askAnew+` then 'requested' else interpreter_status end,
				interpreter_due = case when $6::text is null then null when `+askAnew+` then $12::timestamptz else interpreter_due end,
				interpreter_answered_at = case when `+askAnew+` then null else interpreter_answered_at end
			where id = $1
			returning id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, status, sequence, version),
		o as (insert into occupancy (resource_id, during, booking_id, created_at)
			select unnest($10::bigint[]), $11::tstzrange, b.id, $9 from b)
		select * from b`,
		old.ID, p.Start, w.end, p.Room, p.Interviewer, nullString(p.Interpreter), p.Mode, c.Pinned, c.Now, w.rs.ids, w.during, w.due)
	if err != nil {
		return nil, occupancyError(err, w.rs.names)
	}
	if err := recordOrigin(ctx, tx, c, old.ID); err != nil {
		return nil, err
	}
	return finish(ctx, tx, w.loc, c, w.iv.id, &bs[0], old, w.rs.roomLoc)
}

// askAnew: a reschedule asks its interpreter anew (in the update's terms:
// the old row on the right-hand side).
const askAnew = `(interpreter_id is distinct from $6 or start_at <> $2 or room_id <> $4 or mode <> $7)`

// finish writes the audit and outbox rows of a booking change and the
// idempotency key's answer, in one round trip.
func finish(ctx context.Context, tx pgx.Tx, loc *time.Location, c Change, ivID string, b *resources.Booking, before any, location string) (*ChangeResult, error) {
	event := map[string]string{resources.ActionBooked: resources.EventCreated, resources.ActionRescheduled: resources.EventRescheduled, resources.ActionCancelled: resources.EventCancelled}[c.Action]
	if location == "" {
		if err := tx.QueryRow(ctx, `select location_id from rooms where id = $1`, b.Room).Scan(&location); err != nil {
			return nil, err
		}
	}
	beforeJSON, afterJSON, err := auditJSON(before, b)
	if err != nil {
		return nil, err
	}
	// Opaque references only: no case reference, no names.
	payload := map[string]any{"event": event, "booking": b.ID, "interview": b.Interview, "status": b.Status,
		"start": b.Start, "end": b.End, "location": location, "mode": b.Mode, "sequence": b.Sequence}
	batch := &pgx.Batch{}
	batch.Queue(auditSQL, c.Now, c.Actor, ivID, b.ID, c.Action, c.Reason, beforeJSON, afterJSON)
	batch.Queue(`insert into outbox (event, booking_id, payload, created_at, next_attempt_at) values ($1, $2, $3, $4, $4)`,
		event, b.ID, payload, c.Now)
	old, _ := before.(*resources.Booking)
	queueMails(batch, b, c.Now, bookingMails(c.Action, old, b))
	if c.Action == resources.ActionRescheduled && old != nil && (old.Start != b.Start || old.Room != b.Room) {
		// A move answers the parties' requests for another time.
		batch.Queue(`update party_answers set change_handled = true where booking_id = $1 and change_asked_at is not null`, b.ID)
	}
	if c.Idem != nil {
		status := 200
		if c.Action == resources.ActionBooked {
			status = 201
		}
		batch.Queue(`update idempotency_keys set status = $2, response = $3 where key = $1`, c.Idem.Key, status, afterJSON)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, err
	}
	return &ChangeResult{Booking: b}, nil
}

func cancel(ctx context.Context, tx pgx.Tx, loc *time.Location, c Change, old *resources.Booking) (*ChangeResult, error) {
	bs, err := loadBookings(ctx, tx, loc, `with b as (
			update bookings set status = 'cancelled', cancel_reason = $2, sequence = sequence + 1,
				version = version + 1, updated_at = $3 where id = $1
			returning id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, status, sequence, version),
		o as (update occupancy set active = false where booking_id = $1),
		u as (update interviews set status = 'pending', version = version + 1, updated_at = $3
			where id = $4 and status = 'booked')
		select * from b`, old.ID, c.Reason, c.Now, old.Interview)
	if err != nil {
		return nil, err
	}
	return finish(ctx, tx, loc, c, old.Interview, &bs[0], old, "")
}

// occupancyError names the resource of an exclusion violation on occupancy:
// the database's last guard answered where the checks did not.
func occupancyError(err error, names map[int64]string) error {
	t := Translate(err)
	if errs.CodeOf(t) != errs.Conflict {
		return t
	}
	if m := conflictKey.FindStringSubmatch(err.Error()); m != nil {
		if id, perr := strconv.ParseInt(m[1], 10, 64); perr == nil && names[id] != "" {
			return &TakenError{Resource: names[id], Message: names[id] + " is already booked at that time"}
		}
	}
	return &TakenError{Message: errs.MessageOf(t)}
}

// claimKey inserts an idempotency key for this transaction. When the key is
// known already (committed by an earlier request: a concurrent one is waited
// for by the unique index), the same request gets the stored answer and
// another one is refused.
func claimKey(ctx context.Context, tx pgx.Tx, k *Idem, actor string, now time.Time) (*ChangeResult, error) {
	if _, err := tx.Exec(ctx, `delete from idempotency_keys where key = $1 and expires_at <= $2`, k.Key, now); err != nil {
		return nil, err
	}
	tag, err := tx.Exec(ctx, `insert into idempotency_keys (key, actor, request_hash, created_at, expires_at)
		values ($1, $2, $3, $4, $5) on conflict (key) do nothing`, k.Key, actor, k.Hash, now, now.Add(IdemTTL))
	if err != nil {
		return nil, err
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var hash []byte
	var resp []byte
	if err := tx.QueryRow(ctx, `select request_hash, response from idempotency_keys where key = $1`, k.Key).Scan(&hash, &resp); err != nil {
		return nil, err
	}
	if !bytes.Equal(hash, k.Hash) {
		return nil, errs.E(errs.Unprocessable, "the Idempotency-Key was used for another request: use a new key for a new request")
	}
	if resp == nil {
		return nil, errs.E(errs.Conflict, "a request with this Idempotency-Key is still being processed: retry later")
	}
	var b resources.Booking
	if err := json.Unmarshal(resp, &b); err != nil {
		return nil, err
	}
	return &ChangeResult{Booking: &b, Replayed: true}, nil
}

// checkInput builds what the checker needs to judge assignment a of
// interview ivID: the instance frame (settings, offices, travel times), the
// bookings and live holds of the same local day that share one of the
// resources rids (less the booking being moved), their interviews, and the
// resources involved with their availability less absences.
func checkInput(ctx context.Context, tx pgx.Tx, loc *time.Location, ivID string, a solver.Assignment, start time.Time,
	rids []int64, exceptBooking *int64, now time.Time) (*CheckInput, error) {
	in, _, err := instanceFrame(ctx, tx)
	if err != nil {
		return nil, err
	}
	day := solver.DateOf(start, loc)
	others, err := dayNeighbours(ctx, tx, loc, ivID, day.Midnight(loc), (day + 1).Midnight(loc), rids, exceptBooking, now)
	if err != nil {
		return nil, err
	}
	ci := &CheckInput{Instance: in, New: a}
	partyIDs, err := addCheckInterviews(ctx, tx, ci, ivID, others)
	if err != nil {
		return nil, err
	}
	ids := checkResourceIDs(a, others)
	ids.parties = partyIDs
	roomLoc, err := addCheckResources(ctx, tx, loc, in, ids)
	if err != nil {
		return nil, err
	}
	for i := range ci.Others {
		ci.Others[i].Location = roomLoc[ci.Others[i].Room]
	}
	return ci, nil
}

// neighbour is a booking (hold 0) or live hold near the new assignment.
type neighbour struct {
	hold int64
	a    solver.Assignment
}

// dayNeighbours lists the bookings and live holds in [from, to) of other
// interviews that occupy one of the resources rids.
func dayNeighbours(ctx context.Context, tx pgx.Tx, loc *time.Location, ivID string, from, to time.Time, rids []int64,
	exceptBooking *int64, now time.Time) ([]neighbour, error) {
	rows, _ := tx.Query(ctx, `
		select 0::bigint, b.interview_id, b.start_at, b.end_at, b.room_id, b.interviewer_id, b.interpreter_id, b.mode
		from bookings b
		where b.status = 'active' and b.interview_id <> $1 and b.start_at < $3 and b.end_at > $2
			and b.id is distinct from $6
			and exists (select 1 from occupancy o where o.booking_id = b.id and o.active and o.resource_id = any($4))
		union all
		select h.id, h.interview_id, h.start_at, h.end_at, h.room_id, h.interviewer_id, h.interpreter_id, h.mode
		from holds h
		where h.expires_at > $5 and h.interview_id <> $1 and h.start_at < $3 and h.end_at > $2
			and exists (select 1 from occupancy o where o.hold_id = h.id and o.resource_id = any($4))
		order by 3, 2`, ivID, from, to, rids, now, exceptBooking)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (neighbour, error) {
		var o neighbour
		var s, e time.Time
		var tr *string
		err := r.Scan(&o.hold, &o.a.Interview, &s, &e, &o.a.Room, &o.a.Interviewer, &tr, &o.a.Mode)
		o.a.Start, o.a.End, o.a.Interpreter = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc), str(tr)
		return o, err
	})
}

// addCheckInterviews adds the new assignment's interview and those of its
// neighbours (a hold as an interview of its own) to ci, with the neighbours'
// assignments, and returns the interview's parties.
func addCheckInterviews(ctx context.Context, tx pgx.Tx, ci *CheckInput, ivID string, others []neighbour) ([]string, error) {
	ids := map[string]bool{ivID: true}
	for _, o := range others {
		ids[o.a.Interview] = true
	}
	ivs, err := loadInterviews(ctx, tx, interviewSelect+` where id = any($1)`, keys(ids))
	if err != nil {
		return nil, err
	}
	byID := map[string]solver.Interview{}
	var partyIDs []string
	for _, x := range ivs {
		byID[x.ID] = x.Interview
		if x.ID == ivID {
			partyIDs = x.Parties
		}
	}
	in := ci.Instance
	in.Interviews = append(in.Interviews, byID[ivID])
	added := map[string]bool{ivID: true}
	for _, o := range others {
		if o.hold != 0 {
			iv := byID[o.a.Interview]
			iv.ID = HoldInterviewPrefix + strconv.FormatInt(o.hold, 10)
			o.a.Interview = iv.ID
			in.Interviews = append(in.Interviews, iv)
		} else if !added[o.a.Interview] {
			added[o.a.Interview] = true
			in.Interviews = append(in.Interviews, byID[o.a.Interview])
		}
		ci.Others = append(ci.Others, o.a)
	}
	return partyIDs, nil
}

// resourceIDs names resources by kind.
type resourceIDs struct{ rooms, interviewers, interpreters, parties []string }

// checkResourceIDs lists the rooms and people of a and its neighbours.
func checkResourceIDs(a solver.Assignment, others []neighbour) resourceIDs {
	set := func() map[string]bool { return map[string]bool{} }
	rooms, ers, trs := set(), set(), set()
	add := func(x solver.Assignment) {
		rooms[x.Room], ers[x.Interviewer] = true, true
		if x.Interpreter != "" {
			trs[x.Interpreter] = true
		}
	}
	add(a)
	for _, o := range others {
		add(o.a)
	}
	return resourceIDs{rooms: keys(rooms), interviewers: keys(ers), interpreters: keys(trs)}
}

// addCheckResources adds the resources ids names to in, each with its
// availability less absences (one query per kind; an inactive one is never
// available), and returns the rooms' locations.
func addCheckResources(ctx context.Context, tx pgx.Tx, loc *time.Location, in *solver.Instance, ids resourceIDs) (map[string]string, error) {
	avail := func(limited bool, active bool, spans []pgtype.Range[pgtype.Timestamptz]) []solver.Interval {
		if !active {
			return []solver.Interval{}
		}
		if !limited {
			return nil
		}
		out := make([]solver.Interval, 0, len(spans))
		for _, r := range spans {
			out = append(out, solver.Interval{Start: solver.FormatInstant(r.Lower.Time, loc), End: solver.FormatInstant(r.Upper.Time, loc)})
		}
		return out
	}
	var err error
	rows, _ := tx.Query(ctx, `select id, location_id, features, active, `+availSQL+` from rooms t where id = any($1) order by id`, ids.rooms)
	roomLoc := map[string]string{}
	in.Rooms, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Room, error) {
		var x solver.Room
		var active, limited bool
		var spans []pgtype.Range[pgtype.Timestamptz]
		err := r.Scan(&x.ID, &x.Location, &x.Features, &active, &limited, &spans)
		x.Availability = avail(limited, active, spans)
		roomLoc[x.ID] = x.Location
		return x, err
	})
	if err != nil {
		return nil, err
	}
	rows, _ = tx.Query(ctx, `select id, location_id, gender, skills, languages, max_interviews_per_day, active, `+availSQL+`
		from interviewers t where id = any($1) order by id`, ids.interviewers)
	in.Interviewers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Interviewer, error) {
		var x solver.Interviewer
		var gender *string
		var active, limited bool
		var spans []pgtype.Range[pgtype.Timestamptz]
		err := r.Scan(&x.ID, &x.Location, &gender, &x.Skills, &x.Languages, &x.MaxInterviewsPerDay, &active, &limited, &spans)
		x.Gender = str(gender)
		x.Availability = avail(limited, active, spans)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	if len(ids.interpreters) > 0 {
		rows, _ = tx.Query(ctx, `select id, gender, languages, skills, modes, max_minutes_per_day, has_rates, rate_onsite, rate_remote, active,
			array(select location_id from interpreter_locations l where l.interpreter_id = t.id order by ord), `+availSQL+`
			from interpreters t where id = any($1) order by id`, ids.interpreters)
		in.Interpreters, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Interpreter, error) {
			var x solver.Interpreter
			var gender *string
			var hasRates, active, limited bool
			var onsite, remote *int
			var spans []pgtype.Range[pgtype.Timestamptz]
			err := r.Scan(&x.ID, &gender, &x.Languages, &x.Skills, &x.Modes, &x.MaxMinutesPerDay, &hasRates, &onsite, &remote,
				&active, &x.Locations, &limited, &spans)
			x.Gender = str(gender)
			if hasRates {
				x.CostPerHour = &solver.Rates{Onsite: onsite, Remote: remote}
			}
			x.Availability = avail(limited, active, spans)
			return x, err
		})
		if err != nil {
			return nil, err
		}
	}
	if len(ids.parties) > 0 {
		rows, _ = tx.Query(ctx, `select id, kind, active, `+availSQL+` from parties t where id = any($1) order by id`, ids.parties)
		in.Parties, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Party, error) {
			var x solver.Party
			var active, limited bool
			var spans []pgtype.Range[pgtype.Timestamptz]
			err := r.Scan(&x.ID, &x.Kind, &active, &limited, &spans)
			x.Availability = avail(limited, active, spans)
			return x, err
		})
		if err != nil {
			return nil, err
		}
	}
	return roomLoc, nil
}

// availSQL selects, for the row t of a resource table, whether its
// availability is limited and its intervals less absences (merged).
const availSQL = `(select limited from resource where id = t.resource_id),
	array(select x from unnest(
		coalesce((select range_agg(during) from availability a where a.resource_id = t.resource_id), '{}'::tstzmultirange)
		- coalesce((select range_agg(during) from absences b where b.resource_id = t.resource_id), '{}'::tstzmultirange)) x
		order by lower(x))`

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
