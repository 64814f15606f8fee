//! Signing on the screen at the desk: the borrower and the social worker each sign with a
//! finger or a stylus (strokes), or type their full name (for a person who cannot draw; the
//! social worker attests that the borrower typed it, WCAG 2.5.7). The signed agreement becomes
//! a PDF that carries both signatures, stored with its SHA-256, and the loan starts through
//! [`super::sign`], all in one transaction.
//!
//! Strokes come as a compact text: points `x,y` (whole numbers from 0 to [`GRID`], `x` from
//! the left and `y` from the top of the signing area) separated by spaces, strokes separated by
//! `;`. The text is limited to [`MAX_STROKES_CHARS`] characters and [`MAX_STROKES`] strokes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::Digest;

use super::queries::agreement_facts_of;
use super::{sign, LoanDetail, SignLoan};
use crate::auth::{Caller, Perm};
use crate::db::schema::loan_signatures;
use crate::db::{now, today, DbConn};
use crate::documents::{facts, signed_agreement_pdf, SignatureMark, SignedMarks};
use crate::domain::borrowers::name_key;
use crate::domain::ids::LoanId;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n;

/// The points of a stroke run from 0 to this, on both axes.
pub const GRID: u32 = 1000;
/// The longest stroke text accepted (about 2,500 points).
pub const MAX_STROKES_CHARS: usize = 24_000;
/// Most strokes in one signature.
pub const MAX_STROKES: usize = 200;
/// Fewest points that make a drawn signature (a tap is not one).
pub const MIN_POINTS: usize = 6;

/// How one person signs on the screen, as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct MarkInput {
    /// The strokes drawn (see the module's format); empty when the name is typed.
    pub strokes: String,
    /// The full name typed instead of drawing.
    pub typed_name: String,
}

/// Both signatures and the place, for [`sign_on_screen`].
#[derive(Debug, Clone, Default)]
pub struct ScreenSigning {
    pub borrower: MarkInput,
    pub social_worker: MarkInput,
    /// The social worker attests that the borrower typed their own name and agreed.
    pub attested: bool,
    pub place: String,
}

/// The stored signatures of a loan (without the PDF's bytes).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = loan_signatures)]
pub struct SignatureRow {
    pub loan_id: String,
    /// `drawn` or `typed`.
    pub borrower_kind: String,
    pub borrower_mark: String,
    pub social_worker_kind: String,
    pub social_worker_mark: String,
    pub attested_by: Option<String>,
    pub pdf: Vec<u8>,
    pub size_bytes: i64,
    pub sha256: String,
    pub signed_by: String,
    pub signed_at: NaiveDateTime,
}

/// Reads the strokes of a drawn signature; `None` when the text breaks the format or limits.
pub fn parse_strokes(text: &str) -> Option<Vec<Vec<(u32, u32)>>> {
    if text.len() > MAX_STROKES_CHARS {
        return None;
    }
    let mut strokes = Vec::new();
    for stroke in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let mut points = Vec::new();
        for point in stroke.split_whitespace() {
            let (x, y) = point.split_once(',')?;
            let (x, y) = (x.parse::<u32>().ok()?, y.parse::<u32>().ok()?);
            if x > GRID || y > GRID {
                return None;
            }
            points.push((x, y));
        }
        strokes.push(points);
    }
    if strokes.len() > MAX_STROKES {
        return None;
    }
    Some(strokes)
}

pub(super) enum Read {
    Drawn(Vec<Vec<(u32, u32)>>),
    Typed(String),
}

/// One signer's mark, or the reason it is refused (on `field`).
fn read_mark(m: &MarkInput, who: &str, errors: &mut Vec<FieldError>) -> Option<Read> {
    let strokes = m.strokes.trim();
    let typed = m
        .typed_name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !strokes.is_empty() {
        return match parse_strokes(strokes) {
            Some(s) if s.iter().map(Vec::len).sum::<usize>() >= MIN_POINTS => Some(Read::Drawn(s)),
            Some(_) => {
                errors.push(FieldError::new(
                    format!("{who}_strokes"),
                    "the signature is too short: sign again, or type the full name",
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    format!("{who}_strokes"),
                    "the signature could not be read: clear it and sign again",
                ));
                None
            }
        };
    }
    if typed.is_empty() {
        errors.push(FieldError::new(
            format!("{who}_strokes"),
            "sign in the box, or type the full name",
        ));
        return None;
    }
    if typed.chars().count() > 200 {
        errors.push(FieldError::new(
            format!("{who}_typed"),
            "is at most 200 characters",
        ));
        return None;
    }
    Some(Read::Typed(typed))
}

fn stored(r: &Read) -> (String, String) {
    match r {
        Read::Drawn(strokes) => (
            "drawn".into(),
            strokes
                .iter()
                .map(|s| {
                    s.iter()
                        .map(|(x, y)| format!("{x},{y}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join(";"),
        ),
        Read::Typed(name) => ("typed".into(), name.clone()),
    }
}

fn for_pdf(r: &Read, note: String) -> SignatureMark {
    match r {
        Read::Drawn(strokes) => SignatureMark::Drawn(
            strokes
                .iter()
                .map(|s| {
                    s.iter()
                        .map(|(x, y)| (*x as f32 / GRID as f32, *y as f32 / GRID as f32))
                        .collect()
                })
                .collect(),
        ),
        Read::Typed(name) => SignatureMark::Typed {
            name: name.clone(),
            note,
        },
    }
}

/// Reads both marks of a screen signing and checks them against the names printed on the
/// paper: a typed name must be the full name, and a borrower's typed name needs the social
/// worker's attestation. The same rules for the agreement and for the return receipt. Each
/// refusal is pushed onto `errors`; `None` when one of the marks is refused.
pub(super) fn check_marks(
    s: &ScreenSigning,
    borrower_name: &str,
    social_worker_name: &str,
    errors: &mut Vec<FieldError>,
) -> Option<(Read, Read)> {
    let borrower = read_mark(&s.borrower, "borrower", errors);
    let worker = read_mark(&s.social_worker, "social_worker", errors);
    if let Some(Read::Typed(name)) = &borrower {
        if name_key(name) != name_key(borrower_name) {
            errors.push(FieldError::new(
                "borrower_typed",
                "type the full name as it is on the agreement",
            ));
        }
        if !s.attested {
            errors.push(FieldError::new(
                "attested",
                "the social worker confirms that the person typed their own name",
            ));
        }
    }
    if let Some(Read::Typed(name)) = &worker {
        if name_key(name) != name_key(social_worker_name) {
            errors.push(FieldError::new(
                "social_worker_typed",
                "type the full name as it is on the agreement",
            ));
        }
    }
    borrower.zip(worker)
}

/// The marks as a document draws them, in the borrower's language: a typed name carries the
/// sentence that says who typed it and who attested it.
pub(super) fn marks_for_pdf(
    lang: i18n::Lang,
    borrower: &Read,
    worker: &Read,
    borrower_name: &str,
    social_worker_name: &str,
) -> SignedMarks {
    let typed_note = i18n::text(
        lang,
        "web-loan-pdf-typed",
        &[("name", borrower_name), ("m", social_worker_name)],
    )
    .map(|t| t.into_owned())
    .unwrap_or_default();
    SignedMarks {
        borrower: for_pdf(borrower, typed_note),
        social_worker: for_pdf(
            worker,
            i18n::text(lang, "web-loan-pdf-typed-self", &[])
                .map(|t| t.into_owned())
                .unwrap_or_default(),
        ),
    }
}

/// The stored form of both marks: (borrower kind, mark, social worker kind, mark).
pub(super) fn stored_marks(borrower: &Read, worker: &Read) -> (String, String, String, String) {
    let (bk, bm) = stored(borrower);
    let (wk, wm) = stored(worker);
    (bk, bm, wk, wm)
}

/// Signs a draft on the screen: checks both marks (and the attestation of a typed name), signs
/// the loan through [`sign`] (the devices are handed over), renders the signed agreement in the
/// borrower's language with both signatures and stores it with its SHA-256. Every refusal of
/// the form is returned at once; nothing is kept when one is refused.
pub fn sign_on_screen(
    conn: &mut DbConn,
    caller: &Caller,
    id: &LoanId,
    s: ScreenSigning,
    base_url: &str,
) -> AppResult<LoanDetail> {
    caller.require(Perm::ManageLoans)?;
    let before = agreement_facts_of(conn, caller, id)?;
    let mut errors = Vec::new();
    let marks = check_marks(
        &s,
        &before.borrower.name,
        &before.social_worker_name,
        &mut errors,
    );
    let signed = sign(
        conn,
        caller,
        id,
        SignLoan {
            borrower_signed: true,
            social_worker_signed: true,
            signed_on: today(),
            place: s.place.clone(),
        },
    );
    let detail = match signed {
        Ok(d) if errors.is_empty() => d,
        Ok(_) => return Err(AppError::invalid_fields(errors)),
        Err(AppError::Validation { errors: more, .. }) => {
            errors.extend(more);
            return Err(AppError::invalid_fields(errors));
        }
        Err(e) if errors.is_empty() => return Err(e),
        Err(_) => return Err(AppError::invalid_fields(errors)),
    };
    let Some((borrower, worker)) = marks else {
        return Err(AppError::internal("a signature missing after the checks"));
    };
    let data = facts::agreement(conn, caller, id.as_str(), base_url)?;
    let marks = marks_for_pdf(
        data.lang,
        &borrower,
        &worker,
        &data.borrower_name,
        &data.social_worker_name,
    );
    let pdf = signed_agreement_pdf(&data, &marks)
        .map_err(|e| AppError::internal(format!("signed agreement PDF: {e}")))?;
    let (borrower_kind, borrower_mark, social_worker_kind, social_worker_mark) =
        stored_marks(&borrower, &worker);
    let row = SignatureRow {
        loan_id: detail.loan.id.clone(),
        attested_by: (borrower_kind == "typed").then(|| caller.user_id.clone()),
        borrower_kind,
        borrower_mark,
        social_worker_kind,
        social_worker_mark,
        size_bytes: i64::try_from(pdf.len()).map_err(AppError::internal)?,
        sha256: hex::encode(sha2::Sha256::digest(&pdf)),
        pdf,
        signed_by: caller.user_id.clone(),
        signed_at: now(),
    };
    diesel::insert_into(loan_signatures::table)
        .values(&row)
        .execute(conn)?;
    Ok(detail)
}

/// The signed agreement of a loan the caller may read.
pub fn signed_pdf(conn: &mut DbConn, caller: &Caller, id: &LoanId) -> AppResult<SignatureRow> {
    let loan = super::get(conn, caller, id)?;
    loan_signatures::table
        .find(&loan.id)
        .select(SignatureRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("The agreement signed on the screen"))
}

/// Whether a loan was signed on the screen (the caller was authorised for the loan).
pub fn has_signed_pdf(conn: &mut DbConn, loan_id: &str) -> AppResult<bool> {
    let n: i64 = loan_signatures::table
        .filter(loan_signatures::loan_id.eq(loan_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Deletes the signatures of these loans, of their agreements and of their return receipts
/// (anonymisation): the signed papers identify the person. Returns how many were deleted.
pub fn erase(conn: &mut DbConn, loan_ids: &[String]) -> AppResult<usize> {
    let agreements =
        diesel::delete(loan_signatures::table.filter(loan_signatures::loan_id.eq_any(loan_ids)))
            .execute(conn)?;
    Ok(agreements + super::receipts::erase(conn, loan_ids)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_are_read_within_their_limits() {
        assert_eq!(
            parse_strokes("0,0 10,20;1000,1000"),
            Some(vec![vec![(0, 0), (10, 20)], vec![(1000, 1000)]])
        );
        assert_eq!(parse_strokes("1001,0"), None);
        assert_eq!(parse_strokes("1,2,3"), None);
        assert_eq!(parse_strokes("a,b"), None);
        assert_eq!(parse_strokes(&"1,1 ".repeat(7000)), None);
        assert_eq!(parse_strokes(&"1,1;".repeat(MAX_STROKES + 1)), None);
    }

    #[test]
    fn a_tap_is_not_a_signature_and_a_blank_asks_for_one() {
        let mut errors = Vec::new();
        let tap = MarkInput {
            strokes: "5,5".into(),
            typed_name: String::new(),
        };
        assert!(read_mark(&tap, "borrower", &mut errors).is_none());
        assert!(read_mark(&MarkInput::default(), "borrower", &mut errors).is_none());
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "borrower_strokes");
    }
}
