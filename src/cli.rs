//! Command-line interface: clap commands mapped to library calls and exit codes.

/// Runs the CLI and returns the process exit code.
pub fn main() -> i32 {
    0
}
