#!/usr/bin/env bash
# detach.sh CMD [ARG…]: runs CMD in a session of its own holding no descriptor but 0–2 (which the caller
# redirects), so that a test host or VM that outlives its starter keeps nobody's pipe open (a test runner
# reading one would wait for good). The pid stays the caller's `$!`: nothing forks here.
# The braces are read whole before they run: closing bash's own script descriptor inside them is safe.
{
    for fd in /proc/"$$"/fd/*; do
        fd=${fd##*/}
        [ "$fd" -le 2 ] || eval "exec $fd>&-" 2>/dev/null || true
    done
    exec setsid "$@"
}
