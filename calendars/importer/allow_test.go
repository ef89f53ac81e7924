package importer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
)

func TestParseAllowList(t *testing.T) {
	l, err := ParseAllowList("cal.agency.example, 10.20.0.0/16 127.0.0.1 fd00::/8")
	require.NoError(t, err)
	for _, tt := range []struct {
		host, ip string
		want     bool
	}{
		{"8.8.8.8", "8.8.8.8", true}, // public: always
		{"x.example", "10.20.3.4", true},
		{"x.example", "10.21.0.1", false}, // private, outside the range
		{"x.example", "127.0.0.1", true},
		{"x.example", "127.0.0.2", false}, // a bare address is only itself
		{"x.example", "::ffff:127.0.0.1", true},
		{"x.example", "fd12::1", true},
		{"CAL.Agency.Example.", "192.168.7.7", true}, // a listed name reaches its private address
		{"other.agency.example", "192.168.7.7", false},
	} {
		require.Equal(t, tt.want, l.Allows(tt.host, netip.MustParseAddr(tt.ip)), "%s at %s", tt.host, tt.ip)
	}
	for _, bad := range []string{"not a host!", "10.0.0.0/33", "-bad.example", "a..b"} {
		_, err := ParseAllowList(bad)
		require.Error(t, err, bad)
	}
	empty, err := ParseAllowList("")
	require.NoError(t, err)
	require.False(t, empty.Allows("localhost", netip.MustParseAddr("127.0.0.1")))
}

// A calendar served on loopback is fetched through the allow-list; an
// unlisted private address is still refused, also as a redirect target.
func TestAllowListAdmitsListedAddressesOnly(t *testing.T) {
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
	cal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		w.Write([]byte(ics))
	}))
	defer cal.Close()
	ctx := context.Background()
	fetch := func(list, url string) error {
		l, err := ParseAllowList(list)
		require.NoError(t, err)
		_, err = calendars.Fetch(ctx, SafeClient(l.Allows), url, calendars.FetchState{})
		return err
	}
	require.NoError(t, fetch("127.0.0.1/32", cal.URL+"/cal.ics"), "listed range")
	byName := strings.Replace(cal.URL, "127.0.0.1", "localhost", 1) + "/cal.ics"
	require.NoError(t, fetch("localhost", byName), "listed host name")

	for _, list := range []string{"", "10.0.0.0/8", "cal.agency.example"} {
		err := fetch(list, cal.URL+"/cal.ics")
		require.ErrorContains(t, err, "not a public internet address", "list %q", list)
	}
	// Listed by name, reached by address: the name was not used, refused.
	require.ErrorContains(t, fetch("localhost", cal.URL+"/cal.ics"), "not a public internet address")

	// A listed calendar server that redirects to an unlisted address.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, cal.URL+"/cal.ics", http.StatusFound)
	}))
	defer other.Close()
	redirecting := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	require.ErrorContains(t, fetch("localhost", redirecting), "not a public internet address")
}
