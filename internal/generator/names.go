package generator

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/asylum-scheduling/interviews/solver"
)

// Names, e-mail addresses and locales of generated people, and room names.
// They come from a random stream of their own, so that adding them left
// every other field of an instance as it was for the same (size, seed).

var (
	finnishFirst = []string{"Aino", "Eero", "Helmi", "Juha", "Kaisa", "Lauri", "Minna", "Niko", "Outi", "Pekka",
		"Riikka", "Sami", "Tuula", "Ville", "Anu", "Jari", "Leena", "Matti", "Sanna", "Timo"}
	finnishLast = []string{"Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
		"Koskinen", "Järvinen", "Lehtonen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Kinnunen"}
	swedishFirst = []string{"Anna", "Erik", "Johanna", "Mikael", "Sofia", "Henrik", "Linnea", "Fredrik", "Ebba", "Mats"}
	swedishLast  = []string{"Lindholm", "Karlsson", "Nyström", "Lindqvist", "Sjöberg", "Holmström", "Ekman", "Forsman"}
	foreignFirst = []string{"Samir", "Amina", "Hassan", "Leyla", "Yonas", "Ayaan", "Dariush", "Shirin", "Ahmad", "Fatima",
		"Abdi", "Hiwet", "Karwan", "Nasrin", "Omar", "Zahra", "Tesfay", "Farid", "Hodan", "Rebin"}
	foreignLast = []string{"Haddad", "Mohamed", "Ahmadi", "Karimi", "Tesfaye", "Warsame", "Rahimi", "Hussein", "Barzani",
		"Abdullahi", "Hosseini", "Gebremedhin", "Nouri", "Salih", "Yusuf", "Kebede"}
	roomNames = []string{"Saimaa", "Päijänne", "Inari", "Pielinen", "Oulujärvi", "Kallavesi", "Näsijärvi", "Pyhäjärvi",
		"Keitele", "Lappajärvi", "Höytiäinen", "Pihlajavesi", "Haukivesi", "Puruvesi", "Orivesi", "Koitere"}
)

// addNames gives every person of in a name, an address under example.org and
// a locale, and every room a name, drawn from a stream seeded by seed.
func addNames(in *solver.Instance, seed int64) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6e616d6573))
	used := map[string]int{}
	person := func(first, last []string) (name, email string) {
		f, l := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
		name = f + " " + l
		local := ascii(f) + "." + ascii(l)
		used[local]++
		if n := used[local]; n > 1 {
			local = fmt.Sprintf("%s.%d", local, n)
		}
		return name, local + "@example.org"
	}
	for i := range in.Interviewers {
		e := &in.Interviewers[i]
		if rng.IntN(6) == 0 { // a Swedish-speaking caseworker
			e.Name, e.Email = person(swedishFirst, swedishLast)
			e.Locale = "sv"
		} else {
			e.Name, e.Email = person(finnishFirst, finnishLast)
			e.Locale = "fi"
		}
	}
	for i := range in.Interpreters {
		t := &in.Interpreters[i]
		t.Name, t.Email = person(foreignFirst, foreignLast)
		t.Locale = []string{"fi", "fi", "fi", "en", "en", "sv"}[rng.IntN(6)]
	}
	for i := range in.Parties {
		p := &in.Parties[i]
		if rng.IntN(5) == 0 {
			p.Name, p.Email = person(swedishFirst, swedishLast)
			p.Locale = "sv"
		} else {
			p.Name, p.Email = person(finnishFirst, finnishLast)
			p.Locale = "fi"
		}
	}
	perLocation := map[string]int{}
	for i := range in.Rooms {
		r := &in.Rooms[i]
		n := perLocation[r.Location]
		perLocation[r.Location]++
		r.Name = roomNames[n%len(roomNames)]
		if n >= len(roomNames) {
			r.Name = fmt.Sprintf("%s %d", r.Name, n/len(roomNames)+1)
		}
	}
}

// ascii lower-cases a name and spells it with ASCII letters for an address.
func ascii(s string) string {
	return strings.NewReplacer("ä", "a", "ö", "o", "å", "a", "Ä", "a", "Ö", "o", "Å", "a").Replace(strings.ToLower(s))
}
