//! The vendor data file (`data/vendors.toml`, embedded): an observable pattern → the vendor
//! → the vendor's home country, each row with its public source.
//!
//! A row matches an observed value when its `field` names where the value was seen (a
//! response header name, `issuer`, `as-org` or `jarm`: the endpoint's JARM TLS fingerprint)
//! and its regular expression matches the value.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The data file's text.
pub const VENDORS_TOML: &str = include_str!("../../data/vendors.toml");

/// One row of the vendor data file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Stable row id.
    pub id: String,
    /// Where the pattern is matched: a header name (lower case), `issuer`, `as-org` or
    /// `jarm`.
    pub field: String,
    /// The regular expression.
    pub pattern: String,
    /// The vendor's name.
    pub vendor: String,
    /// The vendor's home country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The product the observation shows.
    pub product: String,
    /// A value this row matches and no other row does.
    pub example: String,
    /// Where the banner, header, issuer or AS is documented.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    row: Vec<Row>,
}

/// A row with its compiled pattern.
#[derive(Debug)]
pub struct Compiled {
    /// The row.
    pub row: Row,
    /// Its pattern.
    pub regex: regex::Regex,
}

/// Parse and check a vendor data file: unique ids, valid patterns, assigned country codes.
pub fn parse(text: &str) -> Result<Vec<Compiled>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out: Vec<Compiled> = Vec::with_capacity(file.row.len());
    for row in file.row {
        if out.iter().any(|c| c.row.id == row.id) {
            return Err(format!("duplicate row id {:?}", row.id));
        }
        if !crate::catalog::is_assigned_country(&row.country) {
            return Err(format!(
                "row {}: country {:?} is not assigned",
                row.id, row.country
            ));
        }
        if !row.source.starts_with("https://") {
            return Err(format!("row {}: the source must be an https URL", row.id));
        }
        if row.field.is_empty() || row.field.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(format!("row {}: field must be a lower-case name", row.id));
        }
        let regex = regex::Regex::new(&row.pattern)
            .map_err(|e| format!("row {}: invalid pattern: {e}", row.id))?;
        out.push(Compiled { row, regex });
    }
    Ok(out)
}

/// The embedded table. A broken table is a bug (the tests parse it): it then matches nothing.
pub fn table() -> &'static [Compiled] {
    static T: OnceLock<Vec<Compiled>> = OnceLock::new();
    T.get_or_init(|| parse(VENDORS_TOML).unwrap_or_default())
}

/// The rows matching `value` seen in `field`.
pub fn identify<'a>(table: &'a [Compiled], field: &str, value: &str) -> Vec<&'a Row> {
    table
        .iter()
        .filter(|c| c.row.field == field && c.regex.is_match(value))
        .map(|c| &c.row)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_matches_its_own_example_and_no_other_rows() {
        let t = parse(VENDORS_TOML).unwrap();
        assert!(t.len() >= 30, "{} rows", t.len());
        for c in &t {
            assert!(
                c.regex.is_match(&c.row.example),
                "row {} does not match its own example {:?}",
                c.row.id,
                c.row.example
            );
            for other in t.iter().filter(|o| o.row.id != c.row.id) {
                assert!(
                    !c.regex.is_match(&other.row.example),
                    "row {} also matches row {}'s example {:?}",
                    c.row.id,
                    other.row.id,
                    other.row.example
                );
            }
        }
        assert_eq!(table().len(), t.len());
    }

    #[test]
    fn identify_uses_the_field() {
        let t = table();
        let ids = |f: &str, v: &str| -> Vec<String> {
            identify(t, f, v).iter().map(|r| r.id.clone()).collect()
        };
        assert_eq!(ids("server", "nginx"), ["nginx"]);
        assert_eq!(ids("server", "nginx/1.18.0 (Ubuntu)"), ["nginx"]);
        assert!(ids("via", "nginx").is_empty());
        assert!(ids("server", "my-nginx").is_empty());
        assert_eq!(ids("issuer", "Let's Encrypt"), ["ca-lets-encrypt"]);
        let google = "27d40d40d29d40d1dc42d43d00041d4689ee210389f4f6b4b5b1b93f92252d";
        assert_eq!(ids("jarm", google), ["jarm-google"]);
        assert!(ids("server", google).is_empty());
        // A fingerprint matches whole: a prefix or a longer value is another fingerprint.
        assert!(ids("jarm", &google[..61]).is_empty());
        assert!(ids("jarm", &format!("{google}0")).is_empty());
    }

    #[test]
    fn every_jarm_row_is_a_whole_fingerprint() {
        for c in table().iter().filter(|c| c.row.field == "jarm") {
            let fp = &c.row.example;
            assert_eq!(fp.len(), 62, "row {}", c.row.id);
            assert!(
                fp.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "row {}: lower-case hex",
                c.row.id
            );
            assert_eq!(c.row.pattern, format!("^{fp}$"), "row {}", c.row.id);
        }
    }

    #[test]
    fn bad_tables_are_refused() {
        let row = |extra: &str| {
            format!(
                "[[row]]\nid = \"a\"\nfield = \"server\"\npattern = \"x\"\nvendor = \"V\"\n\
                 country = \"US\"\nproduct = \"P\"\nexample = \"x\"\nsource = \"https://e.example/\"\n{extra}"
            )
        };
        assert!(parse(&row("")).is_ok());
        assert!(parse(&format!("{}{}", row(""), row(""))).is_err());
        assert!(parse(&row("").replace("\"US\"", "\"XX\"")).is_err());
        assert!(parse(&row("").replace("\"x\"\nvendor", "\"(\"\nvendor")).is_err());
        assert!(parse(&row("").replace("https://", "http://")).is_err());
        assert!(parse(&row("colour = 1\n")).is_err());
    }
}
