//! A throw-away PostgreSQL server for the test run: Debian's `postgresql` package (installed when missing),
//! a new cluster in a temporary directory (`initdb`), started on a free local port (`pg_ctl`), stopped and
//! deleted when the run ends. As root it runs as the `postgres` user the package creates (PostgreSQL
//! refuses to run as root).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running throw-away cluster; stopped and removed on drop.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
    /// `postgres://vinano@127.0.0.1:<port>/postgres`: the maintenance database, where tests create their own.
    pub url: String,
}

/// The newest installed PostgreSQL's programs (`/usr/lib/postgresql/<version>/bin`), if any.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

impl Cluster {
    /// Installs PostgreSQL if needed, makes a cluster and starts it.
    pub fn start(apt: impl Fn(&[&str]) -> Command) -> Result<Self, String> {
        if bin_dir().is_none() {
            crate::step("apt-get update", &mut apt(&["update"]))?;
            crate::step(
                "install postgresql",
                &mut apt(&["install", "-y", "--no-install-recommends", "postgresql"]),
            )?;
        }
        let bin = bin_dir().ok_or("PostgreSQL's initdb is not in /usr/lib/postgresql/*/bin")?;
        let as_postgres = crate::output("id", &["-u"]).is_some_and(|u| u == "0");
        // Short (the socket's path must stay under 108 bytes, whatever TMPDIR is) and ours alone.
        let base = Path::new("/tmp");
        remove_stale(base, &bin, as_postgres);
        let dir = base.join(format!("vinano-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if as_postgres {
            crate::step("chown the cluster's directory", Command::new("chown").arg("postgres:").arg(&dir))?;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let cluster =
            Self { url: format!("postgres://vinano@127.0.0.1:{port}/postgres"), bin, dir, as_postgres };
        let data = cluster.dir.join("data");
        crate::step(
            "initdb (a throw-away PostgreSQL cluster)",
            cluster.pg("initdb").args(["-U", "vinano", "--auth=trust", "-E", "UTF8", "-D"]).arg(&data),
        )?;
        // Durability settings off: the cluster lives for one test run and is deleted after it.
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=300",
            cluster.dir.display()
        );
        crate::step(
            "pg_ctl start",
            cluster
                .pg("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(cluster.dir.join("log"))
                .args(["-o", &options, "-w", "start"]),
        )?;
        Ok(cluster)
    }

    /// The log of the cluster's server.
    pub fn log(&self) -> PathBuf {
        self.dir.join("log")
    }

    fn pg(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }
}

/// Stops and removes the clusters of earlier runs that were killed before they could (their directories are
/// `vinano-pg-<pid>` of a process that is gone).
fn remove_stale(base: &Path, bin: &Path, as_postgres: bool) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("vinano-pg-").and_then(|p| p.parse::<u32>().ok()) else { continue };
        if Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let stale = Cluster { bin: bin.to_path_buf(), dir: entry.path(), as_postgres, url: String::new() };
        drop(stale);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data: &Path = &self.dir.join("data");
        let _ = self.pg("pg_ctl").arg("-D").arg(data).args(["-m", "immediate", "-w", "stop"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
