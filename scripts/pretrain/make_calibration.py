#!/usr/bin/env python3
"""Write the tiny model's calibration text: passages of its own training split.

Activation-aware quantization (LLM.int8(), SmoothQuant, GPTQ, AWQ) reads a layer's inputs over
calibration text drawn from the training distribution, never from the held-out text it is then
judged on. The training split (Genesis .. Colossians, 3,940,402 characters) is too large to ship,
so this script takes PASSAGES passages of whole verses, evenly spaced through it, each as long as
fits in PASSAGE_CHARS characters, and writes them one after another to
public/models/kjv-char-4l/calibration.txt. Deterministic: same package, same file.

    apt-get install -y bible-kjv-text bible-kjv
    python3 scripts/pretrain/make_calibration.py
"""
import json
import os

from corpus import build_texts, sha256

PASSAGES = 64
PASSAGE_CHARS = 512
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
MODEL_DIR = os.path.join(ROOT, "public", "models", "kjv-char-4l")


def main():
    train, _, _ = build_texts()
    with open(os.path.join(MODEL_DIR, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    assert sha256(train) == config["train_sha256"], "the training text differs from the one the model was trained on"
    verses = train.split("\n")[:-1]
    out = []
    for p in range(PASSAGES):
        first = (p * len(verses)) // PASSAGES
        passage = ""
        for v in verses[first:]:
            if len(passage) + len(v) + 1 > PASSAGE_CHARS:
                break
            passage += v + "\n"
        assert passage, f"verse {first} is longer than {PASSAGE_CHARS} characters"
        out.append(passage)
    text = "".join(out)
    assert set(text) <= set(config["tokenizer"]["chars"])
    with open(os.path.join(MODEL_DIR, "calibration.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"calibration.txt: {len(text)} characters from {PASSAGES} passages, sha256 {sha256(text)}")


if __name__ == "__main__":
    main()
