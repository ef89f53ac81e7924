package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/resources"
)

// MaxErasureReason is the longest reason an erasure takes, in characters.
const MaxErasureReason = 1000

// ExportPerson returns everything held about an interpreter, interviewer
// or party (issue 26: a person's data on request). The caller records the
// read in the access log.
func (r *Records) ExportPerson(ctx context.Context, owner resources.AbsenceOwner, id string) (*resources.PersonData, error) {
	return r.db.PersonData(ctx, owner, id)
}

// ErasePerson erases a person's data on request: it checks the reason
// (required, kept for good, so it must not name the person: the store
// checks that against the record), gives the person a random pseudonym
// and has the store erase in one transaction (postgres.ErasePerson), which
// refuses while they hold future bookings or holds.
func (r *Records) ErasePerson(ctx context.Context, req resources.ErasureRequest) (*resources.Erasure, error) {
	req.Reason = strings.TrimSpace(req.Reason)
	switch {
	case req.Reason == "":
		return nil, errs.Field("reason", "a reason is required: why the person's data is erased")
	case utf8.RuneCountInString(req.Reason) > MaxErasureReason:
		return nil, errs.Field("reason", "the reason is longer than 1000 characters")
	case req.Actor == "":
		return nil, errs.E(errs.Forbidden, "an erasure needs an actor")
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	return r.db.ErasePerson(ctx, req, hex.EncodeToString(b[:]))
}
