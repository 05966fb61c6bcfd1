fn main() {
    end_quietly_on_a_closed_stdout();
    std::process::exit(govscore::cli::main());
}

/// `govscore rules list | head -1`: when whoever reads stdout goes away, `println!` fails
/// with a broken pipe and panics. That is not a bug worth a panic message and exit 101:
/// end quietly, as Unix tools do. Every other panic keeps the default report.
fn end_quietly_on_a_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or("");
        // std's message: "failed printing to stdout: Broken pipe (os error 32)".
        if message.starts_with("failed printing to stdout")
            && message.to_ascii_lowercase().contains("broken pipe")
        {
            std::process::exit(0);
        }
        default(info);
    }));
}
