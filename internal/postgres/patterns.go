package postgres

// patterns.go keeps an interpreter's weekly availability pattern and puts
// the intervals it gives in place of their availability from a date on.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/resources"
)

// AvailabilityPattern returns the pattern an interpreter last entered, or
// nil.
func (db *DB) AvailabilityPattern(ctx context.Context, interpreter string) (*resources.WeeklyPattern, error) {
	var p resources.WeeklyPattern
	err := db.pool.QueryRow(ctx, `select pattern from availability_patterns where interpreter_id = $1`, interpreter).Scan(&p)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, Translate(err)
	}
	return &p, nil
}

// ReplaceAvailabilityFrom puts spans in place of an interpreter's
// availability from from on (earlier intervals stay, one crossing from is
// cut there) and keeps the pattern that gave them, in one transaction. The
// solver sees the change at once (the state version grows).
func (db *DB) ReplaceAvailabilityFrom(ctx context.Context, interpreter string, from time.Time, spans [][2]time.Time,
	p resources.WeeklyPattern, now time.Time) error {
	return Translate(WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		rid, err := ownerResource(ctx, tx, resources.AbsenceOfInterpreter, interpreter)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from availability where resource_id = $1 and lower(during) >= $2`, rid, from); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update availability set during = tstzrange(lower(during), $2, '[)')
			where resource_id = $1 and during @> $2::timestamptz and lower(during) < $2`, rid, from); err != nil {
			return err
		}
		rs := make([]pgtype.Range[pgtype.Timestamptz], len(spans))
		for i, s := range spans {
			rs[i] = pgtype.Range[pgtype.Timestamptz]{Lower: pgtype.Timestamptz{Time: s[0], Valid: true},
				Upper: pgtype.Timestamptz{Time: s[1], Valid: true}, LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true}
		}
		if _, err := tx.Exec(ctx, `update resource set limited = true where id = $1`, rid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into availability (resource_id, ord, during)
			select $1, coalesce((select max(ord) from availability where resource_id = $1), -1) + o, d
			from unnest($2::tstzrange[]) with ordinality as t(d, o)`, rid, rs); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into availability_patterns (interpreter_id, pattern, updated_at) values ($1, $2, $3)
			on conflict (interpreter_id) do update set pattern = $2, updated_at = $3`, interpreter, p, now)
		return err
	}))
}

// AvailabilityFrom returns an interpreter's availability intervals that end
// after from, in order (one crossing from is cut there): what a new
// pattern from that day would replace. An interpreter without an
// availability list (always available) has none.
func (db *DB) AvailabilityFrom(ctx context.Context, interpreter string, from time.Time) ([][2]time.Time, error) {
	rows, _ := db.pool.Query(ctx, `select greatest(lower(av.during), $2), upper(av.during)
		from interpreters t join resource r on r.id = t.resource_id join availability av on av.resource_id = r.id
		where t.id = $1 and r.limited and upper(av.during) > $2
		order by lower(av.during)`, interpreter, from)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]time.Time, error) {
		var s [2]time.Time
		return s, r.Scan(&s[0], &s[1])
	})
	return out, Translate(err)
}
