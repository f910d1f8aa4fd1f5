//! Path templates (`/calls/{callId}/participants/{participantId}`) and the
//! matching of documented example URLs against them.

use crate::ir::{Segment, SegmentPart};

/// Why a path template is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    NoLeadingSlash,
    TrailingSlash,
    EmptySegment,
    UnclosedBrace,
    StrayClosingBrace,
    BadParameterName(String),
    QueryInTemplate,
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
            TemplateError::QueryInTemplate => (
                format!("path `{template}` contains a query string"),
                "declare query parameters under `parameters:` with `in: query`, or OData options under `queryOptions:`".into(),
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

/// Splits a template into segments of literals and `{parameters}`.
pub fn parse_template(template: &str) -> Result<Vec<Segment>, TemplateError> {
    let Some(rest) = template.strip_prefix('/') else {
        return Err(TemplateError::NoLeadingSlash);
    };
    if template.contains('?') {
        return Err(TemplateError::QueryInTemplate);
    }
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
        segments.push(Segment { parts });
    }
    Ok(segments)
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
/// against a template. Returns the parameters' decoded values.
pub fn match_path(segments: &[Segment], url_path: &str) -> Option<Vec<(String, String)>> {
    let url_segments: Vec<&str> = if url_path.is_empty() || url_path == "/" {
        Vec::new()
    } else {
        url_path.trim_start_matches('/').split('/').collect()
    };
    if url_segments.len() != segments.len() {
        return None;
    }
    let mut values = Vec::new();
    for (segment, actual) in segments.iter().zip(url_segments) {
        match_segment(&segment.parts, actual, &mut values)?;
    }
    Some(values)
}

fn match_segment(
    parts: &[SegmentPart],
    actual: &str,
    values: &mut Vec<(String, String)>,
) -> Option<()> {
    match parts.split_first() {
        None => actual.is_empty().then_some(()),
        Some((SegmentPart::Literal(literal), rest)) => {
            // Graph matches path literals without regard to case.
            let head = actual.get(..literal.len())?;
            if !head.eq_ignore_ascii_case(literal) {
                return None;
            }
            match_segment(rest, &actual[literal.len()..], values)
        }
        Some((SegmentPart::Parameter(name), rest)) => {
            // A parameter runs up to the next literal (or the segment's end).
            let end = match rest.first() {
                Some(SegmentPart::Literal(next)) => actual.find(next.as_str())?,
                _ => actual.len(),
            };
            if end == 0 {
                return None;
            }
            let raw = &actual[..end];
            let decoded = percent_encoding::percent_decode_str(raw)
                .decode_utf8_lossy()
                .into_owned();
            values.push((name.clone(), decoded));
            match_segment(rest, &actual[end..], values)
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
                .unwrap();
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0].literal(), Some("communications"));
        assert_eq!(segments[1].parameters().collect::<Vec<_>>(), ["from", "to"]);
        let m = match_path(
            &segments,
            "/communications/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
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
        let segments = parse_template("/calls/{callId}/participants/{participantId}").unwrap();
        let m = match_path(&segments, "/calls/a%2Fb/participants/{id}").unwrap();
        assert_eq!(m[0], ("callId".into(), "a/b".into()));
        assert_eq!(m[1], ("participantId".into(), "{id}".into()));
        assert!(match_path(&segments, "/calls/a/participants").is_none());
        assert!(match_path(&segments, "/calls/a/people/b").is_none());
    }
}
