package mail

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

const testPassword = "s3cret pass/word"

func newSender(t testing.TB, rawURL string, opts ...Option) *Sender {
	t.Helper()
	s, err := NewSender(rawURL, "noreply@interviews.example", opts...)
	require.NoError(t, err)
	return s
}

func withCredentials(addr string) string {
	return "smtp://" + url.UserPassword("clerk-mailer", testPassword).String() + "@" + addr
}

func sendOne(t testing.TB, s *Sender, locale string) error {
	t.Helper()
	data, err := testMessage(t, Booked, locale).Bytes()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return s.Send(ctx, "paivi@tulkit.example", data)
}

func TestSendPlainPerLocale(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverConfig{})
	s := newSender(t, "smtp://"+srv.addr)
	for _, locale := range []string{"fi", "sv", "en"} {
		require.NoError(t, sendOne(t, s, locale))
	}
	msgs := srv.messages()
	require.Len(t, msgs, 3)
	for i, locale := range []string{"fi", "sv", "en"} {
		got := msgs[i]
		require.False(t, got.tls)
		require.Equal(t, "noreply@interviews.example", got.from)
		require.Equal(t, "paivi@tulkit.example", got.to)
		want := testMessage(t, Booked, locale)
		p := parseMail(t, got.data)
		require.Equal(t, want.Subject, p.subject, locale)
		require.Equal(t, want.Text, p.text, locale)
		checkCalendar(t, p, "REQUEST", 3)
	}
}

func TestSendSTARTTLSWithAuth(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverConfig{tls: startTLS, user: "clerk-mailer", password: testPassword})
	s := newSender(t, withCredentials(srv.addr), WithTLSConfig(srv.tlsConfig()))
	require.NotContains(t, s.String(), testPassword)
	require.NotContains(t, s.String(), url.PathEscape(testPassword))
	require.NoError(t, sendOne(t, s, "sv"))
	msgs := srv.messages()
	require.Len(t, msgs, 1)
	require.True(t, msgs[0].tls, "STARTTLS before AUTH")
	require.Equal(t, "clerk-mailer", msgs[0].authUser)
	p := parseMail(t, msgs[0].data)
	require.Equal(t, "Asylintervju bokad: mån 4 jan. 2027 kl. 08.30", p.subject)
	checkCalendar(t, p, "REQUEST", 3)

	// A wrong password: 535, permanent, and the password is in no error.
	bad := newSender(t, "smtp://clerk-mailer:wrong-"+url.PathEscape(testPassword)+"@"+srv.addr, WithTLSConfig(srv.tlsConfig()))
	err := sendOne(t, bad, "en")
	require.Error(t, err)
	var se *smtp.SMTPError
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, 535, se.Code)
	require.True(t, Permanent(err))
	require.NotContains(t, err.Error(), testPassword)
	require.NotContains(t, err.Error(), "wrong-")

	// Without the CA the certificate is refused: no mail, a temporary error.
	untrusted := newSender(t, withCredentials(srv.addr))
	err = sendOne(t, untrusted, "en")
	require.Error(t, err)
	require.False(t, Permanent(err))
	require.Contains(t, err.Error(), "certificate")
	require.Len(t, srv.messages(), 1)
	// … unless the test-only switch says so.
	insecure := newSender(t, withCredentials(srv.addr)+"?tls_insecure_skip_verify=1")
	require.NoError(t, sendOne(t, insecure, "en"))
	require.Len(t, srv.messages(), 2)
}

func TestSendOpportunisticSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverConfig{tls: startTLS})
	require.NoError(t, sendOne(t, newSender(t, "smtp://"+srv.addr, WithTLSConfig(srv.tlsConfig())), "fi"))
	require.NoError(t, sendOne(t, newSender(t, "smtp://"+srv.addr+"?starttls=off"), "fi"))
	msgs := srv.messages()
	require.Len(t, msgs, 2)
	require.True(t, msgs[0].tls, "STARTTLS when offered")
	require.False(t, msgs[1].tls, "starttls=off")
	for _, m := range msgs {
		checkCalendar(t, parseMail(t, m.data), "REQUEST", 3)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverConfig{tls: implicitTLS, user: "clerk-mailer", password: testPassword})
	rawURL := "smtps://" + url.UserPassword("clerk-mailer", testPassword).String() + "@" + srv.addr
	require.NoError(t, sendOne(t, newSender(t, rawURL, WithTLSConfig(srv.tlsConfig())), "en"))
	msgs := srv.messages()
	require.Len(t, msgs, 1)
	require.True(t, msgs[0].tls)
	require.Equal(t, "clerk-mailer", msgs[0].authUser)
	p := parseMail(t, msgs[0].data)
	require.Equal(t, "Asylum interview booked: Mon 4 Jan 2027, 08:30", p.subject)
	checkCalendar(t, p, "REQUEST", 3)
}

func TestSendNeverSendsAPasswordInClear(t *testing.T) {
	t.Parallel()
	// The server would take AUTH without TLS; the client must not offer it.
	srv := startServer(t, serverConfig{user: "clerk-mailer", password: testPassword, allowPlainAuth: true})
	err := sendOne(t, newSender(t, withCredentials(srv.addr)), "en")
	require.Error(t, err)
	require.Contains(t, err.Error(), "STARTTLS")
	require.NotContains(t, err.Error(), testPassword)
	require.Zero(t, srv.authAttempts())
	require.Empty(t, srv.messages())

	_, err = NewSender(withCredentials(srv.addr)+"?starttls=off", "noreply@interviews.example")
	require.Error(t, err)
	require.NotContains(t, err.Error(), testPassword)
}

func TestSendRepliesPermanentOrTemporary(t *testing.T) {
	t.Parallel()
	cases := []struct {
		reply     *smtp.SMTPError
		permanent bool
	}{
		{&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}, true},
		{&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}, false},
		// Servers quote the address back: the error's text must not.
		{&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "<paivi@tulkit.example>: Recipient address rejected: paivi@tulkit.example unknown"}, true},
	}
	for _, c := range cases {
		srv := startServer(t, serverConfig{rcptReply: c.reply})
		err := sendOne(t, newSender(t, "smtp://"+srv.addr), "en")
		require.Error(t, err)
		var se *smtp.SMTPError
		require.True(t, errors.As(err, &se), "%v", err)
		require.Equal(t, c.reply.Code, se.Code)
		require.Equal(t, c.permanent, Permanent(err), "%v", err)
		require.Empty(t, srv.messages())
		// It goes to logs and last_error: the server and its answer, no address.
		require.NotContains(t, err.Error(), "paivi", "%v", err)
		require.NotContains(t, err.Error(), "tulkit.example", "%v", err)
		require.Contains(t, err.Error(), srv.addr)
		require.Contains(t, err.Error(), strconv.Itoa(c.reply.Code))
	}
	// Nobody listening: a network error, temporary.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	err = sendOne(t, newSender(t, "smtp://"+addr), "en")
	require.Error(t, err)
	require.False(t, Permanent(err))
}

func TestSendHonoursTheDeadline(t *testing.T) {
	t.Parallel()
	// A server that accepts connections and never says a word.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	var held []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // kept open, never answered
		}
	}()
	data, err := testMessage(t, Booked, "en").Bytes()
	require.NoError(t, err)
	for _, rawURL := range []string{"smtp://" + l.Addr().String(), "smtps://" + l.Addr().String()} {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		done := make(chan error, 1)
		sender := newSender(t, rawURL) // here: require stops only the goroutine it runs in
		go func() { done <- sender.Send(ctx, "paivi@tulkit.example", data) }()
		select {
		case err := <-done:
			require.ErrorIs(t, err, context.DeadlineExceeded, rawURL)
			require.False(t, Permanent(err))
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: Send did not return after its deadline", rawURL)
		}
		cancel()
	}
}

func TestSendRefusesInjectedRecipient(t *testing.T) {
	t.Parallel()
	srv := startServer(t, serverConfig{})
	s := newSender(t, "smtp://"+srv.addr)
	data, err := testMessage(t, Booked, "en").Bytes()
	require.NoError(t, err)
	for _, to := range []string{"a@b.example\r\nRCPT TO:<eve@evil.example>", "a@b.example>\nDATA", "not an address"} {
		err := s.Send(context.Background(), to, data)
		require.Error(t, err)
		require.True(t, Permanent(err))
		require.NotContains(t, err.Error(), "example", "%v", err)
	}
	require.Empty(t, srv.messages())
}

func TestNewSender(t *testing.T) {
	t.Parallel()
	good := []struct{ url, addr, str string }{
		{"smtp://relay.internal", "relay.internal:25", "smtp://relay.internal"},
		{"smtp://relay.internal:2525?starttls=off", "relay.internal:2525", "smtp://relay.internal:2525?starttls=off"},
		{"smtp://u:p%40ss@mail.example:587", "mail.example:587", "smtp://u:xxxxx@mail.example:587"},
		{"smtps://u:pass@mail.example", "mail.example:465", "smtps://u:xxxxx@mail.example"},
		{"smtps://u:pass@[::1]:465", "[::1]:465", "smtps://u:xxxxx@[::1]:465"},
	}
	for _, g := range good {
		s, err := NewSender(g.url, "Scheduling <noreply@interviews.example>")
		require.NoError(t, err, g.url)
		require.Equal(t, g.addr, s.addr)
		require.Equal(t, g.str, s.String())
		require.Equal(t, "noreply@interviews.example", s.from)
	}
	bad := []string{
		"http://relay.internal", "smtp://", "smtp:relay", "smtp://relay/path", "smtp://relay?foo=1",
		"smtp://relay?starttls=maybe", "smtp://u:topsecret@relay?starttls=off", "smtp://u:topsecret@relay:25:26",
	}
	for _, b := range bad {
		_, err := NewSender(b, "noreply@interviews.example")
		require.Error(t, err, b)
		require.False(t, strings.Contains(err.Error(), "topsecret"), "%s: %v", b, err)
	}
	_, err := NewSender("smtp://relay", "noreply@interviews.example\r\nBcc: x@y")
	require.Error(t, err)
}
