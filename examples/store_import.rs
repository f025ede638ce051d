//! Import run directories into a run database (with their assessment): a SQLite file or a
//! PostgreSQL URL, for the `kensa diff --db DB RUN_A RUN_B` and `kensa compare --db DB`
//! benchmarks of stored runs (issue 21). Prints each import's wall time on stderr.
//!
//! ```sh
//! cargo run --release --example store_import -- /tmp/pair.db runs/a runs/b
//! cargo run --release --example store_import -- postgres://USER:PW@127.0.0.1:PORT/DB runs/a
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kensa::store::RunStore;

/// The allocator of the `kensa` binary (src/main.rs), so that the figures are the command's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((db, runs)) = args.split_first().filter(|(_, r)| !r.is_empty()) else {
        eprintln!("usage: store_import DB|URL RUN_DIR...");
        return ExitCode::from(2);
    };
    let opened: Result<Box<dyn RunStore>, String> = if kensa::pg::is_postgres_url(db) {
        kensa::pg::store::PgRunStore::connect(db)
            .map(|s| Box::new(s) as Box<dyn RunStore>)
            .map_err(|e| e.to_string())
    } else {
        kensa::store::Store::open(std::path::Path::new(db))
            .map(|s| Box::new(s) as Box<dyn RunStore>)
            .map_err(|e| e.to_string())
    };
    let mut st = match opened {
        Ok(st) => st,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(3);
        }
    };
    for r in runs.iter().map(PathBuf::from) {
        let t0 = Instant::now();
        match kensa::pipeline::import_run_dir(st.as_mut(), &r) {
            Ok((i, _)) => {
                println!("{}: {i:?}", r.display());
                eprintln!("{}: {:.2} s", r.display(), t0.elapsed().as_secs_f64());
            }
            Err(e) => {
                eprintln!("error: {}: {e}", r.display());
                return ExitCode::from(3);
            }
        }
    }
    ExitCode::SUCCESS
}
