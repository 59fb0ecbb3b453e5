//! Reader name patterns: `*` any run of characters, `?` one character, anything else itself.

/// Whether `name` matches `pattern` (`*` and `?` wildcards, case-sensitive).
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Greedy matching with backtracking to the last star.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::matches_pattern as m;

    #[test]
    fn wildcards() {
        assert!(m("*", ""));
        assert!(m("*", "Virtual PCD 00 00"));
        assert!(m("Virtual PCD*", "Virtual PCD 00 00"));
        assert!(m("Virtual PCD 00 0?", "Virtual PCD 00 01"));
        assert!(m("*PCD*00", "Virtual PCD 00 00"));
        assert!(!m("Virtual PCD 00 0?", "Virtual PCD 00 011"));
        assert!(!m("Gemalto*", "Virtual PCD 00 00"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*b*c", "axxbyy"));
        assert!(m("Čtečka ?", "Čtečka 1"));
    }
}
