//! Bookings of the lending pool by organisations, and the pool's availability, over HTTP.
//! Handlers extract, call `domain::bookings` / `domain::availability` (which authorise and hold
//! every rule) and render; the wire types are in `wire.rs`.

mod availability;
mod documents;
mod handling;
mod requests;
mod wire;

pub use availability::*;
pub use documents::*;
pub use handling::*;
pub use requests::*;
pub use wire::*;

use actix_web::web;

use crate::api::parse_id;
use crate::domain::availability::Rules;
use crate::domain::ids::BookingId;
use crate::error::AppError;
use crate::startup::AppState;

/// The booking named in the path; a malformed id names no booking (404).
fn booking_id(raw: &str) -> Result<BookingId, AppError> {
    parse_id(raw, "The booking").map(BookingId::from)
}

fn rules(state: &AppState) -> Rules {
    Rules::from_config(&state.config)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_booking)
        .service(list_bookings)
        .service(overdue_bookings)
        .service(get_booking)
        .service(update_booking)
        .service(confirm_booking)
        .service(cancel_booking)
        .service(pickup_booking)
        .service(return_booking)
        .service(write_off_booking)
        .service(found_booking_devices)
        .service(pick_list)
        .service(confirmation)
        .service(availability_calendar)
        .service(get_availability);
}
