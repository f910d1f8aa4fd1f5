//! The fluent client: a trie of every path of a version. Each node becomes a
//! navigation type, each edge an accessor named after the URL segment, so
//! `/communications/calls/{callId}/participants/{participantId}` reads
//! `.communications().calls(call_id).participants(participant_id)`.
//!
//! A literal segment followed by an id is one accessor taking the id
//! (`calls(call_id)`); when the collection itself has operations or other
//! children, it is reached by `<segment>_collection()`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Segment, SegmentPart};
use crate::naming::{dedupe, pascal_ident, snake_ident, Form, Name};

/// One path prefix.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub parent: Option<usize>,
    pub segment: Option<Segment>,
    pub children: BTreeMap<String, usize>,
    /// The path parameters up to here, in order: (rust field, documented name).
    pub params: Vec<(String, String)>,
    /// The navigation type's name.
    pub name: String,
    /// The area features of the operations at or below.
    pub features: BTreeSet<String>,
    /// The operations (by documented name, path index) at this node.
    pub terminals: Vec<(String, usize)>,
    /// Set when every path at or below is deprecated: the note of one.
    pub deprecated: Option<String>,
    /// The path as the docs write it: `/communications/calls/{callId}`.
    pub display: String,
}

/// A method that goes from a node to another.
#[derive(Debug, Clone)]
pub(crate) struct Accessor {
    pub name: String,
    pub target: usize,
    /// The parameters it takes: (rust name, documented name).
    pub args: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    /// (operation, path index) -> node.
    pub terminals: BTreeMap<(String, usize), usize>,
    /// Each node's accessors, computed once: every example's call chain
    /// walks them, and a node can have thousands of children.
    accessors: Vec<Vec<Accessor>>,
}

pub(crate) const ROOT: usize = 0;

/// A segment's shape: parameter names blanked, so `{callId}` and `{id}` at
/// the same place share a node.
fn shape(segment: &Segment) -> String {
    segment
        .parts
        .iter()
        .map(|p| match p {
            SegmentPart::Literal(text) => text.clone(),
            SegmentPart::Parameter(_) => "{}".to_owned(),
        })
        .collect()
}

fn literal_words(segment: &Segment) -> String {
    let text: String = segment
        .parts
        .iter()
        .filter_map(|p| match p {
            SegmentPart::Literal(text) => Some(text.as_str()),
            SegmentPart::Parameter(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    // `getPstnCalls(fromDateTime=` names the accessor `get_pstn_calls`.
    let words = text.split('(').next().unwrap_or("");
    // Colon addressing (`root:`, `{itemPath}:`): the colon names nothing,
    // so a segment of a parameter and a colon is named after the parameter.
    let words: String = words
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    if words.trim().is_empty() {
        segment.parameters().collect::<Vec<_>>().join(" ")
    } else {
        words.trim().to_owned()
    }
}

impl Tree {
    pub fn build(api: &Api, version: &str) -> Tree {
        let mut nodes = vec![Node {
            parent: None,
            segment: None,
            children: BTreeMap::new(),
            params: Vec::new(),
            name: "Root".to_owned(),
            features: BTreeSet::new(),
            terminals: Vec::new(),
            deprecated: None,
            display: String::new(),
        }];
        let mut terminals = BTreeMap::new();
        let mut deprecated_paths: Vec<(usize, Option<String>)> = Vec::new();
        for operation in &api.operations {
            let Some(v) = operation.version(version) else {
                continue;
            };
            let feature = api
                .area(&operation.area)
                .map(|a| a.feature.clone())
                .unwrap_or_default();
            for (index, path) in v.paths.iter().enumerate() {
                let mut current = ROOT;
                for segment in &path.segments {
                    let key = shape(segment);
                    current = match nodes[current].children.get(&key) {
                        Some(&child) => child,
                        None => {
                            let mut params = nodes[current].params.clone();
                            for name in segment.parameters() {
                                let parameter =
                                    v.parameters.iter().find(|p| p.name.documented == name);
                                let field = parameter
                                    .map_or_else(|| snake_ident(name), |p| p.name.snake.clone());
                                params.push((field, name.to_owned()));
                            }
                            let display =
                                format!("{}/{}", nodes[current].display, segment_display(segment));
                            let word = match segment.sole_parameter() {
                                Some(_) => "Item".to_owned(),
                                None => pascal_ident(&literal_words(segment)),
                            };
                            let name = if current == ROOT {
                                word
                            } else {
                                format!("{}{word}", nodes[current].name)
                            };
                            nodes.push(Node {
                                parent: Some(current),
                                segment: Some(segment.clone()),
                                children: BTreeMap::new(),
                                params,
                                name,
                                features: BTreeSet::new(),
                                terminals: Vec::new(),
                                deprecated: None,
                                display,
                            });
                            let child = nodes.len() - 1;
                            nodes[current].children.insert(key, child);
                            child
                        }
                    };
                    nodes[current].features.insert(feature.clone());
                }
                nodes[current]
                    .terminals
                    .push((operation.name.documented.clone(), index));
                terminals.insert((operation.name.documented.clone(), index), current);
                deprecated_paths.push((current, path.deprecated.as_ref().map(|d| d.note.clone())));
            }
        }
        // A node is deprecated when every path at or below it is.
        let mut all_deprecated: Vec<Option<Option<String>>> = vec![None; nodes.len()];
        for (node, note) in deprecated_paths {
            let mut current = Some(node);
            while let Some(n) = current {
                all_deprecated[n] = match (&all_deprecated[n], &note) {
                    (None, Some(note)) => Some(Some(note.clone())),
                    (None, None) => Some(None),
                    (Some(Some(existing)), Some(_)) => Some(Some(existing.clone())),
                    (Some(_), _) => Some(None),
                };
                current = nodes[n].parent;
            }
        }
        for (node, state) in nodes.iter_mut().zip(all_deprecated) {
            node.deprecated = state.flatten();
        }
        let mut names: Vec<Name> = nodes
            .iter()
            .map(|n| Name {
                documented: n.display.clone(),
                snake: String::new(),
                pascal: n.name.clone(),
            })
            .collect();
        dedupe(&mut names, Form::Pascal, &[]);
        for (node, name) in nodes.iter_mut().zip(names) {
            node.name = name.pascal;
        }
        let mut tree = Tree {
            nodes,
            terminals,
            accessors: Vec::new(),
        };
        tree.accessors = (0..tree.nodes.len())
            .map(|n| tree.compute_accessors(n))
            .collect();
        tree
    }

    /// The methods of a node that lead to other nodes, with unique names.
    pub fn accessors(&self, node: usize) -> &[Accessor] {
        &self.accessors[node]
    }

    /// Whether a node can be reached: the root, or the target of an accessor.
    /// (A collection whose only child is its item is reached over it.)
    pub fn reachable(&self) -> Vec<bool> {
        let mut reachable = vec![false; self.nodes.len()];
        reachable[ROOT] = true;
        for index in 0..self.nodes.len() {
            for accessor in self.accessors(index) {
                reachable[accessor.target] = true;
            }
        }
        reachable
    }

    fn compute_accessors(&self, node: usize) -> Vec<Accessor> {
        let mut out = Vec::new();
        for (key, &child) in &self.nodes[node].children {
            let child_node = &self.nodes[child];
            let segment = child_node.segment.as_ref().expect("children have segments");
            let new_params =
                |target: usize| self.nodes[target].params[self.nodes[node].params.len()..].to_vec();
            if key == "{}" {
                out.push(Accessor {
                    name: "item".to_owned(),
                    target: child,
                    args: new_params(child),
                });
            } else if segment.literal().is_some() {
                let name = snake_ident(&literal_words(segment));
                match child_node.children.get("{}") {
                    Some(&item) => {
                        out.push(Accessor {
                            name: name.clone(),
                            target: item,
                            args: new_params(item),
                        });
                        if !child_node.terminals.is_empty() || child_node.children.len() > 1 {
                            out.push(Accessor {
                                name: format!("{}_collection", name.trim_start_matches("r#")),
                                target: child,
                                args: Vec::new(),
                            });
                        }
                    }
                    None => out.push(Accessor {
                        name,
                        target: child,
                        args: Vec::new(),
                    }),
                }
            } else {
                out.push(Accessor {
                    name: snake_ident(&literal_words(segment)),
                    target: child,
                    args: new_params(child),
                });
            }
        }
        // Terminal methods are named after HTTP methods: keep those free.
        let mut names: Vec<Name> = out
            .iter()
            .map(|a| Name {
                documented: a.name.clone(),
                snake: a.name.clone(),
                pascal: String::new(),
            })
            .collect();
        dedupe(
            &mut names,
            Form::Snake,
            &["get", "post", "put", "patch", "delete"],
        );
        for (accessor, name) in out.iter_mut().zip(names) {
            accessor.name = name.snake;
        }
        out
    }

    /// The operation's names for a node's values: a node is shared by every
    /// path of its shape, and holds its values under the names of the path
    /// that made it; another page may name the same places otherwise
    /// (`{usersId}` beside `{userId}`). Values match by place: the node's
    /// documented names, in path order, to the path's.
    pub fn names_for(
        &self,
        node: usize,
        path: &crate::ir::PathTemplate,
    ) -> BTreeMap<String, String> {
        let query: BTreeSet<&str> = path.query_parameters().collect();
        let own: Vec<&str> = path.parameters().filter(|n| !query.contains(n)).collect();
        let held = &self.nodes[node].params;
        let mut names = BTreeMap::new();
        if held.len() == own.len() {
            for ((_, documented), name) in held.iter().zip(own) {
                names.insert(documented.clone(), name.to_owned());
            }
        }
        names
    }

    /// The accessor calls from the root to `node`, with each parameter's
    /// value written by `value(documented name)`: `.communications().calls("x")`.
    pub fn chain(&self, node: usize, value: &dyn Fn(&str) -> String) -> String {
        let mut path = vec![node];
        while let Some(parent) = self.nodes[*path.last().expect("not empty")].parent {
            path.push(parent);
        }
        path.reverse();
        let mut out = String::new();
        let mut at = 0;
        while path[at] != node {
            // The accessor that goes furthest along the path: `calls(id)`
            // over `calls_collection().item(id)`.
            let Some((position, accessor)) = self
                .accessors(path[at])
                .iter()
                .filter_map(|a| path.iter().position(|&n| n == a.target).map(|p| (p, a)))
                .filter(|(p, _)| *p > at)
                .max_by_key(|(p, _)| *p)
            else {
                break;
            };
            let args: Vec<String> = accessor
                .args
                .iter()
                .map(|(_, documented)| value(documented))
                .collect();
            out.push_str(&format!(".{}({})", accessor.name, args.join(", ")));
            at = position;
        }
        out
    }
}

/// A segment as the docs write it: `{callId}`, `getPstnCalls(fromDateTime={fromDateTime})`.
pub(crate) fn segment_display(segment: &Segment) -> String {
    segment
        .parts
        .iter()
        .map(|p| match p {
            SegmentPart::Literal(text) => text.clone(),
            SegmentPart::Parameter(name) => format!("{{{name}}}"),
        })
        .collect()
}
