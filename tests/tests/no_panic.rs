//! No input panics the loader or the validator: arbitrary bytes, arbitrary
//! text, and the real specs with random damage all end in diagnostics or a
//! valid API. Bounded runs; `fuzz/` explores further.

use graph_tests::{spec_files, validate_files};
use graphgen::spec::{FileKind, SourceFile};
use proptest::prelude::*;

fn check(files: &[SourceFile]) {
    // Reaching the end is the test: a panic fails it.
    let _ = validate_files(files);
}

fn with_replaced(kind: FileKind, index: usize, bytes: Vec<u8>) -> Vec<SourceFile> {
    let mut files = spec_files();
    let candidates: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == kind)
        .map(|(i, _)| i)
        .collect();
    let target = candidates[index % candidates.len()];
    files[target].bytes = bytes;
    files
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), index in 0usize..8) {
        check(&with_replaced(FileKind::Operation, index, bytes.clone()));
        check(&with_replaced(FileKind::Type, index, bytes.clone()));
        check(&with_replaced(FileKind::Service, 0, bytes));
    }

    #[test]
    fn arbitrary_yaml_like_text_never_panics(text in "([a-zA-Z{}\\[\\]:,'\"|>&*!#@%/\\- \n\t]|v1\\.0|beta|operation|versions|paths|template|type){0,200}", index in 0usize..8) {
        check(&with_replaced(FileKind::Operation, index, text.clone().into_bytes()));
        check(&with_replaced(FileKind::Type, index, text.into_bytes()));
    }

    #[test]
    fn damaged_real_specs_never_panic(
        index in 0usize..32,
        cuts in proptest::collection::vec((0usize..400, 0usize..3, "[a-z{}:\\[\\]/ -]{0,3}"), 1..6),
    ) {
        let mut files = spec_files();
        let target = index % files.len();
        let text = String::from_utf8(files[target].bytes.clone()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for (at, action, insert) in cuts {
            if lines.is_empty() { break; }
            let at = at % lines.len();
            match action {
                0 => { lines.remove(at); }
                1 => { let line = lines[at].clone(); lines.insert(at, line); }
                _ => {
                    let line = &mut lines[at];
                    let cut = line.char_indices().map(|(i, _)| i).nth(line.chars().count() / 2).unwrap_or(0);
                    line.insert_str(cut, &insert);
                }
            }
        }
        files[target].bytes = lines.join("\n").into_bytes();
        check(&files);
    }
}
