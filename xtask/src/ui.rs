//! What the commands print besides their results: progress on a terminal, `--quiet`, `--verbose`.
//!
//! Progress goes to stderr as cargo-style status lines (`    Lowered 120 types, 41 operations`),
//! only when stderr is a terminal, so logs and pipes see exactly what they saw before.

use std::fmt::Display;
use std::io::IsTerminal;

/// Flags every command takes.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct OutputArgs {
    /// Print only errors (no progress, no summaries, no result lines)
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        display_order = 100
    )]
    pub quiet: bool,
    /// List every warning and note instead of counts per kind
    #[arg(short, long, global = true, display_order = 100)]
    pub verbose: bool,
}

pub struct Ui {
    quiet: bool,
    verbose: bool,
    /// Progress is shown (stderr is a terminal).
    terminal: bool,
    color: bool,
}

impl Ui {
    pub fn new(args: &OutputArgs) -> Self {
        let terminal = std::io::stderr().is_terminal();
        Ui::with_terminal(args, terminal, std::env::var_os("NO_COLOR").is_none())
    }

    /// A `Ui` as if stderr were (or were not) a terminal.
    pub fn with_terminal(args: &OutputArgs, terminal: bool, color: bool) -> Self {
        Ui {
            quiet: args.quiet,
            verbose: args.verbose,
            terminal,
            color: terminal && color,
        }
    }

    pub fn verbose(&self) -> bool {
        self.verbose
    }

    /// A progress line (`verb` right-aligned like cargo's), on a terminal only.
    pub fn status(&self, verb: &str, message: impl Display) {
        if let Some(line) = self.status_line(verb, message) {
            eprintln!("{line}");
        }
    }

    fn status_line(&self, verb: &str, message: impl Display) -> Option<String> {
        if !self.terminal || self.quiet {
            return None;
        }
        Some(if self.color {
            format!("\x1b[1;32m{verb:>12}\x1b[0m {message}")
        } else {
            format!("{verb:>12} {message}")
        })
    }

    /// A result line on stdout (`generated 23 files into …`), unless `--quiet`.
    pub fn result(&self, message: impl Display) {
        if !self.quiet {
            println!("{message}");
        }
    }

    /// A line on stderr that is not an error (warnings, notes), unless `--quiet`.
    pub fn note(&self, message: impl Display) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }
}

/// `12.3 KiB`.
pub fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// `1 file`, `2 files`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui(quiet: bool, terminal: bool, color: bool) -> Ui {
        let args = OutputArgs {
            quiet,
            verbose: false,
        };
        Ui::with_terminal(&args, terminal, color)
    }

    #[test]
    fn progress_only_on_a_terminal_and_never_when_quiet() {
        assert_eq!(
            ui(false, true, false).status_line("Lowered", "3 types"),
            Some("     Lowered 3 types".into())
        );
        let colored = ui(false, true, true)
            .status_line("Emitted", "2 files")
            .unwrap();
        assert!(colored.starts_with("\x1b[1;32m") && colored.ends_with("\x1b[0m 2 files"));
        assert_eq!(ui(false, false, true).status_line("Lowered", "x"), None);
        assert_eq!(ui(true, true, true).status_line("Lowered", "x"), None);
    }

    #[test]
    fn sizes_and_counts_read_naturally() {
        assert_eq!(size(900), "900 B");
        assert_eq!(size(12_595), "12.3 KiB");
        assert_eq!(size(3 * 1024 * 1024), "3.0 MiB");
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(0, "file", "files"), "0 files");
    }
}
