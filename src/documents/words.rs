//! Words the documents print that come from data, not from a sentence: the kind of a device
//! and the name that stands for an anonymised person, in the document's language (the
//! `kind-…`, `subtype-…` and `person-…` messages of `locales/*.ftl`).

use crate::domain::devices::DeviceKind;
use crate::i18n;

use super::{DocumentError, Lang};

/// The words of one language.
pub struct Words(Lang);

impl Words {
    /// The words in `lang`.
    pub fn new(lang: Lang) -> Result<Self, DocumentError> {
        Ok(Self(lang))
    }

    /// The kind of a device as readers of the language say it: a peripheral by its subtype
    /// ("projecteur", "koptelefoon"), a subtype not in the catalogue as it was entered.
    pub fn kind(&self, kind: DeviceKind, subtype: Option<&str>) -> Result<String, DocumentError> {
        if let (DeviceKind::Peripheral, Some(sub)) = (kind, subtype.map(str::trim)) {
            if !sub.is_empty() {
                let key = format!("subtype-{}", sub.to_lowercase().replace([' ', '_'], "-"));
                return Ok(match i18n::plain(self.0, &key) {
                    Ok(word) => word.to_string(),
                    Err(_) => sub.replace('_', " "),
                });
            }
        }
        Ok(i18n::plain(self.0, &format!("kind-{}", kind.as_str()))?.to_string())
    }

    /// The name printed in place of a person whose data was anonymised.
    pub fn anonymised_person(&self) -> Result<&'static str, DocumentError> {
        Ok(i18n::plain(self.0, "person-anonymised")?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_word_in_every_language() {
        for lang in [Lang::Nl, Lang::Fr, Lang::En] {
            let words = Words::new(lang).expect("words");
            for kind in DeviceKind::ALL {
                let word = words.kind(*kind, None).expect("kind word");
                assert!(!word.trim().is_empty());
            }
            assert!(!words.anonymised_person().expect("person").is_empty());
        }
    }

    #[test]
    fn kinds_are_in_the_documents_language() {
        let nl = Words::new(Lang::Nl).expect("nl");
        let fr = Words::new(Lang::Fr).expect("fr");
        let peripheral = DeviceKind::Peripheral;
        assert_eq!(
            fr.kind(DeviceKind::Laptop, None).expect("w"),
            "ordinateur portable"
        );
        assert_eq!(fr.kind(DeviceKind::Tablet, None).expect("w"), "tablette");
        assert_eq!(
            fr.kind(peripheral, Some("beamer")).expect("w"),
            "projecteur"
        );
        assert_eq!(
            nl.kind(peripheral, Some("headphones")).expect("w"),
            "koptelefoon"
        );
        assert_eq!(
            fr.kind(peripheral, Some("Headphones")).expect("w"),
            "casque audio"
        );
        assert_eq!(
            nl.kind(peripheral, Some("3d_printer_pen")).expect("w"),
            "3d printer pen"
        );
        assert_eq!(nl.kind(peripheral, None).expect("w"), "randapparaat");
        assert_eq!(fr.anonymised_person().expect("w"), "Emprunteur anonymisé");
    }
}
