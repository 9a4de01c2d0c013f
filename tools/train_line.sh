#!/bin/sh
# Rebuilds models/line-hw.onnx from the repository: generated sets with training seeds, their
# line crops through the real reader path (labelled with the truth's "written" text), then
# tools/train_line.py on those crops mixed with font renders, in five stages (models/README.md).
# The pages of seed 20002 are only scored: the figures are on pages the model never saw.
# Usage: tools/train_line.sh [BUILD_DIR] [WORK_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/carescan-line-train}
carescan=$build/src/cli/carescan
mkdir -p "$work"
# Training seeds only (20000+): never an evaluation or calibration seed (8080, 777).
for set in "20010 900" "20000 300" "20001 300" "20002 150" "20003 400" "20004 400" "20005 400" \
  "20006 400" "20007 400" "20008 400" "20011 400" "20012 400" "20013 400" "20014 400"; do
  seed=${set% *}
  count=${set#* }
  [ -f "$work/c$seed/line/labels.tsv" ] && continue
  [ -f "$work/s$seed/manifest.json" ] ||
    "$carescan" samples --count "$count" --seed "$seed" --out "$work/s$seed"
  CARESCAN_READER_HANDWRITING_MODEL=0 "$carescan" crops "$work/s$seed" --out "$work/c$seed"
done
train() {
  /usr/bin/python3 "$here/tools/train_line.py" --valid-crops "$work/c20002/line" "$@"
}
crops() { for seed in "$@"; do printf -- '--crops %s/c%s/line ' "$work" "$seed"; done; }
# Fixed step counts keep the run deterministic (the committed model: models/README.md). Each
# stage continues from the last one's checkpoint, with more writers and a lower learning rate.
[ -f "$work/line1.pt" ] ||
  train $(crops 20010) --renders 8000 --steps 12028 --slant-share 0 --checkpoint "$work/line1.pt" \
    --out "$work/line1.onnx" --report "$work/stage1.json"
[ -f "$work/line2.pt" ] || {
  cp "$work/line1.pt" "$work/line2.pt"
  train $(crops 20010 20000 20001) --renders 4000 --steps 5502 --lr 6e-4 --slant-share 0 \
    --checkpoint "$work/line2.pt" --out "$work/line2.onnx" --report "$work/stage2.json"
}
[ -f "$work/line3.pt" ] || {
  cp "$work/line2.pt" "$work/line3.pt"
  train $(crops 20010 20000 20001 20003 20004 20005) --renders 4000 --steps 9531 --lr 6e-4 \
    --threads 1 --checkpoint "$work/line3.pt" --out "$work/line3.onnx" --report "$work/stage3.json"
}
# Stage 4: three more writers' seeds, and each name crop three times (names are one line a page
# and the line read worst).
[ -f "$work/line4.pt" ] || {
  cp "$work/line3.pt" "$work/line4.pt"
  train $(crops 20010 20000 20001 20003 20004 20005 20006 20007 20008) --renders 2000 \
    --steps 6000 --lr 3e-4 --name-repeat 3 --checkpoint "$work/line4.pt" \
    --out "$work/line4.onnx" --report "$work/stage4.json"
}
# Stage 4 gives the CIN its second reading (models/line-cin.onnx, reader.cin_model): it never saw
# a CIN's cells side by side, so it errs apart from the cell classifier.
cp "$work/line4.onnx" "$here/models/line-cin.onnx"
# The name specialist's first stage: stage 4's weights trained on names and other capitals
# only, each name crop four times. It forgets digits, which it never reads, and reads names
# better than a network that must also read amounts.
[ -f "$work/names.pt" ] || {
  cp "$work/line4.pt" "$work/names.pt"
  train $(crops 20010 20000 20001 20003 20004 20005 20006 20007 20008) --only name,text \
    --renders 4000 --steps 3000 --lr 3e-4 --name-repeat 4 --checkpoint "$work/names.pt" \
    --out "$work/names1.onnx" --report "$work/names1.json"
}
# Stage 5 (session 17), from the exported models with their batch norms frozen (--init): four
# more writers' seeds, whose crops include the CIN's cells side by side (what the line model
# reads for the CIN's second reading, three times each) -> models/line-hw.onnx; the name
# specialist on the same seeds' names and capitals -> models/line-names.onnx.
train --init "$work/line4.onnx" $(crops 20011 20012 20013 20014) --renders 2000 --steps 2500 \
  --lr 2e-4 --repeat cin=3 --threads 1 --out "$here/models/line-hw.onnx" \
  --report "$work/figures.json"
train --init "$work/names1.onnx" $(crops 20011 20012 20013 20014) --only name,text \
  --renders 4000 --steps 2000 --lr 2e-4 --name-repeat 4 --threads 1 \
  --out "$here/models/line-names.onnx" --report "$work/names.json"
