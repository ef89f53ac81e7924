package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// StartScenario records a running what-if scenario (a plan of kind
// scenario, with its variants) and takes its plan lock, as StartPlan does.
func (db *DB) StartScenario(ctx context.Context, p resources.NewPlan, sc *capacity.Scenario) (*resources.ScenarioRun, func(), error) {
	p.Kind = resources.PlanScenario
	plan, release, err := db.StartPlan(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.pool.Exec(ctx, `update plans set scenario = $2 where id = $1`, plan.ID, sc); err != nil {
		release()
		return nil, nil, Translate(err)
	}
	run, err := db.Scenario(ctx, plan.ID)
	if err != nil {
		release()
		return nil, nil, err
	}
	return run, release, nil
}

// FinishScenario stores the comparison of a running scenario; false when it
// is not running any more (cancelled or failed meanwhile).
func (db *DB) FinishScenario(ctx context.Context, id int64, c *capacity.Comparison) (bool, error) {
	tag, err := db.pool.Exec(ctx, `update plans set status = 'done', comparison = $2, finished_at = $3
		where id = $1 and kind = 'scenario' and status = 'running'`, id, c, db.now())
	if err != nil {
		return false, Translate(err)
	}
	return tag.RowsAffected() == 1, nil
}

const scenarioSelect = `select id, status, created_by, from_date, to_date, time_limit_ms, created_at, finished_at,
	progress, scenario, comparison, error from plans where kind = 'scenario'`

// Scenario returns a what-if scenario run with its comparison.
func (db *DB) Scenario(ctx context.Context, id int64) (*resources.ScenarioRun, error) {
	rows, _ := db.pool.Query(ctx, scenarioSelect+` and id = $1`, id)
	list, err := pgx.CollectRows(rows, scanScenario)
	if err != nil {
		return nil, Translate(err)
	}
	if len(list) == 0 {
		return nil, errs.E(errs.NotFound, "scenario %d not found", id)
	}
	return &list[0], nil
}

// Scenarios lists what-if scenario runs, newest first, without their
// comparisons. Filter: status.
func (db *DB) Scenarios(ctx context.Context, p resources.ListParams) (resources.Page[resources.ScenarioRun], error) {
	var zero resources.Page[resources.ScenarioRun]
	l, err := newList(p, "status")
	if err != nil {
		return zero, err
	}
	l.equal(p, "status")
	if err := l.idAfter(false); err != nil {
		return zero, err
	}
	sql := `select id, status, created_by, from_date, to_date, time_limit_ms, created_at, finished_at,
	progress, scenario, null::jsonb, error from plans where kind = 'scenario'`
	for _, c := range l.conds {
		sql += " and " + c
	}
	sql += " order by id desc limit " + strconv.Itoa(l.limit+1)
	rows, _ := db.pool.Query(ctx, sql, l.args...)
	items, err := pgx.CollectRows(rows, scanScenario)
	if err != nil {
		return zero, Translate(err)
	}
	return page(l, items, func(x resources.ScenarioRun) string { return strconv.FormatInt(x.ID, 10) }), nil
}

func scanScenario(r pgx.CollectableRow) (resources.ScenarioRun, error) {
	var (
		s                 resources.ScenarioRun
		from, to, created time.Time
		finished          *time.Time
		limitMS           int64
		prog, sc, cmp     []byte
		errText           *string
	)
	if err := r.Scan(&s.ID, &s.Status, &s.CreatedBy, &from, &to, &limitMS, &created, &finished, &prog, &sc, &cmp, &errText); err != nil {
		return s, err
	}
	s.From, s.To = from.Format("2006-01-02"), to.Format("2006-01-02")
	s.TimeLimit = (time.Duration(limitMS) * time.Millisecond).String()
	s.CreatedAt = created.UTC().Format(time.RFC3339)
	s.FinishedAt = fmtTime(finished)
	s.Error = str(errText)
	if len(prog) > 0 && s.Status == resources.PlanRunning {
		s.Progress = &resources.PlanProgress{}
		if err := json.Unmarshal(prog, s.Progress); err != nil {
			return s, err
		}
	}
	if len(sc) > 0 {
		s.Scenario = &capacity.Scenario{}
		if err := json.Unmarshal(sc, s.Scenario); err != nil {
			return s, err
		}
	}
	if len(cmp) > 0 {
		s.Comparison = &capacity.Comparison{}
		if err := json.Unmarshal(cmp, s.Comparison); err != nil {
			return s, err
		}
	}
	return s, nil
}
