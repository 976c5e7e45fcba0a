//! The hand-written runtime every generated crate carries. Its source of truth is
//! `generated-client/src/`, where it is edited, built and tested like any other code; the
//! generator embeds it so `--out DIR` yields a crate that builds on its own.

macro_rules! runtime_files {
    ($($name:literal),* $(,)?) => {
        pub const FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../../generated-client/src/", $name)))),*
        ];
    };
}

runtime_files!(
    "lib.rs",
    "binary.rs",
    "builder.rs",
    "client.rs",
    "client/send.rs",
    "client_error.rs",
    "decimal.rs",
    "download.rs",
    "encoding.rs",
    "error.rs",
    "error_response.rs",
    "error_summary.rs",
    "json_path.rs",
    "middleware.rs",
    "multipart.rs",
    "ndjson.rs",
    "options.rs",
    "paging.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "secret.rs",
    "sse.rs",
    "trace.rs",
    "typed_id.rs",
    "upload.rs",
);
