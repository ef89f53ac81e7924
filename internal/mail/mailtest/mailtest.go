// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) in
// a test process and reads what it received as MIME: the tests of other
// packages deliver mail to it through the product's own SMTP client.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// Message is one received mail, parsed.
type Message struct {
	From, To string
	Helo     string // the name the client gave in EHLO
	Raw      []byte
	Header   mail.Header
	Subject  string // decoded
	Text     string // the text/plain part, decoded
	Calendar []byte // the text/calendar part, decoded (nil when none)
	Method   string // the calendar part's method parameter
}

// Server is an SMTP server on 127.0.0.1 that keeps every message.
type Server struct {
	Addr string
	mu   sync.Mutex
	msgs []Message
	t    testing.TB
	// delay is how long the server takes over each message (Slow).
	delay time.Duration
	// taken is called with the count of messages after each one is kept,
	// before the server answers (OnMessage).
	taken func(n int)
	// refused are recipients refused for good (Refuse).
	refused map[string]bool
}

// Option adjusts a Server.
type Option func(*Server)

// Slow makes the server take d over each message before it answers the
// data: a slow server taking a burst.
func Slow(d time.Duration) Option { return func(s *Server) { s.delay = d } }

// OnMessage calls f with the number of messages kept so far after each
// one is kept and before the server answers the data: a test can act
// between the server taking a message and the client hearing so.
func OnMessage(f func(n int)) Option { return func(s *Server) { s.taken = f } }

// Refuse makes the server refuse the recipient addr for good (550), with a
// reply that quotes the address as real servers do.
func Refuse(addr string) Option {
	return func(s *Server) {
		if s.refused == nil {
			s.refused = map[string]bool{}
		}
		s.refused[strings.ToLower(addr)] = true
	}
}

// Start starts a server that accepts any sender and recipient; it stops
// when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{t: t}
	for _, o := range opts {
		o(s)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	srv.Domain = "mx.test"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.Addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the server's SMTP_URL.
func (s *Server) URL() string { return "smtp://" + s.Addr + "?starttls=off" }

// Messages returns what arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// To returns the messages to one address.
func (s *Server) To(addr string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// Wait waits until at least n messages to addr arrived (any address when
// addr is ""), failing the test after timeout.
func (s *Server) Wait(t testing.TB, addr string, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var got []Message
		if addr == "" {
			got = s.Messages()
		} else {
			got = s.To(addr)
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			require.FailNowf(t, "mail did not arrive", "%d of %d messages to %q after %s", len(got), n, addr, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type session struct {
	s        *Server
	conn     *smtp.Conn
	from, to string
}

func (x *session) Reset()        {}
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.refused[strings.ToLower(to)] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "<" + to + ">: Recipient address rejected: User unknown"}
	}
	x.to = to
	return nil
}
func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Parse(raw)
	if err != nil {
		x.s.t.Errorf("mailtest: a message that is not valid MIME: %v\n%s", err, raw)
		return err
	}
	m.From, m.To, m.Helo = x.from, x.to, x.conn.Hostname()
	time.Sleep(x.s.delay)
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, *m)
	n := len(x.s.msgs)
	x.s.mu.Unlock()
	if x.s.taken != nil {
		x.s.taken(n)
	}
	return nil
}

// Parse reads a message with net/mail and mime/multipart.
func Parse(raw []byte) (*Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	out := &Message{Raw: raw, Header: msg.Header}
	dec := new(mime.WordDecoder)
	if out.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return nil, err
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		body, err := decode(msg.Body, msg.Header.Get("Content-Transfer-Encoding"))
		out.Text = string(body)
		return out, err
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		body, err := decode(p, p.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return nil, err
		}
		pt, pp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch pt {
		case "text/plain":
			out.Text = string(body)
		case "text/calendar":
			out.Calendar, out.Method = body, pp["method"]
		}
	}
}

func decode(r io.Reader, cte string) ([]byte, error) {
	switch strings.ToLower(cte) {
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, r))
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(r))
	}
	return io.ReadAll(r)
}
