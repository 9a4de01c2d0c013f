#!/usr/bin/python3
"""Trains the comb-cell character classifier (models/comb-chars.onnx).

Data: (1) comb-cell crops dumped by `carescan crops` from generated sets with TRAINING seeds
(20000+), exactly as the reader sees them; (2) renders of the handwriting fonts that
shared/domain/fonts.md allows, heavily augmented; (3) the TRAIN split of the real handwritten
digits in shared/data/handwritten-digits. Figures: accuracy on that data's VAL split (never
trained on) and on a held-back tail of the crops (the last pages of the dump).

Every crop goes through `normalise`, which src/recognize/comb_model.cpp repeats in C++: the ink's
bounding box scaled so its longer side is 24 px, centred in 32x32, ink = 1.
"""
import argparse
import glob
import gzip
import json
import os
import random
import struct
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
from PIL import Image, ImageDraw, ImageFont

CLASSES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"  # "_": no character (noise, a wall's remnant)
SIZE = 32
INK_BOX = 24
FONT_GLOBS = [
    "/usr/share/fonts/opentype/bwht/*.otf",
    "/usr/share/fonts/truetype/humor-sans/*.ttf",
    "/usr/share/fonts/opentype/comic-neue/*.otf",
]


def normalise(ink):
    """ink: uint8, 255 = ink. Returns float32 SIZExSIZE in 0..1 (the C++ side does the same)."""
    ys, xs = np.nonzero(ink > 127)
    out = np.zeros((SIZE, SIZE), np.float32)
    if len(xs) == 0:
        return out
    x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    crop = ink[y0:y1, x0:x1]
    h, w = crop.shape
    scale = INK_BOX / max(h, w)
    nw, nh = max(1, int(round(w * scale))), max(1, int(round(h * scale)))
    crop = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    ox, oy = (SIZE - nw) // 2, (SIZE - nh) // 2
    out[oy:oy + nh, ox:ox + nw] = crop.astype(np.float32) / 255.0
    return out


def crop_to_ink(path):
    grey = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    return 255 - grey  # the dump writes dark ink on white


def thinner(ink):
    """The second read of CombModel::classify: strokes one pixel thinner (a 2x2 dilation of the
    paper there, an erosion of the ink here); the crop itself when nothing would be left."""
    thin = cv2.erode(ink, np.ones((2, 2), np.uint8))
    return thin if (thin > 127).any() else ink


def augment(ink, rng, strong=True):
    """Slant, rotation, scale, stroke width, broken strokes, specks; returns a binary ink mask."""
    h, w = ink.shape
    pad = max(h, w) // 2 + 4
    ink = cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    h, w = ink.shape
    shear = rng.uniform(-0.35, 0.35) if strong else rng.uniform(-0.1, 0.1)
    angle = rng.uniform(-10, 10) if strong else rng.uniform(-3, 3)
    sx = rng.uniform(0.75, 1.25) if strong else rng.uniform(0.9, 1.1)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m = np.vstack([m, [0, 0, 1]]) @ np.array([[sx, shear, -shear * h / 2 + (1 - sx) * w / 2],
                                              [0, 1, 0], [0, 0, 1]])
    ink = cv2.warpAffine(ink, m[:2], (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    # Stroke width: scans of thin ballpoint to thick felt pen.
    k = rng.choice([-1, 0, 0, 0, 1, 1, 2]) if strong else 0
    ys, _ = np.nonzero(ink)
    scale_ref = max(1, (ys.max() - ys.min()) // 40) if len(ys) else 1
    if k > 0:
        ink = cv2.dilate(ink, np.ones((k * scale_ref + 1, k * scale_ref + 1), np.uint8))
    elif k < 0:
        ink = cv2.erode(ink, np.ones((2, 2), np.uint8))
    ink = cv2.GaussianBlur(ink, (3, 3), rng.uniform(0.3, 1.2))
    thr = rng.uniform(90, 170)
    ink = np.where(ink > thr, 255, 0).astype(np.uint8)
    if strong and rng.random() < 0.3:  # a stroke broken where a wall was taken away
        ys, xs = np.nonzero(ink)
        if len(xs):
            if rng.random() < 0.5:
                x = rng.randint(xs.min(), xs.max())
                ink[:, x:x + rng.randint(1, 3)] = 0
            else:
                y = rng.randint(ys.min(), ys.max())
                ink[y:y + rng.randint(1, 3), :] = 0
    if strong and rng.random() < 0.15:  # a speck of dust or toner beside the character
        ys, xs = np.nonzero(ink)
        if len(xs):
            cx = rng.randint(max(0, xs.min() - 6), min(w - 1, xs.max() + 6))
            cy = rng.randint(max(0, ys.min() - 6), min(h - 1, ys.max() + 6))
            cv2.circle(ink, (cx, cy), rng.randint(1, 2), 255, -1)
    return ink


def load_idx(images, labels):
    with gzip.open(images, "rb") as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        x = np.frombuffer(f.read(), np.uint8).reshape(n, rows, cols)
    with gzip.open(labels, "rb") as f:
        struct.unpack(">II", f.read(8))
        y = np.frombuffer(f.read(), np.uint8)
    return x, y


def render_glyph(font_path, char, rng):
    size = rng.randint(40, 72)
    font = ImageFont.truetype(font_path, size)
    canvas = Image.new("L", (size * 3, size * 3), 0)
    ImageDraw.Draw(canvas).text((size, size // 2), char, fill=255, font=font)
    ink = np.array(canvas)
    if not ink.any():
        return None
    return ink


def noise_sample(rng):
    """What the reader may hand over from a cell nobody wrote in: specks, wall remnants, a stamp's
    edge, a stroke of the neighbour's character."""
    ink = np.zeros((60, 50), np.uint8)
    kind = rng.randint(0, 3)
    if kind == 0:
        for _ in range(rng.randint(1, 4)):
            cv2.circle(ink, (rng.randint(5, 45), rng.randint(5, 55)), rng.randint(1, 3), 255, -1)
    elif kind == 1:
        x = rng.randint(2, 48)
        cv2.line(ink, (x, rng.randint(0, 20)), (x + rng.randint(-3, 3), rng.randint(40, 59)), 255,
                 rng.randint(1, 3))
    elif kind == 2:
        y = rng.randint(2, 58)
        cv2.line(ink, (rng.randint(0, 20), y), (rng.randint(30, 49), y + rng.randint(-3, 3)), 255,
                 rng.randint(1, 3))
    else:
        pts = np.array([[rng.randint(0, 49), rng.randint(0, 59)] for _ in range(3)], np.int32)
        cv2.polylines(ink, [pts], False, 255, rng.randint(1, 3))
    return ink


class CombNet(nn.Module):
    # Only Conv/BatchNorm/ReLU/MaxPool/Flatten/Gemm: what OpenCV 4.6's ONNX importer runs.
    def __init__(self, classes=len(CLASSES)):
        super().__init__()

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

        # Small on purpose: it reads 32x32 cells and must train in minutes on 2 shared cores.
        self.features = nn.Sequential(
            *block(1, 16), nn.MaxPool2d(2),
            *block(16, 32), nn.MaxPool2d(2),
            *block(32, 64), *block(64, 64), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU(),
                                  nn.Dropout(0.3), nn.Linear(128, classes))

    def forward(self, x):
        return self.head(self.features(x))


def load_exported(model, path):
    """Weights of a model this script exported (batch norms folded into the convolutions by the
    export): each convolution takes the folded kernel, its batch norm becomes the identity plus
    the folded bias."""
    import onnx
    from onnx import numpy_helper
    graph = onnx.load(path).graph
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    layers = [m for m in model.features if isinstance(m, (nn.Conv2d, nn.BatchNorm2d))]
    with torch.no_grad():
        for node, conv, bn in zip(convs, layers[0::2], layers[1::2]):
            conv.weight.copy_(weights[node.input[1]])
            bn.weight.fill_(1.0)
            bn.bias.copy_(weights[node.input[2]])
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        for name, param in model.head.named_parameters():
            param.copy_(weights["0.head." + name])


def read_dumps(dumps):
    """(path, label) per comb crop of each dump, in dump order."""
    out = []
    for d in dumps:
        with open(os.path.join(d, "comb", "labels.tsv")) as f:
            for line in f:
                name, _field, _cell, label = line.rstrip("\n").split("\t")
                if label in CLASSES:
                    out.append((os.path.join(d, "comb", name), label))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crops", nargs="*", default=[], help="folders written by `carescan crops`")
    ap.add_argument("--digits", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                     "shared", "data", "handwritten-digits"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "models",
                                                  "comb-chars.onnx"))
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--held-back", type=float, default=0.15,
                    help="tail of the last --crops folder kept out (its last pages)")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--figures", default="", help="also write the figures as JSON here")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads: the machine is shared, one keeps the others going")
    ap.add_argument("--crop-copies", type=int, default=1,
                    help="augmented copies of each training crop, beside the crop itself")
    ap.add_argument("--thin-copies", action="store_true",
                    help="also train on each crop with strokes one pixel thinner, as the reader's "
                         "second read sees it")
    ap.add_argument("--letter-copies", type=int, default=0,
                    help="more augmented copies of each letter crop: a page holds one or two "
                         "letters (the CIN's) among forty digits")
    ap.add_argument("--letter-renders", type=int, default=40,
                    help="renders per capital per font (the crops hold few letters)")
    ap.add_argument("--real-digits", type=int, default=4000,
                    help="how many of the real digits' TRAIN split to use")
    ap.add_argument("--init", default="",
                    help="start from this exported model (fine-tuning) instead of from scratch")
    ap.add_argument("--steps", type=int, default=0,
                    help="train this many batches instead of --epochs full passes")
    ap.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    np.random.seed(args.seed)
    started = time.time()
    index = {c: i for i, c in enumerate(CLASSES)}
    xs, ys = [], []

    def add(ink, label):
        xs.append(normalise(ink))
        ys.append(index[label])

    # (1) Crops as the reader sees them, as they are (the epochs' shifts vary them a little).
    # The held-back tail is taken from the last folder alone, so that its pages are in no other.
    earlier = read_dumps(args.crops[:-1])
    last = read_dumps(args.crops[-1:])
    cut = int(len(last) * (1 - args.held_back))
    train_crops, held_crops = earlier + last[:cut], last[cut:]
    for path, label in train_crops:
        ink = crop_to_ink(path)
        add(ink, label)
        if args.thin_copies:
            add(thinner(ink), label)
        # Mildly varied copies: other hands of the same pen, on the same scans.
        for _ in range(args.crop_copies + (args.letter_copies if label.isalpha() else 0)):
            add(augment(ink, rng, strong=False), label)
    n_crops = len(xs)

    # (2) Font renders, heavily augmented; letters get more: the crops hold few of them.
    fonts = sorted(p for g in FONT_GLOBS for p in glob.glob(g))
    for font in fonts:
        for char in CLASSES[:-1]:
            for _ in range(12 if char.isdigit() else args.letter_renders):
                glyph = render_glyph(font, char, rng)
                if glyph is not None:
                    add(augment(glyph, rng), char)
    n_fonts = len(xs) - n_crops

    # (3) Real digits (TRAIN split only), white on black as MNIST: already ink; augmented.
    dx, dy = load_idx(os.path.join(args.digits, "train-images-idx3-ubyte.gz"),
                      os.path.join(args.digits, "train-labels-idx1-ubyte.gz"))
    for img, label in zip(dx[:args.real_digits], dy[:args.real_digits]):
        big = cv2.resize(img, (56, 56), interpolation=cv2.INTER_LINEAR)
        add(augment(big, rng), str(label))
    n_digits = len(xs) - n_crops - n_fonts

    for _ in range(2000):
        add(augment(noise_sample(rng), rng, strong=False), "_")

    x = torch.from_numpy(np.stack(xs)[:, None])
    y = torch.tensor(ys, dtype=torch.long)
    print(f"training samples {len(xs)}: crops {n_crops}, font renders {n_fonts}, "
          f"real digits {n_digits}, no-character 2000 ({time.time() - started:.0f} s)", flush=True)

    vx, vy = load_idx(os.path.join(args.digits, "val-images-idx3-ubyte.gz"),
                      os.path.join(args.digits, "val-labels-idx1-ubyte.gz"))
    val_digits = torch.from_numpy(np.stack(
        [normalise(np.where(cv2.resize(i, (56, 56)) > 127, 255, 0).astype(np.uint8))
         for i in vx])[:, None])
    val_digit_labels = torch.tensor(vy.astype(np.int64))
    held_inks = [crop_to_ink(p) for p, _ in held_crops]
    held_x = torch.from_numpy(np.stack([normalise(i) for i in held_inks])[:, None]) \
        if held_crops else None
    held_thin = torch.from_numpy(np.stack([normalise(thinner(i)) for i in held_inks])[:, None]) \
        if held_crops else None
    held_y = torch.tensor([index[l] for _, l in held_crops], dtype=torch.long)

    model = CombNet()
    if args.init:
        load_exported(model, args.init)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    batches = (len(xs) + 255) // 256
    steps = args.steps if args.steps > 0 else args.epochs * batches
    epochs = (steps + batches - 1) // batches
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)

    def train_mode():
        model.train()
        if args.init:  # the exported model's batch norms are folded: keep them as they are
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.eval()

    def accuracy(data, labels, digits_only=False):
        model.eval()
        with torch.no_grad():
            logits = torch.cat([model(data[i:i + 512]) for i in range(0, len(data), 512)])
        if digits_only:
            logits = logits[:, :10]
        train_mode()
        return (logits.argmax(1) == labels).float().mean().item()

    if held_x is not None:
        print(f"held-back crops before training {accuracy(held_x, held_y):.4f}", flush=True)
    train_mode()
    step = 0
    for epoch in range(epochs):
        perm = torch.randperm(len(xs))
        total = 0.0
        for i in range(0, len(xs), 256):
            if step >= steps:
                break
            step += 1
            b = perm[i:i + 256]
            xb = x[b]
            # Sub-pixel jitter each epoch: a shift of up to 2 px.
            dxs, dys = np.random.randint(-2, 3, 2)
            xb = torch.roll(xb, shifts=(int(dys), int(dxs)), dims=(2, 3))
            opt.zero_grad()
            loss = loss_fn(model(xb), y[b])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(b)
            if (i // 256) % 40 == 0:
                print(f"  epoch {epoch + 1} batch {i // 256}: loss {loss.item():.3f} "
                      f"({time.time() - started:.0f} s)", flush=True)
        held = accuracy(held_x, held_y) if held_x is not None else float("nan")
        print(f"epoch {epoch + 1}: loss {total / len(xs):.4f}, real digits val "
              f"{accuracy(val_digits, val_digit_labels, True):.4f}, held-back crops {held:.4f} "
              f"({time.time() - started:.0f} s)", flush=True)

    model.eval()
    figures = {
        "parameters": params,
        "training_samples": {"crops": n_crops, "font_renders": n_fonts, "real_digits": n_digits,
                             "no_character": 2000},
        "real_digits_val_accuracy": accuracy(val_digits, val_digit_labels, True),
        "held_back_crops": len(held_crops),
        "held_back_crop_accuracy": accuracy(held_x, held_y) if held_x is not None else None,
        "seconds": round(time.time() - started),
    }
    if held_x is not None:
        with torch.no_grad():
            pred = model(held_x).argmax(1)
            # As the reader reads: the crop and its thinner copy, probabilities averaged.
            both = (torch.softmax(model(held_x), 1) + torch.softmax(model(held_thin), 1)) / 2
        figures["held_back_two_read_accuracy"] = (both.argmax(1) == held_y).float().mean().item()
        digits = held_y < 10
        letters = (held_y >= 10) & (held_y < 36)
        figures["held_back_digit_accuracy"] = (pred[digits] == held_y[digits]).float().mean().item()
        if letters.any():
            figures["held_back_letter_accuracy"] = \
                (pred[letters] == held_y[letters]).float().mean().item()
    print(json.dumps(figures, indent=2))
    # Softmax inside the graph: the C++ side reads probabilities directly.
    export = nn.Sequential(model, nn.Softmax(dim=1))
    export.eval()
    torch.onnx.export(export, torch.zeros(1, 1, SIZE, SIZE), args.out, opset_version=11,
                      input_names=["cell"], output_names=["probabilities"],
                      dynamic_axes={"cell": {0: "n"}, "probabilities": {0: "n"}})
    print(f"wrote {args.out} ({os.path.getsize(args.out) // 1024} KiB)")
    if args.figures:
        with open(args.figures, "w") as f:
            json.dump(figures, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
