package resources

// MailAttention is a mail a clerk must look at (Needs attention): one whose
// fate is not known, or that failed. It names the recipient by kind and id,
// never by address.
type MailAttention struct {
	Mail          int64  `json:"mail"`
	Booking       int64  `json:"booking"`
	Interview     string `json:"interview"`
	RecipientKind string `json:"recipient_kind"` // interpreter or party
	RecipientID   string `json:"recipient_id"`
	Kind          string `json:"kind"`  // booked, moved, cancelled, released
	State         string `json:"state"` // unknown or failed
	Attempts      int    `json:"attempts"`
	CreatedAt     string `json:"created_at"`
	LastError     string `json:"last_error,omitempty"`
	// Action says what to do: MailActionCheckArrived or
	// MailActionCheckAddress.
	Action string `json:"action"`
}

// What a clerk does about a mail in Needs attention.
const (
	// MailActionCheckArrived: the mail may or may not have arrived (the
	// worker stopped while handing it over). Ask the recipient; send it
	// again only if it did not arrive.
	MailActionCheckArrived = "check_arrived_then_resend"
	// MailActionCheckAddress: the mail server refused the mail, or it kept
	// failing. Check the recipient's address (and the mail server), then
	// send it again.
	MailActionCheckAddress = "check_address_then_resend"
)
