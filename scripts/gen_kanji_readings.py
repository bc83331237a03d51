#!/usr/bin/env python3
"""Generate the kanji tables of the homophone model (src/kb/kanji.rs):

- src/kb/data/kanji_readings.txt — one line per kanji: the kanji, its on readings, its kun
  readings and its name readings (nanori), tab-separated, each a space-separated list in
  katakana with okurigana and affix marks stripped (あか.るい → アカ, -ぐち → グチ); the name
  readings also hold each kun reading read whole, okurigana and all, as given names read them
  (茂 しげ.る → シゲル, 稔 みの.る → ミノル: 石破茂 is いしばしげる);
- src/kb/data/kanji_lookalikes.txt — pairs of kanji that share all but one component, one
  pair a line (彊 疆: 疆 is 彊 with 土 added).

How to run (from the repository root; needs no network once the sources are installed):

    apt-get install kanjidic-xml                      # Debian bookworm: 2022.08.23
    pip download --no-deps -d /tmp/kvg kanjivg==20260714     # the KanjiVG release wheel
    python3 scripts/gen_kanji_readings.py --kanjivg /tmp/kvg/kanjivg-20260714-py3-none-any.whl
    python3 scripts/gen_kanji_readings.py --kanjivg … --check   # exit 1 if the files are stale

Sources and licences:
- Readings: KANJIDIC2 (/usr/share/edict/kanjidic2.xml.gz from Debian's `kanjidic-xml`
  2022.08.23), © the Electronic Dictionary Research and Development Group (EDRDG), used under
  the Creative Commons Attribution-ShareAlike 4.0 licence (https://www.edrdg.org/edrdg/licence.html).
- Components: KanjiVG (PyPI `kanjivg` 20260714, the project's own release of its SVG files),
  © Ulrich Apel, Creative Commons Attribution-ShareAlike 3.0
  (https://creativecommons.org/licenses/by-sa/3.0/).
The generated files are derived data under the same ShareAlike terms (src/kb/data/LICENSE.md).

Which kanji: the jōyō and jinmeiyō kanji (KANJIDIC2 grades 1–10) and every kanji written in
the built-in KB's spellings (src/kb/data/*.toml), so every KB name is covered. Look-alike pairs
come from KanjiVG's top-level components (a group without a component name of its own is
opened one level; single strokes do not count), between one of those kanji and any kanji of
JIS X 0208 (what an input method offers): one kanji is the other with a component added (疆 =
彊 + 土), or one component is replaced by another in the same position (陽/楊/揚) — in both
cases the shared part has more strokes than what differs.
Output is sorted by code point and byte-identical on every run.
"""

import argparse
import gzip
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "kb" / "data"
READINGS_OUT = DATA / "kanji_readings.txt"
LOOKALIKES_OUT = DATA / "kanji_lookalikes.txt"
KANJIDIC2 = Path("/usr/share/edict/kanjidic2.xml.gz")
KANJIDIC_XML_VERSION = "2022.08.23"
KANJIVG_VERSION = "20260714"
SVG_NS = "{http://www.w3.org/2000/svg}"
KVG_ELEMENT = "{http://kanjivg.tagaini.net}element"


def is_kanji(c):
    cp = ord(c)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF or c == "々"


def katakana(s):
    """Hiragana → katakana; everything else unchanged."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


def clean(reading):
    """A reading as the table keeps it: okurigana (after '.') and affix marks ('-') dropped."""
    return katakana(reading.split(".", 1)[0].strip("-"))


def whole(reading):
    """A kun reading read whole, as a given name reads it: しげ.る → シゲル (affix marks dropped)."""
    return katakana(reading.replace(".", "").strip("-"))


def unique(items):
    seen, out = set(), []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def kb_kanji():
    """Every kanji written in a spelling (name, alias, misspelling, deprecated) of the KB."""
    found = set()
    for path in sorted(DATA.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entity in data.get("entity", []):
            spellings = [entity["name"], *entity.get("aliases", []), *entity.get("misspellings", [])]
            spellings += [d["name"] for d in entity.get("deprecated", [])]
            found.update(c for s in spellings for c in s if is_kanji(c))
    return found


def read_kanjidic(path):
    """kanji → (grade or None, in JIS X 0208, on, kun, nanori)."""
    table = {}
    with gzip.open(path) as f:
        for _, element in ET.iterparse(f):
            if element.tag != "character":
                continue
            literal = element.findtext("literal")
            grade = element.findtext("misc/grade")
            on, kun, whole_kun = [], [], []
            for r in element.iterfind("reading_meaning/rmgroup/reading"):
                if r.get("r_type") == "ja_on":
                    on.append(clean(r.text))
                elif r.get("r_type") == "ja_kun":
                    kun.append(clean(r.text))
                    if "." in r.text:
                        whole_kun.append(whole(r.text))
            nanori = [clean(n.text) for n in element.iterfind("reading_meaning/nanori")]
            # A given name reads a kun word whole, okurigana and all (茂 しげ.る: しげる).
            nanori += [w for w in whole_kun if w not in nanori]
            jis208 = any(cp.get("cp_type") == "jis208" for cp in element.iterfind("codepoint/cp_value"))
            table[literal] = (int(grade) if grade else None, jis208, unique(on), unique(kun), unique(nanori))
            element.clear()
    return table


# Single strokes: KanjiVG names them as components of simple kanji (不 = 一 丿 丨), which would
# make every simple kanji look like every other.
STROKES = set("一丨丿丶乙亅乚乛𠃍𠄌㇀㇏")
KVG_RADICAL = "{http://kanjivg.tagaini.net}radical"
KVG_POSITION = "{http://kanjivg.tagaini.net}position"


def components(svg_text):
    """The top-level components of a KanjiVG drawing, opening unnamed groups one level, as
    (component, its position, its number of strokes); single strokes left out."""
    root = ET.fromstring(svg_text)
    kanji_group = None
    for g in root.iter(SVG_NS + "g"):
        if g.get("id", "").startswith("kvg:") and g.get(KVG_ELEMENT) and not g.get("id").startswith("kvg:Stroke"):
            kanji_group = g
            break
    if kanji_group is None:
        return []
    groups = []
    for child in kanji_group.findall(SVG_NS + "g"):
        if child.get(KVG_ELEMENT):
            groups.append((child, child.get(KVG_POSITION)))
        else:
            # An unnamed group (疆's 弓 and 土): its parts share its position.
            position = child.get(KVG_POSITION)
            groups.extend((g, g.get(KVG_POSITION) or position) for g in child.findall(SVG_NS + "g") if g.get(KVG_ELEMENT))
    return [
        (g.get(KVG_ELEMENT), position, sum(1 for _ in g.iter(SVG_NS + "path")))
        for g, position in groups
        if g.get(KVG_ELEMENT) not in STROKES
    ]


def read_kanjivg(wheel, wanted):
    """kanji → its top-level components, for the kanji in `wanted` that KanjiVG draws with two
    or more."""
    table = {}
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            m = re.fullmatch(r"kanji/([0-9a-f]{5})\.svg", name)
            if not m:
                continue  # variant drawings (…-Kaisho.svg) and metadata
            c = chr(int(m.group(1), 16))
            if c in wanted:
                parts = components(z.read(name).decode("utf-8"))
                if len(parts) >= 2:
                    table[c] = parts
    return table


def look_alikes(parts, common):
    """Pairs (a, b), a before b, at least one of them in `common`, that share all but one
    component, the shared part being the bigger one: one kanji is the other with a component
    added (疆 = 彊 + 土), or one component is replaced by another in the same position (陽 楊
    揚 場: 昜 beside another radical)."""
    by_rest = {}
    for c, p in parts.items():
        for i, (name, position, strokes) in enumerate(p):
            rest = tuple(sorted(n for j, (n, _, _) in enumerate(p) if j != i))
            shared = sum(s for j, (_, _, s) in enumerate(p) if j != i)
            by_rest.setdefault(rest, []).append((c, name, position, strokes, shared))
    pairs = set()
    for c, p in parts.items():
        whole = tuple(sorted(n for n, _, _ in p))
        strokes = sum(s for _, _, s in p)
        for other, added, _position, added_strokes, _shared in by_rest.get(whole, []):
            if added_strokes < strokes:
                pairs.add(tuple(sorted((c, other), key=ord)))
    for rest, group in by_rest.items():
        for i, (a, name_a, position_a, strokes_a, shared) in enumerate(group):
            for b, name_b, position_b, strokes_b, _ in group[i + 1 :]:
                if name_a == name_b or len(parts[a]) != len(parts[b]):
                    continue
                if position_a and position_a == position_b and shared > max(strokes_a, strokes_b):
                    pairs.add(tuple(sorted((a, b), key=ord)))
    pairs = {p for p in pairs if p[0] in common or p[1] in common}
    return sorted(pairs, key=lambda p: (ord(p[0]), ord(p[1])))


HEADER = """\
# GENERATED by scripts/gen_kanji_readings.py — do not edit by hand.
# {what}
# Source: {source}
# Licence: {licence} (see src/kb/data/LICENSE.md).
"""


def generate(wheel):
    kanjidic = read_kanjidic(KANJIDIC2)
    wanted = {c for c, (grade, *_rest) in kanjidic.items() if grade is not None and grade <= 10}
    wanted |= {c for c in kb_kanji() if c in kanjidic}
    # A look-alike of a common kanji may be any kanji an input method offers: JIS X 0208.
    jis = {c for c, (_grade, jis208, *_rest) in kanjidic.items() if jis208} | wanted
    readings = [
        HEADER.format(
            what="kanji<TAB>on readings<TAB>kun readings<TAB>name readings (katakana, space-separated)",
            source=f"KANJIDIC2 (Debian kanjidic-xml {KANJIDIC_XML_VERSION}), EDRDG",
            licence="CC BY-SA 4.0",
        )
    ]
    for c in sorted(wanted, key=ord):
        _, _, on, kun, nanori = kanjidic[c]
        if on or kun or nanori:
            readings.append(f"{c}\t{' '.join(on)}\t{' '.join(kun)}\t{' '.join(nanori)}\n")
    pairs = look_alikes(read_kanjivg(wheel, jis), wanted)
    lookalikes = [
        HEADER.format(
            what="look-alike kanji: pairs sharing all but one component, one pair a line",
            source=f"KanjiVG {KANJIVG_VERSION} (PyPI kanjivg), Ulrich Apel",
            licence="CC BY-SA 3.0",
        )
    ]
    lookalikes += [f"{a} {b}\n" for a, b in pairs]
    return "".join(readings), "".join(lookalikes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kanjivg", required=True, type=Path, help=f"the kanjivg-{KANJIVG_VERSION} wheel")
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = parser.parse_args()
    if f"kanjivg-{KANJIVG_VERSION}-" not in args.kanjivg.name:
        sys.exit(f"expected the kanjivg {KANJIVG_VERSION} wheel, got {args.kanjivg.name}")
    readings, lookalikes = generate(args.kanjivg)
    outputs = [(READINGS_OUT, readings), (LOOKALIKES_OUT, lookalikes)]
    if args.check:
        stale = [str(p) for p, text in outputs if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            sys.exit(f"stale: {', '.join(stale)}: run scripts/gen_kanji_readings.py")
        return
    for path, text in outputs:
        path.write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
