//! The index in two phases over real JSON-RPC: usable (and `$/progress` over) once every
//! note's exact mentions are in; the near misses found in the background, while requests are
//! answered, and installed when they are.

use std::time::{Duration, Instant};

use crate::support::{capabilities, position_of, reference_files, status, uri, Client};
use serde_json::Value;

/// A near miss (ゼレンスキ) that only another note (its exact ゼレンスキー) confirms.
const NEAR: &str = "昨日、ゼレンスキが語ったところでは、支援は続く。\n";
const NAMES: &str = "ゼレンスキー大統領は演説した。\n";

/// Poll `seedLsp/status` until `accept` holds.
fn status_until(client: &mut Client, accept: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = status(client);
        if accept(&status) {
            return status;
        }
        assert!(Instant::now() < deadline, "status never matched: {status}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn near_misses_come_in_the_background_while_requests_are_answered() {
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path();
    std::fs::write(root.join("near.txt"), NEAR).unwrap();
    std::fs::write(root.join("names.txt"), NAMES).unwrap();
    // The background phase waits 3 s before its first note: long enough to ask during it.
    let mut client = Client::builder()
        .env("SEED_LSP_DEBUG", "1")
        .env("SEED_LSP_DEBUG_NEAR_MISS_PAUSE_MS", "3000")
        .spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    client.wait_for("$/progress", |p| p["value"]["kind"] == "end");
    let usable = status_until(&mut client, |s| s["indexing"] == false);
    assert_eq!(usable["findingNearMisses"], true, "{usable}");
    assert_eq!(usable["indexedFiles"], 2);
    // Answered now: the exact mention is there, the near miss not yet.
    let text = "ゼレンスキー\n";
    let open = client.open(&root.join("open.txt"), text);
    let at = position_of(text, "ゼレンスキー", 0, 1, "utf-16");
    let (near, names) = (uri(&root.join("near.txt")), uri(&root.join("names.txt")));
    let mut exact = vec![names.clone(), open.clone()];
    exact.sort();
    assert_eq!(reference_files(&mut client, &open, at.clone()), exact);
    assert_eq!(
        status(&mut client)["findingNearMisses"],
        true,
        "answered during the phase"
    );
    // Once the phase is over, the near miss is a mention like any other.
    status_until(&mut client, |s| s["findingNearMisses"] == false);
    let mut all = vec![names, near.clone(), open.clone()];
    all.sort();
    assert_eq!(reference_files(&mut client, &open, at), all);
    // And the closed note's diagnostics (pushed: this client does not pull) flag it.
    let diagnostics = crate::support::diagnostics_until(&mut client, &near, |d| !d.is_empty());
    assert!(
        diagnostics.iter().any(|d| d["code"] == "misspelled-entity"),
        "{diagnostics:?}"
    );
    assert!(client.shutdown().success());
}
