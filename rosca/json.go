package rosca

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// The JSON forms below write every amount as a decimal string at its own scale (see
// fmtAmount), so the output does not depend on shopspring's package settings.

type configJSON struct {
	Asset        token.Asset     `json:"asset"`
	Kind         Kind            `json:"kind"`
	Members      []token.Account `json:"members"`
	Foreperson   token.Account   `json:"foreperson"`
	Operator     token.Account   `json:"operator"`
	Contribution amountJSON      `json:"contribution"`
	Start        time.Time       `json:"start"`
	Period       time.Duration   `json:"period"`
	Epochs       int             `json:"epochs"`
	Fee          fees.Rate       `json:"fee"`
	Rules        Rules           `json:"rules"`
	Seed         Seed            `json:"seed"`
}

// MarshalJSON encodes the config; the period is in nanoseconds, the start in RFC 3339.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(configJSON{c.Asset, c.Kind, c.Members, c.Foreperson, c.Operator, amountJSON(c.Contribution),
		c.Start, c.Period, c.Epochs, c.Fee, c.Rules, c.Seed})
}

// UnmarshalJSON decodes what MarshalJSON encodes. It does not validate: call
// [Config.Validate] (New and Replay do).
func (c *Config) UnmarshalJSON(b []byte) error {
	var j configJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Config{j.Asset, j.Kind, j.Members, j.Foreperson, j.Operator, decimal.Decimal(j.Contribution),
		j.Start, j.Period, j.Epochs, j.Fee, j.Rules, j.Seed}
	return nil
}

type positionJSON struct {
	Member        token.Account `json:"member"`
	Seat          int           `json:"seat"`
	Contributed   amountJSON    `json:"contributed"`
	Withdrawn     amountJSON    `json:"withdrawn"`
	Won           amountJSON    `json:"won"`
	DiscountShare amountJSON    `json:"discount_share"`
	Due           amountJSON    `json:"due"`
	Held          amountJSON    `json:"held"`
	Balance       amountJSON    `json:"balance"`
	Debt          bool          `json:"debt"`
	GoodStanding  bool          `json:"good_standing"`
	Wins          int           `json:"wins"`
	WonThisEpoch  bool          `json:"won_this_epoch"`
}

// MarshalJSON encodes the position.
func (p Position) MarshalJSON() ([]byte, error) {
	return json.Marshal(positionJSON{p.Member, p.Seat, amountJSON(p.Contributed), amountJSON(p.Withdrawn),
		amountJSON(p.Won), amountJSON(p.DiscountShare), amountJSON(p.Due), amountJSON(p.Held), amountJSON(p.Balance),
		p.Debt, p.GoodStanding, p.Wins, p.WonThisEpoch})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (p *Position) UnmarshalJSON(b []byte) error {
	var j positionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Position{j.Member, j.Seat, decimal.Decimal(j.Contributed), decimal.Decimal(j.Withdrawn), decimal.Decimal(j.Won),
		decimal.Decimal(j.DiscountShare), decimal.Decimal(j.Due), decimal.Decimal(j.Held), decimal.Decimal(j.Balance),
		j.Debt, j.GoodStanding, j.Wins, j.WonThisEpoch}
	return nil
}

type roundStateJSON struct {
	Round       int           `json:"round"`
	Epoch       int           `json:"epoch"`
	InEpoch     int           `json:"in_epoch"`
	Deadline    time.Time     `json:"deadline"`
	Pot         amountJSON    `json:"pot"`
	MinBid      amountJSON    `json:"min_bid"`
	MaxBid      amountJSON    `json:"max_bid"`
	LowestBid   amountJSON    `json:"lowest_bid"`
	Leader      token.Account `json:"leader,omitempty"`
	Unpaid      int           `json:"unpaid"`
	Ended       bool          `json:"ended"`
	HaltEnabled bool          `json:"halt_enabled"`
	Halted      bool          `json:"halted"`
}

// MarshalJSON encodes the round state.
func (s RoundState) MarshalJSON() ([]byte, error) {
	return json.Marshal(roundStateJSON{s.Round, s.Epoch, s.InEpoch, s.Deadline, amountJSON(s.Pot), amountJSON(s.MinBid),
		amountJSON(s.MaxBid), amountJSON(s.LowestBid), s.Leader, s.Unpaid, s.Ended, s.HaltEnabled, s.Halted})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (s *RoundState) UnmarshalJSON(b []byte) error {
	var j roundStateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = RoundState{j.Round, j.Epoch, j.InEpoch, j.Deadline, decimal.Decimal(j.Pot), decimal.Decimal(j.MinBid),
		decimal.Decimal(j.MaxBid), decimal.Decimal(j.LowestBid), j.Leader, j.Unpaid, j.Ended, j.HaltEnabled, j.Halted}
	return nil
}

type totalsJSON struct {
	Cash          amountJSON `json:"cash"`
	Contributions amountJSON `json:"contributions"`
	Withdrawals   amountJSON `json:"withdrawals"`
	FeesWithheld  amountJSON `json:"fees_withheld"`
	FeesReserved  amountJSON `json:"fees_reserved"`
	FeesPaid      amountJSON `json:"fees_paid"`
	FeesUnearned  amountJSON `json:"fees_unearned"`
	Remainder     amountJSON `json:"remainder"`
	RemainderPaid amountJSON `json:"remainder_paid"`
	OpenRoundDues amountJSON `json:"open_round_dues"`
	HeldPots      amountJSON `json:"held_pots"`
	WaivedDues    amountJSON `json:"waived_dues"`
	DiscountPool  amountJSON `json:"discount_pool"`
	Balances      amountJSON `json:"balances"`
}

// MarshalJSON encodes the totals.
func (t Totals) MarshalJSON() ([]byte, error) {
	return json.Marshal(totalsJSON{amountJSON(t.Cash), amountJSON(t.Contributions), amountJSON(t.Withdrawals),
		amountJSON(t.FeesWithheld), amountJSON(t.FeesReserved), amountJSON(t.FeesPaid), amountJSON(t.FeesUnearned),
		amountJSON(t.Remainder), amountJSON(t.RemainderPaid), amountJSON(t.OpenRoundDues), amountJSON(t.HeldPots),
		amountJSON(t.WaivedDues), amountJSON(t.DiscountPool), amountJSON(t.Balances)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (t *Totals) UnmarshalJSON(b []byte) error {
	var j totalsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Totals{decimal.Decimal(j.Cash), decimal.Decimal(j.Contributions), decimal.Decimal(j.Withdrawals),
		decimal.Decimal(j.FeesWithheld), decimal.Decimal(j.FeesReserved), decimal.Decimal(j.FeesPaid),
		decimal.Decimal(j.FeesUnearned), decimal.Decimal(j.Remainder), decimal.Decimal(j.RemainderPaid),
		decimal.Decimal(j.OpenRoundDues), decimal.Decimal(j.HeldPots), decimal.Decimal(j.WaivedDues),
		decimal.Decimal(j.DiscountPool), decimal.Decimal(j.Balances)}
	return nil
}
