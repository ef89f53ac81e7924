package postgres

// person_data.go serves a person's data on request (issue 26, point 3):
// PersonData gathers everything held about an interpreter, interviewer or
// party; ErasePerson pseudonymises their record and removes the rest in
// one transaction, redacting the audit trail through the narrow way of
// migration 020.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/calendars"
	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// personKind is where a kind of person's data lives: the table of their
// record, the role their portal sessions and links carry, the recipient
// kind of their mails and the owner kind of their feeds ("" for none).
type personKind struct {
	table, portal, mail, feed string
	// bookings is the condition that a booking b is theirs ($1 the id);
	// role, mode and released say their part of it.
	bookings, role, mode, released string
}

var personKinds = map[resources.AbsenceOwner]personKind{
	resources.AbsenceOfInterpreter: {table: "interpreters", portal: resources.PortalInterpreter, mail: "interpreter", feed: "interpreter",
		bookings: `(b.interpreter_id = $1 or b.released_interpreter = $1)`, role: `'interpreter'`,
		mode:     `case when b.interpreter_id is distinct from $1 then coalesce(b.released_mode, 'none') else b.mode end`,
		released: `b.interpreter_id is distinct from $1`},
	resources.AbsenceOfInterviewer: {table: "interviewers", feed: "interviewer",
		bookings: `b.interviewer_id = $1`, role: `'interviewer'`, mode: `b.mode`, released: `false`},
	resources.AbsenceOfParty: {table: "parties", portal: resources.PortalCounsel, mail: "party",
		bookings: `b.interview_id in (select interview_id from interview_parties where party_id = $1)`,
		role:     `(select kind from parties where id = $1)`, mode: `b.mode`, released: `false`},
}

func kindOf(owner resources.AbsenceOwner) (personKind, error) {
	k, ok := personKinds[owner]
	if !ok {
		return k, errs.Field("kind", "kind must be interpreter, interviewer or party")
	}
	return k, nil
}

// PersonData returns everything held about the person owner id, read in
// one repeatable-read transaction (one snapshot; the record itself is read
// as its own GET reads it). It names no one else.
func (db *DB) PersonData(ctx context.Context, owner resources.AbsenceOwner, id string) (*resources.PersonData, error) {
	k, err := kindOf(owner)
	if err != nil {
		return nil, err
	}
	out := &resources.PersonData{Kind: owner.String(), ID: id, ExportedAt: db.now().UTC().Format(time.RFC3339)}
	err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		_, loc, err := getSettings(ctx, tx)
		if err != nil {
			return err
		}
		for _, step := range []func(context.Context, pgx.Tx, personKind, *time.Location, *resources.PersonData) error{
			db.personRecord, personAbsences, personBookings, personAnswers, personMails, personPortal, personErasures, personAccess,
		} {
			if err := step(ctx, tx, k, loc, out); err != nil {
				return err
			}
		}
		return nil
	}, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// personRecord reads the record itself (as the entity's GET answers it),
// the weekly pattern and the busy calendar; not found is 404.
func (db *DB) personRecord(ctx context.Context, tx pgx.Tx, k personKind, _ *time.Location, out *resources.PersonData) error {
	var rec any
	var err error
	switch k.table {
	case "interpreters":
		rec, err = db.Interpreter(ctx, out.ID)
	case "interviewers":
		rec, err = db.Interviewer(ctx, out.ID)
	default:
		rec, err = db.Party(ctx, out.ID)
	}
	if err != nil {
		return err
	}
	if out.Record, err = json.Marshal(rec); err != nil {
		return err
	}
	if k.table == "interpreters" {
		var p resources.WeeklyPattern
		err := tx.QueryRow(ctx, `select pattern from availability_patterns where interpreter_id = $1`, out.ID).Scan(&p)
		if err == nil {
			out.AvailabilityPattern = &p
		} else if err != pgx.ErrNoRows {
			return err
		}
	}
	var c resources.PersonCalendar
	var raw string
	var success *time.Time
	var created time.Time
	err = tx.QueryRow(ctx, `select c.url, c.last_success_at, c.created_at from busy_calendars c
		join `+k.table+` p on p.resource_id = c.resource_id where p.id = $1`, out.ID).Scan(&raw, &success, &created)
	switch {
	case err == nil:
		// The URL may carry the calendar's own secret: redacted as everywhere.
		c.URL, c.LastSuccessAt, c.CreatedAt = calendars.RedactURL(raw), fmtTime(success), created.UTC().Format(time.RFC3339)
		out.BusyCalendar = &c
	case err != pgx.ErrNoRows:
		return err
	}
	return nil
}

// personAbsences lists the person's absences with their reasons.
func personAbsences(ctx context.Context, tx pgx.Tx, k personKind, loc *time.Location, out *resources.PersonData) error {
	rows, _ := tx.Query(ctx, `select a.id, lower(a.during), upper(a.during), a.reason from absences a
		join `+k.table+` p on p.resource_id = a.resource_id where p.id = $1 order by lower(a.during), a.id`, out.ID)
	var err error
	out.Absences, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.PersonAbsence, error) {
		var a resources.PersonAbsence
		var s, e time.Time
		err := r.Scan(&a.ID, &s, &e, &a.Reason)
		a.Start, a.End = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc)
		return a, err
	})
	out.Absences = nonNil(out.Absences)
	return err
}

// personBookings lists the person's part of each booking they take part
// in (or were released from): time, office, room, mode, language.
func personBookings(ctx context.Context, tx pgx.Tx, k personKind, loc *time.Location, out *resources.PersonData) error {
	rows, _ := tx.Query(ctx, `select b.id, `+k.role+`, b.start_at, b.end_at, coalesce(l.name, ''), coalesce(nullif(r.name, ''), r.id),
			`+k.mode+`, i.language, b.status, `+k.released+`
		from bookings b join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id
			left join locations l on l.id = r.location_id
		where `+k.bookings+` order by b.start_at, b.id`, out.ID)
	var err error
	out.Bookings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.PersonBooking, error) {
		var b resources.PersonBooking
		var s, e time.Time
		err := r.Scan(&b.Booking, &b.Role, &s, &e, &b.Office, &b.Room, &b.Mode, &b.Language, &b.Status, &b.Released)
		b.Start, b.End = solver.FormatInstant(s, loc), solver.FormatInstant(e, loc)
		return b, err
	})
	out.Bookings = nonNil(out.Bookings)
	return err
}

// personAnswers lists an interpreter's answers to their requests and a
// party's acknowledgements and requests for another time.
func personAnswers(ctx context.Context, tx pgx.Tx, k personKind, _ *time.Location, out *resources.PersonData) error {
	var rows pgx.Rows
	switch k.table {
	case "interpreters":
		rows, _ = tx.Query(ctx, `select b.id, case when b.interpreter_id = $1 then b.interpreter_status else 'released' end,
				b.interpreter_answered_at, case when b.interpreter_id is distinct from $1 then coalesce(b.release_reason, '') else '' end,
				null::timestamptz, '', null::timestamptz, '[]'::jsonb
			from bookings b where (b.interpreter_id = $1 and b.interpreter_status is not null) or b.released_interpreter = $1
			order by b.start_at, b.id`, out.ID)
	case "parties":
		rows, _ = tx.Query(ctx, `select a.booking_id, '', null::timestamptz, '', a.acknowledged_at, coalesce(a.change_reason, ''),
				a.change_asked_at, a.proposals
			from party_answers a where a.party_id = $1 order by a.booking_id`, out.ID)
	default:
		out.Answers = []resources.PersonAnswer{}
		return nil
	}
	var err error
	out.Answers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.PersonAnswer, error) {
		var a resources.PersonAnswer
		var answered, acked, asked *time.Time
		err := r.Scan(&a.Booking, &a.Status, &answered, &a.ReleaseReason, &acked, &a.ChangeReason, &asked, &a.Proposals)
		a.AnsweredAt, a.AcknowledgedAt, a.ChangeAskedAt = fmtTime(answered), fmtTime(acked), fmtTime(asked)
		return a, err
	})
	out.Answers = nonNil(out.Answers)
	return err
}

// personMails lists the mails addressed to the person.
func personMails(ctx context.Context, tx pgx.Tx, k personKind, loc *time.Location, out *resources.PersonData) error {
	out.Mails = []resources.PersonMail{}
	if k.mail == "" {
		return nil
	}
	rows, _ := tx.Query(ctx, `select id, booking_id, kind, method, email, locale, payload, state, attempts, created_at, sent_at
		from mail_outbox where recipient_kind = $1 and recipient_id = $2 order by id`, k.mail, out.ID)
	var err error
	out.Mails, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.PersonMail, error) {
		var m resources.PersonMail
		var p resources.MailPayload
		var created time.Time
		var sent *time.Time
		err := r.Scan(&m.ID, &m.Booking, &m.Kind, &m.Method, &m.Email, &m.Locale, &p, &m.State, &m.Attempts, &created, &sent)
		if !p.Start.IsZero() {
			m.Start, m.End = solver.FormatInstant(p.Start, loc), solver.FormatInstant(p.End, loc)
		}
		m.Room, m.Mode, m.CreatedAt, m.SentAt = p.Room, p.Mode, created.UTC().Format(time.RFC3339), fmtTime(sent)
		return m, err
	})
	out.Mails = nonNil(out.Mails)
	return err
}

// personPortal lists the person's feeds, portal sessions and sign-in
// links: times and ids only, never a hash.
func personPortal(ctx context.Context, tx pgx.Tx, k personKind, _ *time.Location, out *resources.PersonData) error {
	out.Feeds, out.Sessions, out.SigninLinks = []resources.PersonFeed{}, []resources.PersonSession{}, []resources.PersonSession{}
	var err error
	if k.feed != "" {
		rows, _ := tx.Query(ctx, `select id, created_at, rotated_at, revoked_at, last_used_at from feed_tokens
			where owner_kind = $1 and owner_id = $2 order by id`, k.feed, out.ID)
		out.Feeds, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.PersonFeed, error) {
			var f resources.PersonFeed
			var created time.Time
			var rotated, revoked, used *time.Time
			err := r.Scan(&f.ID, &created, &rotated, &revoked, &used)
			f.CreatedAt, f.RotatedAt, f.RevokedAt, f.LastUsedAt = created.UTC().Format(time.RFC3339), fmtTime(rotated), fmtTime(revoked), fmtTime(used)
			return f, err
		})
		if err != nil {
			return err
		}
		out.Feeds = nonNil(out.Feeds)
	}
	if k.portal == "" {
		return nil
	}
	scan := func(r pgx.CollectableRow) (resources.PersonSession, error) {
		var s resources.PersonSession
		var created, expires time.Time
		var seen, used *time.Time
		err := r.Scan(&created, &expires, &seen, &used)
		s.CreatedAt, s.ExpiresAt, s.LastSeenAt, s.UsedAt = created.UTC().Format(time.RFC3339), expires.UTC().Format(time.RFC3339), fmtTime(seen), fmtTime(used)
		return s, err
	}
	rows, _ := tx.Query(ctx, `select created_at, expires_at, last_seen_at, null::timestamptz from portal_sessions
		where role = $1 and person_id = $2 order by created_at`, k.portal, out.ID)
	if out.Sessions, err = pgx.CollectRows(rows, scan); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, `select created_at, expires_at, null::timestamptz, used_at from signin_links
		where role = $1 and person_id = $2 order by created_at`, k.portal, out.ID)
	out.SigninLinks, err = pgx.CollectRows(rows, scan)
	out.Sessions, out.SigninLinks = nonNil(out.Sessions), nonNil(out.SigninLinks)
	return err
}

// ErasedPerson returns the latest erasure of the data of the person of
// that kind (interpreter, interviewer, party) and id while their record
// still bears its pseudonym, or nil: never erased, or registered anew under
// the same id since.
func (db *DB) ErasedPerson(ctx context.Context, kind, id string) (*resources.Erasure, error) {
	e, err := erasedPerson(ctx, db.pool, kind, id, false)
	return e, Translate(err)
}

// erasedPerson is ErasedPerson on q; with lock, it locks the person's row
// for share (against ErasePerson's for update), so that what it finds holds
// until q's transaction ends.
func erasedPerson(ctx context.Context, q querier, kind, id string, lock bool) (*resources.Erasure, error) {
	owner, ok := resources.AbsenceOwnerOf(kind)
	if !ok {
		return nil, errs.Field("kind", "kind must be interpreter, interviewer or party")
	}
	k, err := kindOf(owner)
	if err != nil {
		return nil, err
	}
	forShare := ""
	if lock {
		forShare = " for share"
	}
	var name string
	err = q.QueryRow(ctx, `select name from `+k.table+` where id = $1`+forShare, id).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var e resources.Erasure
	var at time.Time
	err = q.QueryRow(ctx, `select id, at, actor, person_kind, person_id, pseudonym from erasures
		where person_kind = $1 and person_id = $2 order by id desc limit 1`, kind, id).
		Scan(&e.ID, &at, &e.Actor, &e.Kind, &e.Person, &e.Pseudonym)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e.At = at.UTC().Format(time.RFC3339)
	e.Name = erasedName(e.Kind, e.Pseudonym)
	if name != e.Name {
		return nil, nil
	}
	return &e, nil
}

// erasedName is the name an erased person's record bears.
func erasedName(kind, pseudonym string) string { return "erased " + kind + " " + pseudonym }

// personErasures lists the erasures of the person's data.
func personErasures(ctx context.Context, tx pgx.Tx, _ personKind, loc *time.Location, out *resources.PersonData) error {
	rows, _ := tx.Query(ctx, `select id, at, actor, person_kind, person_id, pseudonym, reason from erasures
		where person_kind = $1 and person_id = $2 order by id`, out.Kind, out.ID)
	var err error
	out.Erasures, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Erasure, error) {
		var e resources.Erasure
		var at time.Time
		err := r.Scan(&e.ID, &at, &e.Actor, &e.Kind, &e.Person, &e.Pseudonym, &e.Reason)
		e.At = solver.FormatInstant(at, loc)
		return e, err
	})
	out.Erasures = nonNil(out.Erasures)
	return err
}

// personAccess lists the access log's entries about the person: reads of
// their record, their absences and their exports.
func personAccess(ctx context.Context, tx pgx.Tx, k personKind, loc *time.Location, out *resources.PersonData) error {
	rows, _ := tx.Query(ctx, `select id, at, actor_kind, actor, role, subject_kind, subject_id, route from access_log
		where (subject_kind = $1 and subject_id = $2)
			or (subject_kind = 'absences' and subject_id = $2 and route like '%/' || $3 || '/%')
			or (subject_kind = 'export' and subject_id = $4)
		order by id`, out.Kind, out.ID, k.table, resources.PersonExportSubject(out.Kind, out.ID))
	var err error
	out.AccessLog, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Access, error) {
		var a resources.Access
		var at time.Time
		err := r.Scan(&a.ID, &at, &a.ActorKind, &a.Actor, &a.Role, &a.SubjectKind, &a.SubjectID, &a.Route)
		a.At = solver.FormatInstant(at, loc)
		return a, err
	})
	out.AccessLog = nonNil(out.AccessLog)
	return err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ErasePerson erases the data of the person req names, in one
// transaction: it refuses (errs.StillBooked, naming them) while the person
// holds future bookings or live holds; otherwise it records the erasure,
// gives the record the name "erased <kind> <pseudonym>" and blanks its
// e-mail, locale and gender, deletes availability, the weekly pattern,
// absences, the busy calendar, feeds, portal sessions and sign-in links,
// blanks the addresses of their mails and their own free text, redacts
// their name and address wherever the records quote them (the audit
// trail's reasons and documents included, through migration 020's narrow
// way), and adds the erasure to the audit trail. Past bookings stay,
// pointing at the pseudonymised record by the same id.
func (db *DB) ErasePerson(ctx context.Context, req resources.ErasureRequest, pseudonym string) (*resources.Erasure, error) {
	k, err := kindOf(req.Owner)
	if err != nil {
		return nil, err
	}
	now := db.now()
	out := &resources.Erasure{Actor: req.Actor, Kind: req.Owner.String(), Person: req.ID, Pseudonym: pseudonym, Reason: req.Reason,
		Name: erasedName(req.Owner.String(), pseudonym), Removed: map[string]int64{}}
	err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		_, loc, err := getSettings(ctx, tx)
		if err != nil {
			return err
		}
		var rid int64
		var name, email string
		err = tx.QueryRow(ctx, `select resource_id, name, email from `+k.table+` where id = $1 for update`, req.ID).Scan(&rid, &name, &email)
		if err == pgx.ErrNoRows {
			return errs.E(errs.NotFound, "%s %q not found", req.Owner, req.ID)
		}
		if err != nil {
			return err
		}
		// The booking transaction locks the resource rows it books
		// (lockResources): a booking of the person made meanwhile is
		// either seen by refuseCommitments or waits for this erasure (and
		// then finds no availability).
		if _, err := tx.Exec(ctx, `select id from resource where id = $1 for no key update`, rid); err != nil {
			return err
		}
		if quotes(req.Reason, name) || quotes(req.Reason, email) {
			return errs.Field("reason", "the reason is kept for good: it must not name the person or give their address")
		}
		if err := refuseCommitments(ctx, tx, k, req, now, loc); err != nil {
			return err
		}
		if err := recordErasure(ctx, tx, out, now, loc); err != nil {
			return err
		}
		for _, step := range []func() error{
			func() error { return pseudonymise(ctx, tx, k, req.ID, out, now) },
			func() error { return removePersonData(ctx, tx, k, req.ID, rid, out) },
			func() error { return redactQuotes(ctx, tx, out, name, email) },
			func() error { return auditErasure(ctx, tx, out, now) },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// refuseCommitments refuses the erasure of a person who holds bookings
// that have not ended or live holds, listing them.
func refuseCommitments(ctx context.Context, tx pgx.Tx, k personKind, req resources.ErasureRequest, now time.Time, loc *time.Location) error {
	holdsOf := strings.NewReplacer("b.released_interpreter = $1", "false", "b.released_interpreter", "null").Replace(k.bookings)
	rows, _ := tx.Query(ctx, `select 'bookings', b.id, b.start_at, b.end_at from bookings b
			where b.status = 'active' and b.end_at > $2 and `+k.bookings+`
		union all
		select 'holds', b.id, b.start_at, b.end_at from holds b where b.expires_at > $2 and `+holdsOf+`
		order by 1, 3, 2`, req.ID, now)
	var fields []errs.FieldError
	counts := map[string]int{}
	for rows.Next() {
		var what string
		var id int64
		var s, e time.Time
		if err := rows.Scan(&what, &id, &s, &e); err != nil {
			return err
		}
		fields = append(fields, errs.FieldError{Path: fmt.Sprintf("%s[%d]", what, counts[what]),
			Message: fmt.Sprintf("%s %d: %s to %s", strings.TrimSuffix(what, "s"), id, solver.FormatInstant(s, loc), solver.FormatInstant(e, loc))})
		counts[what]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(fields) > 0 {
		return &errs.Error{Code: errs.StillBooked, Fields: fields, Message: fmt.Sprintf(
			"%s %q holds %d future bookings and %d live holds: cancel or move them, or wait until they have passed, then erase",
			req.Owner, req.ID, counts["bookings"], counts["holds"])}
	}
	return nil
}

// recordErasure adds the erasure's row and names it in the transaction's
// interviews.erasure setting, which lets migration 020's trigger take this
// transaction's redactions of the audit trail.
func recordErasure(ctx context.Context, tx pgx.Tx, out *resources.Erasure, now time.Time, loc *time.Location) error {
	if err := tx.QueryRow(ctx, `insert into erasures (at, actor, person_kind, person_id, pseudonym, reason)
		values ($1, $2, $3, $4, $5, $6) returning id`, now, out.Actor, out.Kind, out.Person, out.Pseudonym, out.Reason).Scan(&out.ID); err != nil {
		return err
	}
	out.At = solver.FormatInstant(now, loc)
	_, err := tx.Exec(ctx, `select set_config('interviews.erasure', $1, true)`, fmt.Sprint(out.ID))
	return err
}

// pseudonymise gives the record its pseudonym for a name and blanks what
// says who the person is or how to reach them; the id stays.
func pseudonymise(ctx context.Context, tx pgx.Tx, k personKind, id string, out *resources.Erasure, now time.Time) error {
	set := `name = $2, email = '', locale = '', active = false, version = version + 1, updated_at = $3`
	if k.table != "parties" {
		set += `, gender = null`
	}
	_, err := tx.Exec(ctx, `update `+k.table+` set `+set+` where id = $1`, id, out.Name, now)
	return err
}

// removePersonData deletes the person's availability, weekly pattern,
// absences, busy calendar, feeds, sessions and links, blanks their mails'
// addresses (pending ones are dropped) and their own free text.
func removePersonData(ctx context.Context, tx pgx.Tx, k personKind, id string, rid int64, out *resources.Erasure) error {
	type stmt struct {
		what, sql string
		args      []any
	}
	stmts := []stmt{
		{"availability", `delete from availability where resource_id = $1`, []any{rid}},
		{"absences", `delete from absences where resource_id = $1`, []any{rid}},
		{"busy_calendars", `delete from busy_calendars where resource_id = $1`, []any{rid}},
	}
	if k.table == "interpreters" {
		stmts = append(stmts, stmt{"availability_patterns", `delete from availability_patterns where interpreter_id = $1`, []any{id}})
	}
	if k.feed != "" {
		stmts = append(stmts, stmt{"feed_tokens", `delete from feed_tokens where owner_kind = $1 and owner_id = $2`, []any{k.feed, id}})
	}
	if k.portal != "" {
		stmts = append(stmts,
			stmt{"portal_sessions", `delete from portal_sessions where role = $1 and person_id = $2`, []any{k.portal, id}},
			stmt{"signin_links", `delete from signin_links where role = $1 and person_id = $2`, []any{k.portal, id}})
	}
	if k.mail != "" {
		stmts = append(stmts, stmt{"mails", `update mail_outbox set email = '', last_error = null,
				payload = payload - 'name' - 'link',
				state = case when state = 'pending' then 'dropped' else state end
			where recipient_kind = $1 and recipient_id = $2`, []any{k.mail, id}})
	}
	if k.table == "parties" {
		// Their words: the request itself and its copy in the audit trail
		// (the trail's row stays; migration 020 lets this through).
		stmts = append(stmts,
			stmt{"answers", `update party_answers set change_reason = null, proposals = '[]'
				where party_id = $1 and (change_reason is not null or proposals <> '[]')`, []any{id}},
			stmt{"audit_reasons", `update audit_log set reason = '' where actor = 'party ' || $1 and action = $2 and reason <> ''`,
				[]any{id, resources.ActionChangeRequested}})
	}
	for _, s := range stmts {
		tag, err := tx.Exec(ctx, s.sql, s.args...)
		if err != nil {
			return err
		}
		if n := tag.RowsAffected(); n > 0 {
			out.Removed[s.what] = n
		}
	}
	return nil
}

// quotingColumns are the free-text columns that may quote a person's name
// or address: clerks' reasons, documents kept whole, error texts. Any
// other column that holds a person's name or address is either theirs
// (handled above) or a bug that the erasure test's scan of every text
// column finds.
var quotingColumns = []struct {
	table string
	text  []string // replaced whole
	json  []string // the quotes replaced
}{
	{"audit_log", []string{"reason"}, []string{"before", "after"}},
	{"bookings", []string{"cancel_reason"}, nil},
	{"interview_flags", []string{"reason"}, nil},
	{"booking_origins", []string{"reason"}, nil},
	{"outbox", []string{"last_error"}, []string{"payload"}},
	{"mail_outbox", []string{"last_error"}, nil},
	{"idempotency_keys", nil, []string{"response"}},
	{"plans", []string{"error"}, []string{"result", "accept_result"}},
	{"job_runs", []string{"detail"}, nil},
	{"staff_sessions", []string{"flash"}, nil},
}

// redactQuotes deals with the texts that quote the person's former name
// or e-mail address (case-insensitively, as whole words): a text quoting
// them is replaced whole — what else it says of them (a street address, a
// phone number) cannot be told apart from the rest — by a note naming the
// pseudonym; in a document (JSON) the quotes themselves are replaced with
// the pseudonymous name. One statement (one pass) a table.
func redactQuotes(ctx context.Context, tx pgx.Tx, out *resources.Erasure, name, email string) error {
	var alts []string
	for _, s := range []string{strings.TrimSpace(name), strings.TrimSpace(email)} {
		if s == "" {
			continue
		}
		// Names and addresses quoted in JSON keep their characters but for
		// quotes and backslashes, which a JSON text escapes.
		for _, v := range uniq(s, jsonInner(s)) {
			alts = append(alts, wordBound(v))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	pattern, note := strings.Join(alts, "|"), "(erased: it quoted "+out.Name+")"
	for _, t := range quotingColumns {
		var sets, conds []string
		args := []any{pattern}
		if len(t.text) > 0 {
			args = append(args, note)
		}
		for _, c := range t.text {
			sets = append(sets, c+` = case when `+c+` ~* $1 then $2 else `+c+` end`)
			conds = append(conds, c+` ~* $1`)
		}
		if len(t.json) > 0 {
			args = append(args, out.Name)
		}
		name := fmt.Sprintf("$%d", len(args))
		for _, c := range t.json {
			sets = append(sets, c+` = case when `+c+`::text ~* $1 then regexp_replace(`+c+`::text, $1, `+name+`, 'gi')::jsonb else `+c+` end`)
			conds = append(conds, c+`::text ~* $1`)
		}
		tag, err := tx.Exec(ctx, `update `+t.table+` set `+strings.Join(sets, ", ")+` where `+strings.Join(conds, " or "), args...)
		if err != nil {
			return fmt.Errorf("redact %s: %w", t.table, err)
		}
		if n := tag.RowsAffected(); n > 0 {
			out.Removed["quotes:"+t.table] = n
		}
	}
	return nil
}

// quotes reports whether text holds s, whatever the case.
func quotes(text, s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.Contains(strings.ToLower(text), strings.ToLower(s))
}

// jsonInner is s as a JSON string's text, without the quotes.
func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// wordBound is s as a PostgreSQL regular expression that matches it as
// a whole word: not inside a longer word ("Al" in "Also").
func wordBound(s string) string {
	p := regexp.QuoteMeta(s)
	rs := []rune(s)
	if word(rs[0]) {
		p = `\m` + p
	}
	if word(rs[len(rs)-1]) {
		p += `\M`
	}
	return p
}

func word(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// auditErasure adds the erasure to the audit trail: who, when, why, whom
// (the pseudonymous id) and the erasure's id.
func auditErasure(ctx context.Context, tx pgx.Tx, out *resources.Erasure, now time.Time) error {
	after, err := json.Marshal(map[string]any{"erasure": out.ID, "kind": out.Kind, "person": out.Person, "pseudonym": out.Pseudonym})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `insert into audit_log (at, actor, action, reason, after) values ($1, $2, $3, $4, $5::jsonb)`,
		now, out.Actor, resources.ActionPersonErased, out.Reason, after)
	return err
}
