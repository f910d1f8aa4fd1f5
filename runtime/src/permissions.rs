//! The least set of permissions an app must request to make a set of calls:
//! computed from the permissions tables the operations carry as constants.

use crate::operation::{OperationMetadata, PermissionSet, PermissionType, Permissions};

/// The scopes one permission type needs for a set of operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopePlan {
    /// The permission type.
    pub permission_type: PermissionType,
    /// Least privileged permissions that together allow every operation that
    /// this permission type can call, sorted.
    pub permissions: Vec<&'static str>,
    /// The operations this permission type cannot call at all:
    /// `(name, version)`.
    pub unsupported: Vec<(&'static str, &'static str)>,
}

/// For one permission type, the least privileged permissions that allow
/// every given operation, and the operations it cannot call.
///
/// Only least privileged permissions are chosen: a higher privileged one is
/// never needed, since every supported row names a least privileged one.
/// Among those, as few as possible are taken (a permission that is least
/// privileged for several operations covers them all).
pub fn least_privileged(
    operations: &[&OperationMetadata],
    permission_type: PermissionType,
) -> ScopePlan {
    plan(
        operations
            .iter()
            .map(|o| (o.name, o.version, &o.permissions)),
        permission_type,
    )
}

/// [`least_privileged`] for the operations of a [`crate::Batch`], each with
/// the permissions table of the request line it is sent to: what an app
/// must hold to send the batch.
pub fn least_privileged_for_batch(
    batch: &crate::Batch,
    permission_type: PermissionType,
) -> ScopePlan {
    plan(batch.permission_rows(), permission_type)
}

/// The plan for operations given as (name, version, permissions table).
fn plan<'a>(
    operations: impl Iterator<Item = (&'static str, &'static str, &'a Permissions)>,
    permission_type: PermissionType,
) -> ScopePlan {
    let mut unsupported = Vec::new();
    let mut rows: Vec<&'static [&'static str]> = Vec::new();
    for (name, version, permissions) in operations {
        match permissions.get(permission_type) {
            PermissionSet::Unsupported => unsupported.push((name, version)),
            // Callable without any permission: nothing to request for it.
            PermissionSet::NotRequired => {}
            PermissionSet::Supported { least, .. } => rows.push(least),
        }
    }
    ScopePlan {
        permission_type,
        permissions: cover(&rows),
        unsupported,
    }
}

/// A small set of names that meets every row (each row: any one of its
/// names is enough). Greedy: the name that meets most rows still unmet, ties
/// broken by name, which is within a log factor of the smallest set and
/// deterministic.
pub fn cover<'a>(rows: &[&'a [&'a str]]) -> Vec<&'a str> {
    let mut unmet: Vec<&[&str]> = rows.iter().copied().filter(|r| !r.is_empty()).collect();
    let mut chosen: Vec<&'a str> = Vec::new();
    while !unmet.is_empty() {
        let mut candidates: Vec<&'a str> = unmet.iter().flat_map(|r| r.iter().copied()).collect();
        candidates.sort_unstable();
        candidates.dedup();
        let best = candidates
            .into_iter()
            .map(|name| (unmet.iter().filter(|r| r.contains(&name)).count(), name))
            // Most rows met; among equals, the first name in order.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)))
            .map(|(_, name)| name)
            .expect("unmet rows have names");
        chosen.push(best);
        unmet.retain(|r| !r.contains(&best));
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row that needs no permission ("None" on the page) allows any
    /// token, asks nothing of the plan, and is not called unsupported.
    #[test]
    fn a_row_that_needs_no_permission_adds_nothing_to_the_plan() {
        let none = Permissions {
            delegated_work: PermissionSet::Unsupported,
            delegated_personal: PermissionSet::Unsupported,
            application: PermissionSet::NotRequired,
        };
        let needs = Permissions {
            application: PermissionSet::Supported {
                least: &["Calls.Initiate.All"],
                higher: &[],
            },
            ..none
        };
        assert!(none.application.allows("Anything.At.All"));
        assert!(none.application.allows_any([]));
        assert!(!none.delegated_work.allows_any(["Calls.Initiate.All"]));
        let plan = plan(
            [("getCall", "v1.0", &none), ("deleteCall", "v1.0", &needs)].into_iter(),
            PermissionType::Application,
        );
        assert_eq!(plan.permissions, ["Calls.Initiate.All"]);
        assert!(plan.unsupported.is_empty());
        let work = super::plan(
            [("getCall", "v1.0", &none)].into_iter(),
            PermissionType::DelegatedWork,
        );
        assert_eq!(work.unsupported, [("getCall", "v1.0")]);
    }

    #[test]
    fn one_shared_permission_covers_several_rows() {
        let rows: [&[&str]; 3] = [&["A.Read"], &["A.Read", "B.Read"], &["C.Read"]];
        assert_eq!(cover(&rows), ["A.Read", "C.Read"]);
    }

    #[test]
    fn prefers_the_name_that_meets_most_rows() {
        let rows: [&[&str]; 3] = [&["X", "Shared"], &["Y", "Shared"], &["Z"]];
        assert_eq!(cover(&rows), ["Shared", "Z"]);
        assert!(cover(&[]).is_empty());
    }

    #[test]
    fn unsupported_operations_are_named() {
        const A: OperationMetadata = OperationMetadata {
            name: "a",
            version: "v1.0",
            method: "GET",
            paths: &["/a"],
            permissions: crate::Permissions {
                delegated_work: PermissionSet::Unsupported,
                delegated_personal: PermissionSet::Unsupported,
                application: PermissionSet::Supported {
                    least: &["A.Read.All"],
                    higher: &["A.ReadWrite.All"],
                },
            },
            clouds: None,
            deprecated: false,
        };
        let plan = least_privileged(&[&A], PermissionType::Application);
        assert_eq!(plan.permissions, ["A.Read.All"]);
        let plan = least_privileged(&[&A], PermissionType::DelegatedWork);
        assert!(plan.permissions.is_empty());
        assert_eq!(plan.unsupported, [("a", "v1.0")]);
    }
}
