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

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    api_tokens,
    counters,
    donations,
    devices,
    device_events,
);
