package capacity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/asylum-scheduling/interviews/solver"
)

// ValidationError lists every problem of a scenario or need query, each at
// its JSON path (`variants[1].changes[0].add_rooms.count`).
type ValidationError struct {
	// Doc names the document: "scenario" or "need query".
	Doc      string
	Problems []solver.Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	if len(lines) == 1 {
		return "invalid " + e.Doc + ": " + lines[0]
	}
	return fmt.Sprintf("invalid %s: %d problems:\n%s", e.Doc, len(lines), strings.Join(lines, "\n"))
}

// problems collects problems at JSON paths.
type problems struct{ list []solver.Problem }

func (p *problems) add(path, format string, args ...any) {
	p.list = append(p.list, solver.Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (p *problems) err(doc string) error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Doc: doc, Problems: p.list}
}

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// decodeStrict decodes a JSON document into v, reporting unknown fields and
// values of the wrong type at their paths, all at once.
func decodeStrict(doc string, data []byte, v any) error {
	var raw any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return &ValidationError{Doc: doc, Problems: []solver.Problem{{Message: jsonMessage(err)}}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &ValidationError{Doc: doc, Problems: []solver.Problem{{Message: "unexpected data after the JSON document"}}}
	}
	p := &problems{}
	walk(raw, reflect.TypeOf(v).Elem(), "", p)
	if err := p.err(doc); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &ValidationError{Doc: doc, Problems: []solver.Problem{{Message: jsonMessage(err)}}}
	}
	return nil
}

func jsonMessage(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("not valid JSON at byte %d: %v", se.Offset, se)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "not valid JSON: the document is empty or cut short"
	}
	return "not valid JSON: " + err.Error()
}

// walk checks the shape of a decoded JSON value against a Go type.
func walk(raw any, t reflect.Type, path string, p *problems) {
	if raw == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		walkObject(raw, t, path, p)
	case reflect.Slice:
		arr, ok := raw.([]any)
		if !ok {
			p.add(path, "must be a list, not %s", kind(raw))
			return
		}
		for i, e := range arr {
			walk(e, t.Elem(), idx(path, i), p)
		}
	case reflect.Map:
		obj, ok := raw.(map[string]any)
		if !ok {
			p.add(path, "must be an object, not %s", kind(raw))
			return
		}
		for _, k := range sortedKeys(obj) {
			walk(obj[k], t.Elem(), join(path, k), p)
		}
	case reflect.String:
		if _, ok := raw.(string); !ok {
			p.add(path, "must be a string, not %s", kind(raw))
		}
	case reflect.Bool:
		if _, ok := raw.(bool); !ok {
			p.add(path, "must be true or false, not %s", kind(raw))
		}
	case reflect.Int, reflect.Int64:
		n, ok := raw.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			p.add(path, "must be a whole number, not %s", kind(raw))
		}
	case reflect.Float64:
		if _, ok := raw.(json.Number); !ok {
			p.add(path, "must be a number, not %s", kind(raw))
		}
	}
}

func walkObject(raw any, t reflect.Type, path string, p *problems) {
	obj, ok := raw.(map[string]any)
	if !ok {
		p.add(path, "must be an object, not %s", kind(raw))
		return
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			fields[name] = f.Type
		}
	}
	for _, k := range sortedKeys(obj) {
		ft, ok := fields[k]
		if !ok {
			p.add(join(path, k), "unknown field")
			continue
		}
		walk(obj[k], ft, join(path, k), p)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func kind(raw any) string {
	switch v := raw.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "true/false"
	case json.Number:
		return "the number " + v.String()
	}
	return "null"
}
