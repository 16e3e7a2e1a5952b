//! A coordinator's overview of their organisation (admins and consultants see any):
//! units per stage as an SVG bar chart with a table beside it, overdue cases,
//! expiring certificates, median days per stage, and every case as CSV.
//!
//! The CSV is what Swedish Excel opens by double-click: UTF-8 with a byte-order mark
//! (so å, ä, ö survive), `;` between fields (Swedish Excel's list separator, since the
//! comma is the decimal sign), CRLF line ends, fields quoted when they need it.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::app::csv::CsvWriter;
use crate::app::dashboard::{self as reports, Dashboard};
use crate::app::evidence_files::content_disposition;
use crate::app::AppState;
use crate::domain::Language;
use crate::glossary;
use crate::http::web::i18n::text;
use crate::http::web::session::Viewer;
use crate::http::web::{blocking, page, time, WebError};

#[derive(Serialize)]
struct Bar {
    label: String,
    count: i64,
    y: u32,
    text_y: u32,
    width: u32,
    value_x: u32,
}

#[derive(Serialize)]
struct Line {
    case_href: String,
    unit: String,
    stage: String,
    due: String,
}

#[derive(Serialize)]
struct MedianLine {
    stage: String,
    days: String,
    samples: usize,
}

#[derive(Serialize)]
struct DashboardPage {
    organisation: String,
    total: i64,
    bars: Vec<Bar>,
    chart_height: u32,
    chart_label: String,
    by_status: Vec<(String, i64)>,
    overdue: Vec<Line>,
    overdue_total: i64,
    overdue_more: bool,
    expiring: Vec<Line>,
    medians: Vec<MedianLine>,
    csv_href: String,
    /// Every unit with its case's stage, status and next step (`unit_overview`).
    units: Vec<super::unit_overview::UnitLine>,
}

const BAR_HEIGHT: u32 = 28;
const LABEL_WIDTH: u32 = 210;
const MAX_BAR: u32 = 300;

fn shape(lang: Language, d: &Dashboard) -> DashboardPage {
    let max = d.by_stage.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    let bars = d
        .by_stage
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let width = ((s.count as f64 / max as f64) * f64::from(MAX_BAR)).round() as u32;
            let y = i as u32 * (BAR_HEIGHT + 8);
            Bar {
                label: glossary::stage(lang, s.stage).to_string(),
                count: s.count,
                y,
                text_y: y + 19,
                width,
                value_x: LABEL_WIDTH + width + 6,
            }
        })
        .collect::<Vec<_>>();
    let chart_height = bars.len() as u32 * (BAR_HEIGHT + 8);
    DashboardPage {
        organisation: d.organisation.name.clone(),
        total: d.total,
        chart_label: text(
            lang,
            "dashboard.chart_label",
            &[("organisation", d.organisation.name.clone())],
        ),
        bars,
        chart_height,
        by_status: d
            .by_status
            .iter()
            .map(|(s, n)| (glossary::status(lang, *s).to_string(), *n))
            .collect(),
        overdue: d
            .overdue
            .iter()
            .map(|o| Line {
                case_href: format!("/cases/{}", o.case_id),
                unit: o.unit_name.clone(),
                stage: glossary::stage(lang, o.stage).to_string(),
                due: o.due_at.map(time::day).unwrap_or_default(),
            })
            .collect(),
        overdue_total: d.overdue_total,
        overdue_more: d.overdue_total > d.overdue.len() as i64,
        expiring: d
            .expiring
            .iter()
            .map(|e| Line {
                case_href: format!("/cases/{}", e.case_id),
                unit: e.unit_name.clone(),
                stage: e.number.clone(),
                due: e.valid_until.to_string(),
            })
            .collect(),
        medians: d
            .median_days
            .iter()
            .map(|m| MedianLine {
                stage: glossary::stage(lang, m.stage).to_string(),
                days: m
                    .median_days
                    .map(|v| glossary::numbers::decimal(lang, v))
                    .unwrap_or_else(|| "–".into()),
                samples: m.samples,
            })
            .collect(),
        csv_href: format!("/organisations/{}/cases.csv", d.organisation.id),
        units: Vec::new(),
    }
}

/// `GET /organisations/{id}/dashboard`.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (dashboard, units) = blocking(lang, move || {
        let dashboard = reports::dashboard(&s, &actor, &id)?;
        let units = super::unit_overview::build(&s, &actor, lang, &id)?;
        Ok((dashboard, units))
    })
    .await?;
    let mut data = shape(lang, &dashboard);
    data.units = units;
    let title = text(
        lang,
        "dashboard.title",
        &[("organisation", data.organisation.clone())],
    );
    page(&state, &viewer, "dashboard", title, StatusCode::OK, &data)
}

/// `GET /organisations/{id}/cases.csv`.
pub async fn csv(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = viewer.lang;
    let (s, actor) = (state.clone(), viewer.actor.clone());
    let (organisation, rows) = blocking(lang, move || reports::export(&s, &actor, &id)).await?;
    let t = |key: &str| text(lang, key, &[]);
    let mut out = CsvWriter::new();
    // No ids: a person reads the file, and the unit's name says which case it is.
    let headers = [
        "csv.unit",
        "csv.department",
        "csv.headcount",
        "csv.programme",
        "csv.version",
        "csv.stage",
        "csv.status",
        "csv.overdue",
        "csv.cycle",
        "csv.stage_entered",
        "csv.stage_due",
        "csv.enrolled",
    ];
    out.row(headers.iter().map(|h| t(h)));
    for r in rows {
        let cells = [
            r.unit,
            r.department.unwrap_or_default(),
            r.headcount.to_string(),
            r.programme,
            r.programme_version.to_string(),
            glossary::stage(lang, r.stage).to_string(),
            glossary::status(lang, r.status).to_string(),
            t(if r.overdue { "csv.yes" } else { "csv.no" }),
            r.cycle.to_string(),
            time::show(r.stage_entered_at),
            r.stage_due_at.map(time::day).unwrap_or_default(),
            time::show(r.enrolled_at),
        ];
        out.row(cells);
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&format!("stegvis-{}.csv", organisation.name)),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(out.finish()))
}
