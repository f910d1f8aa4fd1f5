//! Fuzzes the spec loader and validator: any bytes, as any kind of spec file
//! beside the repository's real specs, must end in diagnostics or an API,
//! never a panic. Run with `cargo +nightly fuzz run load_spec` from `fuzz/`.
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
    let Some((&selector, bytes)) = data.split_first() else { return };
    let kind = match selector % 3 {
        0 => FileKind::Operation,
        1 => FileKind::Type,
        _ => FileKind::Service,
    };
    let mut files = real_specs().clone();
    graphgen::spec::add_file(
        &mut files,
        SourceFile {
            name: "fuzzed.yaml".into(),
            relative: "operations/fuzzed.yaml".into(),
            kind,
            bytes: bytes.to_vec(),
        },
    );
    if let Ok(set) = graphgen::spec::parse_files(&files) {
        let _ = graphgen::validate::validate(set);
    }
});
