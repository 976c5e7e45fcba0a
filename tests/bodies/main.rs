//! Every request encoding other than JSON, through the generated client of
//! `tests/fixtures/bodies/bodies.yaml` (checked in as `tests/bodies-client`) against the in-process
//! mock on 127.0.0.1: form, multipart and raw bodies, and the pipeDelimited, spaceDelimited and
//! deepObject query styles. Each test checks the exact bytes the server received: target, body
//! and content type.

#[allow(dead_code)] // Each test target uses a different part of the mock.
#[path = "../runtime/mock_server.rs"]
mod mock_server;

use bodies_fixture::{
    types::{
        Address, PriceRange, SearchFilter, Signup, UpdatePreferencesRequest, Upload, UploadMeta,
    },
    Binary, Client, Upload as StreamUpload,
};

use mock_server::{MockResponse, MockServer, Recorded};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .build()
        .expect("client builds")
}

/// The one request the server saw.
fn only_request(server: &MockServer) -> Recorded {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn form_body() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    let signup = Signup::builder()
        .email("ann@example.com")
        .name("Ann & Bob")
        .address(Address::new().with_city("São Paulo").with_zip("01000"))
        .age(30)
        .interests(vec!["rust".to_owned(), "a b".to_owned()])
        .newsletter(true)
        .build();
    client(&server).sign_up(signup).send().await.unwrap();

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/signup");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // Lists repeat the key, an object is JSON text, an unset optional (`referrer`) is left out;
    // everything but unreserved characters is percent-encoded.
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "address=%7B%22city%22%3A%22S%C3%A3o%20Paulo%22%2C%22zip%22%3A%2201000%22%7D\
         &age=30&email=ann%40example.com&interests=rust&interests=a%20b\
         &name=Ann%20%26%20Bob&newsletter=true"
    );
}

#[tokio::test]
async fn optional_form_body_sent_or_left_out() {
    let server =
        MockServer::start(vec![MockResponse::status(204), MockResponse::status(204)]).await;
    let preferences = UpdatePreferencesRequest::new()
        .with_font_size(14)
        .with_theme("dark");
    client(&server)
        .update_preferences()
        .body(preferences)
        .send()
        .await
        .unwrap();
    client(&server).update_preferences().send().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "PATCH");
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].body, b"font_size=14&theme=dark");
    assert_eq!(requests[1].header("content-type"), None);
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn multipart_body() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    // Not valid UTF-8: the file's bytes must reach the server untouched.
    let pdf = vec![b'%', b'P', b'D', b'F', 0xff, 0x00, b'\r', b'\n'];
    let upload = Upload::builder()
        .title("Q3 report")
        .file(
            Binary::new(pdf.clone())
                .with_file_name("report.pdf")
                .with_content_type("application/pdf"),
        )
        .thumbnail(Binary::new(vec![0x89, b'P', b'N', b'G']).with_content_type("image/png"))
        .attachments(vec![
            Binary::new(b"first".to_vec()).with_file_name("a.txt"),
            Binary::new(b"second".to_vec()),
        ])
        .pages(3)
        .draft(false)
        .tags(vec!["a".to_owned(), "b".to_owned()])
        .meta(UploadMeta::new().with_author("Ann"))
        .build();
    client(&server).upload(upload).send().await.unwrap();

    let request = only_request(&server);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/uploads")
    );
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content type {content_type}"));
    assert!(!boundary.is_empty());
    let part = |headers: &str, body: &[u8]| {
        let mut bytes = format!("--{boundary}\r\n{headers}\r\n").into_bytes();
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b"\r\n");
        bytes
    };
    let text = |name: &str, value: &str| {
        part(
            &format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
            value.as_bytes(),
        )
    };
    let file = |name: &str, file_name: &str, content_type: &str, body: &[u8]| {
        part(
            &format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: {content_type}\r\n"
            ),
            body,
        )
    };
    let json = |name: &str, value: &str| {
        part(
            &format!(
                "Content-Disposition: form-data; name=\"{name}\"\r\n\
                 Content-Type: application/json\r\n"
            ),
            value.as_bytes(),
        )
    };
    // One part per property in the schema's order: text as text, files with their name and
    // type (the field name, and the part's declared type when the `Binary` has none), one part
    // per file of a list, numbers and booleans as JSON writes them, lists and objects as JSON;
    // nothing for an unset optional.
    let expected = [
        text("title", "Q3 report"),
        file("file", "report.pdf", "application/pdf", &pdf),
        file(
            "thumbnail",
            "thumbnail",
            "image/png",
            &[0x89, b'P', b'N', b'G'],
        ),
        file("attachments", "a.txt", "text/plain", b"first"),
        file("attachments", "attachments", "text/plain", b"second"),
        text("pages", "3"),
        text("draft", "false"),
        json("tags", r#"["a","b"]"#),
        json("meta", r#"{"author":"Ann"}"#),
        format!("--{boundary}--\r\n").into_bytes(),
    ]
    .concat();
    assert_eq!(
        request.body,
        expected,
        "sent:\n{}\nexpected:\n{}",
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
}

/// A file the caller gave no content type goes out as the spec declares its part:
/// `contentMediaType` on the schema, or the media type's `encoding` (its first concrete type);
/// undeclared, as `application/octet-stream`.
#[tokio::test]
async fn multipart_file_parts_take_the_declared_content_type() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    let upload = Upload::builder()
        .title("t")
        .file(Binary::new(b"x".to_vec()))
        .thumbnail(Binary::new(b"png".to_vec()))
        .attachments(vec![Binary::new(b"note".to_vec())])
        .build();
    client(&server).upload(upload).send().await.unwrap();

    let body = String::from_utf8(only_request(&server).body).unwrap();
    let part_type = |name: &str| {
        let at = body
            .find(&format!("name=\"{name}\""))
            .unwrap_or_else(|| panic!("no part {name}: {body}"));
        let line = body[at..].lines().nth(1).unwrap();
        line.strip_prefix("Content-Type: ").unwrap().to_owned()
    };
    assert_eq!(part_type("file"), "application/octet-stream");
    assert_eq!(part_type("thumbnail"), "image/png");
    assert_eq!(part_type("attachments"), "text/plain");
}

#[tokio::test]
async fn multipart_body_leaves_out_unset_parts() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    let upload = Upload::builder()
        .title("t")
        .file(Binary::new(b"x".to_vec()))
        .build();
    client(&server).upload(upload).send().await.unwrap();

    let request = only_request(&server);
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
         Content-Type: application/octet-stream\r\n\r\nx\r\n--{boundary}--\r\n"
    );
    assert_eq!(String::from_utf8(request.body).unwrap(), expected);
}

#[tokio::test]
async fn raw_bytes_body_and_response() {
    let server = MockServer::start(vec![MockResponse::status(200)
        .header("content-type", "application/octet-stream")
        .body("stored")])
    .await;
    let bytes = vec![0x00, 0x01, 0xfe, 0xff, b'\r', b'\n'];
    let stored = client(&server)
        .put_blob("a/b c", bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(stored, b"stored");

    let request = only_request(&server);
    assert_eq!(request.method, "PUT");
    // The path parameter is one segment: `/` and the space are escaped.
    assert_eq!(request.target, "/blobs/a%2Fb%20c");
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn raw_body_of_another_media_type_optional() {
    let server =
        MockServer::start(vec![MockResponse::status(204), MockResponse::status(204)]).await;
    let png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    client(&server)
        .upload_image()
        .body(png.clone())
        .send()
        .await
        .unwrap();
    client(&server).upload_image().send().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "/images");
    assert_eq!(requests[0].header("content-type"), Some("image/png"));
    assert_eq!(requests[0].body, png);
    assert_eq!(requests[1].header("content-type"), None);
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn query_styles() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    let filter = SearchFilter::new()
        .with_min_size(3)
        .with_owner("me & you")
        .with_price(PriceRange::new().with_max(9.5).with_min(1.0))
        .with_status(vec!["new".to_owned(), "old".to_owned()]);
    client(&server)
        .search()
        // List setters take any collection: `&str`s for strings, arrays, ranges, `Vec`s.
        .colors(["blue", "red|dark"])
        .sizes(1..=2)
        .words(vec!["a b".to_owned(), "c".to_owned()])
        .ids([1, 2, 3])
        .filter(filter)
        .send()
        .await
        .unwrap();

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    // pipeDelimited: one value, `|` between items and escaped inside one; pipeDelimited with
    // explode: repeated keys; spaceDelimited: `%20` between items; form without explode: commas;
    // deepObject: `filter[key]` per property, nested objects as `filter[a][b]`, list items as
    // repeated keys.
    let expected = [
        "/search?colors=blue|red%7Cdark",
        "sizes=1",
        "sizes=2",
        "words=a%20b%20c",
        "ids=1,2,3",
        "filter%5Bmin_size%5D=3",
        "filter%5Bowner%5D=me%20%26%20you",
        "filter%5Bprice%5D%5Bmax%5D=9.5",
        "filter%5Bprice%5D%5Bmin%5D=1.0",
        "filter%5Bstatus%5D=new",
        "filter%5Bstatus%5D=old",
    ]
    .join("&");
    assert_eq!(request.target, expected);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn unset_query_parameters_are_left_out() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    client(&server)
        .search()
        .filter(SearchFilter::new())
        .send()
        .await
        .unwrap();
    assert_eq!(only_request(&server).target, "/search");
}

/// A body from a stream goes out chunked, each piece as it comes, and arrives whole.
#[tokio::test]
async fn streamed_upload_is_sent_chunked_as_it_is_read() {
    let server = MockServer::start(vec![MockResponse::status(200)]).await;
    let pieces: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(b"first ".to_vec()),
        Ok(vec![0, 1, 2]),
        Ok(b" last".to_vec()),
    ];
    let body = StreamUpload::from_stream(futures_util::stream::iter(pieces));
    client(&server).put_blob("s", body).send().await.unwrap();

    let request = only_request(&server);
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert_eq!(request.header("content-length"), None);
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, b"first \x00\x01\x02 last");
}

/// A reader (a file, here 200 KiB in memory) is read 64 KiB at a time; with its length
/// given, the request says `content-length` instead of chunking.
#[tokio::test]
async fn upload_from_a_reader_with_its_length() {
    let server = MockServer::start(vec![MockResponse::status(204)]).await;
    let data: Vec<u8> = (0..200 * 1024).map(|i| (i % 251) as u8).collect();
    let body = StreamUpload::from_reader(std::io::Cursor::new(data.clone()))
        .with_length(data.len() as u64);
    assert_eq!(format!("{body:?}"), "Upload(stream of 204800 bytes)");
    client(&server)
        .upload_image()
        .body(body)
        .send()
        .await
        .unwrap();

    let request = only_request(&server);
    assert_eq!(request.header("content-length"), Some("204800"));
    assert_eq!(request.header("transfer-encoding"), None);
    assert_eq!(request.header("content-type"), Some("image/png"));
    assert!(request.body == data, "the body arrived changed");
}

/// A streamed body cannot be read twice: no retry of a 503 (which a body in memory gets, the
/// PUT being idempotent), no following a 307, and a copy of the request cannot send it again.
#[tokio::test]
async fn a_streamed_upload_gets_one_attempt() {
    let stream_of = |text: &'static str| {
        StreamUpload::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(text)]))
    };
    let server = MockServer::start(vec![
        MockResponse::status(503),
        MockResponse::status(503),
        MockResponse::status(200),
    ])
    .await;
    let err = client(&server)
        .put_blob("s", stream_of("once"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(server.requests().len(), 1);
    // The same body in memory is retried.
    client(&server).put_blob("s", "twice").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].body, b"twice");

    let server = MockServer::start(vec![
        MockResponse::status(307).header("location", "/blobs/elsewhere"),
        MockResponse::status(200),
    ])
    .await;
    let err = client(&server)
        .put_blob("s", stream_of("moved"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(307), "{err}");
    assert_eq!(server.requests().len(), 1);

    let server = MockServer::start(vec![MockResponse::status(200)]).await;
    let client = client(&server);
    let request = client.put_blob("s", stream_of("copied"));
    request.clone().send().await.unwrap();
    let err = request.send().await.unwrap_err();
    assert!(err.to_string().contains("already sent"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

/// An error from the caller's stream ends the request with a transport error.
#[tokio::test]
async fn a_failing_stream_fails_the_request() {
    let server = MockServer::start(vec![MockResponse::status(200)]).await;
    let pieces: Vec<Result<&'static str, std::io::Error>> =
        vec![Ok("partial"), Err(std::io::Error::other("disk unplugged"))];
    let err = client(&server)
        .put_blob(
            "s",
            StreamUpload::from_stream(futures_util::stream::iter(pieces)),
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, bodies_fixture::Error::Transport(_)),
        "{err:?}"
    );
}

/// A streamed body that does not keep to its declared length fails the request instead of
/// being cut to fit or sent short.
#[tokio::test]
async fn a_stream_longer_or_shorter_than_its_length_fails() {
    for (pieces, length) in [(vec!["hello", " world"], 5), (vec!["hel"], 5)] {
        let server = MockServer::start(vec![MockResponse::status(200)]).await;
        let chunks = pieces.into_iter().map(Ok::<_, std::io::Error>);
        let body =
            StreamUpload::from_stream(futures_util::stream::iter(chunks)).with_length(length);
        let err = client(&server)
            .put_blob("s", body)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, bodies_fixture::Error::Transport(_)),
            "{err:?}"
        );
    }
}
