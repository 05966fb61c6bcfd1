//! Unit tests of the screening checks: a positive and a negative case per check and per
//! dictionary entry.

use super::*;

fn kinds(text: &str) -> Vec<(HitKind, String)> {
    screen_text(text)
        .into_iter()
        .map(|h| (h.kind, h.found))
        .collect()
}

#[test]
fn every_dictionary_entry_has_a_found_example_and_a_clean_one() {
    for e in DICTIONARY {
        let hits = screen_text(e.example);
        assert!(
            hits.iter().any(|h| h.kind == HitKind::Typo
                && h.found == e.wrong
                && h.suggestion.contains(e.right)),
            "{}: not found in {:?}: {hits:?}",
            e.wrong,
            e.example
        );
        assert!(
            screen_text(e.correct_example).is_empty(),
            "{}: false hit in {:?}: {:?}",
            e.wrong,
            e.correct_example,
            screen_text(e.correct_example)
        );
        assert!(!e.source.is_empty());
    }
    assert!(DICTIONARY.len() >= 20);
}

#[test]
fn typo_position_and_context() {
    let hits = screen_text("第一行。\n  我们要认真布署工作。");
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].line, hits[0].column), (2, 8));
    assert_eq!(hits[0].context, "第一行。我们要认真布署工作。");
}

#[test]
fn doubled_words_but_not_reduplications() {
    assert_eq!(
        kinds("表彰了20名先进个人个人。"),
        vec![(HitKind::Doubled, "个人个人".into())]
    );
    assert_eq!(
        kinds("会议强调会议强调要落实。"),
        vec![(HitKind::Doubled, "会议强调会议强调".into())]
    );
    for ok in [
        "这件事要研究研究。",
        "常常看看群众天天关心的事，人人有责，个个争先。",
        "一步一步推进，层层落实。",
        "走进邯郸 邯郸概况\n普查数据\n数据解读",
        "首页>>政务动态>>政务要闻政务要闻",
        "为了了解情况，不了了之不可取。",
        "的的确确达到了目的的要求。",
    ] {
        assert!(screen_text(ok).is_empty(), "{ok}: {:?}", screen_text(ok));
    }
    assert_eq!(
        kinds("这是我的的工作，我们们要做好。"),
        vec![
            (HitKind::Doubled, "的的".into()),
            (HitKind::Doubled, "们们".into())
        ]
    );
}

#[test]
fn doc_number_brackets() {
    for (text, found) in [
        ("孟政办【2022】8号", "【2022】8号"),
        ("豫政[2021]15号", "[2021]15号"),
        ("洛政办(2020)3号", "(2020)3号"),
        ("孟政（2019）12号", "（2019）12号"),
    ] {
        let hits = screen_text(text);
        assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        assert_eq!(hits[0].kind, HitKind::Format);
        assert_eq!(hits[0].found, found);
        assert!(hits[0].suggestion.contains('〔'));
    }
    for ok in [
        "国办公开办函〔2019〕61号",
        "（2022）豫0322民初123号",
        "《市信息公开办工作提示函》（20201204）",
        "《条例》（2019年修订）第十五条",
    ] {
        assert!(screen_text(ok).is_empty(), "{ok}: {:?}", screen_text(ok));
    }
}

#[test]
fn punctuation_slips() {
    assert_eq!(
        kinds("采用率100%.。另外，，还有。。"),
        vec![
            (HitKind::Format, ".。".into()),
            (HitKind::Format, "，，".into()),
            (HitKind::Format, "。。".into()),
        ]
    );
    assert_eq!(
        kinds("如下：。工作，。完成。，另有；。"),
        vec![
            (HitKind::Format, "：。".into()),
            (HitKind::Format, "，。".into()),
            (HitKind::Format, "。，".into()),
            (HitKind::Format, "；。".into()),
        ]
    );
    assert!(screen_text("如下：。")[0].suggestion.contains("“：。”连用"));
    assert_eq!(
        kinds("采用信息300条,采用率高。"),
        vec![(HitKind::Format, ",".into())]
    );
    for ok in [
        "他说：“真的吗？！”……——这是《通知》（试行）。",
        "共1,000条，version 1.2。",
        "1）加强领导；\n2）落实责任。",
        "  1）加强领导；",
        "《洛阳市孟津区人民政府办\n公室关于印发的通知》。",
    ] {
        assert!(screen_text(ok).is_empty(), "{ok}: {:?}", screen_text(ok));
    }
}

#[test]
fn unpaired_marks_within_a_paragraph() {
    assert_eq!(
        kinds("印发了《通知，要求落实。\n他说“好。"),
        vec![
            (HitKind::Format, "《".into()),
            (HitKind::Format, "“".into())
        ]
    );
    assert_eq!(kinds("详见附件）。"), vec![(HitKind::Format, "）".into())]);
}

#[test]
fn id_numbers_with_valid_check_digit_are_serious_and_masked() {
    // 11010519491231002X is the GB 11643 standard's own example.
    assert!(valid_id_number("11010519491231002X"));
    assert!(!valid_id_number("110105194912310021"), "wrong check digit");
    assert!(!valid_id_number("990105194912310028"), "no such province");
    assert!(!valid_id_number("110105194902300027"), "30 February");
    let hits = screen_text("张三 11010519491231002X 低保户");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].serious);
    assert_eq!(hits[0].found, "11*************02X");
    assert_eq!(hits[0].context, "张三11*************02X低保户");
    assert_eq!(mask_id("410105194912310028"), "41*************028");
    let wide = screen_text("身份证号：１１０１０５１９４９１２３１００２Ｘ");
    assert_eq!(wide.len(), 1, "full-width digits");
    assert_eq!(wide[0].found, "１１*************０２Ｘ");
    assert!(screen_text("编号 110105194912310021 的档案").is_empty());
}

#[test]
fn mobiles_in_office_contact_lines_are_not_serious() {
    let hits = screen_text("联系人：王科长，联系电话：13812341234。");
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].serious);
    assert_eq!(hits[0].found, "138****1234");
    assert!(screen_text("办公电话：0379-67912345，传真：0379-67912346。").is_empty());
    assert_eq!(mask_mobile("13812345678"), "138****5678");
    // Amounts are no phone numbers (平潭 2019 annual report: 政府集中采购 …52元).
    assert!(screen_text("政府集中采购13512344432.52元，另13512344432元。").is_empty());
}

#[test]
fn a_list_of_citizens_with_mobiles_is_serious() {
    let text = "姓名 身份证号 手机号码\n张三 11010519491231002X 13912345678\n李四 无 13712345678";
    let hits = screen_text(text);
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert!(
        hits.iter()
            .all(|h| h.serious && h.kind == HitKind::PersonalData)
    );
    assert!(has_serious(&hits));
    let shown = format!("{hits:?}");
    assert!(!shown.contains("13912345678") && !shown.contains("19491231"));
}

#[test]
fn bank_cards_need_luhn_and_a_card_word() {
    assert!(luhn_valid("6222021234567890128"));
    assert!(!luhn_valid("6222021234567890127"));
    let hits = screen_text("补贴发放至银行卡号 6222021234567890128。");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].serious);
    assert_eq!(hits[0].found, "6222***********0128");
    assert!(screen_text("补贴发放至银行卡号 6222021234567890127。").is_empty());
    assert!(screen_text("流水号 6222021234567890128。").is_empty());
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/screen")
        .join(name)
}

/// A screener with the sample 孟津区 names table and political dictionary.
fn district() -> Screener {
    let settings = crate::config::ScreeningSettings {
        names: Some(fixture("names.yaml")),
        sensitive: vec![crate::config::SensitiveDictionary {
            category: "政治敏感".into(),
            path: fixture("political.txt"),
            serious: true,
        }],
        friendly_hosts: vec!["lynews.com.cn".into()],
        ..Default::default()
    };
    Screener::from_settings(&settings).expect("fixtures load")
}

fn day(s: &str) -> Option<chrono::NaiveDate> {
    Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"))
}

fn serious_found(sc: &Screener, text: &str, on: &str) -> Vec<String> {
    sc.text(text, day(on))
        .into_iter()
        .filter(|h| h.kind == HitKind::SeriousError)
        .inspect(|h| assert!(h.serious))
        .map(|h| h.found)
        .collect()
}

#[test]
fn builtin_formulations_flag_every_wrong_variant_and_never_the_right_form() {
    let table = names::builtin();
    assert!(table.variants.len() >= 20);
    for v in &table.variants {
        let text = format!("会议强调，要深入学习{}，推动工作。", v.wrong);
        let hits = screen_text(&text);
        assert!(
            hits.iter().any(|h| h.kind == HitKind::SeriousError
                && h.found == v.wrong
                && h.suggestion.contains(&v.right)
                && h.serious),
            "{}: {hits:?}",
            v.wrong
        );
        assert!(!v.source.is_empty());
        let right = format!("会议强调，要深入学习{}，推动工作。", v.right);
        assert!(
            screen_text(&right).is_empty(),
            "{}: {:?}",
            v.right,
            screen_text(&right)
        );
    }
    // Right forms in running text, including ones that contain a shorter formulation.
    for ok in [
        "以习近平新时代中国特色社会主义思想为指导，坚持和发展中国特色社会主义。",
        "在以习近平同志为核心的党中央坚强领导下，发展全过程人民民主。",
        "中国共产党第二十次全国代表大会和第十四届全国人民代表大会第一次会议。",
        "中国人民政治协商会议洛阳市孟津区委员会第一次会议。",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”，深刻领悟“两个确立”的决定性意义。",
    ] {
        assert!(screen_text(ok).is_empty(), "{ok}: {:?}", screen_text(ok));
    }
}

#[test]
fn a_leader_is_judged_by_the_title_valid_on_the_publish_date() {
    let sc = district();
    // 王建国: 区长 until 2023-01-31, 区委书记 from 2023-02-01.
    let text = "区长王建国主持召开常务会议。";
    assert!(serious_found(&sc, text, "2022-06-01").is_empty());
    let hits = sc.text(text, day("2023-03-01"));
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].found, "区长王建国");
    assert_eq!(
        hits[0].suggestion,
        "2023-03-01时王建国的职务为“区委书记”，不是“区长”"
    );
    assert!(hits[0].source.contains("区委书记（2023-02-01起）"));
    assert_eq!(
        serious_found(&sc, "区委书记王建国调研。", "2022-06-01"),
        ["区委书记王建国"]
    );
    assert!(serious_found(&sc, "区委书记王建国调研。", "2023-02-01").is_empty());
    // The name before the title, with 同志 or a space between.
    assert_eq!(
        serious_found(&sc, "王建国同志区长讲话。", "2023-06-01"),
        ["王建国同志区长"]
    );
    assert_eq!(
        serious_found(&sc, "王建国 区长\n讲话。", "2023-06-01"),
        ["王建国区长"]
    );
    // 李海涛: 常务副区长, then 区长; 常务副区长 is read whole, not as 区长.
    assert!(serious_found(&sc, "常务副区长李海涛出席。", "2022-01-10").is_empty());
    assert_eq!(
        serious_found(&sc, "区长李海涛出席。", "2022-01-10"),
        ["区长李海涛"]
    );
    assert!(serious_found(&sc, "区长李海涛出席。", "2023-02-01").is_empty());
    // A former title, a date the table does not cover, the name alone: nothing claimed.
    assert!(serious_found(&sc, "原区长王建国。", "2023-06-01").is_empty());
    assert!(serious_found(&sc, "区委书记王建国。", "2020-06-01").is_empty());
    assert!(serious_found(&sc, "王建国主持会议。", "2023-06-01").is_empty());
    // A known wrong writing of the name.
    assert_eq!(
        serious_found(&sc, "区委书记王建图讲话。", "2023-06-01"),
        ["王建图"]
    );
}

#[test]
fn renamed_bodies_are_wrong_only_after_the_change_and_district_formulations_apply() {
    let sc = district();
    let text = "洛阳市孟津县人民政府关于印发通知。";
    assert!(serious_found(&sc, text, "2020-12-01").is_empty());
    assert_eq!(
        serious_found(&sc, text, "2023-01-05"),
        ["洛阳市孟津县人民政府"]
    );
    assert!(serious_found(&sc, "洛阳市孟津区人民政府。", "2023-01-05").is_empty());
    assert_eq!(
        serious_found(&sc, "推动黄河流域生态保护与高质量发展。", "2023-01-05"),
        ["黄河流域生态保护与高质量发展"]
    );
    // The built-in part stays in force with the district's table.
    assert_eq!(
        serious_found(&sc, "学习习近平新时期中国特色社会主义思想。", "2023-01-05"),
        ["习近平新时期中国特色社会主义思想"]
    );
}

#[test]
fn names_table_errors_name_the_file_and_line() {
    let bad = "leaders:\n  - name: 王建国\n    titles:\n      - {title: 区长, from: 2023-13-01}\n      - {title: 书记, from: 2023-02-01, to: 2022-01-01}\n    wrog: [x]\n  - name: 李海涛\n    titles: []\n    wrong: [海涛]\nbodies:\n  - name: 孟津区人民政府\n    wrong: [孟津区]\nformulations:\n  - right: 全过程人民民主\n";
    let e = names::parse(bad, "names.yaml").expect_err("invalid");
    for needle in [
        "names.yaml:4:",
        "应为日期 YYYY-MM-DD",
        "names.yaml:5:",
        "早于 `from`",
        "names.yaml:6:",
        "未知的键 `wrog`",
        "是否应为 `wrong`",
        "names.yaml:9:",
        "是姓名的一部分",
        "names.yaml:12:",
        "是规范写法的一部分",
        "names.yaml:14:",
        "缺少必填项 `wrong`",
    ] {
        assert!(e.contains(needle), "{needle} not in:\n{e}");
    }
    let missing = crate::config::ScreeningSettings {
        names: Some(fixture("nowhere.yaml")),
        ..Default::default()
    };
    let e = Screener::from_settings(&missing)
        .err()
        .expect("missing file");
    assert!(
        e.contains("nowhere.yaml") && e.contains("无法读取名称表"),
        "{e}"
    );
}

fn sensitive(sc: &Screener, text: &str) -> Vec<(String, Option<String>, usize, usize)> {
    sc.text(text, day("2023-06-01"))
        .into_iter()
        .filter(|h| h.kind == HitKind::Sensitive)
        .map(|h| (h.found, h.category, h.line, h.column))
        .collect()
}

#[test]
fn sensitive_terms_match_through_normalisation_tricks() {
    let sc = district();
    let s = |f: &str, c: &str, l, col| (f.to_string(), Some(c.to_string()), l, col);
    assert_eq!(
        sensitive(&sc, "第一行\n有人宣扬法轮功。"),
        [s("法轮功", "政治敏感", 2, 5)]
    );
    // Symbols and spaces between the characters, full-width letters, upper case: the hit
    // shows the original text and position.
    assert_eq!(
        sensitive(&sc, "宣扬法*轮 功的材料"),
        [s("法*轮功", "政治敏感", 1, 3)]
    );
    assert_eq!(
        sensitive(&sc, "欢迎访问ＢＥＴ３６５官网"),
        [s("ＢＥＴ３６５", "博彩", 1, 5)]
    );
    assert_eq!(
        sensitive(&sc, "点击 B.e.t-3 6 5 注册"),
        [s("B.e.t-365", "博彩", 1, 4)]
    );
    assert_eq!(
        sensitive(&sc, "真·人·荷·官在线发牌"),
        [s("真·人·荷·官", "博彩", 1, 1)]
    );
    // Hits are serious with the category; the context keeps the original text.
    let hits = sc.text("代开各类发票，验票后付款。", None);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(
        hits.iter()
            .all(|h| h.serious && h.category.as_deref() == Some("代开发票"))
    );
    assert_eq!(hits[0].context, "代开各类发票，验票后付款。");
}

#[test]
fn allowed_contexts_and_punctuation_barriers_prevent_hits() {
    let sc = district();
    for ok in [
        "依法取缔法轮功邪教组织。",
        "揭批邪教组织法轮功的罪行。",
        "完善办法，轮流值守。",
        "完善办法,轮流值守;办法:轮流。",
        "税务机关代开发票，纳税人可在办税服务厅申请。",
        "严厉打击在线博彩等网络赌博犯罪。",
        "警惕以约炮为名的诈骗，谨防“激情裸聊”敲诈。",
        "开展“扫黄打非”，查处淫秽色情直播平台，打击六合彩、百家乐等赌博活动。",
    ] {
        assert!(
            sensitive(&sc, ok).is_empty(),
            "{ok}: {:?}",
            sensitive(&sc, ok)
        );
    }
    // Outside its allowed contexts the same term is a hit.
    assert_eq!(sensitive(&sc, "来一场激情裸聊。").len(), 1);
    assert_eq!(sensitive(&sc, "法轮功材料").len(), 1);
    // Without the district's dictionary the political term is not screened.
    assert!(sensitive(&Screener::builtin(), "法轮功材料").is_empty());
}

#[test]
fn dictionary_errors_name_file_and_line_and_serious_can_be_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "# 注释\n\n好词\n某 | 别的\n*\n甲，乙\n").expect("write");
    let settings = crate::config::ScreeningSettings {
        sensitive: vec![crate::config::SensitiveDictionary {
            category: "测试".into(),
            path: bad.clone(),
            serious: true,
        }],
        ..Default::default()
    };
    let e = Screener::from_settings(&settings)
        .err()
        .expect("bad dictionary");
    let f = bad.display().to_string();
    assert!(e.contains(&format!("{f}:4: 词条 `某`")), "{e}");
    assert!(e.contains(&format!("{f}:5: 词条 `*`")), "{e}");
    assert!(
        e.contains(&format!("{f}:6: 词条 `甲，乙` 含有句读标点")),
        "{e}"
    );
    assert!(!e.contains(":3:"), "{e}");
    std::fs::write(&bad, "好词 | 别的上下文\n").expect("write");
    let e = Screener::from_settings(&settings)
        .err()
        .expect("context without term");
    assert!(
        e.contains(":1: 允许的上下文 `别的上下文` 不包含词条 `好词`"),
        "{e}"
    );
    std::fs::write(&bad, "\u{feff}低俗词\n").expect("write");
    let mild = crate::config::ScreeningSettings {
        sensitive: vec![crate::config::SensitiveDictionary {
            category: "低俗".into(),
            path: bad,
            serious: false,
        }],
        ..Default::default()
    };
    let sc = Screener::from_settings(&mild).expect("valid");
    let hits = sc.text("这是低俗词。", None);
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].serious && !has_serious(&hits));
    assert!(hits[0].source.contains("第1行"), "{}", hits[0].source);
}

#[test]
fn builtin_spam_lists_are_sourced_and_quiet_on_government_prose() {
    for (cat, source, lines) in BUILTIN_SPAM {
        assert!(!source.is_empty() && !lines.is_empty(), "{cat}");
    }
    let prose = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/annual/seed_2022.txt"
    ))
    .expect("seed");
    assert!(sensitive(&Screener::builtin(), &prose).is_empty());
}

fn page() -> url::Url {
    url::Url::parse("http://www.mengjin.gov.cn/zwdt/2023/0301/1.html").expect("url")
}

/// (found URL, line, category) of each 暗链.
fn dark(sc: &Screener, html: &str) -> Vec<(String, usize, Option<String>)> {
    sc.hidden_links(html, &page())
        .into_iter()
        .inspect(|h| assert!(h.kind == HitKind::HiddenLink && h.serious))
        .map(|h| (h.found, h.line, h.category))
        .collect()
}

#[test]
fn css_hidden_off_site_links_are_dark_links() {
    let sc = Screener::builtin();
    let html = r#"<html><head><style>
/* hidden block */ .xz, #hd2 { display: none }
.menu li:hover .sub { display:block }
</style></head><body>
<p>正文</p>
<div style="display:none"><a href="http://www.abc-casino.com/">澳门新葡京</a></div>
<div style="position:absolute; left:-9999px; top:0"><a href="http://off.example.com/x">友站</a></div>
<div style="width:0;height:0;overflow:hidden"><a href="https://zero.example.net/">零尺寸</a></div>
<p style="text-indent:-9999px"><a href="http://indent.example.org/">缩进</a></p>
<span style="FONT-SIZE: 0PX"><a href="http://tiny.example.cc/">小字</a></span>
<ul class="xz"><li><a href="http://cls.example.com/">类隐藏</a></li></ul>
<div id="hd2"><a href="http://id.example.com/">编号隐藏</a></div>
<div hidden><a href="http://attr.example.com/">属性隐藏</a></div>
<div style="visibility:hidden"><a href="http://www.gov.cn.bet365.com/">官方</a></div>
</body></html>"#;
    let found = dark(&sc, html);
    let urls: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        urls,
        [
            "http://www.abc-casino.com/",
            "http://off.example.com/x",
            "https://zero.example.net/",
            "http://indent.example.org/",
            "http://tiny.example.cc/",
            "http://cls.example.com/",
            "http://id.example.com/",
            "http://attr.example.com/",
            "http://www.gov.cn.bet365.com/",
        ]
    );
    assert_eq!(found[0].1, 6, "line of the link in the HTML source");
    assert_eq!(found[0].2.as_deref(), Some("博彩"), "spam text");
    assert_eq!(found[8].2.as_deref(), Some("博彩"), "spam URL");
    assert_eq!(found[1].2, None);
    let hits = sc.hidden_links(html, &page());
    assert!(
        hits[1].source.contains("定位到页面可见区域之外"),
        "{}",
        hits[1].source
    );
    assert!(hits[5].source.contains("样式表 .xz"), "{}", hits[5].source);
    assert!(hits[1].suggestion.contains("off.example.com"));
}

#[test]
fn spam_on_government_hosts_is_still_a_dark_link() {
    let sc = Screener::builtin();
    let html = r#"<div style="display:none"><a href="/bbs/1.html">真人荷官 在线发牌</a><a href="http://www.mengjin.gov.cn/a.html">代开各类发票</a></div>"#;
    let found = dark(&sc, html);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.2.is_some()));
}

#[test]
fn friendship_menus_visible_links_and_government_links_are_not_dark_links() {
    let sc = district();
    let html = r##"<html><head><style>.sub{display:none}</style></head><body>
<a href="http://www.casino-like.com/">可见的外部链接</a>
<div class="friend">友情链接
  <ul class="sub">
    <li><a href="http://www.gov.cn/">中国政府网</a></li>
    <li><a href="http://www.henan.gov.cn/">河南省人民政府</a></li>
    <li><a href="http://www.xinhuanet.com/">新华网</a></li>
    <li><a href="http://www.people.com.cn/">人民网</a></li>
    <li><a href="https://www.haust.edu.cn/">河南科技大学</a></li>
    <li><a href="https://weibo.com/mengjinfabu">孟津发布（微博）</a></li>
    <li><a href="http://news.lynews.com.cn/">洛阳网</a></li>
  </ul>
</div>
<select onchange="window.open(this.value)"><option value="http://www.other.com/">其他</option></select>
<div style="display:none">
  <a href="http://www.mengjin.gov.cn/zwdt/">本站栏目</a>
  <a href="/zwgk/">相对链接</a>
  <a href="javascript:void(0)">脚本</a>
  <a href="mailto:a@b.com">邮件</a>
  <a href="#top">顶部</a>
  <a href="http://bszs.conac.cn/sitename?method=show&amp;id=1">党政机关</a>
  <a href="http://www.hanweb.com">Produced By 大汉网络</a>
</div>
<div style="position:absolute;left:-20px"><a href="http://near.example.com/">微移</a></div>
<div style="display:block;height:auto"><a href="http://shown.example.com/">显示</a></div>
</body></html>"##;
    assert!(dark(&sc, html).is_empty(), "{:?}", dark(&sc, html));
    // Without friendly_hosts, the hidden 洛阳网 entry is reported (the others are gov.cn or
    // central media).
    let found = dark(&Screener::builtin(), html);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "http://news.lynews.com.cn/");
}

#[test]
fn a_screener_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Screener>();
    let sc = std::sync::Arc::new(district());
    let other = std::sync::Arc::clone(&sc);
    let hits = std::thread::spawn(move || other.text("区长王建国讲话。", day("2023-06-01")))
        .join()
        .expect("thread");
    assert_eq!(hits.len(), 1);
}
