//! Positions of the keys and values of a YAML document, by their path.
//!
//! serde_yaml tells where its own errors are, but not where a value that
//! deserialized fine lives; semantic checks need that to point at the line a
//! spec author must fix. This walks yaml-rust2's event stream once and records
//! the position of every mapping key and every value. It also catches what
//! serde would silently accept: a key written twice in one mapping.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Position;

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

/// Where each node of one document is.
#[derive(Debug, Default)]
pub struct Locator {
    keys: HashMap<NodePath, Position>,
    values: HashMap<NodePath, Position>,
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
}

impl Locator {
    /// Reads a document. Syntax errors and duplicate keys are returned as
    /// problems; the locator still holds what was read before them.
    pub fn read(text: &str) -> (Locator, Vec<LocateProblem>) {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let mut problems = Vec::new();
        if let Err(error) = parser.load(&mut builder, false) {
            problems.push(LocateProblem::Syntax {
                position: to_position(error.marker()),
                message: error.info().to_owned(),
            });
        }
        problems.extend(builder.problems);
        (builder.locator, problems)
    }

    /// The position of the key that names the node at `path`, or of its
    /// nearest located ancestor.
    pub fn key(&self, path: &[PathSegment]) -> Position {
        self.find(&self.keys, path)
    }

    /// The position of the value at `path`, or of its nearest located ancestor.
    pub fn value(&self, path: &[PathSegment]) -> Position {
        self.find(&self.values, path)
    }

    /// Whether a value was written at exactly this path.
    pub fn has(&self, path: &[PathSegment]) -> bool {
        self.values.contains_key(path)
    }

    fn find(&self, table: &HashMap<NodePath, Position>, path: &[PathSegment]) -> Position {
        // Values reached through an alias have no position of their own:
        // point at the nearest ancestor that was written out.
        (0..=path.len())
            .rev()
            .find_map(|len| {
                table
                    .get(&path[..len])
                    .or_else(|| self.values.get(&path[..len]))
            })
            .copied()
            .unwrap_or(Position::START)
    }
}

fn to_position(marker: &Marker) -> Position {
    Position::new(marker.line(), marker.col() + 1)
}

enum Frame {
    Mapping {
        path: NodePath,
        pending_key: Option<String>,
        seen: HashMap<String, Position>,
    },
    Sequence {
        path: NodePath,
        next_index: usize,
    },
}

#[derive(Default)]
struct Builder {
    locator: Locator,
    stack: Vec<Frame>,
    problems: Vec<LocateProblem>,
    reported: HashSet<(usize, usize)>,
}

impl Builder {
    /// Records a node that starts at `position`, returning its path when it
    /// is a value (keys return `None`).
    fn place_node(&mut self, position: Position, scalar_key: Option<&str>) -> Option<NodePath> {
        match self.stack.last_mut() {
            None => {
                self.locator.values.insert(Vec::new(), position);
                Some(Vec::new())
            }
            Some(Frame::Sequence { path, next_index }) => {
                let mut child = path.clone();
                child.push(PathSegment::Index(*next_index));
                *next_index += 1;
                self.locator.values.insert(child.clone(), position);
                Some(child)
            }
            Some(Frame::Mapping {
                path,
                pending_key,
                seen,
            }) => match pending_key.take() {
                Some(key) => {
                    let mut child = path.clone();
                    child.push(PathSegment::Key(key));
                    self.locator.values.insert(child.clone(), position);
                    Some(child)
                }
                None => {
                    // A key. Complex (non-scalar) keys are not used by specs;
                    // they are named by a placeholder so the walk goes on.
                    let key = scalar_key.unwrap_or("?").to_owned();
                    if let Some(first) = seen.get(&key) {
                        if self.reported.insert((position.line, position.column)) {
                            self.problems.push(LocateProblem::DuplicateKey {
                                key: key.clone(),
                                position,
                                first: *first,
                            });
                        }
                    } else {
                        seen.insert(key.clone(), position);
                    }
                    let mut child = path.clone();
                    child.push(PathSegment::Key(key.clone()));
                    self.locator.keys.insert(child, position);
                    *pending_key = Some(key);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        let position = to_position(&marker);
        match event {
            Event::Scalar(value, ..) => {
                self.place_node(position, Some(&value));
            }
            Event::Alias(_) => {
                self.place_node(position, None);
            }
            Event::MappingStart(..) => {
                let path = self.place_node(position, None);
                self.stack.push(Frame::Mapping {
                    path: path.unwrap_or_default(),
                    pending_key: None,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.place_node(position, None);
                self.stack.push(Frame::Sequence {
                    path: path.unwrap_or_default(),
                    next_index: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
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
}
