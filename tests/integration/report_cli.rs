//! `steward report` on the fixture database of `storage_stats`: the folder holds the four
//! charts, a CSV with the known figures and an HTML page; the charts are byte for byte the ones
//! the bot would post for the same period; and headless Chromium, when installed (Debian's
//! `chromium` package, see `scripts/render-report.sh`), renders the page offline into a
//! picture that is not blank.

use std::process::Command;

use steward::charter::report::ReportSettings;
use steward::i18n::Lang;
use steward::ids::GuildId;
use steward::stats::charts::render_all;
use steward::stats::{Period, wording};

use crate::storage_stats::fixture;
use crate::support::root;

fn report(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .arg("report")
        .args(args)
        .current_dir(root())
        .env("DATABASE_URL", db)
        .env("RULES_DIR", root().join("rules"))
        .env_remove("DISCORD_TOKEN")
        .output()
        .expect("steward runs")
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[tokio::test]
async fn the_offline_report_writes_charts_a_csv_and_a_page_a_browser_renders() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("steward.db").display());
    let store = steward::store::Store::connect(&db).await.unwrap();
    store.migrate().await.unwrap();
    fixture(&store).await;
    let out = dir.path().join("w13");
    let done = report(
        &db,
        &[
            "--guild",
            "42",
            "--week",
            "2026-W13",
            "--lang",
            "fr",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "activity.png",
            "cases.png",
            "heatmap.png",
            "members.png",
            "report.csv",
            "report.html"
        ]
    );
    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    assert!(csv.contains("figure,,messages,18,3\n"), "{csv}");
    assert!(csv.contains("day,2026-03-29,messages,5,\n"), "{csv}");
    assert!(csv.contains("heatmap,7-23,messages,5,\n"), "{csv}");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Semaine 13 de 2026"));

    // The same period drawn the way the bot draws it: the same pictures.
    let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    let week = Period::parse("2026-W13").unwrap();
    let facts = store.report_facts(GuildId(42), week, &paris).await.unwrap();
    let settings = ReportSettings {
        timezone: "Europe/Paris".into(),
        ..ReportSettings::default()
    };
    let report_model = facts.report(week, &settings);
    let lang = Lang::of("fr");
    for chart in render_all(&report_model, &wording::chart_text(lang, &report_model)).unwrap() {
        assert_eq!(
            std::fs::read(out.join(chart.name)).unwrap(),
            chart.png,
            "{}",
            chart.name
        );
    }
    store.close().await;

    // Refusals change nothing and say why.
    let wrong = report(&db, &["--guild", "42", "--week", "2026-11"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("--week takes a period such as 2026-W47")
    );
    let bad = report(&db, &["--guild", "42", "--month", "2026-13"]);
    assert_eq!(bad.status.code(), Some(2));

    let Some(browser) = chromium() else {
        eprintln!(
            "chromium is not installed: the page was not rendered (apt-get install chromium)"
        );
        return;
    };
    let shot = dir.path().join("page.png");
    let rendered = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1100,2400",
            &format!("--screenshot={}", shot.display()),
        ])
        .arg(format!("file://{}", out.join("report.html").display()))
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let picture = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(picture.width(), 1100);
    // Text and four charts: far from one flat colour.
    let distinct: std::collections::HashSet<[u8; 3]> = picture.pixels().map(|p| p.0).collect();
    assert!(distinct.len() > 200, "{} colours", distinct.len());
}
