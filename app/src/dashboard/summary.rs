//! Tile summaries in words. The server sends numbers; the wording, plurals included, is ours.

use crate::i18n::{Tr, format_date, format_datetime};
use portal_domain::Amount;
use portal_domain::wire::{Module, TileSummary};

pub fn module_title(tr: Tr, module: Module) -> &'static str {
    match module {
        Module::Payments => tr.t("module.payments"),
        Module::Filing => tr.t("module.filing"),
        Module::Bookings => tr.t("module.bookings"),
        Module::Subsidies => tr.t("module.subsidies"),
        Module::Notifications => tr.t("module.notifications"),
    }
}

pub fn summary_text(tr: Tr, summary: &TileSummary) -> String {
    match summary {
        TileSummary::Payments {
            unpaid_count,
            unpaid_total_halere,
            next_due,
        } => {
            if *unpaid_count == 0 {
                return tr.t("dashboard.payments.none").to_string();
            }
            let unpaid = tr.plural("dashboard.payments.unpaid", *unpaid_count);
            let amount = Amount::from_halere(*unpaid_total_halere).format_czk();
            match next_due {
                Some(date) => tr.tf(
                    "dashboard.payments.summary_due",
                    &[
                        ("unpaid", &unpaid),
                        ("amount", &amount),
                        ("date", &format_date(tr, *date)),
                    ],
                ),
                None => tr.tf(
                    "dashboard.payments.summary",
                    &[("unpaid", &unpaid), ("amount", &amount)],
                ),
            }
        }
        TileSummary::Filing { open_submissions } => match open_submissions {
            0 => tr.t("dashboard.filing.none").to_string(),
            n => tr.plural("dashboard.filing.open", *n),
        },
        TileSummary::Bookings { upcoming, next_at } => match (upcoming, next_at) {
            (0, _) => tr.t("dashboard.bookings.none").to_string(),
            (n, Some(at)) => tr.tf(
                "dashboard.bookings.summary_next",
                &[
                    ("upcoming", &tr.plural("dashboard.bookings.upcoming", *n)),
                    ("at", &format_datetime(tr, *at)),
                ],
            ),
            (n, None) => tr.plural("dashboard.bookings.upcoming", *n),
        },
        TileSummary::Subsidies {
            open_calls,
            my_applications,
        } => {
            let calls = match open_calls {
                0 => tr.t("dashboard.subsidies.no_calls").to_string(),
                n => tr.plural("dashboard.subsidies.calls", *n),
            };
            match my_applications {
                0 => calls,
                n => tr.tf(
                    "dashboard.subsidies.summary",
                    &[
                        ("calls", &calls),
                        (
                            "applications",
                            &tr.plural("dashboard.subsidies.applications", *n),
                        ),
                    ],
                ),
            }
        }
        TileSummary::Notifications { unread } => match unread {
            0 => tr.t("dashboard.notifications.none").to_string(),
            n => tr.plural("dashboard.notifications.unread", *n),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use chrono::{NaiveDate, TimeZone, Utc};

    const CS: Tr = Tr { lang: Lang::Cs };
    const EN: Tr = Tr { lang: Lang::En };

    fn say(tr: Tr, summary: TileSummary) -> String {
        summary_text(tr, &summary).replace('\u{a0}', " ")
    }

    fn payments(n: u32, halere: i64, due: Option<(i32, u32, u32)>) -> TileSummary {
        TileSummary::Payments {
            unpaid_count: n,
            unpaid_total_halere: halere,
            next_due: due.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        }
    }

    #[test]
    fn payments_in_czech_with_all_plural_forms() {
        assert_eq!(
            say(CS, payments(2, 150_000, Some((2027, 3, 31)))),
            "2 nezaplacené poplatky · 1 500,00 Kč, splatnost 31. 3. 2027"
        );
        assert_eq!(
            say(CS, payments(1, 50_000, None)),
            "1 nezaplacený poplatek · 500,00 Kč"
        );
        assert_eq!(
            say(CS, payments(5, 1_000_050, None)),
            "5 nezaplacených poplatků · 10 000,50 Kč"
        );
        assert_eq!(say(CS, payments(0, 0, None)), "Vše zaplaceno");
    }

    #[test]
    fn payments_in_english() {
        assert_eq!(
            say(EN, payments(2, 150_000, Some((2027, 3, 31)))),
            "2 unpaid fees · 1 500,00 Kč, due 31 March 2027"
        );
        assert_eq!(say(EN, payments(1, 100, None)), "1 unpaid fee · 1,00 Kč");
        assert_eq!(say(EN, payments(0, 0, None)), "All paid");
    }

    #[test]
    fn notifications() {
        let unread = |n| TileSummary::Notifications { unread: n };
        assert_eq!(say(CS, unread(1)), "1 nepřečtená zpráva");
        assert_eq!(say(CS, unread(3)), "3 nepřečtené zprávy");
        assert_eq!(say(CS, unread(12)), "12 nepřečtených zpráv");
        assert_eq!(say(CS, unread(0)), "Žádné nové zprávy");
        assert_eq!(say(EN, unread(1)), "1 unread message");
        assert_eq!(say(EN, unread(3)), "3 unread messages");
    }

    #[test]
    fn filing() {
        let open = |n| TileSummary::Filing {
            open_submissions: n,
        };
        assert_eq!(say(CS, open(1)), "1 rozpracované podání");
        assert_eq!(say(CS, open(4)), "4 rozpracovaná podání");
        assert_eq!(say(CS, open(7)), "7 rozpracovaných podání");
        assert_eq!(say(CS, open(0)), "Žádná rozpracovaná podání");
        assert_eq!(say(EN, open(2)), "2 submissions in progress");
    }

    #[test]
    fn bookings_show_the_next_one_in_prague_time() {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 13, 30, 0).unwrap();
        let booked = |n, next_at| TileSummary::Bookings {
            upcoming: n,
            next_at,
        };
        assert_eq!(
            say(CS, booked(2, Some(at))),
            "2 naplánované návštěvy, nejbližší 25. 11. 2026, 14:30"
        );
        assert_eq!(
            say(EN, booked(1, Some(at))),
            "1 upcoming appointment, next on 25 November 2026, 14:30"
        );
        assert_eq!(say(CS, booked(5, None)), "5 naplánovaných návštěv");
        assert_eq!(say(CS, booked(0, None)), "Žádné naplánované návštěvy");
    }

    #[test]
    fn subsidies() {
        let subs = |c, a| TileSummary::Subsidies {
            open_calls: c,
            my_applications: a,
        };
        assert_eq!(say(CS, subs(2, 1)), "2 vypsané výzvy · 1 podaná žádost");
        assert_eq!(say(CS, subs(5, 0)), "5 vypsaných výzev");
        assert_eq!(
            say(CS, subs(0, 3)),
            "Žádné vypsané výzvy · 3 podané žádosti"
        );
        assert_eq!(
            say(EN, subs(1, 2)),
            "1 open call · 2 applications submitted"
        );
    }

    #[test]
    fn every_module_has_a_title() {
        for lang in Lang::ALL {
            for module in Module::ALL {
                let title = module_title(Tr::new(lang), module);
                assert!(!title.starts_with("module."), "{lang:?} {module:?}");
            }
        }
    }
}
