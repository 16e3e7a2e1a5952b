//! Reminders the periodic jobs send: a stage due within 7 days or overdue (to the
//! consultant; an audit's to its auditor), a certificate expiring within 90 or 30 days (to the unit's contacts
//! and the consultant). Each is sent once: its key goes into `reminders_sent` in the
//! same transaction as its outbox rows, so a rerun finds it and sends nothing.
//! Reminders commit [`REMINDER_BATCH`] to a transaction: a deadline passing for
//! thousands of cases at once costs a few dozen commits, not one each.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::error::AppError;
use super::{from_db, to_db, AppState};
use crate::domain::{is_overdue, Stage, Status};
use crate::notify::enqueue::{queue, DetailsFor, NotifyContext};
use crate::notify::payload::Details;
use crate::notify::recipients::{self, Recipient};
use crate::notify::words;
use crate::store::rows::CaseRow;
use crate::store::{cases, certificates, facts, outbox, DbConnection};

/// How many reminders one run queued (cases, not rows).
#[derive(Debug, Default, Clone, Serialize)]
pub struct ReminderReport {
    pub deadline_approaching: usize,
    pub deadline_overdue: usize,
    pub certificate_expiring: usize,
    pub finding_due: usize,
    pub surveillance_due: usize,
    /// Actions of plans due within 7 days or overdue (see `plan_reminders`).
    pub action_due: usize,
}

/// How far ahead a finding's deadline and a surveillance are announced.
pub const FINDING_NOTICE_DAYS: i64 = 7;
pub const SURVEILLANCE_NOTICE_DAYS: i64 = 30;

/// How far ahead a deadline is announced.
pub const DEADLINE_NOTICE_DAYS: i64 = 7;
/// How far ahead a certificate's expiry is announced, longest first.
pub const EXPIRY_NOTICE_DAYS: [i64; 2] = [90, 30];

/// Queues every reminder due as of `now` that was not sent before.
pub fn run(state: &AppState, now: DateTime<Utc>) -> Result<ReminderReport, AppError> {
    run_in_batches(state, now, REMINDER_BATCH)
}

/// [`run`], committing `batch` reminders at a time (at least one).
pub fn run_in_batches(
    state: &AppState,
    now: DateTime<Utc>,
    batch: usize,
) -> Result<ReminderReport, AppError> {
    let mut report = ReminderReport::default();
    let until = to_db(now + Duration::days(DEADLINE_NOTICE_DAYS));
    // The deadlines are read a batch at a time, so a run's memory is bounded by the
    // batch, not by how many cases are overdue (at a million cases, most of the active).
    let page = batch.max(1);
    let mut after = None;
    loop {
        let (reminders, overdue_ones, last) = {
            let mut conn = state.store.conn()?;
            let deadlines = outbox::deadlines_before(&mut conn, until, after.as_deref(), page)?;
            let last = (deadlines.len() == page)
                .then(|| deadlines.last().map(|deadline| deadline.0.clone()))
                .flatten();
            let (reminders, overdue_ones) = deadline_reminders(&mut conn, deadlines, now)?;
            (reminders, overdue_ones, last)
        };
        for (overdue, sent) in overdue_ones
            .into_iter()
            .zip(remind_all(state, &reminders, now, batch)?)
        {
            match (sent, overdue) {
                (false, _) => {}
                (true, true) => report.deadline_overdue += 1,
                (true, false) => report.deadline_approaching += 1,
            }
        }
        match last {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    let expiring = {
        let mut conn = state.store.conn()?;
        expiry_reminders(&mut conn, now)?
    };
    report.certificate_expiring = count(remind_all(state, &expiring, now, batch)?);
    report.finding_due = remind_findings(state, now, batch)?;
    report.surveillance_due = remind_surveillances(state, now, batch)?;
    report.action_due = super::plan_reminders::run(state, now, batch)?;
    Ok(report)
}

/// A finding due within a week, and again once it is overdue, to the consultant.
fn remind_findings(state: &AppState, now: DateTime<Utc>, batch: usize) -> Result<usize, AppError> {
    let (due, cases_of) = {
        let mut conn = state.store.conn()?;
        let due = facts::open_findings_due_by(
            &mut conn,
            (now + Duration::days(FINDING_NOTICE_DAYS)).date_naive(),
        )?;
        let mut cases_of = std::collections::HashMap::new();
        for finding in &due {
            if !cases_of.contains_key(&finding.case_id) {
                if let Some((case, _, _)) = cases::by_id(&mut conn, &finding.case_id)? {
                    cases_of.insert(finding.case_id.clone(), case);
                }
            }
        }
        (due, cases_of)
    };
    let mut reminders = Vec::new();
    for finding in due {
        let (Some(case), Some(due_on)) = (cases_of.get(&finding.case_id), finding.due_on) else {
            continue;
        };
        // Closed cases have nobody left to correct anything.
        if !case.status.is_live() {
            continue;
        }
        let overdue = due_on < now.date_naive();
        let key = format!(
            "{}:{}",
            if overdue {
                "finding_overdue"
            } else {
                "finding_due7"
            },
            finding.id
        );
        let (severity, text) = (finding.severity, finding.text.clone());
        let details: DetailsFor<'_> = Box::new(move |lang| Details::FindingDue {
            severity_name: words::severity(severity, lang).to_string(),
            text: text.clone(),
            due_date: words::day(due_on, lang),
            overdue,
        });
        reminders.push(Reminder {
            case_id: case.id.clone(),
            key,
            details,
            to: Box::new(|conn, case, _| {
                Ok(recipients::user(conn, case.consultant_id.as_deref())?
                    .into_iter()
                    .collect())
            }),
        });
    }
    Ok(count(remind_all(state, &reminders, now, batch)?))
}

/// A surveillance due within 30 days, to the unit's contacts and the consultant.
fn remind_surveillances(
    state: &AppState,
    now: DateTime<Utc>,
    batch: usize,
) -> Result<usize, AppError> {
    let due = {
        let mut conn = state.store.conn()?;
        let due = cases::surveillances_due_before(
            &mut conn,
            to_db(now + Duration::days(SURVEILLANCE_NOTICE_DAYS)),
        )?;
        let keyed: Vec<(String, DateTime<Utc>, String)> = due
            .into_iter()
            .map(|(id, at)| {
                let at = from_db(at);
                let key = format!("surveillance30:{id}:{}", at.timestamp());
                (id, at, key)
            })
            .collect();
        let keys: Vec<String> = keyed.iter().map(|(_, _, key)| key.clone()).collect();
        let sent = outbox::reminders_sent_among(&mut conn, &keys)?;
        keyed
            .into_iter()
            .filter(|(_, _, key)| !sent.contains(key))
            .collect::<Vec<_>>()
    };
    let mut reminders = Vec::new();
    for (case_id, at, key) in due {
        let details: DetailsFor<'_> = Box::new(move |lang| Details::SurveillanceDue {
            due_date: words::date(at, lang),
            days_left: days_until(now, at),
        });
        reminders.push(Reminder {
            case_id,
            key,
            details,
            to: contacts_and_consultant(),
        });
    }
    Ok(count(remind_all(state, &reminders, now, batch)?))
}

/// Whole days from `now` until `at`, a part day counting as one.
fn days_until(now: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    let secs = (at - now).num_seconds().max(0);
    (secs + 86_399) / 86_400
}

/// How many reminders commit in one transaction (as many as the expiry job's).
const REMINDER_BATCH: usize = 500;

/// Who a reminder goes to, read inside its transaction.
type RecipientsOf<'a> = Box<
    dyn Fn(
            &mut DbConnection,
            &CaseRow,
            &crate::store::rows::UnitRow,
        ) -> Result<Vec<Recipient>, diesel::result::Error>
        + Send
        + Sync
        + 'a,
>;

/// One reminder of one case, sent once: `key` records that it was.
struct Reminder<'a> {
    case_id: String,
    key: String,
    details: DetailsFor<'a>,
    to: RecipientsOf<'a>,
}

/// The unit's contacts and the case's consultant.
fn contacts_and_consultant() -> RecipientsOf<'static> {
    Box::new(|conn, case, unit| {
        let contacts = recipients::unit_contacts(conn, unit)?;
        let consultant = recipients::user(conn, case.consultant_id.as_deref())?;
        Ok(recipients::merge([
            contacts,
            consultant.into_iter().collect(),
        ]))
    })
}

fn count(sent: Vec<bool>) -> usize {
    sent.into_iter().filter(|sent| *sent).count()
}

/// Queues the reminders `batch` to a transaction, each batch all or nothing; for
/// each, whether it was queued now (false: it was sent before, or its case is gone).
fn remind_all(
    state: &AppState,
    reminders: &[Reminder<'_>],
    now: DateTime<Utc>,
    batch: usize,
) -> Result<Vec<bool>, AppError> {
    let mut sent = Vec::with_capacity(reminders.len());
    for batch in reminders.chunks(batch.max(1)) {
        let queued = state.store.write(|conn| {
            batch
                .iter()
                .map(|reminder| remind_once(conn, state, reminder, now))
                .collect::<Result<Vec<bool>, AppError>>()
        })?;
        sent.extend(queued);
    }
    Ok(sent)
}

/// Queues one reminder in the caller's transaction unless its key was recorded; true
/// when it was queued now.
fn remind_once(
    conn: &mut DbConnection,
    state: &AppState,
    reminder: &Reminder<'_>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if outbox::reminder_sent(conn, &reminder.key)? {
        return Ok(false);
    }
    let Some((case_now, unit, programme)) = cases::by_id(conn, &reminder.case_id)? else {
        return Ok(false);
    };
    outbox::record_reminder(conn, &reminder.key, &reminder.case_id, to_db(now))?;
    let recipients = (reminder.to)(conn, &case_now, &unit)?;
    let ctx = NotifyContext {
        case: &case_now,
        unit: &unit,
        programme: &programme,
        settings: &state.settings,
    };
    // Sent as soon as the worker runs: the as-of time decides only what is due.
    queue(conn, &ctx, &recipients, &reminder.details, state.now())?;
    Ok(true)
}

/// The deadline reminders of `page` (from [`outbox::deadlines_before`]) not sent
/// before, each with whether it is the overdue one. The keys are checked first, so a
/// case reminded before costs one index look-up and nothing else.
fn deadline_reminders(
    conn: &mut DbConnection,
    page: Vec<outbox::CaseDeadline>,
    now: DateTime<Utc>,
) -> Result<(Vec<Reminder<'static>>, Vec<bool>), AppError> {
    let keyed: Vec<(outbox::CaseDeadline, bool, String)> = page
        .into_iter()
        .map(|deadline| {
            let (id, cycle, stage, entered, due) = &deadline;
            let overdue = is_overdue(Status::Active, Some(from_db(*due)), now);
            let kind = if overdue { "overdue" } else { "due7" };
            let key = format!(
                "{kind}:{id}:{cycle}:{stage}:{}",
                entered.and_utc().timestamp_micros()
            );
            (deadline, overdue, key)
        })
        .collect();
    let keys: Vec<String> = keyed.iter().map(|(_, _, key)| key.clone()).collect();
    let sent = outbox::reminders_sent_among(conn, &keys)?;
    let (mut reminders, mut overdue_ones) = (Vec::new(), Vec::new());
    for ((id, _, stage, _, due), overdue, key) in keyed {
        let Some(stage) = Stage::parse(&stage).filter(|_| !sent.contains(&key)) else {
            continue;
        };
        let due = from_db(due);
        let details: DetailsFor<'static> = Box::new(move |lang| {
            let stage_name = words::stage(stage, lang).to_string();
            let due_date = words::date(due, lang);
            if overdue {
                Details::DeadlineOverdue {
                    stage_name,
                    due_date,
                    days_overdue: (now - due).num_days(),
                }
            } else {
                Details::DeadlineApproaching {
                    stage_name,
                    due_date,
                    days_left: days_until(now, due),
                }
            }
        });
        overdue_ones.push(overdue);
        reminders.push(Reminder {
            case_id: id,
            key,
            details,
            to: Box::new(|conn, case, _| recipients::deadline_owner(conn, case)),
        });
    }
    Ok((reminders, overdue_ones))
}

/// The expiry reminders due as of `now` and not sent before: a valid certificate, the
/// current one of a certified case, whose last day is within 90 or 30 days. Only the
/// certificates in that window are read, by the index of their last day.
fn expiry_reminders(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Reminder<'static>>, AppError> {
    let latest = (now + Duration::days(EXPIRY_NOTICE_DAYS[0])).date_naive();
    let mut keyed = Vec::new();
    for (id, case_id, last_day, number) in
        certificates::valid_until_between(conn, now.date_naive(), latest)?
    {
        // The end of its last valid day.
        let valid_until = last_day
            .and_hms_opt(23, 59, 59)
            .unwrap_or_default()
            .and_utc();
        let left = valid_until - now;
        let threshold = EXPIRY_NOTICE_DAYS
            .iter()
            .rev()
            .find(|days| left <= Duration::days(**days));
        if let (Some(threshold), true) = (threshold, left > Duration::zero()) {
            let key = format!("expiry{threshold}:{case_id}:{}", valid_until.timestamp());
            keyed.push((id, case_id, valid_until, number, key));
        }
    }
    let keys: Vec<String> = keyed.iter().map(|k| k.4.clone()).collect();
    let sent = outbox::reminders_sent_among(conn, &keys)?;
    let mut reminders = Vec::new();
    for (id, case_id, valid_until, number, key) in keyed {
        if sent.contains(&key) {
            continue;
        }
        let certified = cases::by_id(conn, &case_id)?
            .is_some_and(|(case, _, _)| case.status == Status::Certified);
        let current = certificates::current_of_case(conn, &case_id)?.map(|c| c.id);
        if !certified || current.as_deref() != Some(id.as_str()) {
            continue;
        }
        let details: DetailsFor<'static> = Box::new(move |lang| Details::CertificateExpiring {
            valid_until: words::date(valid_until, lang),
            days_left: days_until(now, valid_until),
            number: Some(number.clone()),
        });
        reminders.push(Reminder {
            case_id,
            key,
            details,
            to: contacts_and_consultant(),
        });
    }
    Ok(reminders)
}
