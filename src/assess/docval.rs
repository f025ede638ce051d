//! CEL values of an evidence document whose copies are cheap, built as they are read
//! (issue 21).
//!
//! `cel` 0.15 copies a value whenever it must own one it only borrows: a comprehension
//! (`exists`, `all`, `map`, `filter`) binds each item of the list it walks with
//! [`Val::clone_as_boxed`], and indexing an owned value copies the element out. For the
//! built-in [`CelMap`] and [`CelList`] that copy is deep (every entry, recursively), so
//! walking `x509.chains` copied every certificate of every chain once per comprehension.
//!
//! [`DocMap`] and [`DocList`] hold the same built-in map and list behind an [`Arc`]: a copy
//! is a reference count. The built-in value is made from the document's JSON the first time
//! it is read (the parts of a document no rule reads are never converted), and its members
//! are again [`DocMap`]s and [`DocList`]s. Everything else is the built-in value's own
//! behaviour, forwarded: type, member access, `has`, `in`, `size`, `+`, the comprehensions,
//! equality, and the conversion to [`cel::Value`]. They identify themselves as the built-in
//! map and list ([`Val::as_builtin`]), so that code of the `cel` crate that recovers a
//! built-in container (equality of two maps, a list converted to a `Value`, a function taking
//! a list) sees the map or list they hold, and behaves exactly as with the built-in value.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use cel::ExecutionError;
use cel::common::traits::{Adder, Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt, Type,
};
use cel::common::value::{Builtin, BuiltinRef, CowVal, Val};
use serde_json::Value as Json;

/// A boxed CEL value that may borrow a document for `'d`.
pub(crate) type BoxVal<'d> = Box<dyn Val + 'd>;

/// A JSON null, bool or number as a CEL value: integers become `int` (or `uint` beyond
/// i64), other numbers `double` (as [`super::eval::to_cel`]).
pub(crate) fn scalar(v: &Json) -> Option<BoxVal<'static>> {
    Some(match v {
        Json::Null => Box::new(CelNull),
        Json::Bool(b) => Box::new(CelBool::from(*b)),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                Box::new(CelInt::from(i))
            } else if let Some(u) = n.as_u64() {
                Box::new(CelUInt::from(u))
            } else {
                Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN)))
            }
        }
        _ => return None,
    })
}

/// JSON as a CEL value borrowing its strings: the value [`super::eval::to_cel`] gives once
/// bound, its maps and lists shared and built when first read.
pub(crate) fn doc_val(v: &Json) -> BoxVal<'_> {
    match v {
        Json::String(s) => Box::new(CelString::from(s.as_str())),
        Json::Array(_) => Box::new(DocList(Arc::new(Lazy::of(v)))),
        Json::Object(_) => Box::new(DocMap(Arc::new(Lazy::of(v)))),
        other => scalar(other).unwrap_or_else(|| Box::new(CelNull)),
    }
}

/// A built-in value, given or made from a document's JSON the first time it is needed.
struct Lazy<'d, T> {
    json: Option<&'d Json>,
    built: OnceLock<T>,
}

impl<'d, T> Lazy<'d, T> {
    fn of(json: &'d Json) -> Self {
        Self {
            json: Some(json),
            built: OnceLock::new(),
        }
    }

    fn given(value: T) -> Self {
        Self {
            json: None,
            built: OnceLock::from(value),
        }
    }
}

/// The map of a JSON object (anything else: an empty map, never asked for).
fn build_map(json: Option<&Json>) -> CelMap<'_> {
    let entries = json.and_then(Json::as_object).map(|o| {
        o.iter()
            .map(|(k, v)| (CelMapKey::from(k.as_str()), doc_val(v)))
            .collect::<HashMap<_, _>>()
    });
    CelMap::from(entries.unwrap_or_default())
}

/// The list of a JSON array (anything else: an empty list, never asked for).
fn build_list(json: Option<&Json>) -> CelList<'_> {
    let items = json
        .and_then(Json::as_array)
        .map(|a| a.iter().map(doc_val).collect::<Vec<_>>());
    CelList::from(items.unwrap_or_default())
}

/// A built-in CEL map behind an [`Arc`]: cloning it shares the entries.
#[derive(Clone)]
pub(crate) struct DocMap<'d>(Arc<Lazy<'d, CelMap<'d>>>);

/// A built-in CEL list behind an [`Arc`]: cloning it shares the items.
#[derive(Clone)]
pub(crate) struct DocList<'d>(Arc<Lazy<'d, CelList<'d>>>);

impl<'d> DocMap<'d> {
    /// Share `map`.
    pub(crate) fn new(map: CelMap<'d>) -> Self {
        Self(Arc::new(Lazy::given(map)))
    }

    fn map(&self) -> &CelMap<'d> {
        self.0.built.get_or_init(|| build_map(self.0.json))
    }

    fn into_map(self) -> CelMap<'d> {
        match Arc::try_unwrap(self.0) {
            Ok(lazy) => {
                let json = lazy.json;
                lazy.built.into_inner().unwrap_or_else(|| build_map(json))
            }
            Err(shared) => Self(shared).map().clone(),
        }
    }
}

impl<'d> DocList<'d> {
    /// Share `list`.
    pub(crate) fn new(list: CelList<'d>) -> Self {
        Self(Arc::new(Lazy::given(list)))
    }

    fn list(&self) -> &CelList<'d> {
        self.0.built.get_or_init(|| build_list(self.0.json))
    }

    fn into_list(self) -> CelList<'d> {
        match Arc::try_unwrap(self.0) {
            Ok(lazy) => {
                let json = lazy.json;
                lazy.built.into_inner().unwrap_or_else(|| build_list(json))
            }
            Err(shared) => Self(shared).list().clone(),
        }
    }
}

// The same text as the built-in value's (an error message may show it).
impl fmt::Debug for DocMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.map(), f)
    }
}

impl fmt::Debug for DocList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.list(), f)
    }
}

/// `Val` and `Indexer` for a shared container (`$ty`, holding a built-in `$inner` reached by
/// `$get` and taken by `$into`, a `Builtin::$variant`): every capability forwarded to the
/// built-in value, copies shared, and `$extra` (methods only one of them has).
macro_rules! shared_container {
    ($ty:ident, $inner:ident, $get:ident, $into:ident, $variant:ident, { $($extra:tt)* }) => {
        impl<'d> Val for $ty<'d> {
            fn get_type(&self) -> &Type {
                <$inner<'_> as Val>::cel_type()
            }

            fn cel_type() -> &'static Type
            where
                Self: Sized,
            {
                <$inner<'_> as Val>::cel_type()
            }

            $($extra)*

            fn as_container(&self) -> Option<&dyn Container> {
                self.$get().as_container()
            }

            fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
            where
                Self: 'w,
            {
                self.$get().as_indexer()
            }

            fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
            where
                Self: 'w,
            {
                if Arc::strong_count(&self.0) == 1 {
                    // The last reference: the built-in value moves the entry out.
                    Box::new((*self).$into()).into_indexer()
                } else {
                    Some(self)
                }
            }

            fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
            where
                Self: 'w,
            {
                self.$get().as_iterable()
            }

            fn as_sizer(&self) -> Option<&dyn Sizer> {
                self.$get().as_sizer()
            }

            fn as_zeroer(&self) -> Option<&dyn Zeroer> {
                self.$get().as_zeroer()
            }

            fn equals(&self, other: &dyn Val) -> bool {
                self.$get().equals(other)
            }

            fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
            where
                Self: 'w,
            {
                Box::new(self.clone())
            }

            fn as_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
            where
                Self: 'w,
            {
                BuiltinRef::$variant(self.$get())
            }

            fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
            where
                Self: 'w,
            {
                Some(Builtin::$variant((*self).$into()))
            }
        }

        /// Only used on a value shared with another one (see `into_indexer` above): the
        /// entry is copied out, which for a document's value is cheap.
        impl<'d> Indexer for $ty<'d> {
            fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
            where
                Self: 'w,
            {
                self.$get().get(idx)
            }

            fn steal<'w>(
                self: Box<Self>,
                idx: &dyn Val,
            ) -> Result<Box<dyn Val + 'w>, ExecutionError>
            where
                Self: 'w,
            {
                self.$get().get(idx).map(CowVal::into_owned)
            }
        }
    };
}

shared_container!(DocMap, CelMap, map, into_map, Map, {});
shared_container!(DocList, CelList, list, into_list, List, {
    fn as_adder<'b, 'w>(&'b self) -> Option<&'b (dyn Adder + 'w)>
    where
        Self: 'w,
    {
        self.list().as_adder()
    }
});

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::super::control::CEL_ENV;
    use super::super::eval::{from_cel, to_cel};
    use super::doc_val as to_val;

    /// `expr` over `doc` bound as `tls`, the way kensa binds a document (the shared values of
    /// this module) and the way it did before (the plain built-in values).
    fn both(doc: &Json, expr: &str) -> (Result<Json, String>, Result<Json, String>) {
        let prog = CEL_ENV.compile(expr).expect(expr);
        let mut shared = cel::Context::with_env(CEL_ENV.clone());
        shared.add_variable_as_val("tls", to_val(doc));
        let mut plain = cel::Context::with_env(CEL_ENV.clone());
        plain.add_variable_from_value("tls", to_cel(doc));
        for ctx in [&mut shared, &mut plain] {
            let _ = ctx.add_function("max", cel::functions::max);
            let _ = ctx.add_function("min", cel::functions::min);
        }
        let run = |ctx: &cel::Context<'_, '_>| {
            prog.execute(ctx)
                .map(|v| from_cel(&v))
                .map_err(|e| e.to_string())
        };
        (run(&shared), run(&plain))
    }

    #[test]
    fn shared_document_values_behave_as_the_built_in_ones_issue_21() {
        let doc = json!({
            "m": {"a": 1, "b": "x", "c": [1, 2], "d": {"e": null}},
            "l": [3, 1, 2],
            "s": ["TLSv1.2", "TLSv1.3"],
            "lm": [
                {"version": "TLSv1.2", "accepted": true, "answer": {"kind": "accepted"}, "n": [1]},
                {"version": "TLSv1.0", "accepted": false, "answer": {"kind": "not-tried"}, "n": []}
            ],
            "ll": [[1, 2], [3]],
            "empty": [],
            "f": 1.5
        });
        let exprs = [
            // whole values, members, `has`, `size`, `type`
            "tls",
            "tls.m",
            "tls.lm",
            "tls.m.d",
            "tls.m.c",
            "tls.lm[0]",
            "tls.lm[1].answer",
            "has(tls.m.a)",
            "has(tls.m.z)",
            "has(tls.m.d.e)",
            "size(tls.lm)",
            "size(tls.m)",
            "tls.m.size()",
            "type(tls.m) == map",
            "type(tls.lm) == list",
            "type(tls.m)",
            "tls.?m.a",
            "tls.?m.z",
            "tls.m[?'z']",
            "tls.lm[?5]",
            "tls.?m.?d.?e",
            // equality both ways, `in`
            "tls.m.c == [1, 2]",
            "[1, 2] == tls.m.c",
            "tls.m.d == {'e': null}",
            "{'e': null} == tls.m.d",
            "tls.lm == tls.lm",
            "tls.lm[0] == tls.lm[1]",
            "tls.lm.filter(p, p.accepted) == [tls.lm[0]]",
            "[tls.lm[0]] == tls.lm.filter(p, p.accepted)",
            "tls.m in [tls.m]",
            "tls.m.d in [{'e': null}]",
            "[1, 2] in tls.ll",
            "tls.ll[1] in tls.ll",
            "'a' in tls.m",
            "'z' in tls.m",
            "1 in tls.l",
            "'TLSv1.3' in tls.s",
            "tls.m != tls.m.d",
            // comprehensions
            "tls.lm.exists(p, p.accepted && p.version in ['TLSv1.2'])",
            "tls.lm.all(p, p.answer.kind != 'not-tried')",
            "tls.lm.map(p, p.version)",
            "tls.lm.filter(p, !p.accepted)",
            "tls.lm.map(p, p)",
            "tls.lm.map(p, p.n)",
            "tls.lm.filter(p, p.accepted)[0].answer.kind",
            "tls.lm.filter(p, p.accepted)[0]",
            "tls.m.exists(k, k == 'a')",
            "tls.m.all(k, k in tls.m)",
            "tls.m.filter(k, k != 'b').size()",
            "tls.ll.map(x, x.map(y, y * 2))",
            "tls.lm.exists_one(p, p.accepted)",
            "tls.lm.map(p, p.accepted, p.answer)",
            "tls.empty.all(x, false)",
            // `+`, functions
            "tls.l + tls.l",
            "tls.lm + [tls.m]",
            "tls.m.c + tls.l",
            "max(tls.l)",
            "min(tls.l)",
            "max(tls.s)",
            "max(tls.m.c)",
            "size(tls.lm + tls.lm)",
            "dyn(tls.m).a",
            "string(tls.f)",
            "double(tls.m.a) <= 2.0",
            "[tls.m, tls.l][0].b",
            "{'k': tls.m}.k.c[1]",
            // errors
            "tls.m.z",
            "tls.m.d.e.f",
            "tls.l[5]",
            "tls.l[-1]",
            "tls.l['a']",
            "tls.m[1]",
            "tls.m[1.5]",
            "tls.l[1.5]",
            "tls.m > 1",
            "tls.lm[0] < tls.lm[1]",
            "tls.m + tls.m",
            "tls.l.exists(x, x.a)",
            "tls.lm.all(p, p.missing)",
            "string(tls.l)",
            "int(tls.m)",
            "tls.m.c.a",
            "tls.lm.filter(p, p.accepted)[3]",
            "tls.lm.map(p, p.n)[0].x",
            "size(tls.m.a)",
            "tls.s.exists(s, s > 1)",
            "tls.m[tls.l]",
            "tls.lm.filter(p, p)",
        ];
        // An error that shows a map lists its entries in the map's own (random) order.
        let unordered = |r: &Result<Json, String>| {
            r.clone().map_err(|e| {
                let mut c: Vec<char> = e.chars().collect();
                c.sort_unstable();
                c
            })
        };
        for expr in exprs {
            let (shared, plain) = both(&doc, expr);
            if shared != plain {
                assert_eq!(unordered(&shared), unordered(&plain), "{expr}");
            }
        }
    }

    #[test]
    fn a_copy_of_a_shared_value_shares_it_issue_21() {
        use cel::common::types::{CelList, CelMap};
        let doc = json!({"l": [{"a": 1}], "m": {"b": [2]}});
        let v = to_val(&doc);
        let copy = v.clone_as_boxed();
        assert!(copy.equals(v.as_ref()) && v.equals(copy.as_ref()));
        let map: &CelMap<'_> = copy.downcast_ref().expect("a map");
        assert_eq!(map.len(), 2);
        let list = map
            .iter()
            .find_map(|(_, v)| v.downcast_ref::<CelList<'_>>())
            .expect("a list");
        assert_eq!(list.len(), 1);
    }
}
