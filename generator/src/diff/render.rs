//! Text, Markdown and JSON reports, and the short summary for `regenerate`.

use super::model::{Change, Class, Format};

pub fn render(changes: &[Change], format: Format) -> String {
    match format {
        Format::Json => {
            let value = serde_json::json!({ "changes": changes });
            let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => text(changes),
        Format::Markdown => markdown(changes),
    }
}

fn headline(changes: &[Change]) -> String {
    let breaking = changes
        .iter()
        .filter(|c| c.class == Class::Breaking)
        .count();
    let rust = changes.iter().filter(|c| c.rust_api_breaking).count();
    format!(
        "{} change{}: {breaking} breaking on the wire, {} non-breaking; {rust} break{} the Rust API",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        changes.len() - breaking,
        if rust == 1 { "s" } else { "" },
    )
}

/// Breaking changes first, each group in location order.
fn ordered(changes: &[Change]) -> Vec<&Change> {
    let mut v: Vec<&Change> = changes.iter().collect();
    v.sort_by_key(|c| c.class);
    v
}

fn ops_line(ops: &[String]) -> String {
    match ops.len() {
        0 => "no operation".to_string(),
        1 => ops[0].clone(),
        n => format!("{n} operations: {}", ops.join(", ")),
    }
}

fn text(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes\n".to_string();
    }
    let mut s = format!("{}\n", headline(changes));
    for c in ordered(changes) {
        let rust = if c.rust_api_breaking {
            " [rust-api-breaking]"
        } else {
            ""
        };
        s.push_str(&format!(
            "\n{} {}{rust}\n  {}\n  at {}\n  affects {}\n",
            c.class.label().to_uppercase(),
            c.kind.id(),
            c.message,
            c.location,
            ops_line(&c.operations)
        ));
    }
    s
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn markdown(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "No changes.\n".to_string();
    }
    let mut s = format!("**{}**\n\n| Wire | Rust API | Kind | Change | Location | Operations |\n|---|---|---|---|---|---|\n", headline(changes));
    for c in ordered(changes) {
        s.push_str(&format!(
            "| {} | {} | `{}` | {} | `{}` | {} |\n",
            c.class.label(),
            if c.rust_api_breaking {
                "breaking"
            } else {
                "ok"
            },
            c.kind.id(),
            cell(&c.message),
            cell(&c.location),
            cell(&c.operations.join("<br>")),
        ));
    }
    s
}

/// At most 20 lines: a headline and the most important changes, breaking ones first.
pub fn summary_of(changes: &[Change]) -> Option<String> {
    const LINES: usize = 18;
    if changes.is_empty() {
        return None;
    }
    let mut v = ordered(changes);
    v.sort_by_key(|c| (c.class, !c.rust_api_breaking));
    let mut s = headline(changes);
    for c in v.iter().take(LINES) {
        let tag = match (c.class, c.rust_api_breaking) {
            (Class::Breaking, true) => "BREAKING+RUST",
            (Class::Breaking, false) => "BREAKING",
            (Class::NonBreaking, true) => "RUST",
            (Class::NonBreaking, false) => "ok",
        };
        let ops = match c.operations.len() {
            0 => String::new(),
            1 => format!(" ({})", c.operations[0]),
            n => format!(" ({n} operations)"),
        };
        s.push_str(&format!("\n  {tag:<13} {}{ops}", c.message));
    }
    if v.len() > LINES {
        s.push_str(&format!(
            "\n  … and {} more (`cargo xtask diff OLD NEW` for all)",
            v.len() - LINES
        ));
    }
    Some(s)
}
