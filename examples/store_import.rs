//! Import run directories into a SQLite run database (with their assessment), for the
//! `kensa diff --db DB RUN_A RUN_B` benchmarks of stored runs (issue 21).
//!
//! ```sh
//! cargo run --release --example store_import -- /tmp/pair.db runs/a runs/b
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((db, runs)) = args.split_first().filter(|(_, r)| !r.is_empty()) else {
        eprintln!("usage: store_import DB RUN_DIR...");
        return ExitCode::from(2);
    };
    let mut st = match kensa::store::Store::open(db) {
        Ok(st) => st,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(3);
        }
    };
    for r in runs {
        match st.import_run(r) {
            Ok(i) => println!("{}: {i:?}", r.display()),
            Err(e) => {
                eprintln!("error: {}: {e}", r.display());
                return ExitCode::from(3);
            }
        }
    }
    ExitCode::SUCCESS
}
