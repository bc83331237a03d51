//! The weighted edit distance between a written word and a KB spelling: look-alike kana (ソ/ン,
//! シ/ツ …), voicing marks (カ/ガ), small and large kana (ッ/ツ), a kanji for another of the same
//! reading or shape (保障/保証, 疆/彊: `kb::kanji`), a dropped ー and dropped small kana cost half an
//! edit; anything else costs one; adjacent transpositions cost one.

const LOOK_ALIKE: &[(char, char)] = &[
    ('ソ', 'ン'),
    ('シ', 'ツ'),
    ('ク', 'タ'),
    ('ウ', 'ワ'),
    ('ロ', '口'),
    ('カ', '力'),
    ('エ', '工'),
    ('ニ', '二'),
    ('ハ', '八'),
    ('ー', '一'),
    ('ヘ', 'へ'),
    ('チ', 'テ'),
    ('ノ', 'メ'),
    ('フ', 'ヲ'),
    ('ス', 'ヌ'),
    ('マ', 'ム'),
];

const SMALL_LARGE: &[(char, char)] = &[
    ('ッ', 'ツ'),
    ('ャ', 'ヤ'),
    ('ュ', 'ユ'),
    ('ョ', 'ヨ'),
    ('ァ', 'ア'),
    ('ィ', 'イ'),
    ('ゥ', 'ウ'),
    ('ェ', 'エ'),
    ('ォ', 'オ'),
];

/// The first character of the canonical decomposition (ガ → カ).
fn strip_voicing(c: char) -> char {
    let mut first = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    first.unwrap_or(c)
}

fn substitution_cost(a: char, b: char) -> f32 {
    if a == b {
        return 0.0;
    }
    // Kana against kana (most of the table for katakana names): looked up.
    if let (Some(i), Some(j)) = (kana_index(a), kana_index(b)) {
        static KANA: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
        let table = KANA.get_or_init(|| {
            let kana = |k: usize| char::from_u32(KANA_FIRST + k as u32).unwrap_or(' ');
            (0..KANA_COUNT * KANA_COUNT)
                .map(|k| weighed_substitution(kana(k / KANA_COUNT), kana(k % KANA_COUNT)))
                .collect()
        });
        return table[i * KANA_COUNT + j];
    }
    // A unified ideograph against another or against kana: no canonical decomposition makes
    // them share a base, and no small/large pair holds a kanji; only a look-alike pair (ロ/口)
    // costs less.
    let kanji = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let kanji_or_kana = |c: char| kanji(c) || kana_index(c).is_some();
    if (kanji(a) || kanji(b)) && kanji_or_kana(a) && kanji_or_kana(b) {
        let look_alike = LOOK_ALIKE.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b));
        return if look_alike || kanji_slip(a, b) { 0.5 } else { 1.0 };
    }
    weighed_substitution(a, b)
}

/// Two kanji an input method or a reader confuses: they share an on or kun reading (陽/洋,
/// 障/証, 隊/体) or all but one component (疆/彊). False for anything that is not two kanji.
pub(super) fn kanji_slip(a: char, b: char) -> bool {
    crate::kb::kanji::share_reading(a, b) || crate::kb::kanji::look_alike(a, b)
}

/// Hiragana and katakana: U+3040 to U+30FF.
const KANA_FIRST: u32 = 0x3040;
const KANA_COUNT: usize = 0xC0;

fn kana_index(c: char) -> Option<usize> {
    (c as u32)
        .checked_sub(KANA_FIRST)
        .map(|k| k as usize)
        .filter(|&k| k < KANA_COUNT)
}

/// The cost of writing `b` for `a` (or `a` for `b`), weighed in full.
fn weighed_substitution(a: char, b: char) -> f32 {
    if a == b {
        return 0.0;
    }
    let pair = |list: &[(char, char)]| list.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b));
    if pair(LOOK_ALIKE) || pair(SMALL_LARGE) || strip_voicing(a) == strip_voicing(b) || kanji_slip(a, b) {
        0.5
    } else {
        1.0
    }
}

fn indel_cost(c: char) -> f32 {
    if c == 'ー' || SMALL_LARGE.iter().any(|&(small, _)| small == c) {
        0.5
    } else {
        1.0
    }
}

/// The weighted Damerau–Levenshtein distance of `a` and `b` when it is at most `limit`, else
/// `None` — found without finishing the table once two consecutive rows exceed the limit (no
/// later row can come back under it).
pub(super) fn distance_within(a: &[char], b: &[char], limit: f32) -> Option<f32> {
    let (n, m) = (a.len(), b.len());
    // Three rolling rows of the (n + 1) × (m + 1) table (a transposition looks two rows
    // back), on the stack for names of usual length.
    let width = m + 1;
    let mut small = [0f32; 3 * 40];
    let mut large = Vec::new();
    let d: &mut [f32] = if 3 * width <= small.len() {
        &mut small[..3 * width]
    } else {
        large.resize(3 * width, 0f32);
        &mut large
    };
    let row = |i: usize| (i % 3) * width;
    d[0] = 0.0;
    for j in 1..=m {
        d[j] = d[j - 1] + indel_cost(b[j - 1]);
    }
    let mut previous_over = d[..width].iter().all(|&v| v > limit);
    for i in 1..=n {
        let (cur, up) = (row(i), row(i - 1));
        d[cur] = d[up] + indel_cost(a[i - 1]);
        let mut row_min = d[cur];
        for j in 1..=m {
            let mut best = (d[up + j] + indel_cost(a[i - 1]))
                .min(d[cur + j - 1] + indel_cost(b[j - 1]))
                .min(d[up + j - 1] + substitution_cost(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[row(i - 2) + j - 2] + 1.0);
            }
            d[cur + j] = best;
            row_min = row_min.min(best);
        }
        let over = row_min > limit;
        if over && previous_over {
            return None;
        }
        previous_over = over;
    }
    let distance = d[row(n) + m];
    (distance <= limit).then_some(distance)
}

/// Which characters of `a` an alignment with `b` keeps unchanged: a longest common
/// subsequence of the two (the characters not in it were replaced or added in `a`).
pub(super) fn kept_in_alignment(a: &[char], b: &[char]) -> Vec<bool> {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut lcs = vec![0u16; (n + 1) * width];
    for i in 1..=n {
        for j in 1..=m {
            lcs[i * width + j] = if a[i - 1] == b[j - 1] {
                lcs[(i - 1) * width + j - 1] + 1
            } else {
                lcs[(i - 1) * width + j].max(lcs[i * width + j - 1])
            };
        }
    }
    let mut kept = vec![false; n];
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] {
            kept[i - 1] = true;
            i -= 1;
            j -= 1;
        } else if lcs[(i - 1) * width + j] >= lcs[i * width + j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weighted Damerau–Levenshtein distance (adjacent transpositions cost one).
    fn weighted_distance(a: &[char], b: &[char]) -> f32 {
        distance_within(a, b, f32::INFINITY).expect("every distance is within an infinite limit")
    }

    fn distance(a: &str, b: &str) -> f32 {
        weighted_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
    }

    /// The distance as first written: the whole table, every substitution weighed in full.
    fn full_table_distance(a: &[char], b: &[char]) -> f32 {
        let (n, m) = (a.len(), b.len());
        let sub = |x: char, y: char| {
            let pair = |list: &[(char, char)]| list.iter().any(|&(p, q)| (p, q) == (x, y) || (q, p) == (x, y));
            if x == y {
                0.0
            } else if pair(LOOK_ALIKE) || pair(SMALL_LARGE) || strip_voicing(x) == strip_voicing(y) {
                0.5
            } else {
                1.0
            }
        };
        let mut d = vec![vec![0f32; m + 1]; n + 1];
        for i in 1..=n {
            d[i][0] = d[i - 1][0] + indel_cost(a[i - 1]);
        }
        for j in 1..=m {
            d[0][j] = d[0][j - 1] + indel_cost(b[j - 1]);
        }
        for i in 1..=n {
            for j in 1..=m {
                let mut best = (d[i - 1][j] + indel_cost(a[i - 1]))
                    .min(d[i][j - 1] + indel_cost(b[j - 1]))
                    .min(d[i - 1][j - 1] + sub(a[i - 1], b[j - 1]));
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1.0);
                }
                d[i][j] = best;
            }
        }
        d[n][m]
    }

    proptest::proptest! {
        #[test]
        fn rolling_rows_give_the_full_table_distance(
            a in proptest::collection::vec(0usize..14, 0..50),
            b in proptest::collection::vec(0usize..14, 0..50),
        ) {
            const ALPHABET: [char; 14] = ['カ', 'ガ', 'ソ', 'ン', 'ッ', 'ツ', 'ー', '口', 'ロ', '国', '民', '人', 'a', 'é'];
            let a: Vec<char> = a.iter().map(|&i| ALPHABET[i]).collect();
            let b: Vec<char> = b.iter().map(|&i| ALPHABET[i]).collect();
            proptest::prop_assert_eq!(weighted_distance(&a, &b), full_table_distance(&a, &b));
        }
    }

    proptest::proptest! {
        #[test]
        fn a_bounded_distance_is_the_distance_or_nothing(
            a in proptest::collection::vec(0usize..14, 0..20),
            b in proptest::collection::vec(0usize..14, 0..20),
            limit in 0usize..8,
        ) {
            const ALPHABET: [char; 14] = ['カ', 'ガ', 'ソ', 'ン', 'ッ', 'ツ', 'ー', '口', 'ロ', '国', '民', '人', 'a', 'é'];
            let a: Vec<char> = a.iter().map(|&i| ALPHABET[i]).collect();
            let b: Vec<char> = b.iter().map(|&i| ALPHABET[i]).collect();
            let limit = limit as f32 * 0.5;
            let full = weighted_distance(&a, &b);
            proptest::prop_assert_eq!(distance_within(&a, &b, limit), (full <= limit).then_some(full));
        }
    }

    #[test]
    fn shortcuts_weigh_substitutions_as_in_full() {
        let kana = (0x3040..0x3100).filter_map(char::from_u32);
        let listed = LOOK_ALIKE.iter().chain(SMALL_LARGE).flat_map(|&(x, y)| [x, y]);
        let others = "国民人aéeガ口力工二八一へ".chars();
        let chars: Vec<char> = kana.chain(listed).chain(others).collect();
        for &a in &chars {
            for &b in &chars {
                assert_eq!(substitution_cost(a, b), weighed_substitution(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn unified_ideographs_decompose_to_themselves() {
        for c in ('\u{4E00}'..='\u{9FFF}').filter(|c| c.is_alphabetic()) {
            assert_eq!(strip_voicing(c), c);
        }
    }

    #[test]
    fn weights_follow_real_confusions() {
        assert_eq!(distance("トカレフ", "トカエフ"), 1.0);
        assert_eq!(distance("ゼレンスキ", "ゼレンスキー"), 0.5);
        assert_eq!(distance("シャーマン", "シャーマソ"), 0.5);
        assert_eq!(distance("ペスコフ", "ベスコフ"), 0.5);
        assert_eq!(distance("ドネツク民共和国", "ドネツク人民共和国"), 1.0);
        assert_eq!(distance("集団安全保障機構", "集団安全保障条約機構"), 2.0);
        assert_eq!(distance("ラブロフ", "ラロブフ"), 1.0);
        assert_eq!(distance("国家安全保証局", "国家安全保障局"), 0.5, "証/障: ショウ");
        assert_eq!(distance("新彊", "新疆"), 0.5, "彊/疆: one component apart");
        assert_eq!(
            distance("国家安全保険局", "国家安全保障局"),
            1.0,
            "険/障 share no reading"
        );
    }

    #[test]
    fn an_alignment_keeps_the_common_characters() {
        let kept = |a: &str, b: &str| -> String {
            let a: Vec<char> = a.chars().collect();
            let mask = kept_in_alignment(&a, &b.chars().collect::<Vec<_>>());
            a.iter().zip(mask).map(|(c, k)| if k { *c } else { '_' }).collect()
        };
        assert_eq!(kept("南アメリカ", "南アフリカ"), "南ア_リカ");
        assert_eq!(kept("ドネツク民共和国", "ドネツク人民共和国"), "ドネツク民共和国");
        assert_eq!(kept("国家安全保障局", "国家安全保障会議"), "国家安全保障_");
        assert_eq!(kept("", "ロシア"), "");
    }
}
