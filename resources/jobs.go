package resources

// Job run outcomes.
const (
	JobRunning = "running"
	JobOK      = "ok"
	JobFailed  = "failed"
	JobSkipped = "skipped"
)

// JobRun is one run of a scheduled job.
type JobRun struct {
	ID         int64   `json:"id"`
	Job        string  `json:"job"`
	Slot       string  `json:"slot"`
	StartedAt  string  `json:"started_at"`
	FinishedAt *string `json:"finished_at,omitempty"`
	Outcome    string  `json:"outcome"`
	Detail     string  `json:"detail,omitempty"`
}
