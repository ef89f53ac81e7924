package scheduler

import (
	"unicode/utf8"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/solver"
)

// MaxReason is the longest reason or note a person may write, in
// characters.
const MaxReason = 1000

// checkReason checks free text a person writes as a reason: at most
// MaxReason characters, and text a page can show as it is (no control
// characters but line breaks, no bidirectional overrides that would make
// it read reversed). An empty reason passes: whether one is required is
// the caller's rule.
func checkReason(reason string) error {
	if utf8.RuneCountInString(reason) > MaxReason {
		return errs.Field("reason", "the reason is too long: at most 1000 characters")
	}
	if !solver.ReasonText(reason) {
		return errs.Field("reason", "the reason has control characters or bidirectional overrides: write plain text")
	}
	return nil
}
