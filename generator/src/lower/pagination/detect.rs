//! Detection: candidate declarations proposed from the names of an operation's inputs and
//! response fields, each then checked by [`resolve`](super::resolve) against the real types, so
//! a name alone never decides (a string `offset` is a token; a date-time `before` is a filter).

use crate::config::{DeclaredStyle, PageDeclaration};
use crate::ir::{ParamLocation, TypeRef};

use super::resolve::Context;
use super::walk::norm;

/// Lists that are the payload of a page, by conventional name.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "nodes", "results", "entries", "records", "value", "values", "elements",
    "edges", "content", "objects", "list", "rows", "points",
];
const PAGE_SIZE: &[&str] = &[
    "limit",
    "pagesize",
    "perpage",
    "first",
    "maxresults",
    "size",
    "top",
    "take",
    "maxitems",
    "pagelimit",
    "count",
];
const OFFSET: &[&str] = &["offset", "skip", "start", "startindex", "startat"];
const PAGE: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];
const KEYSET: &[&str] = &[
    "after",
    "since",
    "startingafter",
    "afterid",
    "sinceid",
    "before",
    "endingbefore",
    "beforeid",
];
const CURSOR_INPUTS: &[&str] = &[
    "pagetoken",
    "cursor",
    "marker",
    "token",
    "nexttoken",
    "continuationtoken",
    "scrollid",
];
const HAS_MORE: &[&str] = &["hasmore", "hasnext", "hasnextpage", "more", "hasmoreitems"];
const TOTAL_ITEMS: &[&str] = &[
    "total",
    "totalcount",
    "totalresults",
    "totalentries",
    "totalitems",
    "count",
    "totalsize",
];
const TOTAL_PAGES: &[&str] = &["totalpages", "pagecount", "numpages", "lastpage"];
/// Path segments that qualify a listing rather than name what it lists.
const PATH_QUALIFIERS: &[&str] = &[
    "search", "list", "query", "find", "all", "archived", "private", "public", "active", "me",
    "scroll",
];
const LINKS: &[&str] = &[
    "nextpageurl",
    "nextpageuri",
    "nexturl",
    "nexturi",
    "nextlink",
    "odatanextlink",
    "nextpagelink",
    "nexthref",
];

/// A request input the pager could set: its name as a declaration writes it, and its loose name.
struct Input {
    name: String,
    norm: String,
    ty: TypeRef,
}

/// A scalar somewhere in the response: dotted wire path, loose leaf and parent names.
struct Leaf {
    path: String,
    norm: String,
    parent: String,
    ty: TypeRef,
}

pub struct Detected {
    pub candidates: Vec<PageDeclaration>,
    /// Why an input that looks like paging cannot be one (tried before any candidate).
    pub refusals: Vec<String>,
    /// Some input or response field looks like paging.
    pub signals: Vec<String>,
}

pub fn detect(cx: &Context<'_>) -> Detected {
    let mut out = Detected {
        candidates: Vec::new(),
        refusals: Vec::new(),
        signals: Vec::new(),
    };
    let inputs = inputs(cx);
    let Ok(success) = cx.success() else {
        return out;
    };
    let mut leaves = Vec::new();
    collect_leaves(cx, &success, "", "", 0, &mut leaves);

    let in_set = |set: &[&str], i: &Input| set.contains(&i.norm.as_str());
    // A body field named `size` or `start` says nothing unless a list comes back.
    let returns_list =
        find_items(cx, &success).map_or_else(|e| e.contains("several lists"), |_| true);
    for i in &inputs {
        let paging = [PAGE_SIZE, OFFSET, PAGE, KEYSET, CURSOR_INPUTS]
            .iter()
            .any(|set| in_set(set, i));
        if paging && (returns_list || !i.name.starts_with("body.")) {
            out.signals.push(format!("`{}`", i.name));
        }
    }
    for l in &leaves {
        let is_next = l.norm.starts_with("next") || l.norm == "endcursor" || l.norm == "lastid";
        if is_next || HAS_MORE.contains(&l.norm.as_str()) {
            out.signals.push(format!("`{}`", l.path));
        }
    }

    let page_size = inputs
        .iter()
        .find(|i| in_set(PAGE_SIZE, i) && cx.types.is_integer(&i.ty))
        .map(|i| i.name.clone());
    let has_more = leaves
        .iter()
        .find(|l| HAS_MORE.contains(&l.norm.as_str()) && cx.types.is_bool(&l.ty))
        .map(|l| l.path.clone());
    let base = PageDeclaration {
        page_size: page_size.clone(),
        has_more: has_more.clone(),
        ..PageDeclaration::default()
    };

    // (1) A token copied from the response into an input.
    for leaf in leaves.iter().filter(|l| !is_link_name(&l.norm)) {
        for wanted in token_inputs(&leaf.norm, &leaf.parent) {
            if let Some(input) = inputs.iter().find(|i| i.norm == wanted) {
                out.candidates.push(PageDeclaration {
                    style: DeclaredStyle::Cursor,
                    input: Some(input.name.clone()),
                    token: Some(leaf.path.clone()),
                    ..base.clone()
                });
            }
        }
    }
    // (2) A link to the next page.
    for leaf in &leaves {
        let link = LINKS.contains(&leaf.norm.as_str())
            || (leaf.norm == "next"
                && ["links", "paging", "pagination", "meta"].contains(&leaf.parent.as_str()))
            || (leaf.norm == "href" && leaf.parent == "next");
        if link {
            out.candidates.push(PageDeclaration {
                style: DeclaredStyle::NextLink,
                link: Some(leaf.path.clone()),
                ..base.clone()
            });
        }
    }
    if cx.link_header {
        out.signals.push("a `Link` header".into());
        out.candidates.push(PageDeclaration {
            style: DeclaredStyle::NextLink,
            link: Some("header:Link".into()),
            ..base.clone()
        });
    }
    // (3) Offsets and (4) page numbers: integers only (a string one is a token, handled above).
    let total = |names: &[&str]| {
        leaves
            .iter()
            .find(|l| names.contains(&l.norm.as_str()) && cx.types.is_integer(&l.ty))
            .map(|l| l.path.clone())
    };
    for (set, style, total) in [
        (OFFSET, DeclaredStyle::Offset, total(TOTAL_ITEMS)),
        (PAGE, DeclaredStyle::Page, total(TOTAL_PAGES)),
    ] {
        for input in inputs.iter().filter(|i| in_set(set, i)) {
            if !cx.types.is_integer(&input.ty) {
                out.refusals.push(format!(
                    "`{}` is {} and nothing in the response gives its next value",
                    input.name,
                    cx.types.describe(&input.ty)
                ));
                continue;
            }
            out.candidates.push(PageDeclaration {
                style,
                input: Some(input.name.clone()),
                total: total.clone(),
                ..base.clone()
            });
        }
    }
    // (6) Keyset: the last item's id, when the input has the id's type.
    for input in inputs.iter().filter(|i| in_set(KEYSET, i)) {
        let ty = cx.types.unwrap(&input.ty).0;
        if matches!(
            ty,
            TypeRef::Primitive(crate::ir::Primitive::DateTime | crate::ir::Primitive::Date)
        ) {
            out.refusals.push(format!(
                "`{}` is a date-time: a filter, not a cursor",
                input.name
            ));
            continue;
        }
        out.candidates.push(PageDeclaration {
            style: DeclaredStyle::Keyset,
            input: Some(input.name.clone()),
            ..base.clone()
        });
    }
    out
}

fn is_link_name(norm: &str) -> bool {
    norm.ends_with("url") || norm.ends_with("uri") || norm.ends_with("link") || norm == "href"
}

/// Which inputs a response token feeds, by the token's (loose) name and its parent's.
fn token_inputs(leaf: &str, parent: &str) -> Vec<String> {
    let own = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    if parent.starts_with("next") && ["offset", "cursor", "token", "pagetoken"].contains(&leaf) {
        // Asana's `next_page: { offset, uri }`.
        return own(&[leaf, "offset", "cursor", "pagetoken"]);
    }
    match leaf {
        "endcursor" => own(&["after", "cursor"]),
        "lastid" => own(&["after", "startingafter", "afterid"]),
        "nextpage" | "nextpagetoken" | "nexttoken" => own(&[
            "pagetoken",
            "page",
            "token",
            "nexttoken",
            "cursor",
            "nextpagetoken",
        ]),
        "nextcursor" | "cursor" | "nextpagecursor" => own(&[
            "cursor",
            "after",
            "startingafter",
            "pagecursor",
            "nextcursor",
        ]),
        "nextmarker" | "marker" => own(&["marker"]),
        "nextpageoffset" | "nextoffset" => own(&["offset"]),
        "continuationtoken" | "nextcontinuationtoken" => own(&["continuationtoken"]),
        "scrollid" => own(&["scrollid"]),
        "next" => own(&["cursor", "pagetoken", "next", "after"]),
        _ => match leaf.strip_prefix("next") {
            Some(rest) if !rest.is_empty() => vec![rest.to_string(), format!("{rest}token")],
            _ => Vec::new(),
        },
    }
}

/// Optional query parameters, then the JSON body's top-level fields (as `body.x`).
fn inputs(cx: &Context<'_>) -> Vec<Input> {
    let mut out: Vec<Input> = cx
        .op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && !p.required)
        .map(|p| Input {
            name: p.name.clone(),
            norm: norm(&p.name),
            ty: p.ty.clone(),
        })
        .collect();
    if let Some(fields) = cx.body().and_then(|(ty, _)| cx.types.fields(&ty)) {
        for f in fields.iter() {
            let n = norm(&f.name);
            if !out.iter().any(|i| i.norm == n) {
                out.push(Input {
                    name: format!("body.{}", f.name),
                    norm: n,
                    ty: f.ty.clone(),
                });
            }
        }
    }
    out
}

/// Scalars (anything but lists and objects) down to three levels, in field order.
fn collect_leaves(
    cx: &Context<'_>,
    ty: &TypeRef,
    prefix: &str,
    parent: &str,
    depth: usize,
    out: &mut Vec<Leaf>,
) {
    let Some(fields) = cx.types.fields(ty) else {
        return;
    };
    for f in fields.iter() {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        let inner = cx.types.unwrap(&f.ty).0;
        if matches!(inner, TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Any) {
            continue;
        }
        if cx.types.is_struct(&inner) {
            if depth < 2 {
                collect_leaves(cx, &inner, &path, &norm(&f.name), depth + 1, out);
            }
            continue;
        }
        out.push(Leaf {
            path,
            norm: norm(&f.name),
            parent: parent.to_string(),
            ty: f.ty.clone(),
        });
    }
}

/// Where the items are: the response itself if it is a list, else its one list field, a
/// conventionally named one, one named after the resource, or one inside a wrapper object.
pub fn find_items(cx: &Context<'_>, success: &TypeRef) -> Result<String, String> {
    find_items_in(cx, success, 0)
}

fn find_items_in(cx: &Context<'_>, ty: &TypeRef, depth: usize) -> Result<String, String> {
    let (ty, _) = cx.types.unwrap(ty);
    if matches!(ty, TypeRef::List(_)) {
        return Ok(String::new());
    }
    let fields = cx
        .types
        .fields(&ty)
        .ok_or("the response is neither a list nor an object")?;
    let lists: Vec<_> = fields
        .iter()
        .filter(|f| matches!(cx.types.unwrap(&f.ty).0, TypeRef::List(_)))
        .collect();
    if lists.len() == 1 {
        return Ok(lists[0].name.clone());
    }
    if let Some(f) = ITEM_FIELDS
        .iter()
        .find_map(|name| lists.iter().find(|f| norm(&f.name) == *name))
    {
        return Ok(f.name.clone());
    }
    if lists.len() > 1 {
        // The resource the path names: its last literal segment that is not a verb or filter
        // (`/channels/{id}/threads/search` → `thread`).
        let resource = cx
            .op
            .path
            .split('/')
            .rev()
            .filter(|s| !s.is_empty() && !s.starts_with('{') && !s.starts_with('@'))
            .map(norm)
            .find(|s| !PATH_QUALIFIERS.contains(&s.as_str()))
            .map(|s| s.trim_end_matches('s').to_string())
            .unwrap_or_default();
        let named: Vec<_> = lists
            .iter()
            .filter(|f| !resource.is_empty() && norm(&f.name).contains(&resource))
            .collect();
        if named.len() == 1 {
            return Ok(named[0].name.clone());
        }
        let names: Vec<String> = lists.iter().map(|f| format!("`{}`", f.name)).collect();
        return Err(format!(
            "the response has several lists ({}); declare `items`",
            names.join(", ")
        ));
    }
    if depth == 0 {
        for f in fields.iter() {
            if cx.types.is_struct(&f.ty) {
                if let Ok(inner) = find_items_in(cx, &f.ty, 1) {
                    if !inner.is_empty() {
                        return Ok(format!("{}.{inner}", f.name));
                    }
                }
            }
        }
    }
    Err("no list of items in the response".into())
}
