//! The `kensa` command; see the library docs and `kensa --help`.

/// mimalloc: per-thread heaps that take frees from other threads without a lock (see
/// Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kensa::cli::main()
}
