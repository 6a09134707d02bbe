//! The tokenizer of bodies and queries: CJK runs as overlapping bigrams, Latin words NFKC'd and
//! lower-cased, and identifiers (`CVE-2024-3400`, `45.77.12.34`, `T1059.001`) whole as well as
//! in parts.
//!
//! Positions make phrases work across scripts: a CJK run of n chars takes n-1 positions (one per
//! bigram; a lone char is a unigram at one position), a Latin word one, an identifier of k parts
//! k (its parts at consecutive positions, each run of up to [`Tuning::max_span`] parts at the
//! position of its first part). So `勒索软件` is the phrase 勒索 索软 软件, and a query tokenized
//! the same way lines up with the text.

use std::collections::VecDeque;
use std::iter::Peekable;
use std::str::CharIndices;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

use crate::Tuning;

/// The name the tokenizer is registered under in the index.
pub const NAME: &str = "yuedu";

/// Indexing emits every token; a query keeps one token per identifier (the whole, or its parts
/// when it is longer than the spans indexed), which is what the text must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
}

#[derive(Debug, Clone)]
pub struct BodyTokenizer {
    mode: Mode,
    max_token_bytes: usize,
    max_span: usize,
}

impl BodyTokenizer {
    pub fn new(mode: Mode, tuning: &Tuning) -> BodyTokenizer {
        BodyTokenizer { mode, max_token_bytes: tuning.max_token_bytes, max_span: tuning.max_span.max(2) }
    }

    /// Every token of `text`, in position order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut me = self.clone();
        let mut stream = me.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }
}

impl Tokenizer for BodyTokenizer {
    type TokenStream<'a> = Stream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream<'a> {
        Stream {
            chars: Norm { chars: text.char_indices(), pending: Vec::new(), next: 0, span: (0, 0) }.peekable(),
            cfg: self.clone(),
            position: 0,
            queue: VecDeque::new(),
            free: Vec::new(),
            token: Token::default(),
            cjk: None,
            cjk_bigrams: 0,
            parts: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Alnum,
    /// Joins two alphanumeric parts into an identifier: `-`, `.`, `_`.
    Connector,
    Other,
}

/// Han, kana and Hangul: scripts written without spaces, indexed as bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

fn class(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        Class::Alnum
    } else if matches!(c, '-' | '.' | '_') {
        Class::Connector
    } else if c.is_ascii() {
        Class::Other
    } else if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Alnum
    } else {
        Class::Other
    }
}

/// The text's chars after NFKC and lower-casing, each with the byte range of the char it came
/// from. Chars are normalized one at a time: ASCII and CJK (nearly all of the text) skip the
/// normalizer, and a decomposed accent is rare enough in this corpus to be left apart.
struct Norm<'a> {
    chars: CharIndices<'a>,
    pending: Vec<char>,
    next: usize,
    span: (usize, usize),
}

impl Iterator for Norm<'_> {
    type Item = (char, usize, usize);

    fn next(&mut self) -> Option<(char, usize, usize)> {
        if let Some(&c) = self.pending.get(self.next) {
            self.next += 1;
            return Some((c, self.span.0, self.span.1));
        }
        let (at, c) = self.chars.next()?;
        let end = at + c.len_utf8();
        if c.is_ascii() {
            return Some((c.to_ascii_lowercase(), at, end));
        }
        if is_cjk(c) && !('\u{f900}'..='\u{faff}').contains(&c) {
            return Some((c, at, end));
        }
        self.pending.clear();
        self.pending.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase));
        self.next = 0;
        self.span = (at, end);
        self.next()
    }
}

/// One alphanumeric part of a Latin run, and the connector before it.
#[derive(Debug, Default)]
struct Part {
    text: String,
    from: usize,
    to: usize,
    joined_by: char,
}

pub struct Stream<'a> {
    chars: Peekable<Norm<'a>>,
    cfg: BodyTokenizer,
    position: usize,
    /// Tokens made and not yet handed out; an identifier makes several at once.
    queue: VecDeque<Token>,
    /// Handed-out tokens, kept so their strings are reused.
    free: Vec<Token>,
    token: Token,
    /// The last char of the CJK run being read, with its byte range.
    cjk: Option<(char, usize, usize)>,
    cjk_bigrams: usize,
    /// The Latin run being read.
    parts: Vec<Part>,
}

impl Stream<'_> {
    fn emit(&mut self, position: usize, from: usize, to: usize, text: impl FnOnce(&mut String)) {
        let mut t = self.free.pop().unwrap_or_default();
        t.text.clear();
        text(&mut t.text);
        if t.text.is_empty() || t.text.len() > self.cfg.max_token_bytes {
            self.free.push(t);
            return;
        }
        t.position = position;
        t.position_length = 1;
        t.offset_from = from;
        t.offset_to = to;
        self.queue.push_back(t);
    }

    fn cjk_char(&mut self, c: char, from: usize, to: usize) {
        self.end_latin();
        if let Some((prev, pfrom, _)) = self.cjk {
            let p = self.position;
            self.emit(p, pfrom, to, |s| {
                s.push(prev);
                s.push(c);
            });
            self.position += 1;
            self.cjk_bigrams += 1;
        }
        self.cjk = Some((c, from, to));
    }

    fn end_cjk(&mut self) {
        if let Some((c, from, to)) = self.cjk.take()
            && self.cjk_bigrams == 0
        {
            let p = self.position;
            self.emit(p, from, to, |s| s.push(c));
            self.position += 1;
        }
        self.cjk_bigrams = 0;
    }

    fn end_latin(&mut self) {
        let k = self.parts.len();
        if k == 0 {
            return;
        }
        let parts = std::mem::take(&mut self.parts);
        let base = self.position;
        let span = self.cfg.max_span;
        let joined = |s: &mut String, range: std::ops::Range<usize>| {
            for (n, p) in parts[range].iter().enumerate() {
                if n > 0 {
                    s.push(p.joined_by);
                }
                s.push_str(&p.text);
            }
        };
        match self.cfg.mode {
            Mode::Query if (2..=span).contains(&k) => {
                self.emit(base, parts[0].from, parts[k - 1].to, |s| joined(s, 0..k));
            }
            Mode::Query => {
                for (i, p) in parts.iter().enumerate() {
                    self.emit(base + i, p.from, p.to, |s| s.push_str(&p.text));
                }
            }
            Mode::Index => {
                for i in 0..k {
                    self.emit(base + i, parts[i].from, parts[i].to, |s| s.push_str(&parts[i].text));
                    let longest = if i == 0 && k > span { k } else { span.min(k - i) };
                    for len in 2..=longest {
                        if len > span && len != k {
                            continue;
                        }
                        let end = i + len;
                        self.emit(base + i, parts[i].from, parts[end - 1].to, |s| joined(s, i..end));
                    }
                }
            }
        }
        self.position += k;
        let mut parts = parts;
        parts.clear();
        self.parts = parts;
    }

    /// Reads chars until a token is ready or the text ends.
    fn fill(&mut self) {
        while self.queue.is_empty() {
            let Some((c, from, to)) = self.chars.next() else {
                self.end_cjk();
                self.end_latin();
                return;
            };
            match class(c) {
                Class::Cjk => self.cjk_char(c, from, to),
                Class::Alnum => {
                    self.end_cjk();
                    // A part is open until a char other than an alphanumeric or a joining
                    // connector ends the run (and empties `parts`).
                    match self.parts.last_mut() {
                        Some(p) => {
                            p.text.push(c);
                            p.to = to;
                        }
                        None => self.parts.push(Part { text: c.to_string(), from, to, joined_by: ' ' }),
                    }
                }
                Class::Connector => {
                    self.end_cjk();
                    let next_alnum = self.chars.peek().is_some_and(|&(n, _, _)| class(n) == Class::Alnum);
                    if next_alnum && !self.parts.is_empty() {
                        // The next alphanumeric char starts a new part.
                        self.parts.push(Part { text: String::new(), from: to, to, joined_by: c });
                    } else {
                        self.end_latin();
                    }
                }
                Class::Other => {
                    self.end_cjk();
                    self.end_latin();
                }
            }
        }
    }
}

impl TokenStream for Stream<'_> {
    fn advance(&mut self) -> bool {
        self.fill();
        match self.queue.pop_front() {
            Some(t) => {
                let old = std::mem::replace(&mut self.token, t);
                self.free.push(old);
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests;
