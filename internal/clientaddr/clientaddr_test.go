package clientaddr_test

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/clientaddr"
)

func TestClient(t *testing.T) {
	t.Parallel()
	proxies := clientaddr.MustParse("10.0.0.0/8, 192.0.2.7 ::1")
	for _, tc := range []struct {
		name, spec, remote string
		xff                []string
		want               string
	}{
		{"no proxy: RemoteAddr", "", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"untrusted peer's header is ignored", "10.0.0.0/8", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted proxy: the client it names", "", "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", "", "10.1.2.3:4000", []string{"198.51.100.1, 192.0.2.7, 10.9.9.9"}, "198.51.100.1"},
		{"a forged left-most hop counts not", "", "10.1.2.3:4000", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"several headers read as one list", "", "10.1.2.3:4000", []string{"1.1.1.1", "198.51.100.1"}, "198.51.100.1"},
		{"malformed hop: stop at the last good one", "", "10.1.2.3:4000", []string{"198.51.100.1, junk, 10.2.2.2"}, "10.2.2.2"},
		{"no header from a proxy: the proxy", "", "10.1.2.3:4000", nil, "10.1.2.3"},
		{"IPv6 loopback proxy", "", "[::1]:4000", []string{"2001:db8::1"}, "2001:db8::1"},
		{"IPv4-mapped peer", "", "[::ffff:10.1.2.3]:4000", []string{"198.51.100.1"}, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := proxies
			if tc.spec != "" {
				p = clientaddr.MustParse(tc.spec)
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			require.Equal(t, tc.want, p.Client(r))
		})
	}
	var none clientaddr.Proxies
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:4000"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	require.Equal(t, "10.1.2.3", none.Client(r), "the zero value trusts no one")
}

func TestHTTPS(t *testing.T) {
	t.Parallel()
	p := clientaddr.MustParse("10.0.0.0/8")
	for _, tc := range []struct {
		name, remote, proto string
		tls, want           bool
	}{
		{"TLS connection", "203.0.113.5:1", "", true, true},
		{"trusted proxy says https", "10.0.0.1:1", "https", false, true},
		{"trusted proxy, list", "10.0.0.1:1", "HTTPS, http", false, true},
		{"trusted proxy says http", "10.0.0.1:1", "http", false, false},
		{"untrusted peer says https", "203.0.113.5:1", "https", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			require.Equal(t, tc.want, p.HTTPS(r))
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	p, err := clientaddr.Parse(" 10.0.0.0/8,192.0.2.7\n2001:db8::/32 ")
	require.NoError(t, err)
	require.Equal(t, "10.0.0.0/8,192.0.2.7/32,2001:db8::/32", p.String())
	for _, bad := range []string{"10.0.0.0/33", "example.org", "10.0.0", "*"} {
		_, err := clientaddr.Parse(bad)
		require.ErrorContains(t, err, "TRUSTED_PROXIES", bad)
	}
	p, err = clientaddr.Parse("")
	require.NoError(t, err)
	require.Equal(t, "", p.String())
}
