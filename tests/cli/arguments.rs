//! `--help`, `--version` and bad arguments of every command.

use super::*;

const COMMANDS: [&str; 6] = [
    "regenerate",
    "diff",
    "check-specs",
    "check-diff-verdicts",
    "ir",
    "bench",
];

#[test]
fn help_and_version_of_every_command_exit_0() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let run = xtask(args);
        assert_eq!(code(&run), 0, "{args:?}: {}", stderr(&run));
        let help = stdout(&run);
        assert!(
            help.contains("Usage: cargo xtask [OPTIONS] <COMMAND>"),
            "{help}"
        );
        for command in COMMANDS {
            assert!(
                help.contains(&format!("\n  {command} ")),
                "{command}: {help}"
            );
        }
        assert!(help.contains("Exit status:"), "{help}");
    }
    let version = format!("xtask {}\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        let run = xtask(&[flag]);
        assert_eq!(code(&run), 0);
        assert_eq!(stdout(&run), version);
    }
    for command in COMMANDS {
        let usage = format!("Usage: cargo xtask {command}");
        for args in [[command, "--help"], [command, "-h"], ["help", command]] {
            let run = xtask(&args);
            assert_eq!(code(&run), 0, "{args:?}: {}", stderr(&run));
            let help = stdout(&run);
            assert!(help.contains(&usage), "{args:?}: {help}");
            assert!(
                help.contains("--quiet") && help.contains("--verbose"),
                "{help}"
            );
            assert!(help.contains("Exit status: 0"), "{args:?}: {help}");
            assert_eq!(stderr(&run), "");
        }
        let run = xtask(&[command, "--version"]);
        assert_eq!(code(&run), 0, "{command} --version");
        assert!(
            stdout(&run).ends_with(&format!(" {}\n", env!("CARGO_PKG_VERSION"))),
            "{}",
            stdout(&run)
        );
    }
}

#[test]
fn bad_arguments_exit_2_with_a_cargo_style_error() {
    for command in COMMANDS {
        let run = xtask(&[command, "--bogus"]);
        assert_eq!(code(&run), 2, "{command}");
        let message = stderr(&run);
        assert!(
            message.starts_with("error: unexpected argument '--bogus' found"),
            "{message}"
        );
        assert!(
            message.contains(&format!("Usage: cargo xtask {command}")),
            "{message}"
        );
        assert!(message.contains("try '--help'"), "{message}");
        assert_eq!(stdout(&run), "");
    }
    let cases: [(&[&str], &str); 8] = [
        (&[], "Usage: cargo xtask [OPTIONS] <COMMAND>"),
        (
            &["regenerate", "--out"],
            "a value is required for '--out <DIR>'",
        ),
        (
            &["regenerate", "--quiet", "--verbose"],
            "cannot be used with",
        ),
        (&["diff", "old.yaml"], "<NEW>"),
        (
            &["diff", "a", "b", "--format", "yaml"],
            "[possible values: text, markdown, json]",
        ),
        (&["check-specs"], "<SPEC_OR_DIR>..."),
        (&["ir", "extra"], "unexpected argument 'extra'"),
        (
            &["regnerate"],
            "tip: a similar subcommand exists: 'regenerate'",
        ),
    ];
    for (args, expected) in cases {
        let run = xtask(args);
        assert_eq!(code(&run), 2, "{args:?}");
        assert!(
            stderr(&run).contains(expected),
            "{args:?}: {}",
            stderr(&run)
        );
    }
}
