//! Backtracking matcher over the precomputed [`Step`]s.
//!
//! Search order (this defines which match wins when several exist):
//!
//! * steps are matched left to right;
//! * the last value of a positional expression (`{x}`, `{+x}`, `{#x}`,
//!   `{.x}`, `{/x}`) is greedy: the longest candidate is tried first, then
//!   shorter ones; earlier values of a multi-variable expression end at the
//!   first separator (separators may not occur inside them);
//! * a keyed group (`{;x}`, `{?x}`, `{&x}`) first tries to consume as many
//!   pairs as possible, then fewer, and finally to be absent altogether.
//!
//! The first complete match found in that order is returned.
//!
//! Captures are byte ranges into the URI; nothing is allocated until the
//! final decoding, except a capture buffer for templates with more than
//! [`INLINE`] variables, and a failure memo once a match attempt has
//! backtracked more than [`MEMO_AFTER`] times. The memo (one bit per step
//! and URI position) bounds the work for templates such as `{a}{b}{c}/z`
//! to roughly steps × length² instead of length^steps. It is only used when
//! no name repeats across expressions, because only then does the outcome
//! of a step at a position not depend on earlier captures. Without it the
//! search stops after [`REPEATED_BUDGET`] step attempts and reports no match.

use crate::decode::{decode, decoded_eq, is_valid};
use crate::parse::{ByteSet, Parsed, Step, contains};

/// Templates with at most this many variables match without heap
/// allocation besides the returned values.
const INLINE: usize = 16;

/// Number of step attempts after which failures start being memoized.
const MEMO_AFTER: usize = 512;

/// Step attempts a template with a name repeated across expressions (no memo) may make
/// before the search gives up: tens of milliseconds, whatever the URI.
const REPEATED_BUDGET: usize = 1 << 20;

#[derive(Clone, Copy, Default)]
struct Cap {
    /// Index + 1 of the step that set this capture; 0 when unset. A capture
    /// whose owner is not strictly before the current step is stale (left
    /// over from an abandoned branch) and is ignored.
    owner: usize,
    range: Option<(usize, usize)>,
}

pub(crate) fn match_uri(template: &str, parsed: &Parsed, uri: &str) -> Option<Vec<Option<String>>> {
    match_with(template, parsed, uri, MEMO_AFTER)
}

fn match_with(
    template: &str,
    parsed: &Parsed,
    uri: &str,
    memo_after: usize,
) -> Option<Vec<Option<String>>> {
    let n = parsed.variables.len();
    let mut inline = [Cap::default(); INLINE];
    let mut heap = Vec::new();
    let caps = if n <= INLINE {
        &mut inline[..n]
    } else {
        heap.resize(n, Cap::default());
        &mut heap[..]
    };
    let mut m = Matcher {
        tpl: template.as_bytes(),
        parsed,
        uri: uri.as_bytes(),
        caps,
        attempts: 0,
        memo_after,
        failed: Vec::new(),
    };
    if !m.step(0, 0) {
        return None;
    }
    m.caps
        .iter()
        .map(|c| match c.range {
            None => Some(None),
            Some((a, b)) => decode(&m.uri[a..b]).map(Some),
        })
        .collect()
}

struct Matcher<'a> {
    tpl: &'a [u8],
    parsed: &'a Parsed,
    uri: &'a [u8],
    caps: &'a mut [Cap],
    attempts: usize,
    memo_after: usize,
    /// Bit set of (step, position) pairs known to fail; empty until
    /// [`MEMO_AFTER`] attempts.
    failed: Vec<u64>,
}

impl<'a> Matcher<'a> {
    /// Match steps `s..` against `uri[pos..]`.
    fn step(&mut self, s: usize, pos: usize) -> bool {
        let steps: &'a [Step] = &self.parsed.steps;
        if !self.may_match(s, pos) {
            return false;
        }
        let Some(step) = steps.get(s) else {
            return true;
        };
        let bit = s * (self.uri.len() + 1) + pos;
        if !self.failed.is_empty() {
            if self.failed[bit / 64] & (1 << (bit % 64)) != 0 {
                return false;
            }
        } else if !self.parsed.repeats {
            self.attempts += 1;
            if self.attempts > self.memo_after {
                self.failed = vec![0; (steps.len() * (self.uri.len() + 1)).div_ceil(64)];
            }
        } else {
            // Every caller gives up at once once the budget is spent.
            self.attempts += 1;
            if self.attempts > REPEATED_BUDGET {
                return false;
            }
        }
        let ok = match step {
            Step::Literal { start, end } => {
                let len = end - start;
                self.step(s + 1, pos + len)
            }
            Step::Positional {
                prefix,
                sep,
                forbidden,
                vars,
            } => self.positional(s, pos, *prefix, *sep, *forbidden, vars),
            Step::Keyed {
                lead,
                sep,
                stop,
                vars,
            } => self.keyed(s, pos, *lead, *sep, *stop, vars),
        };
        if !ok && !self.failed.is_empty() {
            self.failed[bit / 64] |= 1 << (bit % 64);
        }
        ok
    }

    /// Cheap necessary condition for `step(s, pos)`: the template ends
    /// exactly at the end of the URI, and a literal step matches its text.
    fn may_match(&self, s: usize, pos: usize) -> bool {
        match self.parsed.steps.get(s) {
            None => pos == self.uri.len(),
            Some(Step::Literal { start, end }) => {
                self.uri[pos..].starts_with(&self.tpl[*start..*end])
            }
            Some(_) => true,
        }
    }

    /// End of the longest run starting at `from` without bytes in `set`.
    fn run_end(&self, from: usize, set: ByteSet) -> usize {
        self.uri[from..]
            .iter()
            .position(|&b| contains(set, b))
            .map_or(self.uri.len(), |i| from + i)
    }

    /// Whether a value starting at `start` may end at `e`: not inside a UTF-8
    /// character nor inside one of its own `%XX` triplets (a `%` before `start`
    /// belongs to the literal text before the value).
    fn can_end(&self, start: usize, e: usize) -> bool {
        let u = self.uri;
        let char_boundary = e == u.len() || !(0x80..0xC0).contains(&u[e]);
        char_boundary && u[e - 1] != b'%' && (e < start + 2 || u[e - 2] != b'%')
    }

    /// Record `range` for variable `v` at step `s`. If an earlier step
    /// already captured a value for the same name, the new one must decode
    /// to the same bytes (an absent keyed value is compatible with anything).
    fn capture(&mut self, s: usize, v: usize, range: Option<(usize, usize)>) -> bool {
        let prev = self.caps[v];
        if prev.owner != 0
            && prev.owner <= s
            && let Some((a, b)) = prev.range
        {
            return match range {
                None => true,
                Some((c, d)) => decoded_eq(&self.uri[a..b], &self.uri[c..d]),
            };
        }
        self.caps[v] = Cap {
            owner: s + 1,
            range,
        };
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn positional(
        &mut self,
        s: usize,
        pos: usize,
        prefix: Option<u8>,
        sep: u8,
        forbidden: ByteSet,
        vars: &[usize],
    ) -> bool {
        let uri = self.uri;
        let mut p = pos;
        if let Some(pre) = prefix {
            if uri.get(p) != Some(&pre) {
                return false;
            }
            p += 1;
        }
        let Some((&last, init)) = vars.split_last() else {
            return false;
        };
        for &v in init {
            let end = self.run_end(p, forbidden);
            if end == p
                || uri.get(end) != Some(&sep)
                || !is_valid(&uri[p..end])
                || !self.capture(s, v, Some((p, end)))
            {
                return false;
            }
            p = end + 1;
        }
        let mut e = self.run_end(p, forbidden);
        while e > p {
            // Validation is done after the rest matched: it is O(length),
            // while most candidates fail the rest cheaply.
            if self.can_end(p, e)
                && self.may_match(s + 1, e)
                && self.capture(s, last, Some((p, e)))
                && self.step(s + 1, e)
                && is_valid(&uri[p..e])
            {
                return true;
            }
            e -= 1;
        }
        false
    }

    #[allow(clippy::too_many_arguments)]
    fn keyed(
        &mut self,
        s: usize,
        pos: usize,
        lead: u8,
        sep: u8,
        stop: ByteSet,
        vars: &[usize],
    ) -> bool {
        let uri = self.uri;
        if uri.get(pos) == Some(&lead) {
            let start = pos + 1;
            let mut end = self.run_end(start, stop);
            loop {
                if self.may_match(s + 1, end)
                    && self.pairs(s, start, end, sep, vars)
                    && self.step(s + 1, end)
                {
                    return true;
                }
                match uri[start..end].iter().rposition(|&b| b == sep) {
                    Some(i) => end = start + i,
                    None => break,
                }
            }
        }
        // The whole expression is absent.
        vars.iter().all(|&v| self.capture(s, v, None)) && self.step(s + 1, pos)
    }

    /// Capture each variable of a keyed group from the pairs in
    /// `uri[start..end]`. Unknown keys are ignored; for a repeated key the
    /// first pair wins; `name` without `=` gives an empty value.
    fn pairs(&mut self, s: usize, start: usize, end: usize, sep: u8, vars: &[usize]) -> bool {
        vars.iter().all(|&v| {
            let name = self.parsed.variables[v].name.as_bytes();
            let found = self.find_pair(start, end, sep, name);
            found.is_none_or(|(a, b)| is_valid(&self.uri[a..b])) && self.capture(s, v, found)
        })
    }

    fn find_pair(&self, start: usize, end: usize, sep: u8, name: &[u8]) -> Option<(usize, usize)> {
        let region = &self.uri[start..end];
        let mut p = 0;
        while p <= region.len() {
            let pair_end = region[p..]
                .iter()
                .position(|&b| b == sep)
                .map_or(region.len(), |i| p + i);
            let pair = &region[p..pair_end];
            let key_len = pair.iter().position(|&b| b == b'=').unwrap_or(pair.len());
            if &pair[..key_len] == name {
                let value_start = (p + key_len + 1).min(pair_end);
                return Some((start + value_start, start + pair_end));
            }
            p = pair_end + 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::match_with;
    use crate::parse::parse;

    /// The failure memo must never change a result: compare matching with
    /// the memo from the first attempt against matching without it.
    #[test]
    fn memo_does_not_change_results() {
        let templates = [
            "x://{a}{b}{c}",
            "x://{a}{b}/{c}",
            "x://{+a}/{b}{.c}",
            "x://{a}{?q,r}{#f}",
            "x://{/a,b}{;p}{;q}z",
            "x://{a,b}{+c}{&q}",
            "x://{a}%2F{b}",
        ];
        let alphabet = [
            "a", "b", "/", ".", ",", "?", "&", "=", "#", ";", "q", "z", "%2F", "é",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut matched = 0;
        for template in templates {
            let parsed = parse(template).unwrap();
            for _ in 0..3000 {
                let len = (next() % 12) as usize;
                let mut uri = String::from("x://");
                for _ in 0..len {
                    uri.push_str(alphabet[(next() % alphabet.len() as u64) as usize]);
                }
                let plain = match_with(template, &parsed, &uri, usize::MAX);
                let memo = match_with(template, &parsed, &uri, 0);
                assert_eq!(plain, memo, "{template} on {uri}");
                matched += usize::from(plain.is_some());
            }
        }
        assert!(matched > 100, "only {matched} random URIs matched");
    }

    /// A `%` of the literal text right before a value is not the start of a
    /// triplet of the value (found by the `uri_template` fuzz target).
    #[test]
    fn percent_in_the_literal_before_a_value() {
        let m = |template: &str, uri: &str| {
            match_with(template, &parse(template).unwrap(), uri, super::MEMO_AFTER)
        };
        assert_eq!(m("x://a%{b}", "x://a%v"), Some(vec![Some("v".into())]));
        assert_eq!(m("x://a%{b}", "x://a%41"), Some(vec![Some("41".into())]));
        assert_eq!(
            m("/{a}%{b}{c}/z", "/q%vv/z"),
            Some(vec![Some("q".into()), Some("v".into()), Some("v".into())])
        );
        // A value still never ends inside its own triplet.
        assert_eq!(m("x://{a}{b}", "x://%41"), None);
    }

    /// With a name repeated across expressions there is no memo: the search gives up
    /// instead of growing with the URI's length to the number of expressions (found by
    /// the `uri_template` fuzz target: 26 s for a URI of 32 characters).
    #[test]
    fn a_search_without_memo_gives_up_in_bounded_time() {
        let template = "x://{a}{b}{c}{d}{e}{f}{a}/z";
        let parsed = parse(template).unwrap();
        assert!(parsed.repeats);
        let uri = format!("x://{}", "a".repeat(64));
        // Unbounded, this search would take hours; bounded, it stops at the budget.
        let started = std::time::Instant::now();
        assert_eq!(match_with(template, &parsed, &uri, super::MEMO_AFTER), None);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
        // Within the budget it still matches.
        let got = match_with("x://{a}/{a}", &parse("x://{a}/{a}").unwrap(), "x://q/q", 0);
        assert_eq!(got, Some(vec![Some("q".into())]));
    }

    #[test]
    fn pathological_template_is_bounded() {
        let template = "x://{a}{b}{c}{d}/z";
        let parsed = parse(template).unwrap();
        let uri = format!("x://{}", "a".repeat(300));
        assert_eq!(match_with(template, &parsed, &uri, super::MEMO_AFTER), None);
        let uri = format!("x://{}/z", "a".repeat(300));
        let got = match_with(template, &parsed, &uri, super::MEMO_AFTER).unwrap();
        assert_eq!(got[0].as_deref().map(str::len), Some(297));
    }
}
