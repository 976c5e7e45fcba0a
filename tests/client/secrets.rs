//! The credentials given to the generated builder never show up in `Debug`
//! or `Display` output of the builder, the client, request builders or errors.

use std::time::Duration;

use isometric_registry::RetryPolicy;

use crate::mock_server::{MockResponse, MockServer};
use crate::{builder, ACCESS_TOKEN, CLIENT_SECRET};

fn assert_redacted(what: &str, text: &str) {
    assert!(
        !text.contains(CLIENT_SECRET),
        "{what} leaks the client secret: {text}"
    );
    assert!(
        !text.contains(ACCESS_TOKEN),
        "{what} leaks the access token: {text}"
    );
    // Not even a recognisable part of them.
    assert!(!text.contains("generated-client-secret"), "{what}: {text}");
    assert!(!text.contains("generated-access-token"), "{what}: {text}");
}

#[tokio::test]
async fn secrets_are_redacted_everywhere() {
    let server = MockServer::start(vec![
        MockResponse::json(422, r#"{"detail":[]}"#),
        MockResponse::json(200, r#"{"not":"a supplier"}"#),
        MockResponse::json(200, "{}").delay(Duration::from_secs(2)),
    ])
    .await;
    let b = builder(&server.url());
    assert_redacted("ClientBuilder", &format!("{b:?}"));
    let client = b.build().unwrap();
    assert_redacted("Client", &format!("{client:?} {client:#?}"));
    assert_redacted("request builder", &format!("{:?}", client.list_projects()));

    // The secrets are really sent.
    let err = client.list_projects().send().await.unwrap_err();
    let sent = &server.requests()[0];
    assert_eq!(sent.header("x-client-secret"), Some(CLIENT_SECRET));
    assert_redacted("Api error", &format!("{err:?} {err}"));

    let err = client.get_current_supplier().send().await.unwrap_err();
    assert_redacted("Decode error", &format!("{err:?} {err}"));

    let slow = builder(&server.url())
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = slow.get_current_supplier().send().await.unwrap_err();
    assert_redacted("Timeout error", &format!("{err:?} {err}"));

    // A transport error: nothing listens on the port any more.
    let closed = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let client = builder(&format!("http://{closed}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.get_current_organisation().send().await.unwrap_err();
    assert!(
        matches!(err, isometric_registry::Error::Transport(_)),
        "{err:?}"
    );
    assert_redacted("Transport error", &format!("{err:?} {err}"));

    // A bad base URL is reported without the credentials too.
    let err = builder("not a url").build().unwrap_err();
    assert_redacted("InvalidRequest error", &format!("{err:?} {err}"));
}
