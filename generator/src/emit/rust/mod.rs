//! The Rust client crate: `Cargo.toml`, `lib.rs`, and per API version a
//! module of models, operations and navigation types.

mod builders;
mod example_code;
mod example_layout;
mod example_tests;
mod examples;
mod fluent;
mod models;
mod navigation;
mod operations;
mod request_tests;
pub(crate) mod rustdoc;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use quote::quote;

use super::format::{rust_file, REGENERATE};
use super::{EmitError, GeneratedFile};
use crate::ir::{Api, TypeDef, Version};
use types::{doc, feature_cfg, ident};

pub(crate) use example_code::example_code;
pub(crate) use fluent::Tree;

/// The generated crate's package name.
pub const CRATE_NAME: &str = "msgraph-client";
/// The generated crate's name in Rust paths.
pub const CRATE_IDENT: &str = "msgraph_client";

/// What the emitters of one version share.
pub(crate) struct VersionContext<'a> {
    pub api: &'a Api,
    pub version: &'a Version,
    /// Which features compile each type; computed when first asked (the
    /// Markdown and example-test emitters never ask).
    features_of_types: std::sync::OnceLock<types::TypeFeatures>,
    /// The examples of this version by the operation they call, each with
    /// the page (operation spec) that shows it, in page order.
    examples: BTreeMap<&'a str, Vec<(&'a crate::ir::Operation, &'a crate::ir::Example)>>,
}

impl<'a> VersionContext<'a> {
    pub fn new(api: &'a Api, version: &'a Version) -> Self {
        let mut examples: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for page in &api.operations {
            for example in page.examples.iter().filter(|e| e.version == version.name) {
                examples
                    .entry(example.operation.as_str())
                    .or_default()
                    .push((page, example));
            }
        }
        VersionContext {
            api,
            version,
            features_of_types: std::sync::OnceLock::new(),
            examples,
        }
    }

    /// The examples that call `operation` in this version, with their pages.
    pub fn examples_of(
        &self,
        operation: &str,
    ) -> &[(&'a crate::ir::Operation, &'a crate::ir::Example)] {
        self.examples.get(operation).map_or(&[], Vec::as_slice)
    }

    /// Which features compile each type of this version.
    pub fn features_of_types(&self) -> &types::TypeFeatures {
        self.features_of_types
            .get_or_init(|| types::TypeFeatures::of_version(self.api, &self.version.name))
    }

    /// The features that compile a type's file: those of the areas that
    /// use it, and `all-types`.
    pub fn type_features(&self, name: &str) -> BTreeSet<String> {
        self.features_of_types().file(name)
    }
}

/// One file of a version's part of the crate.
enum VersionFile<'a> {
    /// `paths.rs`: the fluent tree.
    Paths,
    /// `operations/mod.rs`.
    OperationIndex,
    /// `models/mod.rs`.
    ModelIndex,
    /// The version's `mod.rs`.
    Module,
    Model(&'a TypeDef),
    Operation(&'a crate::ir::Operation, &'a crate::ir::OperationVersion),
}

/// The types a version has.
fn types_of<'a>(api: &'a Api, ctx: &VersionContext) -> Vec<&'a TypeDef> {
    api.types
        .iter()
        .filter(|t| t.versions.contains(&ctx.version.name))
        .collect()
}

/// `operations/mod.rs` of a version: each operation's module behind its
/// area's feature.
fn operations_index(ctx: &VersionContext) -> Result<GeneratedFile, EmitError> {
    let api = ctx.api;
    let version = ctx.version;
    let mut operation_items = Vec::new();
    for operation in &api.operations {
        let Some(v) = operation.version(&version.name) else {
            continue;
        };
        let module = ident(&operation.name.snake);
        let mut exports = vec![ident(&operation.name.pascal)];
        if v.paths.len() > 1 {
            exports.push(quote::format_ident!("{}Path", operation.name.pascal));
        }
        if matches!(
            v.body,
            Some(crate::ir::Body::Parameters { .. })
                | Some(crate::ir::Body::Typed {
                    update: Some(_),
                    ..
                })
        ) {
            exports.push(quote::format_ident!("{}Body", operation.name.pascal));
        }
        let area = api.area(&operation.area).expect("validated area");
        let cfg = feature_cfg(&BTreeSet::from([area.feature.clone()]));
        operation_items.push(quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::{#(#exports),*};
        });
    }
    let operations_doc = types::inner_doc(&format!(
        "The operations of Microsoft Graph {}: one type per documented operation,\neach behind the feature of its area.",
        version.name
    ));
    Ok(GeneratedFile {
        path: format!("src/{}/operations/mod.rs", version.module),
        contents: rust_file(
            None,
            quote! {
                #operations_doc
                #![allow(deprecated)]
                #(#operation_items)*
            },
        )?,
        source: None,
    })
}

/// The fluent tree of each version, by version name.
pub(crate) fn trees(api: &Api) -> Vec<(String, Tree)> {
    api.versions
        .iter()
        .map(|v| (v.name.clone(), Tree::build(api, &v.name)))
        .collect()
}

/// Every file of the Rust crate.
pub fn emit(api: &Api) -> Result<Vec<GeneratedFile>, EmitError> {
    let trees = trees(api);
    let mut programs = examples::emit(api, &trees)?;
    programs.extend(api.programs.iter().map(examples::ExampleProgram::from_spec));
    let mut files = vec![
        cargo_toml(api, &programs),
        readme(api, &programs),
        lib_rs(api)?,
        rustfmt_toml(),
    ];
    files.extend(
        programs
            .into_iter()
            .map(examples::ExampleProgram::into_file),
    );
    files.extend(request_tests::emit(api)?);
    files.extend(example_tests::emit(api, &trees)?);
    // Every file of every version in one pool: the few large files (the
    // fluent tree, the indexes) first, so that no core waits for one of
    // them at the end.
    let contexts: Vec<VersionContext> = api
        .versions
        .iter()
        .map(|version| VersionContext::new(api, version))
        .collect();
    let mut jobs: Vec<(usize, VersionFile)> = Vec::new();
    for (i, ctx) in contexts.iter().enumerate() {
        jobs.extend(
            [
                VersionFile::Paths,
                VersionFile::OperationIndex,
                VersionFile::ModelIndex,
                VersionFile::Module,
            ]
            .map(|file| (i, file)),
        );
        jobs.extend(
            types_of(api, ctx)
                .into_iter()
                .map(|def| (i, VersionFile::Model(def))),
        );
    }
    for (i, ctx) in contexts.iter().enumerate() {
        jobs.extend(
            api.operations
                .iter()
                .filter_map(|o| o.version(&ctx.version.name).map(|v| (o, v)))
                .map(|(o, v)| (i, VersionFile::Operation(o, v))),
        );
    }
    for file in crate::parallel::map(&jobs, |(i, job)| {
        let ctx = &contexts[*i];
        let tree = &trees[*i].1;
        match job {
            VersionFile::Paths => navigation::emit_paths(ctx, tree),
            VersionFile::OperationIndex => operations_index(ctx),
            VersionFile::ModelIndex => models::emit_index(ctx, &types_of(api, ctx)),
            VersionFile::Module => version_mod(ctx),
            VersionFile::Model(def) => models::emit_type(ctx, def),
            VersionFile::Operation(operation, v) => {
                operations::emit_operation(ctx, tree, operation, v)
            }
        }
    }) {
        files.push(file?);
    }
    Ok(files)
}

fn version_mod(ctx: &VersionContext) -> Result<GeneratedFile, EmitError> {
    let mut text = format!(
        "Microsoft Graph {} (`{}`).",
        ctx.version.name, ctx.version.base_path
    );
    if let Some(d) = &ctx.version.description {
        text.push_str(&format!("\n\n{}", types::prose(d.trim())));
    }
    let module = &ctx.version.module;
    text.push_str(&format!(
        "\n\nStart from [`crate::GraphClient`]; [`operations`](crate::{module}::operations) has the sans-IO\noperations, [`models`](crate::{module}::models) the types."
    ));
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let tokens = quote! {
        #(#lines)*
        pub mod models;
        pub mod operations;
        pub mod paths;
    };
    Ok(GeneratedFile {
        path: format!("src/{}/mod.rs", ctx.version.module),
        contents: rust_file(None, tokens)?,
        source: None,
    })
}

fn lib_rs(api: &Api) -> Result<GeneratedFile, EmitError> {
    let versions = api.versions.iter().map(|v| {
        let module = ident(&v.module);
        let feature = &v.module;
        let text = format!("Microsoft Graph {}. Needs the `{feature}` feature.", v.name);
        let module_doc = doc(&text);
        quote! {
            #[cfg(feature = #feature)]
            #module_doc
            pub mod #module;
        }
    });
    let accessors = api.versions.iter().map(|v| {
        let module = ident(&v.module);
        let feature = &v.module;
        let text = format!("Microsoft Graph {}: `{}`.", v.name, v.base_path);
        let method_doc = doc(&text);
        quote! {
            #[cfg(feature = #feature)]
            #method_doc
            pub fn #module(&self) -> #module::paths::Root<'_> {
                #module::paths::Root::new(&self.client)
            }
        }
    });
    let crate_doc = format!(
        " A typed client for Microsoft Graph, generated from the documented operations\n in `specs/`.\n\n \
         Every operation says which permissions it needs, in which national clouds\n it exists, and what \
         the reference page requires of the caller; see the\n operation types under each version's `operations` module.\n\n \
         ```no_run\n # async fn run() -> Result<(), {CRATE_IDENT}::Error> {{\n use {CRATE_IDENT}::{{Client, GraphClient, StaticToken}};\n\n \
         let client = GraphClient::new(\n     Client::builder().token_provider(StaticToken::new(\"eyJ0...\")).build()?,\n );\n # let _ = client;\n # Ok(())\n # }}\n ```\n\n \
         Models and request bodies are built in one expression: `new(...)` takes\n what the page requires, and a setter per property sets the rest\n (`Identity::new().id(\"...\")`). Dates, times, durations and GUIDs are\n [`runtime::values`] types that keep Graph's text and read it with `jiff`\n and `uuid` on demand.\n\n \
         Features: one per API version (`v1_0`, `beta`) and one per resource area\n ({}); a consumer compiles only what it enables. `reqwest` (default)\n brings the default transport.",
        api.areas.iter().map(|a| format!("`{}`", a.feature)).collect::<Vec<_>>().join(", ")
    );
    let crate_doc_lines = crate_doc.lines().map(|l| quote!(#![doc = #l]));
    let tokens = quote! {
        #(#crate_doc_lines)*
        #![deny(missing_docs)]

        pub use msgraph_runtime as runtime;
        pub use msgraph_runtime::{
            AccessToken, Batch, BatchOutputs, Client, ClientBuilder, Cloud, Endpoint, Error,
            GraphError, Operation, OperationExt, OperationMetadata, Page, PermissionSet,
            PermissionType, Permissions, Request, Response, RetryPolicy, StaticToken,
            TokenProvider, TokenRequest,
        };
        /// Sign-in with any Azure SDK credential. Needs the `azure` feature.
        #[cfg(feature = "azure")]
        pub use msgraph_runtime::AzureCredential;
        /// A mock transport for the application's own tests. Needs the `testing` feature.
        #[cfg(feature = "testing")]
        pub use msgraph_runtime::testing;

        #(#versions)*

        /// The fluent entry point: `client.v1_0().communications()...`.
        #[derive(Debug, Clone)]
        pub struct GraphClient {
            client: Client,
        }

        impl GraphClient {
            /// Wraps a configured runtime client.
            pub fn new(client: Client) -> Self {
                GraphClient { client }
            }

            /// The runtime client, to send operations built by hand.
            pub fn runtime(&self) -> &Client {
                &self.client
            }

            #(#accessors)*
        }

        impl From<Client> for GraphClient {
            fn from(client: Client) -> Self {
                GraphClient::new(client)
            }
        }
    };
    Ok(GeneratedFile {
        path: "src/lib.rs".to_owned(),
        contents: rust_file(None, tokens)?,
        source: None,
    })
}

/// Keeps `cargo fmt` off the generated crate: its bytes are the generator's,
/// and `graphgen check` compares them exactly.
fn rustfmt_toml() -> GeneratedFile {
    GeneratedFile {
        path: "rustfmt.toml".to_owned(),
        contents: format!(
            "# @generated by graphgen. The generated crate is formatted by the generator\n\
             # (prettyplease), and `{REGENERATE}` rewrites it; rustfmt leaves it alone.\n\
             disable_all_formatting = true\n"
        ),
        source: None,
    }
}

fn cargo_toml(api: &Api, programs: &[examples::ExampleProgram]) -> GeneratedFile {
    let mut features = vec!["reqwest".to_owned()];
    features.extend(api.versions.iter().map(|v| v.module.clone()));
    features.extend(api.areas.iter().map(|a| a.feature.clone()));
    features.push(types::ALL_TYPES_FEATURE.to_owned());
    let default = features
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut feature_lines = String::new();
    feature_lines.push_str(
        "# The default transport (reqwest with rustls).\nreqwest = [\"msgraph-runtime/reqwest\"]\n# Sign-in with any Azure SDK credential (azure_identity), through azure_core.\nazure = [\"msgraph-runtime/azure\"]\n# A mock transport that records requests, for the application's tests.\ntesting = [\"msgraph-runtime/testing\"]\n",
    );
    for v in &api.versions {
        feature_lines.push_str(&format!(
            "# Microsoft Graph {}.\n{} = []\n",
            v.name, v.module
        ));
    }
    for a in &api.areas {
        feature_lines.push_str(&format!("# {}.\n{} = []\n", a.title, a.feature));
    }
    feature_lines.push_str(&format!(
        "# Every type of the enabled versions, also those no operation of an enabled area\n\
         # uses (an area compiles the types its operations send and receive).\n{} = []\n",
        types::ALL_TYPES_FEATURE
    ));
    // Each example builds only with the features of what it calls.
    let mut example_lines = String::new();
    for program in programs {
        let features: Vec<String> = program
            .features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect();
        example_lines.push_str(&format!(
            "\n[[example]]\nname = \"{}\"\nrequired-features = [{}]\n",
            program.name,
            features.join(", ")
        ));
    }
    let contents = format!(
        r#"# @generated by graphgen from the specs in specs/.
# Do not edit: change the specs and run `{REGENERATE}`.

[package]
name = "{CRATE_NAME}"
version = "0.1.0"
description = "A typed Rust client for Microsoft Graph, generated from its documented operations, with the permissions each call needs."
edition = "2021"
rust-version = "1.85"
license = "MIT OR Apache-2.0"
repository = "https://github.com/graphgen-rs/graphgen"
readme = "README.md"
keywords = ["microsoft-graph", "graph", "api", "client", "office365"]
categories = ["api-bindings", "web-programming::http-client"]

[features]
default = [{default}]
{feature_lines}
[dependencies]
msgraph-runtime = {{ path = "../runtime", version = "0.1.0", default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[dev-dependencies]
tokio = {{ version = "1", default-features = false, features = ["macros", "rt"] }}

[package.metadata.docs.rs]
all-features = true
{example_lines}"#
    );
    GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents,
        source: None,
    }
}

fn readme(api: &Api, programs: &[examples::ExampleProgram]) -> GeneratedFile {
    let mut out = format!(
        "<!-- @generated by graphgen from the specs in specs/. Do not edit: change the specs and run `{REGENERATE}`. -->\n\n\
         # {CRATE_NAME}\n\n\
         A typed Rust client for {title}, generated from the documented operations in\n\
         `specs/`. Each operation carries the permissions its reference page lists, the\n\
         national clouds it exists in, and the page's conditions, in its rustdoc and as\n\
         constants (`Operation::METADATA`).\n\n\
         ```rust,no_run\n\
         use {CRATE_IDENT}::{{Client, GraphClient, StaticToken}};\n\n\
         # async fn run() -> Result<(), {CRATE_IDENT}::Error> {{\n\
         let client = GraphClient::new(Client::builder().token_provider(StaticToken::new(\"eyJ0...\")).build()?);\n\
         client\n    .v1_0()\n    .communications()\n    .calls(\"call-id\")\n    .participants(\"participant-id\")\n    .delete()\n    .await?;\n\
         # Ok(())\n# }}\n\
         ```\n\n\
         ## Features\n\n\
         | feature | what it compiles |\n|---|---|\n\
         | `reqwest` (default) | the default HTTP transport |\n\
         | `azure` | `AzureCredential`: sign in with any Azure SDK credential (`azure_identity`), the scope following the client's cloud |\n\
         | `testing` | `testing::MockTransport`: record requests and answer them in the application's own tests |\n",
        title = api.service.title
    );
    for v in &api.versions {
        out.push_str(&format!(
            "| `{}` | Microsoft Graph {} |\n",
            v.module, v.name
        ));
    }
    for a in &api.areas {
        let count = api
            .operations
            .iter()
            .filter(|o| o.area == a.name.documented)
            .count();
        out.push_str(&format!(
            "| `{}` | {} ({count} operations) |\n",
            a.feature, a.title
        ));
    }
    out.push_str(
        "\nEverything is on by default. For the smallest build, turn defaults off and\n\
         name the version and areas you call:\n\n\
         ```toml\n\
         msgraph-client = { version = \"0.1\", default-features = false, features = [\"reqwest\", \"v1_0\", \"calls\"] }\n\
         ```\n\n\
         The calls are `async`: run them on tokio (reqwest, the default transport,\n\
         needs it). `#[tokio::main]` needs these features:\n\n\
         ```toml\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\
         ```\n\n\
         or `[\"macros\", \"rt\"]` with `#[tokio::main(flavor = \"current_thread\")]`, as the\n\
         examples do.\n\n",
    );
    if !programs.is_empty() {
        out.push_str("## Examples\n\n| example | what it shows | features |\n|---|---|---|\n");
        for program in programs {
            out.push_str(&format!(
                "| [`{name}`](examples/{name}.rs) | {} | `{}` |\n",
                program.summary,
                program.features.join("`, `"),
                name = program.name
            ));
        }
        out.push_str(
            "\nRun one with `GRAPH_TOKEN=<access token> cargo run --example <name> -- <values>`;\n\
             without its values it prints what it needs.\n\n",
        );
    }
    out.push_str(
        "\
         ## Operations\n\n\
         | operation | versions | area |\n|---|---|---|\n",
    );
    for o in &api.operations {
        let versions: Vec<&str> = o.versions.iter().map(|v| v.version.as_str()).collect();
        out.push_str(&format!(
            "| `{}` ({}) | {} | {} |\n",
            o.name.pascal,
            o.title,
            versions.join(", "),
            o.area
        ));
    }
    GeneratedFile {
        path: "README.md".to_owned(),
        contents: out,
        source: None,
    }
}
