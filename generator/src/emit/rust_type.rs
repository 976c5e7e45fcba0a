//! [`TypeRef`] → Rust type tokens, and which types need a `Box` to break recursion.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Primitive, TypeDef, TypeKind, TypeRef};

pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive_tokens(*p),
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote! { #ident }
        }
        TypeRef::Generic { name, args } => {
            let ident = format_ident!("{}", name);
            let args = args.iter().map(type_tokens);
            quote! { #ident<#(#args),*> }
        }
        TypeRef::Param(p) => {
            let ident = format_ident!("{}", p);
            quote! { #ident }
        }
        TypeRef::List(inner) => {
            let inner = type_tokens(inner);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner);
            quote! { std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote! { Option<#inner> }
        }
        TypeRef::Any => quote! { serde_json::Value },
        // Checked to parse as a type when the config was read.
        TypeRef::External(path) => syn::parse_str::<syn::Type>(path)
            .map(|ty| quote! { #ty })
            .unwrap_or_else(|_| quote! { serde_json::Value }),
    }
}

fn primitive_tokens(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote! { String },
        // Bytes: a file part in multipart bodies, a string inside JSON.
        Primitive::Binary => quote! { crate::Binary },
        Primitive::Bool => quote! { bool },
        Primitive::I32 => quote! { i32 },
        Primitive::I64 => quote! { i64 },
        Primitive::U32 => quote! { u32 },
        Primitive::U64 => quote! { u64 },
        Primitive::F32 => quote! { f32 },
        Primitive::F64 => quote! { f64 },
        Primitive::Date => quote! { chrono::NaiveDate },
        Primitive::DateTime => quote! { chrono::DateTime<chrono::Utc> },
        Primitive::Uuid => quote! { uuid::Uuid },
        Primitive::Decimal => quote! { crate::Decimal },
    }
}

/// Whether the type is (an alias of) a string, so setters can take `impl Into<String>`.
pub fn is_string_like(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::String) => true,
        TypeRef::Named(n) => matches!(
            types.get(n).map(|d| &d.kind),
            Some(TypeKind::Alias { target, .. }) if is_string_like(target, types)
        ),
        _ => false,
    }
}

/// Whether the type is an entity's id type (`CreditBatchId`), built from any string.
pub fn is_id(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    matches!(ty, TypeRef::Named(n) if matches!(types.get(n).map(|d| &d.kind), Some(TypeKind::Id { .. })))
}

/// Primitive crates a set of types needs (`chrono`, `uuid`).
pub fn uses_primitive(types: &[TypeDef], extra: &[&TypeRef], p: Primitive) -> bool {
    fn walk(ty: &TypeRef, p: Primitive) -> bool {
        match ty {
            TypeRef::Primitive(q) => *q == p,
            TypeRef::Generic { args, .. } => args.iter().any(|a| walk(a, p)),
            TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => walk(i, p),
            _ => false,
        }
    }
    let mut found = extra.iter().any(|t| walk(t, p));
    for def in types {
        crate::lower::for_each_type_ref(def, &mut |t| found |= walk(t, p));
    }
    found
}

/// Which fields need a `Box`: those whose type, stored inline, contains the owner again. That is
/// exactly when the field's type sits in the owner's strongly connected component of the
/// "stores inline" graph (Vec and maps already live on the heap), found once with Tarjan's
/// algorithm so huge specs stay linear.
pub struct Recursion {
    component: BTreeMap<String, usize>,
    /// Alias name → what it finally names (two aliases of `String` are one Rust type).
    aliases: BTreeMap<String, TypeRef>,
}

impl Recursion {
    pub fn new(types: &[TypeDef]) -> Self {
        let index: BTreeMap<&str, usize> = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .collect();
        let edges: Vec<Vec<usize>> = types
            .iter()
            .map(|def| {
                let mut names = BTreeSet::new();
                crate::lower::for_each_type_ref(def, &mut |t| direct_names(t, &mut names));
                names
                    .iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .collect()
            })
            .collect();
        let components = strongly_connected(&edges);
        let component = types
            .iter()
            .zip(components)
            .map(|(t, c)| (t.name.clone(), c))
            .collect();
        let map: BTreeMap<String, TypeDef> =
            types.iter().map(|t| (t.name.clone(), t.clone())).collect();
        let aliases = types
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Alias { .. }))
            .map(|t| {
                let named = TypeRef::Named(t.name.clone());
                (t.name.clone(), crate::ir::resolve_aliases(&named, &map))
            })
            .collect();
        Recursion { component, aliases }
    }

    /// The Rust type behind any aliases.
    pub fn resolve(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(n) => self.aliases.get(n).cloned().unwrap_or_else(|| ty.clone()),
            other => other.clone(),
        }
    }

    /// Does a value of `ty`, stored inline in `owner`, contain an `owner` again?
    pub fn needs_box(&self, owner: &str, ty: &TypeRef) -> bool {
        let Some(own) = self.component.get(owner) else {
            return false;
        };
        let mut names = BTreeSet::new();
        direct_names(ty, &mut names);
        names.iter().any(|n| self.component.get(n) == Some(own))
    }
}

/// Tarjan's strongly connected components, iteratively (deep type chains must not overflow the
/// stack). Returns a component id per node; a node on no cycle still gets its own id, so
/// `needs_box` also requires an edge into the component, which `direct_names` supplies.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut comp) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut next_index, mut next_comp) = (Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0)];
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == UNSEEN {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*pos) {
                *pos += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

fn direct_names(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Generic { name, .. } => {
            out.insert(name.clone());
        }
        TypeRef::Nullable(inner) => direct_names(inner, out),
        // Vec and maps already live on the heap.
        _ => {}
    }
}
