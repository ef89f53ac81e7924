// Package clientaddr tells who a request comes from and whether it came over
// HTTPS. Behind a TLS proxy, RemoteAddr is the proxy's address; the client's
// is in X-Forwarded-For, and the scheme in X-Forwarded-Proto. Those headers
// are anyone's to write, so they are believed only from the proxies named in
// TRUSTED_PROXIES.
package clientaddr

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is the set of trusted proxies. The zero value trusts none: the
// client is RemoteAddr and the headers are ignored.
type Proxies struct {
	prefixes []netip.Prefix
}

// Parse reads a TRUSTED_PROXIES value: addresses or CIDR prefixes, separated
// by commas or spaces ("10.0.0.0/8, 192.0.2.7, ::1"). Empty trusts none.
func Parse(spec string) (Proxies, error) {
	var p Proxies
	for _, f := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if strings.Contains(f, "/") {
			pfx, err := netip.ParsePrefix(f)
			if err != nil {
				return Proxies{}, fmt.Errorf("TRUSTED_PROXIES: %q is not an address or CIDR prefix", f)
			}
			p.prefixes = append(p.prefixes, pfx.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return Proxies{}, fmt.Errorf("TRUSTED_PROXIES: %q is not an address or CIDR prefix", f)
		}
		a = a.Unmap()
		p.prefixes = append(p.prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// MustParse is Parse for fixed values in tests and defaults; it panics on a
// bad spec.
func MustParse(spec string) Proxies {
	p, err := Parse(spec)
	if err != nil {
		panic(err)
	}
	return p
}

// String lists the trusted prefixes, for the start-up log.
func (p Proxies) String() string {
	s := make([]string, len(p.prefixes))
	for i, pfx := range p.prefixes {
		s[i] = pfx.String()
	}
	return strings.Join(s, ",")
}

// trusted reports whether a is one of the proxies.
func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pfx := range p.prefixes {
		if pfx.Contains(a) {
			return true
		}
	}
	return false
}

// Client is the client's address, without a port. From a trusted proxy it
// is the right-most address in X-Forwarded-For that is not itself a trusted
// proxy (the left-most entries are the client's to write, so they count
// only when every hop after them is trusted). Otherwise it is RemoteAddr.
func (p Proxies) Client(r *http.Request) string {
	peer, ok := remote(r)
	if !ok {
		return r.RemoteAddr
	}
	if !p.trusted(peer) {
		return peer.String()
	}
	hops := forwardedFor(r)
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a malformed hop: trust nothing further left
		}
		client = a.Unmap()
		if !p.trusted(client) {
			break
		}
	}
	return client.String()
}

// HTTPS reports whether the client used HTTPS: the connection is TLS, or a
// trusted proxy says so in X-Forwarded-Proto.
func (p Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer, ok := remote(r)
	if !ok || !p.trusted(peer) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// remote is the address of the connection's peer.
func remote(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// forwardedFor lists the X-Forwarded-For hops, left to right, over every
// such header.
func forwardedFor(r *http.Request) []string {
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	return hops
}
