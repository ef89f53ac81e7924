package calendars

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// calendarServer serves a calendar with ServeFeed (so conditional requests
// are answered as our own feeds answer them) and records what it was asked.
type calendarServer struct {
	mu      sync.Mutex
	body    []byte
	lastMod time.Time
	noETag  bool
	seen    []http.Header
}

func (s *calendarServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, r.Header.Clone())
	body, lastMod, noETag := s.body, s.lastMod, s.noETag
	s.mu.Unlock()
	if noETag {
		w.Header().Set("Content-Type", "text/calendar")
		http.ServeContent(w, r, "", lastMod, bytes.NewReader(body))
		return
	}
	ServeFeed(w, r, body, lastMod)
}

func (s *calendarServer) lastRequest() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[len(s.seen)-1]
}

func TestFetchConditional(t *testing.T) {
	cal := &calendarServer{body: ics("BEGIN:VEVENT\nUID:a\nDTSTART:20270310T100000Z\nDTEND:20270310T110000Z\nEND:VEVENT"), lastMod: testNow}
	srv := httptest.NewServer(cal)
	defer srv.Close()
	ctx := t.Context()
	url := srv.URL + "/private/secret-token/basic.ics"

	first, err := Fetch(ctx, srv.Client(), url, FetchState{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || !bytes.Equal(first.Body, cal.body) {
		t.Fatalf("first fetch: NotModified %v, body equal %v", first.NotModified, bytes.Equal(first.Body, cal.body))
	}
	if first.State.ETag != ETag(cal.body) || first.State.LastModified != testNow.Format(http.TimeFormat) {
		t.Errorf("state %+v", first.State)
	}
	if h := cal.lastRequest(); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Errorf("first fetch was conditional: %v", h)
	}

	second, err := Fetch(ctx, srv.Client(), url, first.State)
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || len(second.Body) != 0 || second.State != first.State {
		t.Errorf("unchanged: NotModified %v, %d bytes, state %+v", second.NotModified, len(second.Body), second.State)
	}
	if h := cal.lastRequest(); h.Get("If-None-Match") != first.State.ETag || h.Get("If-Modified-Since") != first.State.LastModified {
		t.Errorf("second fetch sent If-None-Match %q, If-Modified-Since %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}

	// A server without ETags: If-Modified-Since alone gets the 304.
	cal.mu.Lock()
	cal.noETag = true
	cal.mu.Unlock()
	third, err := Fetch(ctx, srv.Client(), url, FetchState{LastModified: first.State.LastModified})
	if err != nil || !third.NotModified {
		t.Errorf("If-Modified-Since only: NotModified %v, err %v", third.NotModified, err)
	}

	// A change: 200, the new body, a new state.
	cal.mu.Lock()
	cal.noETag = false
	cal.body = ics("BEGIN:VEVENT\nUID:a\nDTSTART:20270311T100000Z\nDTEND:20270311T110000Z\nEND:VEVENT")
	cal.lastMod = testNow.Add(time.Hour)
	cal.mu.Unlock()
	fourth, err := Fetch(ctx, srv.Client(), url, first.State)
	if err != nil {
		t.Fatal(err)
	}
	if fourth.NotModified || !bytes.Equal(fourth.Body, cal.body) || fourth.State.ETag == first.State.ETag {
		t.Errorf("changed: NotModified %v, body equal %v, ETag %q (was %q)", fourth.NotModified, bytes.Equal(fourth.Body, cal.body), fourth.State.ETag, first.State.ETag)
	}
	got, err := Busy(fourth.Body, ts("2027-03-01T00:00:00Z"), ts("2027-04-01T00:00:00Z"), helsinki)
	if err != nil || !sameIntervals(got, []Interval{iv("2027-03-11T10:00:00Z", "2027-03-11T11:00:00Z")}) {
		t.Errorf("Busy of the fetched calendar = %v, %v", got, err)
	}
}

func TestFetchWebcalOverTLS(t *testing.T) {
	cal := &calendarServer{body: ics(""), lastMod: testNow}
	srv := httptest.NewTLSServer(cal)
	defer srv.Close()
	url := "webcal://" + strings.TrimPrefix(srv.URL, "https://") + "/cal.ics"
	res, err := Fetch(t.Context(), srv.Client(), url, FetchState{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Body, cal.body) {
		t.Error("webcal:// did not fetch the calendar over https")
	}
}

func TestFetchFailures(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	mux := http.NewServeMux()
	mux.HandleFunc("/missing/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/broken/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/big/", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 2000)) })
	mux.HandleFunc("/chunked/", func(w http.ResponseWriter, r *http.Request) {
		for range 4 {
			w.Write(make([]byte, 600))
			w.(http.Flusher).Flush()
		}
	})
	release := make(chan struct{})
	mux.HandleFunc("/slow/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)
	closed := httptest.NewServer(mux)
	closedURL := closed.URL
	closed.Close()

	tests := []struct {
		name    string
		url     string
		timeout time.Duration
		max     int64
		want    string
	}{
		{"404", srv.URL + "/missing/" + secret, time.Second, 1000, "server answered 404 Not Found"},
		{"500", srv.URL + "/broken/" + secret, time.Second, 1000, "server answered 500"},
		{"too big by Content-Length", srv.URL + "/big/" + secret, time.Second, 1000, "calendar is 2000 bytes, more than the limit of 1000"},
		{"too big, chunked", srv.URL + "/chunked/" + secret, time.Second, 1000, "more than the limit of 1000 bytes"},
		{"timeout", srv.URL + "/slow/" + secret, 100 * time.Millisecond, 1000, "deadline exceeded"},
		{"connection refused", closedURL + "/" + secret, time.Second, 1000, "connection refused"},
		{"unsupported scheme", "ftp://example.com/" + secret, time.Second, 1000, `unsupported URL scheme "ftp"`},
		{"no host", "https:///" + secret, time.Second, 1000, "has no host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, err := fetch(t.Context(), srv.Client(), tt.url, FetchState{}, tt.timeout, tt.max)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks the URL's secret: %v", err)
			}
			if res.Body != nil || res.NotModified {
				t.Errorf("result %+v with an error", res)
			}
			if tt.name == "timeout" && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("timeout error %v does not wrap context.DeadlineExceeded", err)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}

	t.Run("the exported limits", func(t *testing.T) {
		huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, MaxFetchBytes+1))
		}))
		defer huge.Close()
		_, err := Fetch(t.Context(), huge.Client(), huge.URL, FetchState{})
		if err == nil || !strings.Contains(err.Error(), "more than the limit") {
			t.Fatalf("err = %v, want the size limit", err)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := Fetch(ctx, srv.Client(), srv.URL+"/slow/x", FetchState{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want cancellation", err)
		}
	})
}
