//! Edits of the catalog file (add or remove an endpoint, change `applies_for`) and the
//! one-provider catalog a re-check scans. The result is always checked by the caller with
//! [`crate::catalog::parse`], so an edit obeys the same rules, with the same messages, as the
//! TOML file itself. An edit keeps the file as its author wrote it (comments, order, layout:
//! `toml_edit`); only the edited provider's lines change.

use toml::{Table, Value};
use toml_edit::{DocumentMut, Item, TableLike};

use super::backend::{BackendError, CatalogEdit};

fn invalid(s: impl Into<String>) -> BackendError {
    BackendError::Invalid(s.into())
}

fn parse(text: &str) -> Result<(Table, crate::catalog::Catalog), BackendError> {
    let table: Table = text
        .parse()
        .map_err(|e: toml::de::Error| invalid(e.to_string()))?;
    let cat = crate::catalog::parse("catalog", text).map_err(|e| invalid(e.to_string()))?;
    Ok((table, cat))
}

fn provider_index(cat: &crate::catalog::Catalog, id: &str) -> Result<usize, BackendError> {
    cat.providers
        .iter()
        .position(|p| p.id == id)
        .ok_or_else(|| BackendError::NotFound(format!("no provider `{id}` in the catalog")))
}

fn providers_mut(table: &mut Table) -> Result<&mut Vec<Value>, BackendError> {
    table
        .get_mut("provider")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| invalid("the catalog has no [[provider]] tables"))
}

/// The `i`-th provider of the document, whether written as `[[provider]]` tables or as an
/// inline array.
/// The flag says whether it is an inline table (whose endpoints can only be an inline array).
fn provider_mut(
    doc: &mut DocumentMut,
    i: usize,
) -> Result<(&mut dyn TableLike, bool), BackendError> {
    let gone = || invalid("the catalog changed while it was read");
    match doc.get_mut("provider") {
        Some(Item::ArrayOfTables(a)) => a
            .get_mut(i)
            .map(|t| (t as &mut dyn TableLike, false))
            .ok_or_else(gone),
        Some(Item::Value(toml_edit::Value::Array(a))) => a
            .get_mut(i)
            .and_then(toml_edit::Value::as_inline_table_mut)
            .map(|t| (t as &mut dyn TableLike, true))
            .ok_or_else(gone),
        _ => Err(invalid("the catalog has no [[provider]] tables")),
    }
}

/// `text` with `edit` applied (not yet validated), its comments and layout kept.
pub fn apply(text: &str, edit: &CatalogEdit) -> Result<String, BackendError> {
    let cat = crate::catalog::parse("catalog", text).map_err(|e| invalid(e.to_string()))?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| invalid(e.to_string()))?;
    let (CatalogEdit::AddEndpoint { provider, .. }
    | CatalogEdit::RemoveEndpoint { provider, .. }
    | CatalogEdit::SetAppliesFor { provider, .. }) = edit;
    let i = provider_index(&cat, provider)?;
    let (raw, inline) = provider_mut(&mut doc, i)?;
    let gone = || invalid("the catalog changed while it was read");
    match edit {
        CatalogEdit::AddEndpoint { host, port, .. } => {
            let mut ep = toml_edit::InlineTable::new();
            ep.insert("host", host.trim().into());
            if let Some(p) = port {
                ep.insert("port", i64::from(*p).into());
            }
            match raw.get_mut("endpoint") {
                Some(Item::ArrayOfTables(list)) => list.push(ep.into_table()),
                Some(Item::Value(toml_edit::Value::Array(list))) => list.push(ep),
                Some(_) => return Err(invalid("`endpoint` is neither tables nor an array")),
                None if inline => {
                    let mut list = toml_edit::Array::new();
                    list.push(ep);
                    raw.insert("endpoint", Item::Value(list.into()));
                }
                None => {
                    let mut list = toml_edit::ArrayOfTables::new();
                    list.push(ep.into_table());
                    raw.insert("endpoint", Item::ArrayOfTables(list));
                }
            }
        }
        CatalogEdit::RemoveEndpoint { endpoint, .. } => {
            let parsed = cat.providers.get(i).ok_or_else(gone)?;
            let j = parsed
                .endpoints
                .iter()
                .position(|e| format!("{}:{}", e.host, e.port) == *endpoint)
                .ok_or_else(|| {
                    BackendError::NotFound(format!(
                        "provider `{provider}` has no endpoint {endpoint}"
                    ))
                })?;
            match raw.get_mut("endpoint") {
                Some(Item::ArrayOfTables(list)) if j < list.len() => {
                    list.remove(j);
                }
                Some(Item::Value(toml_edit::Value::Array(list))) if j < list.len() => {
                    list.remove(j);
                }
                _ => return Err(gone()),
            }
        }
        CatalogEdit::SetAppliesFor { applies_for, .. } => {
            raw.insert("applies_for", toml_edit::value(applies_for.trim()));
        }
    }
    Ok(doc.to_string())
}

/// A catalog holding only provider `id` of `text`.
pub fn only_provider(text: &str, id: &str) -> Result<String, BackendError> {
    let (mut table, cat) = parse(text)?;
    let i = provider_index(&cat, id)?;
    let list = providers_mut(&mut table)?;
    let one = list
        .get(i)
        .cloned()
        .ok_or_else(|| invalid("the catalog changed while it was read"))?;
    *list = vec![one];
    toml::to_string(&table).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAT: &str = r#"# watched
[[provider]]
id = "acme"
name = "Acme"
declared_country = "JP"
applies_for = "kensa-level-2"

[[provider.endpoint]]
host = "api.acme.example"

[[provider.endpoint]]
host = "www.acme.example"
port = 8443

[[provider]]
id = "globex"
name = "Globex"
declared_country = "DE"
applies_for = "kensa-level-1"
endpoint = [{ host = "192.0.2.20" }]
"#;

    fn check(text: &str) -> crate::catalog::Catalog {
        crate::catalog::parse("t", text).unwrap()
    }

    #[test]
    fn edits_keep_a_valid_catalog() {
        let added = apply(
            CAT,
            &CatalogEdit::AddEndpoint {
                provider: "globex".into(),
                host: "edge.globex.example".into(),
                port: Some(4443),
            },
        )
        .unwrap();
        let c = check(&added);
        assert_eq!(c.providers[1].endpoints.len(), 2);
        assert_eq!(c.providers[1].endpoints[1].port, 4443);

        let removed = apply(
            CAT,
            &CatalogEdit::RemoveEndpoint {
                provider: "acme".into(),
                endpoint: "www.acme.example:8443".into(),
            },
        )
        .unwrap();
        let c = check(&removed);
        assert_eq!(c.providers[0].endpoints.len(), 1);

        let af = apply(
            CAT,
            &CatalogEdit::SetAppliesFor {
                provider: "acme".into(),
                applies_for: "kensa-level-3".into(),
            },
        )
        .unwrap();
        assert_eq!(
            check(&af).providers[0].applies_for.as_deref(),
            Some("kensa-level-3")
        );
    }

    /// Regression (issue 17): an edit through the service dropped every comment of the file.
    #[test]
    fn an_edit_keeps_comments_and_layout() {
        let af = apply(
            CAT,
            &CatalogEdit::SetAppliesFor {
                provider: "acme".into(),
                applies_for: "kensa-level-3".into(),
            },
        )
        .unwrap();
        assert_eq!(
            af,
            CAT.replace(
                "applies_for = \"kensa-level-2\"",
                "applies_for = \"kensa-level-3\""
            )
        );
        let added = apply(
            CAT,
            &CatalogEdit::AddEndpoint {
                provider: "acme".into(),
                host: "edge.acme.example".into(),
                port: None,
            },
        )
        .unwrap();
        assert!(added.starts_with("# watched\n[[provider]]\n"), "{added}");
        assert!(
            added.contains("port = 8443\n\n[[provider.endpoint]]\nhost = \"edge.acme.example\"\n"),
            "{added}"
        );
        let removed = apply(
            CAT,
            &CatalogEdit::RemoveEndpoint {
                provider: "globex".into(),
                endpoint: "192.0.2.20:443".into(),
            },
        )
        .unwrap();
        assert!(removed.starts_with("# watched\n"), "{removed}");
        assert!(removed.contains("endpoint = []"), "{removed}");
    }

    #[test]
    fn a_bad_edit_fails_the_catalog_rules_and_unknown_things_are_not_found() {
        let bad = apply(
            CAT,
            &CatalogEdit::SetAppliesFor {
                provider: "acme".into(),
                applies_for: "Level 2".into(),
            },
        )
        .unwrap();
        let e = crate::catalog::parse("t", &bad).unwrap_err().to_string();
        assert!(e.contains("invalid applies_for"), "{e}");
        assert!(matches!(
            apply(
                CAT,
                &CatalogEdit::RemoveEndpoint {
                    provider: "acme".into(),
                    endpoint: "nope:1".into()
                }
            ),
            Err(BackendError::NotFound(_))
        ));
        assert!(matches!(
            only_provider(CAT, "initech"),
            Err(BackendError::NotFound(_))
        ));
        let one = check(&only_provider(CAT, "globex").unwrap());
        assert_eq!(one.providers.len(), 1);
        assert_eq!(one.providers[0].id, "globex");
    }
}
