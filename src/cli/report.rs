//! `steward report --guild ID --week 2026-W47` (or `--month 2026-11`): reads the database and
//! writes, into a folder, the report's PNG charts, a CSV of every figure and one self-contained
//! HTML page, in the server's language (or `--lang`), with the days and hours of the charter's
//! time zone (`[report] timezone`).

use std::path::{Path, PathBuf};

use super::{FAILED, OK, UNUSABLE, load, runtime};
use crate::config::Config;
use crate::i18n::Lang;
use crate::ids::GuildId;
use crate::stats::charts::render_all;
use crate::stats::{Period, export, wording};

/// What `steward report` was asked.
#[derive(Clone, Debug)]
pub struct ReportRequest {
    pub guild: u64,
    /// `2026-W47` or `2026-11`.
    pub period: String,
    /// Whether a week was asked for (`--week`), else a month (`--month`).
    pub week: bool,
    /// The folder to write; default `report-GUILD-PERIOD`.
    pub out: Option<PathBuf>,
    /// A language code; default the server's.
    pub lang: Option<String>,
}

/// Runs `steward report`.
pub fn report(config: &Config, request: &ReportRequest) -> u8 {
    let period = match Period::parse(&request.period) {
        Ok(period) if matches!(period, Period::Week { .. }) != request.week => {
            let (flag, example) = if request.week {
                ("--week", "2026-W47")
            } else {
                ("--month", "2026-11")
            };
            eprintln!("steward report: {flag} takes a period such as {example}");
            return UNUSABLE;
        }
        Ok(period) => period,
        Err(e) => {
            eprintln!("steward report: {e}");
            return UNUSABLE;
        }
    };
    if let Some(code) = &request.lang
        && Lang::known(code).is_none()
    {
        eprintln!("steward report: \"{code}\" is not a language Steward speaks (fr, en)");
        return UNUSABLE;
    }
    let Some(charter) = load(&config.rules_dir) else {
        return FAILED;
    };
    let settings = charter.report.clone().unwrap_or_default();
    let out = request
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("report-{}-{period}", request.guild)));
    let Some(runtime) = runtime() else {
        return FAILED;
    };
    let guild = GuildId(request.guild);
    let tz = settings.time_zone();
    let read = runtime.block_on(async {
        let store = crate::store::Store::connect_existing(&config.database_url).await?;
        store.migrate().await?;
        let facts = store.report_facts(guild, period, &tz).await?;
        let language = store.guild_settings(guild).await?.language;
        store.close().await;
        Ok::<_, crate::store::StoreError>((facts, language))
    });
    let (facts, language) = match read {
        Ok(read) => read,
        Err(e) => {
            eprintln!("steward report: {e}");
            return FAILED;
        }
    };
    let lang = Lang::of(request.lang.as_deref().unwrap_or(&language));
    let report = facts.report(period, &settings);
    match write(&out, &report, lang) {
        Ok(files) => {
            for file in files {
                println!("{}", out.join(file).display());
            }
            OK
        }
        Err(e) => {
            eprintln!("steward report: {}: {e}", out.display());
            FAILED
        }
    }
}

/// Writes the charts, `report.csv` and `report.html` into `dir` (made if needed); returns the
/// file names written.
pub fn write(dir: &Path, report: &crate::stats::Report, lang: Lang) -> anyhow::Result<Vec<String>> {
    std::fs::create_dir_all(dir)?;
    let charts = render_all(report, &wording::chart_text(lang, report))?;
    let mut files = Vec::new();
    for chart in &charts {
        std::fs::write(dir.join(chart.name), &chart.png)?;
        files.push(chart.name.to_string());
    }
    std::fs::write(dir.join("report.csv"), export::csv(report)?)?;
    files.push("report.csv".into());
    std::fs::write(dir.join("report.html"), export::html(report, &charts, lang))?;
    files.push("report.html".into());
    Ok(files)
}
