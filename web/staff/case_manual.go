package staff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// case_manual.go is the Book by hand form after a refusal: the form stays
// open with what the clerk chose, and says in the page's language which
// rule the choice breaks, naming the room or person by name.

// manualPosted reports whether the request is the Book by hand form.
func manualPosted(r *http.Request) bool {
	return r.Method == http.MethodPost && r.PostFormValue("manual") == "1"
}

// The manual form's own refusals: no start, or one that is no date-time.
var (
	errNoStart  = errs.E(errs.Invalid, "Choose a start time for the booking.")
	errBadStart = errs.E(errs.Invalid, "The start must be a date and a time.")
)

// keepManual marks the posted choices of the form as selected and keeps
// the mode and reason.
func keepManual(r *http.Request, m *manualView) {
	if !manualPosted(r) {
		return
	}
	m.Open = true
	m.Mode, m.Reason = r.PostFormValue("mode"), r.PostFormValue("reason")
	sel := func(opts []option, v string) {
		for i := range opts {
			opts[i].Selected = opts[i].Value == v
		}
	}
	sel(m.Rooms, r.PostFormValue("room"))
	sel(m.Interviewers, r.PostFormValue("interviewer"))
	sel(m.Interpreters, r.PostFormValue("interpreter"))
}

// manualProblem says why the Book by hand form booked nothing: a start
// missing or unreadable, a room or person taken (err a *ConflictError), or
// a hard rule broken (a *scheduler.RuleError, by its rule number), the
// room or person named with their name and id. "" when err is none of
// these.
func (h *Handler) manualProblem(ctx context.Context, l string, r *http.Request, err error) (string, error) {
	var ce *scheduler.ConflictError
	var re *scheduler.RuleError
	switch {
	case errors.Is(err, errNoStart):
		return staffT(l, "manual.nostart"), nil
	case errors.Is(err, errBadStart):
		return staffT(l, "manual.badstart"), nil
	case errors.As(err, &ce):
		subject, err := h.manualSubject(ctx, l, r, ce.Resource)
		if err != nil {
			return "", err
		}
		return upperFirst(staffT(l, "manual.rule.6", subject)), nil
	case errors.As(err, &re) && len(re.Violations) > 0:
		v := re.Violations[0]
		subject, err := h.manualSubject(ctx, l, r, violationSubject(v, r))
		if err != nil {
			return "", err
		}
		msg := upperFirst(staffT(l, ruleKey(v.Rule), subject))
		if n := len(re.Violations) - 1; n > 0 {
			msg += " " + i18n.Staff.N(l, "manual.more", n, n)
		}
		return msg, nil
	}
	return "", nil
}

// ruleKey is the catalog's key for the hard rule n of the spec (0: the
// choice itself is not understood).
func ruleKey(n int) string {
	if n < 0 || n > 10 {
		n = 0
	}
	return fmt.Sprintf("manual.rule.%d", n)
}

// violationSubject is the room or person of the posted form that the
// violation's sentence is about ("interpreter T0027"), or the one its rule
// is about, or "".
func violationSubject(v solver.Violation, r *http.Request) string {
	kinds := []string{"interpreter", "interviewer", "room"}
	for _, k := range kinds {
		if id := r.PostFormValue(k); id != "" && strings.Contains(v.Message, k+" "+id) {
			return k + " " + id
		}
	}
	byRule := map[int]string{3: "room", 4: "interviewer", 5: "interpreter", 7: "interpreter"}
	if k, ok := byRule[v.Rule]; ok && r.PostFormValue(k) != "" {
		return k + " " + r.PostFormValue(k)
	}
	return ""
}

// manualSubject words a resource "interviewer OUL-E01" as "interviewer
// Minna Koskinen (OUL-E01)" in the page's language; "" is "the choice".
func (h *Handler) manualSubject(ctx context.Context, l string, r *http.Request, resource string) (string, error) {
	kind, id, ok := strings.Cut(resource, " ")
	if !ok || !slices.Contains([]string{"room", "interviewer", "interpreter"}, kind) {
		return staffT(l, "manual.subject.any"), nil
	}
	var rooms, ers, trs []string
	switch kind {
	case "room":
		rooms = []string{id}
	case "interviewer":
		ers = []string{id}
	case "interpreter":
		trs = []string{id}
	}
	names, err := h.store.DisplayNames(ctx, rooms, ers, trs)
	if err != nil {
		return "", err
	}
	return staffT(l, "manual.subject."+kind, nameID(names[kind+"/"+id], id)), nil
}

// upperFirst capitalises a sentence that starts with its subject ("huone
// Päijänne (RAI-R02) on jo varattu").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
