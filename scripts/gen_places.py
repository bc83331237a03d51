#!/usr/bin/env python3
"""Generate src/kb/data/places.generated.toml: countries, territories and time-zone cities
under their Japanese names, from the Unicode CLDR data that Babel ships.

How to run (from the repository root; needs no network once Babel is installed):

    python3 -m venv /tmp/cldr && /tmp/cldr/bin/pip install babel==2.18.0
    /tmp/cldr/bin/python scripts/gen_places.py            # writes the file
    /tmp/cldr/bin/python scripts/gen_places.py --check    # exit 1 if the file is stale

Source: the CLDR locale data bundled in Babel 2.18.0 (PyPI `babel`, pinned below; Babel is
BSD-3-Clause, the CLDR data inside it is under the Unicode License v3, see
babel/locale-data/LICENSE.unicode and https://www.unicode.org/license.txt):
- every two-letter territory of the `ja` locale, with its English name from `en`;
- the Japanese exemplar city of every time zone (`ja` time_zones → city), with the English
  exemplar city from `en` or, where `en` has none, the zone id's last part.

The hand-written KB (src/kb/data/entities.toml) wins by id: a place it defines is left out
here, so the two files never define one id twice (a Rust test holds them to it: regenerate
after adding a hand-written place). The tables below are the reviewed choices: ids that line
up with the hand-written KB's, English names spelt out where CLDR's display form is abbreviated
("St.", "&"), the names Japanese news use where CLDR's differ, and the zones left out (the
town is a territory already listed, a word that is also an ordinary word, an Antarctic
station, a small US county seat). Output is sorted by id and byte-identical on every run.
"""

import argparse
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

BABEL_VERSION = "2.18.0"

DATA = Path(__file__).resolve().parent.parent / "src" / "kb" / "data"
OUT = DATA / "places.generated.toml"
HAND_WRITTEN = DATA / "entities.toml"

# Territory codes that are not places: supranational groups, pseudo-locales, unknown, and a
# pair of cities under one code (EA: Ceuta & Melilla).
SKIP_TERRITORIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "EA"}

# Ids of places the hand-written KB already has under another slug than the English name's.
TERRITORY_IDS = {
    "AE": "uae",
    "BA": "bosnia",
    "CZ": "czechia",
    "GB": "uk",
    "HK": "hong-kong",
    "KP": "north-korea",
    "KR": "south-korea",
    "PS": "palestine",
    "TR": "turkey",
    "US": "usa",
    "VA": "vatican",
}

# English names where CLDR's `en` display name is a short or disambiguating form.
TERRITORY_EN = {
    "BQ": "Caribbean Netherlands",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CI": "Côte d'Ivoire",
    "HK": "Hong Kong",
    "MM": "Myanmar",
    "MO": "Macau",
    "PS": "Palestine",
    "UM": "United States Minor Outlying Islands",
}

# (name, aliases) where Japanese news use another name than CLDR's `ja` one; CLDR's stays an
# alias when it is a correct long form.
TERRITORY_JA = {
    "CC": ("ココス諸島", ["ココス(キーリング)諸島"]),
    "CD": ("コンゴ民主共和国", ["コンゴ民主共和国(キンシャサ)"]),
    "CG": ("コンゴ共和国", ["コンゴ共和国(ブラザビル)"]),
    "HK": ("香港", ["中華人民共和国香港特別行政区"]),
    "KN": ("セントクリストファー・ネービス", ["セントクリストファー・ネーヴィス"]),
    "MM": ("ミャンマー", []),
    "MO": ("マカオ", ["中華人民共和国マカオ特別行政区"]),
    "PS": ("パレスチナ", ["パレスチナ自治区"]),
    "US": ("アメリカ", ["アメリカ合衆国"]),
    "VA": ("バチカン", ["バチカン市国"]),
}

# Zones left out, with why.
SKIP_ZONE_PREFIXES = (
    "Antarctica/",  # research stations
    "Arctic/",
    "Etc/",
    "America/Indiana/",  # county seats named for their time zone
    "America/Kentucky/",
    "America/North_Dakota/",
)
SKIP_ZONES = {
    "America/Argentina/San_Juan": "サンファン names many places",
    "America/Argentina/San_Luis": "サンルイス names many places",
    "America/Dominica": "ドミニカ alone is ambiguous (ドミニカ国, ドミニカ共和国)",
    "America/Miquelon": "part of サンピエール島・ミクロン島",
    "America/Phoenix": "フェニックス is an ordinary word",
    "America/Nome": "ノーム is an ordinary word",
    "Atlantic/Canary": "カナリア is an ordinary word; カナリア諸島 is listed",
    "Atlantic/Faeroe": "フェロー is an ordinary word; フェロー諸島 is listed",
    "Atlantic/South_Georgia": "part of サウスジョージア・サウスサンドウィッチ諸島",
    "Atlantic/Stanley": "スタンレー is a common given name and surname",
    "Pacific/Enderbury": "old name of カントン島, listed",
    "Pacific/Kiritimati": "CLDR's キリスィマスィ島 is not a spelling news use",
}

# Ids of cities the hand-written KB already has under another slug.
ZONE_IDS = {
    "Asia/Aqtau": "aktau",
}

# English names where the zone id's last part is not the city's English name.
ZONE_EN = {
    "Asia/Aqtau": "Aktau",
    "Asia/Aqtobe": "Aktobe",
    "Asia/Qostanay": "Kostanay",
    "Asia/Qyzylorda": "Kyzylorda",
    "America/Coral_Harbour": "Atikokan",
    "Asia/Saigon": "Ho Chi Minh City",
    "Europe/Busingen": "Büsingen am Hochrhein",
}

# (name, aliases) where Japanese news spell a city otherwise than CLDR's `ja`; CLDR's
# spelling stays an alias.
ZONE_JA = {
    "Africa/Johannesburg": ("ヨハネスブルク", ["ヨハネスブルグ"]),
    "Africa/Mogadishu": ("モガディシュ", ["モガディシオ"]),
    "America/Mexico_City": ("メキシコシティー", ["メキシコシティ", "メキシコ市"]),
    "America/Santiago": ("サンティアゴ", ["サンチアゴ"]),
    "Asia/Kamchatka": ("カムチャツカ", ["カムチャッカ"]),
    "Asia/Yekaterinburg": ("エカテリンブルク", ["エカテリンブルグ"]),
}


def slug(text):
    """An id from an English name: ASCII letters and digits joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def spelled_out(en):
    """CLDR's English display names abbreviate: "St. Lucia", "Trinidad & Tobago"."""
    en = re.sub(r"\bSt\. ", "Saint ", en)
    return en.replace(" & ", " and ").replace("’", "'")


def toml_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def territories(ja, en):
    places = []
    for code in sorted(ja.territories):
        if len(code) != 2 or code in SKIP_TERRITORIES:
            continue
        english = TERRITORY_EN.get(code) or spelled_out(en.territories[code])
        name, aliases = TERRITORY_JA.get(code, (ja.territories[code], []))
        places.append(
            {
                "id": TERRITORY_IDS.get(code) or slug(english),
                "name": name,
                "en": english,
                "aliases": aliases,
                "description": f"国・地域（CLDR の地域コード {code}）。",
            }
        )
    return places


def cities(ja_data, en_data, territory_names, country_ja):
    from babel.core import get_global

    zone_territory = get_global("zone_territories")
    zone_alias = get_global("zone_aliases")  # CLDR's ids (Europe/Kiev) → IANA's (Europe/Kyiv)
    places = []
    for zone in sorted(ja_data["time_zones"]):
        city = ja_data["time_zones"][zone].get("city")
        if not city or zone.startswith(SKIP_ZONE_PREFIXES) or zone in SKIP_ZONES:
            continue
        name, aliases = ZONE_JA.get(zone, (city, []))
        # A zone named for a territory already listed (アンギラ, シンガポール, セントルシア …).
        if any(t == name or t.startswith(name) for t in territory_names):
            continue
        english = (
            ZONE_EN.get(zone)
            or en_data["time_zones"].get(zone, {}).get("city")
            or zone.rsplit("/", 1)[1].replace("_", " ")
        )
        english = spelled_out(english)
        territory = zone_territory.get(zone) or zone_territory.get(zone_alias.get(zone))
        where = country_ja.get(territory)
        description = f"CLDR のタイムゾーン {zone} の代表地" + (f"（{where}）" if where else "") + "。"
        places.append(
            {
                "id": ZONE_IDS.get(zone) or slug(english),
                "name": name,
                "en": english,
                "aliases": aliases,
                "description": description,
            }
        )
    return places


def render(places):
    out = [
        "# GENERATED by scripts/gen_places.py from the Unicode CLDR data in Babel "
        f"{BABEL_VERSION} — do not edit by hand.",
        "# CLDR data: Unicode License v3 (https://www.unicode.org/license.txt).",
        "# Countries and territories (CLDR `ja` territory names, English from `en`) and time-zone",
        "# exemplar cities; the places src/kb/data/entities.toml defines are left to it.",
        "",
        "version = 1",
    ]
    for p in places:
        out.append("")
        out.append("[[entity]]")
        out.append(f"id = {toml_string(p['id'])}")
        out.append(f"name = {toml_string(p['name'])}")
        out.append('kind = "place"')
        out.append(f"en = {toml_string(p['en'])}")
        if p["aliases"]:
            out.append("aliases = [" + ", ".join(toml_string(a) for a in p["aliases"]) + "]")
        out.append(f"description = {toml_string(p['description'])}")
    return "\n".join(out) + "\n"


def generate():
    import babel
    from babel import Locale, localedata

    if babel.__version__ != BABEL_VERSION:
        sys.exit(f"gen_places.py needs babel=={BABEL_VERSION} (found {babel.__version__})")
    ja, en = Locale("ja"), Locale("en")
    countries = territories(ja, en)
    names = set()
    for p in countries:
        names.add(p["name"])
        names.update(p["aliases"])
    country_ja = {code: TERRITORY_JA.get(code, (ja.territories[code], []))[0] for code in ja.territories}
    places = countries + cities(localedata.load("ja"), localedata.load("en"), names, country_ja)
    by_id = {}
    for p in places:
        if p["id"] in by_id:
            sys.exit(f"two places would share the id {p['id']!r}: {by_id[p['id']]['en']!r} and {p['en']!r}")
        by_id[p["id"]] = p
    spellings = {}
    for p in places:
        for s in [p["name"], *p["aliases"]]:
            other = spellings.setdefault(s, p["id"])
            if other != p["id"]:
                sys.exit(f"{s!r} would name both {other!r} and {p['id']!r}")
    hand_written = {e["id"] for e in tomllib.loads(HAND_WRITTEN.read_text(encoding="utf-8"))["entity"]}
    return render(sorted((p for p in places if p["id"] not in hand_written), key=lambda p: p["id"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args()
    text = generate()
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is stale: run scripts/gen_places.py")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
