package token_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

func TestAccount(t *testing.T) {
	for _, s := range []string{"alice", "0x5bb8D0DfdAf3a03cF51F9c8623C160a4c021E522", "team-2017", "o'brien", "!~", "a.b_c@d",
		strings.Repeat("a", token.MaxAccountLength)} {
		a, err := token.ParseAccount(s)
		if err != nil || a.String() != s || a.Validate() != nil {
			t.Errorf("ParseAccount(%q) = %q, %v", s, a, err)
		}
	}
	const notASCII = "not printable ASCII without space (0x21 to 0x7E)"
	bad := map[string]string{
		"":         "empty",
		"a b":      notASCII,
		"a\tb":     notASCII,
		"a\u0085":  notASCII,
		"a\u00a0b": notASCII,
		"a\u2028":  notASCII,
		"a\x7f":    notASCII,
		"\xff":     notASCII,
		"a\x00":    notASCII,
		// Unicode spaces, invisible and format characters.
		"a\u2003b": notASCII, // em space
		"a\u3000b": notASCII, // ideographic space
		"a\u200bb": notASCII, // zero width space
		"\ufeffa":  notASCII, // byte order mark
		"a\u202eb": notASCII, // right-to-left override
		"a\u00adb": notASCII, // soft hyphen
		// Letters of other scripts, and NFC/NFD twins: both forms are refused.
		"zoë":          notASCII,
		"zoe\u0301":    notASCII, // NFD: e + combining acute accent
		"caf\u00e9":    notASCII, // NFC
		"名前":           notASCII,
		"\u0430lice":   notASCII, // Cyrillic a
		"a\xc3":        notASCII, // truncated UTF-8
		"\xed\xa0\x80": notASCII, // a UTF-16 surrogate encoded
		strings.Repeat("a", token.MaxAccountLength+1): "longer than 128 bytes",
	}
	for s, detail := range bad {
		_, err := token.ParseAccount(s)
		if !errors.Is(err, token.ErrInvalidAccount) {
			t.Errorf("ParseAccount(%q) = %v, want ErrInvalidAccount", s, err)
			continue
		}
		e, ok := errors.AsType[*token.Error](err)
		if !ok || string(e.Account) != s || e.Detail != detail || e.Op != "ParseAccount" {
			t.Errorf("ParseAccount(%q): %+v, want detail %q", s, e, detail)
		}
		if !strings.HasPrefix(err.Error(), "token: ") {
			t.Errorf("message %q", err.Error())
		}
		if err := token.Account(s).Validate(); !errors.Is(err, token.ErrInvalidAccount) {
			t.Errorf("Validate(%q) = %v", s, err)
		}
	}
	// Every byte outside 0x21..0x7E is refused alone and inside a name.
	for c := range 256 {
		s := "a" + string([]byte{byte(c)}) + "b"
		err := token.Account(s).Validate()
		if ok := c >= 0x21 && c <= 0x7e; ok != (err == nil) {
			t.Errorf("byte %#x: %v", c, err)
		}
	}
}
