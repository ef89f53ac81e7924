package postgres

// assignments.go is the interpreter's side of a booking: their assignments,
// confirming or declining a request, and requests that expire unanswered.
// Every query is bounded by the interpreter's own id: another person's
// booking is not found.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Assignments lists an interpreter's assignments that end after since, and
// the ones they were released from, by start (at most 500).
func (db *DB) Assignments(ctx context.Context, interpreter string, since time.Time) ([]resources.Assignment, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rows, _ := db.pool.Query(ctx, `select b.id, b.start_at, b.end_at, i.duration_minutes, l.name, coalesce(nullif(r.name, ''), r.id),
			case when b.interpreter_id is distinct from $1 then coalesce(b.released_mode, 'none') else b.mode end, i.language,
			case when b.status <> 'active' then b.status
				when b.interpreter_id is distinct from $1 then
					case when b.release_reason = 'expired' then 'expired' else 'declined' end
				else coalesce(b.interpreter_status, 'confirmed') end,
			case when b.interpreter_id = $1 and b.interpreter_status = 'requested' then b.interpreter_due end,
			case when b.interpreter_id is distinct from $1 then coalesce(b.release_reason, '') else '' end, b.sequence
		from bookings b join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id
			join locations l on l.id = r.location_id
		where (b.interpreter_id = $1 or b.released_interpreter = $1) and b.end_at > $2
		order by b.start_at, b.id limit 500`, interpreter, since)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Assignment, error) {
		var a resources.Assignment
		var s, e time.Time
		var due *time.Time
		err := r.Scan(&a.Booking, &s, &e, &a.DurationMinutes, &a.Office, &a.Room, &a.Mode, &a.Language, &a.Status, &due,
			&a.Reason, &a.Sequence)
		a.Start, a.End = s.In(loc).Format(time.RFC3339), e.In(loc).Format(time.RFC3339)
		if due != nil {
			d := due.In(loc).Format(time.RFC3339)
			a.AnswerDue = &d
		}
		a.Remote = a.Mode == "remote"
		if a.Remote {
			a.Room = ""
		}
		return a, err
	})
	return out, Translate(err)
}

// Assignment returns one assignment of an interpreter; another
// interpreter's booking is not found.
func (db *DB) Assignment(ctx context.Context, interpreter string, booking int64) (*resources.Assignment, error) {
	as, err := db.Assignments(ctx, interpreter, time.Time{})
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].Booking == booking {
			return &as[i], nil
		}
	}
	return nil, errs.E(errs.NotFound, "assignment %d not found", booking)
}

// ConfirmAssignment records that the interpreter takes a requested
// assignment, and queues the mail that tells them so (the invitation,
// confirmed and accepted).
func (db *DB) ConfirmAssignment(ctx context.Context, interpreter string, booking int64, now time.Time) error {
	return Translate(WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		var iv, status string
		err := tx.QueryRow(ctx, `select interview_id, coalesce(interpreter_status, 'confirmed') from bookings
			where id = $1 and interpreter_id = $2 and status = 'active' for update`, booking, interpreter).Scan(&iv, &status)
		if errors.Is(err, pgx.ErrNoRows) {
			return errs.E(errs.NotFound, "assignment %d not found", booking)
		}
		if err != nil {
			return err
		}
		if status == resources.InterpreterConfirmed {
			return nil // confirming twice is confirming
		}
		if _, err := tx.Exec(ctx, `update bookings set interpreter_status = 'confirmed', interpreter_answered_at = $2,
				version = version + 1, updated_at = $2 where id = $1`, booking, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, auditSQL, now, "interpreter "+interpreter, iv, booking, resources.ActionInterpreterConfirmed, "", nil, nil)
		if err != nil {
			return err
		}
		return queueConfirmedMail(ctx, tx, interpreter, booking, now)
	}))
}

// Release is an interpreter freed from a booking: declined (with a reason),
// stepped aside, or expired unanswered.
type Release struct {
	Booking     int64
	Interpreter string
	Reason      string // a resources.Decline* reason, or "expired"
	// Note is the interpreter's own words (another reason); it goes to the
	// audit trail with the reason, never to a log or a mail.
	Note  string
	Actor string
	Now   time.Time
}

// Released is what a release did: the booking as it is now, and the other
// bookings of the case the interpreter was taken off (a conflict of
// interest reaches every interview of the case).
type Released struct {
	Booking *resources.Booking
	Others  []int64
}

// ReleaseInterpreter frees the interpreter of a booking at once: their
// occupancy goes, the booking keeps its time, room and interviewer without
// an interpreter (mode none, unpinned) and waits for a replacement; the
// interpreter is excluded from the interview, and for a conflict of
// interest from every open interview of the case (and released from those
// booked with them). The audit trail records the reason; the interpreter
// gets a cancellation of the event. Another interpreter's booking is not
// found.
func (db *DB) ReleaseInterpreter(ctx context.Context, rel Release) (*Released, error) {
	var out *Released
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		_, loc, err := getSettings(ctx, tx)
		if err != nil {
			return err
		}
		b, err := releaseOne(ctx, tx, loc, rel)
		if err != nil {
			return err
		}
		out = &Released{Booking: b}
		if err := exclude(ctx, tx, b.Interview, rel); err != nil {
			return err
		}
		if rel.Reason != resources.DeclineConflictOfInterest {
			return nil
		}
		rows, _ := tx.Query(ctx, `select b.id from bookings b join interviews i on i.id = b.interview_id
			where b.status = 'active' and b.interpreter_id = $1 and b.id <> $2
				and i.case_ref = (select case_ref from interviews where id = $3) order by b.id`, rel.Interpreter, rel.Booking, b.Interview)
		others, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, id := range others {
			r := rel
			r.Booking = id
			if _, err := releaseOne(ctx, tx, loc, r); err != nil {
				return err
			}
		}
		out.Others = others
		return nil
	})
	return out, Translate(err)
}

// releaseOne frees the interpreter of one booking (see ReleaseInterpreter).
func releaseOne(ctx context.Context, tx pgx.Tx, loc *time.Location, rel Release) (*resources.Booking, error) {
	olds, err := loadBookings(ctx, tx, loc, bookingSelect+` where id = $1 and interpreter_id = $2 and status = 'active' for update`,
		rel.Booking, rel.Interpreter)
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		return nil, errs.E(errs.NotFound, "assignment %d not found", rel.Booking)
	}
	old := &olds[0]
	status := resources.InterpreterDeclined
	if rel.Reason == resources.InterpreterExpired {
		status = resources.InterpreterExpired
	}
	bs, err := loadBookings(ctx, tx, loc, `with b as (
			update bookings set interpreter_id = null, mode = 'none', pinned = false, interpreter_status = $3,
				interpreter_answered_at = $4, interpreter_due = null, released_interpreter = $2, release_reason = $5,
				released_mode = mode,
				sequence = sequence + 1, version = version + 1, updated_at = $4
			where id = $1 returning id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, pinned, status, sequence, version),
		o as (delete from occupancy where booking_id = $1 and resource_id = (select resource_id from interpreters where id = $2))
		select * from b`, rel.Booking, rel.Interpreter, status, rel.Now, rel.Reason)
	if err != nil {
		return nil, err
	}
	b := &bs[0]
	beforeJSON, afterJSON, err := auditJSON(old, b)
	if err != nil {
		return nil, err
	}
	batch := &pgx.Batch{}
	why := rel.Reason
	if rel.Note != "" {
		why += ": " + rel.Note
	}
	batch.Queue(auditSQL, rel.Now, rel.Actor, b.Interview, b.ID, resources.ActionInterpreterReleased, why, beforeJSON, afterJSON)
	batch.Queue(`insert into outbox (event, booking_id, payload, created_at, next_attempt_at) values ($1, $2, $3, $4, $4)`,
		resources.EventInterpreterReleased, b.ID, map[string]any{"event": resources.EventInterpreterReleased, "booking": b.ID,
			"interview": b.Interview, "reason": status, "sequence": b.Sequence}, rel.Now)
	s, _ := time.Parse(time.RFC3339, old.Start)
	e, _ := time.Parse(time.RFC3339, old.End)
	queueMails(batch, b, rel.Now, []mailTo{{kind: "interpreter", interpreter: rel.Interpreter, mailKind: MailReleased,
		method: MethodCancel, start: s, end: e, room: old.Room, mode: old.Mode}})
	return b, tx.SendBatch(ctx, batch).Close()
}

// exclude keeps the released interpreter off the interview, and for a
// conflict of interest off every pending or booked interview of its case.
func exclude(ctx context.Context, tx pgx.Tx, interview string, rel Release) error {
	_, err := tx.Exec(ctx, `insert into interview_excluded_interpreters (interview_id, interpreter_id, ord)
		select i.id, $2, coalesce((select max(ord) from interview_excluded_interpreters x where x.interview_id = i.id), 0) + 1
		from interviews i
		where i.id = $1 or ($3 and i.status in ('pending', 'booked') and i.case_ref = (select case_ref from interviews where id = $1))
		on conflict do nothing`, interview, rel.Interpreter, rel.Reason == resources.DeclineConflictOfInterest)
	return err
}

// DueRequests lists the bookings whose interpreter has not answered by the
// due time, with the interpreter, for the expiry job.
func (db *DB) DueRequests(ctx context.Context, now time.Time, limit int) ([]Release, error) {
	rows, _ := db.pool.Query(ctx, `select id, interpreter_id from bookings
		where interpreter_status = 'requested' and status = 'active' and interpreter_due <= $1
		order by interpreter_due, id limit $2`, now, limit)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Release, error) {
		rel := Release{Reason: resources.InterpreterExpired, Actor: "system", Now: now}
		return rel, r.Scan(&rel.Booking, &rel.Interpreter)
	})
	return out, Translate(err)
}
