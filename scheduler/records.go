package scheduler

import (
	"context"
	"time"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Records is the service that changes the agency's records outside the
// booking workflow: interviews, rooms, people and locations, the settings
// and travel times, API and feed tokens, busy calendars, instance imports.
// Each is one store transaction; the handlers that serve them hold only a
// read-only view of the store, so every change goes through a service.
type Records struct {
	db *postgres.DB
}

// NewRecords returns the records service on db.
func NewRecords(db *postgres.DB) *Records { return &Records{db: db} }

// PutInterview creates an interview request (version nil) or replaces one
// at *version.
func (r *Records) PutInterview(ctx context.Context, x *resources.Interview, version *int64) (*resources.Interview, error) {
	return r.db.PutInterview(ctx, x, version)
}

// DeleteInterview deletes an interview request that has no booking.
func (r *Records) DeleteInterview(ctx context.Context, id string, version *int64) error {
	return r.db.DeleteInterview(ctx, id, version)
}

// PutRoom creates a room (version nil) or replaces one at *version.
func (r *Records) PutRoom(ctx context.Context, x *resources.Room, version *int64) (*resources.Room, error) {
	return r.db.PutRoom(ctx, x, version)
}

// DeleteRoom deletes a room that no booking uses.
func (r *Records) DeleteRoom(ctx context.Context, id string, version *int64) error {
	return r.db.DeleteRoom(ctx, id, version)
}

// PutInterviewer creates an interviewer (version nil) or replaces one at
// *version.
func (r *Records) PutInterviewer(ctx context.Context, x *resources.Interviewer, version *int64) (*resources.Interviewer, error) {
	return r.db.PutInterviewer(ctx, x, version)
}

// DeleteInterviewer deletes an interviewer that no booking names.
func (r *Records) DeleteInterviewer(ctx context.Context, id string, version *int64) error {
	return r.db.DeleteInterviewer(ctx, id, version)
}

// PutInterpreter creates an interpreter (version nil) or replaces one at
// *version.
func (r *Records) PutInterpreter(ctx context.Context, x *resources.Interpreter, version *int64) (*resources.Interpreter, error) {
	return r.db.PutInterpreter(ctx, x, version)
}

// DeleteInterpreter deletes an interpreter that no booking names.
func (r *Records) DeleteInterpreter(ctx context.Context, id string, version *int64) error {
	return r.db.DeleteInterpreter(ctx, id, version)
}

// PutParty creates a party (version nil) or replaces one at *version.
func (r *Records) PutParty(ctx context.Context, x *resources.Party, version *int64) (*resources.Party, error) {
	return r.db.PutParty(ctx, x, version)
}

// DeleteParty deletes a party that no interview or booking needs.
func (r *Records) DeleteParty(ctx context.Context, id string, version *int64) error {
	return r.db.DeleteParty(ctx, id, version)
}

// PutLocation creates a location (version nil) or replaces one at
// *version.
func (r *Records) PutLocation(ctx context.Context, l *resources.Location, version *int64) (*resources.Location, error) {
	return r.db.PutLocation(ctx, l, version)
}

// DeleteLocation deletes a location that nothing refers to.
func (r *Records) DeleteLocation(ctx context.Context, id string, version *int64) error {
	return r.db.DeleteLocation(ctx, id, version)
}

// PutSettings replaces the settings (at *version when given); the stored
// state must stay a valid instance under them.
func (r *Records) PutSettings(ctx context.Context, s resources.Settings, version *int64) (resources.Settings, error) {
	return r.db.PutSettings(ctx, s, version)
}

// PutTravelTime sets the (symmetric) travel time between two locations.
func (r *Records) PutTravelTime(ctx context.Context, t solver.Travel) (solver.Travel, error) {
	return r.db.PutTravelTime(ctx, t)
}

// DeleteTravelTime removes the travel time between two locations.
func (r *Records) DeleteTravelTime(ctx context.Context, from, to string) error {
	return r.db.DeleteTravelTime(ctx, from, to)
}

// Import replaces the stored state with an instance, audited with actor.
func (r *Records) Import(ctx context.Context, in *solver.Instance, actor string) (resources.ImportSummary, error) {
	return r.db.ImportAs(ctx, in, actor)
}

// CreateToken makes a new API token; the token is returned once and never
// stored (only its SHA-256).
func (r *Records) CreateToken(ctx context.Context, name string, role resources.Role) (string, *resources.Token, error) {
	return r.db.CreateToken(ctx, name, role)
}

// RevokeToken revokes an API token; it stops working at once.
func (r *Records) RevokeToken(ctx context.Context, id int64) error {
	return r.db.RevokeToken(ctx, id)
}

// Authenticate returns the live API token that token is (recording its
// use), or unauthorized.
func (r *Records) Authenticate(ctx context.Context, token string) (*resources.Token, error) {
	return r.db.Authenticate(ctx, token)
}

// CreateFeedToken makes a feed token for an owner (interpreter,
// interviewer, room or office), returned once.
func (r *Records) CreateFeedToken(ctx context.Context, kind, ownerID, actor string) (string, *resources.FeedToken, error) {
	return r.db.CreateFeedToken(ctx, kind, ownerID, actor)
}

// RotateFeedToken gives a live feed a new token: the old one stops working.
func (r *Records) RotateFeedToken(ctx context.Context, id int64) (string, *resources.FeedToken, error) {
	return r.db.RotateFeedToken(ctx, id)
}

// RevokeFeedToken revokes a feed: its URL answers 404 from now on.
func (r *Records) RevokeFeedToken(ctx context.Context, id int64) error {
	return r.db.RevokeFeedToken(ctx, id)
}

// FeedBodyChanged records that feed id now serves a body with etag, and
// returns when that body first appeared.
func (r *Records) FeedBodyChanged(ctx context.Context, id int64, etag string, at time.Time) (time.Time, error) {
	return r.db.FeedBodyChanged(ctx, id, etag, at)
}

// PutBusyCalendar sets the outside calendar of an interviewer or
// interpreter, whose busy times a job imports as absences.
func (r *Records) PutBusyCalendar(ctx context.Context, owner resources.AbsenceOwner, id, rawURL string) (*resources.BusyCalendar, error) {
	return r.db.PutBusyCalendar(ctx, owner, id, rawURL)
}

// DeleteBusyCalendar removes the outside calendar of an interviewer or
// interpreter and the busy times imported from it.
func (r *Records) DeleteBusyCalendar(ctx context.Context, owner resources.AbsenceOwner, id string) error {
	return r.db.DeleteBusyCalendar(ctx, owner, id)
}
