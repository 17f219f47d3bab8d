//! Rebuilds when a migration or a catalogue file changes: `sqlx::migrate!` and the catalogue
//! (`include_dir!`) embed those files at compile time.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
}
