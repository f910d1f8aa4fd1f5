//! The least privileged permissions that cover a set of operations, per
//! permission type, and what each type cannot call: the same computation an
//! app makes at run time from the operations' constants
//! (`msgraph_runtime::permissions`), made here from the specs.

use std::fmt::Write;

use crate::ir::{Api, PermissionRow, PermissionType};

/// One version's plan for one permission type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub version: String,
    pub permission_type: PermissionType,
    pub permissions: Vec<String>,
    /// Operations (documented names) this type cannot call.
    pub unsupported: Vec<String>,
    /// Operations covered.
    pub covered: Vec<String>,
}

/// Plans for the given operations (all when empty), per version (only
/// `version` when given) and permission type.
pub fn plan(api: &Api, operations: &[String], version: Option<&str>) -> Vec<Plan> {
    let mut plans = Vec::new();
    for v in api
        .versions
        .iter()
        .filter(|v| version.is_none_or(|x| x == v.name))
    {
        let selected: Vec<_> = api
            .operations
            .iter()
            .filter(|o| operations.is_empty() || operations.contains(&o.name.documented))
            .filter_map(|o| o.version(&v.name).map(|ov| (o, ov)))
            .collect();
        if selected.is_empty() {
            continue;
        }
        for ty in PermissionType::ALL {
            let mut rows: Vec<Vec<&str>> = Vec::new();
            let mut unsupported = Vec::new();
            let mut covered = Vec::new();
            for (o, ov) in &selected {
                match ov.permissions.row(ty) {
                    PermissionRow::Unsupported => unsupported.push(o.name.documented.clone()),
                    // Callable without a permission: covered, nothing to grant.
                    PermissionRow::NotRequired => covered.push(o.name.documented.clone()),
                    PermissionRow::Supported { least, .. } => {
                        rows.push(least.iter().map(String::as_str).collect());
                        covered.push(o.name.documented.clone());
                    }
                }
            }
            let slices: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            let permissions = msgraph_runtime::permissions::cover(&slices)
                .into_iter()
                .map(str::to_owned)
                .collect();
            plans.push(Plan {
                version: v.name.clone(),
                permission_type: ty,
                permissions,
                unsupported,
                covered,
            });
        }
    }
    plans
}

/// The plans as text for the terminal.
pub fn render(plans: &[Plan]) -> String {
    let mut out = String::new();
    let mut version = None;
    for plan in plans {
        if version != Some(&plan.version) {
            if version.is_some() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{}: least privileged permissions, per permission type",
                plan.version
            );
            version = Some(&plan.version);
        }
        let _ = write!(out, "  {}: ", plan.permission_type.title());
        if plan.permissions.is_empty() {
            out.push_str("none can be requested");
        } else {
            out.push_str(&plan.permissions.join(", "));
            let _ = write!(out, "  (covers {})", plan.covered.join(", "));
        }
        if !plan.unsupported.is_empty() {
            let _ = write!(out, "; cannot call {}", plan.unsupported.join(", "));
        }
        out.push('\n');
    }
    out
}
