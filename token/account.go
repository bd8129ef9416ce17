package token

import "unicode/utf8"

// MaxAccountLength is the longest [Account], in bytes.
const MaxAccountLength = 128

// Account identifies a holder: a member of a circle, a participant of a sale, a ledger
// account. Every package of the library uses it. A valid account is 1 to
// [MaxAccountLength] bytes of valid UTF-8 with no spaces or control characters, such as
// "alice" or "0x5bb8D0DfdAf3a03cF51F9c8623C160a4c021E522". Accounts compare by exact bytes.
type Account string

// ParseAccount returns s as an Account after checking it with [Account.Validate].
func ParseAccount(s string) (Account, error) {
	a := Account(s)
	if err := a.Validate(); err != nil {
		return "", err
	}
	return a, nil
}

// Validate reports whether the account is well formed. The error is an [*AccountError].
func (a Account) Validate() error {
	switch {
	case a == "":
		return &AccountError{Account: a, Reason: "empty"}
	case len(a) > MaxAccountLength:
		return &AccountError{Account: a, Reason: "longer than 128 bytes"}
	case !utf8.ValidString(string(a)):
		return &AccountError{Account: a, Reason: "not valid UTF-8"}
	}
	for _, r := range string(a) {
		if r <= ' ' || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0xa0 || r == 0x2028 || r == 0x2029 {
			return &AccountError{Account: a, Reason: "contains a space or control character"}
		}
	}
	return nil
}

// String returns the account as a string.
func (a Account) String() string { return string(a) }
