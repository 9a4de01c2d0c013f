#!/bin/sh
# Rebuilds models/line-hw.onnx from the repository: a generated set with a training seed, its
# line crops through the real reader path (labelled with the truth's "written" text), then
# tools/train_line.py on those crops mixed with font renders (models/README.md).
# Usage: tools/train_line.sh [BUILD_DIR] [WORK_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/carescan-line-train}
carescan=$build/src/cli/carescan
mkdir -p "$work"
# Training seeds only (20000+): never an evaluation or calibration seed (8080, 777).
[ -f "$work/samples/manifest.json" ] ||
  "$carescan" samples --count 300 --seed 20002 --out "$work/samples"
[ -f "$work/crops/line/labels.tsv" ] ||
  CARESCAN_READER_HANDWRITING_MODEL=0 "$carescan" crops "$work/samples" --out "$work/crops"
# A fixed number of steps keeps the run deterministic; --checkpoint lets a cut run continue.
exec /usr/bin/python3 "$here/tools/train_line.py" --crops "$work/crops/line" --renders 20000 \
  --steps 6000 --checkpoint "$work/line.pt" --out "$here/models/line-hw.onnx" \
  --report "$work/figures.json"
