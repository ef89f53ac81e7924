package importer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/calendars"
)

func TestAddrAllowed(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::1": false, "fe80::1": false,
		"fd00::1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "224.0.0.1": false,
		"64:ff9b::a00:1": false, "8.8.8.8": true, "2606:4700::1111": true, "::ffff:8.8.8.8": true,
	} {
		if got := AddrAllowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("AddrAllowed(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestSafeClientRefusesLoopbackAlsoAfterARedirect(t *testing.T) {
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
	}))
	defer inner.Close()
	_, err := calendars.Fetch(context.Background(), SafeClient(nil), inner.URL+"/cal.ics", calendars.FetchState{})
	if err == nil || !strings.Contains(err.Error(), "not a public internet address") {
		t.Fatalf("fetch from loopback: %v", err)
	}
	// A check that allows loopback only for the first server: the redirect to
	// the second is refused at connection time.
	innerAddr := netip.MustParseAddrPort(strings.TrimPrefix(inner.URL, "http://"))
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/cal.ics", http.StatusFound)
	}))
	defer outer.Close()
	allowed := 0
	c := SafeClient(func(_ string, a netip.Addr) bool { allowed++; return allowed == 1 })
	_, err = calendars.Fetch(context.Background(), c, outer.URL, calendars.FetchState{})
	if err == nil || !strings.Contains(err.Error(), "not a public internet address") {
		t.Fatalf("redirect to %s: %v", innerAddr, err)
	}
}

func TestWindow(t *testing.T) {
	hel, _ := time.LoadLocation("Europe/Helsinki")
	now := time.Date(2027, 3, 20, 23, 30, 0, 0, time.UTC) // 01:30 on the 21st in Helsinki
	from, to := Window(now, hel, "")
	if want := time.Date(2027, 3, 21, 0, 0, 0, 0, hel); !from.Equal(want) {
		t.Errorf("from %s, want %s", from, want)
	}
	if !to.Equal(from.Add(Ahead)) {
		t.Errorf("to %s, want %s", to, from.Add(Ahead))
	}
	_, to = Window(now, hel, "2028-01-31")
	if want := time.Date(2028, 2, 1, 0, 0, 0, 0, hel); !to.Equal(want) {
		t.Errorf("to %s with a long horizon, want %s", to, want)
	}
	_, to = Window(now, hel, "2099-01-01")
	if !to.Equal(from.Add(MaxAhead)) {
		t.Errorf("to %s with an absurd horizon, want at most %s", to, from.Add(MaxAhead))
	}
}
