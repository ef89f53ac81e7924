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
	MailConfirmed = "confirmed" // the interpreter said yes: the invitation, accepted
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

// The booking's transaction writes each mail's row with plain statements
// that plan fast (no joins beyond the recipients): when, which room and
// mode the mail speaks of go in the payload; the names of the office, the
// room and the recipient and the interview's language are read when the
// mail is claimed (ClaimMail). A recipient without an address gets nothing;
// the unique index keeps one row per change and recipient.
const (
	mailInterpreterSQL = `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email, locale, kind, method,
			payload, next_attempt_at, created_at)
		select $1, $2, 'interpreter', t.id, t.email, coalesce(nullif(t.locale, ''), 'en'), $4, $5, $6, $7, $7
		from interpreters t where t.id = $3 and t.email <> ''
		on conflict do nothing`
	mailPartiesSQL = `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email, locale, kind, method,
			payload, next_attempt_at, created_at)
		select $1, $2, 'party', p.id, p.email, coalesce(nullif(p.locale, ''), 'en'), $4, $5, $6, $7, $7
		from interview_parties ip join parties p on p.id = ip.party_id where ip.interview_id = $3 and p.email <> ''
		on conflict do nothing`
)

// queueMails adds the inserts of a change's mails to batch.
func queueMails(batch *pgx.Batch, b *resources.Booking, now time.Time, ms []mailTo) {
	for _, m := range ms {
		p := resources.MailPayload{Start: m.start, End: m.end, Room: m.room, Mode: m.mode}
		if m.kind == "interpreter" {
			batch.Queue(mailInterpreterSQL, b.ID, b.Sequence, m.interpreter, m.mailKind, m.method, p, now)
		} else {
			batch.Queue(mailPartiesSQL, b.ID, b.Sequence, b.Interview, m.mailKind, m.method, p, now)
		}
	}
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

// queueConfirmedMail writes the mail that tells an interpreter their yes
// is recorded (the invitation again, accepted), in the confirming
// transaction.
func queueConfirmedMail(ctx context.Context, tx pgx.Tx, interpreter string, booking int64, now time.Time) error {
	var seq int
	var p resources.MailPayload
	err := tx.QueryRow(ctx, `select sequence, start_at, end_at, room_id, mode from bookings where id = $1`, booking).
		Scan(&seq, &p.Start, &p.End, &p.Room, &p.Mode)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, mailInterpreterSQL, booking, seq, interpreter, MailConfirmed, MethodRequest, p, now)
	return err
}

// ClaimMail takes the next due mail that no other worker holds and marks
// it sending (one more attempt), or returns nil when none is due. A worker
// claims one mail at a time, just before it hands it to the SMTP server,
// so that a worker that dies leaves at most that one in 'sending'. Only
// 'pending' rows are claimed: a 'sending' one is another worker's, in
// flight; and rows that another worker is claiming are skipped, not waited
// for. sent, when not 0, is the mail the server has just accepted: the same
// statement records it sent (MailSent), to save a round trip per mail. A
// reminder whose booking is no longer active, or no longer its
// interpreter's, is not claimed (QueueReminders drops it).
//
// Lock order: a prepared statement takes its table locks in the order of
// the main query's FROM (then the WITH queries'), so the joins name the
// tables in the order an import truncates them (domainTables: bookings,
// interviews, rooms, interpreters, parties, locations). Otherwise a claim
// holding rooms while it waits for bookings and an import holding bookings
// while it waits for rooms deadlock.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, sent int64) (*resources.Mail, error) {
	rows, _ := db.pool.Query(ctx, `with done as (`+mailSentSQL+`),
		due as (
			select m.id from mail_outbox m where m.state = 'pending' and m.next_attempt_at <= $1
				and (m.kind not like 'reminder\_%' or exists (select from bookings rb where rb.id = m.booking_id
					and rb.status = 'active' and (m.recipient_kind <> 'interpreter' or rb.interpreter_id = m.recipient_id)))
			order by m.next_attempt_at, m.id limit 1 for update of m skip locked),
		c as (update mail_outbox m set state = 'sending', attempts = attempts + 1, claimed_at = $1 from due where m.id = due.id
			returning m.id, m.booking_id, m.sequence, m.recipient_kind, m.recipient_id, m.email, m.locale, m.kind, m.method,
				m.state, m.attempts, m.created_at, m.sent_at, coalesce(m.last_error, '') last_error, m.payload)
		select c.*, coalesce(l.name, ''), coalesce(nullif(r.name, ''), r.id, ''), coalesce(i.language, ''),
			coalesce(t.name, p.name, ''),
			case when c.recipient_kind = 'interpreter' and b.interpreter_id = c.recipient_id then coalesce(b.interpreter_status, '') else '' end,
			case when c.recipient_kind = 'interpreter' and b.interpreter_id = c.recipient_id then b.interpreter_due end,
			case when c.recipient_kind = 'interpreter' and b.released_interpreter = c.recipient_id then coalesce(b.release_reason, '') else '' end,
			coalesce(l.street_address, ''), coalesce(nullif(b.meeting_url, ''), l.meeting_url, '')
		from c left join bookings b on b.id = c.booking_id left join interviews i on i.id = b.interview_id
			left join rooms r on r.id = c.payload->>'room'
			left join interpreters t on c.recipient_kind = 'interpreter' and t.id = c.recipient_id
			left join parties p on c.recipient_kind = 'party' and p.id = c.recipient_id
			left join locations l on l.id = r.location_id`, now, sent)
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Mail, error) {
		var m resources.Mail
		var created time.Time
		var sent *time.Time
		var office, room, language, name, answer, released string
		var due *time.Time
		err := r.Scan(&m.ID, &m.Booking, &m.Sequence, &m.RecipientKind, &m.RecipientID, &m.Email, &m.Locale, &m.Kind, &m.Method,
			&m.State, &m.Attempts, &created, &sent, &m.LastError, &m.Payload, &office, &room, &language, &name, &answer, &due, &released,
			&m.Payload.Address, &m.Payload.MeetingLink)
		m.CreatedAt, m.SentAt = *fmtTime(&created), fmtTime(sent)
		m.Payload.Answer, m.Payload.Released = answer, released
		if due != nil {
			m.Payload.AnswerDue = *due
		}
		m.Payload.Office, m.Payload.Room, m.Payload.Language, m.Payload.Name = office, room, language, name
		if m.RecipientKind == "interpreter" && m.Payload.Mode == "remote" {
			m.Payload.Room = "" // a remote interpreter needs no room
		}
		return m, err
	})
	if err != nil || len(ms) == 0 {
		return nil, Translate(err)
	}
	return &ms[0], nil
}

// mailSentSQL records mail $2 sent at $1.
const mailSentSQL = `update mail_outbox set state = 'sent', sent_at = $1, last_error = null where id = $2 and state = 'sending'`

// MailSent records that the SMTP server accepted a claimed mail; the
// worker calls it (or ClaimMail) as soon as the server has said so.
func (db *DB) MailSent(ctx context.Context, id int64, now time.Time) error {
	_, err := db.pool.Exec(ctx, mailSentSQL, now, id)
	return Translate(err)
}

// MailFailed records a failed attempt of a claimed mail: it is tried again
// at retryAt, or, when retryAt is zero (the server refused it for good),
// it is failed. msg must name no address (the worker's errors do not).
func (db *DB) MailFailed(ctx context.Context, id int64, msg string, retryAt time.Time) error {
	if len(msg) > 500 {
		msg = msg[:500]
	}
	var err error
	if retryAt.IsZero() {
		_, err = db.pool.Exec(ctx, `update mail_outbox set state = 'failed', last_error = $2 where id = $1 and state = 'sending'`,
			id, msg)
	} else {
		_, err = db.pool.Exec(ctx, `update mail_outbox set state = 'pending', last_error = $2, next_attempt_at = $3
			where id = $1 and state = 'sending'`, id, msg, retryAt)
	}
	return Translate(err)
}

// AbandonStuckMail marks 'unknown' the mails claimed before since and never
// recorded (a worker died while sending, or could not record): they may
// have reached the SMTP server, so they are not sent again. A worker holds
// one mail at a time, so a dead worker leaves at most one.
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

// MailsNeedingAttention lists the mails a clerk must look at, the newest
// first (at most 500): 'unknown' ones (a worker stopped while handing the
// mail over: it may or may not have arrived) and 'failed' ones (the mail
// server refused it, or it kept failing). Each says what to do
// (MailAttention.Action); the recipient's address is not in it.
func (db *DB) MailsNeedingAttention(ctx context.Context) ([]resources.MailAttention, error) {
	rows, _ := db.pool.Query(ctx, `select m.id, m.booking_id, coalesce(b.interview_id, ''), m.recipient_kind, m.recipient_id,
			m.kind, m.state, m.attempts, m.created_at, coalesce(m.last_error, '')
		from mail_outbox m left join bookings b on b.id = m.booking_id
		where m.state in ('unknown', 'failed')
		order by m.id desc limit 500`)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.MailAttention, error) {
		var a resources.MailAttention
		var created time.Time
		err := r.Scan(&a.Mail, &a.Booking, &a.Interview, &a.RecipientKind, &a.RecipientID, &a.Kind, &a.State, &a.Attempts,
			&created, &a.LastError)
		a.CreatedAt = created.UTC().Format(time.RFC3339)
		a.Action = resources.MailActionCheckArrived
		if a.State == "failed" {
			a.Action = resources.MailActionCheckAddress
		}
		return a, err
	})
	return out, Translate(err)
}

// RetryMail sends an 'unknown' or 'failed' mail again (a clerk asked for
// it, having checked that it did not arrive or the address is mended): it
// is pending from now, with a fresh count of attempts. It reports whether
// the mail was in one of those states.
func (db *DB) RetryMail(ctx context.Context, id int64, now time.Time) (bool, error) {
	tag, err := db.pool.Exec(ctx, `update mail_outbox set state = 'pending', attempts = 0, next_attempt_at = $2
		where id = $1 and state in ('unknown', 'failed')`, id, now)
	return tag.RowsAffected() == 1, Translate(err)
}

// MailBacklog counts the mails not sent, by state (pending, sending,
// failed, unknown), and gives the creation time of the oldest waiting one
// (pending or sending; zero when none).
func (db *DB) MailBacklog(ctx context.Context) (map[string]int64, time.Time, error) {
	rows, _ := db.pool.Query(ctx, `select state, count(*), min(created_at) from mail_outbox where state not in ('sent', 'dropped')
		group by state`)
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
