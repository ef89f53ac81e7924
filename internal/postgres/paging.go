package postgres

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// list is a list query being built: conditions, arguments and a page.
type list struct {
	conds []string
	args  []any
	limit int
	after string
}

func newList(p resources.ListParams, known ...string) (*list, error) {
	allowed := map[string]bool{}
	for _, k := range known {
		allowed[k] = true
	}
	var bad []errs.FieldError
	keys := make([]string, 0, len(p.Filters))
	for k := range p.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !allowed[k] {
			bad = append(bad, errs.FieldError{Path: k, Message: fmt.Sprintf("unknown filter %q (known: %s)", k, strings.Join(known, ", "))})
		}
	}
	if len(bad) > 0 {
		return nil, errs.WithFields("unknown filter", bad)
	}
	after, err := resources.DecodeCursor(p.Cursor)
	if err != nil {
		return nil, err
	}
	l := &list{limit: p.Limit, after: after}
	if l.limit <= 0 {
		l.limit = resources.DefaultLimit
	}
	if l.limit > resources.MaxLimit {
		return nil, errs.Field("limit", fmt.Sprintf("limit must be at most %d", resources.MaxLimit))
	}
	return l, nil
}

// where adds a condition; "?" in cond stands for the next argument.
func (l *list) where(cond string, arg any) {
	l.args = append(l.args, arg)
	l.conds = append(l.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(l.args))))
}

func (l *list) boolFilter(p resources.ListParams, name, col string) error {
	v, ok := p.Filters[name]
	if !ok {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return errs.Field(name, name+" must be true or false")
	}
	l.where(col+" = ?", b)
	return nil
}

// sql finishes the query: conditions, the cursor on key, the order and the
// limit (one more row than the page, to know whether another page follows).
func (l *list) sql(base, key string) string {
	if l.after != "" {
		l.where(key+` > ?`, l.after)
	}
	q := base
	if len(l.conds) > 0 {
		q += " where " + strings.Join(l.conds, " and ")
	}
	return q + " order by " + key + ` limit ` + strconv.Itoa(l.limit+1)
}

// equal narrows the list to rows whose column equals the filter of the same
// name, for each of cols given in p.
func (l *list) equal(p resources.ListParams, cols ...string) {
	for _, c := range cols {
		if v, ok := p.Filters[c]; ok {
			l.where(c+" = ?", v)
		}
	}
}

// idAfter consumes a numeric-id cursor: rows after it in ascending id order
// (asc) or in descending order.
func (l *list) idAfter(asc bool) error {
	if l.after == "" {
		return nil
	}
	n, err := strconv.ParseInt(l.after, 10, 64)
	if err != nil {
		return errs.Field("cursor", "cursor is not one this server gave out")
	}
	if asc {
		l.where("id > ?", n)
	} else {
		l.where("id < ?", n)
	}
	l.after = ""
	return nil
}

// page cuts items to the page and sets the cursor of the next one.
func page[T any](l *list, items []T, key func(T) string) resources.Page[T] {
	if items == nil {
		items = []T{}
	}
	if len(items) > l.limit {
		items = items[:l.limit]
		return resources.Page[T]{Items: items, NextCursor: resources.EncodeCursor(key(items[len(items)-1]))}
	}
	return resources.Page[T]{Items: items}
}

// languageCond matches a language filter by primary subtag, as the solver
// matches languages ("ar" finds "ar-IQ" and "ar").
const languageCond = `exists (select 1 from unnest(%s) t where lower(t) = lower(?) or lower(split_part(t, '-', 1)) = lower(split_part(?, '-', 1)))`

func (l *list) languageFilter(col, v string) {
	l.args = append(l.args, v)
	n := "$" + strconv.Itoa(len(l.args))
	l.conds = append(l.conds, strings.ReplaceAll(fmt.Sprintf(languageCond, col), "?", n))
}
