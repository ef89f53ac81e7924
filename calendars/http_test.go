package calendars

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// feedHandler serves one feed the way the REST server will: render the
// current state, then ServeFeed.
type feedHandler struct {
	mu   sync.Mutex
	feed Feed
	now  time.Time
}

func (h *feedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	f, now := h.feed, h.now
	h.mu.Unlock()
	body, err := Render(f, now)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ServeFeed(w, r, body, LastModified(f, now))
}

func (h *feedHandler) set(f Feed) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.feed = f
}

type answer struct {
	status int
	header http.Header
	body   string
}

func request(t *testing.T, url, method string, header map[string]string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func TestServeFeed(t *testing.T) {
	h := &feedHandler{feed: sampleFeed(), now: testNow}
	srv := httptest.NewServer(h)
	defer srv.Close()
	url := srv.URL + "/feeds/token.ics"

	body := string(mustRender(t, h.feed, testNow))
	etag := ETag([]byte(body))
	lastMod := LastModified(h.feed, testNow).Format(http.TimeFormat)

	first := request(t, url, http.MethodGet, nil)
	if first.status != http.StatusOK || first.body != body {
		t.Fatalf("GET: %d, body equal to Render: %v", first.status, first.body == body)
	}
	for k, want := range map[string]string{
		"Content-Type":   "text/calendar; charset=utf-8",
		"Etag":           etag,
		"Last-Modified":  lastMod,
		"Cache-Control":  "private, no-cache",
		"Content-Length": strconv.Itoa(len(body)),
	} {
		if got := first.header.Get(k); got != want {
			t.Errorf("GET %s = %q, want %q", k, got, want)
		}
	}

	lmTime, _ := http.ParseTime(lastMod)
	tests := []struct {
		name       string
		method     string
		header     map[string]string
		wantStatus int
		wantBody   bool
	}{
		{"If-None-Match with the ETag", "GET", map[string]string{"If-None-Match": etag}, 304, false},
		{"If-None-Match in a list", "GET", map[string]string{"If-None-Match": `"other", ` + etag}, 304, false},
		{"If-None-Match weak form of the ETag", "GET", map[string]string{"If-None-Match": "W/" + etag}, 304, false},
		{"If-None-Match star", "GET", map[string]string{"If-None-Match": "*"}, 304, false},
		{"If-None-Match with another ETag", "GET", map[string]string{"If-None-Match": `"sha256-00"`}, 200, true},
		{"If-Modified-Since equal to Last-Modified", "GET", map[string]string{"If-Modified-Since": lastMod}, 304, false},
		{"If-Modified-Since later", "GET", map[string]string{"If-Modified-Since": lmTime.Add(time.Hour).Format(http.TimeFormat)}, 304, false},
		{"If-Modified-Since earlier", "GET", map[string]string{"If-Modified-Since": lmTime.Add(-time.Second).Format(http.TimeFormat)}, 200, true},
		{"If-None-Match wins over If-Modified-Since", "GET", map[string]string{"If-None-Match": `"sha256-00"`, "If-Modified-Since": lastMod}, 200, true},
		{"HEAD", "HEAD", nil, 200, false},
		{"HEAD with If-None-Match", "HEAD", map[string]string{"If-None-Match": etag}, 304, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := request(t, url, tt.method, tt.header)
			if a.status != tt.wantStatus {
				t.Fatalf("status %d, want %d", a.status, tt.wantStatus)
			}
			if tt.wantBody && a.body != body {
				t.Errorf("body is not the feed (%d bytes)", len(a.body))
			}
			if !tt.wantBody && a.body != "" {
				t.Errorf("body of %d bytes, want none", len(a.body))
			}
			if a.header.Get("Etag") != etag {
				t.Errorf("ETag %q, want %q", a.header.Get("Etag"), etag)
			}
			if tt.method == "HEAD" && tt.wantStatus == 200 && a.header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("HEAD Content-Length %q, want %d", a.header.Get("Content-Length"), len(body))
			}
		})
	}

	t.Run("POST is not allowed", func(t *testing.T) {
		a := request(t, url, http.MethodPost, nil)
		if a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST: %d, Allow %q", a.status, a.header.Get("Allow"))
		}
	})

	t.Run("after a change: 200 with a new ETag", func(t *testing.T) {
		f := sampleFeed()
		f.Events[0].Start = at(helsinki, 2027, 3, 28, 9, 30)
		f.Events[0].End = at(helsinki, 2027, 3, 28, 11, 30)
		f.Events[0].Sequence++
		f.Events[0].Updated = testNow.Add(-time.Minute)
		h.set(f)
		a := request(t, url, http.MethodGet, map[string]string{"If-None-Match": etag, "If-Modified-Since": lastMod})
		if a.status != http.StatusOK {
			t.Fatalf("status %d, want 200", a.status)
		}
		if a.header.Get("Etag") == etag || a.header.Get("Etag") != ETag([]byte(a.body)) {
			t.Errorf("ETag %q after the change (was %q)", a.header.Get("Etag"), etag)
		}
		if !strings.Contains(a.body, "DTSTART:20270328T063000Z") {
			t.Error("the new body lacks the new start time")
		}
		if a.header.Get("Last-Modified") == lastMod {
			t.Error("Last-Modified did not move")
		}
		// And the new ETag gets its 304.
		if b := request(t, url, http.MethodGet, map[string]string{"If-None-Match": a.header.Get("Etag")}); b.status != http.StatusNotModified {
			t.Errorf("new ETag: status %d, want 304", b.status)
		}
	})
}

func TestServeFeedWithoutLastModified(t *testing.T) {
	body := mustRender(t, Feed{Name: "Empty"}, testNow)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/feeds/x.ics", nil)
	req.Header.Set("If-Modified-Since", testNow.Format(http.TimeFormat))
	ServeFeed(rec, req, body, time.Time{})
	if rec.Code != http.StatusOK || rec.Body.String() != string(body) {
		t.Fatalf("status %d; without a Last-Modified, If-Modified-Since must not give 304", rec.Code)
	}
	if v := rec.Header().Get("Last-Modified"); v != "" {
		t.Errorf("Last-Modified %q, want none", v)
	}
}
