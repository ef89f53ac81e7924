package generator

import (
	"math"

	"github.com/asylum-scheduling/interviews/solver"
)

// LargeSizes lists the sizes beyond a national surge month that Generate
// also knows: XXL, the peak month of the 2015 surge in Finland (about 13,000
// interviews at the four offices), and DE, a month of a large federal
// agency (about 60,000 interviews at about 40 offices with travel times
// between them). They are kept apart from Sizes because they take seconds to
// generate and to solve.
var LargeSizes = []string{"XXL", "DE"}

// largeSizes are the specifications of LargeSizes.
var largeSizes = map[string]sizeSpec{
	// XL four times over: the autumn 2015 peak, ~10,000 applications a
	// month, with rooms and interviewers staffed up in the same proportion.
	"DE":  deSpec(),
	"XXL": {weeks: 4, offices: 4, rooms: []int{160, 72, 56, 72}, interviewers: []int{176, 80, 64, 80}, interpreters: 2840, interviews: 12800, counsels: 1200, earliestDays: 12, allLanguages: true, impossible: 12},
}

// specOf returns the specification of a size of Sizes or LargeSizes.
func specOf(size string) (sizeSpec, bool) {
	if s, ok := sizes[size]; ok {
		return s, true
	}
	s, ok := largeSizes[size]
	return s, ok
}

// region is a country other than Finland: its offices, the travel times
// between them, the offices an interpreter living near one also serves,
// its time zone and its mix of interview languages.
type region struct {
	offices    []office
	travel     []solver.Travel
	neighbours map[string][]string
	timezone   string
	demand     []langDemand
}

func (s sizeSpec) officeList() []office {
	if s.region != nil {
		return s.region.offices
	}
	return offices[:s.offices]
}

func (s sizeSpec) travelList() []solver.Travel {
	if s.region != nil {
		return s.region.travel
	}
	return travel
}

func (s sizeSpec) neighboursOf(id string) []string {
	if s.region != nil {
		return s.region.neighbours[id]
	}
	return neighbours[id]
}

func (s sizeSpec) timezone() string {
	if s.region != nil {
		return s.region.timezone
	}
	return Timezone
}

func (s sizeSpec) demandList() []langDemand {
	if s.region != nil {
		return s.region.demand
	}
	return demand
}

// deOffice is an office of the German federal agency with its place.
type deOffice struct {
	id, name string
	share    int     // share of demand, per mille
	lat, lon float64 // degrees
}

// deOffices are 40 branch offices of a federal asylum agency, with a share
// of the interviews roughly by the population of their region.
var deOffices = []deOffice{
	{"BER", "Berlin", 50, 52.52, 13.40}, {"HAM", "Hamburg", 30, 53.55, 9.99}, {"MUC", "München", 35, 48.14, 11.58},
	{"CGN", "Köln", 30, 50.94, 6.96}, {"FRA", "Frankfurt am Main", 30, 50.11, 8.68}, {"STR", "Stuttgart", 25, 48.78, 9.18},
	{"DUS", "Düsseldorf", 25, 51.23, 6.78}, {"DOR", "Dortmund", 25, 51.51, 7.47}, {"ESS", "Essen", 25, 51.46, 7.01},
	{"BRE", "Bremen", 20, 53.08, 8.80}, {"DRS", "Dresden", 20, 51.05, 13.74}, {"LEJ", "Leipzig", 20, 51.34, 12.37},
	{"HAJ", "Hannover", 25, 52.38, 9.73}, {"NUE", "Nürnberg", 25, 49.45, 11.08}, {"BOC", "Bochum", 20, 51.48, 7.22},
	{"BIE", "Bielefeld", 20, 52.02, 8.53}, {"BON", "Bonn", 20, 50.74, 7.10}, {"KAE", "Karlsruhe", 25, 49.01, 8.40},
	{"AUG", "Augsburg", 20, 48.37, 10.90}, {"GIE", "Gießen", 25, 50.58, 8.68}, {"CHE", "Chemnitz", 20, 50.83, 12.92},
	{"BRA", "Braunschweig", 20, 52.27, 10.52}, {"OLD", "Oldenburg", 20, 53.14, 8.21}, {"NMS", "Neumünster", 25, 54.07, 9.98},
	{"EIS", "Eisenhüttenstadt", 25, 52.15, 14.65}, {"HAL", "Halberstadt", 20, 51.90, 11.05}, {"SUH", "Suhl", 20, 50.61, 10.69},
	{"SWR", "Schwerin", 20, 53.63, 11.41}, {"TRI", "Trier", 20, 49.75, 6.64}, {"LEB", "Lebach", 15, 49.41, 6.91},
	{"BAM", "Bamberg", 25, 49.89, 10.89}, {"REG", "Regensburg", 20, 49.01, 12.10}, {"DEG", "Deggendorf", 20, 48.83, 12.96},
	{"MAN", "Manching", 25, 48.72, 11.50}, {"ZIR", "Zirndorf", 25, 49.44, 10.95}, {"SWF", "Schweinfurt", 20, 50.05, 10.23},
	{"HEI", "Heidelberg", 25, 49.40, 8.69}, {"REU", "Reutlingen", 20, 48.49, 9.21}, {"UNN", "Unna", 25, 51.54, 7.69},
	{"MGL", "Mönchengladbach", 20, 51.19, 6.44},
}

// deDriveMinutes estimates the driving time between two offices: the
// great-circle distance, a fifth longer on the road, at 90 km/h, plus 20
// minutes in town, rounded up to 5 minutes.
func deDriveMinutes(a, b deOffice) int {
	const earth = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (b.lat-a.lat)*rad, (b.lon-a.lon)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	km := 2 * earth * math.Asin(math.Sqrt(h))
	m := int(math.Ceil((km*1.2/90*60 + 20) / 5))
	return 5 * m
}

// deMaxTravel is the longest drive between two offices that an interpreter
// could make between a morning and an afternoon session; farther offices
// have no travel time (no one serves both on one day).
const deMaxTravel = 240

// deNearby is the longest drive from home to an office an interpreter also
// serves.
const deNearby = 90

// deExtraLanguages are languages heard in Germany beyond the Finnish mix,
// each a small share: with them the month has about 100 languages.
var deExtraLanguages = []string{
	"ku", "sd", "lo", "ms", "id", "tl", "ml", "te", "kn", "gu",
	"mr", "dv", "ps-PK", "syr", "aii", "ber", "ar-LY", "ar-DZ", "ar-TN", "ar-JO",
	"ar-LB", "ar-PS", "ti-ER", "tig", "sid", "so-KE", "kri", "snk", "mnk", "fuf",
	"dyu", "ak", "lg", "ny", "sn", "zu", "xh", "mg", "ht", "qu",
}

func deRegion() *region {
	r := &region{timezone: "Europe/Berlin", neighbours: map[string][]string{}}
	for _, o := range deOffices {
		r.offices = append(r.offices, office{id: o.id, name: o.name, share: o.share})
	}
	for i, a := range deOffices {
		for _, b := range deOffices[i+1:] {
			m := deDriveMinutes(a, b)
			if m <= deMaxTravel {
				r.travel = append(r.travel, solver.Travel{From: a.id, To: b.id, Minutes: m})
			}
			if m <= deNearby {
				r.neighbours[a.id] = append(r.neighbours[a.id], b.id)
				r.neighbours[b.id] = append(r.neighbours[b.id], a.id)
			}
		}
	}
	for _, a := range deOffices {
		if len(r.neighbours[a.id]) > 0 {
			continue
		}
		near, best := "", 0 // no office within reach: the nearest one
		for _, b := range deOffices {
			if m := deDriveMinutes(a, b); b.id != a.id && (near == "" || m < best) {
				near, best = b.id, m
			}
		}
		r.neighbours[a.id] = []string{near}
	}
	r.demand = deDemand()
	return r
}

// deDemand is the Finnish mix with more Syrian Arabic, Dari, Turkish and
// Kurmanji, and the extra languages, keeping the language that no
// interpreter speaks last.
func deDemand() []langDemand {
	more := map[string]int{"ar-SY": 80, "prs": 40, "tr": 60, "kmr": 40, "ru": 20, "ka": 10}
	var out []langDemand
	for _, l := range demand {
		if l.tag == noInterpreterLang {
			continue
		}
		out = append(out, langDemand{l.tag, l.weight + more[l.tag]})
	}
	for _, tag := range deExtraLanguages {
		out = append(out, langDemand{tag, 1})
	}
	return append(out, langDemand{noInterpreterLang, 1})
}

// deSpec sizes the DE month: 60,000 interviews, rooms and interviewers per
// office by its share as staffed for XL (about 35 interviews per room and 32
// per interviewer in a month), 10,000 interpreters.
func deSpec() sizeSpec {
	r := deRegion()
	const interviews = 60000
	total := 0
	for _, o := range r.offices {
		total += o.share
	}
	s := sizeSpec{weeks: 4, offices: len(r.offices), interpreters: 10600, interviews: interviews, counsels: 5600,
		earliestDays: 12, allLanguages: true, impossible: 24, region: r}
	for _, o := range r.offices {
		n := interviews * o.share / total
		s.rooms = append(s.rooms, max(4, n*100/3550))
		s.interviewers = append(s.interviewers, max(4, n*100/3200))
	}
	return s
}
