package resources

// Hold is a reservation of the resources of one option until ExpiresAt.
type Hold struct {
	ID          int64  `json:"id"`
	Interview   string `json:"interview"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Room        string `json:"room"`
	Interviewer string `json:"interviewer"`
	Interpreter string `json:"interpreter,omitempty"`
	Mode        string `json:"mode"`
	ExpiresAt   string `json:"expires_at"`
}
