package importer

import (
	"fmt"
	"net/netip"
	"strings"
)

// AllowList admits outside calendars on the agency's own network, which the
// import otherwise refuses: host names (a URL naming one may reach whatever
// private address the name resolves to) and address ranges (CIDR). The
// operator sets it (BUSY_CALENDAR_ALLOW); everything not on it keeps the
// public-only rule, checked at connect time for every redirect too.
type AllowList struct {
	hosts    map[string]bool
	prefixes []netip.Prefix
}

// ParseAllowList reads a comma- or space-separated list of host names and
// CIDR ranges ("cal.agency.example, 10.20.0.0/16, 127.0.0.1/32"). A bare IP
// address is taken as its own /32 or /128 range.
func ParseAllowList(s string) (AllowList, error) {
	l := AllowList{hosts: map[string]bool{}}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			l.prefixes = append(l.prefixes, p.Masked())
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			l.prefixes = append(l.prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		if !validHostName(f) {
			return AllowList{}, fmt.Errorf("%q is neither a host name nor an address range (CIDR)", f)
		}
		l.hosts[strings.ToLower(strings.TrimSuffix(f, "."))] = true
	}
	return l, nil
}

// Allows reports whether a connection for host may go to ip: a public
// address always; a private one when its range or the host is listed.
func (l AllowList) Allows(host string, ip netip.Addr) bool {
	ip = ip.Unmap()
	if AddrAllowed(ip) {
		return true
	}
	for _, p := range l.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return l.hosts[strings.ToLower(strings.TrimSuffix(host, "."))]
}

// String lists the entries, for the start-up log.
func (l AllowList) String() string {
	var out []string
	for h := range l.hosts {
		out = append(out, h)
	}
	for _, p := range l.prefixes {
		out = append(out, p.String())
	}
	return strings.Join(out, ",")
}

func validHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
