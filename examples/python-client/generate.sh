#!/usr/bin/env sh
# Generates the Python gRPC stubs of proto/cluster/v1 into OUT_DIR (default ./generated), with the distribution's
# protoc and its gRPC Python plugin (Debian/Ubuntu: protobuf-compiler, protobuf-compiler-grpc). The stubs are not
# committed: they are made from proto/ whenever they are needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
proto="$here/../../proto"
out=${1:-"$here/generated"}
plugin=$(command -v grpc_python_plugin) || { echo "error: grpc_python_plugin not found (apt-get install protobuf-compiler-grpc)" >&2; exit 1; }
mkdir -p "$out"
protoc -I "$proto" --python_out="$out" --grpc_python_out="$out" --plugin=protoc-gen-grpc_python="$plugin" \
  "$proto"/cluster/v1/*.proto
echo "$out"
