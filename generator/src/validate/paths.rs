//! Request-line templates (`/calls/{callId}/participants/{participantId}`,
//! `/me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'`) and the
//! matching of documented example URLs against them.

use crate::ir::{FixedQuery, Segment, SegmentPart};

/// Why a path template is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    NoLeadingSlash,
    TrailingSlash,
    EmptySegment,
    UnclosedBrace,
    StrayClosingBrace,
    BadParameterName(String),
    /// A fixed query pair without `=`, or with an empty key.
    BadQueryPair(String),
}

impl TemplateError {
    pub fn message(&self, template: &str) -> (String, String) {
        match self {
            TemplateError::NoLeadingSlash => (
                format!("path `{template}` does not start with `/`"),
                "write the path after the version, e.g. /communications/calls/{callId}".into(),
            ),
            TemplateError::TrailingSlash => (
                format!("path `{template}` ends with `/`"),
                "remove the trailing slash".into(),
            ),
            TemplateError::EmptySegment => (
                format!("path `{template}` has an empty segment (`//`)"),
                "remove the doubled slash".into(),
            ),
            TemplateError::UnclosedBrace => (
                format!("path `{template}` opens a `{{` it does not close"),
                "close the parameter: {name}".into(),
            ),
            TemplateError::StrayClosingBrace => (
                format!("path `{template}` has a `}}` without its `{{`"),
                "parameters are written {name}".into(),
            ),
            TemplateError::BadParameterName(name) => (
                format!("`{{{name}}}` in path `{template}` is not a parameter name"),
                "name each parameter with letters and digits, unique in the path, e.g. {callId} and {participantId} where the page writes {id} twice".into(),
            ),
            TemplateError::BadQueryPair(pair) => (
                format!("`{pair}` in the fixed query of `{template}` is not a `key=value` pair"),
                "write the request line's query as the page does, e.g. ?$filter=JoinWebUrl eq '{joinWebUrl}'; options the caller chooses go under `queryOptions:` or `parameters:` with `in: query`".into(),
            ),
        }
    }
}

/// A path with its parameter names blanked: `/calls/{}/participants/{}`.
pub fn path_shape(template: &str) -> String {
    let mut shape = String::with_capacity(template.len());
    let mut in_braces = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_braces = true;
                shape.push_str("{}");
            }
            '}' => in_braces = false,
            c if !in_braces => shape.push(c),
            _ => {}
        }
    }
    shape
}

/// A request line split into its path's segments and its fixed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedTemplate {
    pub segments: Vec<Segment>,
    pub query: Vec<FixedQuery>,
}

/// Splits a request line into segments of literals and `{parameters}`, and
/// its fixed query (after `?`) into `key=value` templates.
pub fn parse_template(template: &str) -> Result<ParsedTemplate, TemplateError> {
    let (path, query) = match template.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (template, None),
    };
    let segments = parse_path(path)?;
    let mut pairs = Vec::new();
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        let Some((key, value)) = pair.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(TemplateError::BadQueryPair(pair.to_owned()));
        };
        if key.contains(['{', '}']) {
            return Err(TemplateError::BadQueryPair(pair.to_owned()));
        }
        pairs.push(FixedQuery {
            key: key.to_owned(),
            value: parse_parts(value)?,
        });
    }
    Ok(ParsedTemplate {
        segments,
        query: pairs,
    })
}

fn parse_path(template: &str) -> Result<Vec<Segment>, TemplateError> {
    let Some(rest) = template.strip_prefix('/') else {
        return Err(TemplateError::NoLeadingSlash);
    };
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    if rest.ends_with('/') {
        return Err(TemplateError::TrailingSlash);
    }
    let mut segments = Vec::new();
    for raw in split_outside_braces(rest) {
        if raw.is_empty() {
            return Err(TemplateError::EmptySegment);
        }
        segments.push(Segment {
            parts: parse_parts(raw)?,
        });
    }
    Ok(segments)
}

/// Literals and `{parameters}` of one segment or query value.
fn parse_parts(raw: &str) -> Result<Vec<SegmentPart>, TemplateError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed {
                    return Err(TemplateError::UnclosedBrace);
                }
                if !super::types::is_identifier(&name) {
                    return Err(TemplateError::BadParameterName(name));
                }
                if !literal.is_empty() {
                    parts.push(SegmentPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(SegmentPart::Parameter(name));
            }
            '}' => return Err(TemplateError::StrayClosingBrace),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(SegmentPart::Literal(literal));
    }
    Ok(parts)
}

/// Splits on `/`, except inside `{...}` (a malformed name is reported by the
/// caller, not split into pieces).
fn split_outside_braces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// Matches the path of a URL (after the version, still percent-encoded)
/// against a template's segments. Returns the parameters' decoded values.
/// A parameter for which `allows_slash` is true may span several segments
/// (colon addressing); any other stays within one.
pub fn match_path(
    segments: &[Segment],
    url_path: &str,
    allows_slash: &dyn Fn(&str) -> bool,
) -> Option<Vec<(String, String)>> {
    // The template as one sequence of parts, with the slashes as literals.
    let mut parts = Vec::new();
    for segment in segments {
        parts.push(SegmentPart::Literal("/".to_owned()));
        parts.extend(segment.parts.iter().cloned());
    }
    let parts = merge_literals(parts);
    let url_path = if url_path == "/" { "" } else { url_path };
    let mut values = Vec::new();
    match_parts(&parts, url_path, allows_slash, &mut values, &mut 0)?;
    Some(decode_all(values))
}

/// Matches a fixed query value template (`JoinWebUrl eq '{joinWebUrl}'`)
/// against a decoded value; a quoted parameter's `''` is undone.
pub fn match_query_value(template: &FixedQuery, value: &str) -> Option<Vec<(String, String)>> {
    let mut raw = Vec::new();
    // Query values hold any character: every parameter may span anything.
    // They come decoded already, so nothing more is decoded here.
    match_parts(&template.value, value, &|_| true, &mut raw, &mut 0)?;
    let quoted: std::collections::HashMap<&str, bool> = template.parameters().collect();
    Some(
        raw.into_iter()
            .map(|(name, v)| (name.to_owned(), v.to_owned()))
            .map(|(name, v)| {
                let v = if quoted.get(name.as_str()).copied().unwrap_or(false) {
                    v.replace("''", "'")
                } else {
                    v
                };
                (name, v)
            })
            .collect(),
    )
}

fn merge_literals(parts: Vec<SegmentPart>) -> Vec<SegmentPart> {
    let mut out: Vec<SegmentPart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (out.last_mut(), part) {
            (Some(SegmentPart::Literal(previous)), SegmentPart::Literal(next)) => {
                previous.push_str(&next)
            }
            (_, part) => out.push(part),
        }
    }
    out
}

/// Templates are short and parameters few, but a hostile URL could make the
/// backtracking search below explode: bound the work.
const MATCH_STEPS: usize = 100_000;

/// The parameters' raw (still encoded) values, decoded once a match is found.
fn decode_all(raw: Vec<(&str, &str)>) -> Vec<(String, String)> {
    raw.into_iter()
        .map(|(name, value)| {
            let decoded = percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned();
            (name.to_owned(), decoded)
        })
        .collect()
}

fn match_parts<'p, 'a>(
    parts: &'p [SegmentPart],
    actual: &'a str,
    allows_slash: &dyn Fn(&str) -> bool,
    values: &mut Vec<(&'p str, &'a str)>,
    steps: &mut usize,
) -> Option<()> {
    *steps += 1;
    if *steps > MATCH_STEPS {
        return None;
    }
    match parts.split_first() {
        None => actual.is_empty().then_some(()),
        Some((SegmentPart::Literal(literal), rest)) => {
            // Graph matches path literals without regard to case.
            let head = actual.get(..literal.len())?;
            if !head.eq_ignore_ascii_case(literal) {
                return None;
            }
            match_parts(rest, &actual[literal.len()..], allows_slash, values, steps)
        }
        Some((SegmentPart::Parameter(name), rest)) => {
            // A parameter is never empty; try every end, shortest first.
            let limit = if allows_slash(name) {
                actual.len()
            } else {
                actual.find('/').unwrap_or(actual.len())
            };
            for end in (1..=limit).filter(|&e| actual.is_char_boundary(e)) {
                values.push((name, &actual[..end]));
                if match_parts(rest, &actual[end..], allows_slash, values, steps).is_some() {
                    return Some(());
                }
                values.pop();
                if *steps > MATCH_STEPS {
                    return None;
                }
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_function_segments() {
        let segments =
            parse_template("/communications/getPstnCalls(fromDateTime={from},toDateTime={to})")
                .unwrap()
                .segments;
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0].literal(), Some("communications"));
        assert_eq!(segments[1].parameters().collect::<Vec<_>>(), ["from", "to"]);
        let m = match_path(
            &segments,
            "/communications/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
            &|_| false,
        )
        .unwrap();
        assert_eq!(
            m,
            [
                ("from".into(), "2019-11-01".into()),
                ("to".into(), "2019-12-01".into())
            ]
        );
    }

    #[test]
    fn rejects_malformed_templates() {
        assert_eq!(parse_template("calls"), Err(TemplateError::NoLeadingSlash));
        assert_eq!(parse_template("/calls/"), Err(TemplateError::TrailingSlash));
        assert_eq!(
            parse_template("/calls//x"),
            Err(TemplateError::EmptySegment)
        );
        assert_eq!(
            parse_template("/calls/{id"),
            Err(TemplateError::UnclosedBrace)
        );
        assert_eq!(
            parse_template("/calls/id}"),
            Err(TemplateError::StrayClosingBrace)
        );
        assert_eq!(
            parse_template("/calls/{call id}"),
            Err(TemplateError::BadParameterName("call id".into()))
        );
    }

    #[test]
    fn matches_ids_and_decodes_them() {
        let segments = parse_template("/calls/{callId}/participants/{participantId}")
            .unwrap()
            .segments;
        let no = |_: &str| false;
        let m = match_path(&segments, "/calls/a%2Fb/participants/{id}", &no).unwrap();
        assert_eq!(m[0], ("callId".into(), "a/b".into()));
        assert_eq!(m[1], ("participantId".into(), "{id}".into()));
        assert!(match_path(&segments, "/calls/a/participants", &no).is_none());
        assert!(match_path(&segments, "/calls/a/people/b", &no).is_none());
        assert!(match_path(&segments, "/calls/a/b/participants/c", &no).is_none());
    }

    #[test]
    fn a_parameter_that_allows_slashes_spans_segments() {
        let segments = parse_template("/me/drive/root:/{itemPath}:/content")
            .unwrap()
            .segments;
        let allows = |name: &str| name == "itemPath";
        let m = match_path(&segments, "/me/drive/root:/a/b%20c.txt:/content", &allows).unwrap();
        assert_eq!(m, [("itemPath".into(), "a/b c.txt".into())]);
        assert!(match_path(&segments, "/me/drive/root:/a/b.txt:/content", &|_| false).is_none());
        assert!(match_path(&segments, "/me/drive/root::/content", &allows).is_none());
    }

    #[test]
    fn fixed_queries_are_parsed_and_matched() {
        let parsed =
            parse_template("/me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'").unwrap();
        assert_eq!(parsed.segments.len(), 2);
        assert_eq!(parsed.query.len(), 1);
        assert_eq!(parsed.query[0].key, "$filter");
        assert_eq!(
            parsed.query[0].parameters().collect::<Vec<_>>(),
            [("joinWebUrl", true)]
        );
        let m = match_query_value(&parsed.query[0], "JoinWebUrl eq 'https://x/it''s'").unwrap();
        assert_eq!(m, [("joinWebUrl".into(), "https://x/it's".into())]);
        assert!(match_query_value(&parsed.query[0], "Subject eq 'x'").is_none());
        assert_eq!(
            parse_template("/me/x?nokey"),
            Err(TemplateError::BadQueryPair("nokey".into()))
        );
    }

    #[test]
    fn hostile_urls_do_not_make_matching_explode() {
        let segments = parse_template("/x/{a}:{b}:{c}:{d}:{e}:/y")
            .unwrap()
            .segments;
        let url = format!("/x/{}/z", ":".repeat(5000));
        let started = std::time::Instant::now();
        assert!(match_path(&segments, &url, &|_| true).is_none());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
