//! PDF documents: the loan agreement signed by a borrower, the certificate of data
//! sanitisation for a donor, and the pick list and confirmation of a booking.
//!
//! The renderers are a pure library: plain structs in, PDF bytes out; `facts` reads those
//! structs from the database. Every document is A4, uses the
//! embedded DejaVu Sans fonts (subset, so a document stays small) and prints QR codes as
//! vector graphics. The wording lives in the Fluent catalogues `locales/*.ftl`, one per
//! language (see [`crate::i18n`]), so that it can be corrected without touching the code.

mod agreement;
mod booking;
mod certificate;
pub mod facts;
mod format;
mod receipt;
mod render;
mod texts;
mod words;

pub use agreement::{
    loan_agreement_pdf, signed_agreement_pdf, AgreementData, AgreementDevice, Party, SignatureMark,
    SignedMarks, AGREEMENT_MAX_PAGES,
};
pub use booking::{
    booking_confirmation_pdf, pick_list_pdf, BookingConfirmationData, BookingLine, PickListData,
    PickListItem,
};
pub use certificate::{
    sanitisation_certificate_csv, sanitisation_certificate_pdf, CertificateData, CertificateRow,
    CertificateTotals, Destination, Outcome, Verification,
};
pub use format::{format_date, format_money};
pub use receipt::{return_receipt_pdf, ReturnReceiptData, ReturnedItem};
pub use words::Words;

/// Language of a document (the languages of [`crate::i18n`]).
pub use crate::i18n::Lang;

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The content does not fit in the number of pages the document allows (the loan
    /// agreement must stay on two pages, front and back of one sheet).
    #[error("the {document} does not fit on {max_pages} pages; shorten the texts or split the loan over several agreements")]
    TooLong {
        /// Which document.
        document: &'static str,
        /// The page limit.
        max_pages: usize,
    },
    /// The input is not acceptable (for example an end date before the start date).
    #[error("invalid document data: {0}")]
    Invalid(String),
    /// A catalogue under `locales/` lacks a text or cannot format it (a build problem: the
    /// tests of `i18n` catch it).
    #[error("document text: {0}")]
    Texts(#[from] crate::i18n::I18nError),
    /// A QR code could not be made (the URL is far too long).
    #[error("cannot make a QR code of `{text}`: {message}")]
    Qr {
        /// The text that was to be encoded.
        text: String,
        /// The encoder's message.
        message: String,
    },
    /// The embedded font could not be read (a build problem, not an input problem).
    #[error("the embedded DejaVu Sans font could not be parsed")]
    Font,
    /// printpdf failed to write the file.
    #[error("PDF generation failed: {0}")]
    Pdf(String),
    /// The CSV export failed.
    #[error("CSV generation failed: {0}")]
    Csv(String),
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Text extraction for the unit tests, with `lopdf` (a dev-dependency).

    /// All text of all pages, in page order.
    pub(crate) fn extract_text(pdf: &[u8]) -> String {
        let doc = lopdf::Document::load_mem(pdf).expect("valid PDF");
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&pages).expect("text extracts")
    }

    /// The number of pages.
    pub(crate) fn page_count(pdf: &[u8]) -> usize {
        lopdf::Document::load_mem(pdf)
            .expect("valid PDF")
            .get_pages()
            .len()
    }

    /// Text with line breaks and runs of spaces collapsed to one space, so that assertions
    /// do not depend on where a line was wrapped.
    pub(crate) fn flat(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
