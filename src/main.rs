//! The `kensa` command; see the library docs and `kensa --help`.

fn main() -> std::process::ExitCode {
    kensa::cli::main()
}
