//! The servers a document names: where clients send their requests.

use serde_json::Value;

use super::Docs;
use super::finding::{Findings, Severity};
use super::pointer::Place;

/// The server URLs of a document with their places. OpenAPI's default,
/// when none is listed, is `/`.
fn urls(doc: &Value) -> Vec<(&str, Place)> {
    let list: Vec<(&str, Place)> = doc
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, server)| {
            let url = server.get("url")?.as_str()?;
            Some((url, Place::at(format!("/servers/{index}/url"))))
        })
        .collect();
    if list.is_empty() {
        return vec![("/", Place::at("/servers".into()))];
    }
    list
}

/// Compares the document-wide servers. One URL replaced by another is a
/// change; otherwise each URL is removed or added.
pub fn compare(findings: &mut Findings, docs: Docs<'_>) {
    let (old, new) = (urls(docs.old), urls(docs.new));
    let removed: Vec<_> = old
        .iter()
        .filter(|(url, _)| new.iter().all(|(other, _)| other != url))
        .collect();
    let added: Vec<_> = new
        .iter()
        .filter(|(url, _)| old.iter().all(|(other, _)| other != url))
        .collect();
    if let ([(from, _)], [(to, place)]) = (removed.as_slice(), added.as_slice()) {
        let message = format!(
            "server URL changed from `{from}` to `{to}`: clients configured with the old base URL \
             keep calling it"
        );
        findings.emit(Severity::Warning, "server.url.changed", place, message);
        return;
    }
    for (url, place) in removed {
        let message = format!("server `{url}` removed: clients configured with it keep calling it");
        findings.emit(Severity::Warning, "server.removed", place, message);
    }
    for (url, place) in added {
        let message = format!("new server `{url}`");
        findings.emit(Severity::Info, "server.added", place, message);
    }
}
