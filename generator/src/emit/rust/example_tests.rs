//! `tests/examples/` of the generated crate: every documented example as a
//! test. The client, given the example's values, must build exactly the
//! documented request (method, path, query, headers, JSON body), and the
//! documented response must parse into the typed output and serialize back
//! without losing anything it had.

use quote::quote;

use super::example_code::{example_code, rust_string};
use super::fluent::Tree;
use super::types::inner_doc;
use super::VersionContext;
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};
use crate::ir::Api;

/// A note on one comment line.
fn line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn emit(api: &Api, trees: &[(String, Tree)]) -> Result<Vec<GeneratedFile>, EmitError> {
    // Made once: a context indexes the API's examples and type usage.
    let contexts: Vec<VersionContext> = api
        .versions
        .iter()
        .map(|v| VersionContext::new(api, v))
        .collect();
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let pages: Vec<&crate::ir::Operation> = api
        .operations
        .iter()
        .filter(|p| !p.examples.is_empty())
        .collect();
    let per_page = crate::parallel::map(&pages, |page| -> Result<GeneratedFile, EmitError> {
        let mut tests = Vec::new();
        for example in &page.examples {
            let operation = api
                .operation(&example.operation)
                .expect("validated example operation");
            let v = operation
                .version(&example.version)
                .expect("validated example version");
            let version = api.version(&example.version).expect("validated version");
            let (_, tree) = trees
                .iter()
                .find(|(name, _)| name == &version.name)
                .expect("a tree per version");
            let ctx = contexts
                .iter()
                .find(|c| c.version.name == version.name)
                .expect("a context per version");
            let code = example_code(ctx, tree, operation, v, example);
            let area = api.area(&operation.area).expect("validated area");
            let mut body = String::new();
            body.push_str("let client = support::offline_client();\n");
            body.push_str(&code.unsent());
            body.push_str("let operation = request.into_operation();\n");
            body.push_str("let sent = operation.to_http_request(&support::global()).expect(\"the request builds\");\n");
            body.push_str(&format!(
                "assert_eq!(sent.method().as_str(), {});\n",
                rust_string(example.request.method.as_str())
            ));
            body.push_str(&format!(
                "support::assert_same_url(&sent, {});\n",
                rust_string(&example.request.url)
            ));
            for (name, value) in &example.request.headers {
                let lower = name.to_ascii_lowercase();
                if lower == "content-length" || lower == "authorization" {
                    continue;
                }
                body.push_str(&format!(
                    "support::assert_header(&sent, {}, {});\n",
                    rust_string(name),
                    rust_string(value)
                ));
            }
            match example.request.body.as_ref() {
                Some(b) if b.json.is_some() && code.omitted_tags.is_empty() => {
                    body.push_str(&format!(
                        "support::assert_json_body(&sent, {});\n",
                        raw_string(&b.text)
                    ));
                }
                Some(b) if b.json.is_some() => {
                    let tags: Vec<String> =
                        code.omitted_tags.iter().map(|t| rust_string(t)).collect();
                    body.push_str(&format!(
                        "// The page also writes the `@odata.type` of the declared type at these places; the code leaves it out, and Graph reads the same values.\nsupport::assert_json_body_without(&sent, {}, &[{}]);\n",
                        raw_string(&b.text),
                        tags.join(", ")
                    ));
                }
                Some(b) => body.push_str(&format!(
                    "assert_eq!(sent.body().as_ref(), {}.as_bytes());\n",
                    raw_string(&b.text)
                )),
                None => body.push_str("assert!(sent.body().is_empty());\n"),
            }
            if let Some(erratum) = &example.request.erratum {
                if let Some(method) = &erratum.method {
                    body.push_str(&format!(
                        "// The page shows {method}: {}\nassert_ne!(sent.method().as_str(), {}, \"the documented method is rejected\");\n",
                        erratum.note,
                        rust_string(method)
                    ));
                }
                if let Some(url) = &erratum.url {
                    // A page's URL without host (`/me/drive/...`) is compared
                    // with what is sent after the host, so that the test
                    // checks the part the page gets wrong.
                    let sent = if url.starts_with("http") {
                        "sent.uri().to_string()"
                    } else if url.starts_with('/') {
                        "sent.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default()"
                    } else {
                        "sent.uri().path_and_query().map(|p| p.as_str().trim_start_matches('/').to_owned()).unwrap_or_default()"
                    };
                    body.push_str(&format!(
                        "assert_ne!({sent}, {}, \"the documented URL is rejected\");\n",
                        rust_string(url)
                    ));
                }
                if let Some(shown) = &erratum.body {
                    body.push_str(&format!(
                        "// The page shows another body: {}\nsupport::assert_differs(&String::from_utf8_lossy(sent.body()), {});\n",
                        line(&erratum.note),
                        raw_string(shown)
                    ));
                }
                if let Some(shown) = &erratum.headers {
                    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
                    // The page's headers: those it gets wrong are not sent
                    // as it shows them (those it gets right are the example's).
                    for (name, value) in shown {
                        if example
                            .request
                            .headers
                            .iter()
                            .any(|(n, v)| same(n, name) && v == value)
                        {
                            continue;
                        }
                        body.push_str(&format!(
                            "// The page shows `{name}: {value}`: {}\nassert_ne!(sent.headers().get({}).map(|v| v.as_bytes()), Some({}.as_bytes()), \"the documented header is not sent\");\n",
                            line(&erratum.note),
                            rust_string(&name.to_ascii_lowercase()),
                            rust_string(value)
                        ));
                    }
                    // A header the page leaves out is sent all the same.
                    for (name, _) in &example.request.headers {
                        if !shown.iter().any(|(n, _)| same(n, name)) {
                            body.push_str(&format!(
                                "// The page's example leaves out `{name}`: {}\nassert!(sent.headers().get({}).is_some(), \"the header the page leaves out is sent\");\n",
                                line(&erratum.note),
                                rust_string(&name.to_ascii_lowercase())
                            ));
                        }
                    }
                }
            }
            if let Some(response) = &example.response {
                let text = response
                    .body
                    .as_ref()
                    .map(|b| b.text.as_str())
                    .unwrap_or("");
                if let Some(erratum) = &response.erratum {
                    body.push_str(&format!(
                        "// The page's response differs: {}\n",
                        line(&erratum.note)
                    ));
                    if let Some(status) = erratum.status {
                        body.push_str(&format!(
                            "assert_ne!({status}u16, {}, \"the documented status is corrected\");\n",
                            response.status
                        ));
                    }
                    if let Some(shown) = &erratum.body {
                        body.push_str(&format!(
                            "support::assert_differs({}, {});\n",
                            raw_string(text),
                            raw_string(shown)
                        ));
                    }
                }
                let headers: Vec<String> = response
                    .headers
                    .iter()
                    .map(|(k, v)| format!("({}, {})", rust_string(k), rust_string(v)))
                    .collect();
                body.push_str(&format!(
                    "let response = support::response({}, &[{}], {});\n",
                    response.status,
                    headers.join(", "),
                    raw_string(text)
                ));
                match response.body.as_ref().and_then(|b| b.json.as_ref()) {
                    Some(_) => {
                        body.push_str("let output = support::parse(&operation, response);\n");
                        body.push_str(&format!(
                            "support::assert_round_trip(&output, {});\n",
                            raw_string(text)
                        ));
                    }
                    None => {
                        let location = response
                            .headers
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("location"))
                            .map(|(_, value)| value);
                        match location {
                            // A documented redirect is the output: its Location.
                            Some(location) if v.output() == crate::ir::Output::Redirect => {
                                body.push_str(&format!(
                                    "let output = support::parse(&operation, response);\nassert_eq!(output.location, {});\n",
                                    rust_string(location)
                                ));
                            }
                            _ => body.push_str("support::parse(&operation, response);\n"),
                        }
                    }
                }
            }
            let test_name = quote::format_ident!(
                "{}",
                crate::naming::snake_ident(&format!("{} {}", example.name, example.version))
                    .trim_start_matches("r#")
            );
            let version_feature = &version.module;
            let area_feature = &area.feature;
            let statements: proc_macro2::TokenStream = body.parse().map_err(|e| {
                EmitError(format!(
                    "example `{}` produced code that does not tokenize: {e}\n{body}",
                    example.name
                ))
            })?;
            let doc = super::types::doc(&format!(
                "{}{}",
                example.title.as_deref().unwrap_or(&example.name),
                example
                    .description
                    .as_deref()
                    .map(|d| format!("\n\n{d}"))
                    .unwrap_or_default()
            ));
            tests.push(quote! {
                #doc
                #[cfg(all(feature = #version_feature, feature = #area_feature))]
                #[test]
                fn #test_name() {
                    use msgraph_client::runtime::Operation;
                    #statements
                }
            });
        }
        let module_doc = inner_doc(&format!(
            "The examples of the page transcribed in `specs/{}`.",
            page.file
        ));
        let tokens = quote! {
            #module_doc
            #![allow(deprecated, unused_imports)]

            use crate::support;

            #(#tests)*
        };
        Ok(GeneratedFile {
            path: format!("tests/examples/{}.rs", page.name.file_stem()),
            contents: rust_file(Some(&page.file), tokens)?,
            source: Some(page.file.clone()),
        })
    });
    for (page, file) in pages.iter().zip(per_page) {
        let module = super::types::ident(&page.name.snake);
        modules.push(quote!(mod #module;));
        files.push(file?);
    }
    let module_doc = inner_doc(
        "Every documented example as a test: the client builds exactly the documented\nrequest, and the documented response parses and serializes back without loss.",
    );
    let tokens = quote! {
        #module_doc

        mod support;
        #(#modules)*
    };
    files.push(GeneratedFile {
        path: "tests/examples/main.rs".to_owned(),
        contents: rust_file(None, tokens)?,
        source: None,
    });
    files.push(GeneratedFile {
        path: "tests/examples/support.rs".to_owned(),
        contents: rust_file(None, support())?,
        source: None,
    });
    Ok(files)
}

/// A raw string literal that holds `text` whatever quotes it contains; an
/// escaped one where it holds a text direction control, which rustc refuses
/// raw and which only an escape can write.
fn raw_string(text: &str) -> String {
    if text.contains(crate::emit::format::DIRECTION_CONTROLS) {
        return format!("{text:?}");
    }
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{text}\"{h}")
}

/// What the example tests share.
fn support() -> proc_macro2::TokenStream {
    quote! {
        //! What the example tests share: an offline client, and comparisons
        //! that read a documented request or response the way the service does.
        #![allow(dead_code)]

        use msgraph_client::runtime::{
            bytes::Bytes, http, BoxFuture, Cloud, Endpoint, Operation, Transport, TransportError,
        };
        use msgraph_client::runtime::Body;

        /// A transport that never sends: the tests only build requests.
        struct Offline;

        impl Transport for Offline {
            fn send(&self, _: http::Request<Body>) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
                Box::pin(async { Err(TransportError::new("the example tests send nothing")) })
            }
        }

        pub fn offline_client() -> msgraph_client::GraphClient {
            msgraph_client::GraphClient::new(
                msgraph_client::Client::builder().transport(Offline).build().expect("a client"),
            )
        }

        pub fn global() -> Endpoint {
            Endpoint::cloud(Cloud::Global)
        }

        /// Path segments and query pairs, percent-decoded: the documented URL
        /// writes ids as the page shows them, the client encodes them.
        fn decoded_parts(url: &str) -> (Vec<String>, Vec<(String, String)>) {
            let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
            let decode = |s: &str| {
                let bytes = s.as_bytes();
                let mut out = Vec::with_capacity(bytes.len());
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == b'%' && i + 2 < bytes.len() {
                        if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                            out.push(high * 16 + low);
                            i += 3;
                            continue;
                        }
                    }
                    out.push(bytes[i]);
                    i += 1;
                }
                String::from_utf8(out).expect("UTF-8 after decoding")
            };
            let (path, query) = url.split_once('?').unwrap_or((url, ""));
            let segments = path.split('/').map(decode).collect();
            let pairs = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect();
            (segments, pairs)
        }

        pub fn assert_same_url(sent: &http::Request<Bytes>, documented: &str) {
            assert_eq!(
                decoded_parts(&sent.uri().to_string()),
                decoded_parts(documented),
                "the URL the client builds is not the documented one"
            );
        }

        pub fn assert_header(sent: &http::Request<Bytes>, name: &str, value: &str) {
            let actual = sent.headers().get(name).unwrap_or_else(|| panic!("no {name} header"));
            assert_eq!(actual.to_str().unwrap().to_ascii_lowercase(), value.to_ascii_lowercase(), "header {name}");
        }

        pub fn assert_json_body(sent: &http::Request<Bytes>, documented: &str) {
            let body: serde_json::Value = serde_json::from_slice(sent.body()).expect("a JSON body");
            let expected: serde_json::Value = serde_json::from_str(documented).expect("the documented body is JSON");
            assert_eq!(body, expected, "the body the client sends is not the documented one");
        }

        /// As `assert_json_body`, less the documented body's `@odata.type`
        /// annotations at `omitted` (JSON pointers), each of which must be
        /// there: the example code leaves them out because each names the
        /// type declared where it stands, which Graph reads without it.
        pub fn assert_json_body_without(sent: &http::Request<Bytes>, documented: &str, omitted: &[&str]) {
            let body: serde_json::Value = serde_json::from_slice(sent.body()).expect("a JSON body");
            let mut expected: serde_json::Value = serde_json::from_str(documented).expect("the documented body is JSON");
            for pointer in omitted {
                let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
                let removed = expected
                    .pointer_mut(parent)
                    .and_then(serde_json::Value::as_object_mut)
                    .and_then(|object| object.remove(&key.replace("~1", "/").replace("~0", "~")));
                assert!(removed.is_some(), "the documented body has no {pointer}");
            }
            assert_eq!(body, expected, "the body the client sends is not the documented one");
        }

        /// An erratum records a difference: the page's text is not what the
        /// spec holds (as JSON where both are JSON, else as text). Equal JSON
        /// can still differ in text a parser forgets (a key written twice).
        pub fn assert_differs(used: &str, shown: &str) {
            let squeezed = |text: &str| text.split_whitespace().collect::<String>();
            let same = match (
                serde_json::from_str::<serde_json::Value>(used),
                serde_json::from_str::<serde_json::Value>(shown),
            ) {
                (Ok(a), Ok(b)) => a == b && squeezed(used) == squeezed(shown),
                _ => used.trim() == shown.trim(),
            };
            assert!(!same, "the erratum records what the spec uses: there is no difference");
        }

        pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
            let mut builder = http::Response::builder().status(status);
            for (name, value) in headers {
                builder = builder.header(*name, *value);
            }
            builder.body(Bytes::from(body.to_owned())).expect("a response")
        }

        pub fn parse<O: Operation>(_: &O, response: http::Response<Bytes>) -> O::Output {
            match O::parse_response(response) {
                Ok(output) => output,
                Err(error) => panic!("the documented response does not parse: {error}"),
            }
        }

        /// Null and absent mean the same to Graph; a `None` is not sent back.
        /// A number is its value: `143` read into a `Double` is written
        /// back as `143.0`.
        fn without_nulls(value: serde_json::Value) -> serde_json::Value {
            match value {
                serde_json::Value::Object(map) => serde_json::Value::Object(
                    map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect(),
                ),
                serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(without_nulls).collect()),
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 && (n.is_f64() || n.as_i64().is_some()) => {
                        serde_json::Value::from(f as i64)
                    }
                    _ => serde_json::Value::Number(n),
                },
                other => other,
            }
        }

        pub fn assert_round_trip<T: serde::Serialize>(output: &T, documented: &str) {
            let again = serde_json::to_value(output).expect("the output serializes");
            let documented: serde_json::Value = serde_json::from_str(documented).expect("the documented body is JSON");
            assert_eq!(without_nulls(again), without_nulls(documented), "the round trip lost or changed something");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::raw_string;

    #[test]
    fn a_page_text_is_the_same_string_in_the_test_whatever_it_holds() {
        for text in [
            "{\"a\": \"b\"}",
            "\"#quoted\"#",
            "{\"range\": \"bytes=0-9\u{202C}\"}",
            "\u{202E}{}\\n",
        ] {
            let literal = raw_string(text);
            assert!(
                !literal.contains(crate::emit::format::DIRECTION_CONTROLS),
                "{literal}"
            );
            let parsed: syn::LitStr = syn::parse_str(&literal).unwrap();
            assert_eq!(parsed.value(), text, "{literal}");
        }
    }
}
