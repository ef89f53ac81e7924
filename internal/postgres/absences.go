package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// absenceOwners are the tables whose people may be absent.
var absenceOwners = map[string]string{"interviewers": "interviewer", "interpreters": "interpreter", "parties": "party"}

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
