//! The tables, as diesel sees them; the same on SQLite and PostgreSQL.

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        org_number -> Nullable<Text>,
        created_at -> Timestamp,
        public_registry -> Bool,
    }
}

diesel::table! {
    units (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        department -> Nullable<Text>,
        headcount -> Integer,
        contact_email -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        organisation_id -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        language -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        active -> Bool,
    }
}

diesel::table! {
    api_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_start -> Timestamp,
        last_failure_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    programmes (id) {
        id -> Text,
        key -> Text,
        name -> Text,
        version -> Integer,
        workshops_required -> Integer,
        attendance_threshold_pct -> Integer,
        reflection_threshold_pct -> Integer,
        routine_areas -> Text,
        validity_months -> Integer,
        stage_deadline_days -> Text,
        created_at -> Timestamp,
        path -> Nullable<Text>,
        description -> Nullable<Text>,
        finding_major_days -> Integer,
        finding_minor_days -> Integer,
        finding_observation_days -> Integer,
        surveillance_months -> Integer,
        surveillance_grace_days -> Integer,
        decision_by -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        unit_id -> Text,
        organisation_id -> Text,
        programme_id -> Text,
        stage -> Text,
        status -> Text,
        version -> BigInt,
        consultant_id -> Nullable<Text>,
        auditor_id -> Nullable<Text>,
        cycle -> Integer,
        stage_entered_at -> Timestamp,
        stage_due_at -> Nullable<Timestamp>,
        paused_at -> Nullable<Timestamp>,
        reflections_completed -> Integer,
        audit_round -> Integer,
        last_hash -> Text,
        live_key -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        trained_completed -> Integer,
        next_surveillance_due -> Nullable<Timestamp>,
        suspended_for_surveillance -> Bool,
        appealable_since -> Nullable<Timestamp>,
        open_appeal_id -> Nullable<Text>,
        recommended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_events (case_id, seq) {
        case_id -> Text,
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        kind -> Text,
        from_stage -> Nullable<Text>,
        to_stage -> Nullable<Text>,
        comment -> Nullable<Text>,
        data -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        case_id -> Text,
        cycle -> Integer,
        kind -> Text,
        title -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        location -> Nullable<Text>,
        attended -> Nullable<Integer>,
        cancelled -> Bool,
        sequence -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        audience -> Nullable<Text>,
        themes -> Text,
        notes -> Nullable<Text>,
        documented_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    evidence (id) {
        id -> Text,
        case_id -> Text,
        cycle -> Integer,
        area -> Text,
        description -> Text,
        link -> Nullable<Text>,
        added_by -> Text,
        added_at -> Timestamp,
        file_sha256 -> Nullable<Text>,
        file_size -> Nullable<BigInt>,
        file_media_type -> Nullable<Text>,
        file_name -> Nullable<Text>,
    }
}

diesel::table! {
    findings (id) {
        id -> Text,
        case_id -> Text,
        cycle -> Integer,
        round -> Integer,
        severity -> Text,
        area -> Nullable<Text>,
        text -> Text,
        resolution -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<Text>,
        created_at -> Timestamp,
        due_on -> Nullable<Date>,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        etag -> Nullable<Text>,
        location -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        case_id -> Nullable<Text>,
        recipient -> Text,
        language -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        message_id -> Text,
        subject -> Text,
        claimed_by -> Nullable<Text>,
    }
}

diesel::table! {
    reminders_sent (key) {
        key -> Text,
        case_id -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(units -> organisations (organisation_id));
diesel::joinable!(cases -> units (unit_id));
diesel::joinable!(cases -> programmes (programme_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(sessions -> cases (case_id));
diesel::joinable!(evidence -> cases (case_id));
diesel::joinable!(findings -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    units,
    users,
    api_tokens,
    login_throttle,
    programmes,
    cases,
    case_events,
    sessions,
    evidence,
    findings,
    idempotency_keys,
    outbox,
    certificates,
    certificate_numbers,
    status_lists,
    reminders_sent,
    job_leases,
    webhook_endpoints,
    webhook_deliveries,
);

diesel::table! {
    certificates (id) {
        id -> Text,
        case_id -> Text,
        cycle -> Integer,
        number -> Text,
        revision -> Integer,
        verification_code -> Text,
        status -> Text,
        issued_at -> Timestamp,
        valid_from -> Date,
        valid_until -> Date,
        first_certified_on -> Date,
        auditor_id -> Nullable<Text>,
        unit_id -> Text,
        unit_name -> Text,
        organisation_name -> Text,
        programme_id -> Text,
        programme_key -> Text,
        programme_name -> Text,
        programme_version -> Integer,
        issuer -> Text,
        pdf -> Binary,
        pdf_sha256 -> Text,
        credential -> Text,
        status_changed_at -> Nullable<Timestamp>,
        status_reason -> Nullable<Text>,
        revocation_list -> Nullable<Text>,
        revocation_index -> Nullable<Integer>,
        suspension_list -> Nullable<Text>,
        suspension_index -> Nullable<Integer>,
    }
}

diesel::table! {
    status_lists (id) {
        id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        taken -> Integer,
    }
}

diesel::table! {
    certificate_numbers (year) {
        year -> Integer,
        last -> Integer,
    }
}

diesel::joinable!(certificates -> cases (case_id));

diesel::table! {
    appeals (id) {
        id -> Text,
        case_id -> Text,
        ground -> Text,
        text -> Text,
        filed_by -> Text,
        filed_at -> Timestamp,
        outcome -> Nullable<Text>,
        comment -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        case_id -> Nullable<Text>,
        certificate_code -> Nullable<Text>,
        text -> Text,
        email -> Nullable<Text>,
        language -> Text,
        received_at -> Timestamp,
        outcome -> Nullable<Text>,
        comment -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        url -> Text,
        events -> Text,
        secret -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        response_status -> Nullable<Integer>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));

diesel::table! {
    workshop_requests (id) {
        id -> Text,
        organisation_id -> Text,
        unit_id -> Nullable<Text>,
        requested_by -> Text,
        audience -> Text,
        wished_dates -> Text,
        perspectives -> Text,
        message -> Nullable<Text>,
        status -> Text,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
        case_id -> Nullable<Text>,
        session_id -> Nullable<Text>,
        event_id -> Nullable<Text>,
    }
}

diesel::table! {
    cohorts (id) {
        id -> Text,
        name -> Text,
        programme_id -> Text,
        period_start -> Date,
        period_end -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cohort_organisations (cohort_id, organisation_id) {
        cohort_id -> Text,
        organisation_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::joinable!(cohort_organisations -> cohorts (cohort_id));
diesel::joinable!(cohort_organisations -> organisations (organisation_id));
diesel::allow_tables_to_appear_in_same_query!(cohorts, cohort_organisations, organisations);

diesel::table! {
    open_events (id) {
        id -> Text,
        title -> Text,
        kind -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        location -> Nullable<Text>,
        description -> Nullable<Text>,
        audience -> Nullable<Text>,
        capacity -> Nullable<Integer>,
        open_to -> Text,
        registration_closes_at -> Timestamp,
        created_by -> Text,
        created_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
        attendance_recorded_at -> Nullable<Timestamp>,
        cohort_id -> Nullable<Text>,
    }
}

diesel::table! {
    event_registrations (id) {
        id -> Text,
        event_id -> Text,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        email_key -> Nullable<Text>,
        organisation_id -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        language -> Text,
        status -> Text,
        token_hash -> Text,
        registered_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        attended -> Bool,
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    event_sessions (event_id, case_id) {
        event_id -> Text,
        case_id -> Text,
        session_id -> Text,
    }
}

diesel::joinable!(event_registrations -> open_events (event_id));
diesel::allow_tables_to_appear_in_same_query!(open_events, event_registrations);

diesel::table! {
    plans (id) {
        id -> Text,
        organisation_id -> Text,
        case_id -> Nullable<Text>,
        title -> Text,
        period_start -> Date,
        period_end -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plan_actions (id) {
        id -> Text,
        plan_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        status -> Text,
        due_on -> Nullable<Date>,
        responsible_id -> Text,
        coordinator_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plan_follow_ups (id) {
        id -> Text,
        action_id -> Text,
        text -> Text,
        by_id -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    plan_events (plan_id, seq) {
        plan_id -> Text,
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        kind -> Text,
        data -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    plan_reminders_sent (key) {
        key -> Text,
        action_id -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(plan_actions -> plans (plan_id));
diesel::joinable!(plan_follow_ups -> plan_actions (action_id));
diesel::joinable!(plan_events -> plans (plan_id));

diesel::allow_tables_to_appear_in_same_query!(
    plans,
    plan_actions,
    plan_follow_ups,
    plan_events,
    plan_reminders_sent,
    users,
);

diesel::table! {
    oidc_logins (state_hash) {
        state_hash -> Text,
        provider -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    password_links (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    access_events (id) {
        id -> Text,
        at -> Timestamp,
        kind -> Text,
        actor_id -> Nullable<Text>,
        subject_id -> Nullable<Text>,
        subject_hint -> Nullable<Text>,
        client -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(password_links, access_events, users);

// The plan list shows each plan's organisation, and narrows by the plan's actions.
diesel::allow_tables_to_appear_in_same_query!(plans, organisations);
diesel::allow_tables_to_appear_in_same_query!(plan_actions, organisations);
