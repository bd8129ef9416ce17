package token_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

func TestAccount(t *testing.T) {
	for _, s := range []string{"alice", "0x5bb8D0DfdAf3a03cF51F9c8623C160a4c021E522", "zoë", "名前", strings.Repeat("a", token.MaxAccountLength)} {
		a, err := token.ParseAccount(s)
		if err != nil || a.String() != s || a.Validate() != nil {
			t.Errorf("ParseAccount(%q) = %q, %v", s, a, err)
		}
	}
	bad := map[string]string{
		"":         "empty",
		"a b":      "contains a space or control character",
		"a\tb":     "contains a space or control character",
		"a\u0085":  "contains a space or control character",
		"a\u00a0b": "contains a space or control character",
		"a\u2028":  "contains a space or control character",
		"a\x7f":    "contains a space or control character",
		"\xff":     "not valid UTF-8",
		strings.Repeat("a", token.MaxAccountLength+1): "longer than 128 bytes",
	}
	for s, reason := range bad {
		_, err := token.ParseAccount(s)
		if !errors.Is(err, token.ErrInvalidAccount) {
			t.Errorf("ParseAccount(%q) = %v, want ErrInvalidAccount", s, err)
			continue
		}
		var ae *token.AccountError
		if !errors.As(err, &ae) || string(ae.Account) != s || ae.Reason != reason {
			t.Errorf("ParseAccount(%q): %+v, want reason %q", s, ae, reason)
		}
		if !strings.HasPrefix(err.Error(), "token: ") {
			t.Errorf("message %q", err.Error())
		}
	}
}
