package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// start is when the demonstration circle starts.
func start() time.Time { return time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC) }

// demoConfig is the demonstration circle: three members paying 0.5 ETH a day, fee 2 per mille.
func demoConfig() rosca.Config {
	eth := token.ETH()
	return rosca.Config{
		Asset:        eth,
		Kind:         rosca.Bidding,
		Members:      []token.Account{"ana", "ben", "chloe"},
		Foreperson:   "ana",
		Operator:     "platform",
		Contribution: eth.MustParse("0.5"),
		Start:        start(),
		Period:       24 * time.Hour,
		Epochs:       1,
		Fee:          token.MustRatio(2, 1000),
		Rules:        rosca.WeTrustRules(),
		Seed:         rosca.Seed{1, 2, 3},
	}
}

// script is the built-in list of requests, as a client would send them. Some are refused
// on purpose: a non-member, an amount finer than a wei, a bid below the minimum or above
// the cap, a close before the deadline, a request out of time order, a malformed line, an
// unknown operation, a bid by a past winner, end-of-circle commands too early or by
// someone other than the foreperson.
const script = `# day 1: everybody pays 0.5 ETH; the pot is 1.5 ETH, the minimum bid floor(1.5 x 65%) = 0.975
{"at":"2026-03-02T08:00:00Z","op":"contribute","member":"ana","amount":"0.5"}
{"at":"2026-03-02T08:05:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-02T08:10:00Z","op":"contribute","member":"zoe","amount":"0.5"}
{"at":"2026-03-02T08:15:00Z","op":"contribute","member":"chloe","amount":"0.5000000000000000001"}
{"at":"2026-03-02T08:16:00Z","op":"contribute","member":"chloe","amount":"0.5"}
{"at":"2026-03-02T09:00:00Z","op":"bid","member":"ben","amount":"0.9"}
{"at":"2026-03-02T09:01:00Z","op":"bid","member":"ben","amount":"1.2"}
{"at":"2026-03-02T09:30:00Z","op":"bid","member":"chloe","amount":"1.19"}
{"at":"2026-03-02T09:31:00Z","op":"bid","member":"chloe","amount":"1.1"}
{"at":"2026-03-02T12:00:00Z","op":"close"}
{"at":"2026-03-03T00:00:00Z","op":"close"}
{"at":"2026-03-03T00:30:00Z","op":"withdraw","member":"chloe"}
{"at":"2026-03-03T00:31:00Z","op":"withdraw","member":"chloe"}
# day 2
{"at":"2026-03-03T08:00:00Z","op":"contribute","member":"ana","amount":"0.5"}
{"at":"2026-03-03T07:00:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-03T08:01:00Z","op":"contribute","member":"ben","amount":0.5}
{"at":"2026-03-03T08:02:00Z","op":"pay","member":"ben","amount":"0.5"}
{"at":"2026-03-03T08:05:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-03T08:10:00Z","op":"contribute","member":"chloe","amount":"0.5"}
{"at":"2026-03-03T09:00:00Z","op":"bid","member":"chloe","amount":"1.0"}
{"at":"2026-03-03T09:05:00Z","op":"bid","member":"ana","amount":"1.05"}
{"at":"2026-03-04T00:00:00Z","op":"close"}
# day 3: only ben has not won; nobody bids, so he takes the whole pot
{"at":"2026-03-04T08:00:00Z","op":"contribute","member":"ana","amount":"0.5"}
{"at":"2026-03-04T08:05:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-04T08:10:00Z","op":"contribute","member":"chloe","amount":"0.5"}
{"at":"2026-03-04T20:00:00Z","op":"retrieve_fees","member":"ana"}
{"at":"2026-03-05T00:00:00Z","op":"close"}
{"at":"2026-03-05T00:00:00Z","op":"close"}
{"at":"2026-03-05T09:00:00Z","op":"withdraw","member":"ana"}
{"at":"2026-03-05T09:00:00Z","op":"withdraw","member":"ben"}
{"at":"2026-03-05T09:00:00Z","op":"withdraw","member":"chloe"}
{"at":"2026-03-05T09:10:00Z","op":"retrieve_fees","member":"ben"}
{"at":"2026-03-05T09:10:00Z","op":"retrieve_fees","member":"ana"}
{"at":"2026-03-05T09:15:00Z","op":"dispose_remainder","member":"ana"}
`

// request is a script line: its number in the script and the command.
type request struct {
	line int
	text string
	cmd  Command
	err  error // a line that did not decode
}

// parseScript reads the requests of a script: one JSON command per line, blank lines and
// lines starting with # skipped. A line that does not decode is kept, with its error, to
// be refused in its turn.
func parseScript(r io.Reader) ([]request, error) {
	var out []request
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		req := request{line: n, text: text}
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req.cmd); err != nil {
			req.err = fmt.Errorf("%w: %v", ErrBadCommand, err)
		}
		out = append(out, req)
	}
	return out, sc.Err()
}
