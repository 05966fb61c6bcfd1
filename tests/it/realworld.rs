//! Acceptance on real government list pages (`../shared/realworld/`, see its README): every
//! saved list is read exactly (each entry, its date, sample titles and links), and assessed
//! by the real pipeline, served on loopback, as of the first Monday after its newest entry
//! over the 7 weeks before.
//!
//! Every expected value below was written by hand from the saved HTML (dates in page order,
//! run-length encoded), never taken from govscore's output.

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;
use chrono::{Datelike, Days, NaiveDate};
use govscore::extract::lists::{ListReading, read_list, read_list_and_links};
use govscore::extract::nav::nav_links;
use std::path::{Path, PathBuf};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realworld");

/// One saved list page and what a careful reader sees on it.
struct Saved {
    /// The folder served as a host's root.
    dir: &'static str,
    /// The page's path on that host (with its query, as the real URL has it).
    path: &'static str,
    /// The page's real URL (resolves its relative links as on the real site).
    real: &'static str,
    /// The column class it is pinned as.
    class: &'static str,
    /// The entries' list dates in page order, run-length encoded; empty for an undated list.
    dates: &'static [(&'static str, usize)],
    /// Entries of an undated list.
    undated: usize,
    /// (index, title, link) of some entries.
    samples: &'static [(usize, &'static str, &'static str)],
}

const SAVED: &[Saved] = &[
    Saved {
        dir: "ordos",
        path: "/xxgk/xxgknb/index.html",
        real: "http://www.ordos.gov.cn/xxgk/xxgknb/index.html",
        class: "annual_report",
        dates: &[
            ("2020-09-03", 1),
            ("2020-05-06", 1),
            ("2020-03-11", 1),
            ("2019-06-14", 1),
            ("2019-05-30", 2),
            ("2018-03-26", 1),
            ("2018-01-05", 1),
            ("2017-03-22", 1),
            ("2017-01-07", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "鄂尔多斯市2019年政府信息公开工作年度报告",
                "http://www.ordos.gov.cn/xxgk/xxgknb/202009/t20200903_2748784.html",
            ),
            (
                9,
                "2016，恩格贝，精彩继续！",
                "http://www.ordos.gov.cn/xxgk/xxgknb/201802/t20180205_2082017.html",
            ),
        ],
    },
    Saved {
        dir: "yuanzhou",
        path: "/zwgk/zwdt/zwyw/index.html",
        real: "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/index.html",
        class: "news",
        dates: &[
            ("2017-10-20", 2),
            ("2017-10-19", 2),
            ("2017-10-18", 4),
            ("2017-10-17", 1),
            ("2017-10-16", 3),
            ("2017-10-13", 5),
            ("2017-10-12", 3),
            ("2017-10-11", 4),
            ("2017-10-10", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "袁州区财政局掀起学习贯彻省、市、区有关文件精神热潮",
                "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/201710/t20171020_398361.html",
            ),
            (
                24,
                "袁州区财政局举办“庆国庆 迎十九大”演讲赛",
                "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/201710/t20171010_397448.html",
            ),
        ],
    },
    Saved {
        dir: "dingxi",
        path: "/col/col12377/index.html",
        real: "http://www.dingxi.gov.cn/col/col12377/index.html",
        class: "notice",
        dates: &[
            ("2022-01-20", 1),
            ("2022-01-19", 1),
            ("2022-01-14", 2),
            ("2022-01-07", 1),
            ("2022-01-06", 1),
            ("2022-01-05", 1),
            ("2022-01-04", 1),
            ("2021-12-30", 1),
            ("2021-12-27", 1),
            ("2021-12-22", 1),
            ("2021-12-15", 6),
            ("2021-12-01", 1),
            ("2021-11-26", 1),
            ("2021-11-24", 2),
            ("2021-11-23", 1),
            ("2021-11-11", 1),
            ("2021-11-09", 1),
            ("2021-11-05", 2),
            ("2021-11-04", 2),
            ("2021-11-03", 1),
            ("2021-11-01", 1),
            ("2021-10-29", 1),
            ("2021-10-28", 2),
            ("2021-10-26", 1),
            ("2021-10-24", 2),
            ("2021-10-19", 1),
            ("2021-10-15", 1),
            ("2021-10-14", 1),
            ("2021-10-08", 1),
            ("2021-09-30", 5),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "定西市“春节”文明祭祀倡议书",
                "http://www.dingxi.gov.cn/art/2022/1/20/art_12377_1486865.html",
            ),
            (
                44,
                "定西市人民代表大会常务委员会公告（第9号）",
                "http://www.dingxi.gov.cn/art/2021/9/30/art_12377_1452512.html",
            ),
        ],
    },
    Saved {
        dir: "stats",
        path: "/tjsj/zxfb/index.html",
        real: "http://www.stats.gov.cn/tjsj/zxfb/index.html",
        class: "news",
        dates: &[
            ("2020-01-09", 3),
            ("2020-01-06", 1),
            ("2019-12-31", 2),
            ("2019-12-27", 3),
            ("2019-12-24", 1),
            ("2019-12-20", 1),
            ("2019-12-19", 1),
            ("2019-12-18", 1),
            ("2019-12-17", 3),
            ("2019-12-16", 4),
        ],
        undated: 0,
        samples: &[
            (
                1,
                "2019年12月份居民消费价格同比上涨4.5%",
                "http://www.stats.gov.cn/tjsj/zxfb/202001/t20200109_1721984.html",
            ),
            (
                19,
                "解读：社会消费品零售总额增长加快",
                "http://www.stats.gov.cn/tjsj/sjjd/201912/t20191216_1717810.html",
            ),
        ],
    },
    Saved {
        dir: "pingtan",
        path: "/zwgk/zfxxgk/zfxxgknb/index.html",
        real: "http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html",
        class: "annual_report",
        dates: &[
            ("2026-03-10", 1),
            ("2025-03-10", 1),
            ("2024-03-08", 1),
            ("2023-02-20", 1),
            ("2022-02-08", 1),
            ("2021-03-05", 1),
            ("2020-01-20", 1),
            ("2019-01-10", 1),
            ("2018-01-23", 1),
            ("2017-01-18", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "平潭综合实验区2025年度政府信息公开工作年度报告",
                "http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm",
            ),
            (
                3,
                "平潭综合实验区2022年度政府信息公开工作年度报告",
                "http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm",
            ),
        ],
    },
    Saved {
        dir: "articles",
        path: "/list/index.html",
        real: "http://articles.example/list/index.html",
        class: "news",
        dates: &[],
        undated: 3,
        samples: &[
            (
                0,
                "1-10月德清县固定资产投资结构趋稳趋优",
                "http://articles.example/art/2016/11/22/art_1621004_30332664.html",
            ),
            (
                1,
                "山西品牌丝路行（南美站）正式启动",
                "http://articles.example/yw/sxyw/201909/t20190918_693227.shtml",
            ),
            (
                2,
                "邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知",
                "http://articles.example/gszbm/auto23716/202008/t20200802_1352104.html",
            ),
        ],
    },
    Saved {
        dir: "zhangshu",
        path: "/zwgk/zhxx/index.html",
        real: "http://www.zhangshu.gov.cn/zwgk/zhxx/index.html",
        class: "news",
        dates: &[
            ("2017-10-19", 3),
            ("2017-10-18", 1),
            ("2017-10-16", 3),
            ("2017-10-11", 2),
            ("2017-10-10", 1),
            ("2017-10-09", 1),
            ("2017-09-30", 1),
            ("2017-09-28", 1),
            ("2017-09-29", 2),
            ("2017-09-26", 2),
            ("2017-09-25", 3),
            ("2017-09-22", 1),
            ("2017-09-25", 3),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "江西（樟树）医药产业招商引资推介会举行",
                "http://www.zhangshu.gov.cn/zwgk/zhxx/201710/t20171019_398276.html",
            ),
            (
                4,
                "振兴中国药都 弘扬中华医药一一樟树第48届全国药材药品交易会...",
                "http://www.zhangshu.gov.cn/zwgk/zhxx/201710/t20171016_398067.html",
            ),
            (
                23,
                "樟树市对省环保督察组交办信访件14-12处理情况",
                "http://www.zhangshu.gov.cn/zwgk/zhxx/201709/t20170925_396056.html",
            ),
        ],
    },
    Saved {
        dir: "jingan",
        path: "/Category_133/Index.aspx",
        real: "http://www.jingan.gov.cn/Category_133/Index.aspx",
        class: "news",
        dates: &[
            ("2017-10-20", 2),
            ("2017-10-19", 1),
            ("2017-10-18", 1),
            ("2017-10-17", 1),
            ("2017-10-16", 2),
            ("2017-10-13", 1),
            ("2017-10-12", 1),
            ("2017-10-11", 1),
            ("2017-10-10", 1),
            ("2017-10-09", 2),
            ("2017-09-30", 1),
            ("2017-09-29", 1),
            ("2017-09-28", 2),
            ("2017-09-27", 1),
            ("2017-09-26", 1),
            ("2017-09-25", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "我县保障性住房公开摇号、405户中低收入家庭喜圆住房梦",
                "http://www.jingan.gov.cn/Item/24067.aspx",
            ),
            (
                7,
                "市委常委、组织部长蔡清平到我县督查安全生产、社会稳…",
                "http://www.jingan.gov.cn/Item/24050.aspx",
            ),
            (
                19,
                "全市安全生产工作电视电话会议召开",
                "http://www.jingan.gov.cn/Item/24005.aspx",
            ),
        ],
    },
    Saved {
        dir: "wanzai",
        path: "/news-list-wanzaiyaowen.html",
        real: "http://www.wanzai.gov.cn/news-list-wanzaiyaowen.html",
        class: "news",
        dates: &[
            ("2017-10-13", 3),
            ("2017-10-12", 3),
            ("2017-10-11", 3),
            ("2017-10-10", 2),
            ("2017-09-30", 2),
            ("2017-09-29", 3),
            ("2017-09-28", 3),
            ("2017-09-27", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "万载县发布禁火令",
                "http://www.wanzai.gov.cn/news-show-8960.html",
            ),
            (
                19,
                "万载县14个乡镇年中人民代表大会顺利召开",
                "http://www.wanzai.gov.cn/news-show-8849.html",
            ),
        ],
    },
    Saved {
        dir: "fengcheng",
        path: "/n3/n13/index.html",
        real: "http://www.jxfc.gov.cn/n3/n13/index.html",
        class: "news",
        dates: &[
            ("2017-10-13", 6),
            ("2017-10-12", 5),
            ("2017-10-11", 4),
            ("2017-10-10", 5),
            ("2017-10-09", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "胡江萍调研我市重点交通工程项目推进情况",
                "http://www.jxfc.gov.cn/n3/n13/c672769/content.html",
            ),
            (
                20,
                "宜春市新上项目巡查组在丰城巡查",
                "http://www.jxfc.gov.cn/n3/n13/c672331/content.html",
            ),
        ],
    },
    Saved {
        dir: "cnta",
        path: "/zdgz/sctg/index.shtml",
        real: "http://www.cnta.gov.cn/zdgz/sctg/index.shtml",
        class: "news",
        dates: &[
            ("2017-10-14", 1),
            ("2017-10-10", 1),
            ("2017-10-15", 1),
            ("2017-10-11", 1),
            ("2017-10-14", 1),
            ("2017-10-05", 1),
            ("2017-10-04", 1),
            ("2017-10-03", 2),
            ("2017-09-27", 2),
            ("2017-09-26", 3),
            ("2017-09-17", 1),
            ("2017-09-15", 1),
            ("2017-08-28", 1),
            ("2017-08-27", 1),
            ("2017-08-24", 1),
            ("2017-08-25", 1),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "区域品牌化 浙江绍兴美丽乡村成“旅游胜地”",
                "http://www.cnta.gov.cn/zdgz/sctg/201710/t20171013_842393.shtml",
            ),
            (
                2,
                "2017慈溪养生旅游节隆重开幕",
                "http://www.cnta.gov.cn/zdgz/sctg/201710/t20171013_842368.shtml",
            ),
        ],
    },
    Saved {
        dir: "cnta",
        path: "/zdgz/ws/index.shtml",
        real: "http://www.cnta.gov.cn/zdgz/ws/index.shtml",
        class: "news",
        dates: &[
            ("2017-10-05", 1),
            ("2017-09-18", 1),
            ("2017-09-17", 1),
            ("2017-09-15", 1),
            ("2017-09-13", 1),
            ("2017-08-22", 1),
            ("2017-08-21", 1),
            ("2017-07-18", 2),
            ("2017-07-17", 1),
            ("2017-07-13", 1),
            ("2017-07-10", 1),
            ("2017-06-17", 1),
            ("2017-06-16", 1),
            ("2017-06-13", 1),
            ("2017-06-09", 1),
            ("2017-06-08", 2),
            ("2017-05-30", 2),
        ],
        undated: 0,
        samples: &[(
            0,
            "黄金周，将文明旅游进行到底",
            "http://www.cnta.gov.cn/zdgz/ws/201710/t20171002_841330.shtml",
        )],
    },
    Saved {
        dir: "cnta",
        path: "/zdgz/lyrc/index.shtml",
        real: "http://www.cnta.gov.cn/zdgz/lyrc/index.shtml",
        class: "news",
        dates: &[
            ("2016-11-09", 1),
            ("2017-10-12", 1),
            ("2017-08-15", 1),
            ("2017-07-07", 1),
            ("2017-07-03", 2),
            ("2017-06-27", 1),
            ("2017-05-12", 1),
            ("2017-02-27", 1),
            ("2017-02-09", 1),
            ("2016-11-28", 1),
            ("2017-01-21", 1),
            ("2017-01-12", 1),
            ("2016-12-13", 1),
            ("2016-12-05", 1),
            ("2016-11-24", 1),
            ("2016-11-28", 1),
            ("2016-11-21", 1),
            ("2016-11-08", 1),
            ("2016-11-03", 1),
        ],
        undated: 0,
        samples: &[
            // An entry linking off-site counts like any other (CONTRACT §3).
            (0, "导游云课堂研修培训", "http://www.zgdaoyou.com/"),
            (
                2,
                "一张“成绩单”透视旅游人才培养大格局",
                "http://www.cnta.gov.cn/zdgz/lyrc/201708/t20170815_835515.shtml",
            ),
        ],
    },
    Saved {
        dir: "jxta",
        path: "/Column.shtml?p5=28",
        real: "http://www.jxta.gov.cn/Column.shtml?p5=28",
        class: "news",
        dates: &[
            ("2017-10-05", 2),
            ("2017-10-04", 3),
            ("2017-10-03", 1),
            ("2017-10-01", 4),
            ("2017-09-30", 5),
        ],
        undated: 0,
        samples: &[
            (
                0,
                "铜鼓“四升级”舞活生态经济龙头",
                "http://www.jxta.gov.cn/News.shtml?p5=530558",
            ),
            (
                14,
                "吉安市智慧旅游平台正式上线",
                "http://www.jxta.gov.cn/News.shtml?p5=529097",
            ),
        ],
    },
    Saved {
        dir: "jxta",
        path: "/Column.shtml?p5=26",
        real: "http://www.jxta.gov.cn/Column.shtml?p5=26",
        class: "news",
        dates: &[
            ("2017-10-06", 3),
            ("2017-10-05", 3),
            ("2017-10-04", 3),
            ("2017-10-02", 4),
            ("2017-10-01", 2),
        ],
        undated: 0,
        samples: &[(
            0,
            "故宫首设旅游综合执法站 游客可在此咨询投诉",
            "http://www.jxta.gov.cn/News.shtml?p5=530937",
        )],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengwudongtai/index.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/index.html",
        class: "news",
        dates: &[
            ("2012-12-04", 5),
            ("2012-11-30", 1),
            ("2012-11-29", 4),
            ("2012-11-28", 3),
            ("2012-11-27", 3),
            ("2012-11-26", 4),
        ],
        undated: 0,
        samples: &[(
            // The URL carries another date (2012-12-10): the list date wins.
            0,
            "全县新一轮“三万”活动和计划生育会议召开",
            "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/2012-12-10/2015.html",
        )],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengwudongtai/index_2.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/index_2.html",
        class: "news",
        dates: &[
            ("2012-11-25", 2),
            ("2012-11-22", 2),
            ("2012-11-21", 4),
            ("2012-11-20", 2),
            ("2012-11-17", 2),
            ("2012-11-16", 1),
            ("2012-11-15", 2),
            ("2012-11-14", 2),
            ("2012-11-13", 3),
        ],
        undated: 0,
        samples: &[],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengwudongtai/index_3.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/index_3.html",
        class: "news",
        dates: &[
            ("2012-11-13", 1),
            ("2012-11-12", 1),
            ("2012-11-11", 1),
            ("2012-11-10", 2),
            ("2012-11-09", 1),
            ("2012-11-08", 3),
            ("2012-11-07", 3),
            ("2012-11-06", 2),
            ("2012-11-05", 1),
            ("2012-10-31", 4),
            ("2012-10-30", 1),
        ],
        undated: 0,
        samples: &[],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengwudongtai/index_4.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/index_4.html",
        class: "news",
        dates: &[
            ("2012-10-30", 2),
            ("2012-10-27", 1),
            ("2012-10-26", 2),
            ("2012-10-25", 3),
            ("2012-10-24", 1),
            ("2012-10-23", 2),
            ("2012-10-22", 2),
            ("2012-10-21", 2),
            ("2012-10-20", 2),
            ("2012-10-18", 1),
            ("2012-10-17", 2),
        ],
        undated: 0,
        samples: &[],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengfugonggao/index.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengfugonggao/index.html",
        class: "notice",
        dates: &[
            ("2012-11-16", 1),
            ("2012-07-31", 1),
            ("2012-07-23", 1),
            ("2012-07-06", 1),
            ("2012-07-04", 1),
            ("2012-07-02", 1),
            ("2012-05-28", 2),
            ("2012-05-22", 1),
            ("2012-05-21", 1),
            ("2012-05-15", 1),
            ("2012-04-02", 1),
            ("2012-03-30", 1),
            ("2012-03-15", 1),
            ("2012-03-05", 1),
            ("2011-12-21", 1),
            ("2011-12-06", 1),
            ("2011-11-20", 1),
            ("2011-10-26", 2),
        ],
        undated: 0,
        samples: &[(
            0,
            "嘉鱼县民族宗教事务局关于王思维民族成分变更公示",
            "http://www.jiayu.gov.cn/jiayuzhengwu/zhengfugonggao/2012-11-16/1975.html",
        )],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengfugonggao/index_2.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengfugonggao/index_2.html",
        class: "notice",
        dates: &[("2011-10-26", 2)],
        undated: 0,
        samples: &[],
    },
    Saved {
        dir: "jiayu",
        path: "/jiayuzhengwu/zhengfuwenjian/index.html",
        real: "http://www.jiayu.gov.cn/jiayuzhengwu/zhengfuwenjian/index.html",
        class: "policy",
        dates: &[
            ("2012-09-13", 1),
            ("2012-09-05", 1),
            ("2012-08-30", 1),
            ("2012-08-25", 3),
            ("2012-08-23", 1),
            ("2012-08-15", 1),
            ("2012-08-13", 1),
            ("2012-08-03", 2),
            ("2012-07-25", 1),
            ("2012-07-22", 1),
            ("2012-07-17", 1),
            ("2012-07-06", 1),
            ("2012-06-25", 1),
            ("2012-06-22", 1),
            ("2012-06-18", 1),
            ("2012-06-16", 1),
            ("2012-06-06", 1),
        ],
        undated: 0,
        samples: &[(
            19,
            "县人民政府办公室关于印发嘉鱼县2012年主要污染物总量控制工作方案的通知",
            "http://www.jiayu.gov.cn/jiayuzhengwu/zhengfuwenjian/2012-07-03/1676.html",
        )],
    },
];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// The realworld folder, or None (with the plain skip line) when it is absent.
fn realworld() -> Option<PathBuf> {
    let root = PathBuf::from(ROOT);
    if root.is_dir() {
        Some(root)
    } else {
        println!("skipped: ../shared/realworld not found");
        None
    }
}

/// The file a path (with its query) is saved as: `/Column.shtml?p5=28` → `Column.shtml@p5=28`.
fn saved_file(root: &Path, dir: &str, path_and_query: &str) -> PathBuf {
    let rel = path_and_query.trim_start_matches('/').replacen('?', "@", 1);
    let mut file = root.join(dir).join(rel);
    if file.is_dir() {
        file = ["index.html", "index.shtml", "Index.aspx"]
            .iter()
            .map(|i| file.join(i))
            .find(|f| f.is_file())
            .unwrap_or(file);
    }
    file
}

fn expanded(dates: &[(&str, usize)]) -> Vec<Option<NaiveDate>> {
    dates
        .iter()
        .flat_map(|(d, n)| std::iter::repeat_n(Some(day(d)), *n))
        .collect()
}

/// The newest list date of a saved list (its articles' dates for the undated one).
fn newest(s: &Saved) -> NaiveDate {
    if s.undated > 0 {
        // The three articles' PubDate tags: 2016-11-22, 2019-09-18, 2020年08月02日.
        return day("2020-08-02");
    }
    s.dates.iter().map(|(d, _)| day(d)).max().expect("dated")
}

/// The first Monday after a day.
fn monday_after(d: NaiveDate) -> NaiveDate {
    let ahead = 7 - u64::from(d.weekday().num_days_from_monday());
    d + Days::new(ahead)
}

#[test]
fn every_saved_list_is_read_exactly() {
    let Some(root) = realworld() else { return };
    for s in SAVED {
        let file = saved_file(&root, s.dir, s.path);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // Old servers sent text/html without a charset (jiayu is GB2312): the page's
        // <meta> decides.
        let text = govscore::extract::charset::decode(&bytes, Some("text/html")).text;
        let fetched_on = monday_after(newest(s));
        let page = url::Url::parse(s.real).unwrap();
        let list = read_list(&text, &page, Some(fetched_on));
        let what = format!("{}{}", s.dir, s.path);
        // The walker reads the list and its links from one parse: the same as both apart.
        let (once, links) = read_list_and_links(&text, &page, Some(fetched_on));
        assert_eq!(once, list, "{what}: the list read with its links");
        assert_eq!(links, nav_links(&text, &page), "{what}: the links");
        assert_eq!(list.reading, ListReading::Read, "{what}");
        let got: Vec<Option<NaiveDate>> = list.items.iter().map(|i| i.date).collect();
        let want = if s.undated > 0 {
            vec![None; s.undated]
        } else {
            expanded(s.dates)
        };
        assert_eq!(got, want, "{what}: dates in page order");
        for (i, title, link) in s.samples {
            assert_eq!(list.items[*i].title, *title, "{what} entry {i}");
            assert_eq!(list.items[*i].url, *link, "{what} entry {i}");
        }
        assert!(
            list.items.iter().all(|i| !i.pinned),
            "{what}: nothing is pinned"
        );
    }
}

/// Serves one realworld folder as a host's root, as the old servers did: `text/html`
/// without a charset; a query is the `@` file; a folder its index page; anything else 404.
/// Links to the page's real host (`real_origin`, e.g. EmpireCMS's absolute pager links) are
/// rewritten to the loopback host, byte for byte (GB2312 pages stay GB2312).
async fn serve(
    root: PathBuf,
    dir: &'static str,
    real_origin: String,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let local = format!("http://{addr}");
    let app = Router::new().fallback(move |uri: Uri| {
        let (root, real, local) = (root.clone(), real_origin.clone(), local.clone());
        async move {
            let pq = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
            let file = saved_file(&root, dir, &pq);
            match std::fs::read(&file) {
                Ok(bytes) if file.is_file() => {
                    let body = replace_bytes(&bytes, real.as_bytes(), local.as_bytes());
                    ([(header::CONTENT_TYPE, "text/html")], body).into_response()
                }
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, task)
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// The assessment of one saved list by the real pipeline: its site's home page is the list
/// page itself (the articles scaffold has a home page of its own), the column is pinned.
async fn assess(root: &Path, s: &Saved) -> (NaiveDate, govscore::report::model::SiteReport) {
    let real = url::Url::parse(s.real).expect("real url");
    let real_origin = real.origin().ascii_serialization();
    let (addr, server) = serve(root.to_path_buf(), s.dir, real_origin).await;
    let list_url = format!("http://{addr}{}", s.path);
    let home = if s.dir == "articles" {
        format!("http://{addr}/")
    } else {
        list_url.clone()
    };
    let tmp = tempfile::tempdir().unwrap();
    let yaml = format!(
        "district: 实景区\nsites:\n  - id: rw\n    name: 实景测试单位\n    role: department\n    url: {home}\n    columns:\n      - name: 实景栏目\n        class: {}\n        url: {list_url}\ncrawl:\n  delay_ms: 0\n  respect_robots: false\n",
        s.class
    );
    let settings = govscore::config::load_str(&yaml, "realworld.yaml", tmp.path())
        .unwrap_or_else(|d| panic!("{}", govscore::config::render_diagnostics(&d)));
    let as_of = monday_after(newest(s));
    let opts = govscore::pipeline::RunOptions {
        since: Some(as_of - Days::new(49)),
        write_reports: false,
        ..crate::support::run_opts(tmp.path(), "r", "db", as_of)
    };
    let outcome = govscore::pipeline::run(&settings, opts)
        .await
        .expect("run completes");
    server.abort();
    let site = outcome.report.sites.into_iter().next().expect("one site");
    (as_of, site)
}

/// What the assessment must show for one list: the weeks the saved page covers fully
/// (week start, count) and the column's newest date.
struct Assessed {
    path: &'static str,
    weeks: &'static [(&'static str, u32)],
    /// Whether the saved pages cover all 7 weeks (else the walk meets a missing page 2).
    whole: bool,
    /// Items the walk sees on the saved pages.
    items: u32,
    /// Whether this branch already judges the home page: not yet a Hanweb datastore, `MM-DD`
    /// dates or a navigation-only home page (the verdicts branch, issue 10 item 1); see
    /// [`home_pages_of_datastore_and_month_day_lists_get_no_veto`].
    home_read: bool,
}

/// Lists whose saved pages reach back past the 7 weeks: the walk stops on them, so the
/// whole window is seen. Counts by hand from the dates above.
const WHOLE: &[Assessed] = &[
    Assessed {
        path: "/xxgk/xxgknb/index.html",
        weeks: &[
            ("2020-07-20", 0),
            ("2020-07-27", 0),
            ("2020-08-03", 0),
            ("2020-08-10", 0),
            ("2020-08-17", 0),
            ("2020-08-24", 0),
            ("2020-08-31", 1),
        ],
        whole: true,
        items: 10,
        home_read: true,
    },
    Assessed {
        path: "/col/col12377/index.html",
        weeks: &[
            ("2021-12-06", 0),
            ("2021-12-13", 6),
            ("2021-12-20", 1),
            ("2021-12-27", 2),
            ("2022-01-03", 4),
            ("2022-01-10", 2),
            ("2022-01-17", 2),
        ],
        whole: true,
        items: 45,
        home_read: false,
    },
    Assessed {
        path: "/zwgk/zfxxgk/zfxxgknb/index.html",
        weeks: &[
            ("2026-01-26", 0),
            ("2026-02-02", 0),
            ("2026-02-09", 0),
            ("2026-02-16", 0),
            ("2026-02-23", 0),
            ("2026-03-02", 0),
            ("2026-03-09", 1),
        ],
        whole: true,
        items: 10,
        home_read: true,
    },
    Assessed {
        path: "/list/index.html",
        weeks: &[
            ("2020-06-15", 0),
            ("2020-06-22", 0),
            ("2020-06-29", 0),
            ("2020-07-06", 0),
            ("2020-07-13", 0),
            ("2020-07-20", 0),
            ("2020-07-27", 1),
        ],
        whole: true,
        items: 3,
        home_read: false,
    },
    Assessed {
        // Page 2 of 11 is not saved. The page runs newest first but for entries up to 5
        // days out of place (10-10 above 10-15; 08-24 above 08-25), so page 2 may still
        // hold entries up to 08-29: the week of 08-28 is not fully seen and not judged.
        path: "/zdgz/sctg/index.shtml",
        weeks: &[
            ("2017-09-04", 0),
            ("2017-09-11", 2),
            ("2017-09-18", 0),
            ("2017-09-25", 5),
            ("2017-10-02", 4),
            ("2017-10-09", 5),
        ],
        whole: true,
        items: 20,
        home_read: true,
    },
    Assessed {
        path: "/zdgz/ws/index.shtml",
        weeks: &[
            ("2017-08-21", 2),
            ("2017-08-28", 0),
            ("2017-09-04", 0),
            ("2017-09-11", 3),
            ("2017-09-18", 1),
            ("2017-09-25", 0),
            ("2017-10-02", 1),
        ],
        whole: true,
        items: 20,
        home_read: true,
    },
    Assessed {
        path: "/zdgz/lyrc/index.shtml",
        weeks: &[
            ("2017-08-28", 0),
            ("2017-09-04", 0),
            ("2017-09-11", 0),
            ("2017-09-18", 0),
            ("2017-09-25", 0),
            ("2017-10-02", 0),
            ("2017-10-09", 1),
        ],
        whole: true,
        items: 20,
        home_read: true,
    },
    Assessed {
        // Pages 1–4 of 39 are saved; page 4 reaches back before the window.
        path: "/jiayuzhengwu/zhengwudongtai/index.html",
        weeks: &[
            ("2012-10-22", 11),
            ("2012-10-29", 7),
            ("2012-11-05", 13),
            ("2012-11-12", 12),
            ("2012-11-19", 10),
            ("2012-11-26", 15),
            ("2012-12-03", 5),
        ],
        whole: true,
        items: 80,
        home_read: true,
    },
    Assessed {
        path: "/jiayuzhengwu/zhengfugonggao/index.html",
        weeks: &[
            ("2012-10-01", 0),
            ("2012-10-08", 0),
            ("2012-10-15", 0),
            ("2012-10-22", 0),
            ("2012-10-29", 0),
            ("2012-11-05", 0),
            ("2012-11-12", 1),
        ],
        whole: true,
        items: 20,
        home_read: true,
    },
    Assessed {
        path: "/jiayuzhengwu/zhengfuwenjian/index.html",
        weeks: &[
            ("2012-07-30", 2),
            ("2012-08-06", 0),
            ("2012-08-13", 2),
            ("2012-08-20", 4),
            ("2012-08-27", 1),
            ("2012-09-03", 1),
            ("2012-09-10", 1),
        ],
        whole: true,
        items: 20,
        home_read: true,
    },
];

/// Lists whose saved page 1 covers only the latest weeks: page 2 does not exist here, so
/// the column is partial and `weekly` holds exactly the weeks page 1 covers fully (those
/// starting after its oldest entry).
const PARTIAL: &[Assessed] = &[
    Assessed {
        path: "/zwgk/zwdt/zwyw/index.html",
        weeks: &[("2017-10-16", 12)],
        whole: false,
        items: 25,
        home_read: true,
    },
    Assessed {
        path: "/tjsj/zxfb/index.html",
        weeks: &[("2019-12-23", 4), ("2019-12-30", 2), ("2020-01-06", 4)],
        whole: false,
        items: 20,
        home_read: true,
    },
    Assessed {
        // The page ends 09-22, 09-25, 09-25, 09-25: page 2 may hold more entries of 09-25,
        // so the week of 09-25 is not fully seen.
        path: "/zwgk/zhxx/index.html",
        weeks: &[("2017-10-02", 0), ("2017-10-09", 4), ("2017-10-16", 7)],
        whole: false,
        items: 24,
        home_read: false,
    },
    Assessed {
        path: "/Category_133/Index.aspx",
        weeks: &[("2017-10-02", 0), ("2017-10-09", 6), ("2017-10-16", 7)],
        whole: false,
        items: 20,
        home_read: true,
    },
    Assessed {
        path: "/news-list-wanzaiyaowen.html",
        weeks: &[("2017-10-02", 0), ("2017-10-09", 11)],
        whole: false,
        items: 20,
        home_read: true,
    },
    Assessed {
        // Its oldest entry (10-09) lies in the last week: no week is fully covered.
        path: "/n3/n13/index.html",
        weeks: &[],
        whole: false,
        items: 21,
        home_read: true,
    },
    Assessed {
        path: "/Column.shtml?p5=28",
        weeks: &[("2017-10-02", 6)],
        whole: false,
        items: 15,
        home_read: true,
    },
    Assessed {
        path: "/Column.shtml?p5=26",
        weeks: &[("2017-10-02", 13)],
        whole: false,
        items: 15,
        home_read: true,
    },
];

/// Checks each list's assessment: items seen, `last_update`, no 空白栏目, no 首页不更新 (for
/// home pages this branch judges, or all with `!skip_unread_homes`), and with `weeks` the
/// `weekly` counts.
async fn check_assessments(expected: &[Assessed], skip_unread_homes: bool, weeks: bool) {
    let Some(root) = realworld() else { return };
    for want in expected {
        let s = SAVED
            .iter()
            .find(|s| s.path == want.path)
            .expect("a saved list");
        let (as_of, site) = assess(&root, s).await;
        let what = format!("{}{} as of {as_of}", s.dir, s.path);
        let col = site
            .columns
            .iter()
            .find(|c| c.url.as_deref().is_some_and(|u| u.ends_with(s.path)))
            .unwrap_or_else(|| panic!("{what}: column missing"));
        assert_eq!(col.items_total, want.items, "{what}: items seen");
        assert_eq!(
            col.last_update.as_deref(),
            Some(newest(s).to_string().as_str()),
            "{what}: last_update"
        );
        let got_weeks: Vec<(String, u32)> = col
            .weekly
            .iter()
            .map(|w| (w.week_start.clone(), w.count))
            .collect();
        let expect: Vec<(String, u32)> = want
            .weeks
            .iter()
            .map(|(w, n)| (w.to_string(), *n))
            .collect();
        if weeks {
            assert_eq!(got_weeks, expect, "{what}: weekly ({:?})", col.reason);
        }
        if want.whole {
            assert!(col.assessable, "{what}: {:?}", col.reason);
        }
        let blank: Vec<_> = site
            .findings
            .iter()
            .filter(|f| f.kind == "blank_column")
            .collect();
        assert!(blank.is_empty(), "{what}: {blank:?}");
        if want.home_read || !skip_unread_homes {
            assert!(
                !site.vetoes.iter().any(|v| v.rule == "homepage-not-updated"),
                "{what}: {:?}",
                site.vetoes
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_lists_reaching_past_seven_weeks_are_assessed_week_by_week() {
    check_assessments(WHOLE, true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_first_pages_show_their_items_and_newest_date_and_no_blank() {
    check_assessments(PARTIAL, true, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_pages_of_datastore_and_month_day_lists_get_no_veto() {
    let unread: Vec<&Assessed> = WHOLE.iter().filter(|a| !a.home_read).collect();
    assert!(!unread.is_empty());
    for a in unread {
        check_assessments(std::slice::from_ref(a), false, true).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_first_pages_count_the_weeks_they_cover_fully() {
    check_assessments(PARTIAL, false, true).await;
}
