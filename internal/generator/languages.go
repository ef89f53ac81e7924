package generator

// langDemand is one interview language tag with its share of demand (in
// tenths of a percent of all interviews, roughly the 2015–2023 mix of asylum
// interviews in Finland: Iraqi Arabic, Somali, Dari, Sorani and Persian carry
// about half, then a long tail).
type langDemand struct {
	tag    string
	weight int
}

// demand lists the interview languages. Arabic comes with its dialects; every
// other language is a bare primary tag.
var demand = []langDemand{
	{"ar-IQ", 90}, {"ar", 50}, {"ar-SY", 40}, {"ar-SD", 15}, {"ar-YE", 10}, {"ar-EG", 5},
	{"so", 80}, {"prs", 70}, {"ckb", 70}, {"fa", 55},
	{"ti", 35}, {"kmr", 30}, {"ru", 30}, {"uk", 25}, {"ps", 25},
	{"tr", 20}, {"am", 20}, {"om", 15}, {"fr", 15},
	{"sw", 10}, {"ln", 10}, {"vi", 10}, {"sq", 10},
	{"uz", 8}, {"bn", 8}, {"ur", 8}, {"ka", 8},
	{"ce", 6}, {"ta", 6},
	{"ne", 5}, {"my", 5}, {"mn", 5}, {"zh", 5}, {"en", 5},
	{"hy", 4}, {"az", 4}, {"be", 4}, {"wo", 4}, {"ig", 4}, {"yo", 4}, {"ha", 4}, {"rw", 4}, {"rn", 4},
	{"bin", 3}, {"tk", 3}, {"tg", 3}, {"sr", 3}, {"ro", 3}, {"rom", 3}, {"si", 3}, {"pa", 3}, {"ff", 3},
	{"lt", 2}, {"ky", 2}, {"kk", 2}, {"bs", 2}, {"mk", 2}, {"th", 2}, {"km", 2}, {"hi", 2},
	{"bm", 2}, {"ee", 2}, {"kg", 2}, {"ug", 2}, {"es", 2},
	{"tw", 1}, {"kab", 1}, {"bo", 1},
	{noInterpreterLang, 1},
}

// noInterpreterLang is a language (Sango) no interpreter in any generated
// instance speaks: its interviews are genuinely impossible.
const noInterpreterLang = "sg"

// unservedDialect is an Arabic dialect no generated interpreter lists; an
// interview that requires it is genuinely impossible.
const unservedDialect = "ar-MA"

// arabicDialects are the dialect tags Arabic interpreters list, with weights.
var arabicDialects = []langDemand{{"ar-IQ", 9}, {"ar-SY", 4}, {"ar-SD", 2}, {"ar-YE", 1}, {"ar-EG", 1}}

// companions are plausible second and third languages of an interpreter whose
// first language is the key.
var companions = map[string][]string{
	"ar":  {"ckb", "kmr", "fr", "en"},
	"so":  {"sw", "en", "ar"},
	"prs": {"fa", "ps"},
	"fa":  {"prs", "ckb"},
	"ckb": {"ar", "fa", "kmr"},
	"ti":  {"am", "ar"},
	"kmr": {"tr", "ckb", "ar"},
	"ru":  {"uk", "ka", "uz", "ce", "be", "hy", "az", "kk", "ky", "tg", "tk"},
	"uk":  {"ru"},
	"ps":  {"prs", "ur"},
	"tr":  {"kmr", "az"},
	"am":  {"ti", "om"},
	"om":  {"am", "so"},
	"fr":  {"ln", "wo", "en", "rw", "rn", "kg", "bm", "ff", "kab"},
	"sw":  {"rw", "rn", "so"},
	"ln":  {"fr", "kg"},
	"rw":  {"rn", "fr", "sw"},
	"rn":  {"rw", "fr"},
	"ur":  {"hi", "pa", "ps"},
	"hi":  {"ur", "pa"},
	"bn":  {"hi", "en"},
	"uz":  {"ru", "tg"},
	"tg":  {"fa", "ru"},
	"ka":  {"ru"},
	"ce":  {"ru"},
	"az":  {"tr", "ru"},
	"hy":  {"ru"},
	"sr":  {"bs", "mk"},
	"bs":  {"sr"},
	"yo":  {"ig", "en", "bin"},
	"ig":  {"yo", "en", "bin"},
	"ha":  {"en", "fr", "yo"},
	"bin": {"en", "ig"},
	"ee":  {"tw", "fr", "en"},
	"tw":  {"ee", "en"},
	"wo":  {"fr", "ff"},
	"ff":  {"fr", "wo", "bm"},
	"bm":  {"fr", "ff"},
	"vi":  {"en"},
	"zh":  {"en"},
	"ta":  {"si", "en"},
	"si":  {"ta", "en"},
	"ne":  {"hi", "en"},
	"my":  {"en"},
	"mn":  {"ru"},
}

// interviewerLanguages are languages some caseworkers interview in themselves.
var interviewerLanguages = []string{"en", "en", "ru", "ru", "fr", "es"}

func primary(tag string) string {
	for i := 0; i < len(tag); i++ {
		if tag[i] == '-' {
			return tag[:i]
		}
	}
	return tag
}
