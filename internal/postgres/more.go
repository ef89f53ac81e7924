package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// ---- settings

// PutSettings replaces the instance-wide settings, guarded by version when
// given. The whole stored state must stay a valid instance under the new
// settings (a new grain must divide every duration, and so on): the solver
// judges it, inside the transaction.
func (db *DB) PutSettings(ctx context.Context, s resources.Settings, version *int64) (resources.Settings, error) {
	if err := s.Validate(); err != nil {
		return s, err
	}
	var out resources.Settings
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		w, err := json.Marshal(s.Weights)
		if err != nil {
			return err
		}
		if s.Weights == nil {
			w = []byte("{}")
		}
		hs, _ := parseDate(s.Horizon.Start)
		he, _ := parseDate(s.Horizon.End)
		tag, err := tx.Exec(ctx, `update settings set timezone = $1, grain_minutes = $2, horizon_start = $3, horizon_end = $4,
			start_times = $5, weights = $6, version = version + 1, updated_at = now()
			where $7::bigint is null or version = $7`, s.Timezone, s.GrainMinutes, hs, he, s.StartTimes, w, version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.PreconditionFailed, "the settings have changed: fetch them again and retry")
		}
		in, err := export(ctx, tx, "", "")
		if err != nil {
			return err
		}
		if err := solver.Validate(in); err != nil {
			e := resources.InstanceError(err)
			return &errs.Error{Code: errs.Conflict, Message: "the stored data would not be valid under these settings",
				Fields: errs.FieldsOf(e)}
		}
		out, _, err = getSettings(ctx, tx)
		return err
	})
	return out, err
}

// ---- travel times

// TravelTimes lists the travel times between locations.
func (db *DB) TravelTimes(ctx context.Context) ([]solver.Travel, error) {
	rows, _ := db.pool.Query(ctx, `select from_location, to_location, minutes from travel_times order by 1, 2`)
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (solver.Travel, error) {
		var t solver.Travel
		err := r.Scan(&t.From, &t.To, &t.Minutes)
		return t, err
	})
	if ts == nil {
		ts = []solver.Travel{}
	}
	return ts, Translate(err)
}

// PutTravelTime sets the (symmetric) travel time between two locations.
func (db *DB) PutTravelTime(ctx context.Context, t solver.Travel) (solver.Travel, error) {
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		s, refs, err := db.validationContext(ctx, tx)
		if err != nil {
			return err
		}
		if err := resources.ValidateTravel(s, refs, &t); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from travel_times where (from_location, to_location) in (($1, $2), ($2, $1))`, t.From, t.To); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into travel_times (from_location, to_location, minutes) values ($1, $2, $3)`, t.From, t.To, t.Minutes)
		return err
	})
	return t, err
}

// DeleteTravelTime removes the travel time between two locations (either
// direction).
func (db *DB) DeleteTravelTime(ctx context.Context, from, to string) error {
	tag, err := db.pool.Exec(ctx, `delete from travel_times where (from_location, to_location) in (($1, $2), ($2, $1))`, from, to)
	if err != nil {
		return Translate(err)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "no travel time between %q and %q", from, to)
	}
	return nil
}

// ---- absences

// absenceOwners are the tables whose people may be absent.
var absenceOwners = map[string]string{"interviewers": "interviewer", "interpreters": "interpreter"}

func ownerResource(ctx context.Context, q querier, table, id string) (int64, error) {
	what, ok := absenceOwners[table]
	if !ok {
		return 0, errs.E(errs.NotFound, "no absences for %s", table)
	}
	var rid int64
	err := q.QueryRow(ctx, `select resource_id from `+table+` where id = $1`, id).Scan(&rid)
	if err == pgx.ErrNoRows {
		return 0, errs.E(errs.NotFound, "%s %q not found", what, id)
	}
	return rid, err
}

// Absences lists the absences of an interviewer or interpreter (table is
// "interviewers" or "interpreters"), by start.
func (db *DB) Absences(ctx context.Context, table, id string) ([]resources.Absence, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rid, err := ownerResource(ctx, db.pool, table, id)
	if err != nil {
		return nil, Translate(err)
	}
	rows, _ := db.pool.Query(ctx, `select id, lower(during), upper(during) from absences where resource_id = $1 order by lower(during), id`, rid)
	as, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Absence, error) {
		var a resources.Absence
		var s, e time.Time
		err := r.Scan(&a.ID, &s, &e)
		a.Start, a.End = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc)
		return a, err
	})
	if as == nil {
		as = []resources.Absence{}
	}
	return as, Translate(err)
}

// AddAbsence records an absence of an interviewer or interpreter. Bookings
// it breaks are not changed here (the booking workflow re-plans them).
func (db *DB) AddAbsence(ctx context.Context, table, id string, a resources.Absence) (*resources.Absence, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	s, _ := solver.ParseInstant(a.Start)
	e, _ := solver.ParseInstant(a.End)
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, table, id)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `insert into absences (resource_id, during) values ($1, $2) returning id`, rid, span(s, e)).Scan(&a.ID)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAbsence removes an absence of the interviewer or interpreter.
func (db *DB) DeleteAbsence(ctx context.Context, table, id string, absence int64) error {
	return WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, table, id)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `delete from absences where id = $1 and resource_id = $2`, absence, rid)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errs.E(errs.NotFound, "absence %d not found", absence)
		}
		return nil
	})
}
