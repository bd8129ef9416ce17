package simulate_test

import (
	"fmt"
	"os"
	"context"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
)

func TestSmoke(t *testing.T) {
	c, ms, err := simulate.RunOne(mixed(rosca.Bidding, 1, 1), 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(string(c.AppendJSON(nil)))
	for _, m := range ms {
		fmt.Println(string(m.AppendJSON(nil)))
	}
	cs := simulate.CSV{Members: os.Stdout, Header: true}
	if err := simulate.Run(context.Background(), mixed(rosca.Lottery, 3, 1), simulate.Options{}, &cs); err != nil {
		t.Fatal(err)
	}
}
