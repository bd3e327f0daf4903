//! Real servers on loopback and a raw HTTP/1.1 client, for the hardening tests (hostile
//! requests over the wire, early rejection, soak, fail-safe).
//!
//! The server runs on a thread of its own with its own `actix_web::rt::System`, so a test
//! may block on `std::net` sockets while the server works. Every socket operation has a
//! timeout ([`IO_TIMEOUT`]) so that a bug shows as a failed test, never as a hung one; no
//! test asserts on time.

use std::{
    io::{self, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    sync::{
        atomic::{AtomicUsize, Ordering},
        mpsc, Arc,
    },
    thread::JoinHandle,
    time::Duration,
};

use actix_web::{dev::ServerHandle, web::ServiceConfig, App, HttpServer};

/// How long a raw client waits on a socket before giving up: a guard against hangs, never
/// an assertion.
pub(crate) const IO_TIMEOUT: Duration = Duration::from_secs(20);

/// How the test server is set up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerOptions {
    /// Worker threads.
    pub(crate) workers: usize,
    /// `HttpServer::client_disconnect_timeout`: how long actix-http lingers, discarding
    /// input, after answering a request whose body was not read. `None` keeps actix-web's
    /// default (1 s).
    pub(crate) client_disconnect_timeout: Option<Duration>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            workers: 1,
            client_disconnect_timeout: None,
        }
    }
}

/// An `HttpServer` on `127.0.0.1:<free port>`, stopped when dropped.
pub(crate) struct TestServer {
    addr: SocketAddr,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
    open: Arc<AtomicUsize>,
}

/// Held in a connection's extensions: counts the connection open until the server drops it.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl TestServer {
    /// Starts `workers` workers serving `App::new().configure(configure)`.
    pub(crate) fn start<F>(workers: usize, configure: F) -> Self
    where
        F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
    {
        Self::start_with(
            ServerOptions {
                workers,
                ..ServerOptions::default()
            },
            configure,
        )
    }

    /// Starts a server with these options serving `App::new().configure(configure)`.
    pub(crate) fn start_with<F>(options: ServerOptions, configure: F) -> Self
    where
        F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (tx, rx) = mpsc::channel();
        let open = Arc::new(AtomicUsize::new(0));
        let counted = open.clone();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let mut server = HttpServer::new(move || App::new().configure(configure.clone()))
                    .workers(options.workers)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .on_connect(move |_, extensions| {
                        counted.fetch_add(1, Ordering::SeqCst);
                        extensions.insert(Open(counted.clone()));
                    });
                if let Some(timeout) = options.client_disconnect_timeout {
                    server = server.client_disconnect_timeout(timeout);
                }
                let server = server.listen(listener).expect("listen").run();
                tx.send(server.handle()).expect("send the server handle");
                server.await.expect("server ran");
            });
        });
        let handle = rx.recv().expect("the server started");
        Self {
            addr,
            handle,
            thread: Some(thread),
            open,
        }
    }

    /// The connections the server holds open now (accepted and not yet dropped).
    pub(crate) fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// The address the server listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path_and_query>`.
    pub(crate) fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{path_and_query}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // `stop` sends its command at once; the returned future only waits for completion,
        // which joining the server's thread does as well.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            // A server thread that panicked has already failed the test that used it.
            let _ = thread.join();
        }
    }
}

/// A response read off the wire.
#[derive(Debug, Clone)]
pub(crate) struct RawResponse {
    /// The status code.
    pub(crate) status: u16,
    /// The headers, names in lowercase, in order.
    pub(crate) headers: Vec<(String, String)>,
    /// The body (decoded from chunked transfer encoding when needed).
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// The first value of header `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as (lossy) text, for messages.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Connects to `addr` with read and write timeouts of [`IO_TIMEOUT`].
pub(crate) fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// The bytes of an HTTP/1.1 request: request line, `Host`, the given headers, then `body`.
/// Adds `Content-Length` unless `headers` already frame the body (`Content-Length` or
/// `Transfer-Encoding`) or `body` is empty and the method is not `POST`.
pub(crate) fn request_bytes(
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut out = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n").into_bytes();
    let framed = headers.iter().any(|(name, _)| {
        name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding")
    });
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if !framed && (!body.is_empty() || method == "POST") {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// `body` in chunked transfer encoding, cut into `chunk`-byte chunks, with the last chunk.
pub(crate) fn chunked(body: &[u8], chunk: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / chunk.max(1) * 8 + 8);
    for part in body.chunks(chunk.max(1)) {
        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Sends `request` on a new connection and reads one response (a body is expected unless
/// `head` is true).
pub(crate) fn exchange(addr: SocketAddr, request: &[u8], head: bool) -> io::Result<RawResponse> {
    let mut stream = connect(addr)?;
    // The server may answer and close before it read everything (an early rejection):
    // a failed write is not the end, the response may still be there to read.
    let written = stream.write_all(request);
    match read_response(&mut stream, head) {
        Ok(res) => Ok(res),
        Err(err) => Err(written.err().unwrap_or(err)),
    }
}

/// Reads one response from `stream`, skipping `100 Continue`. `head`: the request was a
/// `HEAD`, so no body follows whatever the headers say.
pub(crate) fn read_response(stream: &mut impl Read, head: bool) -> io::Result<RawResponse> {
    let mut buf = Vec::new();
    loop {
        let (status, headers, rest) = read_head(stream, &mut buf)?;
        buf = rest;
        if status == 100 {
            continue;
        }
        let value = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let body = if head || status == 204 || status == 304 {
            Vec::new()
        } else if value("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            read_chunked(stream, buf)?
        } else if let Some(length) = value("content-length") {
            let length: usize = length
                .trim()
                .parse()
                .map_err(|_| invalid("bad Content-Length in response"))?;
            read_exact_len(stream, buf, length)?
        } else {
            read_to_close(stream, buf)?
        };
        return Ok(RawResponse {
            status,
            headers,
            body,
        });
    }
}

type Head = (u16, Vec<(String, String)>, Vec<u8>);

fn read_head(stream: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<Head> {
    let mut scratch = [0u8; 8192];
    let end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut scratch)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "connection closed before a response head ({} bytes read)",
                    buf.len()
                ),
            ));
        }
        buf.extend_from_slice(&scratch[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let rest = buf[end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("bad status line"))?;
    let headers = lines
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect();
    Ok((status, headers, rest))
}

fn read_exact_len(stream: &mut impl Read, mut buf: Vec<u8>, length: usize) -> io::Result<Vec<u8>> {
    let mut scratch = [0u8; 8192];
    while buf.len() < length {
        let n = stream.read(&mut scratch)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed inside the response body",
            ));
        }
        buf.extend_from_slice(&scratch[..n]);
    }
    buf.truncate(length);
    Ok(buf)
}

fn read_to_close(stream: &mut impl Read, mut buf: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut scratch = [0u8; 8192];
    loop {
        match stream.read(&mut scratch) {
            Ok(0) => return Ok(buf),
            Ok(n) => buf.extend_from_slice(&scratch[..n]),
            // A reset after the body is the server closing with unread input.
            Err(err) if err.kind() == io::ErrorKind::ConnectionReset => return Ok(buf),
            Err(err) => return Err(err),
        }
    }
}

fn read_chunked(stream: &mut impl Read, mut buf: Vec<u8>) -> io::Result<Vec<u8>> {
    let mut scratch = [0u8; 8192];
    let mut body = Vec::new();
    loop {
        // Parse as many complete chunks as the buffer holds.
        while let Some(pos) = buf.windows(2).position(|w| w == b"\r\n") {
            let size_line = String::from_utf8_lossy(&buf[..pos]).into_owned();
            let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| invalid("bad chunk size in response"))?;
            if size == 0 {
                return Ok(body);
            }
            if buf.len() < pos + 2 + size + 2 {
                break;
            }
            body.extend_from_slice(&buf[pos + 2..pos + 2 + size]);
            buf.drain(..pos + 2 + size + 2);
        }
        let n = stream.read(&mut scratch)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed inside a chunked response",
            ));
        }
        buf.extend_from_slice(&scratch[..n]);
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

/// The resident set size of this process in KiB, from `/proc/self/status` (`None` where
/// there is no procfs).
pub(crate) fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
