# Sourced by the test scripts that count named checks: the tour's walk and the package check.
#
# check NAME COMMAND...: run COMMAND, its output kept in $work/check.out; print "ok      NAME",
# or "FAILED  NAME" and the first 30 lines of that output; count it in $passed or $failed.
# Needs $work.
passed=0
failed=0
check() {
    local name=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then
        passed=$((passed + 1))
        echo "ok      $name"
    else
        failed=$((failed + 1))
        echo "FAILED  $name"
        sed 's/^/        /' "$work/check.out" | head -n 30
    fi
}

# checks_summary LABEL: print "LABEL: N passed, N failed"; status 1 if any failed.
checks_summary() {
    echo "$1: $passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
