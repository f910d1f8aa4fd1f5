//! The layout of documented examples: builder expressions and call chains
//! broken as rustfmt breaks them, on one line where they fit, so that an
//! example reads like the page's JSON in few lines. (prettyplease, which
//! formats the rest of the output, breaks every nested call of a long
//! expression and indents the arguments of a chain twice.)

/// The width rustfmt keeps code within.
const WIDTH: usize = 100;
const INDENT: usize = 4;

/// A Rust expression as the example code builds it.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    /// Written as it is: a literal, a path, a macro call.
    Leaf(String),
    /// `head(args)`: a constructor or a `from`.
    Call { head: String, args: Vec<Expr> },
    /// `[items]`.
    Array(Vec<Expr>),
    /// `base.a(x).b(y)`: setters on a value.
    Chain {
        base: Box<Expr>,
        calls: Vec<(String, Vec<Expr>)>,
    },
}

impl Expr {
    /// `base.name(args)`, joining a chain where `self` is one already.
    pub fn then(self, name: &str, args: Vec<Expr>) -> Expr {
        match self {
            Expr::Chain { base, mut calls } => {
                calls.push((name.to_owned(), args));
                Expr::Chain { base, calls }
            }
            base => Expr::Chain {
                base: Box::new(base),
                calls: vec![(name.to_owned(), args)],
            },
        }
    }

    /// On one line.
    pub fn flat(&self) -> String {
        match self {
            Expr::Leaf(text) => text.clone(),
            Expr::Call { head, args } => format!("{head}({})", flat_list(args)),
            Expr::Array(items) => format!("[{}]", flat_list(items)),
            Expr::Chain { base, calls } => {
                let mut out = base.flat();
                for (name, args) in calls {
                    out.push_str(&format!(".{name}({})", flat_list(args)));
                }
                out
            }
        }
    }

    /// Laid out from column `column` of a line indented `indent`, with
    /// `tail` characters (`;`, `,`, `)`) to follow on its last line.
    pub fn layout(&self, column: usize, indent: usize, tail: usize) -> String {
        let flat = self.flat();
        if column + flat.len() + tail <= WIDTH && !flat.contains('\n') {
            return flat;
        }
        match self {
            Expr::Leaf(text) => text.clone(),
            Expr::Call { head, args } => call(head, args, column, indent, tail),
            Expr::Array(items) => {
                let inner = indent + INDENT;
                let mut out = "[\n".to_owned();
                for item in items {
                    out.push_str(&" ".repeat(inner));
                    out.push_str(&item.layout(inner, inner, 1));
                    out.push_str(",\n");
                }
                out.push_str(&" ".repeat(indent));
                out.push(']');
                out
            }
            Expr::Chain { base, calls } => {
                // One setter: `base.name(` with the arguments as a call's.
                if let [(name, args)] = calls.as_slice() {
                    let base_flat = base.flat();
                    let head = format!("{base_flat}.{name}");
                    if column + head.len() < WIDTH && !matches!(**base, Expr::Chain { .. }) {
                        return call(&head, args, column, indent, tail);
                    }
                }
                let mut out = base.layout(column, indent, 0);
                // After a base over several lines, rustfmt lines the calls
                // up with its closing line.
                let inner = if out.contains('\n') {
                    indent
                } else {
                    indent + INDENT
                };
                for (i, (name, args)) in calls.iter().enumerate() {
                    let last = i + 1 == calls.len();
                    let head = format!(".{name}");
                    out.push('\n');
                    out.push_str(&" ".repeat(inner));
                    out.push_str(&call(
                        &head,
                        args,
                        inner,
                        inner,
                        if last { tail } else { 0 },
                    ));
                }
                out
            }
        }
    }
}

fn flat_list(items: &[Expr]) -> String {
    items.iter().map(Expr::flat).collect::<Vec<_>>().join(", ")
}

/// `head(args)`: flat where it fits; a lone array or call argument carried
/// on the same line (`new([` ... `])`); else one argument per line.
fn call(head: &str, args: &[Expr], column: usize, indent: usize, tail: usize) -> String {
    let flat = format!("{head}({})", flat_list(args));
    if column + flat.len() + tail <= WIDTH {
        return flat;
    }
    if let [only @ (Expr::Array(_) | Expr::Call { .. })] = args {
        let start = column + head.len() + 1;
        return format!("{head}({})", only.layout(start, indent, tail + 1));
    }
    let inner = indent + INDENT;
    let mut out = format!("{head}(\n");
    for arg in args {
        out.push_str(&" ".repeat(inner));
        out.push_str(&arg.layout(inner, inner, 1));
        out.push_str(",\n");
    }
    out.push_str(&" ".repeat(indent));
    out.push(')');
    out
}

/// `let name = <chain>;` over as few lines as rustfmt would: on one line
/// where it fits, else one call per line.
pub(crate) fn chain_statement(prefix: &str, root: &str, steps: &[String], suffix: &str) -> String {
    let flat = format!("{prefix}{root}{}{suffix}", steps.concat());
    if flat.len() <= WIDTH {
        return format!("{flat}\n");
    }
    let mut out = format!("{prefix}{root}");
    for step in steps {
        out.push_str(&format!("\n{}{step}", " ".repeat(INDENT)));
    }
    // `.await?` is a step of its own, as rustfmt writes it.
    if suffix.starts_with('.') {
        out.push_str(&format!("\n{}", " ".repeat(INDENT)));
    }
    out.push_str(suffix);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(text: &str) -> Expr {
        Expr::Leaf(text.to_owned())
    }

    #[test]
    fn what_fits_stays_on_one_line() {
        let identity = Expr::Call {
            head: "Identity::new".into(),
            args: vec![],
        }
        .then("id", vec![leaf("\"x\"")]);
        assert_eq!(identity.layout(11, 0, 1), "Identity::new().id(\"x\")");
    }

    #[test]
    fn long_chains_take_a_line_per_setter_and_lone_arrays_stay_on_the_call_line() {
        let long = format!("\"{}\"", "a".repeat(60));
        let identity = Expr::Call {
            head: "Identity::new".into(),
            args: vec![],
        }
        .then("id", vec![leaf(&long)])
        .then("display_name", vec![leaf(&long)]);
        let body = Expr::Call {
            head: "Body::new".into(),
            args: vec![Expr::Array(vec![identity])],
        };
        let expected = format!(
            "Body::new([\n    Identity::new()\n        .id({long})\n        .display_name({long}),\n])"
        );
        assert_eq!(body.layout(11, 0, 1), expected);
    }

    #[test]
    fn calls_on_a_base_over_several_lines_line_up_with_its_end() {
        let long = format!("\"{}\"", "a".repeat(60));
        let value = Expr::Call {
            head: "Info::new".into(),
            args: vec![leaf(&long), leaf(&long)],
        }
        .then("participant_id", vec![leaf("\"p\"")]);
        let expected = format!("Info::new(\n    {long},\n    {long},\n)\n.participant_id(\"p\")");
        assert_eq!(value.layout(11, 0, 1), expected);
    }

    #[test]
    fn a_chain_that_does_not_fit_takes_a_line_per_call() {
        let steps: Vec<String> = (0..8).map(|i| format!(".step_number_{i}()")).collect();
        let text = chain_statement("let output = ", "client", &steps, ".await?;");
        assert_eq!(text.lines().count(), 10);
        assert!(
            text.ends_with("    .step_number_7()\n    .await?;\n"),
            "{text}"
        );
        let short = chain_statement("let output = ", "client", &steps[..2], ".await?;");
        assert_eq!(
            short,
            "let output = client.step_number_0().step_number_1().await?;\n"
        );
    }
}
