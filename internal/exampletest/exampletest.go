// Package exampletest runs an example program's main in a child process, so that its tests
// can check what it prints and its exit status.
package exampletest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// envVar is the variable that carries the child's arguments, one a line.
const envVar = "TRUSTCIRCLE_EXAMPLE_MAIN_ARGS"

// Main is the body of an example's TestMain: in a child started by [Run] it runs the
// program's main with the arguments Run gave (as program name) and exits 0 after it; otherwise
// it runs the tests.
func Main(m *testing.M, name string, main func()) {
	if args, ok := os.LookupEnv(envVar); ok {
		os.Args = []string{name}
		if args != "" {
			os.Args = append(os.Args, strings.Split(args, "\n")...)
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Run runs main, through the test binary and [Main], in a child process with args, and
// returns its standard output, standard error and exit status.
func Run(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envVar+"="+strings.Join(args, "\n"))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}
