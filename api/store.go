package api

import (
	"context"
	"time"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Store is the store as the API sees it: reads only. Every change goes
// through a scheduler service (Service, Planner, Portal, Records), so a
// write from a handler does not compile. *postgres.DB satisfies it.
type Store interface {
	AccessLog(ctx context.Context, q resources.AccessQuery) (resources.Page[resources.Access], error)
	AutomationReport(ctx context.Context, from, to string) (*resources.AutomationReport, error)
	Absences(ctx context.Context, owner resources.AbsenceOwner, id string) ([]resources.Absence, error)
	Booking(ctx context.Context, id int64) (*resources.Booking, error)
	Bookings(ctx context.Context, p resources.ListParams) (resources.Page[resources.Booking], error)
	BusyCalendars(ctx context.Context) ([]resources.BusyCalendar, error)
	Export(ctx context.Context, from, to string) (*solver.Instance, error)
	FeedByToken(ctx context.Context, token string) (*resources.FeedLookup, error)
	FeedData(ctx context.Context, kind, ownerID string, w resources.FeedWindow, now time.Time) (*resources.FeedData, error)
	FeedTokens(ctx context.Context, kind, ownerID string) ([]resources.FeedToken, error)
	Interpreter(ctx context.Context, id string) (*resources.Interpreter, error)
	Interpreters(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interpreter], error)
	Interview(ctx context.Context, id string) (*resources.Interview, error)
	Interviewer(ctx context.Context, id string) (*resources.Interviewer, error)
	Interviewers(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interviewer], error)
	Interviews(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interview], error)
	JobRuns(ctx context.Context, p resources.ListParams) (resources.Page[resources.JobRun], error)
	LiveHolds(ctx context.Context, now time.Time) (int, error)
	Location(ctx context.Context, id string) (*resources.Location, error)
	Locations(ctx context.Context, p resources.ListParams) (resources.Page[resources.Location], error)
	MailBacklog(ctx context.Context) (map[string]int64, time.Time, error)
	Mails(ctx context.Context, bookingID int64) ([]resources.Mail, error)
	NeedsAttention(ctx context.Context, now time.Time) ([]resources.Attention, error)
	OutboxBacklog(ctx context.Context) (pending, retrying int64, oldest time.Time, err error)
	OutboxCounts(ctx context.Context) (map[string]int64, error)
	OutboxEvents(ctx context.Context, p resources.ListParams) (resources.Page[resources.OutboxEvent], error)
	Participants(ctx context.Context, booking int64) ([]resources.Participant, error)
	Parties(ctx context.Context, p resources.ListParams) (resources.Page[resources.Party], error)
	Party(ctx context.Context, id string) (*resources.Party, error)
	Plan(ctx context.Context, id int64, full bool) (*resources.Plan, error)
	Plans(ctx context.Context, p resources.ListParams) (resources.Page[resources.Plan], error)
	Ready(ctx context.Context) error
	RetentionRuns(ctx context.Context, p resources.ListParams) (resources.Page[resources.RetentionRun], error)
	Room(ctx context.Context, id string) (*resources.Room, error)
	Rooms(ctx context.Context, p resources.ListParams) (resources.Page[resources.Room], error)
	Scenario(ctx context.Context, id int64) (*resources.ScenarioRun, error)
	Scenarios(ctx context.Context, p resources.ListParams) (resources.Page[resources.ScenarioRun], error)
	Settings(ctx context.Context) (resources.Settings, error)
	StateVersions(ctx context.Context) (version, static int64, err error)
	Tokens(ctx context.Context) ([]resources.Token, error)
	TravelTimes(ctx context.Context) ([]solver.Travel, error)
	PoolStats() resources.PoolStats
}
