//! Loopback tests against TLS and plain-HTTP servers started in-process (tokio-rustls +
//! hyper, certificates from rcgen). Nothing here resolves a name: targets are IP literals with
//! the SNI name `localhost`.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Frame, Incoming};
use hyper_util::rt::{TokioExecutor, TokioIo};
use kensa_probe::{Host, Limits, NetStats, Outcome, Scope, Target, TargetId, TcpConnector};
use kensa_probe_http::{Config, Observation, PlainEnd, Stage, probe};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const OTHER: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

type Body = BoxBody<Bytes, Infallible>;
type Respond = Arc<dyn Fn(&Request<Incoming>) -> Response<Body> + Send + Sync>;
type Handler = Arc<
    dyn Fn(tokio_rustls::server::TlsStream<TcpStream>) -> Pin<Box<dyn Future<Output = ()> + Send>>
        + Send
        + Sync,
>;

fn full(s: &'static str) -> Body {
    Full::new(Bytes::from_static(s.as_bytes())).boxed()
}

/// A body that never ends.
struct Endless;

impl hyper::body::Body for Endless {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; 16 * 1024])))))
    }
}

fn acceptor(alpn: &[&[u8]]) -> TlsAcceptor {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert: CertificateDer<'static> = ck.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    cfg.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    TlsAcceptor::from(Arc::new(cfg))
}

/// A TLS server on 127.0.0.1; returns its address and a count of accepted TCP connections.
async fn tls_server(alpn: &[&[u8]], handler: Handler) -> (SocketAddr, Arc<AtomicUsize>) {
    tls_server_on(
        TcpListener::bind((LOCALHOST, 0)).await.unwrap(),
        alpn,
        handler,
    )
}

/// A TLS server on `listener`.
fn tls_server_on(
    listener: TcpListener,
    alpn: &[&[u8]],
    handler: Handler,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    let acceptor = acceptor(alpn);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            // As real servers do; without it, Nagle + delayed ACK adds ~40 ms to HTTP/2.
            tcp.set_nodelay(true).unwrap();
            let acceptor = acceptor.clone();
            let handler = Arc::clone(&handler);
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    handler(tls).await;
                }
            });
        }
    });
    (addr, accepted)
}

async fn serve_hyper<S>(io: S, h2: bool, respond: Respond)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
        let resp = respond(&req);
        async move { Ok::<_, Infallible>(resp) }
    });
    let io = TokioIo::new(io);
    let _ = if h2 {
        hyper::server::conn::http2::Builder::new(TokioExecutor::new())
            .serve_connection(io, svc)
            .await
    } else {
        hyper::server::conn::http1::Builder::new()
            .serve_connection(io, svc)
            .await
    };
}

/// A hyper TLS server that speaks h2 or http/1.1 as ALPN decided.
async fn hyper_tls_server(alpn: &[&[u8]], respond: Respond) -> SocketAddr {
    let handler: Handler = Arc::new(move |tls| {
        let respond = Arc::clone(&respond);
        Box::pin(async move {
            let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            serve_hyper(tls, h2, respond).await;
        })
    });
    tls_server(alpn, handler).await.0
}

/// A hyper TLS server on `listener`.
fn hyper_tls_server_on(listener: TcpListener, respond: Respond) {
    let handler: Handler = Arc::new(move |tls| {
        let respond = Arc::clone(&respond);
        Box::pin(async move {
            let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
            serve_hyper(tls, h2, respond).await;
        })
    });
    tls_server_on(listener, &[b"http/1.1"], handler);
}

/// A raw TLS server: writes `head`, then `chunk` again and again (with `pause` between) until
/// the client goes away.
async fn raw_tls_server(head: Vec<u8>, chunk: Vec<u8>, pause: Duration) -> SocketAddr {
    let head = Arc::new(head);
    let chunk = Arc::new(chunk);
    let handler: Handler = Arc::new(move |mut tls| {
        let head = Arc::clone(&head);
        let chunk = Arc::clone(&chunk);
        Box::pin(async move {
            // Read (part of) the request first, as a real server would.
            let mut buf = [0u8; 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut tls, &mut buf).await;
            if tls.write_all(&head).await.is_err() {
                return;
            }
            while !chunk.is_empty() {
                if tls.write_all(&chunk).await.is_err() || tls.flush().await.is_err() {
                    return;
                }
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
            let _ = tls.shutdown().await;
        })
    });
    tls_server(&[b"http/1.1"], handler).await.0
}

/// A plain-HTTP server on `listener`.
fn plain_server(listener: TcpListener, respond: Respond) {
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let respond = Arc::clone(&respond);
            tokio::spawn(serve_hyper(tcp, false, respond));
        }
    });
}

fn target(port: u16) -> Target {
    let mut t = Target::new(TargetId::new("t"), Host::Ip(LOCALHOST), port);
    t.sni = Some("localhost".to_owned());
    t
}

fn scope_for(t: &Target) -> Scope {
    kensa_probe::Net::new(Arc::new(TcpConnector), Limits::unrated(), true).scope(t)
}

fn config() -> Config {
    Config {
        plain_http: false,
        connect_timeout: Duration::from_secs(5),
        handshake_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
        body_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(20),
        ..Config::default()
    }
}

/// Run the probe with an outer guard, so a hang fails the test instead of blocking it.
async fn run(
    scope: &Scope,
    t: &Target,
    cfg: &Config,
) -> Result<Observation, kensa_probe_http::Error> {
    tokio::time::timeout(Duration::from_secs(30), probe(scope, t, cfg))
        .await
        .expect("the probe must end within its own timeouts")
}

fn secure_respond(sts: &'static [&'static str], seen: Arc<Mutex<Vec<String>>>) -> Respond {
    Arc::new(move |req| {
        seen.lock().unwrap().push(format!(
            "{:?} {} ua={:?} host={:?}",
            req.version(),
            req.uri(),
            req.headers().get("user-agent"),
            req.headers().get("host"),
        ));
        let mut b = Response::builder()
            .status(200)
            .header("content-security-policy", "default-src 'self'")
            .header("x-content-type-options", "nosniff")
            .header("x-frame-options", "DENY")
            .header("referrer-policy", "no-referrer")
            .header("permissions-policy", "geolocation=()")
            .header("cross-origin-opener-policy", "same-origin")
            .header("cross-origin-embedder-policy", "require-corp")
            .header("cross-origin-resource-policy", "same-site")
            .header("server", "kensa-test/1.0")
            .header("x-powered-by", "PHP/5.4.0")
            .header("alt-svc", "h3=\":443\"; ma=86400");
        for v in sts {
            b = b.header("strict-transport-security", *v);
        }
        b.body(full("hello")).unwrap()
    })
}

#[tokio::test]
async fn h2_via_alpn_with_hsts_and_security_headers() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let respond = secure_respond(
        &["max-age=31536000; includeSubDomains; preload"],
        Arc::clone(&seen),
    );
    let addr = hyper_tls_server(&[b"h2", b"http/1.1"], respond).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert_eq!(obs.outcome(), Outcome::Success);
    assert_eq!(obs.alpn.as_deref(), Some("h2"));
    assert_eq!(obs.sni.as_deref(), Some("localhost"));
    let r = obs.response.as_ref().unwrap();
    assert_eq!((r.status, r.http_version.as_str()), (200, "HTTP/2"));
    let hsts = r.hsts.as_ref().unwrap();
    assert_eq!(hsts.max_age_s, Some(31_536_000));
    assert!(hsts.include_subdomains && hsts.preload && hsts.valid);
    let sh = &r.security_headers;
    assert_eq!(sh.x_content_type_options.as_deref(), Some("nosniff"));
    assert_eq!(sh.x_frame_options.as_deref(), Some("DENY"));
    assert_eq!(
        sh.cross_origin_resource_policy.as_deref(),
        Some("same-site")
    );
    assert_eq!(r.server.as_deref(), Some("kensa-test/1.0"));
    assert_eq!(r.x_powered_by.as_deref(), Some("PHP/5.4.0"));
    assert_eq!(r.alt_svc.as_deref(), Some("h3=\":443\"; ma=86400"));
    assert!(r.body_complete && r.body_bytes_read == 5);
    assert!(r.time_to_first_byte_us > 0);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].starts_with(&format!("HTTP/2.0 https://localhost:{}/", addr.port())),
        "{seen:?}"
    );
    assert!(seen[0].contains("kensa/"), "{seen:?}");

    let mut snap = serde_json::to_value(&obs).unwrap();
    // The date changes on every run: drop it before the snapshot.
    snap["response"]["headers"]
        .as_array_mut()
        .unwrap()
        .retain(|h| h["name"] != "date");
    insta::assert_json_snapshot!(snap, {
        ".port" => "[port]",
        ".authority" => "[authority]",
        ".tcp_connect_us" => "[us]",
        ".tls_handshake_us" => "[us]",
        ".response.time_to_first_byte_us" => "[us]",
    });
}

#[tokio::test]
async fn http11_via_alpn_without_hsts() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let addr = hyper_tls_server(&[b"http/1.1"], secure_respond(&[], Arc::clone(&seen))).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert_eq!(obs.alpn.as_deref(), Some("http/1.1"));
    let r = obs.response.unwrap();
    assert_eq!(r.http_version, "HTTP/1.1");
    assert_eq!(r.hsts, None);
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen[0].starts_with("HTTP/1.1 / ")
            && seen[0].contains(&format!("localhost:{}", addr.port())),
        "{seen:?}"
    );

    // A server that selects no ALPN protocol at all: HTTP/1.1 is used.
    let addr = hyper_tls_server(&[], secure_respond(&[], Arc::default())).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert_eq!(obs.alpn, None);
    assert_eq!(obs.response.unwrap().http_version, "HTTP/1.1");

    // Offering only http/1.1 to an h2-capable server.
    let addr = hyper_tls_server(&[b"h2", b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let t = target(addr.port());
    let cfg = Config {
        offer_h2: false,
        ..config()
    };
    let obs = run(&scope_for(&t), &t, &cfg).await.unwrap();
    assert_eq!(obs.alpn_offered, vec!["http/1.1".to_owned()]);
    assert_eq!(obs.alpn.as_deref(), Some("http/1.1"));
}

#[tokio::test]
async fn malformed_and_duplicate_hsts_are_recorded() {
    let addr = hyper_tls_server(
        &[b"h2", b"http/1.1"],
        secure_respond(
            &["max-age=abc; includeSubDomains", "max-age=600"],
            Arc::default(),
        ),
    )
    .await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    let hsts = obs.response.unwrap().hsts.unwrap();
    assert_eq!(hsts.raw, "max-age=abc; includeSubDomains");
    assert_eq!(hsts.fields, 2);
    assert_eq!(hsts.max_age_s, None);
    assert!(hsts.include_subdomains);
    assert!(!hsts.valid);
    assert_eq!(hsts.errors.len(), 1, "{:?}", hsts.errors);
}

#[tokio::test]
async fn plain_http_redirects_to_https_on_the_same_host() {
    let https = hyper_tls_server(&[b"h2", b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    // `/` → http://localhost:<port>/step (same host, followed) → https://localhost/.
    plain_server(
        plain,
        Arc::new(move |req| {
            let location = if req.uri().path() == "/" {
                format!("http://localhost:{plain_port}/step")
            } else {
                "https://LOCALHOST/".to_owned()
            };
            Response::builder()
                .status(301)
                .header("location", location)
                .body(full(""))
                .unwrap()
        }),
    );
    let t = target(https.port());
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let obs = run(&scope_for(&t), &t, &cfg).await.unwrap();
    let p = obs.plain_http.unwrap();
    assert_eq!(p.end, PlainEnd::HttpsSameHost);
    assert!(p.https_same_host);
    assert_eq!(p.final_location.as_deref(), Some("https://localhost/"));
    assert_eq!(p.hops.len(), 2);
    assert_eq!(p.hops[0].url, format!("http://localhost:{plain_port}/"));
    assert_eq!(p.hops[0].status, Some(301));
    assert_eq!(p.hops[1].url, format!("http://localhost:{plain_port}/step"));
    assert_eq!(p.hops[1].address, Some(LOCALHOST));
}

#[tokio::test]
async fn plain_http_off_scope_redirect_is_never_followed() {
    let https = hyper_tls_server(&[b"h2", b"http/1.1"], secure_respond(&[], Arc::default())).await;
    // The off-scope host: another loopback address, not among the target's addresses.
    let other = TcpListener::bind((OTHER, 0)).await.unwrap();
    let other_port = other.local_addr().unwrap().port();
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    plain_server(
        plain,
        Arc::new(move |req| {
            let location = match req.uri().path() {
                "/" => format!("http://{OTHER}:{other_port}/"),
                _ => "https://elsewhere.test/".to_owned(),
            };
            Response::builder()
                .status(302)
                .header("location", location)
                .body(full(""))
                .unwrap()
        }),
    );
    let t = target(https.port());
    let scope = scope_for(&t);
    // The dial seam would refuse the address anyway...
    assert!(scope.check(OTHER).is_err());
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let obs = run(&scope, &t, &cfg).await.unwrap();
    let p = obs.plain_http.unwrap();
    assert_eq!(p.end, PlainEnd::OffScope);
    assert!(!p.https_same_host);
    assert_eq!(
        p.final_location,
        Some(format!("http://{OTHER}:{other_port}/"))
    );
    assert_eq!(p.hops.len(), 1);
    // ...but the probe must not even ask: two connections (HTTPS, port 80), no refusal.
    assert_eq!(NetStats::get(&scope.stats().attempted), 2);
    assert_eq!(NetStats::get(&scope.stats().refused_by_scope), 0);
    let accepted = tokio::time::timeout(Duration::from_millis(200), other.accept()).await;
    assert!(accepted.is_err(), "the off-scope host was contacted");
}

/// Issue 19: a plain-HTTP redirect on the target's own host to a port other than 80, 443,
/// the plain-HTTP port or the target's is recorded and never followed.
#[tokio::test]
async fn plain_http_redirect_to_another_port_is_never_followed() {
    let https = hyper_tls_server(&[b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let admin = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let admin_port = admin.local_addr().unwrap().port();
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    plain_server(
        plain,
        Arc::new(move |_| {
            Response::builder()
                .status(302)
                .header("location", format!("http://localhost:{admin_port}/console"))
                .body(full(""))
                .unwrap()
        }),
    );
    let t = target(https.port());
    let scope = scope_for(&t);
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let p = run(&scope, &t, &cfg).await.unwrap().plain_http.unwrap();
    assert_eq!(p.end, PlainEnd::OffPort);
    assert!(!p.https_same_host);
    assert_eq!(
        p.final_location,
        Some(format!("http://localhost:{admin_port}/console"))
    );
    assert_eq!(p.hops.len(), 1);
    assert_eq!(NetStats::get(&scope.stats().attempted), 2);
    let accepted = tokio::time::timeout(Duration::from_millis(200), admin.accept()).await;
    assert!(accepted.is_err(), "the other port was contacted");
}

#[tokio::test]
async fn plain_http_off_scope_https_name_is_recorded() {
    let https = hyper_tls_server(&[b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    plain_server(
        plain,
        Arc::new(|_| {
            Response::builder()
                .status(308)
                .header("location", "https://www.elsewhere.test/login#x")
                .body(full(""))
                .unwrap()
        }),
    );
    let t = target(https.port());
    let scope = scope_for(&t);
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let p = run(&scope, &t, &cfg).await.unwrap().plain_http.unwrap();
    assert_eq!(p.end, PlainEnd::OffScope);
    assert_eq!(
        p.final_location.as_deref(),
        Some("https://www.elsewhere.test/login")
    );
    assert_eq!(NetStats::get(&scope.stats().attempted), 2);
}

#[tokio::test]
async fn plain_http_redirect_loop_stops_at_the_limit() {
    let https = hyper_tls_server(&[b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    plain_server(
        plain,
        Arc::new(|_| {
            Response::builder()
                .status(302)
                .header("location", "/again")
                .body(full(""))
                .unwrap()
        }),
    );
    let t = target(https.port());
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let p = run(&scope_for(&t), &t, &cfg)
        .await
        .unwrap()
        .plain_http
        .unwrap();
    assert_eq!(p.end, PlainEnd::TooManyRedirects);
    assert_eq!(p.hops.len(), 6, "the first request and 5 redirects");
}

#[tokio::test]
async fn closed_plain_port_is_an_observation() {
    let https = hyper_tls_server(&[b"h2", b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let closed = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let t = target(https.port());
    let cfg = Config {
        plain_http: true,
        plain_http_port: closed_port,
        ..config()
    };
    let obs = run(&scope_for(&t), &t, &cfg).await.unwrap();
    assert_eq!(obs.outcome(), Outcome::Success);
    let p = obs.plain_http.unwrap();
    assert_eq!(p.end, PlainEnd::Closed);
    assert_eq!(p.hops.len(), 1);
    assert_eq!(p.hops[0].address, None);
    assert_eq!(p.hops[0].failed_addresses[0].outcome, Outcome::Refused);
}

#[tokio::test]
async fn hundred_thousand_headers_are_bounded() {
    let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..100_000 {
        head.extend_from_slice(format!("x-h{i}: v\r\n").as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    let addr = raw_tls_server(head, Vec::new(), Duration::ZERO).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert!(obs.response.is_none());
    let f = obs.failure.unwrap();
    assert_eq!(
        (f.stage, f.outcome),
        (Stage::ResponseHead, Outcome::ProtocolViolation),
        "{f:?}"
    );
    assert!(f.error.contains("too large"), "{f:?}");
    // The TLS session was set up: that much is evidence.
    assert_eq!(obs.tls_version.as_deref(), Some("TLSv1.3"));

    // 300 short headers: within 64 KiB but over the count limit.
    let mut head = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n".to_vec();
    for i in 0..300 {
        head.extend_from_slice(format!("x-h{i}: v\r\n").as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    let addr = raw_tls_server(head, Vec::new(), Duration::ZERO).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert_eq!(obs.outcome(), Outcome::ProtocolViolation);
    assert!(obs.error().unwrap().contains("too large"));
}

#[tokio::test]
async fn oversized_h2_header_list_is_bounded() {
    let respond: Respond = Arc::new(|_| {
        let mut b = Response::builder().status(200);
        for i in 0..1_000 {
            b = b.header(format!("x-h{i}"), "v".repeat(100));
        }
        b.body(full("")).unwrap()
    });
    let addr = hyper_tls_server(&[b"h2"], respond).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert_eq!(obs.alpn.as_deref(), Some("h2"));
    assert!(
        obs.response.is_none(),
        "{:?}",
        obs.response.map(|r| r.headers.len())
    );
    let f = obs.failure.unwrap();
    assert_eq!(
        (f.stage, f.outcome),
        (Stage::ResponseHead, Outcome::ProtocolViolation)
    );

    // Many small headers under the size limit: kept up to max_headers, the rest dropped.
    let respond: Respond = Arc::new(|_| {
        let mut b = Response::builder().status(200);
        for i in 0..400 {
            b = b.header(format!("x-h{i}"), "v");
        }
        b.body(full("")).unwrap()
    });
    let addr = hyper_tls_server(&[b"h2"], respond).await;
    let t = target(addr.port());
    let r = run(&scope_for(&t), &t, &config())
        .await
        .unwrap()
        .response
        .unwrap();
    assert_eq!(r.headers.len(), 256);
    assert!(r.headers_truncated);
}

#[tokio::test]
async fn endless_http11_body_is_bounded() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n".to_vec();
    let addr = raw_tls_server(head, vec![b'x'; 16 * 1024], Duration::ZERO).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    let r = obs.response.unwrap();
    assert_eq!(r.status, 200);
    assert!(r.body_limit_reached && !r.body_complete);
    assert!(
        (64 * 1024..=64 * 1024 + 512 * 1024).contains(&r.body_bytes_read),
        "{}",
        r.body_bytes_read
    );
}

#[tokio::test]
async fn endless_h2_body_is_bounded() {
    let addr = hyper_tls_server(
        &[b"h2"],
        Arc::new(|_| {
            Response::builder()
                .status(200)
                .body(Endless.boxed())
                .unwrap()
        }),
    )
    .await;
    let t = target(addr.port());
    let r = run(&scope_for(&t), &t, &config())
        .await
        .unwrap()
        .response
        .unwrap();
    assert_eq!(r.http_version, "HTTP/2");
    assert!(r.body_limit_reached, "{r:?}");
}

#[tokio::test]
async fn trickling_body_stops_at_the_body_timeout() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n".to_vec();
    let addr = raw_tls_server(head, b"x".to_vec(), Duration::from_millis(20)).await;
    let t = target(addr.port());
    let cfg = Config {
        body_timeout: Duration::from_millis(300),
        ..config()
    };
    let r = run(&scope_for(&t), &t, &cfg)
        .await
        .unwrap()
        .response
        .unwrap();
    assert!(!r.body_complete && !r.body_limit_reached);
    assert_eq!(r.body_failure.map(|f| f.outcome), Some(Outcome::Timeout));
}

#[tokio::test]
async fn silent_server_times_out_with_partial_evidence() {
    // TLS completes, then the server never answers the request.
    let handler: Handler = Arc::new(|tls| {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(tls);
        })
    });
    let (addr, _) = tls_server(&[b"http/1.1"], handler).await;
    let t = target(addr.port());
    let cfg = Config {
        request_timeout: Duration::from_millis(300),
        ..config()
    };
    let obs = run(&scope_for(&t), &t, &cfg).await.unwrap();
    assert_eq!(obs.outcome(), Outcome::Timeout);
    assert_eq!(obs.failure.unwrap().stage, Stage::ResponseHead);
    assert_eq!(obs.alpn.as_deref(), Some("http/1.1"));
}

#[tokio::test]
async fn unreachable_https_is_an_error() {
    let closed = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let t = target(port);
    let err = run(&scope_for(&t), &t, &config()).await.unwrap_err();
    assert_eq!(err.outcome(), Outcome::Refused);

    // Without --allow-private the seam refuses loopback.
    let scope = kensa_probe::Net::new(Arc::new(TcpConnector), Limits::default(), false).scope(&t);
    let err = run(&scope, &t, &config()).await.unwrap_err();
    assert_eq!(err.outcome(), Outcome::NotAllowed);
    assert_eq!(NetStats::get(&scope.stats().attempted), 0);

    // A peer that is not TLS at all.
    let listener = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let _ = tcp.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let t = target(port);
    let err = run(&scope_for(&t), &t, &config()).await.unwrap_err();
    assert!(
        matches!(
            err.outcome(),
            Outcome::ProtocolViolation | Outcome::HandshakeFailure
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn falls_back_to_the_next_address() {
    // The first address (127.0.0.2) has nothing listening on the port; 127.0.0.1 answers.
    let addr = hyper_tls_server(&[b"h2"], secure_respond(&[], Arc::default())).await;
    let mut t = target(addr.port());
    t.addresses = vec![OTHER, LOCALHOST];
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert_eq!(obs.address, Some(LOCALHOST));
    assert_eq!(obs.failed_addresses.len(), 1);
    assert_eq!(obs.failed_addresses[0].address, OTHER);
    assert_eq!(obs.failed_addresses[0].outcome, Outcome::Refused);
}

/// HTTPS closed on the target's port, plain HTTP on the plain-HTTP port serving the site
/// without a redirect (issue 19): recorded as a plain-HTTP-only service, outcome success.
#[tokio::test]
async fn https_closed_and_plain_http_serving_is_plain_http_only() {
    let closed = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let https_port = closed.local_addr().unwrap().port();
    drop(closed);
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    plain_server(
        plain,
        Arc::new(|_req| Response::builder().status(200).body(full("plain")).unwrap()),
    );
    let t = target(https_port);
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let scope = scope_for(&t);
    let obs = run(&scope, &t, &cfg).await.unwrap();
    assert!(obs.plain_http_only);
    assert_eq!(obs.outcome(), Outcome::Success);
    assert_eq!(obs.error(), None);
    assert_eq!(obs.address, None);
    assert_eq!(obs.response, None);
    let f = obs.failure.clone().unwrap();
    assert_eq!((f.stage, f.outcome), (Stage::Connect, Outcome::Refused));
    assert_eq!(obs.failed_addresses.len(), 1);
    assert_eq!(obs.failed_addresses[0].address, LOCALHOST);
    let p = obs.plain_http.clone().unwrap();
    assert_eq!(p.end, PlainEnd::NoRedirect);
    assert_eq!(p.hops.len(), 1);
    assert_eq!(p.hops[0].status, Some(200));
    assert_eq!(p.hops[0].address, Some(LOCALHOST));
    // One refused HTTPS connect, one plain-HTTP connection.
    assert_eq!(NetStats::get(&scope.stats().attempted), 2);
    assert_eq!(NetStats::get(&scope.stats().established), 1);
    let json = serde_json::to_value(&obs).unwrap();
    assert_eq!(json["plain_http_only"], true);
    assert_eq!(json["address"], serde_json::Value::Null);
}

/// HTTPS closed and plain HTTP redirecting to HTTPS (or closed too): not plain-HTTP-only; the
/// probe ends with the HTTPS failure as before.
#[tokio::test]
async fn https_closed_and_plain_http_redirecting_is_the_https_failure() {
    let closed = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let https_port = closed.local_addr().unwrap().port();
    drop(closed);
    let plain = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    plain_server(
        plain,
        Arc::new(|_req| {
            Response::builder()
                .status(301)
                .header("location", "https://localhost/")
                .body(full(""))
                .unwrap()
        }),
    );
    let t = target(https_port);
    let cfg = Config {
        plain_http: true,
        plain_http_port: plain_port,
        ..config()
    };
    let err = run(&scope_for(&t), &t, &cfg).await.unwrap_err();
    assert_eq!(err.outcome(), Outcome::Refused);
    // Plain HTTP closed as well.
    let cfg = Config {
        plain_http: true,
        plain_http_port: https_port,
        ..config()
    };
    let err = run(&scope_for(&t), &t, &cfg).await.unwrap_err();
    assert_eq!(err.outcome(), Outcome::Refused);
}

/// Three addresses of one endpoint (127.0.0.1-3, one port), the second without HSTS (issue 19):
/// each later address is asked the same GET, and the HSTS difference is recorded.
#[tokio::test]
async fn every_address_is_asked_and_hsts_compared() {
    let third = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));
    for hsts_on_second in [false, true] {
        let (port, listeners) = 'port: loop {
            let first = TcpListener::bind((LOCALHOST, 0)).await.unwrap();
            let port = first.local_addr().unwrap().port();
            let mut ls = vec![first];
            for ip in [OTHER, third] {
                match TcpListener::bind((ip, port)).await {
                    Ok(l) => ls.push(l),
                    Err(_) => continue 'port,
                }
            }
            break (port, ls);
        };
        for (i, l) in listeners.into_iter().enumerate() {
            let sts: &'static [&'static str] = if i == 1 && !hsts_on_second {
                &[]
            } else {
                &["max-age=31536000"]
            };
            hyper_tls_server_on(l, secure_respond(sts, Arc::default()));
        }
        let mut t = target(port);
        t.addresses = vec![LOCALHOST, OTHER, third];
        let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
        assert_eq!(obs.address, Some(LOCALHOST));
        assert_eq!(obs.other_addresses.len(), 2);
        assert_eq!(obs.other_addresses[0].address, OTHER);
        assert_eq!(obs.other_addresses[1].address, third);
        for a in &obs.other_addresses {
            assert_eq!(a.status, Some(200), "{a:?}");
        }
        let raw = |h: &Option<kensa_probe_http::Hsts>| h.as_ref().map(|h| h.raw.clone());
        assert_eq!(
            raw(&obs.other_addresses[0].hsts),
            hsts_on_second.then(|| "max-age=31536000".to_owned())
        );
        assert_eq!(
            raw(&obs.other_addresses[1].hsts).as_deref(),
            Some("max-age=31536000")
        );
        assert_eq!(obs.hsts_consistent, Some(hsts_on_second));
    }
    // One address: nothing to compare.
    let addr = hyper_tls_server(&[b"http/1.1"], secure_respond(&[], Arc::default())).await;
    let t = target(addr.port());
    let obs = run(&scope_for(&t), &t, &config()).await.unwrap();
    assert!(obs.other_addresses.is_empty());
    assert_eq!(obs.hsts_consistent, None);
}
