//! Who may do what: every request is authorised here and nowhere else.
//!
//! Two questions, in this order: may the actor see the target at all (if not, the
//! answer is 404, as if it did not exist), and may their role take the action (if not,
//! 403). Staff see the whole deployment; a coordinator sees one organisation; a unit
//! contact sees one unit, its cases and its organisation's name.

use super::actions::CaseAction;
use super::command::Command;
use super::values::{Actor, Role};

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    CreateUser,
    ListUsers,
    CreateOrganisation,
    /// Renaming an organisation or correcting its number (admin).
    UpdateOrganisation,
    CreateUnit,
    UpdateUnit,
    CreateProgramme,
    Enrol,
    ManageSessions,
    RecordProgress,
    AddEvidence,
    ResolveFinding,
    /// advance, request_audit, pause, resume, withdraw, renew
    Steer,
    /// approve, return
    SignOff,
    /// suspend, reinstate, revoke
    Sanction,
    ReadReports,
    ManageMail,
    /// Register, list, delete webhook endpoints and retry their deliveries (admin).
    ManageWebhooks,
    /// The admin's pages: the start page of the deployment's administration.
    Administer,
    /// Appealing a return or suspension: the unit's contacts and its consultant.
    Appeal,
    /// Deciding an appeal or complaint: an admin who is neither the case's
    /// consultant nor its auditor (any admin for a complaint about the body).
    Adjudicate,
    /// Filing a complaint: anyone, signed in or not.
    Complain,
    /// Asking for a workshop: a unit's contact for their unit, a coordinator for
    /// their organisation or one of its units.
    RequestWorkshop,
    /// Accepting or declining workshop requests (admin, consultant).
    DecideWorkshopRequest,
    /// Creating cohorts and adding organisations to them (admin, consultant).
    ManageCohorts,
    /// Creating open events, reading their registrants, recording attendance and
    /// cancelling anyone's registration (admins and consultants).
    ManageEvents,
    /// Creating an organisation's action plan: admin and consultants.
    CreatePlan,
    /// Adding, changing and following up any action of a plan: admin, consultants and
    /// the organisation's coordinators.
    ManagePlan,
    /// Changing and following up one action: those who manage the plan, and the
    /// action's responsible person.
    UpdatePlanAction,
    /// Changing, deactivating or erasing another person's account (admin).
    ManageUsers,
    /// Exporting a person's personal data: an admin, or the person themselves
    /// (`authorize_on_user`).
    ExportPersonalData,
    /// Reading the access audit log (admin).
    ReadAuditLog,
}

impl Action {
    /// Every action, for tables that must cover them all.
    pub const ALL: [Action; 33] = [
        Action::Read,
        Action::CreateUser,
        Action::ListUsers,
        Action::CreateOrganisation,
        Action::UpdateOrganisation,
        Action::CreateUnit,
        Action::UpdateUnit,
        Action::CreateProgramme,
        Action::Enrol,
        Action::ManageSessions,
        Action::RecordProgress,
        Action::AddEvidence,
        Action::ResolveFinding,
        Action::Steer,
        Action::SignOff,
        Action::Sanction,
        Action::ReadReports,
        Action::ManageMail,
        Action::ManageWebhooks,
        Action::Administer,
        Action::Appeal,
        Action::Adjudicate,
        Action::Complain,
        Action::RequestWorkshop,
        Action::DecideWorkshopRequest,
        Action::ManageCohorts,
        Action::ManageEvents,
        Action::CreatePlan,
        Action::ManagePlan,
        Action::UpdatePlanAction,
        Action::ManageUsers,
        Action::ExportPersonalData,
        Action::ReadAuditLog,
    ];
}

/// The policy action a command needs.
pub fn action_of(command: &Command) -> Action {
    case_action(CaseAction::of(command))
}

/// The policy action each case action needs; every one is named, so a new one cannot
/// slip through under another's permission.
pub fn case_action(action: CaseAction) -> Action {
    match action {
        CaseAction::Enrol => Action::Enrol,
        CaseAction::ScheduleSession
        | CaseAction::ChangeSession
        | CaseAction::DocumentSession
        | CaseAction::CancelSession => Action::ManageSessions,
        CaseAction::RecordAttendance | CaseAction::RecordMeasure => Action::RecordProgress,
        // Moving cases between versions is part of keeping programmes (admin).
        CaseAction::MigrateProgramme => Action::CreateProgramme,
        CaseAction::AddEvidence => Action::AddEvidence,
        CaseAction::ResolveFinding => Action::ResolveFinding,
        CaseAction::Expire => Action::Sanction,
        CaseAction::Advance
        | CaseAction::RequestAudit
        | CaseAction::Pause
        | CaseAction::Resume
        | CaseAction::Withdraw
        | CaseAction::Renew => Action::Steer,
        CaseAction::Approve | CaseAction::Return | CaseAction::RecordSurveillance => {
            Action::SignOff
        }
        CaseAction::LapseSurveillance => Action::Sanction,
        CaseAction::Suspend | CaseAction::Reinstate | CaseAction::Revoke => Action::Sanction,
        CaseAction::FileAppeal => Action::Appeal,
        // The certification decision is judged by the same independence rule.
        CaseAction::DecideAppeal | CaseAction::DecideComplaint | CaseAction::Decide => {
            Action::Adjudicate
        }
        CaseAction::ReceiveComplaint => Action::Complain,
    }
}

/// Where the target sits in the tenancy, and who is assigned to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target<'a> {
    pub organisation_id: Option<&'a str>,
    pub unit_id: Option<&'a str>,
    pub consultant_id: Option<&'a str>,
    pub auditor_id: Option<&'a str>,
    /// The person responsible for an action of a plan.
    pub responsible_id: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// The deployment as a whole: users, programmes, new organisations.
    pub const DEPLOYMENT: Target<'static> = Target {
        organisation_id: None,
        unit_id: None,
        consultant_id: None,
        auditor_id: None,
        responsible_id: None,
    };
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("not found")]
    NotFound,
    #[error("your role may not do this")]
    Forbidden,
}

/// Which rows of the tenancy an actor reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    Everything,
    Organisation(String),
    Unit {
        organisation_id: String,
        unit_id: String,
    },
    Nothing,
}

/// The slice of the deployment `actor` may read.
pub fn visibility(actor: &Actor) -> Visibility {
    match (actor.role, &actor.organisation_id, &actor.unit_id) {
        (role, _, _) if role.is_staff() => Visibility::Everything,
        (Role::Coordinator, Some(org), _) => Visibility::Organisation(org.clone()),
        (Role::UnitContact, Some(org), Some(unit)) => Visibility::Unit {
            organisation_id: org.clone(),
            unit_id: unit.clone(),
        },
        _ => Visibility::Nothing,
    }
}

fn can_see(actor: &Actor, target: &Target<'_>) -> bool {
    match visibility(actor) {
        Visibility::Everything => true,
        Visibility::Organisation(org) => target.organisation_id == Some(org.as_str()),
        Visibility::Unit {
            organisation_id,
            unit_id,
        } => match target.unit_id {
            Some(unit) => unit == unit_id,
            // The organisation itself, read by its unit's contact.
            None => target.organisation_id == Some(organisation_id.as_str()),
        },
        Visibility::Nothing => false,
    }
}

/// Decides whether `actor` may take `action` on `target`.
pub fn authorize(actor: &Actor, action: Action, target: &Target<'_>) -> Result<(), Denied> {
    let is_tenant_scoped = target.organisation_id.is_some() || target.unit_id.is_some();
    if is_tenant_scoped && !can_see(actor, target) {
        return Err(Denied::NotFound);
    }
    let its_consultant =
        actor.role == Role::Consultant && target.consultant_id == Some(actor.id.as_str());
    let its_auditor = actor.role == Role::Auditor && target.auditor_id == Some(actor.id.as_str());
    let admin = actor.role == Role::Admin;
    // Independence goes by the person, whatever their role is now: an admin who
    // runs or audits the case does not judge complaints about it.
    let involved = target.consultant_id == Some(actor.id.as_str())
        || target.auditor_id == Some(actor.id.as_str());
    // A coordinator sees their own organisation only, so this is its coordinators.
    let manages_plans = admin || matches!(actor.role, Role::Consultant | Role::Coordinator);
    let allowed = match action {
        Action::Read => true,
        Action::CreateUser
        | Action::ListUsers
        | Action::CreateOrganisation
        | Action::UpdateOrganisation
        | Action::CreateProgramme
        | Action::Sanction
        | Action::ManageMail
        | Action::ManageWebhooks
        | Action::Administer => admin,
        Action::CreateUnit
        | Action::UpdateUnit
        | Action::Enrol
        | Action::DecideWorkshopRequest
        | Action::ManageCohorts
        | Action::ManageEvents => admin || actor.role == Role::Consultant,
        Action::RequestWorkshop => match actor.role {
            Role::Coordinator => target.organisation_id.is_some(),
            Role::UnitContact => target.unit_id.is_some(),
            _ => false,
        },
        Action::ManageUsers | Action::ExportPersonalData | Action::ReadAuditLog => admin,
        Action::ManageSessions
        | Action::RecordProgress
        | Action::ResolveFinding
        | Action::Steer => admin || its_consultant,
        Action::AddEvidence => admin || its_consultant || actor.role == Role::UnitContact,
        Action::SignOff => its_auditor,
        Action::Appeal => {
            its_consultant || (actor.role == Role::UnitContact && target.unit_id.is_some())
        }
        Action::Adjudicate => admin && !involved,
        Action::Complain => true,
        Action::CreatePlan => admin || actor.role == Role::Consultant,
        Action::ManagePlan => manages_plans,
        Action::UpdatePlanAction => {
            manages_plans || target.responsible_id == Some(actor.id.as_str())
        }
        Action::ReadReports => {
            admin || actor.role == Role::Consultant || actor.role == Role::Coordinator
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// Where a person's account sits in the tenancy: a coordinator's organisation, a
/// unit contact's unit; staff accounts belong to the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person<'a> {
    pub id: &'a str,
    pub organisation_id: Option<&'a str>,
    pub unit_id: Option<&'a str>,
}

/// Decides whether `actor` may take `action` on `person`'s account: as `authorize`
/// on where the account sits, except that everyone may export their own data.
pub fn authorize_on_user(actor: &Actor, action: Action, person: &Person<'_>) -> Result<(), Denied> {
    if action == Action::ExportPersonalData && actor.id == person.id {
        return Ok(());
    }
    let target = Target {
        organisation_id: person.organisation_id,
        unit_id: person.unit_id,
        ..Target::DEPLOYMENT
    };
    authorize(actor, action, &target)
}

/// True when `actor` sees `target` and may take `action` on it: what a page asks
/// before it shows a form, a button or a link.
pub fn may(actor: &Actor, action: Action, target: &Target<'_>) -> bool {
    authorize(actor, action, target).is_ok()
}

/// Whose cases a person's own case list shows: a consultant's, the cases they run;
/// `None` for everyone else (whatever they may see).
pub fn own_cases(actor: &Actor) -> Option<&str> {
    (actor.role == Role::Consultant).then_some(actor.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, id: &str) -> Actor {
        Actor {
            id: id.into(),
            role,
            organisation_id: matches!(role, Role::Coordinator | Role::UnitContact)
                .then(|| "org-a".into()),
            unit_id: (role == Role::UnitContact).then(|| "unit-a".into()),
        }
    }

    const CASE_A: Target<'static> = Target {
        organisation_id: Some("org-a"),
        unit_id: Some("unit-a"),
        consultant_id: Some("cons"),
        auditor_id: Some("aud"),
        responsible_id: None,
    };
    const CASE_B: Target<'static> = Target {
        organisation_id: Some("org-b"),
        unit_id: Some("unit-b"),
        consultant_id: Some("cons"),
        auditor_id: Some("aud"),
        responsible_id: None,
    };

    /// The actors of the tables, in the order of their columns.
    fn actors() -> [(&'static str, Actor); 7] {
        [
            ("admin", actor(Role::Admin, "adm")),
            ("its consultant", actor(Role::Consultant, "cons")),
            ("other consultant", actor(Role::Consultant, "cons2")),
            ("its auditor", actor(Role::Auditor, "aud")),
            ("other auditor", actor(Role::Auditor, "aud2")),
            ("coordinator", actor(Role::Coordinator, "coord")),
            ("unit contact", actor(Role::UnitContact, "uc")),
        ]
    }

    /// Who may take each action on a case of their tenancy (columns as in `actors`);
    /// a match, so a new action cannot go without its row.
    fn on_a_case(action: Action) -> [bool; 7] {
        use Action::*;
        const ADMIN: [bool; 7] = [true, false, false, false, false, false, false];
        const STAFF_WHO_ENROL: [bool; 7] = [true, true, true, false, false, false, false];
        const ITS_CONSULTANT: [bool; 7] = [true, true, false, false, false, false, false];
        match action {
            Read => [true; 7],
            CreateUser | ListUsers | CreateOrganisation | UpdateOrganisation | CreateProgramme
            | Sanction | ManageMail | ManageWebhooks | Administer => ADMIN,
            CreateUnit
            | UpdateUnit
            | Enrol
            | DecideWorkshopRequest
            | ManageCohorts
            | ManageEvents => STAFF_WHO_ENROL,
            RequestWorkshop => [false, false, false, false, false, true, true],
            ManageUsers | ExportPersonalData | ReadAuditLog => ADMIN,
            ManageSessions | RecordProgress | ResolveFinding | Steer => ITS_CONSULTANT,
            AddEvidence => [true, true, false, false, false, false, true],
            SignOff => [false, false, false, true, false, false, false],
            Appeal => [false, true, false, false, false, false, true],
            Adjudicate => ADMIN,
            Complain => [true; 7],
            CreatePlan => STAFF_WHO_ENROL,
            ManagePlan | UpdatePlanAction => [true, true, true, false, false, true, false],
            ReadReports => [true, true, true, false, false, true, false],
        }
    }

    #[test]
    fn every_role_against_every_action_on_a_case() {
        for action in Action::ALL {
            for ((name, who), allowed) in actors().iter().zip(on_a_case(action)) {
                let outcome = authorize(who, action, &CASE_A);
                assert_eq!(outcome.is_ok(), allowed, "{name} {action:?}: {outcome:?}");
                assert_eq!(may(who, action, &CASE_A), allowed, "{name} {action:?}");
                if !allowed {
                    assert_eq!(outcome, Err(Denied::Forbidden), "{name} {action:?}");
                }
            }
        }
    }

    #[test]
    fn every_role_against_every_action_on_the_deployment() {
        for action in Action::ALL {
            let expected = match action {
                // Nobody is assigned to the deployment as a whole.
                Action::ManageSessions
                | Action::RecordProgress
                | Action::ResolveFinding
                | Action::Steer => [true, false, false, false, false, false, false],
                Action::AddEvidence => [true, false, false, false, false, false, true],
                Action::SignOff | Action::Appeal | Action::RequestWorkshop => [false; 7],
                other => on_a_case(other),
            };
            for ((name, who), allowed) in actors().iter().zip(expected) {
                assert_eq!(
                    may(who, action, &Target::DEPLOYMENT),
                    allowed,
                    "{name} {action:?}"
                );
            }
        }
    }

    #[test]
    fn action_all_names_every_action_once() {
        let mut seen = Vec::new();
        for action in Action::ALL {
            assert!(!seen.contains(&action), "{action:?} twice");
            seen.push(action);
        }
    }

    #[test]
    fn another_tenants_case_is_never_offered() {
        for role in [Role::Coordinator, Role::UnitContact] {
            for action in Action::ALL {
                assert!(
                    !may(&actor(role, "x"), action, &CASE_B),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn a_consultants_own_case_list_is_theirs_and_nobody_elses_is_narrowed() {
        for role in Role::ALL {
            let who = actor(role, "x");
            let expected = (role == Role::Consultant).then_some("x");
            assert_eq!(own_cases(&who), expected, "{role:?}");
        }
    }

    #[test]
    fn another_tenants_case_is_not_found_for_coordinators_and_contacts() {
        for role in [Role::Coordinator, Role::UnitContact] {
            for action in [Action::Read, Action::AddEvidence, Action::Steer] {
                assert_eq!(
                    authorize(&actor(role, "x"), action, &CASE_B),
                    Err(Denied::NotFound)
                );
            }
        }
        assert_eq!(
            authorize(&actor(Role::Auditor, "aud"), Action::Read, &CASE_B),
            Ok(())
        );
    }

    #[test]
    fn a_unit_contact_does_not_see_another_unit_of_the_same_organisation() {
        let sibling = Target {
            unit_id: Some("unit-a2"),
            ..CASE_A
        };
        assert_eq!(
            authorize(&actor(Role::UnitContact, "uc"), Action::Read, &sibling),
            Err(Denied::NotFound)
        );
        assert_eq!(
            authorize(&actor(Role::Coordinator, "co"), Action::Read, &sibling),
            Ok(())
        );
    }

    #[test]
    fn an_admin_who_runs_or_audits_the_case_does_not_adjudicate_it() {
        for (consultant, auditor) in [(Some("adm"), Some("aud")), (Some("cons"), Some("adm"))] {
            let case = Target {
                consultant_id: consultant,
                auditor_id: auditor,
                ..CASE_A
            };
            assert_eq!(
                authorize(&actor(Role::Admin, "adm"), Action::Adjudicate, &case),
                Err(Denied::Forbidden)
            );
            assert!(may(&actor(Role::Admin, "adm2"), Action::Adjudicate, &case));
        }
    }

    #[test]
    fn a_unit_contact_asks_for_workshops_for_their_unit_and_a_coordinator_for_the_organisation() {
        let organisation = Target {
            organisation_id: Some("org-a"),
            ..Target::DEPLOYMENT
        };
        assert!(may(
            &actor(Role::Coordinator, "co"),
            Action::RequestWorkshop,
            &organisation
        ));
        assert_eq!(
            authorize(
                &actor(Role::UnitContact, "uc"),
                Action::RequestWorkshop,
                &organisation
            ),
            Err(Denied::Forbidden)
        );
        let other = Target {
            organisation_id: Some("org-b"),
            ..Target::DEPLOYMENT
        };
        assert_eq!(
            authorize(
                &actor(Role::Coordinator, "co"),
                Action::RequestWorkshop,
                &other
            ),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn an_actions_responsible_person_updates_it_whatever_their_role() {
        let action = Target {
            responsible_id: Some("uc"),
            ..CASE_A
        };
        let contact = actor(Role::UnitContact, "uc");
        assert_eq!(
            authorize(&contact, Action::UpdatePlanAction, &action),
            Ok(())
        );
        assert_eq!(
            authorize(&contact, Action::ManagePlan, &action),
            Err(Denied::Forbidden)
        );
        let other_contact = actor(Role::UnitContact, "uc2");
        assert_eq!(
            authorize(&other_contact, Action::UpdatePlanAction, &action),
            Err(Denied::Forbidden)
        );
        let elsewhere = Target {
            responsible_id: Some("x"),
            ..CASE_B
        };
        assert_eq!(
            authorize(
                &actor(Role::Coordinator, "x"),
                Action::UpdatePlanAction,
                &elsewhere
            ),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn a_person_exports_their_own_data_and_nobody_elses_and_changes_nobody() {
        let me = actor(Role::UnitContact, "uc");
        let mine = Person {
            id: "uc",
            organisation_id: Some("org-a"),
            unit_id: Some("unit-a"),
        };
        let colleague = Person { id: "uc2", ..mine };
        assert_eq!(
            authorize_on_user(&me, Action::ExportPersonalData, &mine),
            Ok(())
        );
        assert_eq!(
            authorize_on_user(&me, Action::ExportPersonalData, &colleague),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            authorize_on_user(&me, Action::ManageUsers, &mine),
            Err(Denied::Forbidden)
        );
        let elsewhere = Person {
            id: "uc3",
            organisation_id: Some("org-b"),
            unit_id: Some("unit-b"),
        };
        let coordinator = actor(Role::Coordinator, "coord");
        assert_eq!(
            authorize_on_user(&coordinator, Action::ManageUsers, &elsewhere),
            Err(Denied::NotFound)
        );
        let admin = actor(Role::Admin, "adm");
        for action in [Action::ManageUsers, Action::ExportPersonalData] {
            assert_eq!(authorize_on_user(&admin, action, &elsewhere), Ok(()));
        }
    }

    #[test]
    fn deployment_actions_are_the_admins() {
        for role in Role::ALL {
            let outcome = authorize(&actor(role, "x"), Action::CreateUser, &Target::DEPLOYMENT);
            assert_eq!(outcome.is_ok(), role == Role::Admin);
        }
    }
}
