// Package instancecmp compares interview-instance/v1 documents up to order:
// what an export after an import must give back.
package instancecmp

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/asylum-scheduling/interviews/solver"
)

// Canonical turns an instance into a comparable value: lists of objects
// sorted by their key (id, interview, or from/to), and empty lists the same
// as absent ones, except for availability, where absent means "always" and
// [] means "never".
func Canonical(in *solver.Instance) (any, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return canon(v, ""), nil
}

func canon(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			c := canon(e, k)
			if c == nil && k != "availability" {
				continue
			}
			if l, ok := c.([]any); ok && len(l) == 0 && k != "availability" {
				continue
			}
			out[k] = c
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canon(e, "")
		}
		if len(out) > 0 {
			if _, ok := out[0].(map[string]any); ok && key != "availability" {
				sort.Slice(out, func(i, j int) bool { return sortKey(out[i]) < sortKey(out[j]) })
			}
		}
		return out
	}
	return v
}

func sortKey(v any) string {
	m := v.(map[string]any)
	for _, k := range []string{"id", "interview"} {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return fmt.Sprint(m["from"], "/", m["to"])
}
