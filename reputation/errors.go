package reputation

import (
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The reasons the package's errors wrap, for the decisions a caller branches on with
// [errors.Is]. Each has a stable code and a class; the table in the package documentation
// lists them. A malformed account is the token package's [token.ErrInvalidAccount] and a
// time outside the years 1 to 9999 its [token.ErrInvalidTime].
var (
	// ErrInvalidCircle reports a circle the book cannot record: an id that is not 1 to 128
	// bytes of printable ASCII without space, or a member list that is not 2 to
	// rosca.MaxMembers distinct valid accounts (Detail says which).
	ErrInvalidCircle = fault.NewReason("reputation.invalid_circle", fault.Invalid, "reputation: invalid circle")
	// ErrDuplicateCircle reports a circle id the book already holds, or a circle given twice
	// to [Compute].
	ErrDuplicateCircle = fault.NewReason("reputation.duplicate_circle", fault.Conflict, "reputation: circle already recorded")
	// ErrUnknownCircle reports a review in a circle the book does not hold.
	ErrUnknownCircle = fault.NewReason("reputation.unknown_circle", fault.NotFound, "reputation: unknown circle")
	// ErrNotMember reports a reviewer who is not a member of the circle: only members review.
	ErrNotMember = fault.NewReason("reputation.not_member", fault.Forbidden, "reputation: reviewer not a member of the circle")
	// ErrSubjectNotMember reports a review of an account that is not a member of the circle.
	ErrSubjectNotMember = fault.NewReason("reputation.subject_not_member", fault.NotFound, "reputation: subject not a member of the circle")
	// ErrSelfReview reports a member reviewing itself.
	ErrSelfReview = fault.NewReason("reputation.self_review", fault.Forbidden, "reputation: a member may not review itself")
	// ErrDuplicateReview reports a second review by the same reviewer of the same subject in
	// the same circle: each pair reviews once per circle.
	ErrDuplicateReview = fault.NewReason("reputation.duplicate_review", fault.Conflict, "reputation: review already posted")
	// ErrInvalidRating reports a rating outside [MinRating] to [MaxRating].
	ErrInvalidRating = fault.NewReason("reputation.invalid_rating", fault.Invalid, "reputation: invalid rating")
	// ErrInvalidText reports a review text that is not valid UTF-8, is longer than
	// [MaxTextLength] bytes, or holds a control character other than tab and newline.
	ErrInvalidText = fault.NewReason("reputation.invalid_text", fault.Invalid, "reputation: invalid review text")
	// ErrInvalidLog reports a book event, or a book's event log, that does not decode or does
	// not replay.
	ErrInvalidLog = fault.NewReason("reputation.invalid_log", fault.Internal, "reputation: invalid event log")
	// ErrInvalidCircleLog reports a circle history given to [Compute] that cannot be used: an
	// invalid id, or a config and events that rosca.Replay refuses (the error also matches
	// rosca's reason).
	ErrInvalidCircleLog = fault.NewReason("reputation.invalid_circle_log", fault.Invalid, "reputation: invalid circle history")
	// ErrInvalidScore reports a score or a minimum outside 0 to [MaxScore].
	ErrInvalidScore = fault.NewReason("reputation.invalid_score", fault.Invalid, "reputation: score out of range")
	// ErrBelowMinimum reports a reputation below the minimum an admission rule asks for.
	ErrBelowMinimum = fault.NewReason("reputation.below_minimum", fault.Forbidden, "reputation: below the minimum reputation")
)

// Error is the package's command error, [token.Error]: the operation (Op), the account
// concerned, the time given (At), a Detail for people and the reason it wraps (Err). Every
// error the package returns is an *Error; match its reason with [errors.Is].
type Error = token.Error
