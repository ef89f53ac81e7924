package calendars

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// ContentType is the media type of a feed.
const ContentType = "text/calendar; charset=utf-8"

// ETag is the feed's strong entity tag: a quoted, truncated SHA-256 of the body.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"sha256-` + hex.EncodeToString(sum[:16]) + `"`
}

// ServeFeed writes body with Content-Type text/calendar; charset=utf-8, a strong
// ETag, Last-Modified (lastMod; none when zero) and Cache-Control, and answers
// If-None-Match / If-Modified-Since with 304 and HEAD without a body (RFC 9110
// conditional requests, as implemented by http.ServeContent: If-None-Match
// wins over If-Modified-Since; byte ranges are honoured too). Other methods get
// 405.
func ServeFeed(w http.ResponseWriter, r *http.Request, body []byte, lastMod time.Time) {
	h := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h.Set("Content-Type", ContentType)
	h.Set("ETag", ETag(body))
	// A feed is personal (its URL is the secret): no shared caches, and every
	// client copy is revalidated, which costs a 304 when nothing changed.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if !lastMod.IsZero() {
		lastMod = lastMod.UTC().Truncate(time.Second)
	}
	http.ServeContent(w, r, "", lastMod, bytes.NewReader(body))
}
