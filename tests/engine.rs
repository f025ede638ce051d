//! Engine behaviour through the library API, with probes written for the test: panics,
//! timeouts, scope refusals, DNS failures and the concurrency caps.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kensa::catalog;
use kensa::engine::{Resolve, ResolveFuture, Settings};
use kensa::evidence::{Record, read_records};
use kensa::probes::{Earlier, Probe, ProbeFuture, ProbeResult};
use kensa::scan::{ScanOptions, ScanReport, scan};
use kensa_probe::{Outcome, Scope, Target, TcpConnector};
use tokio::sync::watch;

/// What the test probe does.
#[derive(Clone, Copy)]
enum Act {
    Panic,
    Sleep(Duration),
    DialOutside,
    Ok,
}

struct TestProbe {
    act: Act,
    live: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

impl TestProbe {
    fn new(act: Act) -> Self {
        Self {
            act,
            live: Arc::default(),
            peak: Arc::default(),
        }
    }
}

impl Probe for TestProbe {
    fn id(&self) -> &'static str {
        "test.probe"
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn run<'a>(
        &'a self,
        target: &'a Target,
        scope: &'a Scope,
        _earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            let now = self.live.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak.fetch_max(now, Ordering::SeqCst);
            let r = match self.act {
                Act::Panic if target.port.is_multiple_of(2) => panic!("boom on {}", target.id),
                Act::Sleep(d) => {
                    tokio::time::sleep(d).await;
                    ProbeResult::failed(Outcome::Success, "slept")
                }
                Act::DialOutside => {
                    let outside = SocketAddr::from(([127, 0, 0, 99], target.port));
                    match scope.connect(outside, Duration::from_secs(1)).await {
                        Ok(_) => ProbeResult::failed(Outcome::Success, "connected outside!"),
                        Err(e) => ProbeResult::failed(e.outcome(), e.to_string()),
                    }
                }
                Act::Panic | Act::Ok => ProbeResult::observed(
                    Outcome::Success,
                    &serde_json::json!({"port": target.port}),
                    None,
                    String::new(),
                ),
            };
            self.live.fetch_sub(1, Ordering::SeqCst);
            r
        })
    }
}

struct FailingResolver;
impl Resolve for FailingResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a> {
        Box::pin(async move { Err(format!("NXDOMAIN for {host}")) })
    }
}

struct FixedResolver(Vec<IpAddr>);
impl Resolve for FixedResolver {
    fn resolve<'a>(&'a self, _host: &'a str) -> ResolveFuture<'a> {
        let a = self.0.clone();
        Box::pin(async move { Ok(a) })
    }
}

async fn run_with(
    catalog_text: &str,
    probe: Arc<dyn Probe>,
    settings: Settings,
    resolver: Arc<dyn Resolve>,
) -> (ScanReport, Vec<kensa::evidence::Evidence>) {
    let cat = catalog::parse("test.toml", catalog_text).expect("valid catalog");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let (_tx, rx) = watch::channel(false);
    let opts = ScanOptions {
        out: out.clone(),
        run_id: "test-run".into(),
        settings,
        vantage: None,
        probes: vec![probe],
        connector: Arc::new(TcpConnector),
        resolver,
        on_record: None,
        clock: Arc::new(kensa_probe::SystemClock),
        resume: false,
        probe_options: serde_json::Value::Null,
    };
    let report = scan(&cat, opts, rx).await.expect("scan runs");
    let ev = read_records(&out)
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Evidence(e) => Some(e),
            _ => None,
        })
        .collect();
    (report, ev)
}

fn catalog_with(ports: impl IntoIterator<Item = u16>, host: &str) -> String {
    let mut s = String::from(
        "[[provider]]\nid = \"p\"\nname = \"P\"\ndeclared_country = \"JP\"\napplies_for = \"kensa-level-1\"\n",
    );
    for p in ports {
        s.push_str(&format!(
            "[[provider.endpoint]]\nhost = \"{host}\"\nport = {p}\n"
        ));
    }
    s
}

fn private() -> Settings {
    Settings {
        allow_private: true,
        ..Settings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_probe_becomes_internal_and_the_run_goes_on() {
    let (report, ev) = run_with(
        &catalog_with(1..=6, "127.0.0.1"),
        Arc::new(TestProbe::new(Act::Panic)),
        private(),
        Arc::new(FailingResolver),
    )
    .await;
    assert_eq!(ev.len(), 6);
    for e in &ev {
        if e.target.port.is_multiple_of(2) {
            assert_eq!(e.outcome, Outcome::Internal);
            let msg = e.error.as_deref().unwrap_or_default();
            assert!(
                msg.contains("the probe panicked: boom on p/127.0.0.1:"),
                "{msg}"
            );
        } else {
            assert_eq!(e.outcome, Outcome::Success);
        }
    }
    assert_eq!(report.outcomes.get(&Outcome::Internal), Some(&3));
}

#[tokio::test]
async fn a_slow_probe_times_out() {
    let settings = Settings {
        probe_timeout_ms: 100,
        ..private()
    };
    let (_, ev) = run_with(
        &catalog_with([1], "127.0.0.1"),
        Arc::new(TestProbe::new(Act::Sleep(Duration::from_secs(30)))),
        settings,
        Arc::new(FailingResolver),
    )
    .await;
    assert_eq!(ev[0].outcome, Outcome::Timeout);
    assert!(ev[0].elapsed_us < 5_000_000, "{}", ev[0].elapsed_us);
}

#[tokio::test]
async fn the_dial_seam_refuses_an_address_outside_the_catalog() {
    let (report, ev) = run_with(
        &catalog_with([443], "127.0.0.1"),
        Arc::new(TestProbe::new(Act::DialOutside)),
        private(),
        Arc::new(FailingResolver),
    )
    .await;
    assert_eq!(ev[0].outcome, Outcome::NotAllowed);
    let msg = ev[0].error.as_deref().unwrap_or_default();
    assert!(msg.contains("127.0.0.99 is outside the scope"), "{msg}");
    assert_eq!(report.connections, 0);
}

#[tokio::test]
async fn unresolvable_names_give_dns_failure_evidence() {
    let (_, ev) = run_with(
        &catalog_with([443], "nowhere.test"),
        Arc::new(TestProbe::new(Act::Ok)),
        private(),
        Arc::new(FailingResolver),
    )
    .await;
    assert_eq!(ev[0].outcome, Outcome::DnsFailure);
    assert_eq!(
        ev[0].target.address_source,
        kensa::evidence::AddressSource::Unresolved
    );
    assert!(ev[0].observation.is_none());
}

#[tokio::test]
async fn resolved_addresses_are_recorded_and_scoped() {
    let (_, ev) = run_with(
        &catalog_with([443], "api.example.test"),
        Arc::new(TestProbe::new(Act::DialOutside)),
        private(),
        Arc::new(FixedResolver(vec!["127.0.0.5".parse().unwrap()])),
    )
    .await;
    assert_eq!(
        ev[0].target.addresses,
        vec!["127.0.0.5".parse::<IpAddr>().unwrap()]
    );
    assert_eq!(
        ev[0].target.address_source,
        kensa::evidence::AddressSource::Resolved
    );
    assert_eq!(ev[0].outcome, Outcome::NotAllowed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_in_flight_are_capped() {
    let probe = Arc::new(TestProbe::new(Act::Sleep(Duration::from_millis(20))));
    let peak = Arc::clone(&probe.peak);
    let settings = Settings {
        targets_in_flight: 3,
        ..private()
    };
    let (_, ev) = run_with(
        &catalog_with(1..=30, "127.0.0.1"),
        probe,
        settings,
        Arc::new(FailingResolver),
    )
    .await;
    assert_eq!(ev.len(), 30);
    let peak = peak.load(Ordering::SeqCst);
    assert!((2..=3).contains(&peak), "peak {peak}");
}

/// Records `{"port": …}` (`first`), or what `first` recorded for the target (`second`);
/// counts its runs per port.
struct Chained {
    id: &'static str,
    runs: Arc<std::sync::Mutex<Vec<u16>>>,
}

impl Probe for Chained {
    fn id(&self) -> &'static str {
        self.id
    }
    fn version(&self) -> &'static str {
        "0"
    }
    fn run<'a>(
        &'a self,
        target: &'a Target,
        _scope: &'a Scope,
        earlier: &'a [Earlier],
    ) -> ProbeFuture<'a> {
        Box::pin(async move {
            self.runs.lock().unwrap().push(target.port);
            let seen: Vec<String> = earlier
                .iter()
                .map(|e| {
                    let obs = e.observation.as_ref().map(|o| o.get()).unwrap_or("none");
                    format!("{}={obs}", e.probe)
                })
                .collect();
            ProbeResult::observed(
                Outcome::Success,
                &serde_json::json!({"port": target.port, "earlier": seen}),
                None,
                String::new(),
            )
        })
    }
}

struct CountingResolver(std::sync::Mutex<u32>);
impl Resolve for CountingResolver {
    fn resolve<'a>(&'a self, _host: &'a str) -> ResolveFuture<'a> {
        *self.0.lock().unwrap() += 1;
        Box::pin(async { Ok(vec!["127.0.0.5".parse().unwrap()]) })
    }
}

/// A resumed run runs only the probes with no record, and a partly probed target's later
/// probes read its recorded observations, on its recorded addresses (not resolved again).
#[tokio::test]
async fn a_resumed_run_probes_only_what_is_missing_and_reads_what_was_recorded() {
    let cat = catalog::parse("t.toml", &catalog_with([1, 2, 3], "api.example.test")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let first = Arc::new(std::sync::Mutex::new(Vec::new()));
    let second = Arc::new(std::sync::Mutex::new(Vec::new()));
    let resolver = Arc::new(CountingResolver(std::sync::Mutex::new(0)));
    let opts = |resume: bool| ScanOptions {
        out: out.clone(),
        run_id: "resume-test".into(),
        settings: Settings {
            targets_in_flight: 1,
            ..private()
        },
        vantage: None,
        probes: vec![
            Arc::new(Chained {
                id: "test.first",
                runs: Arc::clone(&first),
            }),
            Arc::new(Chained {
                id: "test.second",
                runs: Arc::clone(&second),
            }),
        ],
        connector: Arc::new(TcpConnector),
        resolver: resolver.clone(),
        on_record: None,
        clock: Arc::new(kensa_probe::SystemClock),
        resume,
        probe_options: serde_json::json!({"k": 1}),
    };
    let (_tx, rx) = watch::channel(false);
    scan(&cat, opts(false), rx.clone()).await.unwrap();
    // Keep run-begin, port 1's two records and port 2's first: port 2 is partly probed,
    // port 3 not at all.
    let file = out.join("evidence.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    let kept: String = text.split_inclusive('\n').take(4).collect();
    std::fs::write(&file, kept).unwrap();
    first.lock().unwrap().clear();
    second.lock().unwrap().clear();
    *resolver.0.lock().unwrap() = 0;

    let report = scan(&cat, opts(true), rx).await.unwrap();

    assert_eq!(report.resumed_after, Some(3));
    assert_eq!(report.records, 6);
    assert_eq!(*first.lock().unwrap(), vec![3]);
    assert_eq!(*second.lock().unwrap(), vec![2, 3]);
    assert_eq!(
        *resolver.0.lock().unwrap(),
        1,
        "port 2's addresses are reused"
    );
    let rep = kensa::evidence::verify(&out).unwrap();
    assert_eq!(rep.integrity, kensa::evidence::Integrity::Intact, "{rep:?}");
    let ev: Vec<_> = read_records(&out)
        .unwrap()
        .into_iter()
        .filter_map(|r| match r {
            Record::Evidence(e) => Some(e),
            _ => None,
        })
        .collect();
    let second_of_2 = ev
        .iter()
        .find(|e| e.target.port == 2 && e.probe == "test.second")
        .unwrap();
    let obs = second_of_2.observation.as_ref().unwrap().get();
    assert!(
        obs.contains(r#"test.first={\"earlier\":[],\"port\":2}"#),
        "{obs}"
    );
    assert_eq!(
        second_of_2.target.address_source,
        kensa::evidence::AddressSource::Resolved
    );
    // Resuming it again is refused: it is complete.
    let (_tx, rx) = watch::channel(false);
    let err = scan(&cat, opts(true), rx).await.unwrap_err().to_string();
    assert!(err.contains("the run is already complete"), "{err}");
}

/// Issue 10 (memory flat as the catalog grows): the scan table keeps at most `MAX_ROWS`
/// rows; every record is still written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scan_report_keeps_a_bounded_number_of_rows() {
    let n = kensa::scan::MAX_ROWS + 50;
    let (report, ev) = run_with(
        &catalog_with(1..=n as u16, "127.0.0.1"),
        Arc::new(TestProbe::new(Act::Ok)),
        private(),
        Arc::new(FailingResolver),
    )
    .await;
    assert_eq!(ev.len(), n);
    assert_eq!(report.rows.len(), kensa::scan::MAX_ROWS);
    assert_eq!(report.rows_omitted, 50);
    assert_eq!(report.records, n as u64, "evidence records");
}
