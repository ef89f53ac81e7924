package web

// StaffText is the staff pages' catalog, for the tests.
var StaffText = staffText
