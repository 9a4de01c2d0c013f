#!/bin/sh
# Rebuilds models/line-hw.onnx from the repository: generated sets with training seeds, their
# line crops through the real reader path (labelled with the truth's "written" text), then
# tools/train_line.py on those crops mixed with font renders (models/README.md). The pages of
# seed 20002 are only scored: the figures are on pages the model never saw.
# Usage: tools/train_line.sh [BUILD_DIR] [WORK_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/carescan-line-train}
carescan=$build/src/cli/carescan
mkdir -p "$work"
# Training seeds only (20000+): never an evaluation or calibration seed (8080, 777).
for set in "20010 900" "20002 150"; do
  seed=${set% *}
  count=${set#* }
  [ -f "$work/s$seed/manifest.json" ] ||
    "$carescan" samples --count "$count" --seed "$seed" --out "$work/s$seed"
  [ -f "$work/c$seed/line/labels.tsv" ] ||
    CARESCAN_READER_HANDWRITING_MODEL=0 "$carescan" crops "$work/s$seed" --out "$work/c$seed"
done
# A fixed number of steps keeps the run deterministic; --checkpoint lets a cut run continue.
exec /usr/bin/python3 "$here/tools/train_line.py" --crops "$work/c20010/line" \
  --valid-crops "$work/c20002/line" --renders 8000 --steps "${STEPS:-5000}" \
  --checkpoint "$work/line.pt" --out "$here/models/line-hw.onnx" --report "$work/figures.json"
