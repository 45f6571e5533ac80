#!/bin/bash
# Where `cluster submit` on its embedded cluster spends its time, phase by phase, from one run under strace
# (seccomp-filtered: only execve, exit_group and write stop the processes, so the run is only a little slower).
# Usage: bench/scripts/startup-breakdown.sh [path/to/cluster.dll]   (default: the Release build output)
# Prints milliseconds since the CLI's launch: coordinator exec, its `listening:` line, worker exec, its `joined:`
# line, the job's result on standard output, and the exits of the worker, the coordinator and the CLI.
set -euo pipefail
cli=${1:-$(dirname "$0")/../../src/Cli/bin/Release/net10.0/cluster.dll}
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT
strace --seccomp-bpf -f -ttt -e trace=execve,exit_group,write -s 200 -o "$trace" \
    dotnet "$cli" submit noop --chunks 1 --json >/dev/null 2>&1
python3 - "$trace" <<'PY'
import re, sys
events, roles, t0, last = {}, {}, None, 0.0
for line in open(sys.argv[1]):
    m = re.match(r'(\d+)\s+(\d+\.\d+)\s+(.*)', line)
    if not m:
        continue
    pid, t, call = m.group(1), float(m.group(2)), m.group(3)
    t0 = t if t0 is None else t0
    last = t
    if call.startswith('execve('):
        for role in ('coordinator', 'worker'):
            if f'"{role}"' in call:
                roles[pid] = role
                events.setdefault(f'{role} exec', t)
    elif call.startswith('write('):
        for mark, name in (('listening: ', 'listening'), ('joined: ', 'joined'), ('jobId', 'result')):
            if mark in call:
                events.setdefault(name, t)
    elif call.startswith('exit_group('):
        events.setdefault(f'{roles.get(pid, "cli")} exit', t)
events.setdefault('cli exit', last)
for name, t in sorted(events.items(), key=lambda e: e[1]):
    print(f'{name:>17} {1000 * (t - t0):7.0f} ms')
PY
