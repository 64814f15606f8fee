//! Formatting of dates and amounts for the three document languages.

use chrono::NaiveDate;

use super::Lang;

/// A non-breaking space: the layout engine never breaks a line there and prints it as an
/// ordinary space, so text extractors see "€ 200,00".
pub(crate) const GLUE: char = '\u{a0}';

/// Formats a date the way readers of `lang` expect it: `23-05-2027` in Dutch, `23/05/2027`
/// in French and English.
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Nl => date.format("%d-%m-%Y").to_string(),
        Lang::Fr | Lang::En => date.format("%d/%m/%Y").to_string(),
    }
}

/// Formats an amount in euro cents: `€ 1.200,00` in Dutch, `€ 1 200,00` in French and
/// `€1,200.00` in English. The space after the euro sign never breaks across lines.
pub fn format_money(cents: i64, lang: Lang) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let euros = abs / 100;
    let rest = abs % 100;
    let (thousands, decimal) = match lang {
        Lang::Nl => ('.', ','),
        Lang::Fr => (GLUE, ','),
        Lang::En => (',', '.'),
    };
    let digits = euros.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    match lang {
        Lang::Nl | Lang::Fr => format!("{sign}€{GLUE}{grouped}{decimal}{rest:02}"),
        Lang::En => format!("{sign}€{grouped}{decimal}{rest:02}"),
    }
}

/// The trimmed text, or `None` when it is absent or blank.
pub(crate) fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The text as it will be printed (non-breaking spaces become ordinary spaces).
#[cfg(test)]
pub(crate) fn printed(s: &str) -> String {
    s.replace(GLUE, " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn dates_per_language() {
        assert_eq!(format_date(d(2027, 5, 23), Lang::Nl), "23-05-2027");
        assert_eq!(format_date(d(2027, 5, 23), Lang::Fr), "23/05/2027");
        assert_eq!(format_date(d(2027, 5, 3), Lang::En), "03/05/2027");
    }

    #[test]
    fn money_per_language() {
        assert_eq!(printed(&format_money(20_000, Lang::Nl)), "€ 200,00");
        assert_eq!(printed(&format_money(20_000, Lang::Fr)), "€ 200,00");
        assert_eq!(format_money(20_000, Lang::En), "€200.00");
        assert_eq!(
            printed(&format_money(123_456_789, Lang::Nl)),
            "€ 1.234.567,89"
        );
        assert_eq!(printed(&format_money(120_005, Lang::Fr)), "€ 1 200,05");
        assert_eq!(format_money(120_005, Lang::En), "€1,200.05");
        assert_eq!(format_money(-5, Lang::En), "-€0.05");
        assert_eq!(format_money(0, Lang::En), "€0.00");
    }
}
