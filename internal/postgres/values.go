package postgres

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

func parseDate(s string) (pgtype.Date, error) {
	if s == "" {
		return pgtype.Date{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return pgtype.Date{}, errs.E(errs.Invalid, "%q is not a date of the form YYYY-MM-DD", s)
	}
	return pgtype.Date{Time: t, Valid: true}, nil
}

func dateString(d pgtype.Date) string {
	if !d.Valid {
		return ""
	}
	return d.Time.Format("2006-01-02")
}

func tstzrange(iv solver.Interval) (pgtype.Range[pgtype.Timestamptz], error) {
	s, err := solver.ParseInstant(iv.Start)
	if err != nil {
		return pgtype.Range[pgtype.Timestamptz]{}, errs.Field("start", err.Error())
	}
	e, err := solver.ParseInstant(iv.End)
	if err != nil {
		return pgtype.Range[pgtype.Timestamptz]{}, errs.Field("end", err.Error())
	}
	return span(s, e), nil
}

func span(s, e time.Time) pgtype.Range[pgtype.Timestamptz] {
	return pgtype.Range[pgtype.Timestamptz]{
		Lower: pgtype.Timestamptz{Time: s, Valid: true}, Upper: pgtype.Timestamptz{Time: e, Valid: true},
		LowerType: pgtype.Inclusive, UpperType: pgtype.Exclusive, Valid: true,
	}
}

// nz turns a nil list into an empty one, for NOT NULL array columns.
func nz(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func fmtTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}
