// Package mail tells an interview's interpreter and parties (counsel,
// representative) by e-mail that a booking was made, moved or cancelled: a
// short text in the recipient's language (Compose), an iMIP message (RFC 6047)
// that carries the calendar invitation made by calendars.RenderInvitation
// (Message), and an SMTP sender configured by SMTP_URL (Sender) whose errors
// say whether a retry may help (Permanent).
//
// Privacy: nothing here has a field for the applicant's identity or the case;
// a mail says what happened, when, where, in which language and mode, and
// where the recipient's portal is.
package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one e-mail: a text and, optionally, an iCalendar invitation.
type Message struct {
	From    string // "Name <addr>" or a bare address
	To      string // "Name <addr>" or a bare address
	Subject string
	Text    string // the plain text; line feeds become CRLF
	// Calendar is an iTIP object (calendars.RenderInvitation); empty for a text-only mail.
	Calendar []byte
	// Method is the calendar's iTIP method, "REQUEST" or "CANCEL"; it must
	// match the calendar's METHOD (RFC 6047 §2.4). Needed when Calendar is set.
	Method string
	// MessageID is the Message-ID without angle brackets, e.g.
	// "booking-7.3.interpreter-12@interviews.example"; the caller makes it
	// unique per recipient and change (and stable across retries).
	MessageID string
	Date      time.Time // the Date header; the package has no clock of its own
}

// invalid is an error about the message itself: sending it again cannot help.
func invalid(format string, args ...any) error {
	return &permanentError{fmt.Errorf("mail: "+format, args...)}
}

// Bytes encodes the message (RFC 5322, MIME) with CRLF line ends.
//
// With a calendar the body is multipart/alternative: a text/plain part
// (UTF-8, quoted-printable) and then the text/calendar part (UTF-8, base64,
// with the method parameter) — the shape of RFC 6047's example for clients
// that cannot read iCalendar (§4.2), where the calendar is the richest
// alternative and comes last. The calendar is not attached a second time
// (no multipart/mixed with invite.ics): clients that handle iMIP read the
// text/calendar alternative, and a second copy makes some of them show the
// invitation twice.
//
// Addresses, subject and Message-ID with CR or LF are refused (no header
// injection); a non-ASCII subject or display name is RFC 2047 Q-encoded.
func (m Message) Bytes() ([]byte, error) {
	from, err := headerAddress("From", m.From)
	if err != nil {
		return nil, err
	}
	to, err := headerAddress("To", m.To)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(m.Subject, "\r\n") || !validText(m.Subject) {
		return nil, invalid("subject %q has CR, LF or control characters", m.Subject)
	}
	if err := checkMessageID(m.MessageID); err != nil {
		return nil, err
	}
	if m.Date.IsZero() {
		return nil, invalid("no Date")
	}
	if len(m.Calendar) > 0 && m.Method != "REQUEST" && m.Method != "CANCEL" {
		return nil, invalid("calendar method %q is not REQUEST or CANCEL", m.Method)
	}

	var b bytes.Buffer
	b.Grow(1024 + len(m.Text)*2 + len(m.Calendar)*4/3)
	writeHeader(&b, "From", from)
	writeHeader(&b, "To", to)
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	writeHeader(&b, "Date", m.Date.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+m.MessageID+">")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies, please
	if len(m.Calendar) == 0 {
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(boundary(m)); err != nil {
		return nil, err
	}
	writeHeader(&b, "Content-Type", "multipart/alternative; boundary=\""+mw.Boundary()+"\"")
	b.WriteString("\r\n")
	if err := writeParts(mw, &b, m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeParts writes the text and the calendar alternatives and closes mw.
func writeParts(mw *multipart.Writer, b *bytes.Buffer, m Message) error {
	_, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return err
	}
	if err := writeQP(b, m.Text); err != nil {
		return err
	}
	_, err = mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/calendar; charset=utf-8; method=" + m.Method},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return err
	}
	writeBase64(b, m.Calendar)
	return mw.Close()
}

// headerAddress checks and formats an address header's value.
func headerAddress(field, s string) (string, error) {
	if strings.ContainsAny(s, "\r\n") {
		return "", invalid("%s %q has CR or LF", field, s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", invalid("%s %q: %v", field, s, err)
	}
	return a.String(), nil // non-ASCII names come out RFC 2047 encoded
}

func checkMessageID(id string) error {
	left, right, ok := strings.Cut(id, "@")
	if !ok || left == "" || right == "" || strings.ContainsAny(id, " \t\r\n<>()\"\\,;:") || !isPrintableASCII(id) {
		return invalid("Message-ID %q is not of the form left@right", id)
	}
	return nil
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// validText: valid UTF-8 with no control characters but tab.
func validText(s string) bool {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
		return strings.ToValidUTF8(s, "") == s
	}
	return false
}

// maxHeaderLine is RFC 5322 §2.1.1's recommended line length, without CRLF.
const maxHeaderLine = 78

// writeHeader writes "Name: value", folded at spaces to lines of at most 78
// octets where the value allows it (an encoded word is never split).
func writeHeader(b *bytes.Buffer, name, value string) {
	line := len(name) + 1
	b.WriteString(name)
	b.WriteByte(':')
	for i, word := range strings.Split(value, " ") {
		// Before the first word too: "Subject:" CRLF " =?utf-8?q?…?=" is a
		// folded header, and an encoded word may be 75 octets long.
		if line+1+len(word) > maxHeaderLine && (i > 0 || len(word) < maxHeaderLine) {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		line += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// writeQP writes text as quoted-printable with CRLF line breaks, ending in CRLF.
func writeQP(b *bytes.Buffer, text string) error {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	w := quotedprintable.NewWriter(b) // turns "\n" into CRLF and keeps lines ≤ 76
	if _, err := w.Write([]byte(text)); err != nil {
		return err
	}
	return w.Close()
}

// writeBase64 writes data as base64 in lines of 76 characters, each ending in CRLF.
func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding
	const perLine = 57 // 57 octets → 76 characters
	var line [76]byte
	for len(data) > 0 {
		n := min(perLine, len(data))
		enc.Encode(line[:], data[:n])
		b.Write(line[:enc.EncodedLen(n)])
		b.WriteString("\r\n")
		data = data[n:]
	}
}

// boundary is derived from the content, so the same message always gives the
// same bytes. "=_" cannot occur in quoted-printable or base64 text.
func boundary(m Message) string {
	h := sha256.New()
	h.Write([]byte(m.MessageID))
	h.Write([]byte(m.Text))
	h.Write(m.Calendar)
	return "=_" + hex.EncodeToString(h.Sum(nil)[:12])
}
