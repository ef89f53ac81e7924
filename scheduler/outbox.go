package scheduler

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// Outbox delivers the events of the outbox table to a webhook: each as a
// POST of its payload with the headers X-Event (the event name), X-Delivery
// (the event's id: the receiver's key against duplicates; delivery is at
// least once) and X-Signature: sha256=<hex HMAC-SHA256 of the body with the
// shared secret>. A 2xx answer marks it delivered; anything else is retried
// with exponential back-off.
type Outbox struct {
	db     *postgres.DB
	log    *slog.Logger
	now    func() time.Time
	URL    string
	Secret []byte
	Client *http.Client
	// Poll is the pause between passes when nothing is due (default 2 s).
	Poll time.Duration
	// BaseBackoff is the wait after the first failure (default 10 s); it
	// doubles with every further failure up to MaxBackoff (default 1 h).
	BaseBackoff, MaxBackoff time.Duration
	// Batch bounds the events of one pass (default 100).
	Batch int
}

// NewOutbox returns a worker delivering to webhook url, signing with secret.
func NewOutbox(db *postgres.DB, log *slog.Logger, now func() time.Time, url string, secret []byte) *Outbox {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	return &Outbox{db: db, log: log, now: now, URL: url, Secret: secret, Client: &http.Client{Timeout: 10 * time.Second},
		Poll: 2 * time.Second, BaseBackoff: 10 * time.Second, MaxBackoff: time.Hour, Batch: 100}
}

// Sign returns the X-Signature value of body: sha256=<hex HMAC-SHA256>.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's signature with secret (for
// receivers, and tests), in constant time.
func Verify(secret, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// Backoff is the wait before the next attempt after the attempts-th failure:
// BaseBackoff doubled for each failure after the first, at most MaxBackoff.
func (o *Outbox) Backoff(attempts int) time.Duration {
	base, limit := o.BaseBackoff, o.MaxBackoff
	if base <= 0 {
		base = 10 * time.Second
	}
	if limit <= 0 {
		limit = time.Hour
	}
	d := base
	for i := 1; i < attempts; i++ {
		d *= 2
		if d >= limit {
			return limit
		}
	}
	return min(d, limit)
}

// DeliverDue delivers the events that are due, at most Batch of them, and
// reports how many were delivered and how many failed.
func (o *Outbox) DeliverDue(ctx context.Context) (delivered, failed int, err error) {
	if o.URL == "" {
		return 0, 0, errors.New("outbox: no webhook URL configured")
	}
	batch := o.Batch
	if batch <= 0 {
		batch = 100
	}
	for range batch {
		found, sendErr, err := o.db.DeliverNext(ctx, o.now(), o.send, o.Backoff)
		if err != nil {
			return delivered, failed, err
		}
		if !found {
			break
		}
		if sendErr != nil {
			failed++
		} else {
			delivered++
		}
	}
	return delivered, failed, nil
}

// Run delivers due events until ctx is cancelled.
func (o *Outbox) Run(ctx context.Context) {
	poll := o.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	for {
		d, f, err := o.DeliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			o.log.Error("outbox: delivery pass", "error", err.Error())
		}
		if d+f > 0 {
			o.log.Info("outbox: delivery pass", "delivered", d, "failed", f)
		}
		if d+f > 0 && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}

func (o *Outbox) send(ctx context.Context, e resources.OutboxEvent) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(e.Payload))
	if err != nil {
		return fmt.Errorf("bad webhook URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "interviewd-outbox/1")
	req.Header.Set("X-Event", e.Event)
	req.Header.Set("X-Delivery", strconv.FormatInt(e.ID, 10))
	req.Header.Set("X-Signature", Sign(o.Secret, e.Payload))
	client := o.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// The URL may carry a credential: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook not reached: %v", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}
