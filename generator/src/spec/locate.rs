//! Positions of the keys and values of a YAML document, by their path.
//!
//! serde_yaml tells where its own errors are, but not where a value that
//! deserialized fine lives; semantic checks need that to point at the line a
//! spec author must fix. This walks yaml-rust2's event stream once and records
//! the position of every mapping key and every value. It also catches what
//! serde would silently accept: a key written twice in one mapping.
//!
//! It is also the gate in front of serde_yaml, so it refuses what would make
//! parsing unbounded: nesting deeper than [`MAX_DEPTH`] (deserializing
//! recurses once per level) and aliases that expand the document beyond
//! [`MAX_EXPANDED_NODES`] nodes or [`MAX_EXPANDED_BYTES`] of text (serde_yaml
//! copies an anchor's content at every alias). The walk itself pulls events
//! in a loop, keeps one stack entry per open collection and stores each node
//! once, under its parent: memory and time are linear in the document.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use indexmap::{Equivalent, IndexMap};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Position;

/// The deepest nesting of mappings and sequences a spec may use. The specs
/// use fewer than ten levels; 64 leaves room for deep example bodies while
/// keeping every recursive pass after this one (serde, validation, emission)
/// far from the end of a thread's stack.
pub const MAX_DEPTH: usize = 64;

/// The most nodes a document may hold once its aliases are expanded.
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// The most scalar text a document may hold once its aliases are expanded.
pub const MAX_EXPANDED_BYTES: u64 = 16 * 1024 * 1024;

/// A path into a YAML document: mapping keys and sequence indices.
pub type NodePath = Vec<PathSegment>;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<&String> for PathSegment {
    fn from(key: &String) -> Self {
        PathSegment::Key(key.clone())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

/// Builds a [`NodePath`] from keys and indices: `path!["versions", "beta", "paths", 0]`.
#[macro_export]
macro_rules! node_path {
    ($($segment:expr),* $(,)?) => {{
        // Often only borrowed as a slice; a Vec keeps one type for callers
        // that extend it.
        #[allow(clippy::useless_vec)]
        let path = vec![$($crate::spec::locate::PathSegment::from($segment)),*];
        path
    }};
}

/// A node's index in [`Locator::nodes`]; the root document is 0.
type NodeId = u32;

const ROOT: NodeId = 0;

/// A position packed into 8 bytes (line, column; 0 when absent): a document
/// of a million nodes keeps a million of them.
#[derive(Clone, Copy, Debug, Default)]
struct Packed {
    line: u32,
    column: u32,
}

impl Packed {
    fn new(position: Position) -> Packed {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Packed {
            line: clamp(position.line),
            column: clamp(position.column),
        }
    }

    fn get(self) -> Option<Position> {
        (self.line > 0).then(|| Position::new(self.line as usize, self.column as usize))
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Node {
    key: Packed,
    value: Packed,
}

/// A child of a node, by its segment.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Child {
    parent: NodeId,
    segment: PathSegment,
}

/// Looks up a [`Child`] from a borrowed segment. It hashes exactly as
/// `Child` does (the parent, then the segment), which `Equivalent` needs.
struct ChildRef<'a> {
    parent: NodeId,
    segment: &'a PathSegment,
}

impl Hash for ChildRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parent.hash(state);
        self.segment.hash(state);
    }
}

impl Equivalent<Child> for ChildRef<'_> {
    fn equivalent(&self, key: &Child) -> bool {
        self.parent == key.parent && *self.segment == key.segment
    }
}

/// Where each node of one document is.
#[derive(Debug)]
pub struct Locator {
    nodes: Vec<Node>,
    children: IndexMap<Child, NodeId>,
}

impl Default for Locator {
    fn default() -> Self {
        Locator {
            nodes: vec![Node::default()],
            children: IndexMap::new(),
        }
    }
}

/// A problem the locator found while reading the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocateProblem {
    Syntax {
        position: Position,
        message: String,
    },
    DuplicateKey {
        key: String,
        position: Position,
        first: Position,
    },
    /// A mapping or sequence at `position` opens level `MAX_DEPTH + 1`.
    TooDeep {
        position: Position,
    },
    /// The alias at `position` makes the expanded document exceed a bound.
    AliasExpandsTooMuch {
        position: Position,
        what: Bound,
    },
    /// The alias at `position` names the anchor of a node that contains it.
    RecursiveAlias {
        position: Position,
    },
    /// The node at `position` has a tag (`!!binary`), which specs do not use.
    Tagged {
        position: Position,
        tag: String,
    },
}

/// Which bound an alias expansion passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Nodes,
    Bytes,
}

impl Locator {
    /// Reads a document. Syntax errors and duplicate keys are returned as
    /// problems; the locator still holds what was read before them.
    pub fn read(text: &str) -> (Locator, Vec<LocateProblem>) {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let mut problems = Vec::new();
        // `Parser::load` recurses once per nesting level; pulling events
        // keeps the depth under our control.
        loop {
            match parser.next_token() {
                Err(error) => {
                    let position = to_position(error.marker());
                    // The scanner stops at 256 open brackets, ahead of the
                    // parser: the same problem as too many levels.
                    problems.push(if error.info() == "recursion limit exceeded" {
                        LocateProblem::TooDeep { position }
                    } else {
                        LocateProblem::Syntax {
                            position,
                            message: error.info().to_owned(),
                        }
                    });
                    break;
                }
                // Only the first document: serde_yaml refuses a second one.
                Ok((Event::StreamEnd | Event::DocumentEnd, _)) => break,
                Ok((event, marker)) => {
                    if let Err(problem) = builder.on_event(event, &marker) {
                        problems.push(problem);
                        break;
                    }
                }
            }
        }
        // Duplicate keys first: a fatal problem is found after them.
        builder.problems.extend(problems);
        (builder.locator, builder.problems)
    }

    /// The position of the key that names the node at `path`, or of its
    /// nearest located ancestor.
    pub fn key(&self, path: &[PathSegment]) -> Position {
        self.find(path, |node| node.key)
    }

    /// The position of the value at `path`, or of its nearest located ancestor.
    pub fn value(&self, path: &[PathSegment]) -> Position {
        self.find(path, |node| node.value)
    }

    /// Whether a value was written at exactly this path.
    pub fn has(&self, path: &[PathSegment]) -> bool {
        let chain = self.chain(path);
        chain.len() == path.len() + 1
            && self.nodes[chain[path.len()] as usize].value.get().is_some()
    }

    /// The nodes along `path` from the root, as far as they exist.
    fn chain(&self, path: &[PathSegment]) -> Vec<NodeId> {
        let mut chain = vec![ROOT];
        for segment in path {
            let parent = *chain.last().expect("starts with the root");
            match self.children.get(&ChildRef { parent, segment }) {
                Some(&child) => chain.push(child),
                None => break,
            }
        }
        chain
    }

    fn find(&self, path: &[PathSegment], wanted: impl Fn(&Node) -> Packed) -> Position {
        // Values reached through an alias have no position of their own:
        // point at the nearest ancestor that was written out.
        self.chain(path)
            .iter()
            .rev()
            .find_map(|&id| {
                let node = &self.nodes[id as usize];
                wanted(node).get().or_else(|| node.value.get())
            })
            .unwrap_or(Position::START)
    }

    /// The child of `parent` at `segment`, created when new.
    fn child(&mut self, parent: NodeId, segment: PathSegment) -> NodeId {
        let next = self.nodes.len() as NodeId;
        let id = *self
            .children
            .entry(Child { parent, segment })
            .or_insert(next);
        if id == next {
            self.nodes.push(Node::default());
        }
        id
    }

    /// A node no path reaches: the contents of a complex (non-scalar) key.
    fn orphan(&mut self) -> NodeId {
        self.nodes.push(Node::default());
        (self.nodes.len() - 1) as NodeId
    }
}

/// A tag as it was written: `!!binary` for the YAML types, `!name` for
/// local ones.
fn written_tag(tag: &Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
}

fn to_position(marker: &Marker) -> Position {
    Position::new(marker.line(), marker.col() + 1)
}

enum FrameKind {
    Mapping {
        pending_key: Option<String>,
        seen: HashMap<String, Position>,
    },
    Sequence {
        next_index: usize,
    },
}

struct Frame {
    node: NodeId,
    kind: FrameKind,
    /// The anchor of this collection (0: none), and the expanded totals when
    /// it opened: its own size is the difference when it closes.
    anchor: usize,
    nodes_before: u64,
    bytes_before: u64,
}

#[derive(Default)]
struct Builder {
    locator: Locator,
    stack: Vec<Frame>,
    problems: Vec<LocateProblem>,
    /// Nodes and scalar bytes of the document with every alias expanded.
    nodes: u64,
    bytes: u64,
    /// The expanded size of each closed anchor, by anchor id.
    anchors: HashMap<usize, (u64, u64)>,
}

impl Builder {
    /// Records a node that starts at `position` and returns its id: a value's
    /// node, or for a complex key a node no path reaches.
    fn place_node(&mut self, position: Position, scalar_key: Option<&str>) -> NodeId {
        let packed = Packed::new(position);
        let Some(frame) = self.stack.last_mut() else {
            self.locator.nodes[ROOT as usize].value = packed;
            return ROOT;
        };
        let parent = frame.node;
        match &mut frame.kind {
            FrameKind::Sequence { next_index } => {
                let index = *next_index;
                *next_index += 1;
                let id = self.locator.child(parent, PathSegment::Index(index));
                self.locator.nodes[id as usize].value = packed;
                id
            }
            FrameKind::Mapping { pending_key, seen } => match pending_key.take() {
                Some(key) => {
                    let id = self.locator.child(parent, PathSegment::Key(key));
                    self.locator.nodes[id as usize].value = packed;
                    id
                }
                None => {
                    // A key. Complex (non-scalar) keys are not used by specs;
                    // they are named by a placeholder so the walk goes on.
                    let key = scalar_key.unwrap_or("?").to_owned();
                    match seen.get(&key) {
                        Some(first) => self.problems.push(LocateProblem::DuplicateKey {
                            key: key.clone(),
                            position,
                            first: *first,
                        }),
                        None => {
                            seen.insert(key.clone(), position);
                        }
                    }
                    *pending_key = Some(key.clone());
                    let id = self.locator.child(parent, PathSegment::Key(key));
                    self.locator.nodes[id as usize].key = packed;
                    if scalar_key.is_some() {
                        id
                    } else {
                        self.locator.orphan()
                    }
                }
            },
        }
    }

    /// Adds an alias's expansion to the totals, refusing one that passes a
    /// bound or that names an anchor still open around it.
    fn expand_alias(&mut self, id: usize, position: Position) -> Result<(), LocateProblem> {
        let Some(&(nodes, bytes)) = self.anchors.get(&id) else {
            // The parser resolved the alias, so its anchor is open: the
            // alias is inside the node it repeats, which never ends.
            return Err(LocateProblem::RecursiveAlias { position });
        };
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > MAX_EXPANDED_NODES {
            return Err(LocateProblem::AliasExpandsTooMuch {
                position,
                what: Bound::Nodes,
            });
        }
        if self.bytes > MAX_EXPANDED_BYTES {
            return Err(LocateProblem::AliasExpandsTooMuch {
                position,
                what: Bound::Bytes,
            });
        }
        Ok(())
    }

    fn open(
        &mut self,
        position: Position,
        anchor: usize,
        kind: FrameKind,
    ) -> Result<(), LocateProblem> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(LocateProblem::TooDeep { position });
        }
        let node = self.place_node(position, None);
        self.nodes += 1;
        self.stack.push(Frame {
            node,
            kind,
            anchor,
            nodes_before: self.nodes - 1,
            bytes_before: self.bytes,
        });
        Ok(())
    }

    fn on_event(&mut self, event: Event, marker: &Marker) -> Result<(), LocateProblem> {
        let position = to_position(marker);
        // serde_yaml would drop a tag and keep the text (`!!binary aGk=`
        // would be the string `aGk=`): refused rather than misread.
        if let Event::Scalar(_, _, _, Some(tag))
        | Event::MappingStart(_, Some(tag))
        | Event::SequenceStart(_, Some(tag)) = &event
        {
            return Err(LocateProblem::Tagged {
                position,
                tag: written_tag(tag),
            });
        }
        match event {
            Event::Scalar(value, _, anchor, _) => {
                self.place_node(position, Some(&value));
                self.nodes += 1;
                self.bytes += value.len() as u64;
                if anchor != 0 {
                    self.anchors.insert(anchor, (1, value.len() as u64));
                }
            }
            Event::Alias(id) => {
                self.place_node(position, None);
                self.expand_alias(id, position)?;
            }
            Event::MappingStart(anchor, _) => {
                let kind = FrameKind::Mapping {
                    pending_key: None,
                    seen: HashMap::new(),
                };
                self.open(position, anchor, kind)?;
            }
            Event::SequenceStart(anchor, _) => {
                self.open(position, anchor, FrameKind::Sequence { next_index: 0 })?;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = self.stack.pop() {
                    if frame.anchor != 0 {
                        let size = (
                            self.nodes - frame.nodes_before,
                            self.bytes - frame.bytes_before,
                        );
                        self.anchors.insert(frame.anchor, size);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_values_and_sequence_items() {
        let text = "a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 2\n";
        let (locator, problems) = Locator::read(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(locator.key(&node_path!["b"]), Position::new(2, 1));
        assert_eq!(locator.key(&node_path!["b", "c"]), Position::new(3, 3));
        assert_eq!(
            locator.value(&node_path!["b", "c", 1]),
            Position::new(3, 10)
        );
        assert_eq!(
            locator.key(&node_path!["b", "d", 0, "e"]),
            Position::new(5, 7)
        );
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(locator.key(&node_path!["b", "c", 7]), Position::new(3, 3));
        assert!(locator.has(&node_path!["b", "d", 0]));
        assert!(!locator.has(&node_path!["b", "d", 1]));
    }

    #[test]
    fn reports_duplicate_keys_with_the_first_place() {
        let (_, problems) = Locator::read("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            problems,
            vec![LocateProblem::DuplicateKey {
                key: "a".into(),
                position: Position::new(3, 1),
                first: Position::new(1, 1)
            }]
        );
    }

    #[test]
    fn reports_syntax_errors_with_a_position() {
        let (_, problems) = Locator::read("a: [1, 2\nb: 3\n");
        assert!(matches!(
            problems.as_slice(),
            [LocateProblem::Syntax { .. }]
        ));
    }

    #[test]
    fn stops_at_the_first_level_past_the_limit() {
        let at_limit = "- ".repeat(MAX_DEPTH) + "a";
        assert_eq!(Locator::read(&at_limit).1, []);
        let past = "- ".repeat(MAX_DEPTH + 1) + "a";
        assert_eq!(
            Locator::read(&past).1,
            [LocateProblem::TooDeep {
                position: Position::new(1, 2 * MAX_DEPTH + 1)
            }]
        );
    }

    #[test]
    fn values_reached_through_an_alias_point_at_the_alias() {
        let (locator, problems) = Locator::read("a: &x {b: 1}\nc: *x\n");
        assert_eq!(problems, []);
        assert_eq!(locator.value(&node_path!["c", "b"]), Position::new(2, 4));
    }

    #[test]
    fn refuses_tags() {
        let (_, problems) = Locator::read("a: [x, !!binary aGk=]\n");
        assert_eq!(
            problems,
            [LocateProblem::Tagged {
                position: Position::new(1, 17),
                tag: "!!binary".into()
            }]
        );
        let (_, problems) = Locator::read("a: !local {b: 1}\n");
        assert!(matches!(&problems[..], [LocateProblem::Tagged { tag, .. }] if tag == "!local"));
    }

    #[test]
    fn refuses_an_alias_inside_its_own_anchor() {
        let (_, problems) = Locator::read("a: &x [1, *x]\n");
        assert_eq!(
            problems,
            [LocateProblem::RecursiveAlias {
                position: Position::new(1, 11)
            }]
        );
    }

    #[test]
    fn counts_nested_aliases_at_their_expanded_size() {
        // Ten of ten of ten ... : 10^7 nodes from a few hundred bytes.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..8 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let (_, problems) = Locator::read(&text);
        assert!(
            matches!(
                problems.as_slice(),
                [LocateProblem::AliasExpandsTooMuch {
                    what: Bound::Nodes,
                    ..
                }]
            ),
            "{problems:?}"
        );
    }
}
