//! Which operations reach which types (through parameters, bodies and responses, nested types
//! and generic arguments), and in which direction. A change inside a type is reported once,
//! naming every operation that reaches it.

use std::collections::{BTreeMap, HashMap};

use super::model::Ctx;
use crate::ir::{Api, Operation, TypeDef, TypeKind, TypeRef};

/// Operations (by label) that reach one type, each with the direction it travels in.
#[derive(Debug, Default, Clone)]
pub struct Usage {
    pub ops: BTreeMap<String, Ctx>,
}

/// Type name → usage.
pub struct Reach {
    pub by_type: HashMap<String, Usage>,
}

impl Reach {
    /// `label` names each operation (the diff labels old operations by their new path), or
    /// returns None to leave the operation out.
    pub fn compute(api: &Api, label: &dyn Fn(&Operation) -> Option<String>) -> Reach {
        let defs: HashMap<&str, &TypeDef> =
            api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut by_type: HashMap<String, Usage> = HashMap::new();
        for op in &api.operations {
            let Some(label) = label(op) else { continue };
            let mut request: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
            if let Some(body) = &op.body {
                request.extend(body.contents.iter().filter_map(|c| c.ty.as_ref()));
            }
            let response: Vec<&TypeRef> = op
                .responses
                .iter()
                .flat_map(|r| r.contents.iter().filter_map(|c| c.ty.as_ref()))
                .collect();
            for (roots, ctx) in [
                (
                    request,
                    Ctx {
                        request: true,
                        response: false,
                    },
                ),
                (
                    response,
                    Ctx {
                        request: false,
                        response: true,
                    },
                ),
            ] {
                let mut seen: Vec<&str> = Vec::new();
                let mut stack: Vec<&TypeRef> = roots;
                while let Some(r) = stack.pop() {
                    match r {
                        TypeRef::Named(name) | TypeRef::Generic { name, .. } => {
                            if let TypeRef::Generic { args, .. } = r {
                                stack.extend(args.iter());
                            }
                            if seen.contains(&name.as_str()) {
                                continue;
                            }
                            seen.push(name);
                            let slot = by_type
                                .entry(name.clone())
                                .or_default()
                                .ops
                                .entry(label.clone())
                                .or_default();
                            *slot = slot.union(ctx);
                            if let Some(def) = defs.get(name.as_str()) {
                                push_refs(def, &mut stack);
                            }
                        }
                        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                            stack.push(inner)
                        }
                        TypeRef::Primitive(_)
                        | TypeRef::Param(_)
                        | TypeRef::Any
                        | TypeRef::External(_) => {}
                    }
                }
            }
        }
        Reach { by_type }
    }

    pub fn usage(&self, name: &str) -> Option<&Usage> {
        self.by_type.get(name)
    }
}

/// Usage of a type across both versions: operations labelled in the new spec's terms.
pub struct Both<'a> {
    pub old: &'a Reach,
    pub new: &'a Reach,
}

impl Both<'_> {
    /// Operations reaching `old_name` in the old spec or `new_name` in the new one, and the
    /// combined direction.
    pub fn of(&self, old_name: Option<&str>, new_name: Option<&str>) -> (Vec<String>, Ctx) {
        let mut ops: BTreeMap<String, Ctx> = BTreeMap::new();
        let sides = [(self.old, old_name), (self.new, new_name)];
        for (reach, name) in sides {
            if let Some(usage) = name.and_then(|n| reach.usage(n)) {
                for (label, ctx) in &usage.ops {
                    let slot = ops.entry(label.clone()).or_default();
                    *slot = slot.union(*ctx);
                }
            }
        }
        let ctx = ops.values().fold(Ctx::default(), |a, b| a.union(*b));
        (ops.into_keys().collect(), ctx)
    }
}

/// Every type reference a definition makes.
fn push_refs<'a>(def: &'a TypeDef, stack: &mut Vec<&'a TypeRef>) {
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            stack.extend(fields.iter().map(|f| &f.ty));
            stack.extend(additional.iter());
        }
        TypeKind::TaggedUnion { variants, .. } | TypeKind::UntaggedUnion { variants } => {
            stack.extend(variants.iter().map(|v| &v.ty))
        }
        TypeKind::Alias { target, .. } => stack.push(target),
        TypeKind::Enum { .. } | TypeKind::Id { .. } => {}
    }
}
