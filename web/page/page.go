// Package page is what the staff pages and the portal share in showing a
// page: the one template loader (a layout and the pages that fill it).
package page

import (
	"html/template"
	"io/fs"
	"path"
	"strings"
)

// Load parses the templates of dir in fsys: dir/layout.html, and each other
// dir/NAME.html on a clone of it, with funcs. The answer is by NAME; a
// broken template panics (they are embedded: a test parses them all).
func Load(fsys fs.FS, dir string, funcs ...template.FuncMap) map[string]*template.Template {
	base := template.New("")
	for _, f := range funcs {
		base = base.Funcs(f)
	}
	base = template.Must(base.ParseFS(fsys, path.Join(dir, "layout.html")))
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".html")
		if !ok || name == "layout" {
			continue
		}
		t := template.Must(base.Clone())
		template.Must(t.ParseFS(fsys, path.Join(dir, e.Name())))
		out[name] = t
	}
	return out
}
