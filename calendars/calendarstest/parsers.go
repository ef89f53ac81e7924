// Package calendarstest reads feeds with the real third-party iCalendar
// parsers that package calendars is tested with (Python's icalendar and
// Mozilla's ical.js, through calendars/testdata's scripts), for tests of other
// packages. Without the parsers the tests fail: run
// scripts/ensure-calendar-parsers.sh.
package calendarstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Dump is what a parser read: the calendar's properties and its events.
type Dump struct {
	Parser          string   `json:"parser"`
	CalendarName    string   `json:"calendar_name"`
	Name            string   `json:"name"`
	Version         string   `json:"version"`
	Method          string   `json:"method"`
	RefreshInterval string   `json:"refresh_interval"`
	PublishedTTL    string   `json:"published_ttl"`
	Errors          []string `json:"errors"`
	Events          []Event  `json:"events"`
}

// Event is one VEVENT as a parser read it; times are UTC, ISO 8601.
type Event struct {
	UID         string `json:"uid"`
	Sequence    int    `json:"sequence"`
	Status      string `json:"status"`
	DTStamp     string `json:"dtstamp"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Summary     string `json:"summary"`
	Location    string `json:"location"`
	Description string `json:"description"`
	URL         string `json:"url"`
	Transp      string `json:"transp"`
	Partstat    string `json:"partstat"` // the first ATTENDEE's PARTSTAT
}

// ByUID indexes the events and fails the test when a UID appears twice.
func (d Dump) ByUID(t testing.TB) map[string]Event {
	t.Helper()
	m := map[string]Event{}
	for _, e := range d.Events {
		if _, dup := m[e.UID]; dup {
			t.Errorf("%s: UID %s appears more than once", d.Parser, e.UID)
		}
		m[e.UID] = e
	}
	return m
}

// RepoRoot is the directory holding go.mod, above the test's directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Parser is one third-party parser, run through its dump script.
type Parser struct {
	Name string
	cmd  func() *exec.Cmd
}

var (
	parsersOnce sync.Once
	parsers     []Parser
	parsersErr  error
)

// Parsers returns Python's icalendar and ical.js, or an error saying what is
// missing and how to install it.
func Parsers() ([]Parser, error) {
	parsersOnce.Do(func() { parsers, parsersErr = findParsers() })
	return parsers, parsersErr
}

// Require returns both parsers or fails the test.
func Require(t testing.TB) []Parser {
	t.Helper()
	ps, err := Parsers()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func findParsers() ([]Parser, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	testdata := filepath.Join(root, "calendars", "testdata")
	var out []Parser
	var problems []string
	python := ""
	for _, cand := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(cand); err == nil && exec.Command(path, "-c", "import icalendar").Run() == nil {
			python = path
			break
		}
	}
	if python == "" {
		problems = append(problems, "no python3 that can import icalendar")
	} else {
		out = append(out, Parser{"python-icalendar", func() *exec.Cmd {
			return exec.Command(python, filepath.Join(testdata, "icalendar_dump.py"))
		}})
	}
	icaljs := filepath.Join(root, ".cache", "icaljs")
	node, err := exec.LookPath("node")
	if err != nil {
		problems = append(problems, "no node in PATH")
	} else if _, err := os.Stat(filepath.Join(icaljs, "node_modules", "ical.js", "package.json")); err != nil {
		problems = append(problems, "no ical.js under "+icaljs)
	} else {
		out = append(out, Parser{"ical.js", func() *exec.Cmd {
			c := exec.Command(node, filepath.Join(testdata, "icaljs_dump.mjs"))
			c.Env = append(os.Environ(), "ICALJS_DIR="+icaljs)
			return c
		}})
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("third-party iCalendar parsers missing (%s); run: bash scripts/ensure-calendar-parsers.sh (installs python3-icalendar and ical.js into .cache/icaljs)", strings.Join(problems, "; "))
	}
	return out, nil
}

// Parse runs the parser on body: an error when it rejects the document,
// prints no JSON or reports errors of its own.
func (p Parser) Parse(body []byte) (Dump, error) {
	cmd := p.cmd()
	cmd.Stdin = bytes.NewReader(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Dump{}, fmt.Errorf("%s rejected the feed: %v\n%s", p.Name, err, lastLines(stderr.String(), 6))
	}
	var d Dump
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
		return Dump{}, fmt.Errorf("%s printed no JSON: %v\n%s", p.Name, err, stdout.String())
	}
	if len(d.Errors) > 0 {
		return Dump{}, fmt.Errorf("%s reported errors: %q", p.Name, d.Errors)
	}
	d.Parser = p.Name
	return d, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// ParseAll parses body with both parsers, by parser name; any rejection or
// reported error fails the test.
func ParseAll(t testing.TB, body []byte) map[string]Dump {
	t.Helper()
	out := map[string]Dump{}
	for _, p := range Require(t) {
		d, err := p.Parse(body)
		if err != nil {
			t.Fatalf("%v\nfeed:\n%s", err, body)
		}
		out[p.Name] = d
	}
	return out
}
