package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestComposeSubjects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		locale string
		kind   Kind
		want   string
	}{
		{"fi", Booked, "Turvapaikkapuhuttelu varattu: ma 4.1.2027 klo 8.30"},
		{"fi", Moved, "Turvapaikkapuhuttelu siirretty: ma 4.1.2027 klo 8.30"},
		{"fi", Cancelled, "Turvapaikkapuhuttelu peruttu: ma 4.1.2027 klo 8.30"},
		{"sv", Booked, "Asylintervju bokad: mån 4 jan. 2027 kl. 08.30"},
		{"sv", Moved, "Asylintervju flyttad: mån 4 jan. 2027 kl. 08.30"},
		{"sv", Cancelled, "Asylintervju inställd: mån 4 jan. 2027 kl. 08.30"},
		{"en", Booked, "Asylum interview booked: Mon 4 Jan 2027, 08:30"},
		{"en", Moved, "Asylum interview moved: Mon 4 Jan 2027, 08:30"},
		{"en", Cancelled, "Asylum interview cancelled: Mon 4 Jan 2027, 08:30"},
		{"sv-FI", Booked, "Asylintervju bokad: mån 4 jan. 2027 kl. 08.30"},
		{"fi-FI", Booked, "Turvapaikkapuhuttelu varattu: ma 4.1.2027 klo 8.30"},
		{"de", Booked, "Asylum interview booked: Mon 4 Jan 2027, 08:30"},
		{"fi", Requested, "Tulkkauspyyntö: ma 4.1.2027 klo 8.30"},
		{"sv", Requested, "Förfrågan om tolkning: mån 4 jan. 2027 kl. 08.30"},
		{"en", Requested, "Request to interpret: Mon 4 Jan 2027, 08:30"},
		{"fi", Confirmed, "Tulkkaus vahvistettu: ma 4.1.2027 klo 8.30"},
		{"fi", Released, "Sinut on vapautettu turvapaikkapuhuttelusta: ma 4.1.2027 klo 8.30"},
		{"sv", Released, "Du är befriad från en asylintervju: mån 4 jan. 2027 kl. 08.30"},
		{"en", Released, "You are released from an asylum interview: Mon 4 Jan 2027, 08:30"},
		{"", Booked, "Asylum interview booked: Mon 4 Jan 2027, 08:30"},
		{"not a tag!", Booked, "Asylum interview booked: Mon 4 Jan 2027, 08:30"},
	}
	for _, c := range cases {
		subject, _ := Compose(c.kind, c.locale, testDetails(RoleInterpreter))
		require.Equal(t, c.want, subject, "%s %d", c.locale, c.kind)
	}
}

// The date styles on other days, months and times, in the location's zone.
func TestComposeDateStyles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		start, end     time.Time
		fi, sv, en     string
		fiWhen, svWhen string
	}{
		{ // summer time (EEST), two-digit day and month, afternoon
			start: time.Date(2027, 10, 15, 13, 5, 0, 0, helsinki), end: time.Date(2027, 10, 15, 15, 0, 0, 0, helsinki),
			fi: "pe 15.10.2027 klo 13.05–15.00", sv: "fre 15 okt. 2027 kl. 13.05–15.00", en: "Fri 15 Oct 2027, 13:05–15:00",
		},
		{ // a Sunday in March, given in UTC: shown in Helsinki time
			start: time.Date(2027, 3, 7, 7, 0, 0, 0, time.UTC), end: time.Date(2027, 3, 7, 8, 0, 0, 0, time.UTC),
			fi: "su 7.3.2027 klo 9.00–10.00", sv: "sön 7 mars 2027 kl. 09.00–10.00", en: "Sun 7 Mar 2027, 09:00–10:00",
		},
		{ // across midnight
			start: time.Date(2027, 6, 30, 23, 0, 0, 0, helsinki), end: time.Date(2027, 7, 1, 0, 30, 0, 0, helsinki),
			fi: "ke 30.6.2027 klo 23.00 – to 1.7.2027 klo 0.30", sv: "ons 30 juni 2027 kl. 23.00 – tors 1 juli 2027 kl. 00.30",
			en: "Wed 30 Jun 2027, 23:00 – Thu 1 Jul 2027, 00:30",
		},
	}
	for _, c := range cases {
		d := testDetails(RoleCounsel)
		d.Start, d.End = c.start, c.end
		for locale, want := range map[string]string{"fi": c.fi, "sv": c.sv, "en": c.en} {
			_, text := Compose(Moved, locale, d)
			require.Contains(t, text, ": "+want+" (Europe/Helsinki)\n", "%s:\n%s", locale, text)
		}
	}
}

func TestComposeTexts(t *testing.T) {
	t.Parallel()
	interp := testDetails(RoleInterpreter)
	asked := interp
	asked.AnswerDue = time.Date(2026, 12, 30, 7, 25, 0, 0, time.UTC) // 09:25 in Helsinki
	asked.ConfirmLink, asked.DeclineLink = testConfirm, testDecline
	remote := testDetails(RoleCounsel)
	remote.Remote, remote.Office, remote.Room, remote.Mode = true, "", "", ModeRemote
	remote.Language = "fa-AF"
	cases := []struct {
		name, locale string
		kind         Kind
		d            Details
		want         string
	}{
		{"fi interpreter booked", "fi", Booked, interp,
			"Sinulle on varattu turvapaikkapuhuttelu (roolisi: tulkki).\n\n" +
				"Aika: ma 4.1.2027 klo 8.30–10.30 (Europe/Helsinki)\n" +
				"Paikka: Helsinki, huone HEL-R02\n" +
				"Kieli: arabia (ar-IQ)\n" +
				"Tulkkaus: paikan päällä\n\n" +
				"Tiedot portaalissa: " + testPortal + "\n\n" +
				"Viestin kalenterikutsu lisää tapahtuman kalenteriisi.\n"},
		{"en interpreter requested", "en", Requested, asked,
			"You are asked to interpret at an asylum interview. Please answer by Wed 30 Dec 2026, 09:25.\n\n" +
				"When: Mon 4 Jan 2027, 08:30–10:30 (Europe/Helsinki)\n" +
				"Where: Helsinki, room HEL-R02\n" +
				"Language: Arabic (ar-IQ)\n" +
				"Interpretation: on site\n\n" +
				"Confirm: " + testConfirm + "\n" +
				"Decline: " + testDecline + "\n\n" +
				"The calendar invitation in this message adds the event to your calendar as tentative until you answer.\n"},
		{"fi interpreter requested", "fi", Requested, asked,
			"Sinua pyydetään tulkiksi turvapaikkapuhutteluun. Vastaa viimeistään ke 30.12.2026 klo 9.25.\n\n" +
				"Aika: ma 4.1.2027 klo 8.30–10.30 (Europe/Helsinki)\n" +
				"Paikka: Helsinki, huone HEL-R02\n" +
				"Kieli: arabia (ar-IQ)\n" +
				"Tulkkaus: paikan päällä\n\n" +
				"Vahvista: " + testConfirm + "\n" +
				"Kieltäydy: " + testDecline + "\n\n" +
				"Viestin kalenterikutsu lisää tapahtuman kalenteriisi alustavana, kunnes vastaat.\n"},
		{"sv interpreter confirmed", "sv", Confirmed, interp,
			"Du har bekräftat att du tolkar vid denna asylintervju. Tack.\n\n" +
				"Tid: mån 4 jan. 2027 kl. 08.30–10.30 (Europe/Helsinki)\n" +
				"Plats: Helsinki, rum HEL-R02\n" +
				"Språk: arabiska (ar-IQ)\n" +
				"Tolkning: på plats\n\n" +
				"Uppgifter i din portal: " + testPortal + "\n\n" +
				"Kalenderinbjudan i meddelandet markerar händelsen som bekräftad i din kalender.\n"},
		{"en interpreter released: expired", "en", Released, func() Details { d := interp; d.Released = ReleasedExpired; return d }(),
			"The time to answer passed, so you are released from this asylum interview.\n\n" +
				"When: Mon 4 Jan 2027, 08:30–10:30 (Europe/Helsinki)\n" +
				"Where: Helsinki, room HEL-R02\n" +
				"Language: Arabic (ar-IQ)\n" +
				"Interpretation: on site\n\n" +
				"Details in your portal: " + testPortal + "\n\n" +
				"The calendar invitation in this message removes the event from your calendar.\n"},
		{"sv interpreter moved", "sv", Moved, interp,
			"Din asylintervju (din roll: tolk) har flyttats. De nya uppgifterna:\n\n" +
				"Tid: mån 4 jan. 2027 kl. 08.30–10.30 (Europe/Helsinki)\n" +
				"Plats: Helsinki, rum HEL-R02\n" +
				"Språk: arabiska (ar-IQ)\n" +
				"Tolkning: på plats\n\n" +
				"Uppgifter i din portal: " + testPortal + "\n\n" +
				"Kalenderinbjudan i meddelandet uppdaterar händelsen i din kalender.\n"},
		{"en interpreter cancelled: no confirmation asked", "en", Cancelled, interp,
			"Your asylum interview (your role: interpreter) has been cancelled.\n\n" +
				"When: Mon 4 Jan 2027, 08:30–10:30 (Europe/Helsinki)\n" +
				"Where: Helsinki, room HEL-R02\n" +
				"Language: Arabic (ar-IQ)\n" +
				"Interpretation: on site\n\n" +
				"Details in your portal: " + testPortal + "\n\n" +
				"The calendar invitation in this message removes the event from your calendar.\n"},
		{"en counsel remote", "en", Booked, remote,
			"An asylum interview has been booked for you (your role: counsel).\n\n" +
				"When: Mon 4 Jan 2027, 08:30–10:30 (Europe/Helsinki)\n" +
				"Where: remote\n" +
				"Language: Persian (fa-AF)\n" +
				"Interpretation: remote interpretation\n\n" +
				"Details in your portal: " + testPortal + "\n\n" +
				"The calendar invitation in this message adds the event to your calendar.\n"},
		{"fi representative remote", "fi", Booked, func() Details { d := remote; d.Role = RoleRepresentative; return d }(),
			"Sinulle on varattu turvapaikkapuhuttelu (roolisi: edustaja).\n\n" +
				"Aika: ma 4.1.2027 klo 8.30–10.30 (Europe/Helsinki)\n" +
				"Paikka: etäyhteys\n" +
				"Kieli: persia (fa-AF)\n" +
				"Tulkkaus: etätulkkaus\n\n" +
				"Tiedot portaalissa: " + testPortal + "\n\n" +
				"Viestin kalenterikutsu lisää tapahtuman kalenteriisi.\n"},
	}
	for _, c := range cases {
		_, text := Compose(c.kind, c.locale, c.d)
		require.Equal(t, c.want, text, c.name)
	}
}

// A release is worded apart from the agency's cancellation, in every
// language, whatever the reason.
func TestComposeReleaseIsNotCancellation(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"fi", "sv", "en"} {
		cancelSubject, cancelText := Compose(Cancelled, l, testDetails(RoleInterpreter))
		intros := map[string]bool{}
		for _, why := range []string{ReleasedDeclined, ReleasedSteppedAside, ReleasedExpired} {
			d := testDetails(RoleInterpreter)
			d.Released = why
			subject, text := Compose(Released, l, d)
			require.NotEqual(t, cancelSubject, subject, l)
			first, _, _ := strings.Cut(text, "\n")
			require.NotContains(t, cancelText, first, "%s %s", l, why)
			intros[first] = true
		}
		require.Len(t, intros, 3, "%s: each reason has its own words", l)
	}
}

func TestComposeUTCWhenNoLocation(t *testing.T) {
	t.Parallel()
	d := testDetails(RoleInterpreter)
	d.Location = nil
	subject, text := Compose(Booked, "en", d)
	require.Equal(t, "Asylum interview booked: Mon 4 Jan 2027, 06:30", subject)
	require.True(t, strings.Contains(text, "When: Mon 4 Jan 2027, 06:30–08:30 (UTC)\n"), text)
}

// The invitation's texts are the person's language, with the pages' names
// of languages (Dari, Sorani, Kurmanji; not "prs" or "Central Kurdish").
func TestInvitationTextsInTheLanguage(t *testing.T) {
	t.Parallel()
	onsite := testDetails(RoleCounsel)
	onsite.Address = "Kauppakatu 1, 00100 Helsinki"
	onsite.Language = "prs"
	remote := testDetails(RoleInterpreter)
	remote.Remote, remote.Room, remote.Mode, remote.Language = true, "", ModeRemote, "ckb"
	remote.MeetingLink = "https://meet.example/r/7"
	remote.AnswerDue = time.Date(2026, 12, 30, 7, 25, 0, 0, time.UTC)
	remote.ConfirmLink, remote.DeclineLink = testConfirm, testDecline
	cases := []struct {
		name, locale                   string
		kind                           Kind
		d                              Details
		summary, location, description string
	}{
		{"fi counsel on site", "fi", Booked, onsite, "Turvapaikkapuhuttelu · dari (prs) · paikan päällä",
			"Helsinki, huone HEL-R02, Kauppakatu 1, 00100 Helsinki",
			"Sinulle on varattu turvapaikkapuhuttelu (roolisi: avustaja).\nTiedot portaalissa: " + testPortal},
		{"sv interpreter remote request", "sv", Requested, remote, "Förfrågan: Asylintervju · sorani (ckb) · distanstolkning",
			"på distans: https://meet.example/r/7",
			"Du ombeds tolka vid en asylintervju. Svara senast ons 30 dec. 2026 kl. 09.25.\nBekräfta: " + testConfirm +
				"\nAvböj: " + testDecline + "\nMöteslänk: https://meet.example/r/7"},
		{"en interpreter released", "en", Released, remote, "Released: Asylum interview · Sorani (ckb) · remote interpretation",
			"remote: https://meet.example/r/7",
			"You declined this asylum interview, so you are released from it. Thank you for answering.\nDetails in your portal: " +
				testPortal + "\nMeeting link: https://meet.example/r/7"},
	}
	for _, c := range cases {
		summary, location, description := Invitation(c.kind, c.locale, c.d)
		require.Equal(t, c.summary, summary, c.name)
		require.Equal(t, c.location, location, c.name)
		require.Equal(t, c.description, description, c.name)
	}
	// Someone who comes to the office is not sent the meeting link.
	onsite.MeetingLink = "https://meet.example/r/7"
	_, location, description := Invitation(Booked, "en", onsite)
	_, text := Compose(Booked, "en", onsite)
	for _, s := range []string{location, description, text} {
		require.NotContains(t, s, "meet.example")
	}
}

// A counsel's mails name the summons number in the subject, the text and
// the invitation, and nothing of the case.
func TestComposeNamesTheSummons(t *testing.T) {
	t.Parallel()
	d := testDetails(RoleCounsel)
	d.Summons = "17"
	subject, text := Compose(Moved, "sv", d)
	require.Equal(t, "Asylintervju flyttad: mån 4 jan. 2027 kl. 08.30 · Kallelsens nummer 17", subject)
	require.True(t, strings.HasPrefix(text, "Din asylintervju (din roll: biträde) har flyttats. De nya uppgifterna:\n\nKallelsens nummer: 17\n"), text)
	_, _, description := Invitation(Moved, "en", d)
	require.Contains(t, description, "\nSummons number: 17\n")
	d.Summons = "18"
	other, _ := Compose(Moved, "sv", d)
	require.NotEqual(t, subject, other)
}
