//! Path parameters into URL segments: whatever an id holds, it stays one
//! segment and can never change which resource is called.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::RequestError;

/// Everything but RFC 3986's unreserved characters is encoded: `/`, `?`, `#`,
/// `%`, spaces and quotes included.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes a path parameter as one URL segment.
///
/// Fails for values no encoding can keep in place: an empty id would drop the
/// segment, and `.` or `..` are removed or resolved by URL normalisation (also
/// when written `%2E`), which would call another resource.
pub fn segment(parameter: &'static str, value: &str) -> Result<String, RequestError> {
    check(parameter, value)?;
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// Encodes a value inside an OData function or key segment,
/// `getPstnCalls(fromDateTime={value})` or `users('{value}')`. Inside quotes a
/// quote is doubled, as OData escapes it.
pub fn in_function(
    parameter: &'static str,
    value: &str,
    quoted: bool,
) -> Result<String, RequestError> {
    if value.is_empty() {
        return Err(RequestError::EmptyParameter { parameter });
    }
    let escaped;
    let value = if quoted {
        escaped = value.replace('\'', "''");
        escaped.as_str()
    } else {
        value
    };
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

/// Encodes a path parameter that may hold `/` (colon addressing,
/// `/drive/root:/{itemPath}:/content`): each piece between slashes is
/// encoded as one segment and the slashes are kept. Fails when a piece is
/// empty, `.` or `..`, which would drop a segment or climb out of the item.
pub fn segments(parameter: &'static str, value: &str) -> Result<String, RequestError> {
    check(parameter, value)?;
    let mut out = String::with_capacity(value.len());
    for (i, piece) in value.split('/').enumerate() {
        check(parameter, piece)?;
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(piece, SEGMENT));
    }
    Ok(out)
}

/// A value as an OData string literal's content: a `'` is doubled. The query
/// encoder percent-encodes the result with the rest of the pair.
pub fn odata_string(value: &str) -> String {
    value.replace('\'', "''")
}

fn check(parameter: &'static str, value: &str) -> Result<(), RequestError> {
    match value {
        "" => Err(RequestError::EmptyParameter { parameter }),
        "." | ".." => Err(RequestError::DotSegment {
            parameter,
            value: value.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Builds the path of a request line from its template and the values of
/// its parameters, in the order they appear: `fill("/users/{userId}/events/{eventId}",
/// &[user, event])`. A parameter that is a whole segment is encoded as one
/// ([`segment`]); one inside a function or key segment as [`in_function`],
/// quoted where the template puts it in `'...'`. A fixed query
/// (`?$filter=...`) is not part of the path and is left out. A template
/// whose parameters may hold `/` is built with [`segments`] instead.
///
/// Fails like [`segment`] for a value no encoding keeps in place, and when
/// the number of values is not the number of parameters.
pub fn fill(template: &'static str, values: &[&str]) -> Result<String, RequestError> {
    let path = template.split('?').next().unwrap_or(template);
    let mut out = String::with_capacity(path.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut values = values.iter();
    let mismatch = || RequestError::TemplateValues { template };
    for (i, piece) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        // A segment that is one parameter: `{userId}`.
        if let Some(name) = piece
            .strip_prefix('{')
            .and_then(|p| p.strip_suffix('}'))
            .filter(|name| !name.contains(['{', '}']))
        {
            out.push_str(&segment(name, values.next().ok_or_else(mismatch)?)?);
            continue;
        }
        // Literal text with parameters inside: `getX(period='{period}')`.
        // A value is quoted when the last literal text before it ends with
        // `'` (two values side by side share it: `f(x='{a}{b}')`).
        let mut rest = piece;
        let mut last_literal = "";
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').ok_or_else(mismatch)? + open;
            let literal = &rest[..open];
            out.push_str(literal);
            if !literal.is_empty() {
                last_literal = literal;
            }
            let name = &rest[open + 1..close];
            let quoted = last_literal.ends_with('\'');
            out.push_str(&in_function(
                name,
                values.next().ok_or_else(mismatch)?,
                quoted,
            )?);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
    }
    if values.next().is_some() {
        return Err(mismatch());
    }
    Ok(out)
}

/// Encodes a query string from pairs.
pub fn query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY),
                utf8_percent_encode(v, QUERY)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// In query keys and values, `$` stays readable (`$select`) and so do `,` and
/// `'` that OData expressions use; what would end or split the pair is encoded.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b',')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b':');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_stay_one_segment() {
        assert_eq!(segment("id", "a/b").unwrap(), "a%2Fb");
        assert_eq!(segment("id", "a?b#c").unwrap(), "a%3Fb%23c");
        assert_eq!(segment("id", "100%").unwrap(), "100%25");
        assert_eq!(segment("id", "a b").unwrap(), "a%20b");
        assert_eq!(segment("id", "../admin").unwrap(), "..%2Fadmin");
        assert_eq!(segment("id", "é").unwrap(), "%C3%A9");
        assert_eq!(segment("id", "MSpk,YzE=").unwrap(), "MSpk%2CYzE%3D");
    }

    #[test]
    fn ids_that_no_encoding_keeps_in_place_are_refused() {
        assert!(matches!(
            segment("callId", ""),
            Err(RequestError::EmptyParameter {
                parameter: "callId"
            })
        ));
        assert!(matches!(
            segment("callId", ".."),
            Err(RequestError::DotSegment { .. })
        ));
        assert!(matches!(
            segment("callId", "."),
            Err(RequestError::DotSegment { .. })
        ));
    }

    #[test]
    fn function_values_double_quotes_inside_quotes() {
        assert_eq!(
            in_function("upn", "o'neil@x", true).unwrap(),
            "o%27%27neil%40x"
        );
        assert_eq!(
            in_function("from", "2019-11-01T00:00:00Z", false).unwrap(),
            "2019-11-01T00%3A00%3A00Z"
        );
    }

    #[test]
    fn slash_values_keep_their_slashes_and_nothing_else() {
        assert_eq!(
            segments("itemPath", "a b/c?d#e/f%").unwrap(),
            "a%20b/c%3Fd%23e/f%25"
        );
        for bad in ["", "/a", "a/", "a//b", "a/../b", "./a", "a/."] {
            assert!(segments("itemPath", bad).is_err(), "{bad:?} is refused");
        }
        assert_eq!(odata_string("o'neil"), "o''neil");
    }

    #[test]
    fn a_template_is_filled_as_the_piece_by_piece_builder_would() {
        assert_eq!(
            fill("/users/{userId}/events/{eventId}/accept", &["a/b", "c d"]).unwrap(),
            [
                "/users/",
                &segment("userId", "a/b").unwrap(),
                "/events/",
                &segment("eventId", "c d").unwrap(),
                "/accept"
            ]
            .concat()
        );
        assert_eq!(
            fill(
                "/reports/getEmailActivityCounts(period='{period}')",
                &["D'7"]
            )
            .unwrap(),
            "/reports/getEmailActivityCounts(period='D%27%277')"
        );
        assert_eq!(
            fill(
                "/communications/callRecords/getPstnCalls(fromDateTime={fromDateTime},toDateTime={toDateTime})",
                &["2019-11-01", "2019-12-01"]
            )
            .unwrap(),
            "/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)"
        );
        // The fixed query is not part of the path; its values are not taken.
        assert_eq!(
            fill(
                "/me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'",
                &[]
            )
            .unwrap(),
            "/me/onlineMeetings"
        );
        assert_eq!(fill("/me", &[]).unwrap(), "/me");
        // Side by side inside quotes, both values are quoted.
        assert_eq!(
            fill("/f(x='{a}{b}')", &["o'a", "o'b"]).unwrap(),
            [
                "/f(x='",
                &in_function("a", "o'a", true).unwrap(),
                &in_function("b", "o'b", true).unwrap(),
                "')"
            ]
            .concat()
        );
    }

    #[test]
    fn a_template_refuses_what_a_segment_refuses_and_a_wrong_count() {
        assert!(matches!(
            fill("/users/{userId}", &[".."]),
            Err(RequestError::DotSegment {
                parameter: "userId",
                ..
            })
        ));
        assert!(matches!(
            fill("/users/{userId}", &[""]),
            Err(RequestError::EmptyParameter {
                parameter: "userId"
            })
        ));
        for values in [&[][..], &["a", "b"][..]] {
            assert!(matches!(
                fill("/users/{userId}", values),
                Err(RequestError::TemplateValues {
                    template: "/users/{userId}"
                })
            ));
        }
        assert!(matches!(
            fill("/users/x{userId", &["a"]),
            Err(RequestError::TemplateValues { .. })
        ));
    }

    #[test]
    fn query_pairs_are_encoded() {
        let q = query(&[
            ("$select".into(), "id,displayName".into()),
            ("$filter".into(), "name eq 'a&b'".into()),
        ]);
        assert_eq!(q, "$select=id,displayName&$filter=name%20eq%20'a%26b'");
    }
}
