//! Serve zone files on 127.0.0.1 until interrupted, for trying kensa by hand:
//! `cargo run -p kensa-lab --example dns_serve -- ORIGIN=FILE [ORIGIN=FILE ...]`.
//! Prints the address to pass as `kensa scan --resolver`.

use kensa_lab::dns::{DnsLab, Zone};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut zones = Vec::new();
    for arg in std::env::args().skip(1) {
        let (origin, file) = arg
            .split_once('=')
            .ok_or("arguments are ORIGIN=FILE, e.g. example.test.=example.db")?;
        zones.push(Zone::plain(origin, &std::fs::read_to_string(file)?));
    }
    let dir = std::env::temp_dir().join(format!("kensa-dns-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let lab = DnsLab::start(&zones, &dir).await?;
    println!("{}", lab.addr);
    tokio::signal::ctrl_c().await?;
    lab.stop().await;
    Ok(())
}
