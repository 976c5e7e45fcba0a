//! `cargo xtask bench-load`: the client load and fault benchmark (`tests/bench/load.rs`), run
//! in release mode. Its own module and one dispatch line, so it stays out of argument parsing.

use std::process::Command;

pub fn run() -> u8 {
    let status = Command::new(env!("CARGO"))
        .args(["bench", "-p", "oapi-tests", "--bench", "load"])
        .current_dir(crate::workspace_root())
        .status();
    match status {
        Ok(s) if s.success() => 0,
        Ok(_) => 1,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            2
        }
    }
}
