//! What `Cargo.toml` declares holds for every feature: the `rust-version` is no older than
//! any dependency's own (checked on the lock file's resolution, every feature on).

use std::process::Command;

use serde_json::Value;

/// `1.94` and `1.94.0` alike, as `[1, 94, 0]`.
fn version(text: &str) -> [u64; 3] {
    let mut parts = text.split('.').map(|part| part.parse().unwrap_or(0));
    [(); 3].map(|()| parts.next().unwrap_or(0))
}

#[test]
fn the_declared_rust_version_is_no_older_than_any_dependencys() {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let package = |id: &str| packages.iter().find(|p| p["id"] == id).expect("a package");
    let root = metadata["resolve"]["root"]
        .as_str()
        .expect("a root")
        .to_owned();
    let ours = version(
        package(&root)["rust_version"]
            .as_str()
            .expect("rust-version declared"),
    );
    let nodes = metadata["resolve"]["nodes"].as_array().expect("nodes");
    // Every package the library needs (dev-dependencies left out), whatever its features.
    let mut stack = vec![root.clone()];
    let mut seen = std::collections::BTreeSet::new();
    let mut too_new = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(theirs) = package(&id)["rust_version"].as_str() {
            if version(theirs) > ours {
                too_new.push(format!("{}: {theirs}", package(&id)["name"]));
            }
        }
        let node = nodes
            .iter()
            .find(|n| n["id"] == id.as_str())
            .expect("a node");
        for dep in node["deps"].as_array().expect("deps") {
            let kinds = dep["dep_kinds"].as_array().expect("kinds");
            let dev_only = kinds.iter().all(|kind| kind["kind"] == "dev");
            if !(id == root && dev_only) {
                stack.push(dep["pkg"].as_str().expect("an id").to_owned());
            }
        }
    }
    assert!(
        too_new.is_empty(),
        "Cargo.toml's rust-version is older than these dependencies declare: {too_new:?}"
    );
}
