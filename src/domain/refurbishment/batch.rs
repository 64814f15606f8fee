//! The all-or-nothing machinery of requests for many scanned devices (batch wipes and
//! refurbishments, pool resets): devices locked in id order, every failing device named.

use serde_json::json;

use crate::auth::Caller;
use crate::db::models::DeviceRow;
use crate::db::DbConn;
use crate::domain::devices as dev;
use crate::error::{AppError, AppResult, FieldError};

/// Most devices in one batch request.
pub const MAX_BATCH: usize = 500;

/// A 422 for a batch list that is empty or too long.
fn check_batch_size(field: &str, n: usize) -> AppResult<()> {
    if n == 0 || n > MAX_BATCH {
        return Err(AppError::invalid(
            field,
            format!("give 1 to {MAX_BATCH} devices"),
        ));
    }
    Ok(())
}

/// Why one device of a batch failed, in words.
fn failure_text(e: &AppError) -> String {
    match e {
        AppError::Validation { errors, .. } => errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        AppError::NotFound(_) => "no device with this id or asset tag that you can see".into(),
        AppError::Conflict { detail, .. } => detail.clone(),
        other => other.to_string(),
    }
}

/// One error naming every failing device of a batch: a 409 when every failure is a state
/// conflict, else a 422 with one entry per failing device (`{field}[i]`).
fn batch_failure(field: &str, total: usize, failures: Vec<(usize, String, AppError)>) -> AppError {
    let summary = format!(
        "{} of the {total} devices cannot be done; nothing was recorded.",
        failures.len()
    );
    if failures
        .iter()
        .all(|(_, _, e)| matches!(e, AppError::Conflict { .. }))
    {
        let list: Vec<serde_json::Value> = failures
            .iter()
            .map(|(i, device, e)| {
                let mut entry = json!({ "index": i, "device": device, "detail": failure_text(e) });
                if let (AppError::Conflict { extra, .. }, Some(map)) = (e, entry.as_object_mut()) {
                    map.extend(extra.clone());
                }
                entry
            })
            .collect();
        return AppError::conflict_with(summary, json!({ "failures": list }));
    }
    AppError::Validation {
        detail: summary,
        errors: failures
            .iter()
            .map(|(i, device, e)| {
                FieldError::new(
                    format!("{field}[{i}]"),
                    format!("{device}: {}", failure_text(e)),
                )
            })
            .collect(),
    }
}

/// Locks every device named in `inputs` (ids or tags) and runs `each` on it. Devices are
/// locked in ascending id order, whatever the order of `inputs`, so that two batches naming the
/// same devices never wait for each other in a cycle (no deadlock on PostgreSQL). Returns every
/// result in the order of `inputs`, or (when any device is unknown, invisible, repeated or
/// refused by `each`) one error naming each failing device; the request's transaction then
/// records nothing.
pub fn for_each_device<T>(
    conn: &mut DbConn,
    caller: &Caller,
    field: &str,
    inputs: &[String],
    mut each: impl FnMut(&mut DbConn, &mut DeviceRow) -> AppResult<T>,
) -> AppResult<Vec<T>> {
    check_batch_size(field, inputs.len())?;
    let mut order = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        order.push((crate::domain::device_ref::device_id(conn, input)?, i));
    }
    order.sort();
    let mut done = Vec::with_capacity(inputs.len());
    let mut failures = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let per_device = |e: &AppError| {
        matches!(
            e,
            AppError::Validation { .. } | AppError::Conflict { .. } | AppError::NotFound(_)
        )
    };
    for (_, i) in order {
        let input = &inputs[i];
        let mut d = match dev::lock(conn, caller, input) {
            Ok(d) => d,
            Err(e) if per_device(&e) => {
                failures.push((i, input.trim().to_string(), e));
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Some(first) = seen.get(&d.id).copied() {
            let (first, later) = if first < i { (first, i) } else { (i, first) };
            failures.push((
                later,
                d.asset_tag.clone(),
                AppError::invalid(field, format!("is the same device as {field}[{first}]")),
            ));
            seen.insert(d.id.clone(), first);
            continue;
        }
        seen.insert(d.id.clone(), i);
        match each(conn, &mut d) {
            Ok(t) => done.push((i, t)),
            Err(e) if per_device(&e) => failures.push((i, d.asset_tag.clone(), e)),
            Err(e) => return Err(e),
        }
    }
    if failures.is_empty() {
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, t)| t).collect())
    } else {
        failures.sort_by_key(|(i, _, _)| *i);
        Err(batch_failure(field, inputs.len(), failures))
    }
}
