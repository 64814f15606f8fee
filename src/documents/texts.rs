//! The wording of one document in one language, read from the Fluent catalogues
//! (`locales/*.ftl`, see [`crate::i18n`]).
//!
//! The documents address a text as `section.key` (`devices.no_serial`); it is the catalogue's
//! message `<document>-<section>-<key>` with `_` written `-` (`agreement-devices-no-serial`).
//! `{name}` arguments fill the message's `{ $name }` variables.

use crate::i18n::{self, Lang};

use super::DocumentError;

/// The wording of one document (`agreement`, `booking`, `certificate`) in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Texts {
    lang: Lang,
    document: &'static str,
}

/// The agreement wording in `lang`.
pub(crate) fn agreement(lang: Lang) -> Result<Texts, DocumentError> {
    Ok(Texts::new(lang, "agreement"))
}

/// The return receipt's wording in `lang`.
pub(crate) fn receipt(lang: Lang) -> Result<Texts, DocumentError> {
    Ok(Texts::new(lang, "receipt"))
}

/// The certificate wording in `lang`.
pub(crate) fn certificate(lang: Lang) -> Result<Texts, DocumentError> {
    Ok(Texts::new(lang, "certificate"))
}

/// The wording of the booking documents (pick list and confirmation) in `lang`.
pub(crate) fn booking(lang: Lang) -> Result<Texts, DocumentError> {
    Ok(Texts::new(lang, "booking"))
}

impl Texts {
    fn new(lang: Lang, document: &'static str) -> Self {
        Self { lang, document }
    }

    /// The catalogue key of `section.key`.
    fn key(&self, key: &str) -> String {
        format!("{}-{}", self.document, key.replace(['.', '_'], "-"))
    }

    /// The text under `key`, which has no variables.
    pub(crate) fn get(&self, key: &str) -> Result<&'static str, DocumentError> {
        Ok(i18n::plain(self.lang, &self.key(key))?)
    }

    /// The text under `key` with its variables filled in from `vars` (extra ones are ignored).
    pub(crate) fn fill(&self, key: &str, vars: &[(&str, &str)]) -> Result<String, DocumentError> {
        Ok(i18n::text(self.lang, &self.key(key), vars)?.into_owned())
    }

    /// The numbered list under `key`, each item with its variables filled in.
    pub(crate) fn list(
        &self,
        key: &str,
        vars: &[(&str, &str)],
    ) -> Result<Vec<String>, DocumentError> {
        Ok(i18n::list(self.lang, &self.key(key), vars)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text that uses a variable its document never gives fails here (it would fail to
    /// format when the document is made).
    #[test]
    fn texts_use_only_the_variables_their_document_gives() {
        let documents = [
            ("agreement-", crate::documents::agreement::PLACEHOLDERS),
            ("booking-", crate::documents::booking::PLACEHOLDERS),
            ("certificate-", crate::documents::certificate::PLACEHOLDERS),
            ("receipt-", crate::documents::receipt::PLACEHOLDERS),
            ("kind-", &[]),
            ("subtype-", &[]),
            ("person-", &[]),
            ("web-", crate::web::frame::PLACEHOLDERS),
        ];
        for lang in Lang::ALL {
            for key in i18n::keys(lang) {
                let Some((_, known)) = documents.iter().find(|(p, _)| key.starts_with(p)) else {
                    panic!("`{key}` belongs to no document");
                };
                for name in i18n::variables(lang, &key) {
                    assert!(
                        known.contains(&name.as_str()),
                        "{}: `{key}` uses unknown variable {name}",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn keys_map_to_catalogue_messages() {
        let t = agreement(Lang::Fr).expect("texts");
        assert_eq!(t.key("devices.no_serial"), "agreement-devices-no-serial");
        assert_eq!(
            t.get("devices.no_serial").expect("text"),
            "Numéro de série : non indiqué"
        );
        assert!(t.get("document.number").is_err(), "has a variable");
        assert_eq!(
            t.list("promises.items", &[("end_date", "x")])
                .expect("list")
                .len(),
            8
        );
    }
}
