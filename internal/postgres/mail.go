package postgres

// mail.go keeps the mail outbox: one row per booking change and recipient,
// written in the change's transaction, claimed by the delivery worker before
// it is handed to the SMTP server and marked after.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/resources"
)

// Mail kinds and iTIP methods.
const (
	MailBooked    = "booked"
	MailMoved     = "moved"
	MailCancelled = "cancelled"
	MailReleased  = "released"
	MailSignin    = "signin"

	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// mailSelect and scanMail read mail_outbox rows.
const mailSelect = `select id, booking_id, sequence, recipient_kind, recipient_id, email, locale, kind, method, state,
	attempts, created_at, sent_at, coalesce(last_error, ''), payload from mail_outbox`

func scanMail(r pgx.CollectableRow) (resources.Mail, error) {
	var m resources.Mail
	var created time.Time
	var sent *time.Time
	err := r.Scan(&m.ID, &m.Booking, &m.Sequence, &m.RecipientKind, &m.RecipientID, &m.Email, &m.Locale, &m.Kind, &m.Method,
		&m.State, &m.Attempts, &created, &sent, &m.LastError, &m.Payload)
	m.CreatedAt = *fmtTime(&created)
	m.SentAt = fmtTime(sent)
	return m, err
}

// mailTo is one booking mail to queue: to whom, what happened, and the
// time and place the mail speaks of (the new ones, or for a cancellation
// the ones cancelled).
type mailTo struct {
	kind        string // "interpreter" or "party"
	interpreter string
	mailKind    string
	method      string
	start, end  time.Time
	room, mode  string
}

// mailSQL queues the mails of one change in one statement: one row per
// (mail, recipient) of the arrays $4.. (an interpreter by id, or every
// party of the interview), with the office and room names from the room,
// the language from the interview and the recipient's name, address and
// locale from their row. A recipient without an address gets nothing. The
// unique index keeps one row per change and recipient.
const mailSQL = `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email, locale, kind, method,
		payload, next_attempt_at, created_at)
	select $1, $2, r.kind, r.id, r.email, coalesce(nullif(r.locale, ''), 'en'), m.mkind, m.method,
		jsonb_build_object('start', m.s, 'end', m.e, 'office', l.name,
			'room', case when m.mode = 'remote' and r.kind = 'interpreter' then '' else coalesce(nullif(rm.name, ''), rm.id) end,
			'mode', m.mode, 'language', i.language, 'name', r.name), $3, $3
	from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[])
			as m(kind, who, mkind, method, s, e, room, mode)
		join rooms rm on rm.id = m.room join locations l on l.id = rm.location_id
		join interviews i on i.id = $12
		join lateral (
			select 'interpreter' kind, t.id, t.email, t.locale, t.name from interpreters t
				where m.kind = 'interpreter' and t.id = m.who
			union all
			select 'party', p.id, p.email, p.locale, p.name from interview_parties ip join parties p on p.id = ip.party_id
				where m.kind = 'party' and ip.interview_id = $12) r on true
	where r.email <> ''
	on conflict do nothing`

// queueMails adds the insert of a change's mails to batch (nothing when
// there are none).
func queueMails(batch *pgx.Batch, b *resources.Booking, now time.Time, ms []mailTo) {
	if len(ms) == 0 {
		return
	}
	var kind, who, mkind, method, room, mode []string
	var s, e []time.Time
	for _, m := range ms {
		kind, who, mkind, method = append(kind, m.kind), append(who, m.interpreter), append(mkind, m.mailKind), append(method, m.method)
		s, e, room, mode = append(s, m.start), append(e, m.end), append(room, m.room), append(mode, m.mode)
	}
	batch.Queue(mailSQL, b.ID, b.Sequence, now, kind, who, mkind, method, s, e, room, mode, b.Interview)
}

// bookingMails lists the mails a change of a booking sends: on booking,
// the interpreter and the parties get a request; on a move, the same
// interpreter and the parties get the new time, an interpreter taken off
// gets a cancellation and a new one a request; on a cancellation, all get
// a cancellation. The parties hear nothing of a change that keeps the
// time and the room (an interpreter swapped).
func bookingMails(action string, before, after *resources.Booking) []mailTo {
	at := func(b *resources.Booking) (time.Time, time.Time) {
		s, _ := time.Parse(time.RFC3339, b.Start)
		e, _ := time.Parse(time.RFC3339, b.End)
		return s, e
	}
	s, e := at(after)
	now := func(kind, who, mk, method string) mailTo {
		return mailTo{kind: kind, interpreter: who, mailKind: mk, method: method, start: s, end: e, room: after.Room, mode: after.Mode}
	}
	var out []mailTo
	switch action {
	case resources.ActionBooked:
		if after.Interpreter != "" {
			out = append(out, now("interpreter", after.Interpreter, MailBooked, MethodRequest))
		}
		out = append(out, now("party", "", MailBooked, MethodRequest))
	case resources.ActionCancelled:
		if after.Interpreter != "" {
			out = append(out, now("interpreter", after.Interpreter, MailCancelled, MethodCancel))
		}
		out = append(out, now("party", "", MailCancelled, MethodCancel))
	case resources.ActionRescheduled:
		if before == nil {
			return nil
		}
		moved := before.Start != after.Start || before.Room != after.Room
		if before.Interpreter != "" && before.Interpreter != after.Interpreter {
			bs, be := at(before)
			out = append(out, mailTo{kind: "interpreter", interpreter: before.Interpreter, mailKind: MailCancelled,
				method: MethodCancel, start: bs, end: be, room: before.Room, mode: before.Mode})
		}
		switch {
		case after.Interpreter == "":
		case after.Interpreter != before.Interpreter:
			out = append(out, now("interpreter", after.Interpreter, MailBooked, MethodRequest))
		case moved || before.Mode != after.Mode:
			out = append(out, now("interpreter", after.Interpreter, MailMoved, MethodRequest))
		}
		if moved {
			out = append(out, now("party", "", MailMoved, MethodRequest))
		}
	}
	return out
}

// requestsInterpreter reports whether a change asks its interpreter anew:
// a new booking with one, a new interpreter, or the same one at another
// time or place.
func requestsInterpreter(action string, before, after *resources.Booking) bool {
	if after.Interpreter == "" {
		return false
	}
	switch action {
	case resources.ActionBooked:
		return true
	case resources.ActionRescheduled:
		return before == nil || before.Interpreter != after.Interpreter || before.Start != after.Start ||
			before.Room != after.Room || before.Mode != after.Mode
	}
	return false
}

// requestInterpreterSQL marks a booking's interpreter part requested, with
// the answer due within the settings' hours and never later than the
// settings' hours before the start; a request made after that point is due
// within the settings' hours or two hours, whichever is less, and by the
// start at the latest.
const requestInterpreterSQL = `with c as (
		select make_interval(hours => coalesce((confirmation->>'answer_within_hours')::int, 48)) answer_in,
			make_interval(hours => coalesce((confirmation->>'answer_before_start_hours')::int, 24)) answer_before from settings)
	update bookings b set interpreter_status = 'requested', interpreter_answered_at = null,
		interpreter_due = case when least($2::timestamptz + c.answer_in, b.start_at - c.answer_before) > $2::timestamptz
			then least($2::timestamptz + c.answer_in, b.start_at - c.answer_before)
			else least($2::timestamptz + least(c.answer_in, interval '2 hours'), b.start_at) end
	from c where b.id = $1`

// ClaimMail takes up to n due mails that no other worker holds and marks
// them sending (one more attempt), so that each is handed to the SMTP
// server by one worker only.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, n int) ([]resources.Mail, error) {
	rows, _ := db.pool.Query(ctx, `with due as (
			select id from mail_outbox where state = 'pending' and next_attempt_at <= $1
			order by next_attempt_at, id limit $2 for update skip locked)
		update mail_outbox m set state = 'sending', attempts = attempts + 1, claimed_at = $1 from due where m.id = due.id
		returning m.id, m.booking_id, m.sequence, m.recipient_kind, m.recipient_id, m.email, m.locale, m.kind, m.method,
			m.state, m.attempts, m.created_at, m.sent_at, coalesce(m.last_error, ''), m.payload`, now, n)
	ms, err := pgx.CollectRows(rows, scanMail)
	return ms, Translate(err)
}

// MailSent records that the SMTP server took claimed mails.
func (db *DB) MailSent(ctx context.Context, ids []int64, now time.Time) error {
	_, err := db.pool.Exec(ctx, `update mail_outbox set state = 'sent', sent_at = $2, last_error = null where id = any($1)`, ids, now)
	return Translate(err)
}

// MailFailed records a failed attempt of a claimed mail: it is tried again
// at retryAt, or, when retryAt is zero (the server refused it for good),
// it is failed.
func (db *DB) MailFailed(ctx context.Context, id int64, msg string, retryAt time.Time) error {
	if len(msg) > 500 {
		msg = msg[:500]
	}
	var err error
	if retryAt.IsZero() {
		_, err = db.pool.Exec(ctx, `update mail_outbox set state = 'failed', last_error = $2 where id = $1`, id, msg)
	} else {
		_, err = db.pool.Exec(ctx, `update mail_outbox set state = 'pending', last_error = $2, next_attempt_at = $3 where id = $1`,
			id, msg, retryAt)
	}
	return Translate(err)
}

// AbandonStuckMail marks 'unknown' the mails claimed before since and never
// recorded (a worker died while sending): they may have reached the SMTP
// server, so they are not sent again.
func (db *DB) AbandonStuckMail(ctx context.Context, since time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `update mail_outbox set state = 'unknown', last_error = 'the worker stopped while sending'
		where state = 'sending' and claimed_at < $1`, since)
	return tag.RowsAffected(), Translate(err)
}

// Mails lists the mails of a booking, or all with bookingID 0, newest first
// (at most 500): for the case page and the tests.
func (db *DB) Mails(ctx context.Context, bookingID int64) ([]resources.Mail, error) {
	var rows pgx.Rows
	if bookingID == 0 {
		rows, _ = db.pool.Query(ctx, mailSelect+` order by id desc limit 500`)
	} else {
		rows, _ = db.pool.Query(ctx, mailSelect+` where booking_id = $1 order by id desc limit 500`, bookingID)
	}
	ms, err := pgx.CollectRows(rows, scanMail)
	return ms, Translate(err)
}

// MailBacklog counts the mails not sent, by state (pending, sending,
// failed, unknown), and gives the creation time of the oldest waiting one
// (pending or sending; zero when none).
func (db *DB) MailBacklog(ctx context.Context) (map[string]int64, time.Time, error) {
	rows, _ := db.pool.Query(ctx, `select state, count(*), min(created_at) from mail_outbox where state <> 'sent' group by state`)
	out := map[string]int64{"pending": 0, "sending": 0, "failed": 0, "unknown": 0}
	var oldest time.Time
	var state string
	var n int64
	var first time.Time
	_, err := pgx.ForEachRow(rows, []any{&state, &n, &first}, func() error {
		out[state] = n
		if (state == "pending" || state == "sending") && (oldest.IsZero() || first.Before(oldest)) {
			oldest = first
		}
		return nil
	})
	return out, oldest, Translate(err)
}
