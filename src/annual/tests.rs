use super::*;

#[test]
fn dbg_seed() {
    let t = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/annual/seed_2022.txt")).unwrap();
    let r = parse_text(&t);
    println!("{}", render_text(&r));
}
