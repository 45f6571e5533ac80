#!/bin/sh
# Picks the role by the first argument:
#   coordinator ARGS...  runs Cluster.Coordinator.dll with ARGS
#   worker ARGS...       runs Cluster.Worker.dll with ARGS
#   anything else        runs the `cluster` CLI with every argument (jobs, workers, submit, token new, ...)
# exec: the process gets SIGTERM itself (docker stop, kubectl scale), so a worker drains before it exits.
set -eu
case "${1:-}" in
  coordinator) shift; exec dotnet /app/coordinator/Cluster.Coordinator.dll "$@" ;;
  worker) shift; exec dotnet /app/worker/Cluster.Worker.dll "$@" ;;
  *) exec dotnet /app/cli/cluster.dll "$@" ;;
esac
