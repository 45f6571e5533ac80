#!/usr/bin/env python3
"""`cluster submit noop --chunks 1 --json` (embedded cluster) of several CLI builds or settings, run in turns.

Usage: bench/scripts/side-by-side.py RUNS VARIANT...
A VARIANT is DIR[+NAME=VALUE...]: the folder holding cluster.dll (a copy of a build output), then environment
variables for that variant, for example /tmp/before /tmp/after /tmp/before+DOTNET_TieredPGO=0.
For each run and variant it prints the time from launch to the JSON result line, to the CLI's exit, and the CPU
seconds of the CLI and its children; then the medians (min-max). The variants run alternately, so a machine whose
load changes affects them alike.
"""
import os, resource, statistics, subprocess, sys, time

runs, variants = int(sys.argv[1]), sys.argv[2:]
results = {v: [] for v in variants}
for run in range(runs):
    for variant in variants:
        folder, *settings = variant.split('+')
        env = dict(os.environ, **dict(s.split('=', 1) for s in settings))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        cli = subprocess.Popen(['dotnet', os.path.join(folder, 'cluster.dll'), 'submit', 'noop', '--chunks', '1', '--json'],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        at = None
        for line in cli.stdout:
            if line.startswith('{') and at is None:
                at = time.monotonic() - start
        if cli.wait() != 0 or at is None:
            sys.exit(f'{variant}: cluster submit exited with code {cli.returncode}, result line: {at is not None}')
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        results[variant].append((at, wall, cpu))
        print(f'run {run} {variant:40} result {at:5.2f} s  exit {wall:5.2f} s  cpu {cpu:5.2f} s', flush=True)

def summary(values):
    return f'{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})'

for variant, rows in results.items():
    print(f'{variant:40} to result {summary([r[0] for r in rows])} s, to exit {summary([r[1] for r in rows])} s, '
          f'CPU {summary([r[2] for r in rows])} s')
