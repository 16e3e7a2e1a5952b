//! Programmes, versioned by key.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, Mutex};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::Connection;

use super::rows::ProgrammeRow;
use super::schema::programmes;
use super::{ids, DbConnection, StoreError};
use crate::domain::programme::{FindingDueDays, ProgrammeRules, DEFAULT_PROGRAMME_KEY};
use crate::domain::{Path, Stage, StagePlan};

pub fn insert(conn: &mut DbConnection, row: &ProgrammeRow) -> QueryResult<()> {
    diesel::insert_into(programmes::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ProgrammeRow>> {
    programmes::table
        .find(id)
        .select(ProgrammeRow::as_select())
        .get_result(conn)
        .optional()
}

/// The newest version of the programme with `key`.
pub fn latest_by_key(conn: &mut DbConnection, key: &str) -> QueryResult<Option<ProgrammeRow>> {
    programmes::table
        .filter(programmes::key.eq(key))
        .order(programmes::version.desc())
        .select(ProgrammeRow::as_select())
        .first(conn)
        .optional()
}

/// Version `version` of the programme with `key`.
pub fn version_of(
    conn: &mut DbConnection,
    key: &str,
    version: i32,
) -> QueryResult<Option<ProgrammeRow>> {
    programmes::table
        .filter(programmes::key.eq(key))
        .filter(programmes::version.eq(version))
        .select(ProgrammeRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ProgrammeRow>> {
    let mut query = programmes::table
        .select(ProgrammeRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(programmes::id.gt(after.to_string()));
    }
    query.order(programmes::id.asc()).limit(limit).load(conn)
}

/// The programme versions the cases of organisation `organisation_id` are on.
pub fn used_by_organisation(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> QueryResult<Vec<ProgrammeRow>> {
    use super::schema::cases;
    programmes::table
        .filter(
            programmes::id.eq_any(
                cases::table
                    .filter(cases::organisation_id.eq(organisation_id))
                    .select(cases::programme_id),
            ),
        )
        .select(ProgrammeRow::as_select())
        .load(conn)
}

/// The shortest grace after a missed surveillance of any programme version, if there
/// is one: no case lapses sooner after its surveillance was due.
pub fn shortest_surveillance_grace(conn: &mut DbConnection) -> QueryResult<Option<i32>> {
    programmes::table
        .select(diesel::dsl::min(programmes::surveillance_grace_days))
        .get_result(conn)
}

/// Every programme version, for the in-memory rules cache.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<ProgrammeRow>> {
    programmes::table
        .select(ProgrammeRow::as_select())
        .load(conn)
}

/// A row for `rules`, as version `version` of `key`.
pub fn row_for(
    key: &str,
    name: &str,
    description: Option<&str>,
    version: i32,
    rules: &ProgrammeRules,
    now: NaiveDateTime,
) -> ProgrammeRow {
    let deadlines: BTreeMap<&str, u32> = rules
        .stage_deadline_days
        .iter()
        .map(|(stage, days)| (stage.as_str(), *days))
        .collect();
    ProgrammeRow {
        id: ids::new_id(),
        key: key.to_string(),
        name: name.to_string(),
        version,
        workshops_required: rules.workshops_required as i32,
        attendance_threshold_pct: rules.attendance_threshold_pct as i32,
        reflection_threshold_pct: rules.reflection_threshold_pct as i32,
        routine_areas: serde_json::to_string(&rules.routine_areas).unwrap_or_else(|_| "[]".into()),
        validity_months: rules.validity_months as i32,
        stage_deadline_days: serde_json::to_string(&deadlines).unwrap_or_else(|_| "{}".into()),
        created_at: now,
        path: Some(path_json(&rules.path)),
        description: description.map(str::to_string),
        finding_major_days: rules.finding_due_days.major as i32,
        finding_minor_days: rules.finding_due_days.minor as i32,
        finding_observation_days: rules.finding_due_days.observation as i32,
        surveillance_months: rules.surveillance_months as i32,
        surveillance_grace_days: rules.surveillance_grace_days as i32,
        decision_by: rules.decision_by.as_str().to_string(),
    }
}

fn path_json(path: &Path) -> String {
    serde_json::to_string(path.plans()).unwrap_or_else(|_| "[]".into())
}

/// Programme rows read into rules, by id: every command needs its programme's rules,
/// and reading the path's JSON again each time cost a tenth of the SQLite writer's
/// time (docs/benchmarks.md). An entry is used only while the row is unchanged.
static RULES: LazyLock<Mutex<HashMap<String, (ProgrammeRow, ProgrammeRules)>>> =
    LazyLock::new(Mutex::default);

/// The most programme versions [`RULES`] keeps; more empty it first.
const RULES_KEPT: usize = 256;

/// The rules stored in `row`.
pub fn rules_of(row: &ProgrammeRow) -> Result<ProgrammeRules, StoreError> {
    let mut kept = RULES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((seen, rules)) = kept.get(&row.id) {
        if seen == row {
            return Ok(rules.clone());
        }
    }
    let rules = read_rules(row)?;
    if kept.len() >= RULES_KEPT {
        kept.clear();
    }
    kept.insert(row.id.clone(), (row.clone(), rules.clone()));
    Ok(rules)
}

/// The rules stored in `row`, read from its columns.
fn read_rules(row: &ProgrammeRow) -> Result<ProgrammeRules, StoreError> {
    let routine_areas: Vec<String> = serde_json::from_str(&row.routine_areas)
        .map_err(|e| StoreError::Corrupt(format!("programme {} routine_areas: {e}", row.id)))?;
    let raw: BTreeMap<String, u32> = serde_json::from_str(&row.stage_deadline_days)
        .map_err(|e| StoreError::Corrupt(format!("programme {} deadlines: {e}", row.id)))?;
    let stage_deadline_days = raw
        .into_iter()
        .map(|(stage, days)| Ok((super::word::<Stage>(stage)?, days)))
        .collect::<Result<_, StoreError>>()?;
    let mut rules = ProgrammeRules {
        workshops_required: row.workshops_required.max(0) as u32,
        attendance_threshold_pct: row.attendance_threshold_pct.max(0) as u32,
        reflection_threshold_pct: row.reflection_threshold_pct.max(0) as u32,
        routine_areas,
        validity_months: row.validity_months.max(0) as u32,
        stage_deadline_days,
        path: Path::from_flat(0, 0, 0, &[], |_| 0),
        finding_due_days: FindingDueDays {
            major: row.finding_major_days.max(0) as u32,
            minor: row.finding_minor_days.max(0) as u32,
            observation: row.finding_observation_days.max(0) as u32,
        },
        surveillance_months: row.surveillance_months.max(0) as u32,
        surveillance_grace_days: row.surveillance_grace_days.max(0) as u32,
        // An unknown word (never written) reads as the default, the auditor's decision.
        decision_by: crate::domain::DecisionBy::parse(&row.decision_by).unwrap_or_default(),
    };
    rules.path = match &row.path {
        // A row from before paths: its flat fields are its path.
        None => rules.flat_path(),
        Some(text) => {
            let plans: Vec<StagePlan> = serde_json::from_str(text)
                .map_err(|e| StoreError::Corrupt(format!("programme {} path: {e}", row.id)))?;
            Path::from_plans(plans).map_err(|errors| {
                let fields: Vec<String> = errors.into_iter().map(|e| e.field).collect();
                StoreError::Corrupt(format!("programme {} path: {}", row.id, fields.join(", ")))
            })?
        }
    };
    Ok(rules)
}

/// Writes the path of every programme stored before paths existed, from its flat
/// fields, so that each version keeps the path it had even if the flat path changes.
pub fn write_missing_paths(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let rows: Vec<ProgrammeRow> = programmes::table
        .filter(programmes::path.is_null())
        .select(ProgrammeRow::as_select())
        .load(conn)?;
    let mut written = 0;
    for row in rows {
        let rules = rules_of(&row)?;
        written += diesel::update(
            programmes::table
                .find(&row.id)
                .filter(programmes::path.is_null()),
        )
        .set(programmes::path.eq(Some(path_json(&rules.path))))
        .execute(conn)?;
    }
    Ok(written)
}

/// Creates `inclusion-standard` version 1 when the deployment has no version of it.
pub fn ensure_default(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<()> {
    if latest_by_key(conn, DEFAULT_PROGRAMME_KEY)?.is_some() {
        return Ok(());
    }
    let row = row_for(
        DEFAULT_PROGRAMME_KEY,
        "Inkluderingscertifiering – standard",
        None,
        1,
        &ProgrammeRules::inclusion_standard(),
        now,
    );
    match conn.transaction(|c| insert(c, &row)) {
        // Another instance created it first.
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_kept_for_a_programme_follow_its_row_when_the_row_changes() {
        let rules = ProgrammeRules::inclusion_standard();
        let mut row = row_for("k", "K", None, 1, &rules, NaiveDateTime::default());
        assert_eq!(rules_of(&row).unwrap(), rules);
        // The same id with other columns (a draft edited) reads the new columns.
        row.workshops_required = 7;
        row.routine_areas = r#"["a"]"#.into();
        let changed = rules_of(&row).unwrap();
        assert_eq!(changed.workshops_required, 7);
        assert_eq!(changed.routine_areas, vec!["a".to_string()]);
        assert_eq!(rules_of(&row).unwrap(), changed);
    }
}
