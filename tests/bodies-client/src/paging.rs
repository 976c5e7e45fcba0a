//! Following pages: the one state machine behind every generated `pages()` / `items()`,
//! whatever the API's style (cursor, next link, offset, page number, keyset). Generated code
//! supplies the step from one page to the next; the guards live here once.

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, BoxStream, StreamExt};
use reqwest::header::{HeaderMap, LINK};
use serde::Serialize;

use crate::{Error, ResponseValue};

/// A stream of pages, boxed so `while let Some(page) = pages.next().await` needs no pinning.
pub type PageStream<'a, P, E> = BoxStream<'a, Result<P, Error<E>>>;
/// A stream of items across pages.
pub type ItemStream<'a, T, E> = BoxStream<'a, Result<T, Error<E>>>;

/// The request for the next page, with the text of what moved it on (the cursor, link, offset
/// or id) for the repeated-cursor guard. `None`: that was the last page.
pub type Next<B> = Option<(B, String)>;

enum State<B> {
    Fetch(B),
    Repeated(String),
    Done,
}

/// Streams every page from `first` on. After each page, `next(&request, &page)` builds the
/// request for the following one. The stream ends after the last page, after an error, or —
/// yielding [`Error::RepeatedCursor`] after the page that carried it — when a step repeats a
/// cursor it has already used, so a misbehaving server cannot loop a caller forever.
pub fn pages<'a, B, P, E, F, Fut, N>(first: B, fetch: F, next: N) -> PageStream<'a, P, E>
where
    B: Clone + Send + 'a,
    P: Send + 'a,
    E: Send + 'a,
    F: Fn(B) -> Fut + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    N: Fn(&B, &ResponseValue<P>) -> Next<B> + Send + 'a,
{
    let seen: HashSet<String> = HashSet::new();
    stream::unfold(
        (State::Fetch(first), seen, fetch, next),
        |(state, mut seen, fetch, next)| async move {
            let request = match state {
                State::Fetch(request) => request,
                State::Repeated(cursor) => {
                    let done = (State::Done, seen, fetch, next);
                    return Some((Err(Error::RepeatedCursor(cursor)), done));
                }
                State::Done => return None,
            };
            let page = match fetch(request.clone()).await {
                Ok(page) => page,
                Err(err) => return Some((Err(err), (State::Done, seen, fetch, next))),
            };
            let state = match next(&request, &page) {
                None => State::Done,
                Some((_, cursor)) if !seen.insert(cursor.clone()) => State::Repeated(cursor),
                Some((request, _)) => State::Fetch(request),
            };
            Some((Ok(page.into_inner()), (state, seen, fetch, next)))
        },
    )
    .boxed()
}

/// Flattens pages into their items, in order; errors pass through.
pub fn items<'a, P, T, E>(
    pages: PageStream<'a, P, E>,
    into_items: fn(P) -> Vec<T>,
) -> ItemStream<'a, T, E>
where
    P: Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    pages
        .flat_map(move |page| match page {
            Ok(page) => stream::iter(into_items(page).into_iter().map(Ok)).left_stream(),
            Err(err) => stream::iter(Some(Err(err))).right_stream(),
        })
        .boxed()
}

/// The guard text of a cursor value: a string as it is, anything else (tokens are not always
/// strings) as JSON.
pub fn key<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A token of one type as another of the same JSON shape (a spec's request and response
/// spelling one `anyOf` twice); `None` ends the paging if they turn out not to match.
pub fn convert<T: Serialize, U: serde::de::DeserializeOwned>(token: &T) -> Option<U> {
    serde_json::to_value(token)
        .ok()
        .and_then(|value| serde_json::from_value(value).ok())
}

/// `a < b`, across integer types (offsets, counts and totals are typed as the spec says).
pub fn below<A: TryInto<i128>, B: TryInto<i128>>(a: A, b: B) -> bool {
    match (a.try_into(), b.try_into()) {
        (Ok(a), Ok(b)) => a < b,
        _ => false,
    }
}

/// `value + by`, or `None` if it does not fit the input's type.
pub fn advance<T>(value: T, by: usize) -> Option<T>
where
    T: TryInto<i128>,
    i128: TryInto<T>,
{
    let value: i128 = value.try_into().ok()?;
    let by = i128::try_from(by).ok()?;
    value.checked_add(by)?.try_into().ok()
}

/// The `rel="next"` target of RFC 8288 `Link` headers, if any.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(split_links)
        .find_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let is_next = params.split(';').any(|p| {
                let Some((name, value)) = p.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.to_string())
        })
}

/// Splits a `Link` header on the commas between links (not those inside `<…>` or quotes).
fn split_links(header: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut in_target, mut in_quotes) = (0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            '<' if !in_quotes => in_target = true,
            '>' if !in_quotes => in_target = false,
            '"' if !in_target => in_quotes = !in_quotes,
            ',' if !in_target && !in_quotes => {
                out.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&header[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn link_header_next() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static(
                r#"<https://a.test/x?page=1,2>; rel="prev", <https://a.test/x?page=3>; rel="next last""#,
            ),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://a.test/x?page=3")
        );
        headers.insert(LINK, HeaderValue::from_static(r#"</x?page=1>; rel="prev""#));
        assert_eq!(next_link(&headers), None);
    }

    #[test]
    fn arithmetic_across_types() {
        assert_eq!(advance(10u32, 5), Some(15u32));
        assert_eq!(advance(i32::MAX, 1), None);
        assert!(below(3usize, 4i64));
        assert!(!below(4u64, 4i32));
    }
}
