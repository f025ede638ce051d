//! CEL values of an evidence document whose copies are cheap (issue 21).
//!
//! `cel` 0.15 copies a value whenever it must own one it only borrows: a comprehension
//! (`exists`, `all`, `map`, `filter`) binds each item of the list it walks with
//! [`Val::clone_as_boxed`], and indexing an owned value copies the element out. For the
//! built-in [`CelMap`] and [`CelList`] that copy is deep (every entry, recursively), so
//! walking `x509.chains` copied every certificate of every chain once per comprehension.
//!
//! [`DocMap`] and [`DocList`] hold the same built-in map and list behind an [`Arc`]: a copy
//! is a reference count. Everything else is the built-in value's own behaviour, forwarded:
//! type, member access, `has`, `in`, `size`, `+`, the comprehensions, equality, and the
//! conversion to [`cel::Value`]. They identify themselves as the built-in map and list
//! ([`Val::as_builtin`]), so that code of the `cel` crate that recovers a built-in container
//! (equality of two maps, a list converted to a `Value`, a function taking a list) sees the
//! map or list they hold, and behaves exactly as it did with the plain built-in value.

use std::fmt;
use std::sync::Arc;

use cel::ExecutionError;
use cel::common::traits::{Adder, Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{CelList, CelMap, Type};
use cel::common::value::{Builtin, BuiltinRef, CowVal, Val};

/// A built-in CEL map behind an [`Arc`]: cloning it shares the entries.
#[derive(Clone)]
pub(crate) struct DocMap<'d>(Arc<CelMap<'d>>);

/// A built-in CEL list behind an [`Arc`]: cloning it shares the items.
#[derive(Clone)]
pub(crate) struct DocList<'d>(Arc<CelList<'d>>);

impl<'d> DocMap<'d> {
    /// Share `map`.
    pub(crate) fn new(map: CelMap<'d>) -> Self {
        Self(Arc::new(map))
    }
}

impl<'d> DocList<'d> {
    /// Share `list`.
    pub(crate) fn new(list: CelList<'d>) -> Self {
        Self(Arc::new(list))
    }
}

// The same text as the built-in value's (an error message may show it).
impl fmt::Debug for DocMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Debug for DocList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl<'d> Val for DocMap<'d> {
    fn get_type(&self) -> &Type {
        self.0.get_type()
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        <CelMap<'_> as Val>::cel_type()
    }

    fn as_container(&self) -> Option<&dyn Container> {
        self.0.as_container()
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        self.0.as_indexer()
    }

    fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
    where
        Self: 'w,
    {
        match Arc::try_unwrap(self.0) {
            // The last reference: the built-in map moves the entry out.
            Ok(map) => Box::new(map).into_indexer(),
            Err(shared) => Some(Box::new(DocMap(shared))),
        }
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        self.0.as_iterable()
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        self.0.as_sizer()
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        self.0.as_zeroer()
    }

    fn equals(&self, other: &dyn Val) -> bool {
        self.0.equals(other)
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
        BuiltinRef::Map(&self.0)
    }

    fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
    where
        Self: 'w,
    {
        Some(Builtin::Map(Arc::unwrap_or_clone(self.0)))
    }
}

/// Only used on a map shared with another value (see [`DocMap::into_indexer`]): the entry
/// is copied out, which for a document's value is cheap.
impl<'d> Indexer for DocMap<'d> {
    fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.0.get(idx)
    }

    fn steal<'w>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.0.get(idx).map(CowVal::into_owned)
    }
}

impl<'d> Val for DocList<'d> {
    fn get_type(&self) -> &Type {
        self.0.get_type()
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        <CelList<'_> as Val>::cel_type()
    }

    fn as_adder<'b, 'w>(&'b self) -> Option<&'b (dyn Adder + 'w)>
    where
        Self: 'w,
    {
        self.0.as_adder()
    }

    fn as_container(&self) -> Option<&dyn Container> {
        self.0.as_container()
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        self.0.as_indexer()
    }

    fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
    where
        Self: 'w,
    {
        match Arc::try_unwrap(self.0) {
            Ok(list) => Box::new(list).into_indexer(),
            Err(shared) => Some(Box::new(DocList(shared))),
        }
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        self.0.as_iterable()
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        self.0.as_sizer()
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        self.0.as_zeroer()
    }

    fn equals(&self, other: &dyn Val) -> bool {
        self.0.equals(other)
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
        BuiltinRef::List(&self.0)
    }

    fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
    where
        Self: 'w,
    {
        Some(Builtin::List(Arc::unwrap_or_clone(self.0)))
    }
}

/// Only used on a list shared with another value (see [`DocList::into_indexer`]).
impl<'d> Indexer for DocList<'d> {
    fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.0.get(idx)
    }

    fn steal<'w>(self: Box<Self>, idx: &dyn Val) -> Result<Box<dyn Val + 'w>, ExecutionError>
    where
        Self: 'w,
    {
        self.0.get(idx).map(CowVal::into_owned)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::super::control::CEL_ENV;
    use super::super::eval::{from_cel, to_cel, to_val};

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
        use cel::common::value::Val;
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
