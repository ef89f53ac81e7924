package staff

import (
	"net/http"
	"strings"
	"time"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/web/page"
)

// attentionRow is one booking that needs a clerk.
type attentionRow struct {
	resources.Attention
	When       string
	OfficeName string // the office by name (its id when it has none)
	Proposed   string // the other times proposed, in the page's words ("ehdottaa ke 6.1.2027 iltapäivä")
}

// mailRow is one mail that needs a clerk, in the page's words.
type mailRow struct {
	resources.MailAttention
	KindWord, StateWord, To, What string
}

// attentionData is the page: the bookings, then the mails.
type attentionData struct {
	Rows  []attentionRow
	Mails []mailRow
}

// attention lists the bookings that need a clerk, the soonest first: the
// interpreter declined, did not answer in time or stepped aside, or a party
// asked for another time; then the mails that were not sent for sure
// (unknown: sending was cut off; failed: refused), each with what to do.
func (h *Handler) attention(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	c, err := h.clock(r.Context())
	if err != nil {
		return "", err
	}
	as, err := h.store.NeedsAttention(r.Context(), h.now())
	if err != nil {
		return "", err
	}
	names, err := h.officeNames(r.Context())
	if err != nil {
		return "", err
	}
	rows := make([]attentionRow, len(as))
	for i, a := range as {
		rows[i] = attentionRow{Attention: a, When: when(v.L, a.Start, "", c.loc), OfficeName: names[a.Office],
			Proposed: proposedWords(v.L, a.Proposals)}
		if rows[i].OfficeName == "" {
			rows[i].OfficeName = a.Office
		}
	}
	ms, err := h.store.MailsNeedingAttention(r.Context())
	if err != nil {
		return "", err
	}
	mails := make([]mailRow, len(ms))
	for i, m := range ms {
		mails[i] = mailRow{MailAttention: m, KindWord: mailKindWord(v.L, m.Kind), StateWord: v.T("mail.state." + m.State),
			To: v.T("att.mail.to."+m.RecipientKind, m.RecipientID), What: v.T("att.mail.action." + m.Action)}
	}
	v.Title, v.Nav, v.Data = v.T("att.title"), "attention", attentionData{Rows: rows, Mails: mails}
	return "attention", nil
}

// retryMail sends a mail of the list again.
func (h *Handler) retryMail(w http.ResponseWriter, r *http.Request, v *view) (string, error) {
	id, err := page.PathID(r, "id", "mail")
	if err != nil {
		return "", err
	}
	ok, err := h.booking.RetryMail(r.Context(), id)
	if err != nil {
		return "", err
	}
	done := v.T("flash.mailretried")
	if !ok {
		done = v.T("att.mail.gone")
	}
	h.seeOther(w, r, "/attention", done)
	return "", nil
}

// mailKindWord names a mail's kind in the page's language; a reminder
// says how long before ("reminder_72h").
func mailKindWord(l, kind string) string {
	if h, ok := strings.CutPrefix(kind, "reminder_"); ok {
		return staffT(l, "mail.kind.reminder", strings.TrimSuffix(h, "h"))
	}
	return staffT(l, "mail.kind."+kind)
}

// proposedWords names the other times a party proposes in the page's
// language and date format: "proposes Wed 6 Jan 2027 afternoon, …"; ""
// for none.
func proposedWords(l string, ps []resources.TimeProposal) string {
	if len(ps) == 0 {
		return ""
	}
	words := make([]string, len(ps))
	for i, p := range ps {
		d, err := time.Parse(time.DateOnly, p.Date)
		date := p.Date
		if err == nil {
			date = i18n.FormatDate(l, d)
		}
		words[i] = date + " " + staffT(l, "att.part."+p.Part)
	}
	return staffT(l, "att.proposes", strings.Join(words, ", "))
}
