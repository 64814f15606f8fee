//! What the documents print, read from the database. Each document's facts are gathered
//! here, in one place, so that every document tells the same truth: the device's owner on
//! the loan agreement, the lending organisation's address and opening hours on a booking
//! confirmation, each device's accessories on the pick list, and every word that comes from
//! data (kinds of devices, purposes, an anonymised person) in the document's language.
//!
//! These functions only read; they run inside the request's transaction.

use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::models::{BookingRow, DeviceRow, OrganisationRow};
use crate::db::schema::{organisations, users};
use crate::db::DbConn;
use crate::domain::bookings::{self, AllocationState, BookingDetail};
use crate::domain::borrowers::Language;
use crate::domain::loans;
use crate::error::{AppError, AppResult};

use super::format::non_empty;
use super::{
    texts, AgreementData, AgreementDevice, BookingConfirmationData, BookingLine, DocumentError,
    Lang, Party, PickListData, PickListItem, ReturnReceiptData, ReturnedItem, Words,
};

fn internal(e: DocumentError) -> AppError {
    AppError::internal(e)
}

/// The document language of a borrower's language.
pub fn lang_of(l: Language) -> Lang {
    match l {
        Language::Nl => Lang::Nl,
        Language::Fr => Lang::Fr,
        Language::En => Lang::En,
    }
}

/// The URL a device's QR code points to.
fn device_url(base_url: &str, d: &DeviceRow) -> String {
    format!("{}/d/{}", base_url.trim_end_matches('/'), d.asset_tag)
}

/// The organisations that own `devices`, in the order first met, each once.
fn owners<'a>(
    conn: &mut DbConn,
    devices: impl IntoIterator<Item = &'a DeviceRow>,
) -> AppResult<Vec<OrganisationRow>> {
    let mut ids: Vec<&str> = Vec::new();
    for d in devices {
        if !ids.contains(&d.owner_organisation_id.as_str()) {
            ids.push(&d.owner_organisation_id);
        }
    }
    let rows: Vec<OrganisationRow> = organisations::table
        .filter(organisations::id.eq_any(&ids))
        .select(OrganisationRow::as_select())
        .load(conn)?;
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.id == *id).cloned())
        .collect())
}

/// The lender named on a loan agreement: the organisation that owns the devices (a welfare
/// office lends them out, but does not own them). Devices of several owners name them all;
/// the address is printed only when there is one owner.
fn owner_party(owners: &[OrganisationRow]) -> Party {
    match owners {
        [one] => Party {
            name: one.name.clone(),
            address: one.address.clone(),
        },
        many => Party {
            name: many
                .iter()
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            address: None,
        },
    }
}

/// Everything the loan agreement of `loan_id` prints, in the borrower's language.
pub fn agreement(
    conn: &mut DbConn,
    caller: &Caller,
    loan_id: &str,
    base_url: &str,
) -> AppResult<AgreementData> {
    let facts = loans::agreement_facts(conn, caller, loan_id)?;
    let lang = lang_of(facts.borrower.language);
    let words = Words::new(lang).map_err(internal)?;
    let t = texts::agreement(lang).map_err(internal)?;
    let loan = &facts.detail.loan;
    let owners = owners(conn, facts.detail.devices.iter().map(|(_, d)| d))?;
    let borrower_name = if facts.borrower.anonymised_at.is_some() {
        words.anonymised_person().map_err(internal)?.to_string()
    } else {
        facts.borrower.name.clone()
    };
    let mut devices = Vec::with_capacity(facts.detail.devices.len());
    for (_, d) in &facts.detail.devices {
        devices.push(AgreementDevice {
            kind: words.kind(d.kind, d.subtype.as_deref()).map_err(internal)?,
            brand: d.brand.clone(),
            model: d.model.clone(),
            serial: d.serial_number.clone(),
            asset_tag: d.asset_tag.clone(),
            qr_url: device_url(base_url, d),
            value_cents: loan.value_cents,
        });
    }
    Ok(AgreementData {
        lang,
        agreement_number: loan.number.clone(),
        lender: owner_party(&owners),
        borrower_name,
        borrower_address: facts.borrower.address.clone(),
        social_worker_name: facts.social_worker_name.clone(),
        devices,
        accessories: loans::parse_list(&loan.accessories),
        purpose: t
            .get(&format!("purposes.{}", loan.purpose.as_str()))
            .map_err(internal)?
            .to_string(),
        start: loan.start_date,
        end: loan.end_date,
        checkpoints: facts.detail.checkpoints.iter().map(|c| c.due_on).collect(),
        place: loan.signed_place.clone(),
        signed_on: loan.signed_on,
    })
}

/// Everything the return receipt of `loan_id` prints for the loan's devices `covered` (ids of
/// its loan devices), in the borrower's language, received by `received_by` at `place` today.
pub fn return_receipt(
    conn: &mut DbConn,
    caller: &Caller,
    loan_id: &str,
    covered: &[String],
    received_by: &str,
    place: &str,
) -> AppResult<ReturnReceiptData> {
    let facts = loans::agreement_facts(conn, caller, loan_id)?;
    let lang = lang_of(facts.borrower.language);
    let words = Words::new(lang).map_err(internal)?;
    let back: Vec<_> = facts
        .detail
        .devices
        .iter()
        .filter(|(ld, _)| covered.contains(&ld.id))
        .collect();
    let owners = owners(conn, back.iter().map(|(_, d)| d))?;
    let borrower_name = if facts.borrower.anonymised_at.is_some() {
        words.anonymised_person().map_err(internal)?.to_string()
    } else {
        facts.borrower.name.clone()
    };
    let mut devices = Vec::with_capacity(back.len());
    for (ld, d) in &back {
        devices.push(ReturnedItem {
            kind: words.kind(d.kind, d.subtype.as_deref()).map_err(internal)?,
            brand: d.brand.clone(),
            model: d.model.clone(),
            asset_tag: d.asset_tag.clone(),
            condition: ld.return_condition.clone().unwrap_or_default(),
            accessories_back: ld
                .accessories_back
                .as_deref()
                .map(loans::parse_list)
                .unwrap_or_default(),
        });
    }
    let today = crate::db::today();
    Ok(ReturnReceiptData {
        lang,
        agreement_number: facts.detail.loan.number.clone(),
        lender: owner_party(&owners),
        borrower_name,
        social_worker_name: received_by.to_string(),
        returned_on: back
            .iter()
            .filter_map(|(ld, _)| ld.returned_on)
            .max()
            .unwrap_or(today),
        devices,
        place: Some(place.to_string()).filter(|p| !p.is_empty()),
        signed_on: Some(today),
    })
}

/// The pick list of a booking: the devices to gather, each with its accessories.
pub fn pick_list(d: &BookingDetail, lang: Lang, base_url: &str) -> AppResult<PickListData> {
    let words = Words::new(lang).map_err(internal)?;
    let mut items = Vec::new();
    for dev in bookings::devices_to_pick(d) {
        items.push(PickListItem {
            asset_tag: dev.asset_tag.clone(),
            kind: words
                .kind(dev.kind, dev.subtype.as_deref())
                .map_err(internal)?,
            model: format!("{} {}", dev.brand, dev.model),
            shelf: dev.shelf_location.clone(),
            qr_url: device_url(base_url, dev),
            accessories: non_empty(dev.accessories.as_deref()).map(str::to_string),
        });
    }
    Ok(PickListData {
        lang,
        booking_reference: d.booking.reference.clone(),
        organisation: d.organisation_name.clone(),
        pickup_on: d.booking.pickup_on,
        return_on: d.booking.return_on,
        items,
    })
}

/// The organisation that lends a booking's devices: that of the staff member who confirmed
/// it (the same organisation whose name the confirmation is signed with).
fn lending_organisation(conn: &mut DbConn, b: &BookingRow) -> AppResult<Option<OrganisationRow>> {
    let Some(user) = &b.confirmed_by else {
        return Ok(None);
    };
    Ok(users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(user))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The confirmation of a booking: what is booked, counted per kind, and where and when to
/// pick it up (the lending organisation's address and opening hours) and how to return it.
pub fn booking_confirmation(
    conn: &mut DbConn,
    d: &BookingDetail,
    lang: Lang,
) -> AppResult<BookingConfirmationData> {
    let words = Words::new(lang).map_err(internal)?;
    // What the organisation gets: the devices held or out, or once back, those returned.
    let mut devices = bookings::devices_to_pick(d);
    if devices.is_empty() {
        devices = d
            .devices
            .iter()
            .filter(|(a, _)| a.state == AllocationState::Returned)
            .map(|(_, dev)| dev)
            .collect();
    }
    let mut counts: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    for dev in devices {
        let kind = words
            .kind(dev.kind, dev.subtype.as_deref())
            .map_err(internal)?;
        *counts.entry(kind).or_default() += 1;
    }
    let lender = lending_organisation(conn, &d.booking)?;
    let lender_name = match &lender {
        Some(org) => org.name.clone(),
        None => bookings::lender_name(conn, &d.booking)?,
    };
    let pickup_place = lender
        .as_ref()
        .and_then(|org| non_empty(org.address.as_deref()))
        .map(|address| format!("{lender_name}, {address}"));
    Ok(BookingConfirmationData {
        lang,
        booking_reference: d.booking.reference.clone(),
        lender_name,
        organisation: d.organisation_name.clone(),
        contact_name: d.booking.contact_name.clone(),
        contact_email: d.booking.contact_email.clone(),
        pickup_on: d.booking.pickup_on,
        return_on: d.booking.return_on,
        pickup_place,
        opening_hours: lender.as_ref().and_then(|o| o.opening_hours.clone()),
        return_instructions: lender.and_then(|o| o.return_instructions),
        purpose: d.booking.purpose.clone(),
        lines: counts
            .into_iter()
            .map(|(kind, quantity)| BookingLine { kind, quantity })
            .collect(),
    })
}
