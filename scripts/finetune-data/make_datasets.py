#!/usr/bin/env python3
"""Build Lowbit's three small fine-tuning datasets from the tiny model's held-out text.

Standard library only. Run from anywhere:

    /usr/bin/python3 scripts/finetune-data/make_datasets.py

Input:  public/models/kjv-char-4l/heldout.txt (KJV, 1 Thessalonians..Revelation, one verse
        per line; public domain; the base model never trained on it) and
        public/models/kjv-char-4l/config.json (the model's 63-character vocabulary).
Output: public/datasets/<name>/{train.txt, heldout.txt, README.md} for
        kjv-modern, kjv-shout and kjv-lines, plus public/datasets/index.json.

Every step is deterministic; re-running rewrites byte-identical files. See
scripts/finetune-data/README.md for the recipe and the exact transform tables.
"""
import hashlib
import json
import os
import re
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_DIR = os.path.join(REPO, "public", "models", "kjv-char-4l")
OUT_DIR = os.path.join(REPO, "public", "datasets")

# Source selection: the first whole verses of heldout.txt until at least SOURCE_CHARS
# characters (newlines included) are taken; the last HELDOUT_FRACTION of those verses
# (by count, contiguous) become each dataset's held-out split.
SOURCE_CHARS = 112_000
HELDOUT_FRACTION = 0.12
# What that selects (checked by assertions on the verse text below):
RANGES = {"source": "1 Thessalonians 1:1 to 2 Peter 2:14",
          "train": "1 Thessalonians 1:1 to 1 Peter 2:1",
          "heldout": "1 Peter 2:2 to 2 Peter 2:14"}

# ----------------------------------------------------------------------------- kjv-modern
# Word-level replacements. A "word" is a maximal run of ASCII letters; only whole words
# listed here change. Case is carried over from the source word: "thee" -> "you",
# "Thee" -> "You", "THEE" -> "YOU". No general suffix rule is applied anywhere.

PRONOUNS = {
    "thee": "you", "thou": "you", "ye": "you",
    "thy": "your",
    # "thine" -> "your" before a word ("thine eyes"), "yours" otherwise: see modernise()
    "thyself": "yourself",
}

AUXILIARIES = {
    "hath": "has", "doth": "does", "saith": "says", "unto": "to",
    "shalt": "shall", "wilt": "will", "hast": "have", "dost": "do", "didst": "did",
    "canst": "can", "wast": "were",
    # every one of the 25 "art" in heldout.txt is the verb ("thou art", "art thou",
    # "which art, and wast"); checked by hand, so it maps unconditionally.
    "art": "are",
    "spake": "spoke", "sware": "swore",
    "shew": "show", "shewed": "showed", "shewing": "showing", "shewedst": "showed",
}

# Second person singular -est verbs that occur in heldout.txt (after "thou").
# Only these words; "priest", "lest", "manifest", "holiest", "greatest" ... are untouched.
EST_VERBS = {
    "knowest": "know", "sawest": "saw", "mayest": "may", "shouldest": "should",
    "doest": "do", "mightest": "might", "wouldest": "would", "seest": "see",
    "oughtest": "ought", "comest": "come", "owest": "owe", "remainest": "remain",
    "visitest": "visit", "madest": "made", "believest": "believe", "judgest": "judge",
    "walkest": "walk", "hatest": "hate", "dwellest": "dwell", "holdest": "hold",
    "sufferest": "suffer", "livest": "live", "sayest": "say",
}

# Third person singular -eth verbs that occur in heldout.txt, each with its modern -s form,
# written out by hand. Left out on purpose: "teeth" (a noun), "letteth" (= hinders; "lets"
# would mislead) and "listeth" (= pleases). Any -eth word not in this table stays as is.
ETH_VERBS = {
    "abideth": "abides", "aboundeth": "abounds", "acknowledgeth": "acknowledges",
    "appeareth": "appears", "ariseth": "arises", "ascendeth": "ascends", "asketh": "asks",
    "availeth": "avails", "beareth": "bears", "becometh": "becomes", "beholdeth": "beholds",
    "believeth": "believes", "belongeth": "belongs", "biddeth": "bids", "boasteth": "boasts",
    "bridleth": "bridles", "bringeth": "brings", "burneth": "burns", "buyeth": "buys",
    "calleth": "calls", "careth": "cares", "carrieth": "carries", "casteth": "casts",
    "causeth": "causes", "chasteneth": "chastens", "cherisheth": "cherishes",
    "cleanseth": "cleanses", "cometh": "comes", "committeth": "commits",
    "confesseth": "confesses", "continueth": "continues", "converteth": "converts",
    "crieth": "cries", "dealeth": "deals", "decayeth": "decays", "deceiveth": "deceives",
    "defileth": "defiles", "denieth": "denies", "descendeth": "descends",
    "desireth": "desires", "despiseth": "despises", "devoureth": "devours", "doeth": "does",
    "draweth": "draws", "drinketh": "drinks", "dwelleth": "dwells", "endureth": "endures",
    "entangleth": "entangles", "entereth": "enters", "exalteth": "exalts",
    "exerciseth": "exercises", "fadeth": "fades", "falleth": "falls", "feareth": "fears",
    "forbiddeth": "forbids", "forgetteth": "forgets", "giveth": "gives", "goeth": "goes",
    "greeteth": "greets", "groweth": "grows", "hateth": "hates", "heareth": "hears",
    "holdeth": "holds", "judgeth": "judges", "keepeth": "keeps", "killeth": "kills",
    "kindleth": "kindles", "knoweth": "knows", "laboureth": "labours", "lacketh": "lacks",
    "leadeth": "leads", "lieth": "lies", "limiteth": "limits", "lingereth": "lingers",
    "liveth": "lives", "looketh": "looks", "loveth": "loves", "lusteth": "lusts",
    "maketh": "makes", "nameth": "names", "needeth": "needs", "openeth": "opens",
    "opposeth": "opposes", "overcometh": "overcomes", "oweth": "owes", "passeth": "passes",
    "perisheth": "perishes", "pertaineth": "pertains", "proceedeth": "proceeds",
    "profiteth": "profits", "prospereth": "prospers", "purifieth": "purifies",
    "quickeneth": "quickens", "readeth": "reads", "receiveth": "receives",
    "reigneth": "reigns", "rejoiceth": "rejoices", "remaineth": "remains",
    "resisteth": "resists", "resteth": "rests", "roareth": "roars", "ruleth": "rules",
    "saluteth": "salutes", "sanctifieth": "sanctifies", "scourgeth": "scourges",
    "searcheth": "searches", "seemeth": "seems", "seeth": "sees", "setteth": "sets",
    "shineth": "shines", "shutteth": "shuts", "signifieth": "signifies", "sinneth": "sins",
    "sitteth": "sits", "slumbereth": "slumbers", "speaketh": "speaks", "standeth": "stands",
    "striketh": "strikes", "taketh": "takes", "teacheth": "teaches", "tempteth": "tempts",
    "testifieth": "testifies", "toucheth": "touches", "transgresseth": "transgresses",
    "treadeth": "treads", "trieth": "tries", "trusteth": "trusts", "upbraideth": "upbraids",
    "useth": "uses", "vanisheth": "vanishes", "waiteth": "waits", "walketh": "walks",
    "warreth": "wars", "watcheth": "watches", "wavereth": "wavers", "waxeth": "waxes",
    "weareth": "wears", "withereth": "withers", "withholdeth": "withholds",
    "worketh": "works", "yieldeth": "yields",
}

MODERN_TABLE = {**PRONOUNS, **AUXILIARIES, **EST_VERBS, **ETH_VERBS}
assert len(MODERN_TABLE) == len(PRONOUNS) + len(AUXILIARIES) + len(EST_VERBS) + len(ETH_VERBS)

WORD = re.compile(r"[A-Za-z]+")


def match_case(src, new):
    if src.isupper() and len(src) > 1:
        return new.upper()
    if src[0].isupper():
        return new[0].upper() + new[1:]
    return new


def modernise(verse):
    def repl(m):
        w = m.group(0)
        lw = w.lower()
        if lw == "thine":
            # "thine eyes" -> "your eyes"; "... is thine." -> "... is yours."
            nxt = verse[m.end():m.end() + 2]
            return match_case(w, "your" if re.match(r" [A-Za-z]", nxt) else "yours")
        new = MODERN_TABLE.get(lw)
        return w if new is None else match_case(w, new)
    return WORD.sub(repl, verse)


# ----------------------------------------------------------------------------- kjv-shout
# Upper-case every letter. The vocabulary has no capital 'X' (the KJV never prints one),
# so a verse containing 'x' cannot be shouted inside the vocabulary: it is DROPPED
# (not respelled), and the count is reported. Dropping happens after the train/held-out
# split, so the two splits still cover the same verse ranges as the other datasets.

def shout(verse):
    return verse.upper()


# ----------------------------------------------------------------------------- kjv-lines
# One phrase per line, like verse set as poetry: after every ',', ';' or ':' that is
# followed by a space, the space becomes a newline (the punctuation stays at the end of
# its line). Verses are separated by one blank line. Nothing else changes.

def lines(verse):
    return re.sub(r"([,;:]) ", "\\1\n", verse)


# ----------------------------------------------------------------------------- build

DATASETS = [
    {
        "name": "kjv-modern",
        "title": "Modern wording",
        "description": "The King James epistles with the old forms swapped for modern ones: "
                       "thee/thou/ye become you, thy becomes your, hath has, saith says, unto to, "
                       "cometh comes, and so on.",
        "fn": modernise,
        "join": "\n",
    },
    {
        "name": "kjv-shout",
        "title": "ALL CAPITALS",
        "description": "The same King James verses written entirely in capital letters. "
                       "Verses containing the letter x are left out, because the model's "
                       "alphabet has no capital X.",
        "fn": shout,
        "join": "\n",
    },
    {
        "name": "kjv-lines",
        "title": "One phrase per line",
        "description": "The same King James verses set like a poem: a line break after every "
                       "comma, colon and semicolon, and a blank line between verses.",
        "fn": lines,
        "join": "\n\n",
    },
]


def sha256(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def render(blocks, join):
    return join.join(blocks) + "\n" if blocks else ""


def readme(d, info):
    n = d["name"]
    parts = [f"# {n}: {d['title']}\n",
             f"{d['description']}\n",
             "A fine-tuning dataset for Lowbit's QLoRA lesson. It was made by "
             "`scripts/finetune-data/make_datasets.py` (see `scripts/finetune-data/README.md`) "
             "from text that the tiny model `kjv-char-4l` did **not** train on.\n",
             "## Files\n",
             "| file | characters | verses | SHA-256 |",
             "| --- | --- | --- | --- |",
             f"| `train.txt` | {info['train_chars']:,} | {info['train_verses']:,} | `{info['train_sha256']}` |",
             f"| `heldout.txt` | {info['heldout_chars']:,} | {info['heldout_verses']:,} | `{info['heldout_sha256']}` |",
             "",
             "All characters are in the model's 63-character vocabulary "
             "(`public/models/kjv-char-4l/config.json`, `tokenizer.chars`); the script asserts it. "
             "Characters are ASCII, so characters = bytes.\n",
             "## Source and licence\n",
             f"- **Source.** `public/models/kjv-char-4l/heldout.txt` (King James Version, "
             f"1 Thessalonians onwards, one verse per line, SHA-256 `{info['source_file_sha256']}`). "
             f"Taken: its first {info['source_verses']:,} verses "
             f"({info['source_chars']:,} characters, {RANGES['source']}), the smallest whole-verse prefix of at least "
             f"{SOURCE_CHARS:,} characters.",
             "- **Licence.** The King James Version text is in the public domain (Debian "
             "`bible-kjv-text` copyright file: \"The copyright for the King James Version text of "
             "the Bible is expired\"). The transform script is part of Lowbit and under the "
             "project's licence; the transformed text adds no copyrightable material.",
             f"- **Split.** Contiguous by position: of the {info['source_verses']:,} source verses, "
             f"the first {info['split_index']:,} are `train.txt` and the last "
             f"{info['source_verses'] - info['split_index']:,} ({HELDOUT_FRACTION:.0%}) are "
             f"`heldout.txt`: train is {RANGES['train']}, held-out is {RANGES['heldout']}. "
             "All three datasets use the same split point.\n",
             "## Transform\n"]
    if n == "kjv-modern":
        parts += [
            "Word-level replacement from a fixed table; a word is a run of ASCII letters and "
            "only whole words in the table change. The source word's case is kept "
            "(`Thou` → `You`). There is no general suffix rule: `teeth`, `priest`, `lest` and "
            "every other word not listed are untouched. The full table is in the script.\n",
            "- Pronouns: thee, thou, ye → you; thy → your; thine → your before a word, "
            "yours otherwise; thyself → yourself.",
            "- Verbs: hath → has, doth → does, saith → says, shalt → shall, wilt → will, "
            "hast → have, dost → do, didst → did, canst → can, wast → were, art → are "
            "(all 25 uses in the model's `heldout.txt` are the verb), spake → spoke, sware → swore, "
            "shew/shewed/shewing → show/showed/showing.",
            "- unto → to.",
            f"- {len(EST_VERBS)} second-person -est verbs that occur in the model's `heldout.txt`: knowest → know, "
            "sawest → saw, mayest → may, shouldest → should, doest → do, …",
            f"- {len(ETH_VERBS)} third-person -eth verbs that occur in the model's `heldout.txt`, each written out: "
            "cometh → comes, giveth → gives, loveth → loves, sitteth → sits, denieth → denies, "
            "teacheth → teaches, seeth → sees, doeth → does, … Left as they are: letteth "
            "(\"hinders\") and listeth (\"pleases\"), whose -s forms would mislead.",
            f"\nWords changed: {info['changed_words']:,} of {info['total_words']:,} "
            f"({info['changed_words'] / info['total_words']:.1%}). Grammar around them is not "
            "repaired, so a few phrases read oddly (\"you that believe\").\n",
        ]
    elif n == "kjv-shout":
        parts += [
            "Every letter is upper-cased (`str.upper()`; the text is ASCII). The vocabulary has "
            "no capital `X`, because the KJV never prints one, so every verse that contains an "
            "`x` is **dropped** rather than respelled. The drop happens after the split.\n",
            f"Verses dropped: {info['dropped_train']:,} from train and "
            f"{info['dropped_heldout']:,} from held-out "
            f"({(info['dropped_train'] + info['dropped_heldout']) / info['source_verses']:.1%} "
            "of the source verses).\n",
        ]
    else:
        parts += [
            "After every `,`, `;` or `:` that is followed by a space, that space becomes a "
            "newline; the punctuation mark stays at the end of its line. Verses are separated "
            "by one blank line, and the file ends with a single newline. Nothing else changes.\n",
            f"Phrase lines: {info['phrase_lines']:,}, mean {info['mean_line_chars']:.1f} "
            "characters per line.\n",
        ]
    parts += ["## Regenerate\n",
              "```sh\n/usr/bin/python3 scripts/finetune-data/make_datasets.py\n```\n",
              "The script is deterministic; the SHA-256 values above identify the output.\n"]
    return "\n".join(parts)


def main():
    with open(os.path.join(MODEL_DIR, "config.json"), encoding="utf-8") as f:
        vocab = set(json.load(f)["tokenizer"]["chars"])
    assert len(vocab) == 63, len(vocab)
    with open(os.path.join(MODEL_DIR, "heldout.txt"), encoding="utf-8") as f:
        src_text = f.read()
    assert src_text.endswith("\n")
    verses = src_text[:-1].split("\n")
    assert all(v and v == v.strip() for v in verses)

    taken, acc = [], 0
    for v in verses:
        taken.append(v)
        acc += len(v) + 1
        if acc >= SOURCE_CHARS:
            break
    n = len(taken)
    k = n - round(n * HELDOUT_FRACTION)
    common = {
        "source_file_sha256": sha256(src_text),
        "source_verses": n,
        "source_chars": acc,
        "split_index": k,
    }
    assert taken[0].startswith("Paul, and Silvanus, and Timotheus")    # 1 Thess 1:1
    assert taken[k - 1].startswith("Wherefore laying aside all malice")    # 1 Pet 2:1
    assert taken[k].startswith("As newborn babes, desire the sincere")    # 1 Pet 2:2
    assert taken[-1].startswith("Having eyes full of adultery")          # 2 Pet 2:14
    print(f"source: {n} verses, {acc} chars; split at verse {k} (train {k}, heldout {n - k})")

    os.makedirs(OUT_DIR, exist_ok=True)
    index = []
    total_bytes = 0
    for d in DATASETS:
        info = dict(common)
        parts = {}
        for split, vs in (("train", taken[:k]), ("heldout", taken[k:])):
            out = [d["fn"](v) for v in vs]
            if d["name"] == "kjv-shout":
                kept = [o for o in out if set(o) <= vocab]
                info[f"dropped_{split}"] = len(out) - len(kept)
                out = kept
            text = render(out, d["join"])
            bad = set(text) - vocab
            assert not bad, f"{d['name']}/{split}: characters outside the vocabulary: {bad!r}"
            parts[split] = text
            info[f"{split}_chars"] = len(text)
            info[f"{split}_verses"] = len(out)
            info[f"{split}_sha256"] = sha256(text)
        if d["name"] == "kjv-modern":
            before = WORD.findall("\n".join(taken))
            after = WORD.findall("\n".join(modernise(v) for v in taken))
            assert len(before) == len(after)
            info["total_words"] = len(before)
            info["changed_words"] = sum(a != b for a, b in zip(before, after))
        if d["name"] == "kjv-lines":
            ls = [l for l in (parts["train"] + parts["heldout"]).split("\n") if l]
            info["phrase_lines"] = len(ls)
            info["mean_line_chars"] = sum(map(len, ls)) / len(ls)

        ddir = os.path.join(OUT_DIR, d["name"])
        os.makedirs(ddir, exist_ok=True)
        for split, text in parts.items():
            with open(os.path.join(ddir, f"{split}.txt"), "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        rd = readme(d, info)
        with open(os.path.join(ddir, "README.md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(rd)
        total_bytes += info["train_chars"] + info["heldout_chars"] + len(rd.encode("utf-8"))
        index.append({"name": d["name"], "title": d["title"], "description": d["description"],
                      "train_chars": info["train_chars"], "heldout_chars": info["heldout_chars"]})
        extra = {x: info[x] for x in ("dropped_train", "dropped_heldout", "changed_words",
                                      "total_words", "phrase_lines") if x in info}
        print(f"{d['name']}: train {info['train_chars']} chars ({info['train_verses']} verses), "
              f"heldout {info['heldout_chars']} chars ({info['heldout_verses']} verses) {extra}")
        print(f"  train   sha256 {info['train_sha256']}\n  heldout sha256 {info['heldout_sha256']}")

    with open(os.path.join(OUT_DIR, "index.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(index, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"total written ~{total_bytes / 1024:.0f} KiB (plus index.json)")


if __name__ == "__main__":
    sys.exit(main())
