//! `paths.rs` of a version: the navigation types of the fluent client, one
//! per node of the path trie, with the accessors between them. The methods
//! that send requests are in each operation's file.

use quote::quote;

use super::fluent::{Tree, ROOT};
use super::types::{doc, feature_cfg, ident, inner_doc, prose};
use super::VersionContext;
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};

pub(crate) fn emit_paths(ctx: &VersionContext, tree: &Tree) -> Result<GeneratedFile, EmitError> {
    let reachable = tree.reachable();
    let items = tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(index, _)| reachable[*index])
        .map(|(index, node)| {
            let name = ident(&node.name);
            let cfg = feature_cfg(&node.features);
            let fields = node.params.iter().map(|(field, _)| {
                let field = ident(field);
                quote!(pub(crate) #field: String,)
            });
            let text = if index == ROOT {
                format!(
                    "The root of Microsoft Graph {}: `{}`. Each method is a URL segment.",
                    ctx.version.name, ctx.version.base_path
                )
            } else {
                format!("`{}{}`.", ctx.version.base_path, node.display)
            };
            let node_doc = doc(&text);
            let accessors = tree.accessors(index).iter().map(|accessor| {
                let method = ident(&accessor.name);
                let target = &tree.nodes[accessor.target];
                let target_type = ident(&target.name);
                let target_cfg = if target.features == node.features {
                    quote!()
                } else {
                    feature_cfg(&target.features)
                };
                let params = accessor.args.iter().map(|(field, _)| {
                    let field = ident(field);
                    quote!(#field: impl Into<String>)
                });
                let inherited = node.params.iter().map(|(field, _)| {
                    let field = ident(field);
                    quote!(#field: self.#field.clone(),)
                });
                let new = accessor.args.iter().map(|(field, _)| {
                    let field = ident(field);
                    quote!(#field: #field.into(),)
                });
                let mut text = format!("`{}{}`", ctx.version.base_path, target.display);
                if !accessor.args.is_empty() {
                    let names: Vec<String> = accessor
                        .args
                        .iter()
                        .map(|(_, d)| format!("`{d}`"))
                        .collect();
                    text.push_str(&format!(", with {}", names.join(" and ")));
                }
                text.push('.');
                if let Some(note) = &target.deprecated {
                    text.push_str(&format!("\n\n**Deprecated:** {}", prose(note)));
                }
                let method_doc = doc(&text);
                // Only where the chain enters the deprecated paths: rustc
                // warns once per marked call, and one is enough.
                let deprecated = match (&target.deprecated, &node.deprecated) {
                    (Some(note), None) => quote!(#[deprecated(note = #note)]),
                    _ => quote!(),
                };
                quote! {
                    #method_doc
                    #deprecated
                    #target_cfg
                    #[inline]
                    pub fn #method(&self, #(#params),*) -> #target_type<'a> {
                        #target_type {
                            client: self.client,
                            #(#inherited)*
                            #(#new)*
                        }
                    }
                }
            });
            let constructor = if index == ROOT {
                quote! {
                    #[inline]
                    pub(crate) fn new(client: &'a rt::Client) -> Self {
                        Self { client }
                    }

                    /// The client requests are sent with.
                    #[inline]
                    pub fn client(&self) -> &'a rt::Client {
                        self.client
                    }
                }
            } else {
                quote!()
            };
            quote! {
                #node_doc
                #cfg
                #[derive(Debug, Clone)]
                pub struct #name<'a> {
                    pub(crate) client: &'a rt::Client,
                    #(#fields)*
                }

                #cfg
                impl<'a> #name<'a> {
                    #constructor
                    #(#accessors)*
                }
            }
        });
    let module_doc = inner_doc(&format!(
        "The fluent client of Microsoft Graph {}: navigation types that mirror\nthe URL, from [`Root`] down.",
        ctx.version.name
    ));
    let tokens = quote! {
        #module_doc
        #![allow(deprecated)]

        use msgraph_runtime as rt;

        #(#items)*
    };
    Ok(GeneratedFile {
        path: format!("src/{}/paths.rs", ctx.version.module),
        contents: rust_file(None, tokens)?,
        source: None,
    })
}
