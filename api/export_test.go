package api

// PersonalReads and ImpersonalReads expose the access log's route tables
// to the tests of package api_test.
var (
	PersonalReads   = personalReads
	ImpersonalReads = impersonalReads
)
