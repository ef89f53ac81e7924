package staff

import (
	"context"
	"time"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// Store is the store as the staff pages see it: the reads they make, and
// nothing else. A page changes state only through the scheduler's services
// (Config.Booking, Config.Plans): a write from a handler does not compile.
// *postgres.DB satisfies it (the methods' documents are there);
// TestStoreIsReadOnly keeps writes out of it.
type Store interface {
	AutomationReport(ctx context.Context, from, to string) (*resources.AutomationReport, error)
	AccessLog(ctx context.Context, q resources.AccessQuery) (resources.Page[resources.Access], error)
	Absences(ctx context.Context, owner resources.AbsenceOwner, id string) ([]resources.Absence, error)
	ActiveOffices(ctx context.Context) ([]resources.Office, error)
	Audit(ctx context.Context, interview string, bookingID int64) ([]resources.AuditEntry, error)
	Booking(ctx context.Context, id int64) (*resources.Booking, error)
	BookingOf(ctx context.Context, interview string) (*resources.Booking, error)
	DisplayNames(ctx context.Context, rooms, interviewers, interpreters []string) (map[string]string, error)
	Export(ctx context.Context, from, to string) (*solver.Instance, error)
	FeedTokens(ctx context.Context, kind, ownerID string) ([]resources.FeedToken, error)
	Holds(ctx context.Context, interview string, now time.Time) ([]resources.Hold, error)
	Interpreter(ctx context.Context, id string) (*resources.Interpreter, error)
	Interpreters(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interpreter], error)
	Interview(ctx context.Context, id string) (*resources.Interview, error)
	Interviewer(ctx context.Context, id string) (*resources.Interviewer, error)
	Interviewers(ctx context.Context, p resources.ListParams) (resources.Page[resources.Interviewer], error)
	ErasedPerson(ctx context.Context, kind, id string) (*resources.Erasure, error)
	Location(ctx context.Context, id string) (*resources.Location, error)
	LatestPlan(ctx context.Context) (int64, error)
	Mails(ctx context.Context, bookingID int64) ([]resources.Mail, error)
	NeedsAttention(ctx context.Context, now time.Time) ([]resources.Attention, error)
	MailsNeedingAttention(ctx context.Context) ([]resources.MailAttention, error)
	OfficeWeek(ctx context.Context, office string, from, to time.Time, language string) (*resources.OfficeWeek, error)
	OpenFlags(ctx context.Context) ([]resources.InterviewFlag, error)
	OpenProposals(ctx context.Context, booking int64) ([]resources.TimeProposal, error)
	Participants(ctx context.Context, booking int64) ([]resources.Participant, error)
	Party(ctx context.Context, id string) (*resources.Party, error)
	PendingLanguages(ctx context.Context) ([]string, error)
	PersonUses(ctx context.Context, kind, id string, from, to time.Time) ([]resources.Use, error)
	Plan(ctx context.Context, id int64, full bool) (*resources.Plan, error)
	Plans(ctx context.Context, p resources.ListParams) (resources.Page[resources.Plan], error)
	Queue(ctx context.Context, f resources.QueueFilter, limit, offset int) ([]resources.QueueEntry, int, error)
	Room(ctx context.Context, id string) (*resources.Room, error)
	RoomLocation(ctx context.Context, room string) (string, error)
	Rooms(ctx context.Context, p resources.ListParams) (resources.Page[resources.Room], error)
	Scenario(ctx context.Context, id int64) (*resources.ScenarioRun, error)
	Scenarios(ctx context.Context, p resources.ListParams) (resources.Page[resources.ScenarioRun], error)
	Settings(ctx context.Context) (resources.Settings, error)
}
