//! Relay-style (`first`/`after`, `pageInfo { hasNextPage endCursor }`) pagination.

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, Stream, StreamExt};

use crate::Error;

/// A page of a Relay connection.
pub trait RelayPage {
    /// The element type.
    type Item;
    /// `pageInfo.hasNextPage`.
    fn has_next_page(&self) -> bool;
    /// `pageInfo.endCursor`.
    fn end_cursor(&self) -> Option<&str>;
    /// The page's elements, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Where the page stream is.
enum State<B> {
    /// Fetch the page described by this builder next.
    Fetch(B),
    /// The server repeated this cursor: report it, then stop.
    Repeated(String),
    Done,
}

/// Streams every page of a listing, starting with `first` (a request builder).
///
/// After each page with `hasNextPage` and an `endCursor`, the next request is
/// `with_after(builder, cursor)`. The stream ends after the last page, after
/// an error, or — yielding [`Error::RepeatedCursor`] — when the server returns
/// a cursor it returned before (the page carrying it is still yielded first).
///
/// `fetch` is typically an operation builder's `send`:
/// `relay_pages(self, |b, c| b.after(c), |b| b.send())`.
/// The stream is not `Unpin`: pin it (`std::pin::pin!`, `Box::pin`) to call `next()`.
pub fn relay_pages<B, P, E, W, F, Fut>(
    first: B,
    with_after: W,
    fetch: F,
) -> impl Stream<Item = Result<P, Error<E>>>
where
    B: Clone,
    P: RelayPage,
    W: Fn(B, String) -> B,
    F: Fn(B) -> Fut,
    Fut: Future<Output = Result<P, Error<E>>>,
{
    let seen = HashSet::new();
    stream::unfold(
        (State::Fetch(first), seen, with_after, fetch),
        |(state, mut seen, with_after, fetch)| async move {
            let builder = match state {
                State::Fetch(builder) => builder,
                State::Repeated(cursor) => {
                    let next = (State::Done, seen, with_after, fetch);
                    return Some((Err(Error::RepeatedCursor(cursor)), next));
                }
                State::Done => return None,
            };
            let page = match fetch(builder.clone()).await {
                Ok(page) => page,
                Err(err) => return Some((Err(err), (State::Done, seen, with_after, fetch))),
            };
            let next = match page.end_cursor().filter(|_| page.has_next_page()) {
                None => State::Done,
                Some(cursor) if !seen.insert(cursor.to_owned()) => {
                    State::Repeated(cursor.to_owned())
                }
                Some(cursor) => State::Fetch(with_after(builder, cursor.to_owned())),
            };
            Some((Ok(page), (next, seen, with_after, fetch)))
        },
    )
}

/// Flattens a page stream into a stream of items; errors pass through.
pub fn relay_items<S, P, E>(pages: S) -> impl Stream<Item = Result<P::Item, Error<E>>>
where
    S: Stream<Item = Result<P, Error<E>>>,
    P: RelayPage,
{
    pages.flat_map(|page| match page {
        Ok(page) => stream::iter(page.into_items().into_iter().map(Ok)).left_stream(),
        Err(err) => stream::iter(Some(Err(err))).right_stream(),
    })
}
