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
