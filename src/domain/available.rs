//! Which actions a case offers a person now: what the policy allows them on it and
//! what `decide` would admit where it stands ([`admits`], the checks `decide` runs
//! first, so the offer and the decision cannot drift apart).

use super::actions::{admits, CaseAction};
use super::path::Path;
use super::policy::{case_action, may, Target};
use super::state::CaseState;
use super::values::Actor;

/// What `actor` may do with the case now: the actions the policy allows them on it
/// and the rules admit where it stands. `place` says where the case sits (its
/// organisation and unit); who is assigned to it is read from `state`. An action
/// whose stage requirements are unmet is still offered: `decide` says what is missing.
pub fn available_actions(
    state: &CaseState,
    path: &Path,
    actor: &Actor,
    place: &Target<'_>,
) -> Vec<CaseAction> {
    let target = Target {
        consultant_id: state.consultant_id.as_deref(),
        auditor_id: state.auditor_id.as_deref(),
        ..*place
    };
    CaseAction::OFFERED
        .into_iter()
        .filter(|action| {
            may(actor, case_action(*action), &target) && admits(state, path, actor, *action).is_ok()
        })
        .collect()
}
