//! A synthetic spec N times the size of a real one, for measuring how the
//! generator's cost grows with the API: every path, operation, tag and
//! component copied N-1 more times under new names (`/copy2/…`,
//! `list_tasks_copy2`, `TaskCopy2`), each copy's references pointing into
//! its own copy, so the result is as valid as the original.

use serde_json::{Map, Value};

/// `spec` with everything in it `n` times (`n` of 1 is `spec` itself).
pub fn scaled(spec: &Value, n: usize) -> Value {
    let mut out = spec.clone();
    for copy in 2..=n {
        let suffix = format!("Copy{copy}");
        if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
            let target = object(&mut out, "paths");
            for (path, item) in paths {
                let mut item = item.clone();
                rename_operations(&mut item, copy);
                rewrite_refs(&mut item, &suffix);
                target.insert(format!("/copy{copy}{path}"), item);
            }
        }
        if let Some(components) = spec.get("components").and_then(Value::as_object) {
            for (kind, entries) in components {
                let Some(entries) = entries.as_object() else {
                    continue;
                };
                // Security schemes are named by the top-level `security`:
                // one of each serves every copy.
                if kind == "securitySchemes" {
                    continue;
                }
                let target = object(&mut out["components"], kind);
                for (name, entry) in entries {
                    let mut entry = entry.clone();
                    rewrite_refs(&mut entry, &suffix);
                    target.insert(format!("{name}{suffix}"), entry);
                }
            }
        }
        if let Some(tags) = spec.get("tags").and_then(Value::as_array) {
            let copies: Vec<Value> = tags
                .iter()
                .map(|tag| {
                    let mut tag = tag.clone();
                    if let Some(name) = tag.get("name").and_then(Value::as_str) {
                        tag["name"] = Value::String(format!("{name}_copy{copy}"));
                    }
                    tag
                })
                .collect();
            if let Some(Value::Array(target)) = out.get_mut("tags") {
                target.extend(copies);
            }
        }
    }
    out
}

/// The object under `key` of `value`, created if absent.
fn object<'a>(value: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    let slot = &mut value[key];
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("just made an object")
}

/// Suffixes the operation ids and tags of a path item's operations.
fn rename_operations(item: &mut Value, copy: usize) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for operation in item.values_mut() {
        let Some(operation) = operation.as_object_mut() else {
            continue;
        };
        if let Some(Value::String(id)) = operation.get_mut("operationId") {
            *id = format!("{id}_copy{copy}");
        }
        if let Some(Value::Array(tags)) = operation.get_mut("tags") {
            for tag in tags {
                if let Value::String(name) = tag {
                    *name = format!("{name}_copy{copy}");
                }
            }
        }
    }
}

/// Points every component reference (a `$ref`, a discriminator mapping)
/// at the copy named with `suffix`.
fn rewrite_refs(value: &mut Value, suffix: &str) {
    match value {
        Value::String(text)
            if text.starts_with("#/components/")
                && !text.starts_with("#/components/securitySchemes/") =>
        {
            text.push_str(suffix);
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, suffix)),
        Value::Object(map) => map.values_mut().for_each(|item| rewrite_refs(item, suffix)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apis::APIS;

    #[test]
    fn a_scaled_spec_has_n_times_everything_and_generates() {
        let root = crate::workspace_root().expect("the workspace root");
        for api in APIS {
            let spec = crate::spec::read_value(&root.join(api.spec)).unwrap();
            let tripled = scaled(&spec, 3);
            let count = |value: &Value, key: &str| value[key].as_object().map_or(0, Map::len);
            assert_eq!(count(&tripled, "paths"), 3 * count(&spec, "paths"));
            assert_eq!(
                count(&tripled["components"], "schemas"),
                3 * count(&spec["components"], "schemas")
            );
            let text = tripled.to_string();
            assert!(text.contains("_copy3\""), "operation ids are renamed");
            // The generator accepts it: every reference resolves and every
            // name is unique.
            let outputs = crate::generate::render_value(api, tripled).unwrap();
            let generated = &outputs[0].contents;
            let table_rows = generated.matches("retry_safety: RetrySafety::").count();
            let real_rows = crate::generate::render_value(api, spec.clone()).unwrap()[0]
                .contents
                .matches("retry_safety: RetrySafety::")
                .count();
            assert_eq!(table_rows, 3 * real_rows, "{}", api.name);
        }
    }
}
