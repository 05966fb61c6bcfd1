//! Notifications: alerts built from a finished run (summary, new vetoes, mid-week cadence
//! warnings, unreachable sites) and from probes (a site going unreachable), posted to
//! webhooks in three formats (generic JSON, 钉钉 robot, 企业微信 robot), de-duplicated by
//! key with a repeat interval (table `notifications`).
//!
//! Must not judge: it reads findings the rules produced. A failed delivery is logged and
//! not marked sent, so it is tried again next time.

use crate::config::{CheckSpec, NotifyEvent, NotifySettings, Settings, Webhook, WebhookFormat};
use crate::report::model::Report;
use crate::store::{Probe, Store, StoreError};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How long one webhook POST may take.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// One alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// What it is about.
    pub event: NotifyEvent,
    /// De-duplication key, e.g. `veto:jyj:stale-columns`.
    pub key: String,
    /// Short title.
    pub title: String,
    /// Markdown body (Chinese, for supervisors).
    pub text: String,
}

fn contacts_line(settings: &Settings, site_id: &str) -> String {
    match settings.sites.iter().find(|s| s.id == site_id) {
        Some(s) if !s.contacts.is_empty() => format!("\n\n请 {} 及时处理。", s.contacts.join("、")),
        _ => String::new(),
    }
}

/// The alerts a finished run raises: its summary, each veto, each mid-week cadence
/// warning (a `warn` rule of check `midweek_quota`) and each unreachable site.
pub fn alerts_for_run(settings: &Settings, report: &Report) -> Vec<Alert> {
    let mut out = Vec::new();
    let ranked = report.sites.iter().filter(|s| s.score.is_some()).count();
    let vetoed = report.sites.iter().filter(|s| !s.vetoes.is_empty()).count();
    let not_ok: Vec<&str> = report
        .sites
        .iter()
        .filter(|s| s.status != "ok")
        .map(|s| s.name.as_str())
        .collect();
    let mut text = format!(
        "### {} 政府网站检查完成\n\n监测时间点 {}，期间 {} 至 {}；参评 {} 个网站，单项否决 {} 个。\n",
        report.district, report.as_of, report.period.start, report.period.end, ranked, vetoed
    );
    for s in report.sites.iter().filter(|s| s.rank.is_some()).take(5) {
        text.push_str(&format!(
            "\n- 第{}名 {} {:.1}分 {}",
            s.rank.unwrap_or_default(),
            s.name,
            s.score.unwrap_or_default(),
            s.grade.as_deref().unwrap_or("")
        ));
    }
    if !not_ok.is_empty() {
        text.push_str(&format!("\n\n无法完整检测：{}", not_ok.join("、")));
    }
    out.push(Alert {
        event: NotifyEvent::RunFinished,
        key: format!("run:{}", report.run_id),
        title: format!("{}政府网站检查完成", report.district),
        text,
    });
    let midweek: Vec<&str> = settings
        .rules
        .rules
        .iter()
        .filter(|r| matches!(r.check, CheckSpec::MidweekQuota { .. }))
        .map(|r| r.id.as_str())
        .collect();
    for site in &report.sites {
        for v in &site.vetoes {
            out.push(Alert {
                event: NotifyEvent::Veto,
                key: format!("veto:{}:{}", site.id, v.rule),
                title: format!("单项否决：{}", site.name),
                text: format!(
                    "### 单项否决：{}\n\n规则 {}：{}{}",
                    site.name,
                    v.rule,
                    v.message,
                    contacts_line(settings, &site.id)
                ),
            });
        }
        for f in site
            .findings
            .iter()
            .filter(|f| f.severity == "warn" && f.kind == "cadence")
            .filter(|f| midweek.contains(&f.rule.as_str()))
        {
            out.push(Alert {
                event: NotifyEvent::Warning,
                key: format!(
                    "warn:{}:{}:{}:{}",
                    site.id,
                    f.rule,
                    f.column.as_deref().unwrap_or(""),
                    report.as_of
                ),
                title: format!("更新预警：{}", site.name),
                text: format!(
                    "### 更新预警：{}\n\n{}{}",
                    site.name,
                    f.message,
                    contacts_line(settings, &site.id)
                ),
            });
        }
        if site.status == "unreachable" {
            out.push(unreachable_alert(
                settings,
                &site.id,
                &site.name,
                site.status_reason.as_deref().unwrap_or("无法访问"),
            ));
        }
    }
    out
}

fn unreachable_alert(settings: &Settings, site_id: &str, name: &str, reason: &str) -> Alert {
    Alert {
        event: NotifyEvent::Warning,
        key: format!("unreachable:{site_id}"),
        title: format!("网站无法访问：{name}"),
        text: format!(
            "### 网站无法访问：{name}\n\n首页无法打开（{reason}）。累计无法访问达到探测次数的5%将被单项否决。{}",
            contacts_line(settings, site_id)
        ),
    }
}

/// Alerts for sites whose latest probe failed after a successful one (going unreachable).
/// `previous` is each site's probe before this round, if any.
pub fn alerts_for_probes(
    settings: &Settings,
    round: &[Probe],
    previous: &dyn Fn(&str) -> Option<bool>,
) -> Vec<Alert> {
    round
        .iter()
        .filter(|p| !p.ok && previous(&p.site_id).unwrap_or(true))
        .filter_map(|p| {
            let site = settings.sites.iter().find(|s| s.id == p.site_id)?;
            Some(unreachable_alert(settings, &site.id, &site.name, &p.reason))
        })
        .collect()
}

/// The JSON body of an alert in a webhook's format.
pub fn payload(format: WebhookFormat, alert: &Alert) -> serde_json::Value {
    match format {
        WebhookFormat::Generic => serde_json::json!({
            "event": alert.event.as_str(),
            "key": alert.key,
            "title": alert.title,
            "text": alert.text,
        }),
        WebhookFormat::Dingtalk => serde_json::json!({
            "msgtype": "markdown",
            "markdown": {"title": alert.title, "text": alert.text},
        }),
        WebhookFormat::Wecom => serde_json::json!({
            "msgtype": "markdown",
            "markdown": {"content": alert.text},
        }),
    }
}

/// The alerts not sent within `repeat_hours` (the rest are duplicates).
pub fn due(
    store: &Store,
    notify: &NotifySettings,
    alerts: Vec<Alert>,
    now: DateTime<Utc>,
) -> Result<Vec<Alert>, StoreError> {
    let repeat = chrono::Duration::hours(i64::from(notify.repeat_hours));
    let mut out = Vec::new();
    for a in alerts {
        match store.notification_sent_at(&a.key)? {
            Some(t) if now - t < repeat => {}
            _ => out.push(a),
        }
    }
    Ok(out)
}

async fn post(client: &reqwest::Client, hook: &Webhook, alert: &Alert) -> Result<(), String> {
    let resp = client
        .post(hook.url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        )
        .body(payload(hook.format, alert).to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if resp.status().is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {}", resp.status()))
    }
}

/// Posts each alert to every webhook that takes its event; returns the keys delivered to
/// at least one webhook (an alert no webhook takes is not "delivered").
pub async fn send(notify: &NotifySettings, alerts: &[Alert]) -> Vec<String> {
    let client = match reqwest::Client::builder().timeout(WEBHOOK_TIMEOUT).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "无法创建 webhook 客户端；未发送通知");
            return Vec::new();
        }
    };
    let mut sent = Vec::new();
    for alert in alerts {
        let mut delivered = false;
        for hook in notify
            .webhooks
            .iter()
            .filter(|h| h.events.contains(&alert.event))
        {
            match post(&client, hook, alert).await {
                Ok(()) => delivered = true,
                Err(e) => tracing::warn!(
                    webhook = %hook.url, key = %alert.key, error = %e,
                    "webhook 发送失败；下次提醒时重试"
                ),
            }
        }
        if delivered {
            sent.push(alert.key.clone());
        }
    }
    sent
}

/// De-duplicates, sends and records alerts. The store is only touched between awaits.
pub async fn deliver(db: &std::path::Path, notify: &NotifySettings, alerts: Vec<Alert>) {
    if notify.webhooks.is_empty() || alerts.is_empty() {
        return;
    }
    let now = Utc::now();
    let pending = match Store::open(db).and_then(|s| due(&s, notify, alerts, now)) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "无法读取通知记录；未发送");
            return;
        }
    };
    let sent = send(notify, &pending).await;
    match Store::open(db) {
        Ok(store) => {
            for key in sent {
                if let Err(e) = store.mark_notified(&key, now) {
                    tracing::warn!(error = %e, key = %key, "无法记录已发送的通知");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "无法记录已发送的通知"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert() -> Alert {
        Alert {
            event: NotifyEvent::Veto,
            key: "veto:jyj:x".into(),
            title: "单项否决：教育局".into(),
            text: "### 单项否决".into(),
        }
    }

    #[test]
    fn payloads_follow_each_robot_format() {
        let a = alert();
        let g = payload(WebhookFormat::Generic, &a);
        assert_eq!(g["event"], "veto");
        assert_eq!(g["key"], "veto:jyj:x");
        let d = payload(WebhookFormat::Dingtalk, &a);
        assert_eq!(d["msgtype"], "markdown");
        assert_eq!(d["markdown"]["title"], "单项否决：教育局");
        assert_eq!(d["markdown"]["text"], "### 单项否决");
        let w = payload(WebhookFormat::Wecom, &a);
        assert_eq!(w["msgtype"], "markdown");
        assert_eq!(w["markdown"]["content"], "### 单项否决");
        assert!(w["markdown"].get("title").is_none());
    }

    #[test]
    fn an_alert_sent_recently_is_not_due_until_the_repeat_interval_passes() {
        let store = Store::open_in_memory().unwrap();
        let notify = NotifySettings::default();
        let now = Utc::now();
        assert_eq!(due(&store, &notify, vec![alert()], now).unwrap().len(), 1);
        store.mark_notified("veto:jyj:x", now).unwrap();
        assert!(due(&store, &notify, vec![alert()], now).unwrap().is_empty());
        let later = now + chrono::Duration::hours(25);
        assert_eq!(due(&store, &notify, vec![alert()], later).unwrap().len(), 1);
    }
}
