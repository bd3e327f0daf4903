//! A real `redis-server` on a unix socket of its own, for the Redis tests.
//!
//! The socket is in a directory of the server's own (no TCP port: a stopped server's
//! address cannot be taken by another test's server, as a freed port could). By default
//! nothing is persisted (`--save "" --appendonly no`), so a restart starts empty;
//! [`RedisServer::durable`] keeps an append-only file across restarts, as the queue needs.
//! The server is killed when the [`RedisServer`] is dropped.

use std::{
    fs,
    io::{ErrorKind, Read, Write},
    os::unix::net::UnixStream,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    thread,
    time::{Duration, Instant},
};

/// How long a started server may take to answer `PING`.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// A `redis-server` child process on a unix socket.
pub(crate) struct RedisServer {
    dir: PathBuf,
    child: Option<Child>,
    settings: Vec<String>,
}

impl RedisServer {
    /// Whether `redis-server` is installed; when not, says so (the test is then skipped).
    #[allow(dead_code)] // Not every test binary uses every helper.
    pub(crate) fn installed() -> bool {
        let found = std::process::Command::new("redis-server")
            .arg("--version")
            .output()
            .is_ok();
        if !found {
            eprintln!(
                "redis-server is not installed: skipped (Debian: apt-get install redis-server)"
            );
        }
        found
    }

    /// Starts a server on a socket of its own and waits until it answers `PING`.
    ///
    /// Panics when `redis-server` is not installed: these tests need a real one.
    pub(crate) fn start() -> Self {
        Self::start_with(&["--save", "", "--appendonly", "no"])
    }

    /// [`start`](Self::start) with AOF on (`appendfsync everysec`): what `RedisQueue`
    /// accepts, and a restart keeps what was written.
    #[allow(dead_code)] // Not every test binary uses every helper.
    pub(crate) fn durable() -> Self {
        Self::start_with(&[
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
        ])
    }

    /// [`start`](Self::start) with settings of its own, e.g. `["--maxmemory-policy",
    /// "allkeys-lru"]`, kept across restarts.
    pub(crate) fn start_with(settings: &[&str]) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tim-redis-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).expect("the server's directory");
        let mut server = Self {
            dir,
            child: None,
            settings: settings.iter().map(|s| (*s).to_owned()).collect(),
        };
        server.start_again();
        server
    }

    fn socket(&self) -> PathBuf {
        self.dir.join("redis.sock")
    }

    fn log(&self) -> PathBuf {
        self.dir.join("redis.log")
    }

    /// The URL of the server, for `RedisStore::connect` and `RedisQueue::connect`.
    pub(crate) fn url(&self) -> String {
        format!("redis+unix://{}", self.socket().display())
    }

    /// Kills the server and waits for it to exit. The socket stays this server's.
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same socket (a no-op while it runs), and waits until
    /// it answers `PING`.
    pub(crate) fn start_again(&mut self) {
        if self.child.is_some() {
            return;
        }
        let _ = fs::remove_file(self.socket());
        let spawned = Command::new("redis-server")
            .args(["--port", "0"])
            .arg("--unixsocket")
            .arg(self.socket())
            .args(["--unixsocketperm", "700"])
            .args(&self.settings)
            .arg("--dir")
            .arg(&self.dir)
            .arg("--logfile")
            .arg(self.log())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(error) if error.kind() == ErrorKind::NotFound => panic!(
                "redis-server is not installed (Debian: `apt-get install redis-server`); \
                 the redis_store tests run against a real server"
            ),
            Err(error) => panic!("cannot start redis-server: {error}"),
        };
        self.child = Some(child);
        self.wait_until_ready();
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if ping(&self.socket()) {
                return;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten());
            if exited.is_some() || started.elapsed() > READY_TIMEOUT {
                let log = fs::read_to_string(self.log()).unwrap_or_default();
                self.stop();
                panic!(
                    "redis-server on {} did not answer PING (exit: {exited:?}); its log:\n{log}",
                    self.socket().display()
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Whether a server on `socket` answers `PING` with `+PONG`.
fn ping(socket: &std::path::Path) -> bool {
    let Ok(mut stream) = UnixStream::connect(socket) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut reply = [0; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG\r\n"
}
