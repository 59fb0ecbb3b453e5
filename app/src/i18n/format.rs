//! Numbers, dates and times as people in each language write them.
//!
//! Times are shown in Europe/Prague. The zone's rules are the EU ones (CET, CEST from the last
//! Sunday of March to the last Sunday of October, switching at 01:00 UTC), computed here by hand
//! so that the web build carries no time-zone database.

use super::{Lang, Tr};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc, Weekday};

const NBSP: char = '\u{a0}';

/// `1 234` in Czech (non-breaking space), `1,234` in English.
pub fn format_count(lang: Lang, n: u32) -> String {
    let sep = match lang {
        Lang::Cs => NBSP,
        Lang::En => ',',
    };
    let digits = n.to_string();
    // The leading group has 1–3 digits, every later group exactly 3.
    let head = match digits.len() % 3 {
        0 => 3.min(digits.len()),
        rest => rest,
    };
    let mut out = digits[..head].to_string();
    for group in digits.as_bytes()[head..].chunks(3) {
        out.push(sep);
        out.push_str(std::str::from_utf8(group).unwrap_or_default());
    }
    out
}

/// `25. 11. 2026` in Czech (non-breaking spaces keep it on one line), `25 November 2026` in
/// English.
pub fn format_date(tr: Tr, date: NaiveDate) -> String {
    let (d, m, y) = (date.day(), date.month(), date.year());
    match tr.lang {
        Lang::Cs => format!("{d}.{NBSP}{m}.{NBSP}{y}"),
        Lang::En => format!("{d}{NBSP}{}{NBSP}{y}", month_name(tr, m)),
    }
}

/// Date and time in Prague: `25. 11. 2026, 14:30`.
pub fn format_datetime(tr: Tr, at: DateTime<Utc>) -> String {
    let local = prague_local(at);
    // By hand rather than chrono's `format`, whose machinery cost the web bundle 12 KB of wasm.
    format!(
        "{}, {}:{:02}",
        format_date(tr, local.date()),
        local.hour(),
        local.minute()
    )
}

fn month_name(tr: Tr, month: u32) -> &'static str {
    match month {
        1 => tr.t("date.month.1"),
        2 => tr.t("date.month.2"),
        3 => tr.t("date.month.3"),
        4 => tr.t("date.month.4"),
        5 => tr.t("date.month.5"),
        6 => tr.t("date.month.6"),
        7 => tr.t("date.month.7"),
        8 => tr.t("date.month.8"),
        9 => tr.t("date.month.9"),
        10 => tr.t("date.month.10"),
        11 => tr.t("date.month.11"),
        _ => tr.t("date.month.12"),
    }
}

/// A postal code as written on envelopes: `110 00`.
pub fn format_psc(psc: &str) -> String {
    if psc.len() == 5 && psc.chars().all(|c| c.is_ascii_digit()) {
        format!("{}{NBSP}{}", &psc[..3], &psc[3..])
    } else {
        psc.to_string()
    }
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let mut day = next_month.expect("valid month") - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

/// Wall-clock time in Prague for an instant.
pub fn prague_local(at: DateTime<Utc>) -> NaiveDateTime {
    let utc = at.naive_utc();
    let switch = |month| {
        last_sunday(utc.year(), month)
            .and_hms_opt(1, 0, 0)
            .expect("01:00 exists")
    };
    let summer = utc >= switch(3) && utc < switch(10);
    utc + Duration::hours(if summer { 2 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn spaced(s: String) -> String {
        s.replace(NBSP, " ")
    }

    #[test]
    fn czech_and_english_dates() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(spaced(format_date(Tr::new(Lang::Cs), date)), "25. 11. 2026");
        assert_eq!(
            spaced(format_date(Tr::new(Lang::En), date)),
            "25 November 2026"
        );
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(spaced(format_count(Lang::Cs, 1234567)), "1 234 567");
        assert_eq!(format_count(Lang::En, 1234), "1,234");
        assert_eq!(format_count(Lang::Cs, 999), "999");
        assert_eq!(format_count(Lang::Cs, 0), "0");
        assert_eq!(format_count(Lang::En, 100_000), "100,000");
    }

    #[test]
    fn psc_gets_its_space() {
        assert_eq!(spaced(format_psc("11000")), "110 00");
        assert_eq!(format_psc("1100"), "1100");
    }

    #[test]
    fn last_sundays() {
        assert_eq!(
            last_sunday(2026, 3),
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
        );
        assert_eq!(
            last_sunday(2026, 10),
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        );
        assert_eq!(
            last_sunday(2027, 3),
            NaiveDate::from_ymd_opt(2027, 3, 28).unwrap()
        );
        assert_eq!(
            last_sunday(2026, 12),
            NaiveDate::from_ymd_opt(2026, 12, 27).unwrap()
        );
    }

    #[test]
    fn prague_winter_and_summer_time() {
        let hm = |at| prague_local(at).format("%Y-%m-%d %H:%M").to_string();
        assert_eq!(hm(utc(2026, 1, 15, 12, 0)), "2026-01-15 13:00");
        assert_eq!(hm(utc(2026, 7, 15, 12, 0)), "2026-07-15 14:00");
        // Spring forward: 02:00 CET becomes 03:00 CEST.
        assert_eq!(hm(utc(2026, 3, 29, 0, 59)), "2026-03-29 01:59");
        assert_eq!(hm(utc(2026, 3, 29, 1, 0)), "2026-03-29 03:00");
        // Fall back: 03:00 CEST becomes 02:00 CET.
        assert_eq!(hm(utc(2026, 10, 25, 0, 59)), "2026-10-25 02:59");
        assert_eq!(hm(utc(2026, 10, 25, 1, 0)), "2026-10-25 02:00");
        // Midnight UTC on New Year's Eve is already next year in Prague.
        assert_eq!(hm(utc(2026, 12, 31, 23, 30)), "2027-01-01 00:30");
    }

    #[test]
    fn datetime_in_prague() {
        let at = utc(2026, 11, 25, 13, 30);
        assert_eq!(
            spaced(format_datetime(Tr::new(Lang::Cs), at)),
            "25. 11. 2026, 14:30"
        );
        assert_eq!(
            spaced(format_datetime(Tr::new(Lang::En), at)),
            "25 November 2026, 14:30"
        );
    }
}
