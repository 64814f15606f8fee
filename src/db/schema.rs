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
diesel::joinable!(wipe_records -> devices (device_id));
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
    refurbishments,
    certificates,
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
