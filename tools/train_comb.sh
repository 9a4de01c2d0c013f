#!/bin/sh
# Rebuilds models/comb-chars.onnx from the repository: generated sets with training seeds, their
# comb crops through the real reader path (the cell ink of src/extract/comb.cpp as it is now),
# then tools/train_comb.py (models/README.md). Seeds fixed: the same build gives the same model.
# Usage: tools/train_comb.sh [BUILD_DIR] [WORK_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/carescan-comb-train}
carescan=$build/src/cli/carescan
mkdir -p "$work"
# Training seeds only (20000+): never an evaluation, development or calibration seed (8080,
# 4242, 777, 5151). Seeds 20010, 20003-20005, 20011 and 20012 train; seed 20000 comes last, so
# that the held-back tail (its last 15 %, later pages) is the one the earlier figures were
# measured on.
for set in 20010:900 20003:400 20004:400 20005:400 20011:400 20012:400 20000:300; do
  seed=${set%:*}
  [ -f "$work/samples$seed/manifest.json" ] ||
    "$carescan" samples --count "${set#*:}" --seed "$seed" --out "$work/samples$seed"
  # Crops depend on the cutting, not on the models: re-dump whenever src/extract changes.
  [ -f "$work/crops$seed/comb/labels.tsv" ] ||
    CARESCAN_READER_HANDWRITING_MODEL=0 "$carescan" crops "$work/samples$seed" \
      --out "$work/crops$seed"
done
exec /usr/bin/python3 "$here/tools/train_comb.py" --crops "$work/crops20010" "$work/crops20003" \
  "$work/crops20004" "$work/crops20005" "$work/crops20011" "$work/crops20012" \
  "$work/crops20000" --epochs 6 --thin-copies --letter-copies 4 --threads 2 --seed 4 \
  --out "$here/models/comb-chars.onnx" --figures "$work/figures.json"
