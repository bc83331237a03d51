//! Katakana → ASCII romaji (Hepburn-like), to propose a KB `id` for an unknown name
//! (スレイメノフ → `sureimenofu`). Only ids need it, so it aims at readable, not perfect.

#[rustfmt::skip]
const BASE: &[(char, &str)] = &[
    ('ア', "a"), ('イ', "i"), ('ウ', "u"), ('エ', "e"), ('オ', "o"),
    ('カ', "ka"), ('キ', "ki"), ('ク', "ku"), ('ケ', "ke"), ('コ', "ko"),
    ('ガ', "ga"), ('ギ', "gi"), ('グ', "gu"), ('ゲ', "ge"), ('ゴ', "go"),
    ('サ', "sa"), ('シ', "shi"), ('ス', "su"), ('セ', "se"), ('ソ', "so"),
    ('ザ', "za"), ('ジ', "ji"), ('ズ', "zu"), ('ゼ', "ze"), ('ゾ', "zo"),
    ('タ', "ta"), ('チ', "chi"), ('ツ', "tsu"), ('テ', "te"), ('ト', "to"),
    ('ダ', "da"), ('ヂ', "ji"), ('ヅ', "zu"), ('デ', "de"), ('ド', "do"),
    ('ナ', "na"), ('ニ', "ni"), ('ヌ', "nu"), ('ネ', "ne"), ('ノ', "no"),
    ('ハ', "ha"), ('ヒ', "hi"), ('フ', "fu"), ('ヘ', "he"), ('ホ', "ho"),
    ('バ', "ba"), ('ビ', "bi"), ('ブ', "bu"), ('ベ', "be"), ('ボ', "bo"),
    ('パ', "pa"), ('ピ', "pi"), ('プ', "pu"), ('ペ', "pe"), ('ポ', "po"),
    ('マ', "ma"), ('ミ', "mi"), ('ム', "mu"), ('メ', "me"), ('モ', "mo"),
    ('ヤ', "ya"), ('ユ', "yu"), ('ヨ', "yo"),
    ('ラ', "ra"), ('リ', "ri"), ('ル', "ru"), ('レ', "re"), ('ロ', "ro"),
    ('ワ', "wa"), ('ヲ', "o"), ('ン', "n"), ('ヴ', "vu"),
    ('ァ', "a"), ('ィ', "i"), ('ゥ', "u"), ('ェ', "e"), ('ォ', "o"),
    ('ャ', "ya"), ('ュ', "yu"), ('ョ', "yo"),
];

fn base(c: char) -> Option<&'static str> {
    BASE.iter().find(|(k, _)| *k == c).map(|(_, r)| *r)
}

/// The consonant part of a syllable, for combinations with a following small kana.
fn consonant(syllable: &str) -> &str {
    match syllable {
        "shi" => "sh",
        "chi" => "ch",
        "ji" => "j",
        "fu" => "f",
        "tsu" => "ts",
        "vu" => "v",
        "u" => "w",
        s => &s[..s.len() - 1],
    }
}

/// Romaji of a katakana word; characters that are not katakana are dropped.
pub fn romanize(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut double_next = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == 'ッ' {
            double_next = true;
            i += 1;
            continue;
        }
        if c == 'ー' {
            i += 1;
            continue;
        }
        let Some(syllable) = base(c) else {
            i += 1;
            continue;
        };
        let next = chars.get(i + 1).copied();
        let mut romaji = syllable.to_string();
        match next {
            Some(small @ ('ャ' | 'ュ' | 'ョ')) if syllable.len() > 1 => {
                let vowel = &base(small).unwrap_or("ya")[1..];
                romaji = match consonant(syllable) {
                    c @ ("sh" | "ch" | "j") => format!("{c}{vowel}"),
                    _ => format!("{}y{vowel}", &syllable[..syllable.len() - 1]),
                };
                i += 1;
            }
            Some(small @ ('ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ')) if syllable != "a" => {
                romaji = format!("{}{}", consonant(syllable), base(small).unwrap_or("a"));
                i += 1;
            }
            _ => {}
        }
        if double_next {
            if let Some(first) = romaji.chars().next().filter(|c| !"aiueon".contains(*c)) {
                out.push(if romaji.starts_with("ch") { 't' } else { first });
            }
            double_next = false;
        }
        out.push_str(&romaji);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::romanize;

    #[test]
    fn readable_ids() {
        assert_eq!(romanize("スレイメノフ"), "sureimenofu");
        assert_eq!(romanize("パイファー"), "paifa");
        assert_eq!(romanize("ジュネーブ"), "junebu");
        assert_eq!(romanize("シャーマン"), "shaman");
        assert_eq!(romanize("マッチ"), "matchi");
        assert_eq!(romanize("ティモシェンコ"), "timoshenko");
        assert_eq!(romanize("ヴォルフ"), "vorufu");
        assert_eq!(romanize("オアナ・ルンゲスク"), "oanarungesuku");
    }
}
