//! Conformance of the generated client against Prism, Stoplight's mock server
//! that validates requests and responses against the spec.
//!
//! Every operation is called through the generated client (see
//! `client/operations.rs`) against `prism mock`, once with static examples and
//! once per dynamic seed (`--dynamic --seed N --errors`). A tiny in-process
//! proxy between the client and Prism reads each response's headers, so the
//! test can require that no response carries Prism's `sl-violations` header
//! and that every 2xx response decodes. The one exception: in static mode
//! Prism answers some pattern-constrained strings with its placeholder
//! `"string"`, a response violation of Prism's own making, which is printed
//! as a note (request violations always fail).
//!
//! Needs Prism: `npm ci --prefix tests/prism` (see `.ci/install-prism.sh`), or
//! `PRISM_BIN=/path/to/prism`. Without it the test prints why and passes, unless
//! `OAPI_REQUIRE_PRISM` is set (as `.ci/run` does).
//! `PRISM_SEEDS=N` sets the number of dynamic seeds (default 8).

#[allow(dead_code)]
#[path = "../client/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../client/operations.rs"]
mod operations;

use std::collections::BTreeSet;
use std::fs::File;
use std::net::{SocketAddr, TcpStream as StdTcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use isometric_registry::{Client, Environment, RetryPolicy};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use operations::{call_all, Outcome, OPERATION_COUNT};

const DEFAULT_SEEDS: u32 = 8;

/// The Prism executable: `$PRISM_BIN`, else `tests/prism/node_modules/.bin/prism`.
fn prism_bin() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("PRISM_BIN") {
        return Some(PathBuf::from(bin));
    }
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("prism/node_modules/.bin/prism");
    local.exists().then_some(local)
}

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/isometric-registry.openapi.json")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// A running `prism mock`, killed on drop.
struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Prism {
    fn start(bin: &Path, seed: Option<u32>) -> Prism {
        let port = free_port();
        let name = seed.map_or("static".to_owned(), |s| format!("seed-{s}"));
        let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{name}.log"));
        let out = File::create(&log).expect("log file");
        let mut command = Command::new(bin);
        command
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("log file"))
            .stderr(out);
        if let Some(seed) = seed {
            // Response violations become 500s, so they can't pass unnoticed.
            command.args(["--errors", "--dynamic", "--seed", &seed.to_string()]);
        }
        command.arg(spec_path());
        let child = command.spawn().expect("prism starts");
        let mut prism = Prism { child, port, log };
        prism.wait_ready();
        prism
    }

    fn wait_ready(&mut self) {
        let started = Instant::now();
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        while started.elapsed() < Duration::from_secs(90) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("prism exited with {status}:\n{}", self.log_text());
            }
            if StdTcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("prism did not listen within 90 s:\n{}", self.log_text());
    }

    fn log_text(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP proxy to `upstream` that keeps a copy of every byte sent back, so
/// response headers can be inspected even when the client only returns a body.
struct TapProxy {
    addr: SocketAddr,
    responses: Arc<Mutex<Vec<u8>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TapProxy {
    async fn start(upstream: u16) -> TapProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let responses = Arc::new(Mutex::new(Vec::new()));
        let tap = responses.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let tap = tap.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                        return;
                    };
                    let (mut client_rd, mut client_wr) = client.into_split();
                    let (mut server_rd, mut server_wr) = server.into_split();
                    let up = async move {
                        let _ = tokio::io::copy(&mut client_rd, &mut server_wr).await;
                        let _ = server_wr.shutdown().await;
                    };
                    let down = async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = match server_rd.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            // Recorded before the client can see it.
                            tap.lock().unwrap().extend_from_slice(&buf[..n]);
                            if client_wr.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                        let _ = client_wr.shutdown().await;
                    };
                    tokio::join!(up, down);
                });
            }
        });
        TapProxy {
            addr,
            responses,
            task,
        }
    }

    fn recorded_len(&self) -> usize {
        self.responses.lock().unwrap().len()
    }

    /// `sl-violations` header lines among the recorded bytes `from..to`.
    fn violations_between(&self, from: usize, to: usize) -> Vec<Violation> {
        let bytes = self.responses.lock().unwrap();
        let text = String::from_utf8_lossy(&bytes[from..to]);
        text.split("\r\n")
            .filter_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("sl-violations")
                    .then(|| Violation::parse(value.trim()))
            })
            .flatten()
            .collect()
    }
}

impl Drop for TapProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One entry of Prism's `sl-violations` header.
#[derive(Debug)]
struct Violation {
    /// `request` or `response` (`unparsed` if the header wasn't JSON).
    side: String,
    detail: String,
}

impl Violation {
    fn parse(header: &str) -> Vec<Violation> {
        let Ok(Value::Array(items)) = serde_json::from_str::<Value>(header) else {
            return vec![Violation {
                side: "unparsed".into(),
                detail: header.to_owned(),
            }];
        };
        items
            .iter()
            .map(|v| Violation {
                side: v["location"][0].as_str().unwrap_or("unparsed").to_owned(),
                detail: format!("{} {}: {}", v["severity"], v["location"], v["message"]),
            })
            .collect()
    }
}

/// Results of one Prism run.
struct Run {
    /// The dynamic seed, `None` for static examples.
    seed: Option<u32>,
    calls: Vec<(&'static str, Outcome, Vec<Violation>)>,
    log: String,
}

async fn run_against(bin: &Path, seed: Option<u32>) -> Run {
    let prism = Prism::start(bin, seed);
    let proxy = TapProxy::start(prism.port).await;
    let client = Client::builder()
        .environment(Environment::Sandbox)
        .base_url(format!("http://{}", proxy.addr))
        .client_secret("cs-prism-conformance")
        .bearer_token("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut starts = Vec::new();
    let outcomes = call_all(&client, &mut |_| starts.push(proxy.recorded_len())).await;
    starts.push(proxy.recorded_len());
    let calls = outcomes
        .into_iter()
        .enumerate()
        .map(|(i, (op, outcome))| {
            let violations = proxy.violations_between(starts[i], starts[i + 1]);
            (op.name, outcome, violations)
        })
        .collect();
    Run {
        seed,
        calls,
        log: prism.log_text(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_conforms_to_prism() {
    let Some(bin) = prism_bin() else {
        // CI installs Prism and sets this, so a broken install fails instead of skipping.
        assert!(
            std::env::var_os("OAPI_REQUIRE_PRISM").is_none(),
            "OAPI_REQUIRE_PRISM is set but Prism is not installed"
        );
        println!(
            "SKIPPED conformance: Prism is not installed. Run `npm ci --prefix tests/prism` \
             (.ci/install-prism.sh) or set PRISM_BIN."
        );
        return;
    };
    let seeds: u32 = std::env::var("PRISM_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEEDS);

    let mut runs = vec![run_against(&bin, None).await];
    for seed in 1..=seeds {
        runs.push(run_against(&bin, Some(seed)).await);
    }

    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut called = BTreeSet::new();
    let mut failing = BTreeSet::new();
    let (mut dynamic_total, mut dynamic_decoded) = (0, 0);
    for run in &runs {
        assert_eq!(run.calls.len(), OPERATION_COUNT);
        let label = run
            .seed
            .map_or("static".to_owned(), |s| format!("seed {s}"));
        let before = problems.len();
        for (name, outcome, violations) in &run.calls {
            called.insert(*name);
            let decoded = matches!(outcome, Outcome::Decoded);
            if run.seed.is_some() {
                dynamic_total += 1;
                dynamic_decoded += usize::from(decoded);
            }
            // A response Prism itself flags as violating the spec may rightly fail to decode
            // (e.g. `"string"` for a decimal): noted below, not the client's fault.
            let prism_invalid =
                run.seed.is_none() && violations.iter().any(|v| v.side == "response");
            let mut bad = !decoded && !prism_invalid;
            if !decoded && prism_invalid {
                notes.push(format!(
                    "{label}: {name}: rejected Prism's invalid response: {outcome:?}"
                ));
            }
            for v in violations {
                // Static mode answers a pattern-constrained string without an
                // example with Prism's placeholder `"string"`: Prism's own
                // response violation, reported but not the client's fault.
                if run.seed.is_none() && v.side == "response" {
                    notes.push(format!("{label}: {name}: {}", v.detail));
                } else {
                    bad = true;
                }
            }
            if bad {
                failing.insert(*name);
                problems.push(format!("{label}: {name}: {outcome:?} {violations:?}"));
            }
        }
        if problems.len() > before {
            problems.push(format!("prism log ({label}):\n{}", run.log));
        }
    }
    let clean = called.difference(&failing).count();
    println!(
        "prism conformance: {} operations called, {clean}/{OPERATION_COUNT} clean in every run \
         (static + {seeds} dynamic seeds); dynamic responses decoded: \
         {dynamic_decoded}/{dynamic_total}",
        called.len(),
    );
    for note in &notes {
        println!("note (Prism's static example violates the spec): {note}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(clean, OPERATION_COUNT);
    assert_eq!(dynamic_decoded, dynamic_total);
}
