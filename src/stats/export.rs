//! A report written for the brand: a CSV of every figure and one self-contained HTML page (the
//! charts embedded as base64 PNG, no script, no network), in one language. Members and channels
//! are written by id: the counters keep no names.

use base64::Engine;

use super::charts::Picture;
use super::report::Report;
use super::wording;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::tr;

/// Every figure of `report` as CSV: `section,item,measure,value,previous`, one row per number.
pub fn csv(report: &Report) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["section", "item", "measure", "value", "previous"])?;
    let number = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
    for f in &report.figures {
        out.write_record(["figure", "", f.name, &number(f.value), &number(f.previous)])?;
    }
    for d in &report.days {
        let date = d.date.to_string();
        for (measure, value) in [
            ("messages", d.messages),
            ("active_members", d.active),
            ("joins", d.joins),
            ("departures", d.leaves),
        ] {
            out.write_record(["day", &date, measure, &value.to_string(), ""])?;
        }
    }
    for (weekday, hours) in report.heat.iter().enumerate() {
        for (hour, messages) in hours.iter().enumerate() {
            let slot = format!("{}-{hour:02}", weekday + 1);
            out.write_record(["heatmap", &slot, "messages", &messages.to_string(), ""])?;
        }
    }
    rows(&mut out, "channel", "messages", &report.top_channels)?;
    rows(
        &mut out,
        "contributor",
        "messages",
        &report.top_contributors,
    )?;
    rows(&mut out, "answerer", "answers", &report.top_answerers)?;
    rows(&mut out, "case_kind", "cases", &report.cases_by_kind)?;
    rows(&mut out, "case_rule", "cases", &report.cases_by_rule)?;
    rows(
        &mut out,
        "join_source",
        "joins",
        &report.referrals.joins_by_source,
    )?;
    rows(
        &mut out,
        "referrer",
        "qualified_referrals",
        &report.referrals.referrers,
    )?;
    for r in &report.rule_precision {
        rows(&mut out, "rule_review", "decided", &[(&r.rule, r.decided)])?;
        rows(
            &mut out,
            "rule_review",
            "approved",
            &[(&r.rule, r.approved)],
        )?;
    }
    let e = &report.engagement;
    let engagement = [
        ("polls", e.polls),
        ("poll_votes", e.poll_votes),
        ("giveaways", e.giveaways),
        ("giveaway_entries", e.giveaway_entries),
    ];
    rows(&mut out, "engagement", "count", &engagement)?;
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One CSV row per `(item, count)`: `section,item,measure,count,`.
fn rows<W: std::io::Write, K: std::fmt::Display>(
    out: &mut csv::Writer<W>,
    section: &str,
    measure: &str,
    rows: &[(K, u64)],
) -> Result<(), csv::Error> {
    rows.iter().try_for_each(|(item, n)| {
        out.write_record([section, &item.to_string(), measure, &n.to_string(), ""])
    })
}

/// Text made safe inside HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn list(lang: Lang, heading: &str, rows: &[String]) -> String {
    let items = if rows.is_empty() {
        format!("<li>{}</li>", escape(&tr!(lang, "stats-nothing")))
    } else {
        rows.iter()
            .map(|r| format!("<li>{}</li>", escape(r)))
            .collect()
    };
    format!(
        "<section><h2>{}</h2><ol>{items}</ol></section>\n",
        escape(heading)
    )
}

/// The report as one HTML page that needs nothing else to be read.
pub fn html(report: &Report, charts: &[Picture], lang: Lang) -> String {
    let title = tr!(
        lang,
        "stats-report-heading",
        title = wording::title(lang, report)
    );
    let mut rows = String::new();
    for f in &report.figures {
        rows.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            escape(&wording::figure_name(lang, f)),
            escape(&wording::value(lang, f.unit, f.value)),
            escape(&wording::value(lang, f.unit, f.previous)),
            escape(&wording::change(lang, f)),
        ));
    }
    let images: String = charts
        .iter()
        .map(|c| {
            format!(
                "<img alt=\"{}\" src=\"data:image/png;base64,{}\">\n",
                c.name,
                base64::engine::general_purpose::STANDARD.encode(&c.png)
            )
        })
        .collect();
    let messages = |n: u64| tr!(lang, "stats-messages-count", count = n);
    let channels: Vec<String> = report
        .top_channels
        .iter()
        .map(|(c, n)| {
            format!(
                "{} — {}",
                tr!(lang, "stats-page-channel", id = c.0.to_string()),
                messages(*n)
            )
        })
        .collect();
    // "Member 123 — 4 answers": one line per ranked member, counted with the catalogue's `key`.
    let ranked = |rows: &[(UserId, u64)], key: &str| -> Vec<String> {
        rows.iter()
            .map(|(u, n)| {
                format!(
                    "{} — {}",
                    tr!(lang, "stats-page-member", id = u.0.to_string()),
                    crate::i18n::text(lang, key, &[("count", (*n).into())])
                )
            })
            .collect()
    };
    let members = ranked(&report.top_contributors, "stats-messages-count");
    let referrers = ranked(&report.referrals.referrers, "stats-referrals-count");
    let counted = |rows: &[(String, u64)]| -> Vec<String> {
        rows.iter().map(|(k, n)| format!("{k} — {n}")).collect()
    };
    let precision: Vec<String> = report
        .rule_precision
        .iter()
        .map(|r| {
            tr!(
                lang,
                "stats-rule-precision-line",
                rule = r.rule.clone(),
                decided = r.decided,
                approved = r.approved,
                percent = wording::value(
                    lang,
                    super::report::Unit::Percent,
                    Some(r.false_positive_percent())
                )
            )
        })
        .collect();
    let answerers = ranked(&report.top_answerers, "stats-answers-count");
    let mut body = String::new();
    body.push_str(&list(lang, &tr!(lang, "stats-top-channels"), &channels));
    body.push_str(&list(lang, &tr!(lang, "stats-top-contributors"), &members));
    body.push_str(&list(lang, &tr!(lang, "stats-answerers"), &answerers));
    body.push_str(&list(
        lang,
        &tr!(lang, "stats-cases-by-kind"),
        &counted(&report.cases_by_kind),
    ));
    body.push_str(&list(lang, &tr!(lang, "stats-rule-precision"), &precision));
    body.push_str(&list(
        lang,
        &tr!(lang, "stats-joins-by-source"),
        &counted(&report.referrals.joins_by_source),
    ));
    body.push_str(&list(lang, &tr!(lang, "stats-top-referrers"), &referrers));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>\nbody{{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#212529;background:#fff}}\n\
         table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #dee2e6;padding:.4em .6em;text-align:left}}\n\
         .n{{text-align:right;font-variant-numeric:tabular-nums}}img{{max-width:100%;display:block;margin:1em 0}}\n\
         section{{display:inline-block;vertical-align:top;width:48%;margin-right:2%}}\n</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n<p>{footer}</p>\n<h2>{figures}</h2>\n<table>\n<tr><th>{figure}</th><th class=\"n\">{value}</th>\
         <th class=\"n\">{previous}</th><th class=\"n\">{change}</th></tr>\n{rows}</table>\n<h2>{charts_heading}</h2>\n{images}{body}</body>\n</html>\n",
        code = lang.code(),
        title = escape(&title),
        footer = escape(&tr!(
            lang,
            "stats-report-footer",
            timezone = report.timezone.clone()
        )),
        figures = escape(&tr!(lang, "stats-page-figures")),
        figure = escape(&tr!(lang, "stats-page-figure")),
        value = escape(&tr!(lang, "stats-page-value")),
        previous = escape(&tr!(lang, "stats-page-previous")),
        change = escape(&tr!(lang, "stats-page-change")),
        charts_heading = escape(&tr!(lang, "stats-page-charts")),
    )
}
