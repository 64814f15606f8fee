//! The wording of everything the service prints, in Dutch, French and English: one Fluent
//! catalogue per language (`locales/nl.ftl`, `locales/fr.ftl`, `locales/en.ftl`), embedded in
//! the binary and parsed once per process.
//!
//! A message is read with [`text`] (`i18n::text(Lang::Fr, "agreement-document-title", &[])`);
//! `{ $name }` in a message is filled from the arguments. A list is a run of numbered
//! messages (`agreement-promises-items-1`, `-2`, ...), read with [`list`]. Unicode isolation
//! marks are off: the texts go into PDFs, where they would show as stray characters.
//!
//! To add a language: add `locales/<code>.ftl` with every key of the others, a variant to
//! [`Lang`] and a line to [`SOURCES`]; the tests below then check that nothing is missing.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// A language the service prints in. Dutch first: it is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch (default).
    #[default]
    Nl,
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order of [`SOURCES`].
    pub const ALL: [Lang; 3] = [Lang::Nl, Lang::Fr, Lang::En];

    /// The ISO 639-1 code: `nl`, `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::Nl => 0,
            Lang::Fr => 1,
            Lang::En => 2,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;

    /// Parses `nl`, `fr` or `en` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Ok(Lang::Nl),
            "fr" => Ok(Lang::Fr),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

/// A language code that is not `nl`, `fr` or `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}` (expected nl, fr or en)")]
pub struct UnknownLang(pub String);

/// The catalogues, embedded at compile time: `(file name, contents)`, in the order of
/// [`Lang::ALL`].
pub const SOURCES: [(&str, &str); 3] = [
    ("locales/nl.ftl", include_str!("../locales/nl.ftl")),
    ("locales/fr.ftl", include_str!("../locales/fr.ftl")),
    ("locales/en.ftl", include_str!("../locales/en.ftl")),
];

/// Why a text could not be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum I18nError {
    /// A catalogue does not parse (a build problem: the tests catch it).
    #[error("{file} does not parse: {message}")]
    Syntax {
        /// The catalogue, e.g. `locales/fr.ftl`.
        file: &'static str,
        /// The parser's messages.
        message: String,
    },
    /// The key has no text in this language.
    #[error("{file} has no text `{key}`")]
    Missing {
        /// The catalogue.
        file: &'static str,
        /// The key asked for.
        key: String,
    },
    /// The text could not be formatted, usually because a `{ $variable }` was not given.
    #[error("{file}: text `{key}` cannot be formatted: {message}")]
    Format {
        /// The catalogue.
        file: &'static str,
        /// The key asked for.
        key: String,
        /// Fluent's messages.
        message: String,
    },
}

type Bundle = FluentBundle<FluentResource>;

/// The three bundles, parsed on first use.
fn bundles() -> Result<&'static [Bundle], I18nError> {
    static BUNDLES: OnceLock<Result<Vec<Bundle>, I18nError>> = OnceLock::new();
    BUNDLES
        .get_or_init(|| {
            Lang::ALL
                .iter()
                .zip(SOURCES)
                .map(|(lang, (file, source))| parse(*lang, file, source))
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

fn parse(lang: Lang, file: &'static str, source: &str) -> Result<Bundle, I18nError> {
    let resource =
        FluentResource::try_new(source.to_string()).map_err(|(_, errors)| I18nError::Syntax {
            file,
            message: join(&errors),
        })?;
    let id = lang
        .code()
        .parse()
        .map_err(
            |e: unic_langid::LanguageIdentifierError| I18nError::Syntax {
                file,
                message: e.to_string(),
            },
        )?;
    let mut bundle = Bundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| I18nError::Syntax {
            file,
            message: join(&errors),
        })?;
    Ok(bundle)
}

fn join<E: std::fmt::Display>(errors: &[E]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether `key` has a text in `lang`.
pub fn has(lang: Lang, key: &str) -> bool {
    bundles().is_ok_and(|b| b[lang.index()].has_message(key))
}

/// The text under `key` in `lang` when it has no variables, borrowed from the catalogue.
pub fn plain(lang: Lang, key: &str) -> Result<&'static str, I18nError> {
    match text(lang, key, &[])? {
        Cow::Borrowed(s) => Ok(s),
        Cow::Owned(_) => Err(I18nError::Format {
            file: SOURCES[lang.index()].0,
            key: key.to_string(),
            message: "the text is not plain: it has placeables".into(),
        }),
    }
}

/// The text under `key` in `lang`, with every `{ $name }` filled in from `args`. A variable the
/// text uses but `args` lacks is an error (never a text with a hole in it).
pub fn text(lang: Lang, key: &str, args: &[(&str, &str)]) -> Result<Cow<'static, str>, I18nError> {
    let (file, _) = SOURCES[lang.index()];
    let bundle = &bundles()?[lang.index()];
    let missing = || I18nError::Missing {
        file,
        key: key.to_string(),
    };
    let pattern = bundle
        .get_message(key)
        .and_then(|m| m.value())
        .ok_or_else(missing)?;
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(*value));
    }
    let mut errors: Vec<FluentError> = Vec::new();
    let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(I18nError::Format {
            file,
            key: key.to_string(),
            message: join(&errors),
        })
    }
}

/// The numbered texts `key-1`, `key-2`, ... in `lang`, each filled in from `args`; at least one.
pub fn list(lang: Lang, key: &str, args: &[(&str, &str)]) -> Result<Vec<String>, I18nError> {
    let mut items = Vec::new();
    loop {
        let item = format!("{key}-{}", items.len() + 1);
        if !has(lang, &item) {
            break;
        }
        items.push(text(lang, &item, args)?.into_owned());
    }
    if items.is_empty() {
        return Err(I18nError::Missing {
            file: SOURCES[lang.index()].0,
            key: format!("{key}-1"),
        });
    }
    Ok(items)
}

/// Every message id of one catalogue (its `key = text` lines).
#[cfg(test)]
pub(crate) fn keys(lang: Lang) -> std::collections::BTreeSet<String> {
    SOURCES[lang.index()]
        .1
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" ="))
        .map(|(key, _)| key.trim().to_string())
        .collect()
}

/// The variables the message `key` uses in `lang`: formatting it without arguments reports
/// each one. Any other problem panics.
#[cfg(test)]
pub(crate) fn variables(lang: Lang, key: &str) -> std::collections::BTreeSet<String> {
    use fluent_bundle::resolver::errors::{ReferenceKind, ResolverError};
    let bundle = &bundles().expect("catalogues parse")[lang.index()];
    let pattern = bundle
        .get_message(key)
        .and_then(|m| m.value())
        .expect("a value");
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, None, &mut errors);
    errors
        .into_iter()
        .map(|e| match e {
            FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable {
                id,
            })) => id,
            other => panic!("{}: `{key}`: {other}", lang.code()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn every_catalogue_parses() {
        for (file, source) in SOURCES {
            let lang: Lang = file
                .trim_start_matches("locales/")
                .trim_end_matches(".ftl")
                .parse()
                .expect("file named after its language");
            parse(lang, file, source).expect("parses");
        }
        assert!(bundles().is_ok());
    }

    /// A key missing in one language, or a text whose variables differ from the other
    /// languages' (a variable the code will not give), fails here.
    #[test]
    fn every_key_is_in_every_language_with_the_same_variables() {
        let all: Vec<BTreeSet<String>> = Lang::ALL.iter().map(|l| keys(*l)).collect();
        let union: BTreeSet<&String> = all.iter().flatten().collect();
        let mut problems = Vec::new();
        for key in &union {
            let mut vars: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
            for (i, lang) in Lang::ALL.iter().enumerate() {
                if all[i].contains(*key) {
                    vars.insert(lang.code(), variables(*lang, key));
                } else {
                    problems.push(format!("{} lacks `{key}`", SOURCES[i].0));
                }
            }
            let distinct: BTreeSet<&BTreeSet<String>> = vars.values().collect();
            if distinct.len() > 1 {
                problems.push(format!("`{key}` uses different variables: {vars:?}"));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(union.len() > 100, "the catalogues hold the document texts");
    }

    /// Every text formats without error when given its variables, and is not blank.
    #[test]
    fn every_text_formats_with_its_variables() {
        for lang in Lang::ALL {
            for key in keys(lang) {
                let names = variables(lang, &key);
                let args: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "x")).collect();
                let out = text(lang, &key, &args).expect("formats");
                assert!(!out.trim().is_empty(), "{}: `{key}` is blank", lang.code());
                assert!(!out.contains('{'), "{}: `{key}`: {out}", lang.code());
                assert!(!out.contains('\u{2068}'), "no isolation marks");
            }
        }
    }

    #[test]
    fn a_missing_variable_or_key_is_an_error() {
        let err = text(Lang::Nl, "agreement-document-number", &[]).expect_err("needs a number");
        assert!(matches!(err, I18nError::Format { .. }), "{err}");
        assert!(err.to_string().contains("agreement_number"), "{err}");
        let ok = text(
            Lang::Nl,
            "agreement-document-number",
            &[("agreement_number", "BL-1")],
        )
        .expect("formats");
        assert_eq!(ok, "Nummer BL-1");
        assert!(matches!(
            text(Lang::Fr, "no-such-key", &[]),
            Err(I18nError::Missing { .. })
        ));
        assert!(list(Lang::En, "no-such-list", &[]).is_err());
    }

    #[test]
    fn lists_are_read_in_order() {
        let items = list(
            Lang::En,
            "agreement-promises-items",
            &[("end_date", "1/1/2030")],
        )
        .expect("list");
        assert_eq!(items.len(), 8);
        assert!(items[7].contains("1/1/2030"), "{}", items[7]);
    }

    #[test]
    fn language_codes() {
        assert_eq!("FR".parse::<Lang>(), Ok(Lang::Fr));
        assert!("de".parse::<Lang>().is_err());
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
            assert!(SOURCES[lang.index()].0.contains(lang.code()));
        }
    }
}
