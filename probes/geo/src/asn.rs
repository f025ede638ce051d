//! The ASN table of the `@ip-location-db/asn` package: CSV rows `start,end,asn,org` (inclusive
//! address ranges; IPv4 and IPv6 in separate files; `org` quoted when it holds a comma).
//!
//! Kept as the package ships it and loaded into a sorted in-memory table, rather than
//! converted to an `.mmdb` at update time: converting needs an MMDB *writer* in the product
//! (the only one fit for it, `mmdb-writer`, is a single young release that this workspace pins
//! for test fixtures only), while a sorted table needs no dependency, loads the 515k rows
//! (33 MB of CSV) in well under a second, takes about 12 MB (start, end, ASN and an index into
//! a de-duplicated organisation list per row) and answers by binary search. The CSV stays the
//! verifiable artefact: its sha256 is in the data directory's `manifest.json`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::prefix::{MAX_FILE_BYTES, Prefix, addr_bits, read_bounded};

/// One ASN answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsnAnswer {
    /// Autonomous system number.
    pub asn: u32,
    /// The AS's organisation name as the table gives it.
    pub org: String,
    /// The table's range holding the address, `start-end`.
    pub range: String,
    /// The table file's name.
    pub source: String,
}

#[derive(Clone, Copy, Debug)]
struct Row {
    start: u128,
    end: u128,
    asn: u32,
    org: u32,
}

/// A sorted table of address ranges → ASN and organisation.
#[derive(Debug, Default)]
pub struct AsnTable {
    rows: Vec<Row>,
    orgs: Vec<String>,
    org_ids: HashMap<String, u32>,
    sources: Vec<String>,
    source: String,
}

/// Split one CSV line into fields (RFC 4180 quoting: `"a, b"`, `""` inside quotes).
pub(crate) fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

impl AsnTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of ranges.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The files loaded, by name.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Load a CSV file (at most 256 MiB) and add its rows.
    pub fn load_file(&mut self, path: &Path) -> Result<usize, Error> {
        let bytes = read_bounded(path, MAX_FILE_BYTES)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        self.load_bytes(&name, &bytes)
    }

    /// Add the rows of CSV data; `name` names the source in errors and answers.
    pub fn load_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<usize, Error> {
        let perr = |line: usize, message: String| Error::Parse {
            file: name.to_owned(),
            location: format!("line {line}"),
            message,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| Error::Parse {
            file: name.to_owned(),
            location: format!("byte {}", e.valid_up_to()),
            message: "not UTF-8".into(),
        })?;
        let mut added = 0;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f = csv_fields(line);
            let (Some(s), Some(e), Some(a)) = (f.first(), f.get(1), f.get(2)) else {
                return Err(perr(i + 1, "expected start,end,asn,org".into()));
            };
            let start = parse_addr(s).ok_or_else(|| perr(i + 1, format!("bad start {s:?}")))?;
            let end = parse_addr(e).ok_or_else(|| perr(i + 1, format!("bad end {e:?}")))?;
            if end < start {
                return Err(perr(i + 1, "end before start".into()));
            }
            let asn = a
                .trim()
                .parse::<u32>()
                .map_err(|_| perr(i + 1, format!("bad ASN {a:?}")))?;
            let org = f.get(3).map(|o| o.trim().to_owned()).unwrap_or_default();
            let org = self.intern(org);
            self.rows.push(Row {
                start,
                end,
                asn,
                org,
            });
            added += 1;
        }
        self.rows.sort_by_key(|r| (r.start, r.end));
        self.sources.push(name.to_owned());
        self.source = self.sources.join("+");
        Ok(added)
    }

    fn intern(&mut self, org: String) -> u32 {
        if let Some(id) = self.org_ids.get(&org) {
            return *id;
        }
        let id = u32::try_from(self.orgs.len()).unwrap_or(u32::MAX);
        self.orgs.push(org.clone());
        self.org_ids.insert(org, id);
        id
    }

    /// The ASN of `ip`: the narrowest range holding it that starts at or before it.
    pub fn lookup(&self, ip: IpAddr) -> Option<AsnAnswer> {
        let x = addr_bits(ip);
        // Rows sorted by start; ranges in the source do not overlap, but check a few
        // neighbours in case two files do.
        let idx = self.rows.partition_point(|r| r.start <= x);
        let mut best: Option<&Row> = None;
        for r in self
            .rows
            .get(idx.saturating_sub(8)..idx)
            .unwrap_or_default()
        {
            if r.start <= x && x <= r.end && best.is_none_or(|b| r.end - r.start < b.end - b.start)
            {
                best = Some(r);
            }
        }
        let r = best?;
        Some(AsnAnswer {
            asn: r.asn,
            org: self.orgs.get(r.org as usize).cloned().unwrap_or_default(),
            range: format!(
                "{}-{}",
                crate::prefix::bits_to_ip(r.start),
                crate::prefix::bits_to_ip(r.end)
            ),
            source: self.source.clone(),
        })
    }
}

fn parse_addr(s: &str) -> Option<u128> {
    let p = Prefix::parse(s.trim())?;
    (p.len == 128).then_some(p.bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_lookup() {
        assert_eq!(
            csv_fields(r#"1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc.""#),
            vec!["1.0.0.0", "1.0.0.255", "13335", "Cloudflare, Inc."]
        );
        assert_eq!(csv_fields(r#"a,"x ""y""",c"#), vec!["a", "x \"y\"", "c"]);
        let mut t = AsnTable::new();
        let n = t
            .load_bytes(
                "asn-ipv4.csv",
                b"192.0.2.0,192.0.2.255,64500,\"Example, Inc.\"\n203.0.113.0,203.0.113.127,64501,Other\n",
            )
            .unwrap();
        assert_eq!(n, 2);
        t.load_bytes(
            "asn-ipv6.csv",
            b"2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,64502,Six\n",
        )
        .unwrap();
        let a = t.lookup("192.0.2.9".parse().unwrap()).unwrap();
        assert_eq!((a.asn, a.org.as_str()), (64500, "Example, Inc."));
        assert_eq!(a.range, "192.0.2.0-192.0.2.255");
        assert!(t.lookup("203.0.113.200".parse().unwrap()).is_none());
        assert_eq!(t.lookup("2001:db8::5".parse().unwrap()).unwrap().asn, 64502);
        assert!(t.lookup("198.51.100.1".parse().unwrap()).is_none());
        assert!(t.load_bytes("bad.csv", b"x,y,z\n").is_err());
    }
}
