package postgres

// summons.go is the counsel's and representative's side: the summons of
// their clients, acknowledging one, and asking for another time. Every
// query is bounded by the party's own id.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Summons lists the interviews of a party's clients that end after since:
// active ones, and cancelled ones changed in the last 14 days (at most 500).
func (db *DB) Summons(ctx context.Context, party string, since time.Time) ([]resources.Summons, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rows, _ := db.pool.Query(ctx, `select b.id, b.interview_id, i.case_ref, b.start_at, b.end_at, l.name,
			coalesce(nullif(r.name, ''), r.id), i.language, b.status, b.sequence,
			pa.acknowledged_at is not null and pa.sequence = b.sequence, pa.acknowledged_at,
			coalesce(pa.change_asked_at is not null and not pa.change_handled, false), coalesce(pa.change_reason, ''),
			coalesce(pa.proposals, '[]')
		from bookings b join interview_parties ip on ip.interview_id = b.interview_id and ip.party_id = $1
			join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id join locations l on l.id = r.location_id
			left join party_answers pa on pa.booking_id = b.id and pa.party_id = $1
		where b.end_at > $2 and (b.status = 'active' or b.updated_at > $3)
		order by b.start_at, b.id limit 500`, party, since, since.Add(-14*24*time.Hour))
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Summons, error) {
		var s resources.Summons
		var st, en time.Time
		var ack *time.Time
		err := r.Scan(&s.Booking, &s.Interview, &s.Case, &st, &en, &s.Office, &s.Room, &s.Language, &s.Status, &s.Sequence,
			&s.Acknowledged, &ack, &s.ChangeAsked, &s.ChangeReason, &s.Proposals)
		s.Start, s.End = st.In(loc).Format(time.RFC3339), en.In(loc).Format(time.RFC3339)
		if ack != nil && s.Acknowledged {
			a := ack.In(loc).Format(time.RFC3339)
			s.AcknowledgedAt = &a
		}
		return s, err
	})
	return out, Translate(err)
}

// partyBooking locks a booking of the party's client; another party's
// booking is not found.
func partyBooking(ctx context.Context, tx pgx.Tx, party string, booking int64) (iv string, seq int, err error) {
	err = tx.QueryRow(ctx, `select b.interview_id, b.sequence from bookings b
		join interview_parties ip on ip.interview_id = b.interview_id and ip.party_id = $1
		where b.id = $2 and b.status = 'active' for update of b`, party, booking).Scan(&iv, &seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, errs.E(errs.NotFound, "summons %d not found", booking)
	}
	return iv, seq, err
}

// AcknowledgeSummons records that the party has seen the summons as it is
// now (a later move asks them again).
func (db *DB) AcknowledgeSummons(ctx context.Context, party string, booking int64, now time.Time) error {
	return Translate(WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		iv, seq, err := partyBooking(ctx, tx, party, booking)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into party_answers (booking_id, party_id, sequence, acknowledged_at) values ($1, $2, $3, $4)
			on conflict (booking_id, party_id) do update set sequence = $3, acknowledged_at = $4`, booking, party, seq, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, auditSQL, now, "party "+party, iv, booking, resources.ActionSummonsAcknowledged, "", nil, nil)
		return err
	}))
}

// ChangeRequest is a party's request for another time: the reason and the
// local dates they cannot attend, which become their unavailability.
type ChangeRequest struct {
	Party   string
	Booking int64
	Reason  string
	Dates   []time.Time // local midnights
	// Proposals are the other times the party proposes (at most three).
	Proposals []resources.TimeProposal
	Now       time.Time
}

// AskOtherTime records a party's request for another time: each date
// becomes an absence of the party (a whole local day), and the booking
// waits in the clerks' "needs attention" list until it is moved.
func (db *DB) AskOtherTime(ctx context.Context, cr ChangeRequest) error {
	return Translate(WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		iv, seq, err := partyBooking(ctx, tx, cr.Party, cr.Booking)
		if err != nil {
			return err
		}
		rid, err := ownerResource(ctx, tx, resources.AbsenceOfParty, cr.Party)
		if err != nil {
			return err
		}
		for _, d := range cr.Dates {
			if _, err := tx.Exec(ctx, `insert into absences (resource_id, during) values ($1, tstzrange($2, $3))`,
				rid, d, d.AddDate(0, 0, 1)); err != nil {
				return err
			}
		}
		proposals := cr.Proposals
		if proposals == nil {
			proposals = []resources.TimeProposal{}
		}
		if _, err := tx.Exec(ctx, `insert into party_answers (booking_id, party_id, sequence, change_reason, change_asked_at, proposals)
			values ($1, $2, $3, $4, $5, $6) on conflict (booking_id, party_id)
			do update set change_reason = $4, change_asked_at = $5, change_handled = false, proposals = $6`,
			cr.Booking, cr.Party, seq, cr.Reason, cr.Now, proposals); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, auditSQL, cr.Now, "party "+cr.Party, iv, cr.Booking, resources.ActionChangeRequested, cr.Reason, nil, nil)
		return err
	}))
}

// NeedsAttention lists the active bookings a clerk must look at, the
// soonest first: the interpreter declined, did not answer in time or
// stepped aside; a party asked for another time (their reasons, and the
// times they propose); or the interpreter is no longer available then (an
// absence, or new hours from the portal) (at most 500).
func (db *DB) NeedsAttention(ctx context.Context, now time.Time) ([]resources.Attention, error) {
	_, loc, err := getSettings(ctx, db.pool)
	if err != nil {
		return nil, Translate(err)
	}
	rows, _ := db.pool.Query(ctx, `with b as (
			select b.*, tstzrange(b.start_at, b.end_at) span,
				b.interpreter_id is null and b.interpreter_status in ('declined', 'expired') released,
				exists (select 1 from party_answers pa where pa.booking_id = b.id and pa.change_asked_at is not null
					and not pa.change_handled) asked,
				b.interpreter_id is not null and exists (select 1 from interpreters t join resource r on r.id = t.resource_id
					where t.id = b.interpreter_id and (
						(r.limited and not exists (select 1 from availability av where av.resource_id = r.id
							and av.during @> tstzrange(b.start_at, b.end_at)))
						or exists (select 1 from absences a where a.resource_id = r.id
							and a.during && tstzrange(b.start_at, b.end_at)))) away
			from bookings b where b.status = 'active' and b.end_at > $1)
		select b.interview_id, b.id, b.start_at, l.name, i.language,
			case when b.released and b.interpreter_status = 'expired' then 'expired'
				when b.released and b.release_reason = 'stepped_aside' then 'stepped_aside'
				when b.released then 'declined'
				when b.asked then 'change_requested'
				else 'no_longer_available' end,
			coalesce((select string_agg(pa.change_reason, '; ')
				from party_answers pa
				where pa.booking_id = b.id and pa.change_asked_at is not null and not pa.change_handled), ''),
			coalesce((select jsonb_agg(p order by pa.party_id, o)
				from party_answers pa cross join jsonb_array_elements(pa.proposals) with ordinality as x(p, o)
				where pa.booking_id = b.id and pa.change_asked_at is not null and not pa.change_handled), '[]')
		from b join interviews i on i.id = b.interview_id join rooms r on r.id = b.room_id
			join locations l on l.id = r.location_id
		where b.released or b.asked or b.away
		order by b.start_at, b.id limit 500`, now)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Attention, error) {
		var a resources.Attention
		var s time.Time
		err := r.Scan(&a.Interview, &a.Booking, &s, &a.Office, &a.Language, &a.Reason, &a.Detail, &a.Proposals)
		if len(a.Proposals) == 0 {
			a.Proposals = nil
		}
		a.Start = s.In(loc).Format(time.RFC3339)
		return a, err
	})
	return out, Translate(err)
}

// Participants lists the people of a booking outside the agency with their
// answers: the interpreter (or the one released) and the parties.
func (db *DB) Participants(ctx context.Context, booking int64) ([]resources.Participant, error) {
	rows, _ := db.pool.Query(ctx, `select 'interpreter', coalesce(b.interpreter_id, b.released_interpreter), t.name,
			case when b.interpreter_id is null then coalesce(b.interpreter_status, '') else coalesce(b.interpreter_status, 'confirmed') end,
			case when b.interpreter_id is null then coalesce(b.release_reason, '') else '' end
		from bookings b left join interpreters t on t.id = coalesce(b.interpreter_id, b.released_interpreter)
		where b.id = $1 and coalesce(b.interpreter_id, b.released_interpreter) is not null
		union all
		select p.kind, p.id, p.name,
			case when pa.change_asked_at is not null and not pa.change_handled then 'change_requested'
				when pa.acknowledged_at is not null and pa.sequence = b.sequence then 'acknowledged' else 'summoned' end,
			coalesce(case when not coalesce(pa.change_handled, true) then pa.change_reason end, '')
		from bookings b join interview_parties ip on ip.interview_id = b.interview_id join parties p on p.id = ip.party_id
			left join party_answers pa on pa.booking_id = b.id and pa.party_id = p.id
		where b.id = $1`, booking)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.Participant, error) {
		var p resources.Participant
		return p, r.Scan(&p.Role, &p.ID, &p.Name, &p.Status, &p.Detail)
	})
	return out, Translate(err)
}
