//! Did-you-mean suggestions for unknown names (profiles, parameters, probes), cargo style:
//! ``unknown profile `kensa-levl-2` (did you mean `kensa-level-2`?)``.

/// The candidate closest to `input`, when it is close enough to be a likely misspelling
/// (Jaro-Winkler similarity of at least 0.8, as cargo and clap use, or an edit distance of
/// at most a third of the name's length).
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == input {
            continue;
        }
        let score = strsim::jaro_winkler(input, c);
        let near = strsim::levenshtein(input, c) <= (input.chars().count() / 3).max(1);
        if (score >= 0.8 || near) && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `" (did you mean `X`?)"` for the closest candidate, or an empty string.
pub fn hint<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(input, candidates).map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_are_matched_and_strangers_are_not() {
        let profiles = [
            "kensa-level-1",
            "kensa-level-2",
            "kensa-level-3",
            "ssl-labs",
        ];
        assert_eq!(closest("kensa-levl-2", profiles), Some("kensa-level-2"));
        assert_eq!(closest("ssl-lab", profiles), Some("ssl-labs"));
        assert_eq!(closest("zzz", profiles), None);
        assert_eq!(
            hint(
                "max_cert_lifetim_days",
                ["max_cert_lifetime_days", "hsts_min_age_s"]
            ),
            " (did you mean `max_cert_lifetime_days`?)"
        );
        assert_eq!(
            hint("tls.scna", ["tls.scan", "dns.resolve"]),
            " (did you mean `tls.scan`?)"
        );
        assert_eq!(hint("nothing-like-it", ["tls.scan"]), "");
    }
}
