//! A tiny scripted HTTP/1.1 server on 127.0.0.1 for runtime tests.
//!
//! Answers each connection with the next scripted response (one request per
//! connection, `Connection: close`), or 599 when the script is exhausted, and
//! records every request. A response can be sent in chunks (`Transfer-Encoding:
//! chunked`, each chunk its own write), held back until the test releases it,
//! and cut off without the terminating chunk.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// A scripted response.
#[derive(Clone, Debug)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    /// Sent chunked, part by part, when set.
    parts: Option<Vec<Part>>,
    /// Close the connection without the terminating chunk.
    cut: bool,
}

/// A piece of a chunked body.
#[derive(Clone, Debug)]
pub enum Part {
    /// One HTTP chunk, written (and flushed) on its own.
    Chunk(Vec<u8>),
    /// Wait until the test calls `notify_one` before sending the rest.
    Hold(Arc<Notify>),
}

impl MockResponse {
    pub fn status(status: u16) -> Self {
        MockResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            parts: None,
            cut: false,
        }
    }

    /// A chunked body: each part one HTTP chunk (or a hold).
    pub fn chunked(status: u16, content_type: &str, parts: Vec<Part>) -> Self {
        let mut response = Self::status(status).header("content-type", content_type);
        response.parts = Some(parts);
        response
    }

    /// Closes the connection after the parts without the terminating chunk, as
    /// a server that crashed mid-body would.
    #[allow(dead_code)] // Used by the `streaming` test target, not by `runtime`.
    pub fn cut(mut self) -> Self {
        self.cut = true;
        self
    }

    pub fn json(status: u16, body: &str) -> Self {
        Self::status(status)
            .header("content-type", "application/json")
            .body(body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = body.as_bytes().to_vec();
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query, exactly as sent.
    pub target: String,
    /// Header names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    script: VecDeque<MockResponse>,
    requests: Vec<Recorded>,
}

pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    pub async fn start(script: Vec<MockResponse>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        Self::serve(listener, script)
    }

    /// Serves on an existing listener (e.g. one bound to a known port later).
    pub fn serve(listener: TcpListener, script: Vec<MockResponse>) -> Self {
        let addr = listener.local_addr().expect("addr");
        let shared = Arc::new(Mutex::new(Shared {
            script: script.into(),
            requests: Vec::new(),
        }));
        let state = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(handle(stream, state.clone()));
            }
        });
        MockServer { addr, shared, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Appends a response to the script (for tests that script as they go).
    #[allow(dead_code)] // Used by the `client` test target, not by `runtime`.
    pub fn push(&self, response: MockResponse) {
        self.shared.lock().unwrap().script.push_back(response);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().unwrap().requests.clone()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let response = {
        let mut shared = shared.lock().unwrap();
        shared.requests.push(request);
        shared.script.pop_front()
    };
    let response = response.unwrap_or_else(|| MockResponse::status(599).body("script exhausted"));
    tokio::time::sleep(response.delay).await;
    let mut head = format!("HTTP/1.1 {} Mock\r\n", response.status);
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(parts) = &response.parts {
        head.push_str("transfer-encoding: chunked\r\nconnection: close\r\n\r\n");
        let _ = stream.set_nodelay(true);
        let _ = stream.write_all(head.as_bytes()).await;
        for part in parts {
            match part {
                Part::Chunk(bytes) => {
                    let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                    chunk.extend_from_slice(bytes);
                    chunk.extend_from_slice(b"\r\n");
                    let _ = stream.write_all(&chunk).await;
                    let _ = stream.flush().await;
                }
                Part::Hold(gate) => gate.notified().await,
            }
        }
        if !response.cut {
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
        let _ = stream.shutdown().await;
        return;
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        response.body.len()
    ));
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&response.body).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_owned();
    let target = start.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        let body = loop {
            if let Some(decoded) = dechunk(&body) {
                break decoded;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(&chunk[..n]);
        };
        return Some(Recorded {
            method,
            target,
            headers,
            body,
        });
    }
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

/// A whole `transfer-encoding: chunked` body decoded, or `None` while its last chunk is
/// still to come.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            // No trailers are sent: the body ends with an empty line.
            return raw.starts_with(b"\r\n").then_some(body);
        }
        if raw.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}
