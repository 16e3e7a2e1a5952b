//! The searchable lists of the pages other than the case lists (`case_list`): users,
//! units, dead mail, plans and events, each as far as the person may see, searched,
//! filtered, sorted and paged by the store.

use super::error::AppError;
use super::event_inputs::Event;
use super::mail::MailItem;
use super::open_events;
use super::plan_page::PlanSummary;
use super::plans::assemble;
use super::to_db;
use super::views::{Unit, User};
use super::AppState;
use crate::clock::stockholm;
use crate::domain::policy::{authorize, visibility, Action, Target, Visibility};
use crate::domain::{Actor, SessionKind, Stage};
pub use crate::store::event_list::EventSort;
use crate::store::event_list::{self, EventListFilter};
pub use crate::store::listing::Order;
use crate::store::listing::Page;
use crate::store::mail_list;
pub use crate::store::mail_list::{MailListFilter, MailSort};
use crate::store::plan_list::{self, PlanListFilter, PlanScope};
pub use crate::store::plan_list::{Period, PlanSort};
pub use crate::store::unit_list::UnitSort;
use crate::store::unit_list::{self, UnitListFilter};
use crate::store::user_list;
pub use crate::store::user_list::{UserListFilter, UserSort};

/// How many rows a page of a list shows.
pub const PER_PAGE: i64 = 20;

/// One page of a list.
pub struct Listed<T> {
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: i64,
    /// The page shown (the last when the one asked for was past the end).
    pub page: i64,
}

impl<T> Listed<T> {
    /// The store's page, each row made an item by `item`.
    fn of<R>(
        found: Page<R>,
        item: impl FnMut(R) -> Result<T, AppError>,
    ) -> Result<Listed<T>, AppError> {
        Ok(Listed {
            items: found.rows.into_iter().map(item).collect::<Result<_, _>>()?,
            total: found.total,
            page: found.window.page,
        })
    }

    /// (total, page shown, rows a page): what the pager counts with.
    pub fn counts(&self) -> (i64, i64, i64) {
        (self.total, self.page, PER_PAGE)
    }
}

/// A user of the list and the name of their organisation, if any.
pub struct ListedUser {
    pub user: User,
    pub organisation: Option<String>,
}

/// One page of the users `filter` matches, for an admin (`ListUsers`).
pub fn users(
    state: &AppState,
    actor: &Actor,
    filter: UserListFilter,
    order: Order<UserSort>,
) -> Result<Listed<ListedUser>, AppError> {
    authorize(actor, Action::ListUsers, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let found = user_list::page(&mut conn, &filter, order, PER_PAGE)?;
    Listed::of(found, |(row, organisation)| {
        Ok(ListedUser {
            user: User::from_row(&row),
            organisation,
        })
    })
}

/// A unit of the list, its organisation's name, and its live case (id and stage).
pub struct ListedUnit {
    pub unit: Unit,
    pub organisation: String,
    pub case: Option<(String, Stage)>,
}

/// One page of the units `actor` may see, searched in the unit's or the
/// organisation's name, optionally of one organisation.
pub fn units(
    state: &AppState,
    actor: &Actor,
    (search, organisation_id): (Option<String>, Option<String>),
    order: Order<UnitSort>,
) -> Result<Listed<ListedUnit>, AppError> {
    let filter = UnitListFilter {
        visibility: visibility(actor),
        search,
        organisation_id,
    };
    let mut conn = state.store.conn()?;
    let found = unit_list::page(&mut conn, &filter, order, PER_PAGE)?;
    Listed::of(found, |(row, organisation, case_id, stage)| {
        Ok(ListedUnit {
            unit: Unit::from(row),
            organisation,
            case: case_id.zip(stage.as_deref().and_then(Stage::parse)),
        })
    })
}

/// Every kind of mail, in the order docs list them: the dead mail list's filter.
pub const MAIL_KINDS: &[&str] = &crate::notify::payload::Details::KINDS;

/// One page of the dead mail `filter` matches, for an admin (`ManageMail`).
pub fn dead_mail(
    state: &AppState,
    actor: &Actor,
    filter: MailListFilter,
    order: Order<MailSort>,
) -> Result<Listed<MailItem>, AppError> {
    authorize(actor, Action::ManageMail, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let found = mail_list::page(&mut conn, &filter, order, PER_PAGE)?;
    Listed::of(found, MailItem::try_from)
}

/// What the plan list is asked for: words in the title, an organisation, a period.
pub type PlanAsked = (Option<String>, Option<String>, Option<Period>);

/// One page of the plans `actor` may see (staff every plan, a coordinator her
/// organisation's, a unit's contact those with an action of theirs), each with its
/// organisation's name.
pub fn plans(
    state: &AppState,
    actor: &Actor,
    (search, organisation_id, period): PlanAsked,
    order: Order<PlanSort>,
) -> Result<Listed<PlanSummary>, AppError> {
    let scope = match visibility(actor) {
        Visibility::Everything => PlanScope::Everything,
        Visibility::Organisation(org) => PlanScope::Organisation(org),
        Visibility::Unit {
            organisation_id, ..
        } => PlanScope::Person {
            user_id: actor.id.clone(),
            organisation_id,
        },
        Visibility::Nothing => PlanScope::Nothing,
    };
    let today = stockholm::today(state.now());
    let filter = PlanListFilter {
        scope,
        search,
        organisation_id,
        period,
        today,
    };
    let mut conn = state.store.conn()?;
    let found = plan_list::page(&mut conn, &filter, order, PER_PAGE)?;
    Listed::of(found, |(row, organisation)| {
        Ok(PlanSummary {
            plan: assemble(&mut conn, row, today)?,
            organisation,
        })
    })
}

/// What the event list is asked for: words in the title, a kind, ahead or over.
pub type EventAsked = (Option<String>, Option<SessionKind>, Option<bool>);

/// One page of the events `actor` sees (staff every event, members those open to
/// their organisation), each with its counts.
pub fn events(
    state: &AppState,
    actor: &Actor,
    (search, kind, ahead): EventAsked,
    order: Order<EventSort>,
) -> Result<Listed<Event>, AppError> {
    let now = state.now();
    let mut conn = state.store.conn()?;
    let filter = EventListFilter {
        only: open_events::visible_ids(&mut conn, actor)?,
        search,
        kind: kind.map(|k| k.as_str().to_string()),
        ahead,
        now: to_db(now),
    };
    let found = event_list::page(&mut conn, &filter, order, PER_PAGE)?;
    Listed::of(found, |row| open_events::view(&mut conn, &row, now))
}
