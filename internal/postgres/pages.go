package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// The reads of the staff pages (web/): each returns one page's records.

// ActiveOffices lists the active locations by name.
func (db *DB) ActiveOffices(ctx context.Context) ([]resources.Office, error) {
	rows, _ := db.pool.Query(ctx, `select id, name from locations where active order by name`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Office, error) {
		var o resources.Office
		return o, r.Scan(&o.ID, &o.Name)
	})
	return out, Translate(err)
}

// PendingLanguages lists the languages of pending interviews (unordered).
func (db *DB) PendingLanguages(ctx context.Context) ([]string, error) {
	rows, _ := db.pool.Query(ctx, `select distinct language from interviews where status = 'pending'`)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, Translate(err)
}

// Queue returns up to limit pending interviews that pass f, the most urgent
// first (deadline or latest date, then priority, earliest date, id), and
// how many pass f in all.
func (db *DB) Queue(ctx context.Context, f resources.QueueFilter, limit, offset int) ([]resources.QueueEntry, int, error) {
	where := []string{"i.status = 'pending'"}
	args := []any{db.now()}
	arg := func(x any) string {
		args = append(args, x)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Language != "" {
		p := arg(f.Language)
		where = append(where, "(lower(i.language) = lower("+p+") or lower(i.language) like lower("+p+") || '-%')")
	}
	if f.Office != "" {
		where = append(where, "exists (select 1 from interview_locations l where l.interview_id = i.id and l.location_id = "+arg(f.Office)+")")
	}
	if f.Deadline != "" {
		where = append(where, "i.deadline <= "+arg(f.Deadline)+"::date")
	}
	if f.MinPriority > 0 {
		where = append(where, "coalesce(i.priority, 1) >= "+arg(f.MinPriority))
	}
	sql := `select i.id, i.language, i.duration_minutes, i.earliest::text, coalesce(i.deadline::text, ''), coalesce(i.latest::text, ''),
			coalesce(i.priority, 1),
			array(select l.location_id from interview_locations l where l.interview_id = i.id order by l.ord),
			exists (select 1 from holds h where h.interview_id = i.id and h.expires_at > $1),
			count(*) over ()
		from interviews i where ` + strings.Join(where, " and ") + `
		order by coalesce(i.deadline, i.latest) nulls last, coalesce(i.priority, 1) desc, i.earliest, i.id
		limit ` + strconv.Itoa(limit) + ` offset ` + strconv.Itoa(max(offset, 0))
	rows, _ := db.pool.Query(ctx, sql, args...)
	var out []resources.QueueEntry
	total := 0
	for rows.Next() {
		var x resources.QueueEntry
		if err := rows.Scan(&x.ID, &x.Language, &x.DurationMinutes, &x.Earliest, &x.Deadline, &x.Latest, &x.Priority, &x.Offices, &x.Held, &total); err != nil {
			rows.Close()
			return nil, 0, Translate(err)
		}
		out = append(out, x)
	}
	return out, total, Translate(rows.Err())
}

// OfficeWeek reads what the planner shows of office over [from, to): see
// resources.OfficeWeek. With language set, only interpreters who speak it
// (or a dialect of it) are listed, and only their bookings beside the
// office's own.
func (db *DB) OfficeWeek(ctx context.Context, office string, from, to time.Time, language string) (*resources.OfficeWeek, error) {
	w := &resources.OfficeWeek{}
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		if w.Rooms, err = strings1(ctx, tx, `select id from rooms where location_id = $1 and active order by id`, office); err != nil {
			return err
		}
		if w.Interviewers, err = strings1(ctx, tx, `select id from interviewers where location_id = $1 and active order by id`, office); err != nil {
			return err
		}
		if w.Interpreters, err = officeInterpreters(ctx, tx, office, from, to, language); err != nil {
			return err
		}
		if w.Bookings, err = weekUses(ctx, tx, bookingUsesSQL, from, to, office, w.Interpreters, w.Interviewers); err != nil {
			return err
		}
		if w.Holds, err = weekUses(ctx, tx, holdUsesSQL, from, to, office, w.Interpreters, w.Interviewers, db.now()); err != nil {
			return err
		}
		if w.Absences, err = spans(ctx, tx, peopleAbsencesSQL, from, to, w.Interpreters, w.Interviewers); err != nil {
			return err
		}
		w.Availability, err = spans(ctx, tx, peopleAvailabilitySQL, from, to, w.Interpreters, w.Interviewers)
		return err
	}, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// officeInterpreters lists the interpreters of an office: those who work on
// site there, and those with a booking there in [from, to); with language
// set, only those who speak it.
func officeInterpreters(ctx context.Context, q querier, office string, from, to time.Time, language string) ([]string, error) {
	ids, err := strings1(ctx, q, `select interpreter_id from interpreter_locations l join interpreters i on i.id = l.interpreter_id
		where l.location_id = $1 and i.active
		union select interpreter_id from bookings b join rooms r on r.id = b.room_id
		where r.location_id = $1 and b.status = 'active' and b.interpreter_id is not null and b.start_at >= $2 and b.start_at < $3
		order by 1`, office, from, to)
	if err != nil || language == "" {
		return ids, err
	}
	rows, _ := q.Query(ctx, `select id, languages from interpreters where id = any($1) order by id`, ids)
	var kept []string
	for rows.Next() {
		var id string
		var langs []string
		if err := rows.Scan(&id, &langs); err != nil {
			rows.Close()
			return nil, err
		}
		if ok, _ := solver.LanguageMatch(langs, language, false); ok {
			kept = append(kept, id)
		}
	}
	return kept, rows.Err()
}

const bookingUsesSQL = `select b.id, b.interview_id, i.language, b.start_at, b.end_at, b.room_id, r.location_id, b.interviewer_id,
		coalesce(b.interpreter_id, '')
	from bookings b join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id
	where b.status = 'active' and b.start_at < $2 and b.end_at > $1
	  and (r.location_id = $3 or b.interpreter_id = any($4) or b.interviewer_id = any($5))`

const holdUsesSQL = `select 0::bigint, h.interview_id, i.language, h.start_at, h.end_at, h.room_id, r.location_id, h.interviewer_id,
		coalesce(h.interpreter_id, '')
	from holds h join interviews i on i.id = h.interview_id join rooms r on r.id = h.room_id
	where h.start_at < $2 and h.end_at > $1
	  and (r.location_id = $3 or h.interpreter_id = any($4) or h.interviewer_id = any($5)) and h.expires_at > $6`

const peopleAbsencesSQL = `select o.id, lower(a.during), upper(a.during) from absences a
	join (select id, resource_id from interpreters union all select id, resource_id from interviewers) o on o.resource_id = a.resource_id
	where (o.id = any($3) or o.id = any($4)) and a.during && tstzrange($1, $2)`

const peopleAvailabilitySQL = `select o.id, lower(a.during), upper(a.during) from availability a
	join (select id, resource_id from interpreters union all select id, resource_id from interviewers) o on o.resource_id = a.resource_id
	where (o.id = any($3) or o.id = any($4)) and a.during && tstzrange($1, $2) order by 2`

// PersonUses lists the active bookings of a room, interviewer or
// interpreter (kind) that overlap [from, to), by start.
func (db *DB) PersonUses(ctx context.Context, kind, id string, from, to time.Time) ([]resources.Use, error) {
	col, ok := map[string]string{"room": "b.room_id", "interviewer": "b.interviewer_id", "interpreter": "b.interpreter_id"}[kind]
	if !ok {
		return nil, nil
	}
	out, err := weekUses(ctx, db.pool, `select b.id, b.interview_id, i.language, b.start_at, b.end_at, b.room_id, r.location_id,
			b.interviewer_id, coalesce(b.interpreter_id, '')
		from bookings b join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id
		where `+col+` = $3 and b.status = 'active' and b.start_at < $2 and b.end_at > $1 order by b.start_at`, from, to, id)
	return out, Translate(err)
}

// RoomLocation returns the location of a room ("" when there is no such room).
func (db *DB) RoomLocation(ctx context.Context, room string) (string, error) {
	var loc string
	err := db.pool.QueryRow(ctx, `select location_id from rooms where id = $1`, room).Scan(&loc)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return loc, Translate(err)
}

// LatestPlan returns the id of the newest finished or accepted batch plan
// (repairs left out), 0 when there is none.
func (db *DB) LatestPlan(ctx context.Context) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `select coalesce(max(id), 0) from plans where status in ('done', 'accepted') and kind <> 'repair'`).Scan(&id)
	return id, Translate(err)
}

// TokenRole returns the role of a live token; live is false when the token
// is revoked or gone.
func (db *DB) TokenRole(ctx context.Context, id int64) (role resources.Role, live bool, err error) {
	var r string
	err = db.pool.QueryRow(ctx, `select role, revoked_at is null from api_tokens where id = $1`, id).Scan(&r, &live)
	if err == pgx.ErrNoRows {
		return "", false, nil
	}
	return resources.Role(r), live, Translate(err)
}

func strings1(ctx context.Context, q querier, sql string, args ...any) ([]string, error) {
	rows, _ := q.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func weekUses(ctx context.Context, q querier, sql string, args ...any) ([]resources.Use, error) {
	rows, _ := q.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Use, error) {
		var u resources.Use
		return u, r.Scan(&u.Booking, &u.Interview, &u.Language, &u.Start, &u.End, &u.Room, &u.Location, &u.Interviewer, &u.Interpreter)
	})
}

func spans(ctx context.Context, q querier, sql string, args ...any) ([]resources.Span, error) {
	rows, _ := q.Query(ctx, sql, args...)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Span, error) {
		var s resources.Span
		return s, r.Scan(&s.Owner, &s.Start, &s.End)
	})
}

// DisplayNames returns the names of rooms, interviewers and interpreters by
// "room/ID", "interviewer/ID" and "interpreter/ID"; those without a name are
// left out.
func (db *DB) DisplayNames(ctx context.Context, rooms, interviewers, interpreters []string) (map[string]string, error) {
	rows, _ := db.pool.Query(ctx, `select 'room/' || id, name from rooms where id = any($1) and name <> ''
		union all select 'interviewer/' || id, name from interviewers where id = any($2) and name <> ''
		union all select 'interpreter/' || id, name from interpreters where id = any($3) and name <> ''`,
		rooms, interviewers, interpreters)
	out := map[string]string{}
	var k, v string
	_, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error {
		out[k] = v
		return nil
	})
	return out, Translate(err)
}
