package resources

// OutboxEvent is a notification waiting for, or done with, delivery.
type OutboxEvent struct {
	ID            int64   `json:"id"`
	Event         string  `json:"event"`
	Booking       int64   `json:"booking"`
	CreatedAt     string  `json:"created_at"`
	State         string  `json:"state"` // pending, retrying, delivered
	Attempts      int     `json:"attempts"`
	NextAttemptAt *string `json:"next_attempt_at,omitempty"`
	DeliveredAt   *string `json:"delivered_at,omitempty"`
	LastError     string  `json:"last_error,omitempty"`
	Payload       []byte  `json:"-"`
}
