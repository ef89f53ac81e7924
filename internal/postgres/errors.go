package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

var keyDetail = regexp.MustCompile(`^Key \(([^)]*)\)=\((.*)\)`)

// Translate turns pgx and PostgreSQL errors into *errs.Error: no rows is
// not_found; exclusion and unique violations are conflicts; a foreign key
// violation is a conflict when a delete would orphan rows and invalid when a
// write names a row that does not exist. Other errors are internal. *errs.Error
// and nil pass through.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.Wrap(err, errs.NotFound, "not found")
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return errs.Wrap(err, errs.Unavailable, "the request timed out or was cancelled: try again")
	}
	if unreachable(err) {
		return errs.Wrap(err, errs.Unavailable, "the database is not available just now: try again")
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		// pgx refuses to encode a number that does not fit its column
		if m := err.Error(); strings.Contains(m, "greater than maximum value for") || strings.Contains(m, "less than minimum value for") {
			return errs.Wrap(err, errs.Invalid, "a number is out of range")
		}
		return errs.Wrap(err, errs.Internal, "")
	}
	switch pg.Code {
	case "23P01": // exclusion_violation
		return errs.Wrap(err, errs.Conflict, "the time is taken: a resource is already occupied then ("+pg.ConstraintName+")")
	case "23505": // unique_violation
		col, val := keyOf(pg.Detail)
		msg := "already exists"
		if col != "" {
			msg = fmt.Sprintf("%s %q already exists", fieldOf(col), val)
		}
		return &errs.Error{Code: errs.Conflict, Message: msg, Err: err,
			Fields: fieldsFor(col, msg)}
	case "23503": // foreign_key_violation
		col, val := keyOf(pg.Detail)
		if strings.Contains(pg.Detail, "is still referenced") || strings.HasPrefix(pg.Message, "update or delete") {
			return errs.Wrap(err, errs.Conflict, fmt.Sprintf("still in use by %s: remove those first, or deactivate instead", tableLabel(pg.TableName)))
		}
		msg := fmt.Sprintf("unknown %s %q", fieldOf(col), val)
		return &errs.Error{Code: errs.Invalid, Message: msg, Err: err, Fields: fieldsFor(col, msg)}
	case "23514", "23502", "22P02", "22007", "22008", "22023": // check, not null, bad text, bad datetime, bad value
		return errs.Wrap(err, errs.Invalid, "invalid value: "+pg.Message)
	case "22021", "22P05", "22003", "54000": // NUL or bad encoding, number out of range, too long
		return errs.Wrap(err, errs.Invalid, "invalid value: text must be UTF-8 without NUL characters, numbers within range")
	case "57014", "55P03", "08000", "08003", "08006", "57P01", "57P02", "57P03", "53300":
		// statement or lock timeout, connection lost, shutting down, too many connections
		return errs.Wrap(err, errs.Unavailable, "the database is not available just now: try again")
	}
	return errs.Wrap(err, errs.Internal, "")
}

func keyOf(detail string) (col, val string) {
	m := keyDetail.FindStringSubmatch(detail)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

// fieldOf names a column as the API names the field.
func fieldOf(col string) string {
	switch col {
	case "case_ref":
		return "case"
	case "preferred_interviewer":
		return col
	}
	if i := strings.LastIndex(col, ", "); i >= 0 { // composite key: name the last part
		col = col[i+2:]
	}
	return strings.TrimSuffix(col, "_id")
}

func fieldsFor(col, msg string) []errs.FieldError {
	if col == "" {
		return nil
	}
	return []errs.FieldError{{Path: fieldOf(col), Message: msg}}
}

func tableLabel(t string) string {
	if t == "" {
		return "other records"
	}
	return strings.ReplaceAll(t, "_", " ")
}
