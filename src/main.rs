fn main() {
    std::process::exit(govscore::cli::main());
}
