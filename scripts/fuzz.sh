#!/usr/bin/env bash
# Builds the fuzz targets with AddressSanitizer and UndefinedBehaviorSanitizer and runs each for
# FUZZ_SECONDS (default 60). A failure leaves ./crash-input with the input that caused it.
set -euo pipefail
build=${BUILD:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_TESTS=OFF -DTANDEM_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target fuzz_json_body fuzz_router fuzz_identity fuzz_rfc3339 fuzz_multipart fuzz_mail fuzz_hooks
for target in json_body router identity rfc3339 multipart mail hooks; do
  "$build/fuzz/fuzz_$target" "fuzz/corpus/$target" --seconds "$seconds" --seed "$RANDOM"
done
