package rosca

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// Seal is a sealed bid's commitment: SHA-256 over the round, the member, the bid and a
// salt ([SealOf]). Its text is 64 lower-case hexadecimal digits. The zero Seal seals
// nothing.
type Seal [32]byte

// Salt is the secret a bidder mixes into its [Seal] and shows when it reveals the bid. Its
// text is 64 hexadecimal digits. Draw it at random for every bid: a guessable salt lets
// others test amounts against the seal.
type Salt [32]byte

// IsZero reports whether s is the zero Seal.
func (s Seal) IsZero() bool { return zero32((*[32]byte)(&s)) }

// IsZero reports whether s is the zero Salt.
func (s Salt) IsZero() bool { return zero32((*[32]byte)(&s)) }

// zero32 reports whether b is all zeros, a word at a time: the replay asks it of every
// event's seal and salt.
func zero32(b *[32]byte) bool {
	return binary.LittleEndian.Uint64(b[0:])|binary.LittleEndian.Uint64(b[8:])|
		binary.LittleEndian.Uint64(b[16:])|binary.LittleEndian.Uint64(b[24:]) == 0
}

// MarshalText returns the 64 hexadecimal digits of the seal.
func (s Seal) MarshalText() ([]byte, error) { return hex.AppendEncode(nil, s[:]), nil }

// UnmarshalText decodes 64 hexadecimal digits.
func (s *Seal) UnmarshalText(b []byte) error { return unhex32("Seal", (*[32]byte)(s), b) }

// MarshalText returns the 64 hexadecimal digits of the salt.
func (s Salt) MarshalText() ([]byte, error) { return hex.AppendEncode(nil, s[:]), nil }

// UnmarshalText decodes 64 hexadecimal digits.
func (s *Salt) UnmarshalText(b []byte) error { return unhex32("Salt", (*[32]byte)(s), b) }

func unhex32(what string, v *[32]byte, b []byte) error {
	var w [32]byte
	if len(b) != 64 {
		return &Error{Op: what + ".UnmarshalText", Detail: "must be 64 hexadecimal digits", Err: ErrReplay}
	}
	if _, err := hex.Decode(w[:], b); err != nil {
		return &Error{Op: what + ".UnmarshalText", Detail: "must be 64 hexadecimal digits", Err: ErrReplay}
	}
	*v = w
	return nil
}

// SealOf returns the seal of member's bid of amount in round, under salt: SHA-256 of
// "trustcircle/rosca/seal/v1", the round (8 bytes, big endian), the member's length (2
// bytes) and bytes, the bid's text ([token.Amount.AppendText]) and the salt. A bidder
// computes it, seals it with [Circle.SealBid] and reveals amount and salt with
// [Circle.RevealBid].
func SealOf(round int, member token.Account, amount token.Amount, salt Salt) Seal {
	h := sha256.New()
	h.Write([]byte("trustcircle/rosca/seal/v1"))
	var n [10]byte
	binary.BigEndian.PutUint64(n[:8], uint64(round))
	binary.BigEndian.PutUint16(n[8:], uint16(len(member)))
	h.Write(n[:])
	h.Write([]byte(member))
	text, _ := amount.AppendText(nil)
	h.Write(text)
	h.Write(salt[:])
	var s Seal
	h.Sum(s[:0])
	return s
}

// sealed is a member's seal in the open round.
type sealed struct {
	seat int
	seal Seal
}

// SealBid records member's sealed bid in the open round of a circle whose rules seal bids
// ([Rules.Sealed]): nobody sees the bid until it is revealed, from the round's deadline
// on. The member may bid as [Circle.Bid] requires (not won in the epoch, in good
// standing); a later seal replaces its earlier one.
//
// Errors: those of [Circle.Bid] that do not concern the amount, [ErrSealedBids] (the
// circle's bids are open), [ErrInvalidAmount] (the zero Seal), [ErrTooLate] (at or after
// the deadline: the reveals have begun).
func (c *Circle) SealBid(at time.Time, member token.Account, seal Seal) error {
	const op = "SealBid"
	ns, i, err := c.sealedCommand(op, at, member)
	if err != nil {
		return err
	}
	if seal.IsZero() {
		return &Error{Op: op, Account: member, Round: c.open.number, At: at, Detail: "the zero Seal seals nothing", Err: ErrInvalidAmount}
	}
	if dl := c.terms.cfg.Deadline(c.open.number); ns >= dl.UnixNano() {
		return &Error{Op: op, Account: member, Round: c.open.number, At: at,
			Detail: "bids were sealed until " + formatTime(dl) + "; the reveals have begun", Err: ErrTooLate}
	}
	if err := c.mayBid(op, at, i, token.Amount{}); err != nil {
		return err
	}
	c.setSeal(i, seal)
	c.log.seals = append(c.log.seals, [32]byte(seal))
	c.record(evBidSealed, ns, i, c.open.number, units{})
	return nil
}

// RevealBid reveals member's sealed bid of amount with its salt, at or after the round's
// deadline and before its close: the seal must be [SealOf] the round, the member, amount
// and salt, and amount an acceptable bid (between the smallest and the largest bid; a
// sealed bid is not capped by the others). The lowest revealed bid wins at the close (ties
// as [Rules.Ties] says, the price as [Rules.Price]); a seal not revealed by the close bids
// nothing. A seal is revealed once.
//
// Errors: those of [Circle.Bid], [ErrSealedBids] (open bids), [ErrTooEarly] (before the
// deadline), [ErrBadReveal] (no seal, or amount and salt do not match it).
func (c *Circle) RevealBid(at time.Time, member token.Account, amount token.Amount, salt Salt) error {
	const op = "RevealBid"
	ns, i, err := c.sealedCommand(op, at, member)
	if err != nil {
		return err
	}
	t := c.terms
	if dl := t.cfg.Deadline(c.open.number); ns < dl.UnixNano() {
		return &Error{Op: op, Account: member, Round: c.open.number, At: at,
			Detail: "bids are revealed from " + formatTime(dl), Err: ErrTooEarly}
	}
	k := c.sealIndex(i)
	if k < 0 || SealOf(c.open.number, member, amount, salt) != c.open.seals[k].seal {
		return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: "no seal of " + member.String() + " in this round matches the bid and salt", Err: ErrBadReveal}
	}
	x, err := c.checkAmount(op, member, amount)
	if err != nil {
		return err
	}
	given := x
	if x, err = c.taken(op, at, member, amount, x); err != nil {
		return err
	}
	if err := c.mayBid(op, at, i, amount); err != nil {
		return err
	}
	if x.cmp(t.minBid) < 0 || x.cmp(c.maxBid()) > 0 {
		lim, reason, detail := t.minBid, ErrBidTooLow, "the minimum bid is "+t.minBid.amount(t.asset).String()
		if x.cmp(t.maxFirst) > 0 {
			lim, reason, detail = t.maxFirst, ErrBidTooHigh, "the largest bid is "+t.maxFirst.amount(t.asset).String()
		}
		return &Error{Op: op, Account: member, Amount: amount, Limit: lim.amount(t.asset), Round: c.open.number, At: at, Detail: detail, Err: reason}
	}
	c.open.seals = append(c.open.seals[:k], c.open.seals[k+1:]...)
	c.placeBid(i, x)
	c.log.seals = append(c.log.seals, [32]byte(salt))
	c.record(evBidRevealed, ns, i, c.open.number, given)
	return nil
}

// sealedCommand runs the checks a sealed-bid command shares with a bid.
func (c *Circle) sealedCommand(op string, at time.Time, member token.Account) (int64, int, error) {
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return 0, 0, err
	}
	if err := c.biddingCircle(op, at, member, token.Amount{}); err != nil {
		return 0, 0, err
	}
	if !c.terms.cfg.Rules.Sealed {
		return 0, 0, &Error{Op: op, Account: member, Round: c.open.number, At: at,
			Detail: "the circle's bids are open: use Bid", Err: ErrSealedBids}
	}
	return ns, i, nil
}

func (c *Circle) sealIndex(i int) int {
	for k, s := range c.open.seals {
		if s.seat == i {
			return k
		}
	}
	return -1
}

func (c *Circle) setSeal(i int, seal Seal) {
	if k := c.sealIndex(i); k >= 0 {
		c.open.seals[k].seal = seal
		return
	}
	c.open.seals = append(c.open.seals, sealed{seat: i, seal: seal})
}

// sealedBidError is Bid's refusal in a sealed circle.
func (c *Circle) sealedBidError(op string, at time.Time, member token.Account, amount token.Amount) error {
	return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
		Detail: fmt.Sprintf("round %d takes sealed bids: SealBid, then RevealBid from the deadline", c.open.number), Err: ErrSealedBids}
}
