package reputation

import (
	"iter"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The bounds of a review.
const (
	// MinRating and MaxRating bound a review's rating: 1 (poor) to 5 (excellent).
	MinRating = 1
	MaxRating = 5
	// MaxTextLength is the longest review text, in bytes.
	MaxTextLength = 2000
	// MaxCircleIDLength is the longest circle id, in bytes.
	MaxCircleIDLength = 128
)

// Review is one member's review of another in one circle: a rating from [MinRating] to
// [MaxRating] and a text (possibly empty), posted at At (UTC). Seq is the sequence number
// of the event that recorded it. The zero Review is no review.
type Review struct {
	Seq      uint64        `json:"seq"`
	At       time.Time     `json:"at"`
	Circle   string        `json:"circle"`
	Reviewer token.Account `json:"reviewer"`
	Subject  token.Account `json:"subject"`
	Rating   int           `json:"rating"`
	Text     string        `json:"text,omitempty"`
}

// pair is the key of one review: one per reviewer and subject in each circle.
type pair struct {
	circle            string
	reviewer, subject token.Account
}

// Book holds the reviews members leave of each other, and the circles (their ids and
// members) the reviews belong to. A circle is recorded once, with [Book.AddCircle]; then
// each member may review each other member of it once, with [Book.Review]. Reviews are
// keyed by account across circles: [Book.Received] lists every review of an account,
// whatever the circle. The zero Book is an empty book, ready to use; [NewBook] returns a
// pointer to one.
//
// Every accepted command appends one [Event] to an append-only log ([Book.EventsAfter],
// [Book.LastSeq]); a rejected one returns an [*Error] and changes nothing. [Replay]
// rebuilds a book from its log.
//
// Queries (every method but AddCircle and Review) only read: they may be called
// concurrently by many readers. Commands need exclusive access: guard a shared book with a
// sync.RWMutex, commands under the write lock and queries under the read lock.
type Book struct {
	circles   map[string][]token.Account // sorted members
	reviews   []Review
	pairs     map[pair]int            // index into reviews
	bySubject map[token.Account][]int // indexes into reviews, oldest first
	byCircle  map[string][]int        // indexes into reviews, oldest first
	log       []Event
}

// NewBook returns an empty book.
func NewBook() *Book { return &Book{} }

// AddCircle records the circle id with its members at time at, so that they may review
// each other. The id is 1 to [MaxCircleIDLength] bytes of printable ASCII without space
// (the service's own id of the circle); the members are 2 to rosca.MaxMembers distinct
// valid accounts, in any order (a circle's rosca.Config.Members).
//
// Errors: [ErrInvalidCircle] (also matching [token.ErrInvalidAccount] for a malformed
// member), [ErrDuplicateCircle], [token.ErrInvalidTime].
func (b *Book) AddCircle(at time.Time, id string, members []token.Account) error {
	e := Event{Kind: EventCircleAdded, At: at, Circle: id, Members: slices.Clone(members)}
	return b.apply("AddCircle", e)
}

// Review records reviewer's review of subject in the circle at time at: a rating from
// [MinRating] to [MaxRating] and a text of at most [MaxTextLength] bytes of valid UTF-8
// without control characters other than tab and newline (it may be empty). Both must be
// members of the circle, the reviewer may not review itself, and each reviewer reviews each
// subject once per circle.
//
// Errors: [token.ErrInvalidTime], [token.ErrInvalidAccount], [ErrUnknownCircle],
// [ErrNotMember], [ErrSubjectNotMember], [ErrSelfReview], [ErrDuplicateReview],
// [ErrInvalidRating], [ErrInvalidText].
func (b *Book) Review(at time.Time, circle string, reviewer, subject token.Account, rating int, text string) error {
	e := Event{Kind: EventReviewPosted, At: at, Circle: circle, Reviewer: reviewer, Subject: subject, Rating: rating, Text: text}
	return b.apply("Review", e)
}

// apply checks the command of e (its Seq is set here) and, if accepted, records it.
func (b *Book) apply(op string, e Event) error {
	at, err := cmderr.CheckTime(op, e.Reviewer, e.At)
	if err != nil {
		return err
	}
	e.At = at
	switch e.Kind {
	case EventCircleAdded:
		members, err := b.checkCircle(op, at, e.Circle, e.Members)
		if err != nil {
			return err
		}
		b.record(&e)
		if b.circles == nil {
			b.circles = map[string][]token.Account{}
		}
		b.circles[e.Circle] = members
	case EventReviewPosted:
		if err := b.checkReview(op, e); err != nil {
			return err
		}
		b.record(&e)
		r := Review{Seq: e.Seq, At: e.At, Circle: e.Circle, Reviewer: e.Reviewer, Subject: e.Subject, Rating: e.Rating, Text: e.Text}
		i := len(b.reviews)
		b.reviews = append(b.reviews, r)
		if b.pairs == nil {
			b.pairs, b.bySubject, b.byCircle = map[pair]int{}, map[token.Account][]int{}, map[string][]int{}
		}
		b.pairs[pair{r.Circle, r.Reviewer, r.Subject}] = i
		b.bySubject[r.Subject] = append(b.bySubject[r.Subject], i)
		b.byCircle[r.Circle] = append(b.byCircle[r.Circle], i)
	default:
		return &Error{Op: op, At: at, Detail: "unknown event kind " + strconv.Quote(string(e.Kind)), Err: ErrInvalidLog}
	}
	return nil
}

// record appends e to the log with the next sequence number, which it sets in e.
func (b *Book) record(e *Event) {
	e.Seq = uint64(len(b.log)) + 1
	b.log = append(b.log, *e)
}

// checkCircle checks a circle to add and returns its members sorted.
func (b *Book) checkCircle(op string, at time.Time, id string, members []token.Account) ([]token.Account, error) {
	if d := circleIDProblem(id); d != "" {
		return nil, &Error{Op: op, At: at, Input: id, Detail: "id " + d, Err: ErrInvalidCircle}
	}
	if _, dup := b.circles[id]; dup {
		return nil, &Error{Op: op, At: at, Detail: "circle " + id + " is already in the book", Err: ErrDuplicateCircle}
	}
	if n := len(members); n < rosca.MinMembers || n > rosca.MaxMembers {
		return nil, &Error{Op: op, At: at, Detail: "circle " + id + " has " + strconv.Itoa(n) + " members; want " +
			strconv.Itoa(rosca.MinMembers) + " to " + strconv.Itoa(rosca.MaxMembers), Err: ErrInvalidCircle}
	}
	for i, m := range members {
		if err := cmderr.CheckAccount(op, m); err != nil {
			detail, reason := cmderr.Because(ErrInvalidCircle, err)
			return nil, &Error{Op: op, Account: m, At: at, Detail: "members[" + strconv.Itoa(i) + "]: " + detail, Err: reason}
		}
	}
	sorted := slices.Clone(members)
	slices.Sort(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return nil, &Error{Op: op, Account: sorted[i], At: at, Detail: "circle " + id + " lists " + string(sorted[i]) + " twice", Err: ErrInvalidCircle}
		}
	}
	return sorted, nil
}

// circleIDProblem says what is wrong with a circle id, "" when nothing is.
func circleIDProblem(id string) string {
	switch {
	case id == "":
		return "empty"
	case len(id) > MaxCircleIDLength:
		return "longer than " + strconv.Itoa(MaxCircleIDLength) + " bytes"
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < 0x21 || c > 0x7e {
			return "not printable ASCII without space (0x21 to 0x7E)"
		}
	}
	return ""
}

// checkReview checks a review to post.
func (b *Book) checkReview(op string, e Event) error {
	for _, a := range []token.Account{e.Reviewer, e.Subject} {
		if err := cmderr.CheckAccount(op, a); err != nil {
			err.(*Error).At = e.At
			return err
		}
	}
	fail := func(reason error, detail string) error {
		return &Error{Op: op, Account: e.Reviewer, At: e.At, Detail: detail, Err: reason}
	}
	members, ok := b.circles[e.Circle]
	switch {
	case !ok:
		return fail(ErrUnknownCircle, "no circle "+strconv.Quote(e.Circle)+" in the book")
	case !isMember(members, e.Reviewer):
		return fail(ErrNotMember, string(e.Reviewer)+" is not a member of circle "+e.Circle)
	case !isMember(members, e.Subject):
		return fail(ErrSubjectNotMember, string(e.Subject)+" is not a member of circle "+e.Circle)
	case e.Reviewer == e.Subject:
		return fail(ErrSelfReview, string(e.Reviewer)+" reviewing itself in circle "+e.Circle)
	}
	if _, dup := b.pairs[pair{e.Circle, e.Reviewer, e.Subject}]; dup {
		return fail(ErrDuplicateReview, string(e.Reviewer)+" already reviewed "+string(e.Subject)+" in circle "+e.Circle)
	}
	if e.Rating < MinRating || e.Rating > MaxRating {
		return fail(ErrInvalidRating, "rating "+strconv.Itoa(e.Rating)+"; want "+strconv.Itoa(MinRating)+" to "+strconv.Itoa(MaxRating))
	}
	if d := textProblem(e.Text); d != "" {
		return fail(ErrInvalidText, d)
	}
	return nil
}

func isMember(sorted []token.Account, a token.Account) bool {
	_, ok := slices.BinarySearch(sorted, a)
	return ok
}

// textProblem says what is wrong with a review text, "" when nothing is.
func textProblem(s string) string {
	if len(s) > MaxTextLength {
		return strconv.Itoa(len(s)) + " bytes; at most " + strconv.Itoa(MaxTextLength)
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for i, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0) {
			return "control character U+" + strconv.FormatInt(int64(r)+0x10000, 16)[1:] + " at byte " + strconv.Itoa(i)
		}
	}
	return ""
}

// Members returns the members of the circle, sorted, and whether the book holds it.
func (b *Book) Members(circle string) ([]token.Account, bool) {
	m, ok := b.circles[circle]
	return slices.Clone(m), ok
}

// Circles returns the ids of the circles in the book, sorted.
func (b *Book) Circles() []string {
	ids := make([]string, 0, len(b.circles))
	for id := range b.circles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Get returns reviewer's review of subject in the circle, and whether there is one.
func (b *Book) Get(circle string, reviewer, subject token.Account) (Review, bool) {
	i, ok := b.pairs[pair{circle, reviewer, subject}]
	if !ok {
		return Review{}, false
	}
	return b.reviews[i], true
}

// Received returns every review of subject, in every circle, oldest first.
func (b *Book) Received(subject token.Account) []Review { return b.pick(b.bySubject[subject]) }

// InCircle returns every review posted in the circle, oldest first.
func (b *Book) InCircle(circle string) []Review { return b.pick(b.byCircle[circle]) }

// Reviews returns every review in the book, oldest first.
func (b *Book) Reviews() []Review { return slices.Clone(b.reviews) }

func (b *Book) pick(idx []int) []Review {
	out := make([]Review, len(idx))
	for k, i := range idx {
		out[k] = b.reviews[i]
	}
	return out
}

// Len returns the number of reviews in the book.
func (b *Book) Len() int { return len(b.reviews) }

// LastSeq returns the sequence number of the last event, 0 when there is none.
func (b *Book) LastSeq() uint64 { return uint64(len(b.log)) }

// EventsAfter returns the events with a sequence number above seq, oldest first, at a cost
// proportional to their number. It reads the log as it was when EventsAfter was called:
// events appended later are not included, and it may be ranged over after the caller has
// released a read lock, since the log is append-only.
func (b *Book) EventsAfter(seq uint64) iter.Seq[Event] {
	log := b.log
	return func(yield func(Event) bool) {
		if seq >= uint64(len(log)) {
			return
		}
		for _, e := range log[seq:] {
			e.Members = slices.Clone(e.Members)
			if !yield(e) {
				return
			}
		}
	}
}

// Events returns a copy of the whole event log; a service persisting after each command
// uses [Book.EventsAfter].
func (b *Book) Events() []Event { return slices.Collect(b.EventsAfter(0)) }

// Replay rebuilds a book from its event log, read once from events (pass
// slices.Values(evs) for a slice, or a [Decoder]'s Events for a stream). It runs each
// event's command again and checks that it is accepted and that the event it records
// equals the one given (sequence numbers 1, 2, 3, ...). A log that is not what a book
// records is an [*Error] wrapping [ErrInvalidLog] (and the reason the command was refused)
// whose Detail names the event.
func Replay(events iter.Seq[Event]) (*Book, error) {
	b := NewBook()
	if events == nil {
		return b, nil
	}
	for e := range events {
		want := uint64(len(b.log)) + 1
		if e.Seq != want {
			return nil, &Error{Op: "Replay", Detail: "event " + strconv.FormatUint(e.Seq, 10) + " where " +
				strconv.FormatUint(want, 10) + " was due", Err: ErrInvalidLog}
		}
		if e.Kind != EventCircleAdded && e.Kind != EventReviewPosted {
			return nil, &Error{Op: "Replay", Detail: "event " + strconv.FormatUint(e.Seq, 10) + ": unknown kind " + strconv.Quote(string(e.Kind)), Err: ErrInvalidLog}
		}
		if err := b.apply("Replay", e); err != nil {
			detail, reason := cmderr.Because(ErrInvalidLog, err)
			return nil, &Error{Op: "Replay", At: e.At, Detail: "event " + strconv.FormatUint(e.Seq, 10) + ": " + detail, Err: reason}
		}
		if got := b.log[len(b.log)-1]; !got.Equal(e) {
			return nil, &Error{Op: "Replay", At: e.At, Detail: "event " + strconv.FormatUint(e.Seq, 10) + " is not what the book records", Err: ErrInvalidLog}
		}
	}
	return b, nil
}
