#!/usr/bin/env python3
"""Submits a job to a Cluster coordinator, streams its progress and prints its result.

Uses nothing but the stubs generated from proto/cluster/v1 (see generate.sh) and the distribution's grpcio and
protobuf packages. Progress goes to standard error, the result summary (a JSON object) to standard output.

    ./generate.sh                       # once: writes ./generated
    CLUSTER_TOKEN=... python3 cluster_client.py --coordinator http://127.0.0.1:7400 primes to=1000000
    python3 cluster_client.py --coordinator http://127.0.0.1:7400 --token-file alice.token \
        wordcount top=5 --input book.txt --output result.json

Exit codes: 0 succeeded, 1 the job failed or was cancelled, 2 the coordinator rejected the request, 3 unreachable.
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("CLUSTER_STUBS", os.path.join(HERE, "generated")))

import grpc  # noqa: E402

try:
    from cluster.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc  # noqa: E402
except ImportError as missing:
    print(f"error: no stubs generated from proto/ ({missing}); run generate.sh first, or set CLUSTER_STUBS to their folder", file=sys.stderr)
    sys.exit(2)

INPUT_PIECE = 1 << 20  # SubmitJobRequest.input: "1 MiB recommended"
FINAL = {common_pb2.JOB_STATE_SUCCEEDED, common_pb2.JOB_STATE_FAILED, common_pb2.JOB_STATE_CANCELLED}


def main():
    args = parse_args()
    try:
        token = read_token(args.token_file)
    except OSError as error:
        print(f"error: cannot read the token file: {error}", file=sys.stderr)
        return 2
    # Every call carries "authorization: Bearer SECRET" when the coordinator has a token file.
    metadata = [("authorization", "Bearer " + token)] if token else []
    try:
        with open_channel(args.coordinator, args.ca) as channel:
            jobs = jobs_pb2_grpc.JobServiceStub(channel)
            return run(jobs, metadata, args)
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
        return 3 if error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) else 2
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def run(jobs, metadata, args):
    kinds = {k.name: k for k in jobs.ListKinds(jobs_pb2.ListKindsRequest(), metadata=metadata, timeout=30).kinds}
    if args.kind not in kinds:
        raise ValueError(f"unknown kind '{args.kind}'; the coordinator runs: {', '.join(sorted(kinds))}")
    spec = common_pb2.JobSpec(kind=args.kind, chunks=args.chunks)
    declared = {p.name: p for p in kinds[args.kind].parameters}
    for assignment in args.parameters:
        name, equals, text = assignment.partition("=")
        if name not in declared or not equals:
            raise ValueError(f"'{assignment}' is not name=value for a parameter of {args.kind} ({', '.join(declared)})")
        spec.parameters[name].CopyFrom(typed(declared[name].type, text))

    job = jobs.SubmitJob(submission(spec, args.input), metadata=metadata).job
    print(f"submitted {job.job_id}", file=sys.stderr)

    # WatchJob streams snapshots until the job is final; the last one carries the final state.
    for event in jobs.WatchJob(jobs_pb2.WatchJobRequest(job_id=job.job_id), metadata=metadata):
        job = event.job
        state = common_pb2.JobState.Name(job.state).removeprefix("JOB_STATE_")
        print(f"progress: {job.chunks_done}/{job.chunks_total} chunks, {state}", file=sys.stderr)
        if job.state in FINAL:
            break

    if job.state != common_pb2.JOB_STATE_SUCCEEDED:
        print(f"error: job {job.job_id} {common_pb2.JobState.Name(job.state)}: {job.error}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "wb") as out:
            for piece in jobs.GetJobResult(jobs_pb2.GetJobResultRequest(job_id=job.job_id), metadata=metadata):
                out.write(piece.data)
    print(job.result_json)
    return 0


def submission(spec, input_path):
    """The SubmitJob stream: the spec first, then the input in pieces."""
    yield jobs_pb2.SubmitJobRequest(spec=spec)
    if input_path:
        with open(input_path, "rb") as data:
            while piece := data.read(INPUT_PIECE):
                yield jobs_pb2.SubmitJobRequest(input=piece)


def typed(kind, text):
    """A ParameterValue of the type ListKinds declares ("int", "double", "string" or "bool")."""
    if kind == "int":
        return common_pb2.ParameterValue(int_value=int(text.replace("_", "")))
    if kind == "double":
        return common_pb2.ParameterValue(double_value=float(text))
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"'{text}' is not true or false")
        return common_pb2.ParameterValue(bool_value=text.lower() == "true")
    return common_pb2.ParameterValue(string_value=text)


def open_channel(address, ca_file):
    scheme, _, target = address.partition("://")
    target = target.rstrip("/")
    options = [("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 64 << 20)]
    if scheme == "https":
        roots = open(ca_file, "rb").read() if ca_file else None
        return grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=roots), options=options)
    if scheme == "http":
        return grpc.insecure_channel(target, options=options)
    raise ValueError(f"'{address}' is not a coordinator address; expected http://HOST:PORT or https://HOST:PORT")


def read_token(path):
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    return os.environ.get("CLUSTER_TOKEN", "").strip()


def parse_args():
    parser = argparse.ArgumentParser(description="Run one job on a Cluster coordinator.")
    parser.add_argument("kind", help="job kind, as ListKinds names it")
    parser.add_argument("parameters", nargs="*", help="NAME=VALUE, typed as the kind declares")
    parser.add_argument("--coordinator", default=os.environ.get("CLUSTER_COORDINATOR", "http://127.0.0.1:7400"))
    parser.add_argument("--token-file", help="file holding the client token (default: CLUSTER_TOKEN)")
    parser.add_argument("--ca", help="PEM file of the CA of an https:// coordinator")
    parser.add_argument("--input", help="file streamed as the job's input")
    parser.add_argument("--output", help="file the result data is written to")
    parser.add_argument("--chunks", type=int, default=0, help="number of chunks (0: the coordinator chooses)")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
