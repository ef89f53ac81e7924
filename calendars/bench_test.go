package calendars

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// interpreterFeed is a busy interpreter's feed: n bookings, two a working
// day from 25 days back onwards, in four languages and all three modes, one
// in twenty cancelled.
func interpreterFeed(n int) Feed {
	f := Feed{Name: "Interpreter 5521 · interviews"}
	langs := []string{"ar-IQ", "fa-AF", "so", "ti"}
	modes := []string{ModeOnsite, ModeRemote, ModeOnsite, ModeNone}
	day := time.Date(2027, 2, 23, 0, 0, 0, 0, helsinki) // testNow - 25 days
	for i := 0; len(f.Events) < n; i++ {
		d := day.AddDate(0, 0, i/2)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		start := d.Add(time.Duration(8+5*(i%2))*time.Hour + 30*time.Minute)
		e := Event{
			UID:       fmt.Sprintf("booking-%d@interviews.example", 10000+i),
			Sequence:  i % 3,
			Updated:   testNow.Add(-time.Duration(i) * time.Hour),
			Start:     start,
			End:       start.Add(2 * time.Hour),
			Status:    StatusConfirmed,
			Language:  langs[i%len(langs)],
			Mode:      modes[i%len(modes)],
			Office:    "Helsinki",
			Room:      fmt.Sprintf("HEL-R%02d", i%7),
			Reference: fmt.Sprintf("IV-%05X", 0x3A000+i*37),
			JoinInfo:  "https://meet.example/j/" + fmt.Sprint(480000+i) + " · PIN 5521",
		}
		if i%20 == 19 {
			e.Status = StatusCancelled
		}
		f.Events = append(f.Events, e)
	}
	return f
}

func BenchmarkRender(b *testing.B) {
	f := interpreterFeed(200)
	body := mustRender(b, f, testNow)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(f, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(uidsInBody(body))), "events")
}

// sink is a ResponseWriter that keeps nothing, to time ServeFeed alone.
type sink struct {
	h    http.Header
	code int
	n    int
}

func (s *sink) Header() http.Header         { return s.h }
func (s *sink) WriteHeader(code int)        { s.code = code }
func (s *sink) Write(p []byte) (int, error) { s.n += len(p); return len(p), nil }

// BenchmarkServeFeed times ServeFeed alone (ETag, conditionals, copying the
// body) for the 200-booking feed, answering 304 or 200.
func BenchmarkServeFeed(b *testing.B) {
	f := interpreterFeed(200)
	body := mustRender(b, f, testNow)
	lastMod := LastModified(f, testNow)
	for _, tt := range []struct {
		name        string
		ifNoneMatch string
		want        int
	}{
		{"304", ETag(body), http.StatusNotModified},
		{"200", "", http.StatusOK},
	} {
		b.Run(tt.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/feeds/token.ics", nil)
			if tt.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", tt.ifNoneMatch)
			}
			w := &sink{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.code, w.n = http.StatusOK, 0
				ServeFeed(w, req, body, lastMod)
			}
			if w.code != tt.want {
				b.Fatalf("status %d, want %d", w.code, tt.want)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(w.n), "body-bytes")
		})
	}
}

// BenchmarkFeedOverHTTP is the feed endpoint end to end on loopback: each
// request renders the 200-booking feed from its events (as the REST server
// will, without a cache), then ServeFeed answers 304 or the full body.
func BenchmarkFeedOverHTTP(b *testing.B) {
	h := &feedHandler{feed: interpreterFeed(200), now: testNow}
	srv := httptest.NewServer(h)
	defer srv.Close()
	etag := ETag(mustRender(b, h.feed, testNow))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	for _, tt := range []struct {
		name        string
		ifNoneMatch string
		want        int
	}{
		{"304", etag, http.StatusNotModified},
		{"200", "", http.StatusOK},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodGet, srv.URL+"/feeds/token.ics", nil)
					if tt.ifNoneMatch != "" {
						req.Header.Set("If-None-Match", tt.ifNoneMatch)
					}
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != tt.want {
						b.Errorf("status %d, want %d", resp.StatusCode, tt.want)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

func BenchmarkBusy(b *testing.B) {
	data := busySeeds()[0]
	from, to := ts("2027-03-01T00:00:00Z"), ts("2027-06-01T00:00:00Z")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Busy(data, from, to, helsinki); err != nil {
			b.Fatal(err)
		}
	}
}
