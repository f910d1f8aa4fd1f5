//! `examples/` of the generated crate: runnable programs that sign in with a
//! token and call, page through a collection, and ride out throttling, each
//! calling an operation the specs describe (the first that fits), so that
//! they stay true to the crate as the specs change. CI builds them.

use super::fluent::Tree;
use super::types::inner_doc;
use super::{VersionContext, CRATE_IDENT};
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};
use crate::ir::{Api, Operation, OperationVersion, Output, ParameterLocation, ResponseBody};

/// One example program: its name (the file stem, `cargo run --example NAME`)
/// and the features it needs.
pub(crate) struct ExampleProgram {
    pub name: String,
    /// What it shows, for the README.
    pub summary: String,
    pub features: Vec<String>,
    file: GeneratedFile,
}

impl ExampleProgram {
    pub fn into_file(self) -> GeneratedFile {
        self.file
    }

    /// A program of the specs (`programs/<name>.rs`), copied as written.
    pub fn from_spec(program: &crate::ir::Program) -> ExampleProgram {
        ExampleProgram {
            name: program.name.clone(),
            summary: program.summary.clone(),
            features: program.features.clone(),
            file: GeneratedFile {
                path: format!("examples/{}.rs", program.name),
                contents: format!(
                    "// Copied by graphgen from specs/{}: edit it there and run `{}`.\n\n{}",
                    program.relative,
                    crate::emit::format::REGENERATE,
                    program.text
                ),
                source: Some(program.relative.clone()),
            },
        }
    }
}

/// An operation an example calls: what the fluent call needs.
struct Call<'a> {
    operation: &'a Operation,
    v: &'a OperationVersion,
    version_module: String,
    area_feature: String,
    /// `client.v1_0()...get()`, its values taken from variables.
    expression: String,
    /// The values the caller gives, as `(variable, documented name)`.
    values: Vec<(String, String)>,
}

/// The example programs, for the operations that fit each.
pub(crate) fn emit(api: &Api, trees: &[(String, Tree)]) -> Result<Vec<ExampleProgram>, EmitError> {
    let mut programs = Vec::new();
    let single = find_call(api, trees, |v| {
        matches!(
            v.output(),
            Output::Json {
                collection: false,
                ..
            }
        )
    });
    let paged = find_call(api, trees, |v| {
        v.successes()
            .any(|r| matches!(r.body, Some(ResponseBody::Json { paged: true, .. })))
    });
    if let Some(call) = &single {
        programs.push(program(
            "sign_in_and_call",
            format!(
                "Sign in with a static token and call `{}`",
                call.operation.name.documented
            ),
            call,
            &format!(
                "Signs in with an access token and calls `{}` ({}, {}).\n\n\
                 A static token suits scripts and tests; it is sent only to the Graph endpoint.",
                call_line(call),
                call.operation.name.documented,
                call.v.version
            ),
            sign_in_and_call(call),
            "use msgraph_client::{Client, GraphClient, StaticToken};",
        )?);
        programs.push(program(
            "handle_throttling",
            "A retry policy for throttling, and a call still throttled after it".to_owned(),
            call,
            &format!(
                "Calls `{}` with a retry policy for throttling, and tells a call that \
                 stayed throttled from other failures.\n\n\
                 The client retries 429, 503 and 504 itself, waiting as `Retry-After` asks \
                 (else backing off exponentially with jitter), within the policy's attempts \
                 and total wait and the call's deadline. What is left to the application is \
                 the call that is still throttled after that: back off for longer, or spread \
                 the calls out.",
                call_line(call)
            ),
            handle_throttling(call),
            "use msgraph_client::runtime::http::StatusCode;\n\
             use msgraph_client::{Client, Error, GraphClient, RetryPolicy, StaticToken};",
        )?);
    }
    if let Some(call) = &paged {
        programs.push(program(
            "page_through_collection",
            format!("Page through `{}`", call.operation.name.documented),
            call,
            &format!(
                "Pages through `{}` ({}, {}), following `@odata.nextLink` until the last page.\n\n\
                 Each page is one request; the client stops at a next link it has already \
                 visited and after `ClientBuilder::max_pages` pages.",
                call_line(call),
                call.operation.name.documented,
                call.v.version
            ),
            page_through_collection(call),
            "use msgraph_client::runtime::StreamExt;\n\
             use msgraph_client::{Client, GraphClient, StaticToken};",
        )?);
    }
    Ok(programs)
}

/// `GET /v1.0/me/onlineMeetings/{meetingId}`.
fn call_line(call: &Call) -> String {
    let path = call
        .v
        .paths
        .iter()
        .find(|p| p.deprecated.is_none())
        .expect("a call is chosen on a current path");
    format!(
        "{} /{}{}",
        call.v.method.as_str(),
        call.v.version,
        path.template
    )
}

/// The operation of the specs that `fits` with the fewest values to give
/// (the first version first, then spec order among equals), and that a
/// program can call with values from its command line: a GET, not
/// deprecated, reached by a current path, with no body and no other
/// required value.
fn find_call<'a>(
    api: &'a Api,
    trees: &[(String, Tree)],
    fits: impl Fn(&OperationVersion) -> bool,
) -> Option<Call<'a>> {
    for version in &api.versions {
        let mut calls = calls_in(api, trees, version, &fits);
        if !calls.is_empty() {
            let fewest = calls.iter().map(|c| c.values.len()).min().unwrap_or(0);
            let index = calls
                .iter()
                .position(|c| c.values.len() == fewest)
                .unwrap_or(0);
            return Some(calls.swap_remove(index));
        }
    }
    None
}

/// Every operation of one version that `find_call` may choose.
fn calls_in<'a>(
    api: &'a Api,
    trees: &[(String, Tree)],
    version: &crate::ir::Version,
    fits: &impl Fn(&OperationVersion) -> bool,
) -> Vec<Call<'a>> {
    let mut calls = Vec::new();
    {
        let Some((_, tree)) = trees.iter().find(|(name, _)| name == &version.name) else {
            return calls;
        };
        let ctx = VersionContext::new(api, version);
        for operation in &api.operations {
            let Some(v) = operation.version(&version.name) else {
                continue;
            };
            let plain = v.method.as_str() == "GET"
                && operation.deprecated.is_none()
                && v.deprecated.is_none()
                && v.body.is_none()
                && !v.parameters.iter().any(|p| {
                    p.location == ParameterLocation::Query && p.required && !p.in_request_line
                })
                && !v
                    .headers
                    .iter()
                    .any(|h| h.required && h.value.is_none() && !h.is_managed());
            if !plain || !fits(v) {
                continue;
            }
            let Some(index) = v.paths.iter().position(|p| p.deprecated.is_none()) else {
                continue;
            };
            let Some(&node) = tree
                .terminals
                .get(&(operation.name.documented.clone(), index))
            else {
                continue;
            };
            let path = &v.paths[index];
            let variable = |name: &str| {
                v.parameters
                    .iter()
                    .find(|p| p.name.documented == name)
                    .map(|p| p.name.snake.clone())
                    .unwrap_or_else(|| crate::naming::snake_ident(name))
            };
            let names = tree.names_for(node, path);
            let chain = tree.chain(node, &|name| {
                variable(names.get(name).map_or(name, String::as_str))
            });
            let line_args: Vec<String> = path.query_parameters().map(variable).collect();
            let values = path
                .parameters()
                .map(|name| (variable(name), name.to_owned()))
                .collect();
            let method = super::operations::terminal_name(operation, v, path);
            let Some(area) = api.area(&operation.area) else {
                continue;
            };
            calls.push(Call {
                operation,
                v,
                version_module: ctx.version.module.clone(),
                area_feature: area.feature.clone(),
                expression: format!(
                    "client.{}(){chain}.{method}({})",
                    version.module,
                    line_args.join(", ")
                ),
                values,
            });
        }
    }
    calls
}

/// The lines that read the token and the call's values, or say how to run
/// the program.
fn inputs(name: &str, call: &Call) -> String {
    let usage: Vec<String> = call.values.iter().map(|(_, d)| format!("<{d}>")).collect();
    let usage = format!(
        "usage: GRAPH_TOKEN=<access token> cargo run --example {name} -- {}",
        usage.join(" ")
    );
    let bindings: Vec<&str> = call.values.iter().map(|(v, _)| v.as_str()).collect();
    format!(
        "let usage = {usage:?};\n\
         let Ok(token) = std::env::var(\"GRAPH_TOKEN\") else {{\n\
             eprintln!(\"{{usage}}\");\n\
             std::process::exit(2);\n\
         }};\n\
         let arguments: Vec<String> = std::env::args().skip(1).collect();\n\
         let [{}] = arguments.as_slice() else {{\n\
             eprintln!(\"{{usage}}\");\n\
             std::process::exit(2);\n\
         }};\n",
        bindings.join(", ")
    )
}

fn sign_in_and_call(call: &Call) -> String {
    format!(
        "{}\
         let client = GraphClient::new(Client::builder().token_provider(StaticToken::new(token)).build()?);\n\
         let output = {}.await?;\n\
         println!(\"{{output:#?}}\");\n\
         Ok(())\n",
        inputs("sign_in_and_call", call),
        call.expression
    )
}

fn handle_throttling(call: &Call) -> String {
    format!(
        "{}\
         let retry = RetryPolicy {{ max_attempts: 6, max_total_delay: std::time::Duration::from_secs(300), ..RetryPolicy::default() }};\n\
         let client = GraphClient::new(\n\
             Client::builder()\n\
                 .token_provider(StaticToken::new(token))\n\
                 .retry_policy(retry)\n\
                 .deadline(std::time::Duration::from_secs(600))\n\
                 .build()?,\n\
         );\n\
         match {}.await {{\n\
             Ok(output) => println!(\"{{output:#?}}\"),\n\
             Err(error) if error.is_throttled() => {{\n\
                 eprintln!(\"still throttled after every retry: {{error}} (request id {{:?}})\", error.request_id());\n\
                 std::process::exit(1);\n\
             }}\n\
             Err(Error::Deadline {{ last_status: Some(status), .. }}) if status == StatusCode::TOO_MANY_REQUESTS => {{\n\
                 eprintln!(\"throttled until the deadline passed\");\n\
                 std::process::exit(1);\n\
             }}\n\
             Err(error) => return Err(error.into()),\n\
         }}\n\
         Ok(())\n",
        inputs("handle_throttling", call),
        call.expression
    )
}

fn page_through_collection(call: &Call) -> String {
    format!(
        "{}\
         let client = GraphClient::new(Client::builder().token_provider(StaticToken::new(token)).build()?);\n\
         let request = {};\n\
         let mut pages = std::pin::pin!(request.pages());\n\
         let mut count = 0;\n\
         while let Some(page) = pages.next().await {{\n\
             let page = page?;\n\
             count += page.value.len();\n\
             for item in &page.value {{\n\
                 println!(\"{{item:?}}\");\n\
             }}\n\
         }}\n\
         println!(\"{{count}} items\");\n\
         Ok(())\n",
        inputs("page_through_collection", call),
        call.expression
    )
}

fn program(
    name: &'static str,
    summary: String,
    call: &Call,
    description: &str,
    body: String,
    uses: &str,
) -> Result<ExampleProgram, EmitError> {
    let tokenize = |code: &str| -> Result<proc_macro2::TokenStream, EmitError> {
        code.parse().map_err(|e| {
            EmitError(format!(
                "example program `{name}` produced code that does not tokenize: {e}\n{code}"
            ))
        })
    };
    let statements = tokenize(&body)?;
    let uses = tokenize(&uses.replace("msgraph_client", CRATE_IDENT))?;
    let module_doc = inner_doc(&format!(
        "{description}\n\n```sh\n{}\n```",
        usage_line(name, call)
    ));
    let tokens = quote::quote! {
        #module_doc

        #uses

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            #statements
        }
    };
    let features = vec![
        "reqwest".to_owned(),
        call.version_module.clone(),
        call.area_feature.clone(),
    ];
    Ok(ExampleProgram {
        name: name.to_owned(),
        summary,
        features,
        file: GeneratedFile {
            path: format!("examples/{name}.rs"),
            contents: rust_file(None, tokens)?,
            source: None,
        },
    })
}

fn usage_line(name: &str, call: &Call) -> String {
    let values: Vec<String> = call.values.iter().map(|(_, d)| format!("<{d}>")).collect();
    format!(
        "GRAPH_TOKEN=<access token> cargo run --example {name} -- {}",
        values.join(" ")
    )
}
