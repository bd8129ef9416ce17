package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m, "simulate", main) }

func TestHelp(t *testing.T) {
	out, errOut, code := exampletest.Run(t, "-h")
	if code != 0 || !strings.Contains(out+errOut, "usage: simulate") || !strings.Contains(out+errOut, "-circles") {
		t.Errorf("-h: code %d, output %q %q", code, out, errOut)
	}
	_, errOut, code = exampletest.Run(t, "-kind", "auction")
	if code != 1 || !strings.Contains(errOut, "-kind") {
		t.Errorf("-kind auction: code %d, stderr %q", code, errOut)
	}
}

// In a lottery where everybody pays on time, every member's net is minus the fee on its pot:
// 1% of $1,000 with ten members.
func TestOnTimeLotteryFigures(t *testing.T) {
	dir := t.TempDir()
	csv, svg := filepath.Join(dir, "m.csv"), filepath.Join(dir, "s.svg")
	out, errOut, code := exampletest.Run(t, "-circles", "50", "-late", "0", "-csv", csv, "-svg", svg)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, "lottery circles 0 to 50 of 50, 10 members, seed 1") {
		t.Errorf("output:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[2:] {
		f := strings.Fields(line)
		// p5 to p95 are all -10.00; nobody defaults.
		if len(f) != 11 || !slices.Equal(f[1:6], []string{"-10.00", "-10.00", "-10.00", "-10.00", "-10.00"}) || f[10] != "0" {
			t.Errorf("seat line %q", line)
		}
	}
	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 1+500 || !strings.HasPrefix(lines[0], "scenario,run,seat,member,") {
		t.Errorf("csv: %d lines, header %q", len(lines), lines[0])
	}
	s, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "Net outcome per seat: 50 lottery circles", "net outcome per member (USD)", "median", "0 (m0)", "9 (m9)"} {
		if !strings.Contains(string(s), want) {
			t.Errorf("svg lacks %q", want)
		}
	}
}

// A member who stops paying after winning early gains what the others lose; shards add up to
// the whole batch.
func TestDefaulterAndShards(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv")
	out, errOut, code := exampletest.Run(t, "-kind", "fixed", "-circles", "20", "-late", "0", "-stop-seat", "0", "-csv", whole)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	// Seat 0 takes the first pot (990) and pays only round 1 and 2's dues: its median is
	// positive, it defaults in every run.
	var m0 []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "m0 ") {
			m0 = strings.Fields(l)
		}
	}
	if len(m0) != 11 || strings.HasPrefix(m0[3], "-") || m0[10] != "20" {
		t.Errorf("m0 line %q", m0)
	}
	var parts []string
	for i := range 3 {
		p := filepath.Join(dir, "part"+string(rune('0'+i))+".csv")
		if _, errOut, code := exampletest.Run(t, "-kind", "fixed", "-circles", "20", "-late", "0", "-stop-seat", "0",
			"-shard", string(rune('0'+i)), "-shards", "3", "-csv", p); code != 0 {
			t.Fatalf("shard %d: %s", i, errOut)
		}
		b, _ := os.ReadFile(p)
		parts = append(parts, strings.Split(strings.TrimSpace(string(b)), "\n")...)
	}
	b, _ := os.ReadFile(whole)
	all := strings.Split(strings.TrimSpace(string(b)), "\n")
	slices.Sort(parts)
	slices.Sort(all)
	if !slices.Equal(parts, all) {
		t.Errorf("the 3 shards' %d lines differ from the whole batch's %d", len(parts), len(all))
	}
}

// At a benchmark of 0% a member's NPV is its net: -10.00 for every on-time member of a
// fixed-order circle; with -finance each member is a saver or a borrower, and the first seat,
// which takes the first pot, a borrower in every run.
func TestNPVAndMIRRColumns(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "m.csv")
	out, errOut, code := exampletest.Run(t, "-kind", "fixed", "-circles", "20", "-late", "0", "-benchmark", "0%",
		"-finance", "1%", "-csv", csv)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasSuffix(lines[1], "npv      mirr savers borrow") {
		t.Errorf("header %q", lines[1])
	}
	for _, line := range lines[2:] {
		f := strings.Fields(line)
		if len(f) != 15 || f[11] != "-10.00" || !strings.HasSuffix(f[12], "%") || f[13] == "" {
			t.Errorf("seat line %q", line)
		}
		if f[0] == "m0" && f[14] != "20" {
			t.Errorf("m0 is a borrower in %s runs of 20", f[14])
		}
	}
	b, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !strings.Contains(rows[0], ",npv,mirr_role,mirr,collateral_posted,") || !strings.Contains(rows[1], ",-10.00,borrower,") {
		t.Errorf("csv header %q, first row %q", rows[0], rows[1])
	}
	if _, errOut, code := exampletest.Run(t, "-finance", "1%", "-digits", "0"); code != 1 || !strings.Contains(errOut, "-digits") {
		t.Errorf("-finance without digits: code %d, %q", code, errOut)
	}
	if _, errOut, code := exampletest.Run(t, "-benchmark", "-100%"); code != 1 || !strings.Contains(errOut, "benchmark") {
		t.Errorf("-benchmark -100%%: code %d, %q", code, errOut)
	}
}

// -enforce picks the group's deterrents: the summary adds their totals; an unknown one is
// refused.
func TestEnforce(t *testing.T) {
	out, errOut, code := exampletest.Run(t, "-circles", "40", "-kind", "bidding", "-stop-seat", "1", "-enforce", "all")
	if code != 0 || !strings.Contains(out, "deterrents: collateral applied ") || strings.Contains(out, "applied 0.00,") {
		t.Errorf("-enforce all: code %d, %q, %q", code, out, errOut)
	}
	out, _, code = exampletest.Run(t, "-circles", "40", "-stop-seat", "1", "-enforce", "replace")
	if code != 0 || !strings.Contains(out, "deterrents: ") || strings.Contains(out, " 0 substitutions") {
		t.Errorf("-enforce replace: code %d, %q", code, out)
	}
	if _, errOut, code := exampletest.Run(t, "-enforce", "shame"); code != 1 || !strings.Contains(errOut, "-enforce") {
		t.Errorf("-enforce shame: code %d, %q", code, errOut)
	}
}
