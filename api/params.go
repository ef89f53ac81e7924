package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/asylum-scheduling/interviews/internal/errs"
)

// pathID reads the numeric id in path parameter param (of a booking, plan,
// feed…, named by what): a positive whole number, else 400.
func pathID(r *http.Request, param, what string) (int64, error) {
	raw := chi.URLParam(r, param)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(param, what+" id must be a positive whole number, not "+strconv.Quote(truncate(raw, 40)))
	}
	return id, nil
}

// onlyParams refuses query parameters other than names: a misspelt filter
// is a 400, never silently ignored; so is one given twice or too long.
func onlyParams(r *http.Request, names ...string) error {
	q := r.URL.Query()
	var probs []errs.FieldError
	for k := range q {
		if !slices.Contains(names, k) {
			msg := "unknown query parameter"
			if len(names) > 0 {
				msg += " (this endpoint takes " + strings.Join(names, ", ") + ")"
			}
			probs = append(probs, errs.FieldError{Path: k, Message: msg})
		}
	}
	if len(probs) == 0 {
		return checkQuery(q)
	}
	slices.SortFunc(probs, func(a, b errs.FieldError) int { return strings.Compare(a.Path, b.Path) })
	return errs.WithFields("unknown query parameters", probs)
}

// queryProblems lists the query parameters that are given more than once
// (a filter has one value; the second would be silently ignored) or are
// longer than MaxText, by name.
func queryProblems(q url.Values) []errs.FieldError {
	var probs []errs.FieldError
	for k, vs := range q {
		if len(vs) > 1 {
			probs = append(probs, errs.FieldError{Path: k, Message: fmt.Sprintf("%s is given %d times; give it once", k, len(vs))})
		}
		for _, v := range vs {
			if n := utf8.RuneCountInString(v); n > MaxText {
				probs = append(probs, errs.FieldError{Path: k, Message: fmt.Sprintf("%s is %d characters long; at most %d are allowed", k, n, MaxText)})
				break
			}
		}
	}
	return probs
}

// checkQuery is queryProblems as an error, for endpoints that read their
// parameters themselves.
func checkQuery(q url.Values) error {
	probs := queryProblems(q)
	if len(probs) == 0 {
		return nil
	}
	slices.SortFunc(probs, func(a, b errs.FieldError) int { return strings.Compare(a.Path, b.Path) })
	return errs.WithFields(probs[0].Message, probs)
}

// truncate cuts s to at most n bytes (on a rune boundary) for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// MaxText bounds every string in a JSON body (ids and names have tighter
// bounds of their own): a longer one is refused naming its field.
const MaxText = 4096

// checkText refuses a JSON body that is not UTF-8 (the decoder would
// replace the bad bytes and store the result) or holds a string longer than
// MaxText, naming the field.
func checkText(body []byte) error {
	if !utf8.Valid(body) {
		return errs.E(errs.Invalid, "the body is not valid UTF-8: text must be UTF-8 encoded")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var path []string
	var inArray []bool
	var index []int
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // syntax errors are the decoder's to report
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				inArray, index = append(inArray, false), append(index, 0)
				path = append(path, "")
				expectKey = true
			case '[':
				inArray, index = append(inArray, true), append(index, 0)
				path = append(path, "[0]")
			case '}', ']':
				inArray, index, path = inArray[:len(inArray)-1], index[:len(index)-1], path[:len(path)-1]
				advance(path, inArray, index, &expectKey)
			}
			continue
		case string:
			if expectKey && len(inArray) > 0 && !inArray[len(inArray)-1] {
				path[len(path)-1] = t
				expectKey = false
				continue
			}
			if n := utf8.RuneCountInString(t); n > MaxText {
				at := jsonPath(path)
				name := at
				if name == "" {
					name = "the body"
				}
				return errs.Field(at, fmt.Sprintf("%s is %d characters long; at most %d are allowed", name, n, MaxText))
			}
		}
		advance(path, inArray, index, &expectKey)
	}
}

// advance moves past a value: the next key of an object, the next index
// of an array.
func advance(path []string, inArray []bool, index []int, expectKey *bool) {
	if len(inArray) == 0 {
		return
	}
	top := len(inArray) - 1
	if inArray[top] {
		index[top]++
		path[top] = "[" + strconv.Itoa(index[top]) + "]"
	} else {
		*expectKey = true
	}
}

// jsonPath joins a path like "items", "[2]", "name" as "items[2].name".
func jsonPath(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if p == "" {
			continue
		}
		if !strings.HasPrefix(p, "[") && b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
