package scheduler

import (
	"time"

	"github.com/asylum-scheduling/interviews/resources"
)

// LateAnswerWithin bounds the time to answer a request made too late for
// the ordinary rule: the lesser of the settings' hours and this.
const LateAnswerWithin = 2 * time.Hour

// AnswerDue is when an interpreter asked at requested must answer for an
// interview at start, under the settings' rules (resources.Confirmation;
// the defaults: 48 hours, 24 hours before the start):
//
//   - within AnswerWithinHours of the request, and never later than
//     AnswerBeforeStartHours before the start;
//   - a request made after that point (short notice) is due within the
//     lesser of AnswerWithinHours and two hours, and by the start at the
//     latest.
func AnswerDue(rules resources.Confirmation, requested, start time.Time) time.Time {
	within := time.Duration(rules.AnswerWithinHours) * time.Hour
	before := time.Duration(rules.AnswerBeforeStartHours) * time.Hour
	if due := earliest(requested.Add(within), start.Add(-before)); due.After(requested) {
		return due
	}
	return earliest(requested.Add(min(within, LateAnswerWithin)), start)
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
