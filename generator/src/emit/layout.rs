//! Printing a file: prettyplease for Rust items, and a layout of our own for the runtime's
//! declaration macros (`crate::builder::model_builder! { … }`).
//!
//! prettyplease cannot know a macro's grammar, so it prints a macro's body as one flowing
//! paragraph (`refunded_at : chrono::DateTime < chrono::Utc >, notes : String`). Ours are
//! declarations with a known shape, so they get one: a brace opens an indented block, an entry
//! (up to a comma outside `<…>`) or an attribute takes a line, and types are spaced as Rust
//! code usually is.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// The runtime macros laid out here, by the last segment of their path.
const DECLARATION_MACROS: &[&str] = &["model_builder"];

/// `file` as text: each declaration macro laid out, the runs of items between them by
/// prettyplease.
pub fn unparse(file: syn::File) -> String {
    if !file.items.iter().any(|item| declaration(item).is_some()) {
        return prettyplease::unparse(&file);
    }
    let mut out = String::new();
    let mut run = syn::File {
        shebang: file.shebang,
        attrs: file.attrs,
        items: Vec::new(),
    };
    for item in file.items {
        match declaration(&item) {
            Some(mac) => {
                if !run.items.is_empty() || !run.attrs.is_empty() || run.shebang.is_some() {
                    out.push_str(&prettyplease::unparse(&run));
                    run = syn::File {
                        shebang: None,
                        attrs: Vec::new(),
                        items: Vec::new(),
                    };
                }
                out.push_str(&declaration_text(mac));
            }
            None => run.items.push(item),
        }
    }
    if !run.items.is_empty() {
        out.push_str(&prettyplease::unparse(&run));
    }
    out
}

/// The macro of a brace-delimited, attribute-free invocation of one of ours.
fn declaration(item: &syn::Item) -> Option<&syn::Macro> {
    let syn::Item::Macro(item) = item else {
        return None;
    };
    let name = item.mac.path.segments.last()?.ident.to_string();
    (item.attrs.is_empty()
        && item.ident.is_none()
        && matches!(item.mac.delimiter, syn::MacroDelimiter::Brace(_))
        && DECLARATION_MACROS.contains(&name.as_str()))
    .then_some(&item.mac)
}

fn declaration_text(mac: &syn::Macro) -> String {
    let mut printer = Printer::default();
    printer.inline(mac.path.to_token_stream());
    printer.out.push('!');
    printer.block(mac.tokens.clone());
    printer.out.push('\n');
    printer.out
}

#[derive(Default)]
struct Printer {
    out: String,
    depth: usize,
    /// What was printed last on the current line; `None` at the start of a line.
    last: Option<Last>,
}

#[derive(Clone, Copy, PartialEq)]
enum Last {
    /// An identifier, a literal or a closing `>`.
    Word,
    /// A punctuation mark that joins the next token (`::`'s first `:`, `<`, `&`, `#`, `'`).
    Joining,
    /// A punctuation mark followed by a space (`,`, a lone `:`, `=`, `=>`, `>`).
    Spaced,
    Group,
}

impl Printer {
    fn newline(&mut self) {
        if self.last.is_some() {
            self.out.push('\n');
            self.last = None;
        }
    }

    /// Starts a token: the indentation on a fresh line, else a space where one belongs.
    fn before(&mut self, space: bool) {
        match self.last {
            None => self.out.push_str(&"    ".repeat(self.depth)),
            Some(Last::Joining) => {}
            Some(_) if space => self.out.push(' '),
            Some(_) => {}
        }
    }

    /// ` { entries }`, one entry per line, or ` {}`.
    fn block(&mut self, tokens: TokenStream) {
        self.before(true);
        if tokens.is_empty() {
            self.out.push_str("{}");
            self.last = Some(Last::Group);
            return;
        }
        self.out.push('{');
        self.last = Some(Last::Group);
        self.newline();
        self.depth += 1;
        let mut angle = 0usize;
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match &token {
                TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                    self.block(group.stream());
                    self.newline();
                }
                TokenTree::Punct(p) if p.as_char() == ',' && angle == 0 => {
                    self.out.push(',');
                    self.last = Some(Last::Spaced);
                    self.newline();
                }
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    self.token(&token, &mut angle);
                    if let Some(attribute) = tokens.next() {
                        self.token(&attribute, &mut angle);
                    }
                    self.newline();
                }
                _ => self.token(&token, &mut angle),
            }
        }
        self.depth -= 1;
        self.newline();
        self.before(false);
        self.out.push('}');
        self.last = Some(Last::Group);
    }

    /// Tokens on one line (a path, a type, an attribute's contents).
    fn inline(&mut self, tokens: TokenStream) {
        let mut angle = 0;
        for token in tokens {
            self.token(&token, &mut angle);
        }
    }

    fn token(&mut self, token: &TokenTree, angle: &mut usize) {
        match token {
            TokenTree::Ident(ident) => {
                self.before(true);
                self.out.push_str(&ident.to_string());
                self.last = Some(Last::Word);
            }
            TokenTree::Literal(literal) => {
                self.before(true);
                self.out.push_str(&literal.to_string());
                self.last = Some(Last::Word);
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                // `f(…)`, `#[…]`, `Vec<[u8; 4]>` glue to what precedes them.
                self.before(self.last == Some(Last::Spaced));
                self.out.push_str(open);
                self.last = Some(Last::Joining);
                self.inline(group.stream());
                self.out.push_str(close);
                self.last = Some(Last::Group);
            }
            TokenTree::Punct(punct) => self.punct(punct.as_char(), punct.spacing(), angle),
        }
    }

    fn punct(&mut self, c: char, spacing: Spacing, angle: &mut usize) {
        let joint = spacing == Spacing::Joint;
        let last = match c {
            // `::` and `'a`: nothing around the first half; the second `:` of `::` arrives
            // after a `Joining` mark and so takes no space either.
            // A leading `::` (`a: ::std::X`) keeps its space from a lone `:` before it: `:::`
            // would read as `::` then `:`.
            ':' if joint => {
                self.before(self.last == Some(Last::Spaced));
                Last::Joining
            }
            ':' if self.out.ends_with(':') && self.last == Some(Last::Joining) => {
                self.before(false);
                Last::Joining
            }
            '\'' | '&' | '#' => {
                self.before(true);
                Last::Joining
            }
            '<' => {
                *angle += 1;
                self.before(false);
                Last::Joining
            }
            '>' if self.out.ends_with('=') || self.out.ends_with('-') => {
                // The second half of `=>` or `->`.
                self.before(false);
                Last::Spaced
            }
            '>' => {
                *angle = angle.saturating_sub(1);
                self.before(false);
                Last::Word
            }
            ',' | ';' | ':' => {
                self.before(false);
                Last::Spaced
            }
            '=' | '-' if joint => {
                self.before(true);
                self.out.push(c);
                self.last = Some(Last::Joining);
                return;
            }
            _ => {
                self.before(true);
                Last::Spaced
            }
        };
        self.out.push(c);
        self.last = Some(last);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::unparse;

    fn laid_out(tokens: proc_macro2::TokenStream) -> String {
        unparse(syn::parse2(tokens).expect("valid items"))
    }

    #[test]
    fn a_declaration_takes_a_line_per_entry() {
        let text = laid_out(quote! {
            pub struct Tree;
            crate::builder::model_builder! {
                Page<T> => PageBuilder {
                    required {
                        nodes: Vec<T>,
                        #[deprecated(note = "`Page.total` is deprecated")]
                        totals: std::collections::BTreeMap<String, Option<Box<Tree>>>,
                        up: boxed Tree,
                    }
                    optional {}
                    default { additional_properties }
                }
            }
            fn after() {}
        });
        let expected = "pub struct Tree;
crate::builder::model_builder! {
    Page<T> => PageBuilder {
        required {
            nodes: Vec<T>,
            #[deprecated(note = \"`Page.total` is deprecated\")]
            totals: std::collections::BTreeMap<String, Option<Box<Tree>>>,
            up: boxed Tree,
        }
        optional {}
        default {
            additional_properties
        }
    }
}
fn after() {}
";
        assert_eq!(text, expected);
    }

    #[test]
    fn the_layout_reads_back_as_the_same_tokens() {
        let tokens = quote! {
            crate::builder::model_builder! {
                Model => ModelBuilder {
                    required { a: &'static str, b: [u8; 4], c: (i32, fn(u8) -> u8), d: ::std::net::Ipv4Addr, }
                    optional { d: plain serde_json::Value, e: plain boxed Model, }
                }
            }
        };
        let text = laid_out(tokens.clone());
        let back: proc_macro2::TokenStream = text.parse().expect("the layout is Rust");
        assert_eq!(flat(back), flat(tokens), "{text}");
        // Punctuation compares char by char above, so `:::` would pass for `: ::`.
        assert!(text.contains("d: ::std::net::Ipv4Addr,"), "{text}");
    }

    /// Every token's text and every group's delimiters, whatever the spacing of punctuation.
    fn flat(tokens: proc_macro2::TokenStream) -> Vec<String> {
        tokens
            .into_iter()
            .flat_map(|token| match token {
                proc_macro2::TokenTree::Group(group) => {
                    let mut inner = vec![format!("{:?}", group.delimiter())];
                    inner.extend(flat(group.stream()));
                    inner.push("end".into());
                    inner
                }
                proc_macro2::TokenTree::Punct(p) => vec![p.as_char().to_string()],
                other => vec![other.to_string()],
            })
            .collect()
    }

    #[test]
    fn other_macros_are_left_to_prettyplease() {
        let tokens = quote! { crate::typed_id::impl_typed_id!(PetId); other! { a : b } };
        let file: syn::File = syn::parse2(tokens.clone()).expect("valid items");
        assert_eq!(laid_out(tokens), prettyplease::unparse(&file));
    }
}
