//! The wording of the documents, kept in one TOML file per document and language so that
//! a non-programmer can correct it (see `texts/*.toml`).
//!
//! A file holds strings and lists of strings, optionally grouped in `[sections]`; a key is
//! addressed as `section.key`. `{name}` in a string is a placeholder filled in at run time.

use std::collections::BTreeMap;

use super::{DocumentError, Lang};

/// The parsed wording of one document in one language.
#[derive(Debug, Clone)]
pub(crate) struct Texts {
    file: &'static str,
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    One(String),
    List(Vec<String>),
}

/// Source files, embedded at compile time: `(file name, contents)`.
pub(crate) type Source = (&'static str, &'static str);

pub(crate) const AGREEMENT_NL: Source =
    ("agreement.nl.toml", include_str!("texts/agreement.nl.toml"));
pub(crate) const AGREEMENT_FR: Source =
    ("agreement.fr.toml", include_str!("texts/agreement.fr.toml"));
pub(crate) const AGREEMENT_EN: Source =
    ("agreement.en.toml", include_str!("texts/agreement.en.toml"));
pub(crate) const CERTIFICATE_NL: Source = (
    "certificate.nl.toml",
    include_str!("texts/certificate.nl.toml"),
);
pub(crate) const CERTIFICATE_FR: Source = (
    "certificate.fr.toml",
    include_str!("texts/certificate.fr.toml"),
);
pub(crate) const CERTIFICATE_EN: Source = (
    "certificate.en.toml",
    include_str!("texts/certificate.en.toml"),
);
pub(crate) const BOOKING_NL: Source = ("booking.nl.toml", include_str!("texts/booking.nl.toml"));
pub(crate) const BOOKING_FR: Source = ("booking.fr.toml", include_str!("texts/booking.fr.toml"));
pub(crate) const BOOKING_EN: Source = ("booking.en.toml", include_str!("texts/booking.en.toml"));
pub(crate) const WORDS_NL: Source = ("words.nl.toml", include_str!("texts/words.nl.toml"));
pub(crate) const WORDS_FR: Source = ("words.fr.toml", include_str!("texts/words.fr.toml"));
pub(crate) const WORDS_EN: Source = ("words.en.toml", include_str!("texts/words.en.toml"));

/// The agreement wording in `lang`.
pub(crate) fn agreement(lang: Lang) -> Result<Texts, DocumentError> {
    Texts::parse(match lang {
        Lang::Nl => AGREEMENT_NL,
        Lang::Fr => AGREEMENT_FR,
        Lang::En => AGREEMENT_EN,
    })
}

/// The certificate wording in `lang`.
pub(crate) fn certificate(lang: Lang) -> Result<Texts, DocumentError> {
    Texts::parse(match lang {
        Lang::Nl => CERTIFICATE_NL,
        Lang::Fr => CERTIFICATE_FR,
        Lang::En => CERTIFICATE_EN,
    })
}

/// The wording of the booking documents (pick list and confirmation) in `lang`.
pub(crate) fn booking(lang: Lang) -> Result<Texts, DocumentError> {
    Texts::parse(match lang {
        Lang::Nl => BOOKING_NL,
        Lang::Fr => BOOKING_FR,
        Lang::En => BOOKING_EN,
    })
}

/// Words shared by the documents (kinds of devices, the anonymised person) in `lang`.
pub(crate) fn words(lang: Lang) -> Result<Texts, DocumentError> {
    Texts::parse(match lang {
        Lang::Nl => WORDS_NL,
        Lang::Fr => WORDS_FR,
        Lang::En => WORDS_EN,
    })
}

impl Texts {
    /// Parses one embedded file.
    pub(crate) fn parse((file, source): Source) -> Result<Self, DocumentError> {
        let table: toml::Table =
            source
                .parse()
                .map_err(|e: toml::de::Error| DocumentError::Texts {
                    file,
                    message: e.message().to_string(),
                })?;
        let mut entries = BTreeMap::new();
        flatten(file, "", &table, &mut entries)?;
        Ok(Self { file, entries })
    }

    /// Every key with its entry, for consistency checks.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> &BTreeMap<String, Entry> {
        &self.entries
    }

    /// The string under `key`, placeholders left as they are.
    pub(crate) fn get(&self, key: &str) -> Result<&str, DocumentError> {
        match self.entries.get(key) {
            Some(Entry::One(s)) => Ok(s),
            _ => Err(self.missing(key)),
        }
    }

    /// The string under `key`, if there is one (for open lists such as peripheral subtypes).
    pub(crate) fn find(&self, key: &str) -> Option<&str> {
        match self.entries.get(key) {
            Some(Entry::One(s)) => Some(s),
            _ => None,
        }
    }

    /// The string under `key` with its placeholders filled in from `vars`.
    pub(crate) fn fill(&self, key: &str, vars: &[(&str, &str)]) -> Result<String, DocumentError> {
        Ok(substitute(self.get(key)?, vars))
    }

    /// The list under `key`, each item with its placeholders filled in.
    pub(crate) fn list(
        &self,
        key: &str,
        vars: &[(&str, &str)],
    ) -> Result<Vec<String>, DocumentError> {
        match self.entries.get(key) {
            Some(Entry::List(items)) => Ok(items.iter().map(|s| substitute(s, vars)).collect()),
            _ => Err(self.missing(key)),
        }
    }

    fn missing(&self, key: &str) -> DocumentError {
        DocumentError::Texts {
            file: self.file,
            message: format!("missing text `{key}`"),
        }
    }
}

fn flatten(
    file: &'static str,
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, Entry>,
) -> Result<(), DocumentError> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let bad = |what: &str| DocumentError::Texts {
            file,
            message: format!("`{full}` {what}"),
        };
        match value {
            toml::Value::String(s) => {
                out.insert(full, Entry::One(s.clone()));
            }
            toml::Value::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        toml::Value::String(s) => list.push(s.clone()),
                        _ => return Err(bad("must be a list of texts between quotes")),
                    }
                }
                out.insert(full, Entry::List(list));
            }
            toml::Value::Table(inner) => flatten(file, &full, inner, out)?,
            _ => return Err(bad("must be a text between quotes")),
        }
    }
    Ok(())
}

/// Replaces every `{name}` whose name is in `vars`; other braces are left untouched.
pub(crate) fn substitute(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names used in `template`.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                names.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that the three languages of one document have the same keys, the same list
    /// lengths, only known placeholders, and the same placeholders per key.
    fn check_family(sources: [Source; 3], known: &[&str]) {
        let parsed: Vec<Texts> = sources
            .iter()
            .map(|s| Texts::parse(*s).expect("text file parses"))
            .collect();
        let reference = &parsed[0];
        for other in &parsed[1..] {
            let a: Vec<&String> = reference.entries().keys().collect();
            let b: Vec<&String> = other.entries().keys().collect();
            assert_eq!(a, b, "{} and {} differ in keys", reference.file, other.file);
        }
        for texts in &parsed {
            for (key, entry) in texts.entries() {
                let strings: Vec<&String> = match entry {
                    Entry::One(s) => vec![s],
                    Entry::List(l) => l.iter().collect(),
                };
                for s in strings {
                    assert!(!s.trim().is_empty(), "{}: `{key}` is empty", texts.file);
                    for name in placeholders(s) {
                        assert!(
                            known.contains(&name.as_str()),
                            "{}: `{key}` uses unknown placeholder {{{name}}}",
                            texts.file
                        );
                    }
                }
            }
        }
        for (key, entry) in reference.entries() {
            let mut want = match entry {
                Entry::One(s) => placeholders(s),
                Entry::List(l) => l.iter().flat_map(|s| placeholders(s)).collect(),
            };
            want.sort();
            for other in &parsed[1..] {
                let entry2 = &other.entries()[key];
                if let (Entry::List(a), Entry::List(b)) = (entry, entry2) {
                    assert_eq!(a.len(), b.len(), "{}: `{key}` list length", other.file);
                }
                let mut got = match entry2 {
                    Entry::One(s) => placeholders(s),
                    Entry::List(l) => l.iter().flat_map(|s| placeholders(s)).collect(),
                };
                got.sort();
                assert_eq!(want, got, "{}: `{key}` placeholders", other.file);
            }
        }
    }

    #[test]
    fn agreement_texts_are_consistent() {
        check_family(
            [AGREEMENT_NL, AGREEMENT_FR, AGREEMENT_EN],
            crate::documents::agreement::PLACEHOLDERS,
        );
    }

    #[test]
    fn certificate_texts_are_consistent() {
        check_family(
            [CERTIFICATE_NL, CERTIFICATE_FR, CERTIFICATE_EN],
            crate::documents::certificate::PLACEHOLDERS,
        );
    }

    #[test]
    fn booking_texts_are_consistent() {
        check_family(
            [BOOKING_NL, BOOKING_FR, BOOKING_EN],
            crate::documents::booking::PLACEHOLDERS,
        );
    }

    #[test]
    fn shared_words_are_consistent() {
        check_family([WORDS_NL, WORDS_FR, WORDS_EN], &[]);
    }

    /// Every key of every catalogue exists in nl, fr and en (the families above compare
    /// the keys; this makes sure no catalogue is left out of them).
    #[test]
    fn every_catalogue_exists_in_three_languages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/documents/texts");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("texts folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let embedded: Vec<&str> = [
            AGREEMENT_NL,
            AGREEMENT_FR,
            AGREEMENT_EN,
            CERTIFICATE_NL,
            CERTIFICATE_FR,
            CERTIFICATE_EN,
            BOOKING_NL,
            BOOKING_FR,
            BOOKING_EN,
            WORDS_NL,
            WORDS_FR,
            WORDS_EN,
        ]
        .iter()
        .map(|(name, _)| *name)
        .collect();
        for name in &names {
            assert!(
                embedded.contains(&name.as_str()),
                "{name} is not embedded and checked"
            );
        }
        for name in &embedded {
            assert!(names.iter().any(|n| n == name), "{name} has no file");
        }
    }

    #[test]
    fn substitution() {
        assert_eq!(
            substitute(
                "tot {end_date}, {x} {unknown} {",
                &[("end_date", "1-1-2030"), ("x", "a")]
            ),
            "tot 1-1-2030, a {unknown} {"
        );
        assert_eq!(placeholders("a {b} c {d}"), vec!["b", "d"]);
    }
}
