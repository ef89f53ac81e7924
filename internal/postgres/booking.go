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

func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

func apply(ctx context.Context, tx pgx.Tx, c Change) (*ChangeResult, error) {
	if c.Now.IsZero() {
		return nil, errs.E(errs.Internal, "no clock")
	}
	_, loc, err := getSettings(ctx, tx)
	if err != nil {
		return nil, err
	}
	if c.Idem != nil {
		replay, err := claimKey(ctx, tx, c.Idem, c.Actor, c.Now)
		if err != nil || replay != nil {
			return replay, err
		}
	}
	ivID := c.Interview
	var old *resources.Booking
	if c.BookingID != 0 {
		err := tx.QueryRow(ctx, `select interview_id from bookings where id = $1`, c.BookingID).Scan(&ivID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "booking %d not found", c.BookingID)
		}
		if err != nil {
			return nil, err
		}
	}
	var status string
	var duration int
	err = tx.QueryRow(ctx, `select status, duration_minutes from interviews where id = $1 for no key update`, ivID).Scan(&status, &duration)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "interview %q not found", ivID)
	}
	if err != nil {
		return nil, err
	}
	if c.BookingID != 0 {
		bs, err := loadBookings(ctx, tx, loc, bookingSelect+` where id = $1`, c.BookingID)
		if err != nil {
			return nil, err
		}
		old = &bs[0]
		if old.Status != "active" {
			return nil, errs.E(errs.Conflict, "booking %d is %s: it cannot be changed", old.ID, old.Status)
		}
	}
	switch c.Action {
	case resources.ActionBooked, resources.ActionHeld:
		if status != string(resources.StatusPending) {
			if status == string(resources.StatusBooked) {
				var bid int64
				tx.QueryRow(ctx, `select id from bookings where interview_id = $1 and status = 'active'`, ivID).Scan(&bid)
				return nil, errs.E(errs.Conflict, "interview %s is booked already (booking %d): reschedule or cancel that booking", ivID, bid)
			}
			return nil, errs.E(errs.Conflict, "interview %s is %s: only pending interviews can be booked or held", ivID, status)
		}
	case resources.ActionCancelled:
		return cancel(ctx, tx, loc, c, old)
	case resources.ActionRescheduled:
	default:
		return nil, errs.E(errs.Internal, "unknown action %q", c.Action)
	}
	if c.Place == nil {
		return nil, errs.E(errs.Invalid, "no placement given")
	}
	p := *c.Place
	end := p.Start.Add(time.Duration(duration) * time.Minute)
	during := span(p.Start, end)

	// The resources involved, by id, with the names used in answers.
	names := map[int64]string{}
	var roomRIDp, erRIDp, trRID *int64
	var roomLocp *string
	var parties []int64
	var partyIDs []string
	err = tx.QueryRow(ctx, `select
		(select resource_id from rooms where id = $1), (select location_id from rooms where id = $1),
		(select resource_id from interviewers where id = $2),
		(select resource_id from interpreters where id = $3),
		array(select p.resource_id from interview_parties ip join parties p on p.id = ip.party_id where ip.interview_id = $4 order by ip.ord),
		array(select ip.party_id from interview_parties ip where ip.interview_id = $4 order by ip.ord)`,
		p.Room, p.Interviewer, nullString(p.Interpreter), ivID).Scan(&roomRIDp, &roomLocp, &erRIDp, &trRID, &parties, &partyIDs)
	if err != nil {
		return nil, err
	}
	var roomRID, erRID int64
	if roomRIDp != nil {
		roomRID = *roomRIDp
	}
	if erRIDp != nil {
		erRID = *erRIDp
	}
	roomLoc := str(roomLocp)
	var bad []errs.FieldError
	if roomRID == 0 {
		bad = append(bad, errs.FieldError{Path: "room", Message: fmt.Sprintf("unknown room %q", p.Room)})
	}
	if erRID == 0 {
		bad = append(bad, errs.FieldError{Path: "interviewer", Message: fmt.Sprintf("unknown interviewer %q", p.Interviewer)})
	}
	if p.Interpreter != "" && trRID == nil {
		bad = append(bad, errs.FieldError{Path: "interpreter", Message: fmt.Sprintf("unknown interpreter %q", p.Interpreter)})
	}
	if len(bad) > 0 {
		return nil, errs.WithFields("the assignment names unknown resources", bad)
	}
	rids := []int64{roomRID, erRID}
	names[roomRID], names[erRID] = "room "+p.Room, "interviewer "+p.Interviewer
	if trRID != nil {
		rids = append(rids, *trRID)
		names[*trRID] = "interpreter " + p.Interpreter
	}
	for i, r := range parties {
		rids = append(rids, r)
		names[r] = "party " + partyIDs[i]
	}
	// Lock them, with the resources of the interview's own holds (which this
	// change may delete), in one order: no deadlocks between changes.
	lockSet := append([]int64{}, rids...)
	rows, _ := tx.Query(ctx, `select distinct o.resource_id from occupancy o join holds h on h.id = o.hold_id where h.interview_id = $1`, ivID)
	held, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	lockSet = append(lockSet, held...)
	sort.Slice(lockSet, func(i, j int) bool { return lockSet[i] < lockSet[j] })
	if _, err := tx.Exec(ctx, `select id from resource where id = any($1) order by id for no key update`, lockSet); err != nil {
		return nil, err
	}

	// Holds of this interview end when it is booked or moved; a new hold
	// replaces the caller's earlier ones.
	if len(held) > 0 {
		q := `delete from holds where interview_id = $1`
		args := []any{ivID}
		if c.Action == resources.ActionHeld {
			q += ` and actor = $2`
			args = append(args, c.Actor)
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return nil, err
		}
	}
	var oldID *int64
	if old != nil {
		oldID = &old.ID
	}
	// What occupies the resources then. Expired holds stop blocking at
	// once: those in the way are deleted here.
	rows, _ = tx.Query(ctx, `select o.resource_id, o.hold_id, h.expires_at from occupancy o join resource r on r.id = o.resource_id
		left join holds h on h.id = o.hold_id
		where o.active and o.resource_id = any($1) and o.during && $2 and ($3::bigint is null or o.booking_id is distinct from $3)
		order by case r.kind when 'interpreter' then 0 when 'interviewer' then 1 when 'party' then 2 else 3 end, o.resource_id`,
		rids, during, oldID)
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
		return nil, err
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
			return nil, err
		}
	}
	if len(takenList) > 0 {
		first := takenList[0]
		var what []string
		seen := map[int64]bool{}
		for _, t := range takenList {
			if !seen[t.rid] {
				seen[t.rid] = true
				what = append(what, names[t.rid])
			}
		}
		msg := names[first.rid] + " is already booked at that time"
		if first.till != nil {
			msg = names[first.rid] + " is held for another interview at that time until " + solver.FormatInstant(*first.till, loc)
		}
		if len(what) > 1 {
			msg += " (taken then: " + strings.Join(what, ", ") + ")"
		}
		return nil, &TakenError{Resource: names[first.rid], HeldTill: first.till, Message: msg}
	}

	a := solver.Assignment{Interview: ivID, Start: solver.FormatInstant(p.Start, loc), End: solver.FormatInstant(end, loc),
		Location: roomLoc, Room: p.Room, Interviewer: p.Interviewer, Interpreter: p.Interpreter, Mode: p.Mode}
	if c.Check != nil {
		ci, err := checkInput(ctx, tx, loc, ivID, a, p.Start, rids, oldID, c.Now)
		if err != nil {
			return nil, err
		}
		if err := c.Check(ci); err != nil {
			return nil, err
		}
	}

	res := &ChangeResult{}
	switch c.Action {
	case resources.ActionHeld:
		var hid int64
		err := tx.QueryRow(ctx, `with h as (
				insert into holds (interview_id, actor, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, expires_at, created_at)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id),
			o as (insert into occupancy (resource_id, during, hold_id, created_at)
				select unnest($11::bigint[]), $12::tstzrange, h.id, $10 from h)
			select id from h`,
			ivID, c.Actor, p.Start, end, p.Room, p.Interviewer, nullString(p.Interpreter), p.Mode, c.ExpiresAt, c.Now,
			rids, during).Scan(&hid)
		if err != nil {
			return nil, occupancyError(err, names)
		}
		res.Hold = &resources.Hold{ID: hid, Interview: ivID, Start: a.Start, End: a.End, Room: a.Room, Interviewer: a.Interviewer,
			Interpreter: a.Interpreter, Mode: a.Mode, ExpiresAt: solver.FormatInstant(c.ExpiresAt, loc)}
		if err := audit(ctx, tx, c, ivID, nil, nil, res.Hold); err != nil {
			return nil, err
		}
		return res, nil
	case resources.ActionBooked:
		// One statement: the booking, its occupancy (the exclusion
		// constraint is the last guard) and the interview's status.
		bs, err := loadBookings(ctx, tx, loc, `with b as (
				insert into bookings (interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, created_at, updated_at)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
				returning id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, status, sequence, version),
			o as (insert into occupancy (resource_id, during, booking_id, created_at)
				select unnest($10::bigint[]), $11::tstzrange, b.id, $9 from b),
			u as (update interviews set status = 'booked', version = version + 1, updated_at = $9 where id = $1)
			select * from b`,
			ivID, p.Start, end, p.Room, p.Interviewer, nullString(p.Interpreter), p.Mode, c.Pinned, c.Now, rids, during)
		if err != nil {
			return nil, occupancyError(err, names)
		}
		return finish(ctx, tx, loc, c, ivID, &bs[0], nil, roomLoc)
	case resources.ActionRescheduled:
		// The old occupancy goes first (its own statement), so that the
		// new one may overlap it.
		if _, err := tx.Exec(ctx, `delete from occupancy where booking_id = $1`, old.ID); err != nil {
			return nil, err
		}
		bs, err := loadBookings(ctx, tx, loc, `with b as (
				update bookings set start_at = $2, end_at = $3, room_id = $4, interviewer_id = $5, interpreter_id = $6,
					mode = $7, pinned = $8, sequence = sequence + 1, version = version + 1, updated_at = $9 where id = $1
				returning id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, status, sequence, version),
			o as (insert into occupancy (resource_id, during, booking_id, created_at)
				select unnest($10::bigint[]), $11::tstzrange, b.id, $9 from b)
			select * from b`,
			old.ID, p.Start, end, p.Room, p.Interviewer, nullString(p.Interpreter), p.Mode, c.Pinned, c.Now, rids, during)
		if err != nil {
			return nil, occupancyError(err, names)
		}
		return finish(ctx, tx, loc, c, ivID, &bs[0], old, roomLoc)
	}
	return nil, errs.E(errs.Internal, "unknown action %q", c.Action)
}

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

// checkInput loads what a placement of interview ivID must be checked
// against (see CheckInput).
func checkInput(ctx context.Context, tx pgx.Tx, loc *time.Location, ivID string, a solver.Assignment, start time.Time,
	rids []int64, exceptBooking *int64, now time.Time) (*CheckInput, error) {
	s, _, err := getSettings(ctx, tx)
	if err != nil {
		return nil, err
	}
	in := &solver.Instance{Format: solver.InstanceFormat, Timezone: s.Timezone, GrainMinutes: s.GrainMinutes,
		StartTimes: s.StartTimes, Weights: s.Weights}
	if s.Horizon != nil {
		in.Horizon = *s.Horizon
	}
	day := solver.DateOf(start, loc)
	from, to := day.Midnight(loc), (day + 1).Midnight(loc)

	locs, err := scanLocations(must(tx.Query(ctx, locationSelect+` order by id`)))
	if err != nil {
		return nil, err
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
		return nil, err
	}

	// Bookings and live holds of the day that share a resource.
	rows, _ = tx.Query(ctx, `
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
	type other struct {
		hold int64
		a    solver.Assignment
	}
	others, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (other, error) {
		var o other
		var s, e time.Time
		var tr *string
		err := r.Scan(&o.hold, &o.a.Interview, &s, &e, &o.a.Room, &o.a.Interviewer, &tr, &o.a.Mode)
		o.a.Start, o.a.End, o.a.Interpreter = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc), str(tr)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	set := func() map[string]bool { return map[string]bool{} }
	roomIDs, erIDs, trIDs, ivIDs := set(), set(), set(), set()
	roomIDs[a.Room], erIDs[a.Interviewer], ivIDs[ivID] = true, true, true
	if a.Interpreter != "" {
		trIDs[a.Interpreter] = true
	}
	for _, o := range others {
		roomIDs[o.a.Room], erIDs[o.a.Interviewer], ivIDs[o.a.Interview] = true, true, true
		if o.a.Interpreter != "" {
			trIDs[o.a.Interpreter] = true
		}
	}
	ivs, err := loadInterviews(ctx, tx, interviewSelect+` where id = any($1)`, keys(ivIDs))
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
	in.Interviews = append(in.Interviews, byID[ivID])
	added := map[string]bool{ivID: true}
	ci := &CheckInput{Instance: in, New: a}
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
	// The resources, each with its availability less absences, in one
	// query per kind.
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
	rows, _ = tx.Query(ctx, `select id, location_id, features, active, `+availSQL+` from rooms t where id = any($1) order by id`, keys(roomIDs))
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
	for i := range ci.Others {
		ci.Others[i].Location = roomLoc[ci.Others[i].Room]
	}
	rows, _ = tx.Query(ctx, `select id, location_id, gender, skills, languages, max_interviews_per_day, active, `+availSQL+`
		from interviewers t where id = any($1) order by id`, keys(erIDs))
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
	if len(trIDs) > 0 {
		rows, _ = tx.Query(ctx, `select id, gender, languages, skills, modes, max_minutes_per_day, has_rates, rate_onsite, rate_remote, active,
			array(select location_id from interpreter_locations l where l.interpreter_id = t.id order by ord), `+availSQL+`
			from interpreters t where id = any($1) order by id`, keys(trIDs))
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
	if len(partyIDs) > 0 {
		rows, _ = tx.Query(ctx, `select id, kind, active, `+availSQL+` from parties t where id = any($1) order by id`, partyIDs)
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
	return ci, nil
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
