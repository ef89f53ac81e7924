package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sender delivers messages to one SMTP server, configured by an SMTP_URL.
// It opens a new connection for every message and is safe for concurrent use.
type Sender struct {
	url       *url.URL // as given, for String (redacted)
	addr      string   // host:port
	implicit  bool     // smtps: TLS from the first byte
	starttls  bool     // smtp: upgrade when the server offers STARTTLS
	user      string
	password  string
	from      string // envelope sender (MAIL FROM)
	tlsConfig *tls.Config
	localName string
}

// Option adjusts a Sender.
type Option func(*Sender)

// WithTLSConfig sets the TLS configuration (for tests: a pool of root CAs).
// Its ServerName is filled in from the URL's host when empty.
func WithTLSConfig(c *tls.Config) Option {
	return func(s *Sender) { s.tlsConfig = c.Clone() }
}

// WithLocalName sets the name the sender gives in EHLO (default "localhost";
// the server names the host of its PUBLIC_URL, or MAIL_HELO).
func WithLocalName(name string) Option {
	return func(s *Sender) { s.localName = name }
}

// NewSender reads an SMTP_URL:
//
//   - smtp://host:port — a local relay: STARTTLS when the server offers it,
//     unless ?starttls=off; otherwise plain (port 25 when left out);
//   - smtp://user:pass@host:587 — STARTTLS is required before AUTH PLAIN:
//     a password is never sent in clear;
//   - smtps://user:pass@host:465 — implicit TLS (port 465 when left out).
//
// ?tls_insecure_skip_verify=1 turns certificate checks off; it is for tests
// only. from is the envelope sender (a bare address or "Name <addr>").
func NewSender(rawURL, from string, opts ...Option) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url's errors quote the URL, password and all.
		return nil, errors.New("mail: SMTP_URL is not a URL")
	}
	s := &Sender{url: u, starttls: true, localName: "localhost"}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicit = true
	default:
		return nil, fmt.Errorf("mail: SMTP_URL %s: scheme is not smtp or smtps", u.Redacted())
	}
	if err := s.readURL(u); err != nil {
		return nil, err
	}
	a, err := mail.ParseAddress(from)
	if err != nil || strings.ContainsAny(from, "\r\n") {
		return nil, fmt.Errorf("mail: envelope sender %q is not an address", from)
	}
	s.from = a.Address
	for _, o := range opts {
		o(s)
	}
	if s.tlsConfig == nil {
		s.tlsConfig = &tls.Config{}
	}
	if s.tlsConfig.ServerName == "" {
		s.tlsConfig.ServerName = u.Hostname()
	}
	if u.Query().Get("tls_insecure_skip_verify") == "1" {
		s.tlsConfig.InsecureSkipVerify = true
	}
	return s, nil
}

// readURL takes host, port, credentials and options from u.
func (s *Sender) readURL(u *url.URL) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("mail: SMTP_URL %s: %s", u.Redacted(), fmt.Sprintf(format, args...))
	}
	host, port := u.Hostname(), u.Port()
	if host == "" || u.Path != "" && u.Path != "/" || u.Opaque != "" {
		return bad("want smtp://[user:pass@]host[:port] or smtps://…")
	}
	if port == "" {
		port = map[bool]string{false: "25", true: "465"}[s.implicit]
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strings.Contains(host, ":") && !strings.HasPrefix(u.Host, "[") {
		return bad("bad host or port")
	}
	s.addr = net.JoinHostPort(host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	for key, vals := range u.Query() {
		switch v := vals[len(vals)-1]; key {
		case "starttls":
			if v != "off" && v != "on" {
				return bad("starttls=%q: want on or off", v)
			}
			s.starttls = v == "on"
		case "tls_insecure_skip_verify":
			if v != "0" && v != "1" {
				return bad("tls_insecure_skip_verify=%q: want 0 or 1", v)
			}
		default:
			return bad("unknown parameter %q", key)
		}
	}
	if s.user != "" && !s.implicit && !s.starttls {
		return bad("starttls=off with credentials would send the password in clear")
	}
	return nil
}

// String is the URL with the password replaced by "xxxxx".
func (s *Sender) String() string { return s.url.Redacted() }

// Send delivers msg (Message.Bytes) to the address to. ctx's deadline and
// cancellation bound the whole exchange: dial, TLS, every command and the
// data. An error says through Permanent whether a retry may help; its text
// names the server but no address (not the recipient's, not one the
// server's reply quotes): it goes to logs and to the outbox's last_error.
func (s *Sender) Send(ctx context.Context, to string, msg []byte) error {
	a, err := mail.ParseAddress(to)
	if err != nil || strings.ContainsAny(to, "\r\n") {
		return invalid("the recipient is not an address")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: send via %s: %w", s.addr, err)
	}
	if err := s.send(ctx, a.Address, msg); err != nil {
		ctxErr := ctx.Err()
		if deadline, ok := ctx.Deadline(); ok && ctxErr == nil && !time.Now().Before(deadline) {
			ctxErr = context.DeadlineExceeded // the connection's deadline fired first
		}
		if ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return &redactedError{text: Redact(fmt.Sprintf("mail: send via %s: %v", s.addr, err)), err: err}
	}
	return nil
}

// addressRe matches what looks like a mail address.
var addressRe = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// Redact replaces everything in text that looks like a mail address with
// "<address>".
func Redact(text string) string { return addressRe.ReplaceAllString(text, "<address>") }

// redactedError is an error whose text has no addresses; Unwrap gives the
// original, for Permanent and errors.Is.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

func (s *Sender) send(ctx context.Context, to string, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	// Closing the connection when ctx ends unblocks whatever the client waits for.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()

	c, err := s.open(ctx, conn)
	if err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok {
		c.CommandTimeout = time.Until(deadline)
		c.SubmissionTimeout = c.CommandTimeout
	}
	if s.user != "" {
		if !c.SupportsAuth(sasl.Plain) {
			return &permanentError{errors.New("server does not offer AUTH PLAIN")}
		}
		if err := c.Auth(sasl.NewPlainClient("", s.user, s.password)); err != nil {
			return fmt.Errorf("AUTH PLAIN as %q: %w", s.user, err)
		}
	}
	if err := c.SendMail(s.from, []string{to}, bytes.NewReader(msg)); err != nil {
		return err
	}
	_ = c.Quit() // the message is accepted; a failed QUIT changes nothing
	return nil
}

// open greets the server and sets up TLS: implicit, STARTTLS, or none.
func (s *Sender) open(ctx context.Context, conn net.Conn) (*smtp.Client, error) {
	if s.implicit {
		tc := tls.Client(conn, s.tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, fmt.Errorf("TLS: %w", err)
		}
		c := smtp.NewClient(tc)
		return c, c.Hello(s.localName)
	}
	c := smtp.NewClient(conn)
	if deadline, ok := ctx.Deadline(); ok {
		c.CommandTimeout = time.Until(deadline)
	}
	if err := c.Hello(s.localName); err != nil {
		return nil, err
	}
	offered, _ := c.Extension("STARTTLS")
	switch {
	case s.starttls && offered:
	case s.user != "":
		return nil, errors.New("server does not offer STARTTLS; refusing to send the password in clear")
	default:
		return c, nil // a local relay without TLS, or starttls=off
	}
	// go-smtp upgrades only a client it greets itself: hand it the connection
	// with the greeting replayed, so it says EHLO again (allowed, RFC 5321
	// §4.1.4) and then STARTTLS, on the same connection.
	c, err := smtp.NewClientStartTLS(&greeted{Conn: conn, pending: "220 greeting replayed\r\n"}, s.tlsConfig)
	if err != nil {
		return nil, fmt.Errorf("STARTTLS: %w", err)
	}
	return c, c.Hello(s.localName)
}

// greeted is a connection whose server greeting was already read: it replays
// one before the rest of the stream.
type greeted struct {
	net.Conn
	pending string
}

func (g *greeted) Read(p []byte) (int, error) {
	if g.pending != "" {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	return g.Conn.Read(p)
}

var _ io.Reader = (*greeted)(nil)

// permanentError is an error that a retry cannot mend.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent reports whether err is permanent: the server refused with a 5xx
// reply, or the message or address is invalid. 4xx replies, network errors,
// TLS failures and ctx deadlines are temporary: a retry later may succeed.
func Permanent(err error) bool {
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code >= 500 && se.Code < 600
	}
	return false
}
