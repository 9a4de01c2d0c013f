#!/bin/sh
# Rebuilds models/line-hw.onnx from the repository: generated sets with training seeds, their
# line crops through the real reader path (labelled with the truth's "written" text), then
# tools/train_line.py on those crops mixed with font renders, in two stages (models/README.md).
# The pages of seed 20002 are only scored: the figures are on pages the model never saw.
# Usage: tools/train_line.sh [BUILD_DIR] [WORK_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/carescan-line-train}
carescan=$build/src/cli/carescan
mkdir -p "$work"
# Training seeds only (20000+): never an evaluation or calibration seed (8080, 777).
for set in "20010 900" "20000 300" "20001 300" "20002 150"; do
  seed=${set% *}
  count=${set#* }
  [ -f "$work/s$seed/manifest.json" ] ||
    "$carescan" samples --count "$count" --seed "$seed" --out "$work/s$seed"
  [ -f "$work/c$seed/line/labels.tsv" ] ||
    CARESCAN_READER_HANDWRITING_MODEL=0 "$carescan" crops "$work/s$seed" --out "$work/c$seed"
done
train() {
  /usr/bin/python3 "$here/tools/train_line.py" --valid-crops "$work/c20002/line" \
    --checkpoint "$work/line.pt" --out "$here/models/line-hw.onnx" "$@"
}
# Fixed step counts keep the run deterministic (the committed model: models/README.md).
[ -f "$work/line.pt" ] ||
  train --crops "$work/c20010/line" --renders 8000 --steps 12028 --report "$work/stage1.json"
train --crops "$work/c20010/line" --crops "$work/c20000/line" --crops "$work/c20001/line" \
  --renders 4000 --steps 5502 --lr 6e-4 --report "$work/figures.json"
