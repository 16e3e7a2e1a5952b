//! Certificate rules: numbering, validity periods and what verification answers.

use chrono::{Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

/// What verification says about a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    Suspended,
    Expired,
    Revoked,
}

impl CertificateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Suspended => "suspended",
            CertificateStatus::Expired => "expired",
            CertificateStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<CertificateStatus> {
        match s {
            "valid" => Some(CertificateStatus::Valid),
            "suspended" => Some(CertificateStatus::Suspended),
            "expired" => Some(CertificateStatus::Expired),
            "revoked" => Some(CertificateStatus::Revoked),
            _ => None,
        }
    }

    /// The status as of `today`: a certificate past its last valid day is expired even
    /// before the periodic job has recorded it; revocation is final whatever the date.
    pub fn as_of(self, valid_until: NaiveDate, today: NaiveDate) -> CertificateStatus {
        match self {
            CertificateStatus::Valid | CertificateStatus::Suspended if today > valid_until => {
                CertificateStatus::Expired
            }
            other => other,
        }
    }
}

/// The day the status `as_of` shows began: the day the store recorded it, or, for a
/// certificate that ran out before the expiry job recorded it, the day after its last
/// valid day; a certificate never changed has had its status since it was issued.
pub fn status_since(
    stored: CertificateStatus,
    shown: CertificateStatus,
    valid_until: NaiveDate,
    changed_on: Option<NaiveDate>,
    issued_on: NaiveDate,
) -> NaiveDate {
    if shown != stored {
        return valid_until.succ_opt().unwrap_or(valid_until);
    }
    changed_on.unwrap_or(issued_on)
}

/// What a Bitstring Status List (W3C) says of a credential: every certificate has one
/// entry in a list of each purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPurpose {
    Revocation,
    Suspension,
}

impl StatusPurpose {
    pub const ALL: [StatusPurpose; 2] = [StatusPurpose::Revocation, StatusPurpose::Suspension];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusPurpose::Revocation => "revocation",
            StatusPurpose::Suspension => "suspension",
        }
    }

    pub fn parse(s: &str) -> Option<StatusPurpose> {
        StatusPurpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Whether a certificate with the stored `status` has its bit set in this list:
    /// revocation is final, so its bit stays; suspension's bit is cleared again by
    /// reinstatement (or by expiry, which the credential's own `validUntil` tells).
    pub fn bit_set(self, status: CertificateStatus) -> bool {
        match self {
            StatusPurpose::Revocation => status == CertificateStatus::Revoked,
            StatusPurpose::Suspension => status == CertificateStatus::Suspended,
        }
    }
}

/// What an event means for the case's certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateEffect {
    /// A new certificate is issued (the case was approved).
    Issue,
    /// The current certificate takes this status.
    SetStatus(CertificateStatus),
}

/// The certificate effect of each kind of change; `None` for changes that leave
/// certificates as they are.
pub fn effect_of(change: &crate::domain::event::Change) -> Option<CertificateEffect> {
    use crate::domain::event::Change;
    match change {
        Change::Approved { .. } => Some(CertificateEffect::Issue),
        Change::Suspended | Change::SurveillanceLapsed => {
            Some(CertificateEffect::SetStatus(CertificateStatus::Suspended))
        }
        Change::Reinstated => Some(CertificateEffect::SetStatus(CertificateStatus::Valid)),
        Change::Revoked => Some(CertificateEffect::SetStatus(CertificateStatus::Revoked)),
        Change::Expired => Some(CertificateEffect::SetStatus(CertificateStatus::Expired)),
        _ => None,
    }
}

/// The certificate number: `STV-2026-000042`, and `STV-2026-000042-R1` for a reissue.
pub fn number(year: i32, sequence: i32, revision: i32) -> String {
    if revision > 0 {
        format!("STV-{year}-{sequence:06}-R{revision}")
    } else {
        format!("STV-{year}-{sequence:06}")
    }
}

/// The period a new certificate is valid: from the approval day for `months`; a
/// renewal approved while the previous certificate still runs continues from the
/// previous expiry date (as ISO/IEC 17021-1 certification cycles do).
pub fn validity(
    approved_on: NaiveDate,
    previous_until: Option<NaiveDate>,
    months: u32,
) -> (NaiveDate, NaiveDate) {
    let start_of_period = match previous_until {
        Some(until) if until >= approved_on => until,
        _ => approved_on,
    };
    let until = start_of_period
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    // The period ends the day before the same date `months` later.
    let until = if start_of_period == approved_on {
        until.pred_opt().unwrap_or(until)
    } else {
        until
    };
    (approved_on, until)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_first_certificate_runs_for_the_programmes_months() {
        assert_eq!(
            validity(day(2026, 5, 1), None, 36),
            (day(2026, 5, 1), day(2029, 4, 30))
        );
    }

    #[test]
    fn a_renewal_before_expiry_runs_on_from_the_old_expiry_date() {
        let (from, until) = validity(day(2029, 2, 10), Some(day(2029, 4, 30)), 36);
        assert_eq!(from, day(2029, 2, 10));
        assert_eq!(until, day(2032, 4, 30));
    }

    #[test]
    fn a_renewal_after_expiry_starts_afresh() {
        assert_eq!(
            validity(day(2029, 6, 1), Some(day(2029, 4, 30)), 36).1,
            day(2032, 5, 31)
        );
    }

    #[test]
    fn numbers_are_zero_padded_with_a_revision_suffix() {
        assert_eq!(number(2026, 42, 0), "STV-2026-000042");
        assert_eq!(number(2026, 42, 2), "STV-2026-000042-R2");
    }

    #[test]
    fn a_valid_certificate_past_its_last_day_reads_as_expired_but_revoked_stays_revoked() {
        let until = day(2029, 4, 30);
        assert_eq!(
            CertificateStatus::Valid.as_of(until, day(2029, 4, 30)),
            CertificateStatus::Valid
        );
        assert_eq!(
            CertificateStatus::Valid.as_of(until, day(2029, 5, 1)),
            CertificateStatus::Expired
        );
        assert_eq!(
            CertificateStatus::Revoked.as_of(until, day(2030, 1, 1)),
            CertificateStatus::Revoked
        );
    }

    #[test]
    fn status_since_is_the_recorded_change_or_the_issue_day_or_the_day_after_expiry() {
        use CertificateStatus::*;
        let (until, issued) = (day(2029, 4, 30), day(2026, 5, 1));
        assert_eq!(status_since(Valid, Valid, until, None, issued), issued);
        let changed = Some(day(2027, 1, 3));
        assert_eq!(
            status_since(Suspended, Suspended, until, changed, issued),
            day(2027, 1, 3)
        );
        assert_eq!(
            status_since(Suspended, Expired, until, changed, issued),
            day(2029, 5, 1)
        );
    }

    #[test]
    fn revocation_bits_stay_set_and_suspension_bits_follow_the_status() {
        use CertificateStatus::*;
        let revocation = StatusPurpose::Revocation;
        let suspension = StatusPurpose::Suspension;
        assert!(revocation.bit_set(Revoked) && !revocation.bit_set(Suspended));
        assert!(suspension.bit_set(Suspended) && !suspension.bit_set(Valid));
        assert!(!suspension.bit_set(Expired) && !suspension.bit_set(Revoked));
        assert_eq!(StatusPurpose::parse("suspension"), Some(suspension));
        assert_eq!(StatusPurpose::parse("refresh"), None);
    }
}
