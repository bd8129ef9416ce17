// Package reputation keeps the reviews members of lending circles leave of each other, and
// computes an account's reputation from the event logs of the circles it was in and the
// reviews it received: the first of the deterrents a circle may opt into against members
// who do not pay, the social cost of a record others can read.
//
// # Reviews
//
// A [Book] records circles (an id and the members, [Book.AddCircle]) and reviews
// ([Book.Review]): a member of a circle rates another member of the same circle from 1 to
// 5 and may add a text of up to 2000 bytes. Each reviewer reviews each subject once per
// circle, never itself; a non-member may not review, nor be reviewed. Reviews are keyed by
// account across circles ([Book.Received]). Every accepted command appends an [Event]
// ({"v":1,"seq":1,"kind":"circle_added",...}, {"v":1,"seq":2,"kind":"review_posted",...});
// [Book.EventsAfter] and [Book.LastSeq] persist them cheaply, a [Decoder] reads them back
// and [Replay] rebuilds the book.
//
// # The payment record
//
// [Compute] reads each circle's history, a [CircleLog]: its id, its rosca.Config and its
// event log, which it checks with rosca.Replay. It follows the account through the
// contribution, withdrawal and round_closed events (other kinds are ignored) and keeps its
// standing: contributions - withdrawals + the winnings of the pots it won. Round r's dues
// are C x r (C the contribution), and the round counts as paid at the first event from
// which the standing covers them, so a prepayment, or a pot left in the circle, pays the
// rounds ahead (a withdrawal that takes the money back unpays the rounds not yet closed).
// Only closed rounds are due; for each:
//
//   - paid on time: paid at or before the round's deadline, Config.Deadline(r);
//   - late: paid after it, by a number of days rounded up (one nanosecond late is one day);
//   - missed: not paid by the end of the log.
//
// A pot won while delinquent (the round's dues unpaid when it closed) is a default; the pot
// does not count in the winner's standing until those dues are paid, which is a recovery.
// A circle is completed when its last round closed without an emergency halt and the
// account paid every round. The record is as of the log: a missed round of a running
// circle becomes late when it is paid.
//
// # The formula
//
// With R the rounds due, L the days late summed with each round counted at most 30 days,
// M the rounds missed, D the defaults, V the recoveries, K the circles completed, n the
// reviews received and S the sum of (rating - 1) over them, the reputation is the sum of
// these terms, computed exactly (math/big rationals):
//
//	payments           +700
//	short_history      -700 x 2.5 / (R + 5)      five rounds of no record at half credit
//	late               -700 x (L / 30) / (R + 5)
//	missed             -700 x M / (R + 5)
//	defaults           -100 x D
//	recoveries         +60 x V
//	circles_completed  +20 x min(K, 5)
//	reviews            +200 x (S/4 + 1) / (n + 2)  two neutral reviews (3 of 5) added
//
// and, when the sum is negative, floor_at_zero brings it to 0. The score is the sum rounded
// down to an integer, from 0 to 1000 (the payment terms lie in 0 to 700, the reviews in 0
// to 200). An account with no record scores 450: 700 - 350 + 100. Paying later never raises
// the score and paying more rounds on time never lowers it; the order of the circles does
// not matter. [Reputation.Explain] lists every term with its points, so a person sees why
// the figure is what it is; [Reputation.Terms] holds them exactly.
//
// # A worked example
//
// alice, bob and carol run a fixed-order circle of three weekly rounds of 10.00 USD from
// 1 March 2026 (deadlines 8, 15 and 22 March). carol pays round 1 on 9 March at noon (a
// day and a half late: 2 days) and round 2 on 19 March (4 days late), round 3 on time. bob
// rates her 1, alice 4. Her record: 3 rounds, 1 on time, 2 late, 6 days, circle completed:
//
//	carol: 571 of 1000 (571.25 before rounding down)
//	  +700.00  payments
//	  -218.75  short_history   700 x 2.5 / 8
//	  -17.50   late            700 x (6/30) / 8
//	  +0.00    missed, defaults, recoveries
//	  +20.00   circles_completed
//	  +87.50   reviews         200 x (3/4 + 1) / 4: 2 received, mean 5/2
//
// # Admission
//
// A service that lets a circle admit only accounts of some standing keeps the minimum in the
// circle's admission rule and, when an account asks to join, computes its reputation and
// calls [Reputation.MeetsMinimum] (or [MeetsMinimum] with a stored score) next to the roles
// package's Directory.MayJoinCircle:
//
//	if err := dir.MayJoinCircle(a); err != nil { return err }
//	rep, err := reputation.Compute(a, histories, book)
//	if err != nil { return err }
//	if err := rep.MeetsMinimum(rule.MinReputation); err != nil { return err } // forbidden
//
// # Errors
//
// Every error the package returns is an [*Error] (the token package's token.Error) wrapping
// one of these reasons, or the token package's token.ErrInvalidAccount or
// token.ErrInvalidTime:
//
//	code                           class      meaning
//	reputation.invalid_circle      invalid    a circle id or member list the book cannot record
//	reputation.duplicate_circle    conflict   a circle id already in the book, or given twice to Compute
//	reputation.unknown_circle      not_found  a review in a circle the book does not hold
//	reputation.not_member          forbidden  a reviewer who is not a member of the circle
//	reputation.subject_not_member  not_found  a review of an account not a member of the circle
//	reputation.self_review         forbidden  a member reviewing itself
//	reputation.duplicate_review    conflict   a second review of the same subject by the same reviewer in a circle
//	reputation.invalid_rating      invalid    a rating outside 1 to 5
//	reputation.invalid_text        invalid    a text too long, not UTF-8, or holding control characters
//	reputation.invalid_log         internal   a book event or log that does not decode or replay
//	reputation.invalid_circle_log  invalid    a circle history that rosca.Replay refuses, or a bad id
//	reputation.invalid_score       invalid    a score or minimum outside 0 to 1000
//	reputation.below_minimum       forbidden  a reputation below an admission rule's minimum
//
// A rejected command leaves the book exactly as it was.
//
// # Concurrency and zero values
//
// A book's queries only read: they may be called concurrently by many readers; commands need
// exclusive access. The zero Book is an empty book, ready to use; the zero Decoder reads
// nothing; every other type's zero value is an empty value of it.
package reputation
