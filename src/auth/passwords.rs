//! Passwords of people who sign in on the pages: the rules of NIST SP 800-63B rev. 4 for a
//! password used on its own, and argon2id hashing.
//!
//! - at least [`MIN_CHARS`] characters, counted as Unicode scalar values; at most [`MAX_CHARS`]
//!   (more than the 64 the guideline asks to allow; the cap bounds the cost of hashing);
//! - no composition rules (no "one digit, one capital"), no forced periodic change;
//! - refused: a very common password or an obvious pattern (one character repeated, a run
//!   such as `123456789…` or `abcdef…`, the service's own name repeated), and the person's
//!   e-mail address or its local part;
//! - spaces and every printable character are allowed. The password is not normalised
//!   (no NFKC): it is hashed as typed, so a person who types it the same way signs in.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

use crate::error::AppError;

/// Shortest password accepted, in characters.
pub const MIN_CHARS: usize = 15;
/// Longest password accepted, in characters.
pub const MAX_CHARS: usize = 128;

/// Why a password is refused. The English sentence is what the API and the logs say; the pages
/// show the same reason in the person's language (`web-refusal-…` keys with the same text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    Common,
    IsEmail,
}

impl Weakness {
    pub fn message(self) -> &'static str {
        match self {
            Weakness::TooShort => {
                "is too short: use at least 15 characters, for example a few words"
            }
            Weakness::TooLong => "is too long: use at most 128 characters",
            Weakness::Common => "is too easy to guess: choose a less common password",
            Weakness::IsEmail => "must not be your e-mail address",
        }
    }
}

/// Very common passwords of 15 characters or more, and pieces that make a password guessable
/// when it is made of nothing else. Written for this service (lower case, compared after
/// removing spaces and punctuation).
const COMMON: &[&str] = &[
    "passwordpassword",
    "password123456789",
    "passwordpassword123",
    "wachtwoordwachtwoord",
    "wachtwoord123456789",
    "motdepassemotdepasse",
    "motdepasse123456789",
    "iloveyouiloveyou",
    "qwertyuiopasdfghjkl",
    "qwertyuiopasdfgh",
    "azertyuiopqsdfghjklm",
    "azertyuiopqsdfgh",
    "1q2w3e4r5t6y7u8i",
    "1qaz2wsx3edc4rfv",
    "letmeinletmein",
    "welcomewelcome",
    "welkomwelkomwelkom",
    "bienvenuebienvenue",
    "administrator123",
    "adminadminadmin",
    "digilenddigilend",
    "digilend123456789",
    "uitleendienst123",
    "changemechangeme",
    "trustno1trustno1",
    "correcthorsebatterystaple",
    "thequickbrownfoxjumpsoverthelazydog",
    "abc123abc123abc123",
    "princessprincess",
    "football123456789",
    "sunshinesunshine",
    "monkeymonkeymonkey",
    "dragondragondragon",
];

/// Words whose repetition alone makes a password (e.g. `welkomwelkomwelkom1`).
const REPEATED_WORDS: &[&str] = &[
    "password",
    "wachtwoord",
    "motdepasse",
    "admin",
    "welkom",
    "welcome",
    "digilend",
    "qwerty",
    "azerty",
    "abc",
    "123",
];

/// Letters and digits only, lower case: `Pass word-123!` and `password123` compare equal.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `s` is one short unit repeated (`aaaa…`, `abab…`, `123123…`), ignoring a trailing
/// digit or two.
fn is_repetition(s: &str) -> bool {
    let chars: Vec<char> = s
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .chars()
        .collect();
    let chars = if chars.len() < 4 {
        s.chars().collect()
    } else {
        chars
    };
    let n = chars.len();
    (1..=n / 2)
        .any(|unit| unit <= 10 && n % unit == 0 && chars.chunks(unit).all(|c| c == &chars[..unit]))
}

/// Whether `s` is a run of consecutive characters (`0123456789…`, `abcdefgh…`, or backwards).
fn is_sequence(s: &str) -> bool {
    let chars: Vec<u32> = s.chars().map(u32::from).collect();
    if chars.len() < 6 {
        return false;
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(w[1]) - i64::from(w[0]))
        .collect();
    // Digits wrap around: 7890123…
    steps.iter().all(|d| *d == 1 || *d == -9) || steps.iter().all(|d| *d == -1 || *d == 9)
}

/// Whether the password is made only of repeated common words (with digits at the end).
fn is_common_words(s: &str) -> bool {
    let mut rest = s.trim_end_matches(|c: char| c.is_ascii_digit());
    if rest.is_empty() {
        return true;
    }
    'outer: while !rest.is_empty() {
        for word in REPEATED_WORDS {
            if let Some(r) = rest.strip_prefix(word) {
                rest = r;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// Checks a new password against the rules; `email` is the person's address, if any.
pub fn check(password: &str, email: Option<&str>) -> Result<(), Weakness> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(Weakness::TooShort);
    }
    if n > MAX_CHARS {
        return Err(Weakness::TooLong);
    }
    let plain = squeezed(password);
    if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
        let local = email.split('@').next().unwrap_or(email);
        if plain == squeezed(email) || (squeezed(local).len() >= 6 && plain == squeezed(local)) {
            return Err(Weakness::IsEmail);
        }
    }
    if plain.chars().count() < 8
        || COMMON.contains(&plain.as_str())
        || is_repetition(&plain)
        || is_sequence(&plain)
        || is_common_words(&plain)
    {
        return Err(Weakness::Common);
    }
    Ok(())
}

/// The argon2id hash of a password, as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`), with
/// the crate's default cost (19 MiB, 2 passes: the OWASP minimum for argon2id).
pub fn hash(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Whether `password` matches a stored PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash that matches nothing, verified when the e-mail is unknown so that the answer takes
/// as long as for a known one (no telling which addresses have an account by the timing).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not a password anyone has: dummy").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules() {
        assert_eq!(check("short one", None), Err(Weakness::TooShort));
        assert_eq!(check(&"x1y2".repeat(40), None), Err(Weakness::TooLong));
        // 64 characters are allowed, and so are spaces and any script.
        let long = "de fiets staat achter het gemeentehuis naast de bakker op de hoek";
        assert!(long.chars().count() >= 64);
        assert_eq!(check(long, None), Ok(()));
        assert_eq!(check("mijn kat heet Minou en eet vis", None), Ok(()));
        assert_eq!(check("Ça fait longtemps déjà", None), Ok(()));
        // 15 characters, no composition rule.
        assert_eq!(check("paardenbloemveld", None), Ok(()));
    }

    #[test]
    fn common_and_patterns_are_refused() {
        for p in [
            "passwordpassword",
            "Password 123456789",
            "aaaaaaaaaaaaaaaa",
            "abababababababab",
            "123456789012345",
            "abcdefghijklmnop",
            "welkomwelkomwelkom1",
            "qwertyuiopasdfgh",
            "Wachtwoord-Wachtwoord!",
            "!!!!!!!!!!!!!!!!",
        ] {
            assert_eq!(check(p, None), Err(Weakness::Common), "{p}");
        }
    }

    #[test]
    fn the_email_is_refused() {
        let email = "sam.peeters@werkplaats.example.be";
        assert_eq!(check(email, Some(email)), Err(Weakness::IsEmail));
        assert_eq!(
            check("SAM.PEETERS@werkplaats.example.be", Some(email)),
            Err(Weakness::IsEmail)
        );
        assert_eq!(check("een heel ander wachtwoord", Some(email)), Ok(()));
    }

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash("een lange zin als wachtwoord").expect("hash");
        let b = hash("een lange zin als wachtwoord").expect("hash");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a random salt each time");
        assert!(verify("een lange zin als wachtwoord", &a));
        assert!(!verify("een lange zin als wachtwoorD", &a));
        assert!(!verify("x", "not a hash"));
        assert!(!verify("x", dummy_hash()));
    }
}
