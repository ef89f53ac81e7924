package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// PlanningState is the state suggestions are computed on: the exported
// instance (every booking unpinned, so that a pinned booking an absence broke
// does not make it invalid; all stay where they are anyway) with the live
// holds as bookings of stand-in interviews ("hold~ID", copies of the held
// interview), at a state version.
type PlanningState struct {
	Version       int64
	StaticVersion int64
	Instance      *solver.Instance
	// NextExpiry is the first instant at which one of the holds included
	// expires (zero when none): the state is stale from then on.
	NextExpiry time.Time
	// StaticReused says that only bookings and holds were read: the rest
	// was the base state's.
	StaticReused bool
	// static is the export without bookings and holds, at StaticVersion:
	// what a later state may reuse when only bookings, holds or statuses
	// changed since.
	static *solver.Instance
}

// StateProbe is what a suggestion asks before using a cached state: the
// state version, whether the interview has live holds of its own (which the
// shared state includes), and its status ("" when it does not exist).
func (db *DB) StateProbe(ctx context.Context, interview string, now time.Time) (version int64, ownHolds bool, status string, err error) {
	var st *string
	err = db.pool.QueryRow(ctx, `select (select version from state_version),
		exists (select 1 from holds where interview_id = $1 and expires_at > $2),
		(select status from interviews where id = $1)`, interview, now).Scan(&version, &ownHolds, &st)
	return version, ownHolds, str(st), Translate(err)
}

// PlanningState reads the state in one snapshot. The holds of interview
// except (if any) are left out: an interview's own holds never block it.
// When base (an earlier state, or nil) has the current static version, only
// the bookings and holds are read again.
func (db *DB) PlanningState(ctx context.Context, except string, now time.Time, base *PlanningState) (*PlanningState, error) {
	out := &PlanningState{}
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `select version, static_version from state_version`).Scan(&out.Version, &out.StaticVersion); err != nil {
			return err
		}
		_, loc, err := getSettings(ctx, tx)
		if err != nil {
			return err
		}
		var bookings []solver.Booking
		if base != nil && base.static != nil && base.StaticVersion == out.StaticVersion {
			out.static, out.StaticReused = base.static, true
			ids := make([]string, len(out.static.Interviews))
			for i, x := range out.static.Interviews {
				ids[i] = x.ID
			}
			bs, err := loadBookings(ctx, tx, loc, bookingSelect+` where status = 'active' and interview_id = any($1) order by interview_id`, ids)
			if err != nil {
				return err
			}
			for _, b := range bs {
				bookings = append(bookings, b.Booking)
			}
		} else {
			in, err := export(ctx, tx, "", "")
			if err != nil {
				return err
			}
			bookings = in.Bookings
			in.Bookings = nil
			out.static = in
		}
		in := *out.static
		in.Interviews = in.Interviews[:len(in.Interviews):len(in.Interviews)] // appends copy
		in.Bookings = make([]solver.Booking, 0, len(bookings))
		for _, b := range bookings {
			b.Pinned = false
			in.Bookings = append(in.Bookings, b)
		}
		out.Instance = &in
		rows, _ := tx.Query(ctx, `select id, interview_id, start_at, room_id, interviewer_id, interpreter_id, mode, expires_at
			from holds where expires_at > $1 and interview_id <> $2 order by id`, now, except)
		type hold struct {
			id                 int64
			iv, room, er, mode string
			tr                 *string
			start, expires     time.Time
		}
		hs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hold, error) {
			var h hold
			err := r.Scan(&h.id, &h.iv, &h.start, &h.room, &h.er, &h.tr, &h.mode, &h.expires)
			return h, err
		})
		if err != nil || len(hs) == 0 {
			return err
		}
		ids := make([]string, len(hs))
		for i, h := range hs {
			ids[i] = h.iv
		}
		ivs, err := loadInterviews(ctx, tx, interviewSelect+` where id = any($1)`, ids)
		if err != nil {
			return err
		}
		byID := map[string]solver.Interview{}
		for _, x := range ivs {
			byID[x.ID] = x.Interview
		}
		for _, h := range hs {
			iv, ok := byID[h.iv]
			if !ok {
				continue
			}
			iv.ID = HoldInterviewPrefix + strconv.FormatInt(h.id, 10)
			in.Interviews = append(in.Interviews, iv)
			in.Bookings = append(in.Bookings, solver.Booking{Interview: iv.ID, Start: solver.FormatInstant(h.start, loc),
				Room: h.room, Interviewer: h.er, Interpreter: str(h.tr), Mode: h.mode})
			if out.NextExpiry.IsZero() || h.expires.Before(out.NextExpiry) {
				out.NextExpiry = h.expires
			}
		}
		return nil
	}, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AuditEntry is one row of the audit trail.
type AuditEntry struct {
	ID        int64           `json:"id"`
	At        string          `json:"at"`
	Actor     string          `json:"actor"`
	Interview string          `json:"interview,omitempty"`
	Booking   *int64          `json:"booking,omitempty"`
	Action    string          `json:"action"`
	Reason    string          `json:"reason"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
}

// Audit lists the audit trail of an interview (bookingID 0) or of a
// booking, oldest first.
func (db *DB) Audit(ctx context.Context, interview string, bookingID int64) ([]AuditEntry, error) {
	var exists bool
	var err error
	if bookingID != 0 {
		err = db.pool.QueryRow(ctx, `select exists (select 1 from bookings where id = $1)`, bookingID).Scan(&exists)
	} else {
		err = db.pool.QueryRow(ctx, `select exists (select 1 from interviews where id = $1)`, interview).Scan(&exists)
	}
	if err != nil {
		return nil, Translate(err)
	}
	if !exists {
		if bookingID != 0 {
			return nil, errs.E(errs.NotFound, "booking %d not found", bookingID)
		}
		return nil, errs.E(errs.NotFound, "interview %q not found", interview)
	}
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	q := `select id, at, actor, interview_id, booking_id, action, reason, before, after from audit_log `
	var rows pgx.Rows
	if bookingID != 0 {
		rows, _ = db.pool.Query(ctx, q+`where booking_id = $1 order by id`, bookingID)
	} else {
		rows, _ = db.pool.Query(ctx, q+`where interview_id = $1 order by id`, interview)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		var at time.Time
		var iv *string
		var before, after []byte
		err := r.Scan(&e.ID, &at, &e.Actor, &iv, &e.Booking, &e.Action, &e.Reason, &before, &after)
		e.At, e.Interview = solver.FormatInstant(at, loc), str(iv)
		if before != nil {
			e.Before = before
		}
		if after != nil {
			e.After = after
		}
		return e, err
	})
	if err != nil {
		return nil, Translate(err)
	}
	if out == nil {
		out = []AuditEntry{}
	}
	return out, nil
}

// ClearExpired deletes expired holds (with their occupancy) and expired
// idempotency keys, and returns how many of each. Expired holds block
// nothing already (every change deletes those in its way first); this keeps
// the tables small.
func (db *DB) ClearExpired(ctx context.Context, now time.Time) (holds, keys int64, err error) {
	err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		var n int64
		if err := tx.QueryRow(ctx, `select count(*) from holds where expires_at <= $1`, now).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			tag, err := tx.Exec(ctx, `delete from holds where expires_at <= $1`, now)
			if err != nil {
				return err
			}
			holds = tag.RowsAffected()
		}
		tag, err := tx.Exec(ctx, `delete from idempotency_keys where expires_at <= $1`, now)
		if err != nil {
			return err
		}
		keys = tag.RowsAffected()
		return nil
	})
	return holds, keys, err
}

// Holds lists the live holds of an interview.
func (db *DB) Holds(ctx context.Context, interview string, now time.Time) ([]Hold, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rows, _ := db.pool.Query(ctx, `select id, interview_id, start_at, end_at, room_id, interviewer_id, interpreter_id, mode, expires_at
		from holds where interview_id = $1 and expires_at > $2 order by id`, interview, now)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Hold, error) {
		var h Hold
		var s, e, x time.Time
		var tr *string
		err := r.Scan(&h.ID, &h.Interview, &s, &e, &h.Room, &h.Interviewer, &tr, &h.Mode, &x)
		h.Start, h.End, h.ExpiresAt, h.Interpreter = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc), solver.FormatInstant(x, loc), str(tr)
		return h, err
	})
	return out, Translate(err)
}

// BookingOf returns the active booking of an interview (not_found when none).
func (db *DB) BookingOf(ctx context.Context, interview string) (*resources.Booking, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `select id from bookings where interview_id = $1 and status = 'active'`, interview).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "interview %q has no active booking", interview)
	}
	if err != nil {
		return nil, Translate(err)
	}
	return db.Booking(ctx, id)
}
