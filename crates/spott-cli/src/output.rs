//! Printing results: JSON (pretty on a terminal, compact when piped) or a
//! short table. A closed pipe (`spott … | head -1`) ends output quietly
//! instead of failing.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

use futures::StreamExt as _;
use serde::Serialize;
use serde_json::Value;

use crate::args::Output;
use crate::exit::Failure;

/// Prints `value` in the chosen format.
pub fn print<T: Serialize>(format: Output, value: &T) -> Result<(), Failure> {
    let json = serde_json::to_value(value)
        .map_err(|e| Failure::Other(format!("cannot print the result: {e}")))?;
    let text = match format {
        Output::Json if io::stdout().is_terminal() => {
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
        }
        Output::Json => json.to_string() + "\n",
        Output::Table => table(&json),
    };
    write_stdout(&text)
}

/// Prints each item as one compact JSON line as it arrives; an error
/// after some items still fails the command (the items printed stand).
pub async fn print_lines(
    mut items: futures::stream::BoxStream<'static, Result<Value, spott::Error>>,
) -> Result<(), Failure> {
    while let Some(item) = items.next().await {
        line(item?)?;
    }
    Ok(())
}

/// Prints one line on stdout.
pub fn line(text: impl Display) -> Result<(), Failure> {
    write_stdout(&format!("{text}\n"))
}

/// `println!` for commands: one line on stdout, `?`-able, quiet on a closed
/// pipe.
macro_rules! say {
    () => { $crate::output::line("") };
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}
pub(crate) use say;

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Other(format!("cannot write to stdout: {e}"))),
    }
}

/// Longest cell, in characters, before it is cut with `…`.
const CELL_WIDTH: usize = 60;
/// Most rows a nested list shows as a table.
const NESTED_ROWS: usize = 50;

/// A table of the top-level fields, sorted by name, nulls left out. A list
/// of flat records (Saleshandy's per-prospect results) becomes a nested
/// table; other lists and objects are summarised in one cell.
pub fn table(value: &Value) -> String {
    let Value::Object(map) = value else {
        return format!("{}\n", cell(value));
    };
    // Sorted, so the table does not depend on serde_json's map order.
    let mut fields: Vec<(&String, &Value)> = map.iter().filter(|(_, v)| !v.is_null()).collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let width = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut text = String::new();
    for (key, value) in fields {
        match records(value) {
            Some(rows) => {
                text.push_str(&format!("{key}\n"));
                text.push_str(&grid(&rows, "  "));
            }
            None => text.push_str(&format!("{key:width$}  {}\n", cell(value))),
        }
    }
    text
}

/// A non-empty, short list of objects whose values are all scalars, as
/// rows of (column, cell).
fn records(value: &Value) -> Option<Vec<Vec<(String, String)>>> {
    let items = value.as_array()?;
    if items.is_empty() || items.len() > NESTED_ROWS {
        return None;
    }
    items
        .iter()
        .map(|item| {
            let map = item.as_object()?;
            map.iter()
                .map(|(k, v)| (!v.is_array() && !v.is_object()).then(|| (k.clone(), cell(v))))
                .collect()
        })
        .collect()
}

/// Rows of (column, cell) as an aligned table with a header.
fn grid(rows: &[Vec<(String, String)>], indent: &str) -> String {
    let mut columns: Vec<&str> = rows
        .iter()
        .flat_map(|row| row.iter().map(|(k, _)| k.as_str()))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let lookup = |row: &Vec<(String, String)>, column: &str| {
        row.iter()
            .find(|(k, _)| k == column)
            .map_or_else(|| "-".to_owned(), |(_, v)| v.clone())
    };
    let widths: Vec<usize> = columns
        .iter()
        .map(|column| {
            rows.iter()
                .map(|row| lookup(row, column).chars().count())
                .chain([column.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let render = |cells: Vec<String>| {
        let mut line = indent.to_owned();
        for (index, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if index + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let pad = width.saturating_sub(cell.chars().count()) + 2;
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        line.push('\n');
        line
    };
    let mut text = render(columns.iter().map(|c| (*c).to_owned()).collect());
    for row in rows {
        text.push_str(&render(
            columns.iter().map(|column| lookup(row, column)).collect(),
        ));
    }
    text
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.replace(['\r', '\n', '\t'], " "),
        Value::Array(items) => format!("[{} items]", items.len()),
        Value::Object(map) => map.get("id").and_then(Value::as_str).map_or_else(
            || format!("{{{} fields}}", map.len()),
            |id| format!("{{id {id}}}"),
        ),
        other => other.to_string(),
    };
    if text.chars().count() > CELL_WIDTH {
        format!("{}…", text.chars().take(CELL_WIDTH - 1).collect::<String>())
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

    #[test]
    fn a_list_of_flat_records_is_a_nested_table() {
        let text = table(&json!({
            "message": "Task created successfully",
            "results": [
                {"prospectId": "8PvBmrB7P7", "taskId": "shtask_1", "success": true},
                {"prospectId": "NOPE", "taskId": null, "success": false}
            ]
        }));
        assert_eq!(
            text,
            "message  Task created successfully\n\
             results\n\
             \x20 prospectId  success  taskId\n\
             \x20 8PvBmrB7P7  true     shtask_1\n\
             \x20 NOPE        false    -\n"
        );
    }

    #[test]
    fn long_and_multi_line_cells_stay_on_one_short_line() {
        let text = table(&json!({"note": format!("a\nb{}", "x".repeat(100))}));
        assert_eq!(text.lines().count(), 1);
        assert!(text.trim_end().ends_with('…'));
        assert_eq!(text.trim_end().chars().count(), "note  ".len() + CELL_WIDTH);
    }
}
