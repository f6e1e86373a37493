#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Regenerates tests/skel/golden/ from the current wasmbpf-skel (build it
# first: make sdk). Review the diff before committing it.
set -eu
cd "$(dirname "$0")/../.."
export WBPF_TOP=$PWD
export WBPF_BUILD=${WBPF_BUILD:-$PWD/build}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
export WBPF_SKEL_REGEN=1
mkdir -p "$WBPF_TMP"
tests/skel/run.sh
