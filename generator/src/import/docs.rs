//! A checkout of the Graph docs (`api-reference/{v1.0,beta}/{api,resources}`):
//! finding its pages, reading them with their includes, and the index of the
//! types its resource pages declare.
//!
//! The docs are input like any other: pages are read as regular files of
//! bounded size, never through a link, and an include is followed only when
//! it stays inside the docs root.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use super::markdown::{self, BlockKind, Page};
use super::resource;
use super::typeref::TypeIndex;
use crate::fs_guard;

/// The largest page or include read.
pub const MAX_PAGE_BYTES: u64 = 2 * 1024 * 1024;

/// The API versions the docs keep, in the order specs list them.
pub const VERSIONS: &[&str] = &["v1.0", "beta"];

/// A docs root and what its resource pages declare.
pub struct Docs {
    /// The folder holding `api-reference/`.
    pub root: PathBuf,
    pub versions: BTreeMap<String, VersionDocs>,
}

/// The resource pages of one version.
#[derive(Default)]
pub struct VersionDocs {
    pub index: TypeIndex,
    /// Type name to its page (read) and full OData name.
    pub types: HashMap<String, (PathBuf, Page, String)>,
    /// Enums declared on enum pages (enums.md), with their members.
    pub enums: HashMap<String, Vec<String>>,
    /// Each base type's derived types, read once on first use (see
    /// [`VersionDocs::derived`]).
    derived: std::sync::OnceLock<BTreeMap<String, Vec<String>>>,
}

impl VersionDocs {
    /// Each base type's derived types among the pages, by name: where a
    /// base is used, a derived type may stand. `entity`, the base of every
    /// entity type, is left out: it stands for none. Read once per docs
    /// root, however many drafts (`drift` drafts once per spec).
    pub fn derived(&self) -> &BTreeMap<String, Vec<String>> {
        self.derived.get_or_init(|| {
            let mut names: Vec<&String> = self.types.keys().collect();
            names.sort();
            let mut derived: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for name in names {
                let (_, page, full) = &self.types[name];
                if let Some(base) = resource::read(page, name, full, &self.index).base_type {
                    if base != "entity" {
                        derived.entry(base).or_default().push(name.clone());
                    }
                }
            }
            derived
        })
    }
}

/// An include of code samples (SDK snippet tabs): not a fact of the page.
fn is_code_sample(target: &str, name: &str) -> bool {
    target.contains("/snippets/") || name == "sample-code" || name == "sdk-documentation"
}

impl Docs {
    /// Opens a docs root: a folder holding `api-reference/`, or
    /// `api-reference/` itself. `taken` are the types the specs declare
    /// already (name to full OData name): a page's type of the same name in
    /// another namespace is named with its namespace (`callRecordsMedia`).
    pub fn open(root: &Path, taken: &BTreeMap<String, String>) -> Result<Docs, String> {
        let root = if root.join("api-reference").is_dir() {
            root.to_path_buf()
        } else if root.file_name().and_then(|n| n.to_str()) == Some("api-reference") {
            root.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            return Err(format!(
                "{} holds no api-reference/ folder; pass the root of a checkout of the Graph docs (the folder holding api-reference/)",
                root.display()
            ));
        };
        let mut docs = Docs {
            root,
            versions: BTreeMap::new(),
        };
        for version in VERSIONS {
            let dir = docs
                .root
                .join("api-reference")
                .join(version)
                .join("resources");
            let mut v = VersionDocs::default();
            let mut files = list_markdown(&dir);
            files.sort();
            let mut declared = Vec::new();
            for file in files {
                let Ok(page) = docs.read_page(&file) else {
                    continue;
                };
                let stem = stem(&file);
                if let Some((name, full)) = resource::declared_type(&page) {
                    declared.push((stem, name, full, file, page));
                } else if page.front.get("doc_type").map(String::as_str) == Some("enumPageType")
                    || stem.starts_with("enums")
                {
                    let mut enums = resource::read_enums(&page);
                    if enums.is_empty() {
                        // One enum per page: "# mobileAppPublishingState enum type".
                        enums.extend(resource::single_enum(&page));
                        if let Some((name, _)) = enums.first() {
                            v.index.insert(&stem, name);
                        }
                    }
                    for (name, members) in enums {
                        v.index.insert_name(&name);
                        v.enums.entry(name).or_insert(members);
                    }
                }
            }
            // Two namespaces may declare one name: `microsoft.graph` itself
            // keeps it (else the first page in order), and a name the specs
            // give another type stays theirs.
            let mut owner: BTreeMap<String, String> = BTreeMap::new();
            for (_, name, full, _, _) in &declared {
                let root = *full == format!("microsoft.graph.{name}");
                match owner.get(name) {
                    Some(current) if !root || *current == format!("microsoft.graph.{name}") => {}
                    _ => {
                        owner.insert(name.clone(), full.clone());
                    }
                }
            }
            let mut pages = Vec::new();
            for (stem, name, full, file, page) in declared {
                let clashes = taken.get(&name).is_some_and(|f| *f != full);
                let name = if owner.get(&name) != Some(&full) || clashes {
                    // `microsoft.graph.callRecords.media` → `callRecordsMedia`;
                    // a type of `microsoft.graph` itself → `graphMedia`.
                    let namespaced = full.trim_start_matches("microsoft.graph.");
                    let namespaced = if namespaced.contains('.') {
                        namespaced.to_owned()
                    } else {
                        format!("graph.{namespaced}")
                    };
                    super::operation::lower_camel(&namespaced.replace('.', "-"))
                } else {
                    name
                };
                v.index.insert(&stem, &name);
                pages.push((name, file, page, full));
            }
            for (name, file, page, full) in pages {
                v.types.entry(name).or_insert((file, page, full));
            }
            // Kept even when empty: the specs declare both versions, and a
            // version's pages may link types only the other documents.
            docs.versions.insert((*version).to_owned(), v);
        }
        Ok(docs)
    }

    /// The operation page of `name` in `version`, if the docs have it.
    pub fn operation_page(&self, version: &str, name: &str) -> Option<PathBuf> {
        let path = self
            .root
            .join("api-reference")
            .join(version)
            .join("api")
            .join(format!("{name}.md"));
        path.is_file().then_some(path)
    }

    /// Every operation page name of a version.
    pub fn operation_pages(&self, version: &str) -> Vec<String> {
        let dir = self.root.join("api-reference").join(version).join("api");
        let mut names: Vec<String> = list_markdown(&dir).iter().map(|p| stem(p)).collect();
        names.sort();
        names
    }

    /// Reads a page and splices in the includes it names (permission
    /// tables, national clouds), one level deep; code-sample includes are
    /// left out.
    pub fn read_page(&self, path: &Path) -> Result<Page, String> {
        let text = read_text(path)?;
        let mut page = markdown::parse(&text);
        let mut blocks = Vec::with_capacity(page.blocks.len());
        for block in std::mem::take(&mut page.blocks) {
            if let BlockKind::Include { target, name } = &block.kind {
                if is_code_sample(target, name) {
                    continue;
                }
                if let Some(included) = self.resolve_include(path, target) {
                    if let Ok(text) = read_text(&included) {
                        let inner = markdown::parse(&text);
                        for mut b in inner.blocks {
                            if matches!(b.kind, BlockKind::Include { .. }) {
                                continue;
                            }
                            // Positions stay those of the include line.
                            b.line = block.line;
                            blocks.push(b);
                        }
                        continue;
                    }
                }
            }
            blocks.push(block);
        }
        page.blocks = blocks;
        Ok(page)
    }

    /// The digest of a page as `read_page` reads it: its text and that of
    /// the includes it splices in, without the code-sample tabs, blank lines
    /// and trailing spaces (SDK snippets and spacing come and go without
    /// the page's facts changing).
    /// `sha256:` and the first 16 hex digits.
    pub fn page_digest(&self, path: &Path) -> Result<String, String> {
        use sha2::{Digest, Sha256};
        let text = read_text(path)?;
        let mut hasher = Sha256::new();
        for line in text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty() && !l.contains("/snippets/"))
        {
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
        }
        for block in markdown::parse(&text).blocks {
            if let BlockKind::Include { target, name } = &block.kind {
                if is_code_sample(target, name) {
                    continue;
                }
                hasher.update(format!("\0include {target}\n").as_bytes());
                if let Some(included) = self.resolve_include(path, target) {
                    if let Ok(text) = read_text(&included) {
                        hasher.update(text.as_bytes());
                    }
                }
            }
        }
        let digest = hasher.finalize();
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Ok(format!("sha256:{hex}"))
    }

    /// The file an include names, when it stays inside the docs root.
    fn resolve_include(&self, page: &Path, target: &str) -> Option<PathBuf> {
        if target.contains("://") || target.starts_with('/') {
            return None;
        }
        let base = page.parent()?;
        let mut resolved = base.to_path_buf();
        for component in Path::new(target).components() {
            match component {
                Component::Normal(part) => resolved.push(part),
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::CurDir => {}
                _ => return None,
            }
        }
        resolved.starts_with(&self.root).then_some(resolved)
    }
}

/// A page's text, read as hostile input.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = fs_guard::read_regular(path, MAX_PAGE_BYTES)
        .map_err(|refusal| format!("{}: {refusal}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))
}

fn list_markdown(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("md"))
        .collect()
}

pub fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_owned()
}

/// The version a page's path names (`api-reference/beta/api/x.md`).
pub fn version_of(path: &Path) -> Option<String> {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    parts
        .windows(2)
        .rev()
        .find(|w| VERSIONS.contains(&w[0]) && (w[1] == "api" || w[1] == "resources"))
        .map(|w| w[0].to_owned())
}
