// The one schema for both backends: ids and enums are TEXT, times are TIMESTAMP in UTC,
// calendar dates are DATE, money is BIGINT euro cents. Kept in step with both migration sets
// by hand (a test compares the tables and columns the two sets produce).

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        short_name -> Text,
        kind -> Text,
        address -> Nullable<Text>,
        created_at -> Timestamp,
        opening_hours -> Nullable<Text>,
        return_instructions -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        password_hash -> Nullable<Text>,
        lang -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    donations (id) {
        id -> Text,
        donor_organisation_id -> Nullable<Text>,
        donor_name -> Nullable<Text>,
        anonymous -> Bool,
        received_on -> Date,
        received_at -> Text,
        note -> Nullable<Text>,
        owner_organisation_id -> Text,
        workshop_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        seq -> BigInt,
        asset_tag -> Text,
        kind -> Text,
        subtype -> Nullable<Text>,
        brand -> Text,
        model -> Text,
        serial_number -> Nullable<Text>,
        serial_key -> Nullable<Text>,
        specs -> Text,
        accessories -> Nullable<Text>,
        notes -> Nullable<Text>,
        status -> Text,
        donation_id -> Nullable<Text>,
        owner_organisation_id -> Text,
        holder_organisation_id -> Nullable<Text>,
        workshop_id -> Nullable<Text>,
        in_pool -> Bool,
        shelf_location -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        accessories_back -> Nullable<Text>,
    }
}

diesel::table! {
    device_events (id) {
        id -> Text,
        device_id -> Text,
        seq -> Integer,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        status_before -> Nullable<Text>,
        status_after -> Text,
        detail -> Text,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(device_events -> devices (device_id));
diesel::joinable!(devices -> donations (donation_id));

diesel::table! {
    drives (id) {
        id -> Text,
        device_id -> Text,
        position -> Integer,
        drive_type -> Text,
        capacity_gb -> Integer,
        serial -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    wipe_records (id) {
        id -> Text,
        device_id -> Text,
        drive_id -> Nullable<Text>,
        category -> Text,
        technique -> Text,
        tool -> Text,
        tool_version -> Text,
        drive_serial -> Nullable<Text>,
        drive_type -> Text,
        capacity_gb -> Nullable<Integer>,
        passes -> Integer,
        verified -> Bool,
        verification_method -> Text,
        outcome -> Text,
        technician_user_id -> Text,
        technician_name -> Text,
        workshop_id -> Text,
        started_at -> Timestamp,
        ended_at -> Timestamp,
        report_file_name -> Nullable<Text>,
        report_sha256 -> Nullable<Text>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        verified_by -> Nullable<Text>,
    }
}

diesel::table! {
    refurbishments (id) {
        id -> Text,
        device_id -> Text,
        checks -> Text,
        battery_health_pct -> Nullable<Integer>,
        parts_replaced -> Nullable<Text>,
        os_installed -> Nullable<Text>,
        os_version -> Nullable<Text>,
        cosmetic_grade -> Text,
        functional_pass -> Bool,
        minutes_spent -> Integer,
        technician_user_id -> Text,
        technician_name -> Text,
        workshop_id -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    certificates (id) {
        id -> Text,
        donation_id -> Text,
        number -> Text,
        issued_on -> Date,
        issued_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(drives -> devices (device_id));
diesel::table! {
    wipe_reports (wipe_id) {
        wipe_id -> Text,
        device_id -> Text,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        data -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::joinable!(wipe_records -> devices (device_id));
diesel::joinable!(wipe_reports -> wipe_records (wipe_id));
diesel::joinable!(refurbishments -> devices (device_id));
diesel::joinable!(certificates -> donations (donation_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    api_tokens,
    counters,
    donations,
    devices,
    device_events,
    drives,
    wipe_records,
    wipe_reports,
    refurbishments,
    certificates,
    programmes,
    borrowers,
    loans,
    loan_devices,
    loan_checkpoints,
    loan_charges,
    loan_scans,
);

diesel::table! {
    bookings (id) {
        id -> Text,
        reference -> Text,
        organisation_id -> Text,
        requested_by -> Text,
        status -> Text,
        pickup_on -> Date,
        return_on -> Date,
        purpose -> Text,
        contact_name -> Text,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        note -> Nullable<Text>,
        confirmed_by -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        picked_up_at -> Nullable<Timestamp>,
        returned_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    booking_lines (id) {
        id -> Text,
        booking_id -> Text,
        line_no -> Integer,
        kind -> Text,
        subtype -> Nullable<Text>,
        model -> Nullable<Text>,
        device_id -> Nullable<Text>,
        quantity -> Integer,
    }
}

diesel::table! {
    booking_devices (id) {
        id -> Text,
        booking_id -> Text,
        device_id -> Text,
        line_no -> Nullable<Integer>,
        state -> Text,
        occupied_from -> Date,
        occupied_until -> Date,
        picked_up_at -> Nullable<Timestamp>,
        returned_at -> Nullable<Timestamp>,
        return_condition -> Nullable<Text>,
        missing_accessories -> Nullable<Text>,
        reported_missing -> Bool,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(bookings -> organisations (organisation_id));
diesel::joinable!(booking_lines -> bookings (booking_id));
diesel::joinable!(booking_devices -> bookings (booking_id));
diesel::joinable!(booking_devices -> devices (device_id));

diesel::allow_tables_to_appear_in_same_query!(bookings, booking_lines, booking_devices);
diesel::allow_tables_to_appear_in_same_query!(bookings, organisations);
diesel::allow_tables_to_appear_in_same_query!(bookings, users);
diesel::allow_tables_to_appear_in_same_query!(bookings, devices);
diesel::allow_tables_to_appear_in_same_query!(booking_lines, devices);
diesel::allow_tables_to_appear_in_same_query!(booking_devices, devices);

diesel::table! {
    programmes (id) {
        id -> Text,
        name -> Text,
        end_date -> Date,
        checkpoint_interval_months -> Integer,
        value_cents -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    borrowers (id) {
        id -> Text,
        organisation_id -> Text,
        name -> Text,
        name_key -> Text,
        date_of_birth -> Date,
        language -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        address -> Nullable<Text>,
        social_worker_id -> Text,
        note -> Nullable<Text>,
        anonymised_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loans (id) {
        id -> Text,
        number -> Text,
        organisation_id -> Text,
        borrower_id -> Text,
        programme_id -> Text,
        social_worker_id -> Text,
        status -> Text,
        purpose -> Text,
        accessories -> Text,
        start_date -> Date,
        end_date -> Date,
        programme_end_date -> Date,
        checkpoint_interval_months -> Integer,
        value_cents -> BigInt,
        signed_on -> Nullable<Date>,
        signed_place -> Nullable<Text>,
        signed_by_borrower -> Bool,
        signed_by_social_worker -> Bool,
        signed_recorded_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loan_devices (id) {
        id -> Text,
        loan_id -> Text,
        device_id -> Text,
        status -> Text,
        open_device_id -> Nullable<Text>,
        returned_on -> Nullable<Date>,
        return_condition -> Nullable<Text>,
        accessories_back -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loan_checkpoints (id) {
        id -> Text,
        loan_id -> Text,
        due_on -> Date,
        held_on -> Nullable<Date>,
        device_present -> Nullable<Bool>,
        device_working -> Nullable<Bool>,
        condition -> Nullable<Text>,
        still_needed -> Nullable<Bool>,
        note -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        recorded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    loan_charges (id) {
        id -> Text,
        loan_id -> Text,
        device_id -> Text,
        kind -> Text,
        amount_cents -> BigInt,
        status -> Text,
        raised_on -> Date,
        paid_on -> Nullable<Date>,
        paid_amount_cents -> Nullable<BigInt>,
        method -> Nullable<Text>,
        waived_reason -> Nullable<Text>,
        settled_by -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    loan_scans (loan_id) {
        loan_id -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        data -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

// The agreement signed on the screen at the desk, with the signed PDF (issue 14).
diesel::table! {
    loan_signatures (loan_id) {
        loan_id -> Text,
        borrower_kind -> Text,
        borrower_mark -> Text,
        social_worker_kind -> Text,
        social_worker_mark -> Text,
        attested_by -> Nullable<Text>,
        pdf -> Binary,
        size_bytes -> BigInt,
        sha256 -> Text,
        signed_by -> Text,
        signed_at -> Timestamp,
    }
}

diesel::joinable!(loan_signatures -> loans (loan_id));
diesel::allow_tables_to_appear_in_same_query!(loan_signatures, loans);

diesel::joinable!(borrowers -> organisations (organisation_id));
diesel::joinable!(loans -> borrowers (borrower_id));
diesel::joinable!(loans -> programmes (programme_id));
diesel::joinable!(loan_devices -> loans (loan_id));
diesel::joinable!(loan_devices -> devices (device_id));
diesel::joinable!(loan_checkpoints -> loans (loan_id));
diesel::joinable!(loan_charges -> loans (loan_id));
diesel::joinable!(loan_scans -> loans (loan_id));

// Personal data (GDPR): free text kept beside the append-only history, and the log of
// anonymisations.
diesel::table! {
    device_event_notes (event_id, name) {
        event_id -> Text,
        name -> Text,
        device_id -> Text,
        loan_id -> Nullable<Text>,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    anonymisation_log (id) {
        id -> Text,
        borrower_id -> Text,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        source -> Text,
        loans -> BigInt,
        cleared_texts -> BigInt,
    }
}

diesel::joinable!(device_event_notes -> device_events (event_id));
diesel::joinable!(device_event_notes -> loans (loan_id));
diesel::joinable!(anonymisation_log -> borrowers (borrower_id));
diesel::allow_tables_to_appear_in_same_query!(device_event_notes, device_events);
diesel::allow_tables_to_appear_in_same_query!(device_event_notes, loans);
diesel::allow_tables_to_appear_in_same_query!(device_event_notes, devices);
diesel::allow_tables_to_appear_in_same_query!(anonymisation_log, borrowers);
diesel::allow_tables_to_appear_in_same_query!(anonymisation_log, loans);

diesel::table! {
    sessions (id) {
        id -> Text,
        secret_hash -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        user_id -> Text,
        secret_hash -> Text,
        purpose -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Text,
        scope -> Text,
        key_hash -> Text,
        failed_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(sessions, users);
diesel::allow_tables_to_appear_in_same_query!(invitations, users);

// The return receipts signed on the screen, with their PDF (issue 14).
diesel::table! {
    loan_return_receipts (id) {
        id -> Text,
        loan_id -> Text,
        loan_device_ids -> Text,
        borrower_kind -> Text,
        borrower_mark -> Text,
        social_worker_kind -> Text,
        social_worker_mark -> Text,
        attested_by -> Nullable<Text>,
        pdf -> Binary,
        size_bytes -> BigInt,
        sha256 -> Text,
        signed_by -> Text,
        signed_at -> Timestamp,
    }
}

diesel::joinable!(loan_return_receipts -> loans (loan_id));
diesel::allow_tables_to_appear_in_same_query!(loan_return_receipts, loans);
