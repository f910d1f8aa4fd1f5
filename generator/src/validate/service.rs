//! Checks `service.yaml`: versions, clouds and areas, each named once.

use std::collections::HashMap;

use super::At;
use crate::diagnostics::{did_you_mean, Diagnostics};
use crate::ir::{Area, Cloud, Service, Version};
use crate::naming::{version_module, Name};
use crate::node_path;
use crate::spec::model::ServiceSpec;
use crate::spec::Parsed;

/// The service as the other checks need it.
pub(crate) struct ServiceInfo {
    pub service: Service,
    pub versions: Vec<Version>,
    pub clouds: Vec<Cloud>,
    pub areas: Vec<Area>,
}

impl ServiceInfo {
    pub fn version_names(&self) -> Vec<String> {
        self.versions.iter().map(|v| v.name.clone()).collect()
    }

    pub fn has_version(&self, name: &str) -> bool {
        self.versions.iter().any(|v| v.name == name)
    }

    /// The hint for a version that is not declared.
    pub fn version_hint(&self, wrong: &str) -> String {
        match did_you_mean(wrong, self.versions.iter().map(|v| v.name.as_str())) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "service.yaml declares {}",
                self.versions
                    .iter()
                    .map(|v| format!("`{}`", v.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub fn cloud_hint(&self, wrong: &str) -> String {
        match did_you_mean(
            wrong,
            self.clouds.iter().map(|c| c.name.documented.as_str()),
        ) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "service.yaml declares {}",
                self.clouds
                    .iter()
                    .map(|c| format!("`{}`", c.name.documented))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

pub(crate) fn check(parsed: &Parsed<ServiceSpec>, diagnostics: &mut Diagnostics) -> ServiceInfo {
    let at = At {
        file: &parsed.file,
        text: &parsed.text,
        locator: &parsed.locator,
    };
    let spec = &parsed.spec;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut versions = Vec::new();
    for (i, v) in spec.versions.iter().enumerate() {
        if let Some(first) = seen.insert(format!("version:{}", v.name), i) {
            diagnostics.push(
                at.error_at_value(
                    &node_path!["versions", i, "name"],
                    format!("version `{}` is declared twice", v.name),
                )
                .with_hint(format!("it is already item {} of `versions`", first + 1)),
            );
        }
        if !v.base_path.starts_with('/') || v.base_path.ends_with('/') || v.base_path.len() < 2 {
            diagnostics.push(
                at.error_at_value(
                    &node_path!["versions", i, "basePath"],
                    format!("`{}` is not a base path", v.base_path),
                )
                .with_hint("write it as the URL path after the host, e.g. /v1.0"),
            );
        }
        versions.push(Version {
            name: v.name.clone(),
            module: version_module(&v.name),
            base_path: v.base_path.clone(),
            description: v.description.clone(),
        });
    }
    if spec.versions.is_empty() {
        diagnostics
            .push(at.error_at_key(&node_path!["versions"], "the service declares no version"));
    }
    let mut clouds = Vec::new();
    for (i, c) in spec.clouds.iter().enumerate() {
        if seen.insert(format!("cloud:{}", c.name), i).is_some() {
            diagnostics.push(at.error_at_value(
                &node_path!["clouds", i, "name"],
                format!("cloud `{}` is declared twice", c.name),
            ));
        }
        let host_ok = c.host.starts_with("https://")
            && c.host.len() > "https://".len()
            && !c.host["https://".len()..].contains('/');
        if !host_ok {
            diagnostics.push(
                at.error_at_value(
                    &node_path!["clouds", i, "host"],
                    format!("`{}` is not a host URL", c.host),
                )
                .with_hint("write the scheme and host only, e.g. https://graph.microsoft.com"),
            );
        }
        clouds.push(Cloud {
            name: Name::new(&c.name),
            title: c.title.clone(),
            host: c.host.clone(),
        });
    }
    if spec.clouds.is_empty() {
        diagnostics.push(at.error_at_key(&node_path!["clouds"], "the service declares no cloud"));
    }
    let mut areas = Vec::new();
    for (i, a) in spec.areas.iter().enumerate() {
        let duplicate = seen.insert(format!("area:{}", a.name), i).is_some();
        if duplicate {
            diagnostics.push(at.error_at_value(
                &node_path!["areas", i, "name"],
                format!("area `{}` is declared twice", a.name),
            ));
        }
        let name = Name::new(&a.name);
        let feature = name.kebab();
        let taken = crate::ir::FIXED_FEATURES.contains(&feature.as_str())
            || versions.iter().any(|v: &Version| v.module == feature)
            || (!duplicate && areas.iter().any(|other: &Area| other.feature == feature));
        if taken {
            diagnostics.push(
                at.error_at_value(
                    &node_path!["areas", i, "name"],
                    format!("area `{}` would be the crate feature `{feature}`, which the crate has already", a.name),
                )
                .with_hint("rename the area: its feature's name comes from it"),
            );
        }
        areas.push(Area {
            feature,
            name,
            title: a.title.clone(),
            description: a.description.clone(),
        });
    }
    ServiceInfo {
        service: Service {
            name: spec.service.clone(),
            title: spec.title.clone(),
            namespace: spec.namespace.clone(),
        },
        versions,
        clouds,
        areas,
    }
}
