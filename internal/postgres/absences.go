package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// ownerResources are the queries that find the resource of a person who
// may be absent.
var ownerResources = map[resources.AbsenceOwner]string{
	resources.AbsenceOfInterviewer: `select resource_id from interviewers where id = $1`,
	resources.AbsenceOfInterpreter: `select resource_id from interpreters where id = $1`,
	resources.AbsenceOfParty:       `select resource_id from parties where id = $1`,
}

// ownerResource is the resource id of the person owner id.
func ownerResource(ctx context.Context, q querier, owner resources.AbsenceOwner, id string) (int64, error) {
	query, ok := ownerResources[owner]
	if !ok {
		return 0, errs.E(errs.NotFound, "no absences for %s", owner)
	}
	var rid int64
	err := q.QueryRow(ctx, query, id).Scan(&rid)
	if err == pgx.ErrNoRows {
		return 0, errs.E(errs.NotFound, "%s %q not found", owner, id)
	}
	return rid, err
}

// Absences lists the absences of an interviewer, interpreter or party, by
// start.
func (db *DB) Absences(ctx context.Context, owner resources.AbsenceOwner, id string) ([]resources.Absence, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rid, err := ownerResource(ctx, db.pool, owner, id)
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

// AddAbsence records an absence of an interviewer, interpreter or party.
// Bookings it breaks are not changed here (scheduler.RecordAbsence flags
// them).
func (db *DB) AddAbsence(ctx context.Context, owner resources.AbsenceOwner, id string, a resources.Absence) (*resources.Absence, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	s, _ := solver.ParseInstant(a.Start)
	e, _ := solver.ParseInstant(a.End)
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, owner, id)
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

// DeleteAbsence removes an absence of the interviewer, interpreter or
// party id: only one of theirs.
func (db *DB) DeleteAbsence(ctx context.Context, owner resources.AbsenceOwner, id string, absence int64) error {
	return WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, owner, id)
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
