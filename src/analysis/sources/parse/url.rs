//! URLs in attributions, and the outlet a URL's site names: the media entity whose KB `links`
//! name that site.

use super::Scanner;
use crate::kb::{EntityId, EntityKind, Kb};

impl Scanner<'_> {
    /// The media entity whose KB `links` name the site of `url`: same host (or a subdomain of
    /// it) and a path under the link's path. A site claimed by the links of several entities
    /// (an encyclopedia, a social network) identifies none of them.
    pub(super) fn outlet_for_url(&self, url: &str) -> Option<EntityId> {
        let (host, path) = split_url(url)?;
        let sites = self.kb.link_sites.get_or_init(|| link_sites(self.kb));
        let mut found: Option<EntityId> = None;
        for (site_host, site_path, entity) in sites {
            let host_matches = host == *site_host
                || (host.len() > site_host.len()
                    && host.ends_with(site_host.as_str())
                    && host.as_bytes()[host.len() - site_host.len() - 1] == b'.');
            let path_matches = site_path.is_empty()
                || path == *site_path
                || (path.starts_with(site_path.as_str()) && path.as_bytes().get(site_path.len()) == Some(&b'/'));
            if host_matches && path_matches {
                match found {
                    Some(e) if e != *entity => return None,
                    _ => found = Some(*entity),
                }
            }
        }
        found.filter(|&e| self.kb.entity(e).kind == EntityKind::Media)
    }
}

/// The sites named by the `links` of every KB entity: (host, path prefix, entity), kept in
/// [`Kb::link_sites`].
fn link_sites(kb: &Kb) -> Vec<(String, String, EntityId)> {
    kb.entities
        .iter()
        .enumerate()
        .flat_map(|(id, e)| {
            e.links.iter().filter_map(move |link| {
                let (host, path) = split_url(link)?;
                Some((host, path, id))
            })
        })
        .collect()
}

/// `https://…`, `http://…`, `www.…`, or a bare host name with an optional path
/// (`d1021.hatenadiary.jp`), with nothing else on the line.
pub(super) fn is_url(s: &str) -> bool {
    if s.is_empty() || s.contains(char::is_whitespace) || !s.is_ascii() {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return s.len() > lower.find("://").unwrap_or(0) + 3;
    }
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// The first `http(s)://` URL in `s`.
pub(super) fn find_url(s: &str) -> Option<&str> {
    let start = s.find("https://").or_else(|| s.find("http://"))?;
    let rest = &s[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || !c.is_ascii() || matches!(c, ')' | '>' | '」' | '"'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// (host without `www.`, lower-cased; path without a trailing `/`).
fn split_url(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let without_scheme = match lower.find("://") {
        Some(i) => &lower[i + 3..],
        None => lower.as_str(),
    };
    let (authority, path) = match without_scheme.find(['/', '?', '#']) {
        Some(i) => (&without_scheme[..i], &without_scheme[i..]),
        None => (without_scheme, ""),
    };
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = match host.split_once('.') {
        Some((first, rest))
            if first.starts_with("www") && first[3..].bytes().all(|b| b.is_ascii_digit()) && rest.contains('.') =>
        {
            rest
        }
        _ => host,
    };
    if host.is_empty() {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or("").trim_end_matches('/');
    Some((host.to_string(), path.to_string()))
}
