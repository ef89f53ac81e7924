package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

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
