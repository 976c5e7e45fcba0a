//! Pagination across real specs: how many operations page, in which style, and why the rest
//! that look paged do not. The counts only go up: a drop fails here before users notice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use generator::config::Config;
use generator::ir::{Api, PageStyle};

use super::{options, root};

/// `../shared/corpus` must be there (it is beside the repository in CI); a missing corpus
/// fails instead of passing vacuously.
fn corpus() -> PathBuf {
    let dir = root().join("../shared/corpus");
    assert!(
        dir.is_dir(),
        "{} is missing: the corpus specs sit beside the repository",
        dir.display()
    );
    dir
}

fn load(spec: &Path) -> Api {
    let config = Config::find(spec, None).unwrap();
    let loaded = generator::load::load_file(spec).unwrap();
    generator::lower::lower_with(&loaded, &config).unwrap()
}

fn style(style: &PageStyle) -> &'static str {
    match style {
        PageStyle::Cursor { .. } => "cursor",
        PageStyle::NextLink { .. } => "next link",
        PageStyle::Offset { .. } => "offset",
        PageStyle::PageNumber { .. } => "page number",
        PageStyle::Keyset { .. } => "keyset",
    }
}

/// One line per paged operation (style, source) and per operation left unpaged with its reason.
fn report(api: &Api) -> (usize, Vec<String>) {
    let mut lines = Vec::new();
    let mut paged = 0;
    for op in &api.operations {
        if let Some(p) = &op.pagination {
            paged += 1;
            lines.push(format!(
                "paged    {} ({}, {})",
                op.id,
                style(&p.style),
                p.source
            ));
        }
    }
    for note in &api.paging_notes {
        lines.push(format!("unpaged  {}: {}", note.operation, note.reason));
    }
    (paged, lines)
}

#[test]
fn paged_operations_per_spec_never_drop() {
    // (spec, paged operations at least, operations that page in the spec as far as we know)
    let expected: &[(&str, usize, usize)] = &[
        ("discord.json", 15, 19),
        ("flashnotes.json", 3, 3),
        ("museum.yaml", 2, 2),
        ("omicron-nexus.json", 43, 43),
        ("qdrant.json", 2, 2),
        ("twilio-accounts-v1.json", 2, 2),
    ];
    let mut reports = BTreeMap::new();
    let (mut found, mut known) = (0, 0);
    for (name, floor, paging) in expected {
        let api = load(&corpus().join(name));
        let (paged, text) = report(&api);
        assert!(
            paged >= *floor,
            "{name}: {paged} paged operations, fewer than {floor}\n{text:#?}"
        );
        found += paged;
        known += paging;
        reports.insert(name.to_string(), text);
    }
    let registry = load(&root().join("spec/isometric-registry.openapi.json"));
    let (paged, text) = report(&registry);
    assert!(paged >= 16, "registry: {paged} paged operations\n{text:#?}");
    found += paged;
    known += 16;
    reports.insert("isometric-registry".into(), text);
    assert!(
        found * 100 >= known * 95,
        "{found} of {known} paged operations get pages()/items(): below 95%"
    );
    insta::assert_yaml_snapshot!("paged_operations", reports);
}

/// The fixture's generated client, which `tests/paging` drives end to end, is what the
/// generator makes of the fixture today.
#[test]
fn paging_fixture_client_is_fresh() {
    let spec = root().join("tests/fixtures/paging/paging.yaml");
    let out = root().join("tests/paging-client");
    let options = generator::emit::Options {
        config: Config::find(&spec, None).unwrap(),
        examples: generator::emit::read_examples(&out),
        ..options("paging-fixture")
    };
    let options = generator::emit::Options {
        spec_name: "paging.yaml".into(),
        ..options
    };
    let generated = generator::generate_crate(&spec, &options).unwrap();
    let stale = generator::output::stale_files(&generated, &out);
    assert!(
        stale.is_empty(),
        "tests/paging-client is stale, run `cargo xtask regenerate --spec \
         tests/fixtures/paging/paging.yaml --out tests/paging-client --crate-name \
         paging-fixture`: {stale:?}"
    );
}

#[test]
fn config_declarations_are_checked_against_the_spec() {
    let spec = root().join("tests/fixtures/paging/paging.yaml");
    let loaded = generator::load::load_file(&spec).unwrap();
    let lower = |text: &str| {
        let mut config = Config::parse(text).unwrap();
        config.path = Some(PathBuf::from("custom.oapi.toml"));
        generator::lower::lower_with(&loaded, &config)
    };
    let unknown = lower("[pagination]\nlist_nothing = false\n").unwrap_err();
    assert_eq!(unknown.location.as_deref(), Some("pagination.list_nothing"));
    assert!(
        unknown
            .to_string()
            .starts_with("custom.oapi.toml at pagination.list_nothing: "),
        "{unknown}"
    );
    assert!(
        unknown
            .message
            .contains("no operation with operationId `list_nothing`"),
        "{unknown}"
    );

    let misfit = lower(
        "[pagination.search_things]\nstyle = \"offset\"\ninput = \"limit\"\ntotal = \"count\"\n",
    )
    .unwrap_err();
    assert_eq!(misfit.location.as_deref(), Some("pagination.search_things"));
    assert!(misfit.message.contains("`count`"), "{misfit}");

    // `false` wins over what detection (and a vendor extension) would do.
    let off = lower("[pagination]\nlist_tokens = false\nlist_declared = false\n").unwrap();
    let paged = |api: &Api, id: &str| {
        api.operations
            .iter()
            .any(|o| o.id == id && o.pagination.is_some())
    };
    assert!(!paged(&off, "list_tokens") && !paged(&off, "list_declared"));
    let default = load(&spec);
    assert!(paged(&default, "list_tokens") && paged(&default, "list_declared"));
    assert!(!paged(&default, "list_switched_off"));
    assert_eq!(
        default
            .paging_notes
            .iter()
            .map(|n| n.operation.as_str())
            .collect::<Vec<_>>(),
        ["search_things"]
    );
}

/// What the page walk of `op` sets and reads, in one line: style, source, input, what it copies
/// or follows, the items, and the stop signal.
fn walk(op: &generator::ir::Operation) -> String {
    let Some(p) = &op.pagination else {
        return format!("{}: not paged", op.id);
    };
    let what = match &p.style {
        PageStyle::Cursor { input, token, .. } => {
            format!("cursor {} <- {}", input.name, token.wire())
        }
        PageStyle::NextLink { link } => match link {
            generator::ir::LinkSource::Body { path } => format!("next link {}", path.wire()),
            generator::ir::LinkSource::Header => "next link (Link header)".into(),
        },
        PageStyle::Offset { input, .. } => format!("offset {}", input.name),
        PageStyle::PageNumber { input, first, .. } => format!("page {} from {first}", input.name),
        PageStyle::Keyset { input, id, .. } => format!("keyset {} <- {}", input.name, id.wire()),
    };
    let size = p
        .page_size
        .as_ref()
        .map_or(String::new(), |s| format!(", size {}", s.name));
    let more = p
        .has_more
        .as_ref()
        .map_or(String::new(), |m| format!(", while {}", m.wire()));
    format!(
        "{}: {what}, items {}{size}{more} ({})",
        op.id,
        p.items.wire(),
        p.source
    )
}

/// Each vendor extension's fields (as the README lists them) on operations detection alone would
/// not page, `false`/`null` switching paging off where detection would, and an unreadable
/// declaration reported as the reason.
#[test]
fn vendor_extensions_declare_paging() {
    let api = load(&root().join("tests/fixtures/paging/declared.yaml"));
    let walks: Vec<String> = api.operations.iter().map(walk).collect();
    assert_eq!(
        walks,
        [
            "dropshot_list: cursor page_token <- next_page, items items, size limit \
             (x-dropshot-pagination)",
            "dropshot_off: not paged",
            "fern_cursor: cursor resume <- resume_from, items entries, while more \
             (x-fern-pagination)",
            "fern_link: next link onward, items rows (x-fern-pagination)",
            "fern_offset: offset at, items rows, size n (x-fern-pagination)",
            "fern_page: page sheet from 1, items rows (x-fern-pagination)",
            "fern_unreadable: not paged",
            "ms_pageable: next link continueAt, items things (x-ms-pageable)",
            "ms_default_items: next link odata.nextLink, items value (x-ms-pageable)",
            "ms_off: not paged",
        ]
    );
    let notes: Vec<String> = api
        .paging_notes
        .iter()
        .map(|n| format!("{}: {}", n.operation, n.reason))
        .collect();
    assert_eq!(
        notes,
        [
            "fern_unreadable: `x-fern-pagination` cannot be read: none of `cursor`, `offset`, \
          `next_uri`, `next_path`"
        ]
    );
}
