package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// A real go-smtp server in the test process, on 127.0.0.1:0.

type tlsMode int

const (
	noTLS tlsMode = iota
	startTLS
	implicitTLS
)

type serverConfig struct {
	tls            tlsMode
	user, password string // AUTH PLAIN required when set
	rcptReply      *smtp.SMTPError
	allowPlainAuth bool // offer AUTH without TLS (to prove the client refuses)
}

// received is one delivered message and how it came.
type received struct {
	from, to string
	data     []byte
	tls      bool
	authUser string
}

type testServer struct {
	addr  string
	roots *x509.CertPool // trusts the server's self-signed certificate

	mu       sync.Mutex
	msgs     []received
	authSeen int // AUTH attempts, successful or not
}

func (s *testServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *testServer) authAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authSeen
}

// tlsConfig is what a client needs to trust the server.
func (s *testServer) tlsConfig() *tls.Config { return &tls.Config{RootCAs: s.roots} }

func startServer(t testing.TB, cfg serverConfig) *testServer {
	t.Helper()
	ts := &testServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: ts, cfg: cfg, conn: c}, nil
	}))
	srv.Domain = "mx.test"
	srv.AllowInsecureAuth = cfg.allowPlainAuth
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	var l net.Listener
	var err error
	if cfg.tls != noTLS {
		cert, roots := selfSigned(t)
		ts.roots = roots
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if cfg.tls == implicitTLS {
		l, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	require.NoError(t, err)
	ts.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return ts
}

type session struct {
	srv      *testServer
	cfg      serverConfig
	conn     *smtp.Conn
	from     string
	to       string
	authUser string
}

func (s *session) AuthMechanisms() []string {
	if s.cfg.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	s.srv.mu.Lock()
	s.srv.authSeen++
	s.srv.mu.Unlock()
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != s.cfg.user || password != s.cfg.password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		s.authUser = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.cfg.user != "" && s.authUser == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.cfg.rcptReply != nil {
		return s.cfg.rcptReply
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, received{from: s.from, to: s.to, data: data, tls: isTLS, authUser: s.authUser})
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost and a pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mx.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}
