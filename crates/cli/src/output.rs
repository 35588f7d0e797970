//! Printing results: JSON (pretty on a terminal, compact when piped) or a
//! short table of the top-level values.

use std::io::IsTerminal;

use serde::Serialize;
use serde_json::Value;

use crate::args::Output;

/// Prints `value` in the chosen format.
pub fn print<T: Serialize>(format: Output, value: &T) {
    let json = serde_json::to_value(value).unwrap_or(Value::Null);
    match format {
        Output::Json if std::io::stdout().is_terminal() => {
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            )
        }
        Output::Json => println!("{json}"),
        Output::Table => print!("{}", table(&json)),
    }
}

/// Two columns, sorted by field: each top-level field and a one-line rendering of its value.
pub fn table(value: &Value) -> String {
    // Sorted, so the table does not depend on serde_json's map order.
    let mut rows: Vec<(String, String)> = match value {
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), cell(v)))
            .collect(),
        other => vec![("value".into(), cell(other))],
    };
    rows.sort();
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k:width$}  {v}\n"))
        .collect()
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{} items]", items.len()),
        Value::Object(map) => map.get("id").and_then(Value::as_str).map_or_else(
            || format!("{{{} fields}}", map.len()),
            |id| format!("{{id {id}}}"),
        ),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_lists_top_level_values() {
        let text =
            table(&json!({"id": "t1", "links": {"id": "x"}, "labels": [1, 2], "gone": null}));
        assert_eq!(text, "id      t1\nlabels  [2 items]\nlinks   {id x}\n");
    }
}
