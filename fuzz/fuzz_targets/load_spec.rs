//! Fuzzes the whole in-memory pipeline on one hostile spec file: any bytes,
//! as any kind of spec file beside the repository's real specs, are loaded,
//! validated, lowered to the IR and, when they validate, emitted as Rust and
//! Markdown (nothing is written to disk). Every input must end in
//! diagnostics or in files; a panic, a stack overflow, a timeout or an
//! out-of-memory is a finding. An emit error for specs that validated is
//! one too: the emitters must handle everything validation lets through.
//!
//! The first byte picks the kind (operation, type, program, service); the second,
//! which real file of that kind the rest replaces (none when it is past
//! the last: the file is added). Replacing keeps the seeds, the real specs,
//! valid, so mutations explore around specs that reach the emitters. See
//! FUZZING.md for running a campaign.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use graphgen::spec::{FileKind, SourceFile};
use libfuzzer_sys::fuzz_target;

fn real_specs() -> &'static Vec<SourceFile> {
    static FILES: OnceLock<Vec<SourceFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        graphgen::spec::load_dir(&dir).expect("the repository's specs are readable")
    })
}

fuzz_target!(|data: &[u8]| {
    let [kind, index, bytes @ ..] = data else {
        return;
    };
    let kind = match kind % 4 {
        0 => FileKind::Operation,
        1 => FileKind::Type,
        2 => FileKind::Program,
        _ => FileKind::Service,
    };
    let mut files = real_specs().clone();
    let same_kind: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].kind == kind)
        .collect();
    match same_kind.get(usize::from(*index)) {
        Some(&at) => files[at].bytes = bytes.to_vec(),
        _ => {
            let relative = match kind {
                FileKind::Operation => "operations/fuzzed.yaml",
                FileKind::Type => "types/fuzzed.yaml",
                FileKind::Program => "programs/fuzzed.rs",
                FileKind::Service => "service.yaml",
            };
            graphgen::spec::add_file(
                &mut files,
                SourceFile {
                    name: format!("specs/{relative}"),
                    relative: relative.into(),
                    kind,
                    bytes: bytes.to_vec(),
                },
            );
        }
    }
    let api = match graphgen::spec::parse_files(&files).and_then(graphgen::validate::validate) {
        Ok(api) => api,
        Err(diagnostics) => {
            // Rendering is part of what a user gets: it must not panic either.
            let _ = diagnostics.render();
            return;
        }
    };
    // Emitters never check specs: what validated must emit.
    if let Err(error) = graphgen::emit::generate(&api) {
        panic!("specs that validated do not emit: {error}");
    }
});
