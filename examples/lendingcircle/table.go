package main

import "github.com/trustcircle/trustcircle/internal/texttable"

// The program's tables are texttable's, under short names.
type (
	table  = texttable.Table
	column = texttable.Column
)

const (
	left    = texttable.Left
	decimal = texttable.Decimal
)

func newTable(cols ...column) *table { return texttable.New(cols...) }
