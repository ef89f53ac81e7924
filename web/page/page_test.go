package page_test

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/web/page"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"t/layout.html": {Data: []byte(`{{define "layout"}}<main>{{template "content" .}}</main>{{end}}`)},
		"t/a.html":      {Data: []byte(`{{define "content"}}A {{up .}}{{end}}`)},
		"t/b.html":      {Data: []byte(`{{define "content"}}B{{end}}`)},
		"t/notes.txt":   {Data: []byte(`not a template`)},
	}
	pages := page.Load(fsys, "t", template.FuncMap{"up": strings.ToUpper})
	require.Len(t, pages, 2)
	for name, want := range map[string]string{"a": "<main>A X</main>", "b": "<main>B</main>"} {
		var b strings.Builder
		require.NoError(t, pages[name].ExecuteTemplate(&b, "layout", "x"))
		require.Equal(t, want, b.String())
	}
	require.Panics(t, func() { page.Load(fsys, "t") }, "a function the templates use is missing")
}
