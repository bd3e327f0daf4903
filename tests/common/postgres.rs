//! A real PostgreSQL server on a free loopback port, for the `PostgresQueue` tests.
//!
//! The server binaries come from the highest `/usr/lib/postgresql/N/bin` (Debian's
//! `postgresql` package; not on `PATH`). `initdb` runs once per machine and PostgreSQL
//! version, into a template cluster under the temp dir (trust auth, user `postgres`); each
//! server gets a copy of it, its socket in its own data dir, `fsync = off` (a killed
//! server loses nothing the OS has; only an OS crash would, and no test makes one). The
//! server stops (immediate shutdown, as a crash) and its data dir is removed when the
//! [`PostgresServer`] is dropped.
//!
//! PostgreSQL refuses to run as root: then `initdb` and `postgres` run as the `postgres`
//! system user (the package creates it), set on the child itself (`CommandExt::uid`) so
//! that the child is the postmaster, not a `runuser` that forked it.

use std::{
    fs,
    net::{Ipv4Addr, TcpListener},
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::OnceLock,
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// How long a started server may take to be ready for connections.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// How long an immediate shutdown may take.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// The server binaries of the highest PostgreSQL installed, and the user to run them as.
struct Install {
    bin: PathBuf,
    version: String,
    /// `(uid, gid)` of the `postgres` user when this process is root.
    user: Option<(u32, u32)>,
}

impl Install {
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin.join(program));
        if let Some((uid, gid)) = self.user {
            command.uid(uid).gid(gid);
        }
        command
    }

    /// Gives `path` to the user the server runs as (when that is not this process's).
    fn own(&self, path: &Path) {
        if let Some((uid, gid)) = self.user {
            std::os::unix::fs::chown(path, Some(uid), Some(gid))
                .unwrap_or_else(|err| panic!("chown {}: {err}", path.display()));
        }
    }
}

/// The installed PostgreSQL, found once; `None` (with a note on stderr) when there is none.
fn install() -> Option<&'static Install> {
    static INSTALL: OnceLock<Option<Install>> = OnceLock::new();
    INSTALL
        .get_or_init(|| {
            let found = find_bin();
            if found.is_none() {
                eprintln!(
                    "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): \
                     skipped (Debian: apt-get install postgresql)"
                );
            }
            let (bin, version) = found?;
            let user = is_root().then(|| {
                let id = |flag: &str| -> u32 {
                    let out = Command::new("id")
                        .args([flag, "postgres"])
                        .output()
                        .expect("run id");
                    assert!(
                        out.status.success(),
                        "running as root needs the `postgres` user (the package creates it)"
                    );
                    String::from_utf8_lossy(&out.stdout)
                        .trim()
                        .parse()
                        .expect("a numeric id")
                };
                (id("-u"), id("-g"))
            });
            Some(Install { bin, version, user })
        })
        .as_ref()
}

/// `/usr/lib/postgresql/N/bin` of the highest `N` that has a `postgres`, and `N`.
fn find_bin() -> Option<(PathBuf, String)> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(Vec<u64>, String)> = fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| root.join(name).join("bin/postgres").is_file())
        .map(|name| {
            let key = name
                .split('.')
                .map(|part| part.parse().unwrap_or(0))
                .collect();
            (key, name)
        })
        .collect();
    versions.sort();
    let (_, version) = versions.pop()?;
    Some((root.join(&version).join("bin"), version))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| out.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// The template cluster: made by `initdb` once per machine and version (kept in the temp
/// dir, built under another name and renamed into place, so that concurrent test binaries
/// never see half of one).
fn template(install: &Install) -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let owner = install
            .user
            .map_or_else(|| "self".to_owned(), |(uid, _)| uid.to_string());
        let path = std::env::temp_dir().join(format!(
            "actix-tim-callback-pg-template-{}-{owner}",
            install.version
        ));
        if path.join("PG_VERSION").is_file() {
            return path;
        }
        let building = PathBuf::from(format!(
            "{}.{}-{}",
            path.display(),
            std::process::id(),
            nanos()
        ));
        fs::create_dir_all(&building).expect("the template's dir");
        install.own(&building);
        let out = install
            .command("initdb")
            .arg("-D")
            .arg(&building)
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .stdin(Stdio::null())
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if fs::rename(&building, &path).is_err() {
            // Another test binary was first.
            let _ = fs::remove_dir_all(&building);
        }
        path
    })
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos())
}

/// A `postgres` child process on `127.0.0.1`, with a data dir of its own.
pub(crate) struct PostgresServer {
    install: &'static Install,
    port: u16,
    dir: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

impl PostgresServer {
    /// Starts a server on a free port and waits until it accepts connections; `None`, with
    /// a note, when PostgreSQL is not installed (the tests then return: skipped).
    pub(crate) fn start() -> Option<Self> {
        let _ = env_logger::builder().is_test(true).try_init();
        let install = install()?;
        let template = template(install);
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let dir = std::env::temp_dir().join(format!(
            "actix-tim-callback-pg-{}-{port}-{}",
            std::process::id(),
            nanos()
        ));
        // `cp -a` keeps the template's owner (the `postgres` user) and its 0700 mode.
        let copied = Command::new("cp")
            .arg("-a")
            .arg(template)
            .arg(&dir)
            .status()
            .expect("run cp");
        assert!(copied.success(), "could not copy the template cluster");
        let log = dir.with_extension("log");
        let mut server = Self {
            install,
            port,
            dir,
            log,
            child: None,
        };
        server.start_again();
        Some(server)
    }

    /// The URL of the server's `postgres` database, for `PostgresQueue::connect`.
    /// The process id of the postmaster while it runs (its backends are its children).
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server at once (immediate shutdown: no checkpoint, as a crash; the next
    /// start recovers from the WAL) and waits for it to exit. The port and the data stay
    /// this server's.
    pub(crate) fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SIGQUIT: the postmaster stops its backends and exits (SIGKILL would leave them).
        let quit = Command::new("kill")
            .args(["-QUIT", &child.id().to_string()])
            .status();
        if quit.is_ok_and(|status| status.success()) {
            let started = Instant::now();
            while started.elapsed() < STOP_TIMEOUT {
                if child.try_wait().ok().flatten().is_some() {
                    return;
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Starts the server again on the same port and data (a no-op while it runs), and waits
    /// until it accepts connections.
    pub(crate) fn start_again(&mut self) {
        if self.child.is_some() {
            return;
        }
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("the server's log file");
        let child = self
            .install
            .command("postgres")
            .arg("-D")
            .arg(&self.dir)
            .arg("-k")
            .arg(&self.dir)
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "fsync=off"])
            .args(["-c", "max_connections=40"])
            .args(["-c", "shared_buffers=16MB"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start postgres");
        self.child = Some(child);
        self.wait_until_ready();
    }

    /// Waits until `postmaster.pid` says `ready` (as `pg_ctl -w` does).
    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        let pid_file = self.dir.join("postmaster.pid");
        loop {
            let status = fs::read_to_string(&pid_file).unwrap_or_default();
            if status.lines().nth(7).map(str::trim) == Some("ready") {
                return;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten());
            if exited.is_some() || started.elapsed() > READY_TIMEOUT {
                let log = fs::read_to_string(&self.log).unwrap_or_default();
                self.stop();
                panic!(
                    "postgres on port {} did not get ready (exit: {exited:?}); its log:\n{log}",
                    self.port
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
        let _ = fs::remove_file(&self.log);
    }
}
