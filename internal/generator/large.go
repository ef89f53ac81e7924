package generator

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
