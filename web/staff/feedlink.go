package staff

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	websession "github.com/asylum-scheduling/interviews/web/session"
)

// newLinkCookie carries a subscription link just made from the POST that
// made it to the page it redirects to, which shows it once and clears it:
// a reload of that page neither makes another link nor shows this one
// again. The link is sealed (AES-GCM) with a key derived from the
// browser's session id, which the server does not keep (it stores only
// the id's hash), so the secret is stored nowhere on the server and the
// cookie alone is useless.
const newLinkCookie = "__Host-ivnewlink"

// newLinkSeconds is how long the sealed link waits for its page.
const newLinkSeconds = 120

// linkKey is the sealing key of the request's session ("" without one).
func linkKey(r *http.Request) []byte {
	c, err := r.Cookie(websession.StaffCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	k := sha256.Sum256([]byte("interviewd feed link\x00" + c.Value))
	return k[:]
}

// keepNewLink seals the link made for feed id into the cookie.
func keepNewLink(w http.ResponseWriter, r *http.Request, id int64, link string) {
	key := linkKey(r)
	if key == nil {
		return
	}
	gcm := newGCM(key)
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	sealed := gcm.Seal(nonce, nonce, []byte(strconv.FormatInt(id, 10)+" "+link), nil)
	websession.SetCookie(w, newLinkCookie, base64.RawURLEncoding.EncodeToString(sealed), newLinkSeconds)
}

// takeNewLink opens and clears the sealed link, if any: the feed id and
// the link.
func takeNewLink(w http.ResponseWriter, r *http.Request) (int64, string) {
	c, err := r.Cookie(newLinkCookie)
	if err != nil {
		return 0, ""
	}
	websession.SetCookie(w, newLinkCookie, "", -1)
	key := linkKey(r)
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if key == nil || err != nil {
		return 0, ""
	}
	gcm := newGCM(key)
	if len(raw) < gcm.NonceSize() {
		return 0, ""
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], nil)
	if err != nil {
		return 0, ""
	}
	idText, link, ok := strings.Cut(string(plain), " ")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return 0, ""
	}
	return id, link
}

func newGCM(key []byte) cipher.AEAD {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err)
	}
	return g
}
