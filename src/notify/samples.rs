//! One example of every kind of mail, for tests, the benchmark and anyone who wants
//! to look at the templates (`Payload`s as the outbox stores them).

use super::payload::{Details, FindingLine, Organizer, Payload, SessionInfo};

fn session(cancelled: bool, sequence: u32) -> SessionInfo {
    SessionInfo {
        id: "01sample0session".into(),
        sequence,
        cancelled,
        kind_name: "Verkstad".into(),
        title: "Värderingsverkstad 2: <normer> & bemötande".into(),
        starts: "tisdag 10 mars 2026 kl. 10.00".into(),
        ends: "12.00".into(),
        starts_at: "2026-03-10T09:00:00+00:00".into(),
        ends_at: "2026-03-10T11:00:00+00:00".into(),
        location: Some("Storgatan 1, Järfälla".into()),
        stamp: "2026-03-02T09:00:00+00:00".into(),
        organizer: Some(Organizer {
            name: "Karin Lindqvist".into(),
            email: "karin.lindqvist@example.se".into(),
        }),
    }
}

fn findings() -> Vec<FindingLine> {
    vec![
        FindingLine {
            severity: "Större avvikelse".into(),
            area: Some("Arbetsplatsträffar (APT)".into()),
            text: "Frågan saknas som stående punkt på APT.".into(),
        },
        FindingLine {
            severity: "Iakttagelse".into(),
            area: None,
            text: "Bra uppföljning i SAM.".into(),
        },
    ]
}

/// The details of every kind, in `Details::KINDS` order.
pub fn details() -> Vec<Details> {
    vec![
        Details::Enrolled {
            stage_name: "Uppstart".into(),
            due_date: Some("1 april 2026".into()),
            consultant_name: Some("Karin Lind".into()),
        },
        Details::SessionScheduled {
            session: session(false, 0),
        },
        Details::SessionChanged {
            session: session(false, 1),
        },
        Details::SessionCancelled {
            session: session(true, 2),
        },
        Details::StageAdvanced {
            from_stage: "Uppstart".into(),
            to_stage: "Värderingsverkstäder".into(),
            due_date: None,
        },
        Details::AuditRequested {
            consultant_name: Some("Karin Lind".into()),
            due_date: Some("1 juni 2026".into()),
            comment: Some("APT-protokollen från våren ligger under Underlag.".into()),
        },
        Details::AuditReturned {
            round: 1,
            findings: findings(),
            due_date: Some("1 juli 2026".into()),
        },
        Details::Approved {
            findings: vec![],
            verify_url: None,
            number: Some("STV-2026-000001".into()),
            certificate_id: None,
        },
        Details::StatusChanged {
            event: "paused".into(),
            status_name: "Pausad".into(),
            comment: Some("Omorganisation under våren".into()),
        },
        Details::DeadlineApproaching {
            stage_name: "Värderingsverkstäder".into(),
            due_date: "9 mars 2026".into(),
            days_left: 7,
        },
        Details::DeadlineOverdue {
            stage_name: "Värderingsverkstäder".into(),
            due_date: "9 mars 2026".into(),
            days_overdue: 3,
        },
        Details::CertificateExpiring {
            valid_until: "1 maj 2029".into(),
            days_left: 90,
            number: None,
        },
        Details::SessionNotes {
            kind_name: "Handledning".into(),
            title: "Handledning 2: bemötande i mötet med brukare".into(),
            date: "12 mars 2026".into(),
            audience: Some("Chefer inom äldreomsorgen".into()),
            themes: vec!["Likvärdig service".into(), "Arbetsgivarens ansvar".into()],
            notes: "Gruppen gick igenom två situationer från verksamheten och enades om en gemensam rutin för hur frågor om familj ställs vid inskrivning.".into(),
        },
        Details::FindingDue {
            severity_name: "Mindre avvikelse".into(),
            text: "Ämnet finns på APT-dagordningen men protokollen saknar uppföljning.".into(),
            due_date: "1 maj 2026".into(),
            overdue: false,
        },
        Details::SurveillanceDue {
            due_date: "1 september 2026".into(),
            days_left: 30,
        },
        Details::AppealDecided {
            ground_name: "Återförvisning".into(),
            outcome_name: "Bifallen".into(),
            consequence: Some("Ärendet är tillbaka i granskning.".into()),
            comment: Some("Granskad på nytt".into()),
        },
        Details::ComplaintDecided {
            about_unit: true,
            outcome_name: "Noterat".into(),
            comment: None,
        },
        Details::WorkshopRequested {
            requester_name: "Maria Chef".into(),
            audience: "Lokalvårdarna <natt>".into(),
            wished_dates: vec!["12 mars 2026".into(), "19 mars 2026".into()],
            perspectives: vec!["Normer".into(), "Bemötande".into()],
            message: Some("Gärna på förmiddagen.".into()),
            request_url: "https://stegvis.example.se/workshop-requests/01sample".into(),
        },
        Details::WorkshopAccepted {
            audience: "Lokalvårdarna".into(),
            starts: "tisdag 10 mars 2026 kl. 10.00".into(),
            ends: "12.00".into(),
            location: Some("Storgatan 1".into()),
            as_event: false,
        },
        Details::WorkshopDeclined {
            audience: "Lokalvårdarna".into(),
            reason: "Inga lediga datum i vår.".into(),
        },
        Details::EventRegistration {
            notice: "confirmed".into(),
            headline: "Du är anmäld: Lärträff 1 <normer>".into(),
            lead: "Din plats är bekräftad.".into(),
            registrant_name: "Sara Öberg".into(),
            event: session(false, 0),
            calendar: true,
            cancel_url: "https://stegvis.example.se/events/01ev/cancel/01reg?token=abc".into(),
            cancel_label: "Avboka din plats".into(),
        },
        Details::ActionDue {
            plan_title: "Plan för lika möjligheter 2026".into(),
            action_title: "Nå de sista 20 procenten <alla förvaltningar>".into(),
            due_date: "30 april 2026".into(),
            overdue: false,
            copy: true,
            responsible_name: "Sara Lind".into(),
        },
        Details::PasswordReset {
            link: "https://stegvis.example.se/password-reset/0123abcd".into(),
            valid_minutes: 60,
        },
        Details::Welcome {
            link: "https://stegvis.example.se/password-reset/0123abcd".into(),
            valid_days: 7,
            role_name: "Konsult <extern>".into(),
        },
    ]
}

/// A payload of `details` in `lang`, to a named user or (with `None`) to an address.
pub fn payload(lang: &str, recipient_name: Option<&str>, details: Details) -> Payload {
    Payload {
        lang: lang.into(),
        recipient_name: recipient_name.map(String::from),
        unit_name: "Socialtjänsten Järfälla <enhet 1>".into(),
        organisation_name: "Järfälla kommun".into(),
        programme_name: "Inkluderingsstandarden".into(),
        case_id: "01samplecase".into(),
        public_url: "https://stegvis.example.se".into(),
        details,
    }
}
