//! Names and words of the simulated 孟津区: units, slugs, leaders, titles and body text.
//!
//! Owns: the fixed vocabulary the generator draws from. Must not decide anything about
//! dates, cadence or layout (that is `generate`), nor render HTML (that is `render`).

use super::rng::SplitMix64;

/// The district's display name.
pub const DISTRICT: &str = "孟津区";
/// The portal's unit name.
pub const PORTAL_NAME: &str = "孟津区人民政府";
/// The portal's domain as printed in meta tags (the simulator serves on loopback).
pub const SITE_DOMAIN: &str = "www.mengjin.gov.cn";
/// The 网站标识码 of the portal (subsites are channels of it and share the code).
pub const SITE_ID_CODE: &str = "4103220001";
/// The ICP filing number printed in footers.
pub const ICP: &str = "豫ICP备05002389号";
/// The 公网安备 number printed in footers.
pub const GONGAN: &str = "豫公网安备 41032202000123号";

/// The 30 departments: (id/slug, short name without the district prefix).
pub const DEPARTMENTS: [(&str, &str); 30] = [
    ("zfb", "区政府办公室"),
    ("fgw", "区发展和改革委员会"),
    ("jyj", "区教育局"),
    ("kgxj", "区科学技术和工业信息化局"),
    ("mzj", "区民政局"),
    ("sfj", "区司法局"),
    ("czj", "区财政局"),
    ("rsj", "区人力资源和社会保障局"),
    ("zrzyj", "区自然资源局"),
    ("zjj", "区住房和城乡建设局"),
    ("jtj", "区交通运输局"),
    ("slj", "区水利局"),
    ("nyncj", "区农业农村局"),
    ("swj", "区商务局"),
    ("wglj", "区文化广电和旅游局"),
    ("wjw", "区卫生健康委员会"),
    ("tyjrj", "区退役军人事务局"),
    ("yjglj", "区应急管理局"),
    ("sjj", "区审计局"),
    ("scjgj", "区市场监督管理局"),
    ("tjj", "区统计局"),
    ("ybj", "区医疗保障局"),
    ("cgj", "区城市管理局"),
    ("xfj", "区信访局"),
    ("lyj", "区林业局"),
    ("xczxj", "区乡村振兴局"),
    ("sthjj", "区生态环境分局"),
    ("spj", "区行政审批和政务信息管理局"),
    ("jgswj", "区机关事务服务中心"),
    ("rfb", "区人民防空办公室"),
];

/// How the portal's 部门网站 list names the 生态环境分局: the full name of a vertically
/// managed unit (the 市 bureau's district branch).
pub const VERTICAL_ECOLOGY_NAME: &str = "洛阳市生态环境局孟津分局";

/// The portal's 相关链接 to other governments (URL, name): the 国务院, the 省, the 市 and
/// neighbouring 区/县. None of them is served; discovery must leave them out.
pub const OTHER_GOVERNMENTS: [(&str, &str); 6] = [
    ("http://www.gov.cn/", "中华人民共和国中央人民政府"),
    ("http://www.henan.gov.cn/", "河南省人民政府"),
    ("http://www.ly.gov.cn/", "洛阳市人民政府"),
    ("http://www.yanshi.gov.cn/", "洛阳市偃师区人民政府"),
    ("http://www.xinan.gov.cn/", "新安县人民政府"),
    ("http://www.jjx.gov.cn/", "吉利区人民政府"),
];

/// The 10 towns and 4 streets (十个镇、四个街道): (id/slug, name).
pub const TOWNS: [(&str, &str); 14] = [
    ("cgz", "城关镇"),
    ("hmz", "会盟镇"),
    ("plz", "平乐镇"),
    ("bhz", "白鹤镇"),
    ("szz", "送庄镇"),
    ("cyz", "朝阳镇"),
    ("xldz", "小浪底镇"),
    ("mtz", "麻屯镇"),
    ("hsz", "横水镇"),
    ("cdz", "常袋镇"),
    ("kljd", "康乐街道"),
    ("hyjd", "河阳街道"),
    ("jljd", "吉利街道"),
    ("xxyjd", "西霞院街道"),
];

/// The site (unit) name of a department: 孟津区教育局.
pub fn department_name(short: &str) -> String {
    format!("{DISTRICT}{}", short.trim_start_matches('区'))
}

/// The site (unit) name of a town or street: 城关镇人民政府 / 康乐街道办事处.
pub fn town_name(short: &str) -> String {
    if short.ends_with("街道") {
        format!("{short}办事处")
    } else {
        format!("{short}人民政府")
    }
}

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "郑",
];
const GIVEN: [&str; 24] = [
    "建国", "海涛", "丽娟", "志强", "晓东", "红梅", "卫东", "国庆", "秀英", "振华", "明亮", "春生",
    "玉兰", "新民", "俊峰", "雪梅", "长青", "文博", "保国", "书勤", "艳红", "浩然", "立新", "素芳",
];

/// A person's name.
pub fn person(rng: &mut SplitMix64) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

/// Leader titles for a unit, head first.
pub fn leader_titles(is_town: bool, is_street: bool) -> &'static [&'static str] {
    if is_street {
        &[
            "党工委书记",
            "办事处主任",
            "党工委副书记",
            "办事处副主任",
            "办事处副主任",
        ]
    } else if is_town {
        &["党委书记", "镇长", "党委副书记", "副镇长", "副镇长"]
    } else {
        &[
            "党组书记、局长",
            "党组成员、副局长",
            "党组成员、副局长",
            "党组成员",
            "四级调研员",
        ]
    }
}

const TOPICS: [&str; 32] = [
    "安全生产",
    "乡村振兴",
    "人居环境整治",
    "营商环境优化",
    "森林防火",
    "防汛抗旱",
    "疫情防控",
    "信访维稳",
    "文明城市创建",
    "项目建设",
    "招商引资",
    "秸秆禁烧",
    "耕地保护",
    "食品安全",
    "燃气安全",
    "消防安全",
    "黄河流域生态保护",
    "民生实事",
    "就业创业",
    "社会救助",
    "义务教育",
    "医疗保障",
    "养老服务",
    "河长制",
    "扫黑除恶常态化",
    "农村饮水安全",
    "高标准农田建设",
    "政务公开",
    "优化政务服务",
    "安全隐患排查",
    "法治政府建设",
    "统计执法",
];

const NEWS_PATTERNS: [&str; 14] = [
    "{u}召开{t}工作推进会",
    "{u}开展{t}专项检查",
    "{u}部署{t}重点工作",
    "{u}领导调研{t}工作",
    "{u}扎实推进{t}工作",
    "{u}组织{t}业务培训",
    "{u}召开{t}专题会议",
    "{u}多措并举抓好{t}",
    "{u}全力做好{t}工作",
    "{u}开展{t}宣传活动",
    "{u}举办{t}知识讲座",
    "{u}督导{t}工作落实情况",
    "{u}召开{t}工作调度会",
    "{u}持续深化{t}工作",
];

const PARTY_PATTERNS: [&str; 12] = [
    "{u}党支部开展“{t}”主题党日活动",
    "{u}召开廉政建设工作会议",
    "{u}组织党员干部学习党的二十大精神",
    "{u}开展“三会一课”专题学习",
    "{u}召开{t}专题组织生活会",
    "{u}党组理论学习中心组开展集中学习",
    "{u}开展警示教育活动",
    "{u}党支部组织党员志愿服务活动",
    "{u}召开基层党建重点任务推进会",
    "{u}开展“我为群众办实事”实践活动",
    "{u}党支部书记讲专题党课",
    "{u}开展廉政谈话提醒",
];

const PARTY_THEMES: [&str; 8] = [
    "学思践悟强党性",
    "不忘初心 牢记使命",
    "清风廉韵",
    "喜迎二十大",
    "党建引领促发展",
    "我为群众办实事",
    "强基固本",
    "红色教育",
];

const NOTICE_PATTERNS: [&str; 10] = [
    "关于开展{t}专项整治工作的通知",
    "关于做好{t}工作的通知",
    "关于{t}有关事项的公告",
    "{u}关于{t}工作的通告",
    "关于进一步加强{t}工作的通知",
    "关于公布{t}举报电话的公告",
    "{u}{t}工作情况公示",
    "关于{t}检查结果的通报",
    "关于征求{t}意见建议的公告",
    "关于印发{t}工作方案的通知",
];

const POLICY_PATTERNS: [&str; 6] = [
    "洛阳市孟津区人民政府关于印发孟津区{t}实施方案的通知",
    "洛阳市孟津区人民政府办公室关于印发孟津区{t}工作方案的通知",
    "洛阳市孟津区人民政府关于进一步加强{t}工作的意见",
    "洛阳市孟津区人民政府办公室关于做好{t}工作的通知",
    "孟津区{t}管理办法",
    "洛阳市孟津区人民政府关于印发孟津区{t}三年行动计划的通知",
];

fn fill(pattern: &str, unit: &str, topic: &str) -> String {
    pattern.replace("{u}", unit).replace("{t}", topic)
}

/// A 最新动态 / 要闻动态 title about `unit`.
pub fn news_title(rng: &mut SplitMix64, unit: &str) -> String {
    let p = *rng.pick(&NEWS_PATTERNS);
    let t = *rng.pick(&TOPICS);
    fill(p, unit, t)
}

/// A 党务公开 title about `unit`.
pub fn party_title(rng: &mut SplitMix64, unit: &str) -> String {
    let p = *rng.pick(&PARTY_PATTERNS);
    let t = *rng.pick(&PARTY_THEMES);
    fill(p, unit, t)
}

/// A 通知公告 title from `unit`.
pub fn notice_title(rng: &mut SplitMix64, unit: &str) -> String {
    let p = *rng.pick(&NOTICE_PATTERNS);
    let t = *rng.pick(&TOPICS);
    fill(p, unit, t)
}

/// A 政策文件 title of the district government.
pub fn policy_title(rng: &mut SplitMix64) -> String {
    let p = *rng.pick(&POLICY_PATTERNS);
    let t = *rng.pick(&TOPICS);
    fill(p, "", t)
}

const SENTENCES: [&str; 12] = [
    "会议强调，要进一步提高政治站位，切实增强做好{t}工作的责任感和紧迫感，坚决克服麻痹思想和侥幸心理。",
    "会上，与会人员通报了近期{t}工作开展情况，分析了存在的问题和不足，并对下一步工作作出安排部署。",
    "要坚持问题导向，聚焦重点领域和关键环节，建立问题清单、责任清单和整改清单，确保各项措施落到实处。",
    "各单位要加强协调配合，形成工作合力，严格落实属地管理责任、部门监管责任和主体责任。",
    "检查组深入一线，采取查阅资料、实地查看、座谈交流等方式，详细了解{t}工作推进情况。",
    "下一步，将持续巩固工作成效，建立健全长效机制，推动{t}工作再上新台阶。",
    "活动现场，工作人员通过发放宣传资料、设置咨询台等形式，向群众普及{t}相关知识。",
    "此次活动共发放宣传资料1200余份，接受群众咨询300余人次，取得了良好的社会效果。",
    "要以钉钉子精神抓好工作落实，对照时间节点倒排工期，确保按期完成各项目标任务。",
    "与会人员表示，将以此次会议为契机，认真履职尽责，全力推动各项工作高质量发展。",
    "调研中，详细询问了项目建设进度、存在困难等情况，现场协调解决具体问题。",
    "要严格落实值班值守和信息报送制度，遇有突发情况第一时间报告、第一时间处置。",
];

/// Three to six paragraphs of plausible body text about a topic taken from the title.
pub fn body_paragraphs(rng: &mut SplitMix64, title: &str) -> Vec<String> {
    let topic = TOPICS
        .iter()
        .find(|t| title.contains(**t))
        .copied()
        .unwrap_or("各项");
    let n = rng.range(3, 6) as usize;
    let mut out = Vec::with_capacity(n);
    out.push(format!("近日，{title}。"));
    for _ in 1..n {
        let a = rng.pick(&SENTENCES).replace("{t}", topic);
        let b = rng.pick(&SENTENCES).replace("{t}", topic);
        out.push(if a == b { a } else { format!("{a}{b}") });
    }
    out
}

/// 主要职责 lines for a unit's 机构概况 page.
pub fn duties(unit: &str) -> Vec<String> {
    vec![
        format!(
            "（一）贯彻执行国家、省、市有关法律法规和方针政策，拟订{unit}职责范围内的规范性文件并组织实施。"
        ),
        format!("（二）负责{unit}职责范围内的规划编制、统筹协调和监督管理工作。"),
        "（三）组织开展本系统安全生产、信访稳定、依法行政等工作，落实政务公开、政务服务有关要求。"
            .to_string(),
        "（四）负责本单位党的建设、干部队伍建设和精神文明建设工作。".to_string(),
        "（五）完成区委、区政府交办的其他任务。".to_string(),
    ]
}

/// 内设机构 of a unit's 机构概况 page.
pub fn offices(is_town: bool) -> &'static [&'static str] {
    if is_town {
        &[
            "党政综合办公室",
            "党建工作办公室",
            "经济发展办公室",
            "社会事务办公室",
            "平安建设办公室",
            "综合行政执法大队",
            "便民服务中心",
        ]
    } else {
        &[
            "办公室",
            "政策法规股",
            "计划财务股",
            "业务管理股",
            "监督检查股",
            "人事股",
        ]
    }
}

/// 22 characters for a WeChat article link (`https://mp.weixin.qq.com/s/…`).
pub fn wechat_token(rng: &mut SplitMix64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..22)
        .map(|_| ALPHABET[rng.index(ALPHABET.len())] as char)
        .collect()
}
