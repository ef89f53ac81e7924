package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Settings returns the instance-wide settings.
func (db *DB) Settings(ctx context.Context) (resources.Settings, error) {
	s, _, err := getSettings(ctx, db.pool)
	return s, Translate(err)
}

func getSettings(ctx context.Context, q querier) (resources.Settings, *time.Location, error) {
	var (
		s       resources.Settings
		hs, he  pgtype.Date
		w, c, r []byte
	)
	err := q.QueryRow(ctx, `select timezone, grain_minutes, horizon_start, horizon_end, start_times, weights, confirmation, retention,
		version from settings`).
		Scan(&s.Timezone, &s.GrainMinutes, &hs, &he, &s.StartTimes, &w, &c, &r, &s.Version)
	if err != nil {
		return s, nil, err
	}
	ret := resources.DefaultRetention
	if len(r) > 2 {
		if err := json.Unmarshal(r, &ret); err != nil {
			return s, nil, err
		}
	}
	if ret.AccessLogMonths == nil {
		n := ret.AccessLogPeriod()
		ret.AccessLogMonths = &n
	}
	s.Retention = &ret
	if len(c) > 2 {
		conf := resources.DefaultConfirmation
		if err := json.Unmarshal(c, &conf); err != nil {
			return s, nil, err
		}
		s.Confirmation = &conf
	}
	if hs.Valid && he.Valid {
		s.Horizon = &solver.DateRange{Start: dateString(hs), End: dateString(he)}
	}
	if len(w) > 0 {
		if err := json.Unmarshal(w, &s.Weights); err != nil {
			return s, nil, err
		}
		if len(s.Weights) == 0 {
			s.Weights = nil
		}
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return s, loc, nil
}

func putSettings(ctx context.Context, q querier, in *solver.Instance) error {
	w, err := json.Marshal(in.Weights)
	if err != nil {
		return err
	}
	if in.Weights == nil {
		w = []byte("{}")
	}
	hs, _ := parseDate(in.Horizon.Start)
	he, _ := parseDate(in.Horizon.End)
	_, err = q.Exec(ctx, `update settings set timezone = $1, grain_minutes = $2, horizon_start = $3, horizon_end = $4,
		start_times = $5, weights = $6, version = version + 1, updated_at = now()`,
		in.Timezone, in.GrainMinutes, hs, he, in.StartTimes, w)
	return err
}

// refs returns the identifiers of every entity that others refer to.
func getRefs(ctx context.Context, q querier) (resources.Refs, error) {
	var r resources.Refs
	err := q.QueryRow(ctx, `select
		array(select id from locations order by id),
		array(select id from rooms order by id),
		array(select id from interviewers order by id),
		array(select id from interpreters order by id),
		array(select id from parties order by id)`).
		Scan(&r.Locations, &r.Rooms, &r.Interviewers, &r.Interpreters, &r.Parties)
	return r, err
}

func (db *DB) validationContext(ctx context.Context, q querier) (resources.Settings, resources.Refs, error) {
	s, _, err := getSettings(ctx, q)
	if err != nil {
		return s, resources.Refs{}, err
	}
	r, err := getRefs(ctx, q)
	return s, r, err
}

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
		conf, ret := []byte("{}"), []byte("{}")
		if s.Confirmation != nil {
			if conf, err = json.Marshal(s.Confirmation); err != nil {
				return err
			}
		}
		if s.Retention != nil {
			if ret, err = json.Marshal(s.Retention); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `update settings set timezone = $1, grain_minutes = $2, horizon_start = $3, horizon_end = $4,
			start_times = $5, weights = $6, confirmation = $8, retention = $9, version = version + 1, updated_at = now()
			where $7::bigint is null or version = $7`, s.Timezone, s.GrainMinutes, hs, he, s.StartTimes, w, version, conf, ret)
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
