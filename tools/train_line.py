#!/usr/bin/python3
"""Trains carescan's handwriting line recogniser and exports it to ONNX (models/line-hw.onnx).

A fully convolutional CTC model (OpenCV 4.6's ONNX importer handles convolutions, not LSTMs):
a conv stack collapses the 32-pixel height, 1-D convolutions along the width give context, and
each column scores the alphabet plus the CTC blank (class 0).

Data: lines rendered with the allowed handwriting fonts (config samples.handwriting_fonts),
drawn the way the extractor hands crops to the recogniser (dark ink on white, binary, tight to
the ink, 12 px of padding, 300 dpi), mixed with crops dumped by `carescan crops` from TRAINING
seeds (never the evaluation seeds 8080 or 777). Deterministic for a given --seed.

  /usr/bin/python3 tools/train_line.py --crops /tmp/line-crops/line --out models/line-hw.onnx
"""

import argparse
import csv
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Class k (k >= 1) is ALPHABET[k - 1]; 0 is the CTC blank. src/recognize/line_model.cpp holds
# the same string.
ALPHABET = " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ/,.-'"
HEIGHT = 32
PAD = 12
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---------------------------------------------------------------- what people write in a line
def two(v):
    return "%02d" % v


def random_date(r):
    y = r.randint(2018, 2027)
    m = r.randint(1, 12)
    d = r.randint(1, 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)
    year = str(y)[2:] if r.random() < 0.4 else str(y)
    return "%s/%s/%s" % (two(d), two(m), year)


def french_amount(centimes, cents, group):
    whole = str(centimes // 100)
    if group and len(whole) > 3:
        parts = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = " ".join([whole] + parts)
    return whole + ("," + two(centimes % 100) if cents else "")


def random_amount(r):
    scale = r.choice([100, 1000, 1000, 10000, 100000])
    centimes = r.randint(1, scale) * (r.choice([1, 10, 50, 100]))
    cents = centimes % 100 != 0 or r.random() < 0.75
    text = french_amount(centimes, cents, r.random() < 0.6)
    if r.random() < 0.08:
        text = text.replace(",", ".")
    return text


def pseudo_name_word(r):
    onsets = ["B", "CH", "D", "F", "GH", "H", "J", "K", "KH", "L", "M", "N", "R", "S", "T",
              "W", "Y", "Z", "Q", "SS", "BR", "DR", "TR", ""]
    vowels = ["A", "E", "I", "O", "OU", "AI", "AA", "IA"]
    codas = ["", "", "N", "R", "L", "M", "D", "B", "S", "NE", "A", "I"]
    return "".join(r.choice(onsets) + r.choice(vowels) for _ in range(r.randint(1, 3))) + r.choice(codas)


def load_prior():
    words = []
    with open(os.path.join(ROOT, "models", "names-prior.txt")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                words.append(line)
    return words


def random_name(r, prior):
    words = []
    if r.random() < 0.3:
        words.append(r.choice(["EL", "BEN", "AIT", "EL", "BOU"]))
    for _ in range(r.choice([1, 2, 2, 3])):
        words.append(r.choice(prior) if r.random() < 0.35 else pseudo_name_word(r))
    text = " ".join(words)
    if r.random() < 0.05:
        text = text.replace(" ", "-", 1)
    if r.random() < 0.03:
        text = text.replace(" ", "'", 1)
    return text[:28]


def random_text(r, prior):
    kind = r.random()
    if kind < 0.22:
        return "date", random_date(r)
    if kind < 0.44:
        return "amount", random_amount(r)
    if kind < 0.56:
        return "digits", str(r.randint(1, 99 if r.random() < 0.8 else 999))
    if kind < 0.62:
        return "tooth", str(r.choice([1, 2, 3, 4])) + str(r.randint(1, 8))
    if kind < 0.70:
        return "code", "".join(r.choice("ABCDEFGKLMNPQRSTVZ") for _ in range(r.randint(1, 3)))
    return "name", random_name(r, prior)


# ---------------------------------------------------------------- drawing it like a hand does
class Renderer:
    def __init__(self, fonts, seed):
        self.fonts = fonts
        self.cache = {}
        self.r = random.Random(seed)

    def font(self, path, size):
        key = (path, size)
        if key not in self.cache:
            self.cache[key] = ImageFont.truetype(path, size)
        return self.cache[key]

    def render(self, text):
        """A binary crop of `text`: ink 0, paper 255, tight with PAD pixels around."""
        r = self.r
        path = r.choice(self.fonts)
        cap_px = r.uniform(2.4, 4.4) / 25.4 * 300  # capitals 2.4-4.4 mm high at 300 dpi
        size = max(12, int(cap_px * 1.4))
        spacing = r.uniform(-0.05, 0.35) * cap_px * 0.3
        jitter = r.uniform(0.0, 0.08)
        wander = r.uniform(0.0, 0.1) * cap_px
        phase = r.uniform(0, 6.3)
        width = int(len(text) * size * 1.3 + 4 * size)
        height = int(size * 3)
        canvas = Image.new("L", (width, height), 0)
        draw = ImageDraw.Draw(canvas)
        x = size * 0.8
        base = size * 1.9
        slip_at = r.randrange(1, len(text)) if len(text) >= 3 and r.random() < 0.04 else -1
        for i, c in enumerate(text):
            if i == slip_at and c != " ":
                x = self.glyph(draw, path, size, r.choice("0123456789AEOS"), x, base, 0, struck=True)
                x += spacing
            s = int(size * (1 + r.gauss(0, jitter)))
            dy = wander * math.sin(phase + x / (cap_px * 6)) + r.gauss(0, cap_px * 0.03)
            if c == " ":
                x += size * r.uniform(0.3, 0.6)
                continue
            x = self.glyph(draw, path, max(10, s), c, x, base + dy, 0) + spacing + r.gauss(0, 0.5)
        img = np.array(canvas)
        # Slant and a small rotation, as one hand holds the pen.
        slant = r.gauss(0.08, 0.12)
        pil = Image.fromarray(img)
        pil = pil.transform(pil.size, Image.AFFINE, (1, slant, -slant * base, 0, 1, 0),
                            resample=Image.BILINEAR)
        pil = pil.rotate(r.gauss(0, 1.2), resample=Image.BILINEAR)
        stroke = r.choice([-1, 0, 0, 0, 1, 1, 2])
        if stroke > 0:
            pil = pil.filter(ImageFilter.MaxFilter(2 * stroke + 1))
        elif stroke < 0:
            pil = pil.filter(ImageFilter.MinFilter(3))
        img = np.array(pil)
        # Writers squeeze what does not fit; some write wide.
        sx = r.uniform(0.65, 1.15) if r.random() < 0.7 else 1.0
        ink = img > r.randint(90, 160)
        return finish(ink, sx, r)

    def glyph(self, draw, path, size, c, x, base, dy, struck=False):
        f = self.font(path, size)
        box = f.getbbox(c, anchor="ls")
        draw.text((x, base + dy), c, fill=255, font=f, anchor="ls")
        if struck:
            y = base + dy - (box[3] - box[1]) * 0.5
            draw.line([(x + box[0] - 2, y + 3), (x + box[2] + 2, y - 3)], fill=255,
                      width=max(2, size // 14))
        return x + box[2]


def finish(ink, sx, r):
    """Binary ink mask to the crop the extractor produces: specks, tight box, padding."""
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    if r is not None and r.random() < 0.3:  # specks the extractor's cleaning left
        ink = ink | (np.random.RandomState(r.randrange(1 << 30)).rand(*ink.shape) < 0.001)
    img = np.where(ink, 0, 255).astype(np.uint8)
    if sx != 1.0:
        img = np.array(Image.fromarray(img).resize((max(1, int(img.shape[1] * sx)), img.shape[0]),
                                                   Image.BILINEAR))
        img = np.where(img < 128, 0, 255).astype(np.uint8)
    return np.pad(img, PAD, constant_values=255)


def augment(crop, r, slant_share=0.3):
    """A dumped crop as another pen and hand would leave it: stroke width, slant, squeeze."""
    img = crop
    k = r.random()
    if k < 0.15:
        img = np.array(Image.fromarray(img).filter(ImageFilter.MinFilter(3)))  # thicker ink
    elif k < 0.25:
        img = np.array(Image.fromarray(img).filter(ImageFilter.MaxFilter(3)))  # thinner ink
    if r.random() < slant_share:  # another slant: the writers of the crops are few, slants many
        shear = r.uniform(-0.25, 0.25)
        h, w = img.shape
        extra = int(math.ceil(abs(shear) * h))
        img = np.array(Image.fromarray(img).transform(
            (w + extra, h), Image.AFFINE, (1, shear, -extra if shear > 0 else 0, 0, 1, 0),
            Image.BILINEAR, fillcolor=255))
        img = np.where(img < 128, 0, 255).astype(np.uint8)
    if r.random() < 0.5:
        sx = r.uniform(0.8, 1.2)
        img = np.array(Image.fromarray(img).resize((max(8, int(img.shape[1] * sx)), img.shape[0]),
                                                   Image.BILINEAR))
    return img


def to_input(crop):
    """Height-normalised network input: float ink (1 = ink), HEIGHT rows. Mirrors the C++."""
    h, w = crop.shape
    nw = max(8, int(round(w * HEIGHT / h)))
    img = np.array(Image.fromarray(crop).resize((nw, HEIGHT), Image.BILINEAR), dtype=np.float32)
    return (255.0 - img) / 255.0


# ---------------------------------------------------------------- the network
class LineNet(nn.Module):
    def __init__(self, classes):
        super().__init__()

        def block(i, o, k=3, p=1):
            return nn.Sequential(nn.Conv2d(i, o, k, padding=p, bias=False), nn.BatchNorm2d(o),
                                 nn.ReLU(inplace=True))

        # Columns at half the input width: a squeezed date in a table cell gives a character
        # only 5-6 input columns, and CTC needs a blank between two equal characters.
        self.features = nn.Sequential(
            block(1, 16), nn.MaxPool2d(2),                      # 16 x W/2
            block(16, 32), nn.MaxPool2d((2, 1)),                # 8 x W/2
            block(32, 48), block(48, 64), nn.MaxPool2d((2, 1)),  # 4 x W/2
            block(64, 96, (4, 1), 0),                           # 1 x W/2: height collapsed
            block(96, 128, (1, 5), (0, 2)),
            block(128, 128, (1, 5), (0, 2)),
            # Dilated: a column sees its neighbours' letters (about three letters of context),
            # which tells an O from a 0 in a name and a 1 from a / in a date.
            nn.Sequential(nn.Conv2d(128, 128, (1, 3), padding=(0, 4), dilation=(1, 4), bias=False),
                          nn.BatchNorm2d(128), nn.ReLU(inplace=True)),
        )
        self.dropout = nn.Dropout(0.15)
        self.head = nn.Conv2d(128, classes, 1)

    def forward(self, x):
        return self.head(self.dropout(self.features(x)))  # N x classes x 1 x W/2


class Exported(nn.Module):
    """What OpenCV runs: per-column probabilities, N x classes x 1 x T."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return F.softmax(self.net(x), dim=1)


def encode(text):
    return [ALPHABET.index(c) + 1 for c in text]


def greedy(logits):
    best = logits.argmax(0).tolist()
    out, prev = [], 0
    for k in best:
        if k != prev and k != 0:
            out.append(ALPHABET[k - 1])
        prev = k
    return "".join(out)


def batchify(items):
    """items: list of (float image HEIGHT x w, text). Pads to the widest with paper (0)."""
    width = max(x.shape[1] for x, _ in items)
    width = (width + 1) // 2 * 2
    xs = np.zeros((len(items), 1, HEIGHT, width), dtype=np.float32)
    for i, (x, _) in enumerate(items):
        xs[i, 0, :, :x.shape[1]] = x
    targets = [encode(t) for _, t in items]
    return torch.from_numpy(xs), targets


# ---------------------------------------------------------------- crops dumped by carescan
def load_crops(directory, limit, r):
    """(crop, text, content) from DIR/labels.tsv (file, field, content, truth value, written).

    The label is the text as written; where the truth has no "written" record, the truth value
    where it is the written text too (names, codes, digits, capitals), else the crop is skipped.
    """
    out = []
    with open(os.path.join(directory, "labels.tsv"), newline="") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    r.shuffle(rows)
    for row in rows:
        row += [""] * (5 - len(row))
        name, _field, content, value, written = row[:5]
        text = written or (value if content in ("name", "place", "care", "code", "digits", "text",
                                                "cin")
                           else "")
        text = text.upper()
        if not text or any(c not in ALPHABET for c in text) or len(text) > 40:
            continue
        img = Image.open(os.path.join(directory, name)).convert("L")
        out.append((np.array(img), text, content))
        if len(out) >= limit:
            break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crops", action="append", default=[], help="DIR with labels.tsv (carescan crops .../line)")
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "line-hw.onnx"))
    ap.add_argument("--renders", type=int, default=24000, help="rendered training lines")
    ap.add_argument("--valid-crops", default=None,
                    help="DIR with labels.tsv of pages used for nothing but the figures")
    ap.add_argument("--max-crops", type=int, default=30000)
    ap.add_argument("--name-repeat", type=int, default=1,
                    help="each name crop this many times (augmented apart): names are one line "
                         "a page, and the line the reader gets wrong most")
    ap.add_argument("--repeat", default="",
                    help="comma-separated CONTENT=N: each crop of that content N times (as "
                         "--name-repeat; e.g. cin=3 for the CIN's cells side by side, one a page)")
    ap.add_argument("--only", default="",
                    help="comma-separated contents (name,place,text...) to train on, crops and "
                         "renders alike: a specialist model; empty: every content")
    ap.add_argument("--minutes", type=float, default=18.0, help="training time budget")
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--steps", type=int, default=0,
                    help="train exactly this many batches (deterministic); 0: until --minutes")
    ap.add_argument("--slant-share", type=float, default=0.3,
                    help="share of augmented crops given another slant (0 before stage 3)")
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=2e-3,
                    help="peak learning rate (lower to continue a trained --checkpoint)")
    ap.add_argument("--report", default=None, help="write held-out figures here (JSON)")
    ap.add_argument("--init", default=None,
                    help="start from this exported ONNX model (fine-tuning a committed model "
                         "whose PyTorch checkpoint is gone); its batch norms stay frozen")
    ap.add_argument("--checkpoint", default=None,
                    help="PyTorch weights: loaded when the file exists, written at the end "
                         "(continue a run that the time budget cut short)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    r = random.Random(args.seed)

    with open(os.path.join(ROOT, "config", "carescan.json")) as f:
        fonts = json.load(f)["samples"]["handwriting_fonts"]
    prior = load_prior()
    renderer = Renderer(fonts, args.seed)
    t0 = time.time()
    # Raw crops (ink 0, paper 255); augmented and height-normalised batch by batch.
    only = set(filter(None, args.only.split(",")))
    data = []
    drawn = 0
    while drawn < args.renders:
        kind, text = random_text(r, prior)
        if only and kind not in only:
            continue
        drawn += 1
        crop = renderer.render(text)
        if crop is not None:
            data.append((crop, text, "render." + kind))
    repeats = {"name": args.name_repeat}
    for item in filter(None, args.repeat.split(",")):
        content, times = item.split("=")
        repeats[content] = int(times)
    for d in args.crops:
        for crop in load_crops(d, args.max_crops, r):
            if only and crop[2] not in only:
                continue
            data.extend([crop] * repeats.get(crop[2], 1))
    print("data: %d lines in %.0f s" % (len(data), time.time() - t0), flush=True)

    r.shuffle(data)
    t0 = time.time()  # the budget is for training; drawing the data comes before it
    if args.valid_crops:
        # Crops of other pages than any training crop: the figures say how the model reads
        # pages it has never seen, not lines of pages it has.
        valid = [(to_input(c), t, k) for c, t, k in load_crops(args.valid_crops, 100000, r)]
        train = data
    else:
        held = max(200, len(data) // 20)
        valid = [(to_input(c), t, k) for c, t, k in data[:held]]
        train = data[held:]
    net = LineNet(len(ALPHABET) + 1)
    print("parameters: %d" % sum(p.numel() for p in net.parameters()), flush=True)
    if args.checkpoint and os.path.exists(args.checkpoint):
        net.load_state_dict(torch.load(args.checkpoint))
        print("continuing from %s" % args.checkpoint, flush=True)
    elif args.init:
        load_exported(net, args.init)
        # The starting model's figures on the same held-out crops: what the fine-tune changed.
        print("fine-tuning %s; held-out exact before: %s" % (args.init, fmt(evaluate(net, valid))),
              flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    batch = 48
    # Similar widths in a batch: little padding to compute on.
    order = sorted(range(len(train)),
                   key=lambda i: train[i][0].shape[1] / max(1, train[i][0].shape[0]))
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    budget = args.minutes * 60
    deadline = t0 + args.minutes * 60
    step = 0
    for epoch in range(args.epochs):
        r.shuffle(batches)
        net.train()
        if args.init:
            freeze_norms(net)
        loss_sum = 0.0
        for b in batches:
            items = [(to_input(augment(train[i][0], r, args.slant_share) if r.random() < 0.6
                               else train[i][0]),
                      train[i][1]) for i in b]
            if r.random() < 0.5:  # some crops pad a little wider than their ink
                items = [(np.pad(x, ((0, 0), (0, r.randint(0, 6)))), t) for x, t in items]
            xs, targets = batchify(items)
            logits = net(xs).squeeze(2)  # N x C x T
            logp = logits.permute(2, 0, 1).log_softmax(2)
            t_len = torch.full((len(b),), logp.shape[0], dtype=torch.long)
            y_len = torch.tensor([len(t) for t in targets], dtype=torch.long)
            y = torch.tensor([k for t in targets for k in t], dtype=torch.long)
            loss = ctc(logp, y, t_len, y_len)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            # Warm-up then cosine decay over the time budget: on a shared machine the number
            # of steps that fit is not known in advance.
            progress = (step / args.steps if args.steps
                        else min(1.0, (time.time() - t0) / budget))
            lr = args.lr * min(1.0, progress / 0.05) * 0.5 * (1 + math.cos(math.pi * progress))
            for group in opt.param_groups:
                group["lr"] = max(lr, 2e-5)
            step += 1
            loss_sum += loss.item()
            if (args.steps and step >= args.steps) or (not args.steps and time.time() > deadline):
                break
        acc = evaluate(net, valid)
        print("epoch %d loss %.3f held-out exact %s (%.0f s)" % (
            epoch, loss_sum / max(1, len(batches)), fmt(acc), time.time() - t0), flush=True)
        if (args.steps and step >= args.steps) or (not args.steps and time.time() > deadline):
            print("budget reached after %d steps" % step, flush=True)
            break

    acc = evaluate(net, valid)
    if args.report:
        with open(args.report, "w") as f:
            json.dump(acc, f, indent=1)
    if args.checkpoint:
        torch.save(net.state_dict(), args.checkpoint)
    net.eval()
    dummy = torch.zeros(1, 1, HEIGHT, 128)
    torch.onnx.export(Exported(net), dummy, args.out, input_names=["image"], output_names=["probs"],
                      dynamic_axes={"image": {3: "width"}, "probs": {3: "columns"}}, opset_version=11,
                      do_constant_folding=True)
    print("wrote %s (%d bytes)" % (args.out, os.path.getsize(args.out)), flush=True)


def load_exported(net, path):
    """Loads an exported model's weights. The export folded each batch norm into the convolution
    before it (its bias holds the shift), so each norm becomes the identity plus that bias."""
    import onnx
    from onnx import numpy_helper
    graph = onnx.load(path).graph
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    pairs = []
    for m in net.features.modules():
        if isinstance(m, nn.Conv2d):
            pairs.append([m, None])
        elif isinstance(m, nn.BatchNorm2d):
            pairs[-1][1] = m
    if len(convs) != len(pairs) + 1:
        raise SystemExit("%s does not have this network's layers" % path)
    with torch.no_grad():
        for node, (conv, norm) in zip(convs, pairs):
            conv.weight.copy_(weights[node.input[1]])
            norm.weight.fill_(1.0)
            norm.bias.copy_(weights[node.input[2]])
            norm.running_mean.zero_()
            norm.running_var.fill_(1.0 - norm.eps)
        net.head.weight.copy_(weights[convs[-1].input[1]])
        net.head.bias.copy_(weights[convs[-1].input[2]])


def freeze_norms(net):
    """Batch norms keep their running statistics (the folded model's exact function): a few
    thousand fine-tuning batches must not re-learn what the export folded in."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()


def evaluate(net, valid):
    net.eval()
    hits, counts = {}, {}
    with torch.no_grad():
        order = sorted(range(len(valid)), key=lambda i: valid[i][0].shape[1])
        for i in range(0, len(order), 64):
            chunk = [valid[k] for k in order[i:i + 64]]
            xs, _ = batchify([(x, t) for x, t, _ in chunk])
            logits = net(xs).squeeze(2)
            for j, (x, t, kind) in enumerate(chunk):
                cols = x.shape[1] // 2
                got = greedy(logits[j][:, :cols])
                counts[kind] = counts.get(kind, 0) + 1
                hits[kind] = hits.get(kind, 0) + (got == t)
    net.train()
    return {k: (hits[k] / counts[k], counts[k]) for k in sorted(counts)}


def fmt(acc):
    return " ".join("%s %.1f%% (%d)" % (k, 100 * a, n) for k, (a, n) in acc.items())


if __name__ == "__main__":
    main()
