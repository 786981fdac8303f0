"""The King James corpus of the tiny model, split as it was trained (no torch needed).

Shared by pretrain_tiny_gpt.py and make_calibration.py; the transformation is described in
pretrain_tiny_gpt.py's docstring and the model's README.
"""
import hashlib
import re
import subprocess

HELDOUT_FIRST_BOOK = "1 Thessalonians"
BIBLE_CMD = ["bible", "-l100000", "gen1:1-rev22:21"]


# ----------------------------------------------------------------------------- corpus

def load_books():
    """Return an ordered list of (book, [verse, ...]) from the Debian package."""
    raw = subprocess.run(BIBLE_CMD, stdin=subprocess.DEVNULL, capture_output=True,
                         check=True, text=True, encoding="utf-8").stdout
    books = []
    current = None
    for line in raw.split("\n"):
        m = re.match(r"^\s+(\d+) (.*)$", line)
        if m:
            books[-1][1].append(m.group(2).strip())
            continue
        if line.strip():
            book = line.strip().rsplit(" ", 1)[0]  # "Song of Solomon 3" -> "Song of Solomon"
            if book != current:
                books.append((book, []))
                current = book
    return books


def build_texts():
    books = load_books()
    names = [b for b, _ in books]
    assert len(names) == 66, f"expected 66 books, got {len(names)}"
    k = names.index(HELDOUT_FIRST_BOOK)
    train = "".join(v + "\n" for _, vs in books[:k] for v in vs)
    heldout = "".join(v + "\n" for _, vs in books[k:] for v in vs)
    return train, heldout, names


def sha256(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()
