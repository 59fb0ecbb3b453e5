//! Plural rules (CLDR, integers only): Czech has one / few (2–4) / other, English one / other.

use super::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    One,
    Few,
    Other,
}

impl PluralCategory {
    pub fn suffix(self) -> &'static str {
        match self {
            PluralCategory::One => "one",
            PluralCategory::Few => "few",
            PluralCategory::Other => "other",
        }
    }
}

pub fn plural_category(lang: Lang, n: u32) -> PluralCategory {
    match (lang, n) {
        (_, 1) => PluralCategory::One,
        // Czech: 2, 3, 4 only – 22 is "22 poplatků", unlike Polish or Russian.
        (Lang::Cs, 2..=4) => PluralCategory::Few,
        _ => PluralCategory::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn czech_categories() {
        let cat = |n| plural_category(Lang::Cs, n);
        assert_eq!(cat(0), PluralCategory::Other);
        assert_eq!(cat(1), PluralCategory::One);
        for n in 2..=4 {
            assert_eq!(cat(n), PluralCategory::Few);
        }
        for n in [5, 11, 12, 21, 22, 100, 101, 1000] {
            assert_eq!(cat(n), PluralCategory::Other, "{n}");
        }
    }

    #[test]
    fn english_categories() {
        assert_eq!(plural_category(Lang::En, 1), PluralCategory::One);
        for n in [0, 2, 3, 4, 5, 21] {
            assert_eq!(plural_category(Lang::En, n), PluralCategory::Other);
        }
    }
}
