//! Mutual TLS: the callback URL served over HTTPS that only the Tencent IM backend can
//! call. The server asks every connection for a client certificate and accepts only one
//! signed by the CA in `TIM_CLIENT_CA` (for real: `TencentQQAuthCA.crt`, downloaded from the
//! IM console); a client without one, or with one from another CA, is refused during the
//! TLS handshake, before any HTTP. The callbacks that get through are then checked by
//! `TimCallback` as over plain HTTP (SdkAppid, and the signature when a token is set).
//! See docs/mutual-tls.md.
//!
//! Try it with certificates you make yourself (a CA standing in for Tencent's, a client
//! certificate it signs, a server certificate for 127.0.0.1 and localhost):
//!
//! ```sh
//! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
//!     -subj "/CN=Stand-in for TencentQQAuthCA" -keyout client-ca.key -out client-ca.pem
//! openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=im-backend" \
//!     -keyout client.key -out client.csr
//! openssl x509 -req -in client.csr -CA client-ca.pem -CAkey client-ca.key -days 30 \
//!     -extfile <(echo extendedKeyUsage=clientAuth) -out client.pem
//! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
//!     -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
//!     -keyout server.key -out server.pem
//!
//! TIM_TLS_CERT=server.pem TIM_TLS_KEY=server.key TIM_CLIENT_CA=client-ca.pem \
//!     cargo run --example mtls
//!
//! # Refused at TLS (curl reports a TLS alert, not an HTTP status):
//! curl --cacert server.pem https://127.0.0.1:8443/im/callback -d '{}'
//! # Accepted: {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}
//! curl --cacert server.pem --cert client.pem --key client.key \
//!     'https://127.0.0.1:8443/im/callback?SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException&contenttype=json' \
//!     --data-binary @tests/fixtures/send_msg_exception.json
//! ```
//!
//! For real: `TIM_TLS_CERT` and `TIM_TLS_KEY` are the certificate of the callback URL's
//! domain (from a public CA, or the one the IM console issues for that domain) and its key,
//! `TIM_CLIENT_CA` is `TencentQQAuthCA.crt` from the console, `BIND_ADDR=0.0.0.0:443`, and
//! the console's callback URL is `https://your.domain/im/callback`.
//!
//! Environment: `BIND_ADDR` (default `127.0.0.1:8443`), `TIM_SDKAPPID` (default
//! `1400000000`), `TIM_CALLBACK_TOKEN` (when set, signatures are checked), `TIM_TLS_CERT`
//! (the server's certificate chain, PEM, the server's own certificate first), `TIM_TLS_KEY`
//! (its private key, PEM: PKCS#8, PKCS#1 or SEC1, unencrypted), `TIM_CLIENT_CA` (the CA
//! certificates that sign the clients, PEM), `RUST_LOG`.

use std::{
    fmt,
    net::SocketAddr,
    process::ExitCode,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::{dev::Server, web, App, HttpServer};
use rustls::{
    crypto::CryptoProvider,
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer},
    server::WebPkiClientVerifier,
    RootCertStore, ServerConfig,
};

const CALLBACK_PATH: &str = "/im/callback";
const CERT_VAR: &str = "TIM_TLS_CERT";
const KEY_VAR: &str = "TIM_TLS_KEY";
const CLIENT_CA_VAR: &str = "TIM_CLIENT_CA";

/// How many exceptions the handler has logged since the start.
#[derive(Default)]
struct Handled(AtomicU64);

async fn on_exception(
    callback: Callback<group::SendMsgException>,
    handled: web::Data<Handled>,
) -> Ack {
    let n = handled.0.fetch_add(1, Ordering::Relaxed) + 1;
    log::warn!(
        "exception {n}: message to {} from {} not delivered: {} ({} {})",
        callback.group_id,
        callback.from_account,
        callback.kind(),
        callback.error_code,
        callback.error_info
    );
    Ack
}

/// A PEM file named by an environment variable: its bytes, and where they came from for
/// the errors (`TIM_TLS_CERT=/etc/tim/server.pem: ...`).
struct PemFile {
    var: &'static str,
    path: String,
    pem: Vec<u8>,
}

impl PemFile {
    /// Reads the file at `path`, the value of `var` (`None` when unset).
    fn load(var: &'static str, path: Option<String>, what: &str) -> Result<Self, String> {
        let path = path.ok_or_else(|| format!("{var} is not set: the path of {what}"))?;
        match std::fs::read(&path) {
            Ok(pem) => Ok(Self { var, path, pem }),
            Err(err) => Err(format!("{var}={path}: cannot read {what}: {err}")),
        }
    }

    /// The certificates in the file, in their order; at least one.
    fn certificates(&self) -> Result<Vec<CertificateDer<'static>>, String> {
        let certs = CertificateDer::pem_slice_iter(&self.pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| format!("{self}: not a readable PEM file: {err}"))?;
        if certs.is_empty() {
            let hint = if self.pem.first() == Some(&0x30) {
                " (it looks like DER: convert it with `openssl x509 -inform der -in FILE -out FILE.pem`)"
            } else {
                ""
            };
            return Err(format!(
                "{self}: no certificate in it (a PEM file of -----BEGIN CERTIFICATE----- blocks){hint}"
            ));
        }
        Ok(certs)
    }

    /// The private key in the file.
    fn private_key(&self) -> Result<PrivateKeyDer<'static>, String> {
        PrivateKeyDer::from_pem_slice(&self.pem).map_err(|err| match err {
            rustls::pki_types::pem::Error::NoItemsFound => format!(
                "{self}: no private key in it (PEM: BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY; an encrypted key must be decrypted first)"
            ),
            err => format!("{self}: not a readable PEM file: {err}"),
        })
    }
}

impl fmt::Display for PemFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.var, self.path)
    }
}

/// The cryptography: ring, named rather than taken from the process default, which rustls
/// cannot pick (and `ServerConfig::builder()` panics) once a dependency turns on its other
/// provider too. rustls 0.23.48 deprecates ring's provider for its lack of post-quantum
/// key exchange; `rustls::crypto::aws_lc_rs::default_provider()` has it, at the price of
/// building AWS-LC.
#[allow(deprecated)]
fn crypto_provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server's TLS: its certificate chain and key, and a client certificate required of
/// every connection, signed by one of the CAs in `client_ca`. TLS 1.3 and 1.2 (rustls has
/// no older version).
fn tls_config(cert: &PemFile, key: &PemFile, client_ca: &PemFile) -> Result<ServerConfig, String> {
    let provider = crypto_provider();
    let chain = cert.certificates()?;
    let private_key = key.private_key()?;
    let client_verifier = client_verifier(client_ca, &provider)?;
    ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| format!("TLS versions: {err}"))?
        .with_client_cert_verifier(client_verifier)
        .with_single_cert(chain, private_key)
        .map_err(|err| format!("{cert} with {key}: not a certificate and its key: {err}"))
}

/// Accepts the clients whose certificate chains to one of the CAs in `client_ca`, and no
/// client without a certificate.
fn client_verifier(
    client_ca: &PemFile,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn rustls::server::danger::ClientCertVerifier>, String> {
    let mut roots = RootCertStore::empty();
    for (n, ca) in client_ca.certificates()?.into_iter().enumerate() {
        roots.add(ca).map_err(|err| {
            format!(
                "{client_ca}: certificate {}: not usable as a CA: {err}",
                n + 1
            )
        })?;
    }
    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|err| format!("{client_ca}: {err}"))
}

/// The callback URL behind the middleware, as the README's quick start has it; the
/// handler counts into `handled`.
fn routes(
    tim: TimCallback,
    handled: web::Data<Handled>,
) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg| {
        cfg.app_data(handled.clone()).service(
            web::scope(CALLBACK_PATH).wrap(tim.clone()).route(
                "",
                web::post()
                    .guard(command::<group::SendMsgException>())
                    .to(on_exception),
            ),
        );
    }
}

/// The HTTPS server of `routes(tim, handled)` on `bind_addr` (port 0: a free one), and the
/// addresses it listens on.
fn https_server(
    tim: TimCallback,
    handled: web::Data<Handled>,
    tls: ServerConfig,
    bind_addr: &str,
) -> std::io::Result<(Server, Vec<SocketAddr>)> {
    let routes = routes(tim, handled);
    let server = HttpServer::new(move || App::new().configure(routes.clone()))
        .bind_rustls_0_23(bind_addr, tls)?;
    let addrs = server.addrs();
    Ok((server.run(), addrs))
}

/// An environment variable, unless unset or blank.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Everything `main` needs, read from the environment.
struct Settings {
    bind_addr: String,
    sdk_app_id: u64,
    token: Option<String>,
    tls: ServerConfig,
    client_ca: String,
}

fn settings() -> Result<Settings, String> {
    let sdk_app_id = match env_var("TIM_SDKAPPID") {
        Some(value) => value
            .trim()
            .parse::<u64>()
            .map_err(|err| format!("TIM_SDKAPPID={value:?} is not a number: {err}"))?,
        None => 1400000000,
    };
    let cert = PemFile::load(
        CERT_VAR,
        env_var(CERT_VAR),
        "the server's certificate chain (PEM)",
    )?;
    let key = PemFile::load(KEY_VAR, env_var(KEY_VAR), "the server's private key (PEM)")?;
    let client_ca = PemFile::load(
        CLIENT_CA_VAR,
        env_var(CLIENT_CA_VAR),
        "the CA that signs the clients (PEM: Tencent's TencentQQAuthCA.crt, from the IM console)",
    )?;
    Ok(Settings {
        bind_addr: env_var("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:8443".to_owned()),
        sdk_app_id,
        token: env_var("TIM_CALLBACK_TOKEN"),
        tls: tls_config(&cert, &key, &client_ca)?,
        client_ca: client_ca.to_string(),
    })
}

async fn run() -> Result<(), String> {
    let settings = settings()?;
    let mut config = CallbackConfig::new(settings.sdk_app_id);
    if let Some(token) = &settings.token {
        config = config.token(token);
    }
    config.validate().map_err(|err| err.to_string())?;
    // Built once, outside `HttpServer::new`: every worker shares its state.
    let tim = TimCallback::new(config);
    let handled = web::Data::new(Handled::default());
    let (server, addrs) = https_server(tim, handled, settings.tls, &settings.bind_addr)
        .map_err(|err| format!("BIND_ADDR={}: {err}", settings.bind_addr))?;

    println!(
        "Tencent IM callbacks for SdkAppid {} over mutual TLS",
        settings.sdk_app_id
    );
    for addr in addrs {
        println!("  callbacks: POST https://{addr}{CALLBACK_PATH}");
    }
    println!(
        "  clients:    a certificate signed by {} is required",
        settings.client_ca
    );
    println!(
        "  signatures: {}",
        if settings.token.is_some() {
            "checked (TIM_CALLBACK_TOKEN is set)"
        } else {
            "NOT checked (set TIM_CALLBACK_TOKEN to check them)"
        }
    );
    server.await.map_err(|err| format!("server: {err}"))
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match actix_web::rt::System::new().block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mtls: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{
        io::{self, Read, Write},
        net::TcpStream,
        time::Duration,
    };

    use actix_tim_callback::{reply::OK_BODY, testkit::TestCallback};
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose,
    };
    use rustls::{
        pki_types::ServerName, version, AlertDescription, ClientConfig, ClientConnection,
        StreamOwned, SupportedProtocolVersion,
    };

    use super::*;

    const TOKEN: &str = "token from the IM console";
    /// The bound on anything hanging: connecting, a handshake, a read, a write.
    const HANG: Duration = Duration::from_secs(20);
    const VERSIONS: [&SupportedProtocolVersion; 2] = [&version::TLS13, &version::TLS12];

    /// A CA: its certificate and its signing key.
    fn new_ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
        let mut params = CertificateParams::default();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        CertifiedIssuer::self_signed(params, KeyPair::generate().expect("a key")).expect("a CA")
    }

    /// A certificate and its key, PEM.
    struct Leaf {
        cert_pem: String,
        key_pem: String,
    }

    /// A certificate for `names` (none for a client) signed by `ca`, for `purpose`.
    fn leaf(
        ca: &CertifiedIssuer<'static, KeyPair>,
        common_name: &str,
        names: &[&str],
        purpose: ExtendedKeyUsagePurpose,
    ) -> Leaf {
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("valid names");
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params.extended_key_usages = vec![purpose];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate().expect("a key");
        let cert = params.signed_by(&key, ca).expect("a certificate");
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    /// The test's certificates: one CA signs the server's certificate and the IM backend's
    /// (it stands in for `TencentQQAuthCA.crt`); another CA signs a foreign client's, and a
    /// CA that copies the configured one's name (not its key) an impostor's.
    struct Pki {
        ca: CertifiedIssuer<'static, KeyPair>,
        server: Leaf,
        client: Leaf,
        foreign_client: Leaf,
        impostor_client: Leaf,
    }

    const CA_NAME: &str = "Stand-in for TencentQQAuthCA";

    impl Pki {
        fn new() -> Self {
            let ca = new_ca(CA_NAME);
            let client = |ca| leaf(ca, "im-backend", &[], ExtendedKeyUsagePurpose::ClientAuth);
            Self {
                server: leaf(
                    &ca,
                    "localhost",
                    &["localhost", "127.0.0.1"],
                    ExtendedKeyUsagePurpose::ServerAuth,
                ),
                client: client(&ca),
                foreign_client: client(&new_ca("Someone else's CA")),
                impostor_client: client(&new_ca(CA_NAME)),
                ca,
            }
        }

        /// The example's TLS on these certificates (as if read from files).
        fn server_tls(&self) -> Result<ServerConfig, String> {
            tls_config(
                &pem_file(CERT_VAR, "server.pem", &self.server.cert_pem),
                &pem_file(KEY_VAR, "server.key", &self.server.key_pem),
                &pem_file(CLIENT_CA_VAR, "client-ca.pem", self.ca.pem()),
            )
        }
    }

    fn pem_file(var: &'static str, path: &str, pem: impl AsRef<[u8]>) -> PemFile {
        PemFile {
            var,
            path: path.to_owned(),
            pem: pem.as_ref().to_vec(),
        }
    }

    /// The example's server, running.
    struct Running {
        server: actix_web::dev::ServerHandle,
        addr: SocketAddr,
        handled: web::Data<Handled>,
    }

    impl Running {
        /// How many callbacks the handler has run for.
        fn handled(&self) -> u64 {
            self.handled.0.load(Ordering::Relaxed)
        }
    }

    /// The example's server, with signatures checked, on a free loopback port.
    fn start(pki: &Pki) -> Running {
        let tls = pki.server_tls().expect("the example's TLS configuration");
        let tim =
            TimCallback::new(CallbackConfig::new(TestCallback::DEFAULT_SDK_APP_ID).token(TOKEN));
        let handled = web::Data::new(Handled::default());
        let (server, addrs) =
            https_server(tim, handled.clone(), tls, "127.0.0.1:0").expect("listening");
        let running = Running {
            server: server.handle(),
            addr: addrs[0],
            handled,
        };
        actix_web::rt::spawn(server);
        running
    }

    /// A client of TLS `version` that trusts the test's CA, with `cert` as its certificate.
    fn client(
        pki: &Pki,
        version: &'static SupportedProtocolVersion,
        cert: Option<&Leaf>,
    ) -> Arc<ClientConfig> {
        let mut roots = RootCertStore::empty();
        roots.add(pki.ca.der().clone()).expect("the CA");
        let builder = ClientConfig::builder_with_provider(crypto_provider())
            .with_protocol_versions(&[version])
            .expect("a supported version")
            .with_root_certificates(roots);
        Arc::new(match cert {
            Some(leaf) => {
                let chain = CertificateDer::pem_slice_iter(leaf.cert_pem.as_bytes())
                    .collect::<Result<Vec<_>, _>>()
                    .expect("PEM");
                let key = PrivateKeyDer::from_pem_slice(leaf.key_pem.as_bytes()).expect("PEM");
                builder
                    .with_client_auth_cert(chain, key)
                    .expect("a certificate and its key")
            }
            None => builder.with_no_client_auth(),
        })
    }

    /// A TLS connection to `addr` (as `localhost`), its handshake done on the client's side.
    fn connect(
        addr: SocketAddr,
        config: Arc<ClientConfig>,
    ) -> io::Result<StreamOwned<ClientConnection, TcpStream>> {
        let sock = TcpStream::connect_timeout(&addr, HANG)?;
        sock.set_read_timeout(Some(HANG))?;
        sock.set_write_timeout(Some(HANG))?;
        let name = ServerName::try_from("localhost").expect("a name");
        let conn = ClientConnection::new(config, name).map_err(io::Error::other)?;
        let mut tls = StreamOwned::new(conn, sock);
        while tls.conn.is_handshaking() {
            tls.conn.complete_io(&mut tls.sock)?;
        }
        Ok(tls)
    }

    /// The TLS alert the server refuses the connection with. In TLS 1.2 it comes during the
    /// handshake; in TLS 1.3 the client has finished its side of the handshake before the
    /// server has checked its certificate, so the refusal is the first thing it reads (and
    /// it writes nothing before, so that the alert cannot be lost to a reset).
    fn refusal(addr: SocketAddr, config: Arc<ClientConfig>) -> AlertDescription {
        let outcome = connect(addr, config).and_then(|mut tls| {
            let mut buf = [0; 1024];
            let n = tls.read(&mut buf)?;
            Ok(buf[..n].to_vec())
        });
        match outcome {
            Err(err) => match err
                .get_ref()
                .and_then(|e| e.downcast_ref::<rustls::Error>())
            {
                Some(rustls::Error::AlertReceived(alert)) => *alert,
                _ => panic!("the connection failed, but not by a TLS alert: {err:?}"),
            },
            Ok(bytes) => panic!(
                "the server did not refuse the connection; it sent {:?}",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }

    /// Posts `callback` over a connection of `config`: the status and the body of the reply.
    fn post(
        addr: SocketAddr,
        config: Arc<ClientConfig>,
        callback: &TestCallback,
    ) -> io::Result<(u16, Vec<u8>)> {
        let mut tls = connect(addr, config)?;
        let body = callback.body_bytes();
        write!(
            tls,
            "POST {} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            callback.uri(),
            body.len()
        )?;
        tls.write_all(&body)?;
        tls.flush()?;
        read_response(&mut tls)
    }

    /// An HTTP/1.1 response with a `Content-Length`: its status and body.
    fn read_response(reader: &mut impl Read) -> io::Result<(u16, Vec<u8>)> {
        let mut received = Vec::new();
        let mut buf = [0; 4096];
        loop {
            if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&received[..end]).into_owned();
                let status = head.split(' ').nth(1).and_then(|code| code.parse().ok());
                let length = head.lines().find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                });
                let (Some(status), Some(length)) = (status, length) else {
                    return Err(io::Error::other(format!("not a sized response: {head:?}")));
                };
                let body = &received[end + 4..];
                if body.len() >= length {
                    return Ok((status, body[..length].to_vec()));
                }
            }
            let n = reader.read(&mut buf)?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("closed after {:?}", String::from_utf8_lossy(&received)),
                ));
            }
            received.extend_from_slice(&buf[..n]);
        }
    }

    /// Runs the blocking client off the runtime.
    async fn blocking<T: Send + 'static>(client: impl FnOnce() -> T + Send + 'static) -> T {
        actix_web::rt::task::spawn_blocking(client)
            .await
            .expect("the client ran")
    }

    #[actix_web::test]
    async fn a_client_without_a_certificate_is_refused_during_the_handshake() {
        let pki = Pki::new();
        let running = start(&pki);
        let addr = running.addr;
        for version in VERSIONS {
            let config = client(&pki, version, None);
            let alert = blocking(move || refusal(addr, config)).await;
            assert_eq!(alert, AlertDescription::CertificateRequired, "{version:?}");
        }
        assert_eq!(running.handled(), 0);
        running.server.stop(false).await;
    }

    /// A certificate from a CA other than the configured one is unknown; one from a CA
    /// that took the configured one's name fails its signature check.
    #[actix_web::test]
    async fn a_certificate_from_another_ca_is_refused_during_the_handshake() {
        let pki = Pki::new();
        let running = start(&pki);
        let addr = running.addr;
        for version in VERSIONS {
            for (cert, expected) in [
                (&pki.foreign_client, AlertDescription::UnknownCA),
                (&pki.impostor_client, AlertDescription::DecryptError),
            ] {
                let config = client(&pki, version, Some(cert));
                let alert = blocking(move || refusal(addr, config)).await;
                assert_eq!(alert, expected, "{version:?}");
            }
        }
        assert_eq!(running.handled(), 0);
        running.server.stop(false).await;
    }

    #[actix_web::test]
    async fn a_certificate_from_the_configured_ca_gets_the_callback_answered_ok() {
        let pki = Pki::new();
        let running = start(&pki);
        let addr = running.addr;
        for (n, version) in (1..).zip(VERSIONS) {
            let config = client(&pki, version, Some(&pki.client));
            let callback = TestCallback::send_msg_exception()
                .path(CALLBACK_PATH)
                .signed(TOKEN);
            let (status, body) = blocking(move || post(addr, config, &callback))
                .await
                .unwrap_or_else(|err| panic!("{version:?}: {err}"));
            assert_eq!(
                (status, String::from_utf8_lossy(&body)),
                (200, OK_BODY.into()),
                "{version:?}"
            );
            // The middleware answers OK for a command with no handler too: the count says
            // the example's handler ran.
            assert_eq!(running.handled(), n, "{version:?}");
        }
        running.server.stop(false).await;
    }

    /// The certificate lets the IM backend's connections in; each callback on them is still
    /// the middleware's to check.
    #[actix_web::test]
    async fn behind_the_certificate_the_middleware_still_checks_app_and_signature() {
        let pki = Pki::new();
        let running = start(&pki);
        let addr = running.addr;
        let forged = TestCallback::send_msg_exception()
            .path(CALLBACK_PATH)
            .signed("a guessed token");
        let foreign_app = TestCallback::send_msg_exception()
            .path(CALLBACK_PATH)
            .sdk_app_id(1400000001)
            .signed(TOKEN);
        for (callback, expected) in [(forged, 401), (foreign_app, 403)] {
            let config = client(&pki, &version::TLS13, Some(&pki.client));
            let (status, _) = blocking(move || post(addr, config, &callback))
                .await
                .expect("an answer");
            assert_eq!(status, expected);
        }
        assert_eq!(running.handled(), 0);
        running.server.stop(false).await;
    }

    #[test]
    fn the_certificates_make_a_configuration() {
        let pki = Pki::new();
        pki.server_tls().expect("a configuration");
        // A chain in one file: the server's certificate, then the CA's.
        let chain = format!("{}{}", pki.server.cert_pem, pki.ca.pem());
        tls_config(
            &pem_file(CERT_VAR, "chain.pem", &chain),
            &pem_file(KEY_VAR, "server.key", &pki.server.key_pem),
            &pem_file(CLIENT_CA_VAR, "client-ca.pem", pki.ca.pem()),
        )
        .expect("a configuration with the chain");
    }

    /// Each mistake is reported with the variable and the file it is in.
    #[test]
    fn a_wrong_file_is_named_with_its_variable() {
        let pki = Pki::new();
        let (cert, key, ca) = (
            pki.server.cert_pem.as_bytes(),
            pki.server.key_pem.as_bytes(),
            pki.ca.pem().into_bytes(),
        );
        let another_key = KeyPair::generate().expect("a key").serialize_pem();
        let garbled = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let refused = |cert: &[u8], key: &[u8], ca: &[u8], expected: &str| {
            let err = tls_config(
                &pem_file(CERT_VAR, "f.pem", cert),
                &pem_file(KEY_VAR, "f.key", key),
                &pem_file(CLIENT_CA_VAR, "ca.pem", ca),
            )
            .err()
            .unwrap_or_else(|| panic!("accepted, instead of {expected:?}"));
            assert!(err.starts_with(expected), "{err:?} is not {expected:?}");
        };
        let no_cert = "TIM_TLS_CERT=f.pem: no certificate in it";
        refused(b"not PEM", key, &ca, no_cert);
        refused(key, key, &ca, no_cert);
        refused(cert, cert, &ca, "TIM_TLS_KEY=f.key: no private key in it");
        refused(cert, key, key, "TIM_CLIENT_CA=ca.pem: no certificate in it");
        refused(
            cert,
            key,
            pki.ca.der(),
            "TIM_CLIENT_CA=ca.pem: no certificate in it (a PEM file of -----BEGIN CERTIFICATE----- blocks) (it looks like DER",
        );
        refused(
            cert,
            key,
            garbled,
            "TIM_CLIENT_CA=ca.pem: certificate 1: not usable as a CA",
        );
        refused(
            cert,
            another_key.as_bytes(),
            &ca,
            "TIM_TLS_CERT=f.pem with TIM_TLS_KEY=f.key: not a certificate and its key",
        );
    }

    #[test]
    fn an_unset_variable_or_an_unreadable_file_is_named() {
        let unset = PemFile::load(CERT_VAR, None, "the server's certificate chain")
            .err()
            .expect("an error");
        assert_eq!(
            unset,
            "TIM_TLS_CERT is not set: the path of the server's certificate chain"
        );
        let missing = PemFile::load(CLIENT_CA_VAR, Some("/nonexistent/ca.pem".into()), "the CA")
            .err()
            .expect("an error");
        assert!(
            missing.starts_with("TIM_CLIENT_CA=/nonexistent/ca.pem: cannot read the CA: "),
            "{missing}"
        );
    }
}
