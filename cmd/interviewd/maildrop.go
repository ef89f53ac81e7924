package main

// maildrop.go: with -demo and no SMTP_URL, mails go to a mail drop, an SMTP
// server on loopback that keeps each message as a file under DATA/mail, so
// that the portal's sign-in links and the booking invitations can be tried
// without a mail server. Never used outside -demo.

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// startMailDrop serves SMTP on 127.0.0.1 and writes each message to dir as
// NNNN.eml; it returns the server's SMTP_URL and its stop.
func startMailDrop(dir string) (string, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, err
	}
	var n atomic.Int64
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &dropSession{dir: dir, n: &n}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = srv.Serve(l) }()
	return "smtp://" + l.Addr().String() + "?starttls=off", func() { srv.Close() }, nil
}

type dropSession struct {
	dir string
	n   *atomic.Int64
	to  string
}

func (s *dropSession) Reset()                                    {}
func (s *dropSession) Logout() error                             { return nil }
func (s *dropSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *dropSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *dropSession) Data(r io.Reader) error {
	name := filepath.Join(s.dir, fmt.Sprintf("%s-%04d.eml", time.Now().Format("20060102-150405"), s.n.Add(1)))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
