//! URLs, e-mail addresses and bare domain names.

use super::Kind;
use super::extract::{Scan, inside, runs};
use super::hosts::{self, Host, Tld};

/// Schemes whose URLs are indicators.
const SCHEMES: &[&str] = &["http", "https", "ftp", "ftps", "sftp", "ws", "wss", "tcp", "udp"];

/// Bytes a URL may hold: printable ASCII but quotes, angle brackets, backticks, pipes (table
/// cells) and backslashes. Whitespace, CJK and other non-ASCII text ends it.
fn url_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\'' | b'`' | b'|' | b'\\' | b'^')
}

/// Where the URL starting at `start` (its part after `://` at `body`) ends: at the first byte it may not hold or at a Markdown
/// `](`, less trailing punctuation (a closing bracket stays when the URL opened it).
fn url_end(b: &[u8], start: usize, body: usize) -> usize {
    let mut end = body;
    while end < b.len() && url_byte(b[end]) && !(b[end] == b']' && b.get(end + 1) == Some(&b'(')) {
        end += 1;
    }
    while end > body {
        let balanced = |open: u8, close: u8| {
            let url = &b[start..end];
            url.iter().filter(|&&c| c == open).count() >= url.iter().filter(|&&c| c == close).count()
        };
        let strip = match b[end - 1] {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' | b'*' => true,
            b')' => !balanced(b'(', b')'),
            b']' => !balanced(b'[', b']'),
            b'}' => !balanced(b'{', b'}'),
            _ => false,
        };
        if !strip {
            break;
        }
        end -= 1;
    }
    end
}

/// A URL's normal form: scheme and host lower case, the rest as written.
pub(super) fn normalize_url(url: &str) -> String {
    let Some(sep) = url.find("://") else { return url.to_string() };
    match hosts::host_range(url) {
        Some((hs, he)) => format!(
            "{}{}{}{}",
            url[..sep].to_ascii_lowercase(),
            &url[sep..hs],
            url[hs..he].to_ascii_lowercase(),
            &url[he..]
        ),
        None => format!("{}{}", url[..sep].to_ascii_lowercase(), &url[sep..]),
    }
}

/// URLs with a known scheme and a valid host; each also names its host as a domain.
pub(super) fn scan_urls(s: &mut Scan<'_>) {
    let (text, b) = (s.text, s.bytes);
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|t| t.find("://")) {
        let sep = pos + i;
        pos = sep + 3;
        let mut start = sep;
        while start > 0 && b[start - 1].is_ascii_alphabetic() {
            start -= 1;
        }
        if !SCHEMES.iter().any(|k| text[start..sep].eq_ignore_ascii_case(k))
            || s.before(start).is_ascii_digit()
        {
            continue;
        }
        let end = url_end(b, start, sep + 3);
        let url = &text[start..end];
        let Some(host) = hosts::url_host(url) else { continue };
        s.add(Kind::Url, normalize_url(url));
        if let Host::Domain(d) = host {
            s.add(Kind::Domain, d.to_ascii_lowercase());
        }
        s.urls.push((start, end));
        pos = end.max(pos);
    }
}

fn local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// The longest local part RFC 5321 allows.
const MAX_LOCAL: usize = 64;

/// `local@domain` with a domain of a known TLD (any: the `@` is evidence enough). The domain
/// of an address is not a domain indicator of its own.
pub(super) fn scan_emails(s: &mut Scan<'_>) {
    let (text, b) = (s.text, s.bytes);
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|t| t.find('@')) {
        let at = pos + i;
        pos = at + 1;
        if inside(&s.urls, at) {
            continue;
        }
        let mut start = at;
        while start > 0 && local_byte(b[start - 1]) {
            start -= 1;
        }
        if s.before(start) == b'\\' {
            // A JSON or C escape glued to the address (`\u00a0name@host`, `\nname@host`).
            let escape = if b[start] == b'u'
                && at - start > 5
                && b[start + 1..start + 5].iter().all(u8::is_ascii_hexdigit)
            {
                5
            } else {
                1
            };
            start = (start + escape).min(at);
        }
        while start < at && b[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < b.len() && host_byte(b[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start == at || at - start > MAX_LOCAL || s.at(end) == b'_' {
            continue;
        }
        if hosts::domain_tld(&text[at + 1..end]).is_none() {
            continue;
        }
        s.add(Kind::Email, text[start..end].to_ascii_lowercase());
        s.emails.push((start, end));
        pos = end;
    }
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
}

/// Bare domain names outside URLs and e-mail addresses. A name whose TLD is also a file
/// extension (`setup.py`) counts only when defanged or written `www.`; so does one whose TLD
/// is capitalized (`the malware.It`: a sentence with its space lost, not `.it`). A name right
/// after `/` (but `//`) or `\` is a file in a path, one before `(` a method call.
pub(super) fn scan_domains(s: &mut Scan<'_>) {
    let (text, b) = (s.text, s.bytes);
    for (run_start, run_end) in runs(text, '.', name_byte) {
        let (mut start, mut end) = (run_start, run_end);
        while start < end && matches!(b[start], b'.' | b'-') {
            start += 1;
        }
        while end > start && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start == end
            || matches!(s.before(run_start), b'@' | b'\\' | b'$' | b'%')
            || (s.before(run_start) == b'/' && s.before(run_start - 1) != b'/')
            || matches!(s.at(run_end), b'@' | b'(')
            || inside(&s.urls, start)
            || inside(&s.emails, start)
        {
            continue;
        }
        let name = &text[start..end];
        let Some(tld) = hosts::domain_tld(name) else { continue };
        let vouched = s.defanged(start, end) || name.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("www."));
        if !vouched {
            let last = name.rsplit('.').next().unwrap_or_default().as_bytes();
            let capitalized = last.len() > 1
                && last[0].is_ascii_uppercase()
                && last[1..].iter().all(u8::is_ascii_lowercase);
            if tld == Tld::FileExt || capitalized {
                continue;
            }
        }
        s.add(Kind::Domain, name.to_ascii_lowercase());
    }
}
