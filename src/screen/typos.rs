//! 错别字: a small built-in dictionary of confusable forms, each with the contexts in which
//! the same characters are correct, and doubled words. High precision first: an entry is
//! here only when its wrong form is (almost) never right, or when the contexts that make it
//! right can be listed.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{Hit, HitKind, Stream, is_han};

/// One confusable form.
#[derive(Debug, Clone, Copy)]
pub struct Confusable {
    /// The wrong form.
    pub wrong: &'static str,
    /// The right form.
    pub right: &'static str,
    /// Longer strings containing `wrong` in which it is correct (the match is ignored when
    /// the text around it reads as one of them), e.g. 发布署名 for 布署.
    pub ok_around: &'static [&'static str],
    /// Words that make `wrong` correct when they follow it in the same sentence
    /// (up to 。；！？), e.g. 又 for 既使…又….
    pub ok_if_later: &'static [&'static str],
    /// Where the right form is prescribed.
    pub source: &'static str,
    /// A sentence with the slip (tests: must be found).
    pub example: &'static str,
    /// A sentence where the same characters, or the right form, are correct (tests: no hit).
    pub correct_example: &'static str,
}

const XH: &str = "《现代汉语词典》第7版";
const YYC: &str = "《第一批异形词整理表》（教育部、国家语委，2001）";

const fn entry(
    wrong: &'static str,
    right: &'static str,
    source: &'static str,
    example: &'static str,
    correct_example: &'static str,
) -> Confusable {
    Confusable {
        wrong,
        right,
        ok_around: &[],
        ok_if_later: &[],
        source,
        example,
        correct_example,
    }
}

/// The built-in dictionary.
pub static DICTIONARY: &[Confusable] = &[
    Confusable {
        wrong: "布署",
        right: "部署",
        ok_around: &["布署名", "布署理", "布署长"],
        ok_if_later: &[],
        source: XH,
        example: "认真布署下一阶段重点工作。",
        correct_example: "在门户网站发布署名文章。",
    },
    Confusable {
        wrong: "既使",
        right: "即使",
        ok_around: &[],
        ok_if_later: &["又", "也使"],
        source: XH,
        example: "既使遇到困难，也要按时完成。",
        correct_example: "既使群众得到实惠，又使企业减轻负担。",
    },
    Confusable {
        wrong: "做为",
        right: "作为",
        ok_around: &[
            "做为民",
            "做为群众",
            "做为人民",
            "做为百姓",
            "做为老百姓",
            "做为基层",
            "做为企业办",
        ],
        ok_if_later: &[],
        source: XH,
        example: "做为一名共产党员，要带头示范。",
        correct_example: "要多做为民办实事的好事。",
    },
    entry(
        "截止目前",
        "截至目前",
        "《现代汉语词典》第7版（“截至”带时间宾语，“截止”不带宾语）",
        "截止目前，已完成整改任务12项。",
        "截止到目前，已完成整改任务12项；截至目前无新增。",
    ),
    entry(
        "再接再励",
        "再接再厉",
        XH,
        "希望受表彰单位再接再励。",
        "希望受表彰单位再接再厉。",
    ),
    entry(
        "一如继往",
        "一如既往",
        XH,
        "一如继往地做好服务工作。",
        "一如既往地做好服务工作。",
    ),
    entry(
        "迫不急待",
        "迫不及待",
        XH,
        "群众迫不急待地想了解政策。",
        "群众迫不及待地想了解政策。",
    ),
    entry(
        "按步就班",
        "按部就班",
        XH,
        "不能按步就班、墨守成规。",
        "不能按部就班、墨守成规。",
    ),
    entry(
        "出谋化策",
        "出谋划策",
        XH,
        "为发展出谋化策。",
        "为发展出谋划策。",
    ),
    entry(
        "精兵减政",
        "精兵简政",
        XH,
        "坚持精兵减政原则。",
        "坚持精兵简政原则。",
    ),
    entry(
        "直接了当",
        "直截了当",
        XH,
        "直接了当地指出问题。",
        "直截了当地指出问题，直接了解情况。",
    ),
    entry(
        "默守成规",
        "墨守成规",
        XH,
        "改变默守成规的做法。",
        "改变墨守成规的做法。",
    ),
    entry(
        "走头无路",
        "走投无路",
        XH,
        "帮助走头无路的困难群众。",
        "帮助走投无路的困难群众。",
    ),
    entry(
        "穿流不息",
        "川流不息",
        XH,
        "办事群众穿流不息。",
        "办事群众川流不息。",
    ),
    entry(
        "发人深醒",
        "发人深省",
        XH,
        "案例发人深醒。",
        "案例发人深省。",
    ),
    entry(
        "融汇贯通",
        "融会贯通",
        XH,
        "做到学思融汇贯通。",
        "做到学思融会贯通，融汇各方智慧。",
    ),
    entry(
        "人才倍出",
        "人才辈出",
        XH,
        "形成人才倍出的局面。",
        "形成人才辈出的局面。",
    ),
    entry("松驰", "松弛", XH, "防止纪律松驰。", "防止纪律松弛。"),
    entry("重迭", "重叠", YYC, "避免职能重迭。", "避免职能重叠。"),
    entry(
        "帐户",
        "账户",
        "《现代汉语词典》第7版（“账”用于财物出入的记载）",
        "资金拨付至指定帐户。",
        "资金拨付至指定账户；搭建帐篷。",
    ),
    Confusable {
        wrong: "贯切",
        right: "贯彻",
        ok_around: &["一贯切"],
        ok_if_later: &[],
        source: XH,
        example: "认真贯切落实上级决策部署。",
        correct_example: "一贯切实履行职责，认真贯彻落实。",
    },
    entry(
        "必竟",
        "毕竟",
        XH,
        "必竟基础还比较薄弱。",
        "毕竟基础还比较薄弱。",
    ),
    entry(
        "不径而走",
        "不胫而走",
        XH,
        "消息不径而走。",
        "消息不胫而走。",
    ),
    entry(
        "名附其实",
        "名副其实",
        XH,
        "打造名附其实的服务型政府。",
        "打造名副其实的服务型政府。",
    ),
    entry(
        "不加思索",
        "不假思索",
        XH,
        "不加思索地照搬照抄。",
        "不假思索地照搬照抄。",
    ),
    entry("针贬", "针砭", XH, "针贬时弊。", "针砭时弊。"),
];

static MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new(DICTIONARY.iter().map(|e| e.wrong)).expect("static dictionary")
});

/// Hits of the dictionary's wrong forms, except where the context makes them right.
pub(crate) fn dictionary_hits(s: &Stream) -> Vec<Hit> {
    let mut out = Vec::new();
    for m in MATCHER.find_overlapping_iter(&s.text) {
        let e = &DICTIONARY[m.pattern().as_usize()];
        if is_ok_here(e, &s.text, m.start(), m.end()) {
            continue;
        }
        let (a, b) = (s.char_at(m.start()), s.char_at(m.end()));
        out.push(s.hit(
            HitKind::Typo,
            a,
            b,
            format!("“{}”应为“{}”", e.wrong, e.right),
            &format!("错别字词典：{}→{}（{}）", e.wrong, e.right, e.source),
        ));
    }
    out
}

fn is_ok_here(e: &Confusable, text: &str, start: usize, end: usize) -> bool {
    let around = e.ok_around.iter().any(|ctx| {
        ctx.find(e.wrong).is_some_and(|k| {
            start >= k && text.is_char_boundary(start - k) && text[start - k..].starts_with(ctx)
        })
    });
    if around || e.ok_if_later.is_empty() {
        return around;
    }
    // The rest of the sentence, at most 300 bytes (about 100 characters).
    let mut cap = (end + 300).min(text.len());
    while !text.is_char_boundary(cap) {
        cap -= 1;
    }
    let rest = &text[end..cap];
    let sentence = &rest[..rest.find(['。', '；', '！', '？']).unwrap_or(rest.len())];
    e.ok_if_later.iter().any(|w| sentence.contains(w))
}

/// Doubled multi-character words that are normal reduplications (verbs AB → ABAB).
const REDUPLICATIONS: &[&str] = &[
    "研究研究",
    "学习学习",
    "讨论讨论",
    "商量商量",
    "考虑考虑",
    "了解了解",
    "休息休息",
    "锻炼锻炼",
    "打扫打扫",
    "检查检查",
    "整理整理",
    "收拾收拾",
    "准备准备",
    "介绍介绍",
    "活动活动",
    "交流交流",
    "比较比较",
    "琢磨琢磨",
    "清理清理",
    "打听打听",
    "思考思考",
    "放松放松",
    "调查调查",
    "总结总结",
    "宣传宣传",
    "沟通沟通",
];

/// Doubled single characters that are (almost) always slips, with the contexts that make
/// them right: (doubled, ok before, ok after). 常常, 看看, 天天, 人人, 个个 are not here:
/// doubling a character is normal Chinese.
const DOUBLED_CHARS: &[(&str, &[char], &[char])] = &[
    ("的的", &['目', '有', '端', '标', '靶'], &['确']),
    ("们们", &[], &[]),
    ("这这", &[], &[]),
];

/// Doubled words: a 2–4 character word written twice (个人个人) unless it is a normal
/// reduplication (研究研究), of the form 一X一X (一步一步), or its two halves are not adjacent
/// on the page (two lines or a space between them: two menu items); and the doubled characters of
/// [`DOUBLED_CHARS`].
pub(crate) fn doubled_hits(s: &Stream) -> Vec<Hit> {
    let c = &s.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let len = (2..=4).rev().find(|&len| {
            i + 2 * len <= c.len()
                && c[i..i + len].iter().all(|&x| is_han(x))
                && c[i..i + len] == c[i + len..i + 2 * len]
        });
        if let Some(len) = len {
            let word = s.slice(i, i + 2 * len);
            let normal = REDUPLICATIONS.contains(&word.as_str()) || (len == 2 && c[i] == '一');
            // Halves apart on the page — two lines or space between them — are two items
            // (a menu: 走进邯郸 / 邯郸概况), not a slip.
            let (l1, c1) = s.pos[i + len - 1];
            let adjacent = s.pos[i + len] == (l1, c1 + 1);
            // The end of a breadcrumb (政务动态>>政务要闻) before the same page heading.
            let breadcrumb = i > 0 && matches!(c[i - 1], '>' | '»' | '|' | '/');
            if !normal && adjacent && !breadcrumb {
                out.push(s.hit(
                    HitKind::Doubled,
                    i,
                    i + 2 * len,
                    format!("“{}”重复，应为“{}”", word, s.slice(i, i + len)),
                    "重复字词",
                ));
            }
            i += 2 * len;
            continue;
        }
        if i + 1 < c.len() && c[i] == c[i + 1] {
            let pair = s.slice(i, i + 2);
            if let Some((_, before, after)) = DOUBLED_CHARS.iter().find(|d| d.0 == pair) {
                let ok_before = i > 0 && before.contains(&c[i - 1]);
                let ok_after = c.get(i + 2).is_some_and(|x| after.contains(x));
                if !ok_before && !ok_after {
                    out.push(s.hit(
                        HitKind::Doubled,
                        i,
                        i + 2,
                        format!("“{}”重复，应为“{}”", pair, c[i]),
                        "重复字词",
                    ));
                }
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    out
}
