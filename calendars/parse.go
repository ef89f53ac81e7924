package calendars

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/emersion/go-ical"
)

// node is a component read from an outside calendar: go-ical's component
// plus the line numbers needed for clear errors. go-ical's own Decoder is not
// used for outside data: it panics on some malformed parameters and reports
// no line numbers.
type node struct {
	*ical.Component
	line  int              // line of BEGIN
	lines map[string][]int // line of each property, parallel to Props[name]
	kids  []*node
}

// propLine is the line of the i-th property called name.
func (n *node) propLine(name string, i int) int {
	if l := n.lines[name]; i < len(l) {
		return l[i]
	}
	return n.line
}

// lineError is an error about one line of the document.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func errAt(line int, format string, args ...any) error {
	return &lineError{line: line, msg: fmt.Sprintf(format, args...)}
}

// maxDepth bounds component nesting (VCALENDAR > VEVENT > VALARM is 3).
const maxDepth = 16

// parseDocument reads an iCalendar stream (one or more VCALENDARs): unfolds
// lines (CRLF or LF, continuation by space or tab), splits content lines into
// name, parameters and value, and nests components by BEGIN/END.
func parseDocument(data []byte) ([]*node, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var (
		cals  []*node
		stack []*node
	)
	handle := func(line int, text string) error {
		if text == "" {
			return nil
		}
		p, err := parseContentLine(text)
		if err != nil {
			return errAt(line, "%v", err)
		}
		switch p.Name {
		case "BEGIN":
			name := strings.ToUpper(strings.TrimSpace(p.Value))
			if name == "" {
				return errAt(line, "BEGIN without a component name")
			}
			if len(stack) == 0 && name != ical.CompCalendar {
				return errAt(line, "expected BEGIN:VCALENDAR, got BEGIN:%s", name)
			}
			if len(stack) >= maxDepth {
				return errAt(line, "components nested more than %d deep", maxDepth)
			}
			n := &node{Component: ical.NewComponent(name), line: line, lines: map[string][]int{}}
			if len(stack) == 0 {
				cals = append(cals, n)
			} else {
				top := stack[len(stack)-1]
				top.Children = append(top.Children, n.Component)
				top.kids = append(top.kids, n)
			}
			stack = append(stack, n)
		case "END":
			name := strings.ToUpper(strings.TrimSpace(p.Value))
			if len(stack) == 0 {
				return errAt(line, "END:%s without BEGIN", name)
			}
			top := stack[len(stack)-1]
			if name != top.Name {
				return errAt(line, "END:%s does not match BEGIN:%s on line %d", name, top.Name, top.line)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				return errAt(line, "property %s outside BEGIN:VCALENDAR … END:VCALENDAR", p.Name)
			}
			top := stack[len(stack)-1]
			top.Props[p.Name] = append(top.Props[p.Name], *p)
			top.lines[p.Name] = append(top.lines[p.Name], line)
		}
		return nil
	}

	var (
		logical   strings.Builder
		startLine int
		lineNo    int
	)
	for rest := data; len(rest) > 0; {
		lineNo++
		var raw []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			raw, rest = rest[:i], rest[i+1:]
		} else {
			raw, rest = rest, nil
		}
		raw = bytes.TrimSuffix(raw, []byte("\r"))
		if len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t') {
			if startLine == 0 {
				return nil, errAt(lineNo, "continuation line with nothing to continue")
			}
			logical.Write(raw[1:])
			continue
		}
		if startLine != 0 {
			if err := handle(startLine, logical.String()); err != nil {
				return nil, err
			}
		}
		logical.Reset()
		logical.Write(raw)
		startLine = lineNo
	}
	if startLine != 0 {
		if err := handle(startLine, logical.String()); err != nil {
			return nil, err
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return nil, errAt(lineNo, "BEGIN:%s on line %d is never closed", top.Name, top.line)
	}
	if len(cals) == 0 {
		return nil, errAt(max(lineNo, 1), "no VCALENDAR in the document")
	}
	return cals, nil
}

// parseContentLine splits `NAME *(";" param) ":" value` (RFC 5545 §3.1).
func parseContentLine(s string) (*ical.Prop, error) {
	i := 0
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	if i == 0 {
		return nil, fmt.Errorf("malformed content line %q: expected a property name", abbreviate(s))
	}
	p := &ical.Prop{Name: strings.ToUpper(s[:i]), Params: ical.Params{}}
	for {
		if i >= len(s) {
			return nil, fmt.Errorf("malformed %s property: missing ':' before the value", p.Name)
		}
		switch s[i] {
		case ':':
			p.Value = s[i+1:]
			return p, nil
		case ';':
		default:
			return nil, fmt.Errorf("malformed %s property: unexpected %q after the name", p.Name, s[i])
		}
		i++
		j := i
		for j < len(s) && isNameChar(s[j]) {
			j++
		}
		if j == i || j >= len(s) || s[j] != '=' {
			return nil, fmt.Errorf("malformed parameter in %s property: expected NAME=value", p.Name)
		}
		pname := strings.ToUpper(s[i:j])
		i = j + 1
		for {
			var v string
			if i < len(s) && s[i] == '"' {
				end := strings.IndexByte(s[i+1:], '"')
				if end < 0 {
					return nil, fmt.Errorf("malformed %s parameter of %s: unterminated quoted value", pname, p.Name)
				}
				v = s[i+1 : i+1+end]
				i += end + 2
			} else {
				k := i
				for k < len(s) && s[k] != ';' && s[k] != ':' && s[k] != ',' {
					if s[k] == '"' {
						return nil, fmt.Errorf("malformed %s parameter of %s: stray double quote", pname, p.Name)
					}
					k++
				}
				v = s[i:k]
				i = k
			}
			p.Params[pname] = append(p.Params[pname], v)
			if i < len(s) && s[i] == ',' {
				i++
				continue
			}
			break
		}
	}
}

func isNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
