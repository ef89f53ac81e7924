package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// Calendar feeds (issue 5): feed tokens and what a feed shows. The feed
// itself is rendered by package calendars; this file only reads and writes
// rows.

// feedTokenPrefix marks feed tokens, so that a leaked one is recognisable.
const feedTokenPrefix = "ivf_"

// feedOwnerTables maps an owner kind to the table that holds its ids.
var feedOwnerTables = map[string]string{
	resources.FeedInterpreter: "interpreters",
	resources.FeedInterviewer: "interviewers",
	resources.FeedRoom:        "rooms",
	resources.FeedOffice:      "locations",
}

func newFeedSecret() (string, []byte, error) {
	var b [32]byte // 256 bits
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token := feedTokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	h := sha256.Sum256([]byte(token))
	return token, h[:], nil
}

// feedOwnerExists checks that the owner of a feed exists.
func feedOwnerExists(ctx context.Context, q querier, kind, id string) error {
	table, ok := feedOwnerTables[kind]
	if !ok {
		return errs.Field("owner_kind", "owner_kind must be interpreter, interviewer, room or office")
	}
	if strings.TrimSpace(id) == "" {
		return errs.Field("owner_id", "owner_id must not be empty")
	}
	var exists bool
	if err := q.QueryRow(ctx, `select exists (select 1 from `+table+` where id = $1)`, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return errs.E(errs.NotFound, "%s %q not found", kind, id)
	}
	return nil
}

// feedOwnerErased refuses a calendar link for an interpreter or
// interviewer whose data was erased (erasedPerson): they get no new way to
// be read. The person's row stays locked until the link is made, so a link
// made meanwhile is either seen and revoked by the erasure or waits for it
// and is refused.
func feedOwnerErased(ctx context.Context, q querier, kind, id string) error {
	if kind != resources.FeedInterpreter && kind != resources.FeedInterviewer {
		return nil
	}
	e, err := erasedPerson(ctx, q, kind, id, true)
	if err != nil || e == nil {
		return err
	}
	return errs.E(errs.Conflict, "the data of %s %s was erased (erasure %d): it gets no calendar link", kind, id, e.ID)
}

const feedTokenSelect = `select id, owner_kind, owner_id, created_by, created_at, rotated_at, last_used_at from feed_tokens`

func scanFeedToken(r pgx.Row) (resources.FeedToken, error) {
	var f resources.FeedToken
	var created time.Time
	var rotated, used *time.Time
	err := r.Scan(&f.ID, &f.OwnerKind, &f.OwnerID, &f.CreatedBy, &created, &rotated, &used)
	f.CreatedAt = created.UTC().Format(time.RFC3339)
	f.RotatedAt, f.LastUsedAt = fmtTime(rotated), fmtTime(used)
	return f, err
}

// CreateFeedToken makes a feed token for an owner (interpreter, interviewer,
// room or office). The token is returned once; only its SHA-256 is stored.
// A person whose data was erased gets none (conflict).
func (db *DB) CreateFeedToken(ctx context.Context, kind, ownerID, actor string) (string, *resources.FeedToken, error) {
	token, hash, err := newFeedSecret()
	if err != nil {
		return "", nil, err
	}
	var out resources.FeedToken
	err = WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if err := feedOwnerExists(ctx, tx, kind, ownerID); err != nil {
			return err
		}
		if err := feedOwnerErased(ctx, tx, kind, ownerID); err != nil {
			return err
		}
		out, err = scanFeedToken(tx.QueryRow(ctx, `insert into feed_tokens (owner_kind, owner_id, hash, created_by, created_at)
			values ($1, $2, $3, $4, $5) returning id, owner_kind, owner_id, created_by, created_at, rotated_at, last_used_at`,
			kind, ownerID, hash, actor, db.now()))
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, &out, nil
}

// FeedTokens lists the live feed tokens, by id; kind and ownerID filter
// when not empty.
func (db *DB) FeedTokens(ctx context.Context, kind, ownerID string) ([]resources.FeedToken, error) {
	if _, ok := feedOwnerTables[kind]; kind != "" && !ok {
		return nil, errs.Field("owner_kind", "owner_kind must be interpreter, interviewer, room or office")
	}
	rows, _ := db.pool.Query(ctx, feedTokenSelect+` where revoked_at is null
		and ($1 = '' or owner_kind = $1) and ($2 = '' or owner_id = $2) order by id`, kind, ownerID)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.FeedToken, error) { return scanFeedToken(r) })
	if out == nil {
		out = []resources.FeedToken{}
	}
	return out, Translate(err)
}

// RotateFeedToken gives a live feed a new token: the old one stops working at once.
func (db *DB) RotateFeedToken(ctx context.Context, id int64) (string, *resources.FeedToken, error) {
	token, hash, err := newFeedSecret()
	if err != nil {
		return "", nil, err
	}
	f, err := scanFeedToken(db.pool.QueryRow(ctx, `update feed_tokens set hash = $2, rotated_at = $3
		where id = $1 and revoked_at is null
		returning id, owner_kind, owner_id, created_by, created_at, rotated_at, last_used_at`, id, hash, db.now()))
	if err == pgx.ErrNoRows {
		return "", nil, errs.E(errs.NotFound, "feed %d not found or revoked", id)
	}
	if err != nil {
		return "", nil, Translate(err)
	}
	return token, &f, nil
}

// RevokeFeedToken revokes a feed: its URL answers 404 from now on.
func (db *DB) RevokeFeedToken(ctx context.Context, id int64) error {
	tag, err := db.pool.Exec(ctx, `update feed_tokens set revoked_at = $2 where id = $1 and revoked_at is null`, id, db.now())
	if err != nil {
		return Translate(err)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "feed %d not found or already revoked", id)
	}
	return nil
}

// FeedByToken finds the live feed of token, with the state version, in one
// round trip. An unknown, malformed or revoked token is not_found.
func (db *DB) FeedByToken(ctx context.Context, token string) (*resources.FeedLookup, error) {
	notFound := errs.E(errs.NotFound, "no such feed")
	if !strings.HasPrefix(token, feedTokenPrefix) || len(token) != len(feedTokenPrefix)+43 {
		return nil, notFound
	}
	want := sha256.Sum256([]byte(token))
	var f resources.FeedLookup
	var hash []byte
	var etag *string
	var changed, used *time.Time
	err := db.pool.QueryRow(ctx, `select f.id, f.owner_kind, f.owner_id, f.hash, f.body_etag, f.changed_at, f.last_used_at,
			(select version from state_version)
		from feed_tokens f where f.hash = $1 and f.revoked_at is null`, want[:]).
		Scan(&f.ID, &f.OwnerKind, &f.OwnerID, &hash, &etag, &changed, &used, &f.StateVersion)
	if err == pgx.ErrNoRows {
		return nil, notFound
	}
	if err != nil {
		return nil, Translate(err)
	}
	// The index found the row by its hash; compare again in constant time,
	// so that no timing of ours depends on how much of a guess was right.
	if subtle.ConstantTimeCompare(hash, want[:]) != 1 {
		return nil, notFound
	}
	f.BodyETag = str(etag)
	if changed != nil {
		f.ChangedAt = *changed
	}
	if now := db.now(); used == nil || now.Sub(*used) > time.Hour {
		// Recorded at most once an hour: feeds are polled, and a 304 should
		// cost no write.
		if _, err := db.pool.Exec(ctx, `update feed_tokens set last_used_at = $2 where id = $1`, f.ID, now); err != nil {
			return nil, Translate(err)
		}
	}
	return &f, nil
}

// FeedBodyChanged records that feed id now serves a body with etag, and
// returns when that body first appeared: at, unless another request (or
// replica) recorded the same body before.
func (db *DB) FeedBodyChanged(ctx context.Context, id int64, etag string, at time.Time) (time.Time, error) {
	var changed time.Time
	err := db.pool.QueryRow(ctx, `with u as (
			update feed_tokens set body_etag = $2, changed_at = $3
			where id = $1 and body_etag is distinct from $2 returning changed_at)
		select changed_at from u union all
		select changed_at from feed_tokens where id = $1 and body_etag = $2 and not exists (select 1 from u)`,
		id, etag, at).Scan(&changed)
	if err == pgx.ErrNoRows {
		return at, nil
	}
	return changed, Translate(err)
}

// FeedData reads the bookings of a feed's owner in the window (and, for
// staff feeds, the live holds at now), with the state version of the same
// snapshot. An owner that does not exist is not_found.
func (db *DB) FeedData(ctx context.Context, kind, ownerID string, w resources.FeedWindow, now time.Time) (*resources.FeedData, error) {
	var cond, holdCond string
	switch kind {
	case resources.FeedInterpreter:
		cond = `b.interpreter_id = $1`
	case resources.FeedInterviewer:
		cond, holdCond = `b.interviewer_id = $1`, `h.interviewer_id = $1`
	case resources.FeedRoom:
		cond, holdCond = `b.room_id = $1`, `h.room_id = $1`
	case resources.FeedOffice:
		cond, holdCond = `r.location_id = $1`, `r.location_id = $1`
	default:
		return nil, errs.E(errs.NotFound, "no such feed")
	}
	out := &resources.FeedData{OwnerLabel: ownerID}
	err := WithTx(ctx, db.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `select version from state_version`).Scan(&out.StateVersion); err != nil {
			return err
		}
		if err := feedOwnerExists(ctx, tx, kind, ownerID); err != nil {
			return err
		}
		if kind == resources.FeedOffice {
			if err := tx.QueryRow(ctx, `select name from locations where id = $1`, ownerID).Scan(&out.OwnerLabel); err != nil {
				return err
			}
		}
		rows, _ := tx.Query(ctx, `select b.id, b.sequence, b.updated_at, b.start_at, b.end_at, b.status, i.language, b.mode,
				l.name, b.room_id, b.interview_id
			from bookings b join interviews i on i.id = b.interview_id
				join rooms r on r.id = b.room_id join locations l on l.id = r.location_id
			where `+cond+` and b.end_at > $2 and b.start_at < $3 and (b.status <> 'cancelled' or b.updated_at > $4)
			order by b.id`, ownerID, w.From, w.To, w.CancelledAfter)
		items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.FeedItem, error) {
			var it resources.FeedItem
			err := r.Scan(&it.ID, &it.Sequence, &it.Updated, &it.Start, &it.End, &it.Status, &it.Language, &it.Mode,
				&it.Office, &it.Room, &it.Interview)
			return it, err
		})
		if err != nil {
			return err
		}
		out.Items = items
		gone, err := movedAway(ctx, tx, kind, ownerID, w)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, gone...)
		if holdCond == "" {
			return nil // holds are never shown to interpreters
		}
		rows, _ = tx.Query(ctx, `select h.id, h.created_at, h.start_at, h.end_at, i.language, h.mode, l.name, h.room_id,
				h.interview_id, h.expires_at
			from holds h join interviews i on i.id = h.interview_id
				join rooms r on r.id = h.room_id join locations l on l.id = r.location_id
			where `+holdCond+` and h.expires_at > $4 and h.end_at > $2 and h.start_at < $3
			order by h.id`, ownerID, w.From, w.To, now)
		holds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.FeedItem, error) {
			it := resources.FeedItem{Hold: true, Status: "held"}
			err := r.Scan(&it.ID, &it.Updated, &it.Start, &it.End, &it.Language, &it.Mode, &it.Office, &it.Room,
				&it.Interview, &it.Expires)
			return it, err
		})
		if err != nil {
			return err
		}
		out.Items = append(out.Items, holds...)
		return nil
	}, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// movedAway lists the bookings that a change moved away from the owner (to
// another interpreter, interviewer, room or office) within the cancelled
// keep window, as the owner last saw them and marked cancelled: the owner's
// calendar shows them CANCELLED (same UID, the booking's newer sequence)
// for as long as a cancellation, then they drop out. The audit trail keeps
// each move's before and after.
func movedAway(ctx context.Context, tx pgx.Tx, kind, ownerID string, w resources.FeedWindow) ([]resources.FeedItem, error) {
	var was, still string
	switch kind {
	case resources.FeedInterpreter:
		was, still = `a.before->>'interpreter' = $1`, `coalesce(b.interpreter_id, '') = $1`
	case resources.FeedInterviewer:
		was, still = `a.before->>'interviewer' = $1`, `b.interviewer_id = $1`
	case resources.FeedRoom:
		was, still = `a.before->>'room' = $1`, `b.room_id = $1`
	case resources.FeedOffice:
		was, still = `r.location_id = $1`, `(select location_id from rooms where id = b.room_id) = $1`
	default:
		return nil, nil
	}
	rows, _ := tx.Query(ctx, `select distinct on (b.id) b.id, b.sequence, a.at, (a.before->>'start')::timestamptz,
			(a.before->>'end')::timestamptz, i.language, a.before->>'mode', l.name, a.before->>'room', b.interview_id
		from audit_log a join bookings b on b.id = a.booking_id join interviews i on i.id = b.interview_id
			join rooms r on r.id = a.before->>'room' join locations l on l.id = r.location_id
		where a.action in ('rescheduled', 'interpreter_released') and a.at > $4 and `+was+` and not (`+still+`)
			and (a.before->>'end')::timestamptz > $2 and (a.before->>'start')::timestamptz < $3
		order by b.id, a.at desc`, ownerID, w.From, w.To, w.CancelledAfter)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (resources.FeedItem, error) {
		it := resources.FeedItem{Status: "cancelled"}
		err := r.Scan(&it.ID, &it.Sequence, &it.Updated, &it.Start, &it.End, &it.Language, &it.Mode, &it.Office, &it.Room, &it.Interview)
		return it, err
	})
}
