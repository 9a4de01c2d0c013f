#!/bin/sh
# Rebuilds models/comb-chars.onnx from the repository: a generated set with a training seed,
# its comb crops through the real reader path, then tools/train_comb.py (models/README.md).
# Usage: tools/train_comb.sh [BUILD_DIR] [WORK_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/carescan-comb-train}
carescan=$build/src/cli/carescan
mkdir -p "$work"
# Training seeds only (20000+): never an evaluation or calibration seed (8080, 777).
[ -f "$work/samples/manifest.json" ] ||
  "$carescan" samples --count 300 --seed 20000 --out "$work/samples"
[ -f "$work/crops/comb/labels.tsv" ] ||
  CARESCAN_READER_HANDWRITING_MODEL=0 "$carescan" crops "$work/samples" --out "$work/crops"
exec /usr/bin/python3 "$here/tools/train_comb.py" --crops "$work/crops" --epochs 6 \
  --out "$here/models/comb-chars.onnx" --figures "$work/figures.json"
