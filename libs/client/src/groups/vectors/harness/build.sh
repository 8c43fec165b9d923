#!/bin/sh
# Builds the harness against a libsession-util checkout and prints its JSON (libsession-groups.json).
#   apt-get install g++ libsodium-dev libzstd-dev protobuf-compiler libprotobuf-dev
#   LIBSESSION=<libsession-util checkout (8762e9d)> OXENC=<oxen-encoding checkout> sh build.sh > ../libsession-groups.json
set -e
: "${LIBSESSION:?path of a libsession-util checkout}" "${OXENC:?path of an oxen-encoding checkout}"
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
cp -r "$LIBSESSION"/. "$WORK/"
(cd "$WORK/proto" && protoc --cpp_out=. SessionProtos.proto WebSocketResources.proto)
SRCS="src/config.cpp src/config/base.cpp src/config/encrypt.cpp src/config/internal.cpp src/config/protos.cpp
  src/config/user_groups.cpp src/config/community.cpp src/config/groups/info.cpp src/config/groups/keys.cpp
  src/config/groups/members.cpp src/multi_encrypt.cpp src/util.cpp src/session_encrypt.cpp src/sodium_array.cpp
  src/random.cpp src/bt_merge.cpp src/fields.cpp src/hash.cpp src/curve25519.cpp src/ed25519.cpp src/blinding.cpp
  proto/SessionProtos.pb.cc proto/WebSocketResources.pb.cc"
cd "$WORK"
g++ -std=c++20 -O1 -o harness "$HERE/harness.cpp" "$HERE/xed_stub.cpp" $SRCS \
  -Iinclude -I"$OXENC" -Iproto -Isrc -lsodium -lzstd -lprotobuf >&2
./harness
