package token

// MaxAccountLength is the longest [Account], in bytes.
const MaxAccountLength = 128

// Account identifies a holder: a member of a circle, a participant of a sale, a ledger
// account. Every package of the library uses it. A valid account is 1 to
// [MaxAccountLength] bytes of printable ASCII without space (0x21 to 0x7E), such as
// "alice", "team-2017" or "0x5bb8D0DfdAf3a03cF51F9c8623C160a4c021E522". Accounts compare
// by exact bytes. The zero Account, "", is not valid.
//
// An account is an identifier, not a name shown to people, so its alphabet is closed: no
// Unicode spaces (U+2003, U+3000), no format or invisible characters (U+200B, U+FEFF, the
// bidirectional override U+202E, the soft hyphen U+00AD), no look-alike letters from other
// scripts, and no composed and decomposed twins of one name (NFC "é" and NFD "e" + U+0301),
// any of which would make two members that look the same, or one member whose name reads
// differently from how it compares. A display name, in any script, belongs beside the
// account, in the application's own records.
type Account string

// ParseAccount returns s as an Account after checking it with [Account.Validate].
func ParseAccount(s string) (Account, error) {
	a := Account(s)
	if err := a.Validate(); err != nil {
		err.(*Error).Op = "ParseAccount"
		return "", err
	}
	return a, nil
}

// Validate reports whether the account is well formed. The error is an [*Error] wrapping
// [ErrInvalidAccount], whose Detail says what is wrong.
func (a Account) Validate() error {
	switch {
	case a == "":
		return &Error{Op: "Validate", Detail: "empty", Err: ErrInvalidAccount}
	case len(a) > MaxAccountLength:
		return &Error{Op: "Validate", Account: a, Detail: "longer than 128 bytes", Err: ErrInvalidAccount}
	}
	for i := 0; i < len(a); i++ {
		if c := a[i]; c < 0x21 || c > 0x7e {
			return &Error{Op: "Validate", Account: a, Detail: "not printable ASCII without space (0x21 to 0x7E)", Err: ErrInvalidAccount}
		}
	}
	return nil
}

// String returns the account as a string.
func (a Account) String() string { return string(a) }
