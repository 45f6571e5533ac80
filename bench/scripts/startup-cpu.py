#!/usr/bin/env python3
"""CPU seconds of each process of `cluster submit noop --chunks 1 --json` (the CLI, its coordinator, its workers),
for several CLI builds or settings run in turns.

Usage: bench/scripts/startup-cpu.py RUNS VARIANT...
A VARIANT is PATH[+NAME=VALUE...]: a folder holding cluster.dll (a copy of a build output, run with dotnet) or the
path of a `cluster` executable (say a ReadyToRun publish), then environment variables for the CLI (which its children inherit)
and extra arguments of `cluster submit`, for example /tmp/before /tmp/after /tmp/before+DOTNET_TieredPGO=0+--workers=1.
Per run and variant: the time from launch to the JSON result line and to the CLI's exit, and the user+system CPU
seconds of each process when the result line came (read from /proc every 10 ms while the CLI runs; the children are
found by their verb). Then the medians (min-max). Variants alternate, so a changing load affects them alike.
"""
import os, statistics, subprocess, sys, threading, time

TICK = os.sysconf('SC_CLK_TCK')


def cpu(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid):
    found = []
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{task}/children') as f:
                found += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def role(pid):
    with open(f'/proc/{pid}/cmdline', 'rb') as f:
        args = f.read().split(b'\0')
    for verb in (b'coordinator', b'worker'):
        if verb in args:
            return verb.decode()
    return 'other'


def sample(cli_pid):
    """{name: cpu} for the CLI and each child (worker-1, worker-2 in pid order)."""
    seen = {'cli': cpu(cli_pid)}
    workers = 0
    for child in sorted(children(cli_pid)):
        try:
            name, value = role(child), cpu(child)
        except OSError:
            continue
        if name == 'worker':
            workers += 1
            name = f'worker-{workers}'
        seen[name] = value
    return seen


def run_once(variant):
    path, *settings = variant.split('+')
    env = dict(os.environ, **dict(s.split('=', 1) for s in settings if not s.startswith('--')))
    extra = [s for s in settings if s.startswith('--')]
    command = ['dotnet', os.path.join(path, 'cluster.dll')] if os.path.isdir(path) else [path]
    start = time.monotonic()
    cli = subprocess.Popen(command + ['submit', 'noop', '--chunks', '1', '--json'] + extra,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    latest, stop = {}, threading.Event()

    def poll():
        while not stop.is_set():
            try:
                now = sample(cli.pid)
                for name, value in now.items():
                    latest[name] = max(value, latest.get(name, 0.0))
            except OSError:
                pass
            time.sleep(0.01)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    at, at_result = None, None
    for line in cli.stdout:
        if line.startswith('{') and at is None:
            at = time.monotonic() - start
            try:
                at_result = sample(cli.pid)
            except OSError:
                at_result = dict(latest)
    code = cli.wait()
    stop.set()
    poller.join()
    if code != 0 or at is None:
        sys.exit(f'{variant}: cluster submit exited with code {code}, result line: {at is not None}')
    return at, time.monotonic() - start, at_result


def summary(values):
    return f'{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})'


runs, variants = int(sys.argv[1]), sys.argv[2:]
results = {v: [] for v in variants}
for run in range(runs):
    for variant in variants:
        at, wall, procs = run_once(variant)
        results[variant].append((at, wall, procs))
        per = '  '.join(f'{k} {v:.2f}' for k, v in sorted(procs.items()))
        print(f'run {run} {variant:48} result {at:5.2f} s  exit {wall:5.2f} s  CPU at result: {per}  sum {sum(procs.values()):.2f}', flush=True)

print(f'load average now: {open("/proc/loadavg").read().split()[:3]}')
for variant, rows in results.items():
    names = sorted({n for r in rows for n in r[2]})
    per = ', '.join(f'{n} {summary([r[2].get(n, 0.0) for r in rows])}' for n in names)
    print(f'{variant}\n  to result {summary([r[0] for r in rows])} s, to exit {summary([r[1] for r in rows])} s\n'
          f'  CPU s at result: {per}, sum {summary([sum(r[2].values()) for r in rows])}')
