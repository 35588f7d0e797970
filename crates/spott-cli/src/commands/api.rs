//! `spott api API OPERATION`: any operation of either spec by its
//! operationId, like `gh api`: path and query parameters as `NAME=VALUE`
//! flags, the body from a file or stdin, the answer printed as JSON;
//! `--all` walks a paged list and prints every item as a JSON line. The
//! operations come from the generated operation tables, so a new spec
//! operation is reachable here with no edit.

use futures::StreamExt as _;
use serde_json::{Value, json};

use crate::args::{ApiArgs, ApiName, Output};
use crate::context::Context;
use crate::exit::Failure;
use crate::input::read_body;
use crate::output::{print, print_lines};

/// Runs `spott api …`.
pub async fn run(ctx: &Context, args: ApiArgs, output: Output) -> Result<(), Failure> {
    if args.list {
        return print(output, &list(args.api));
    }
    // clap requires an operation unless --list.
    let operation = args.operation.as_deref().unwrap_or_default();
    let path = pairs("--path", &args.path)?;
    let query = pairs("--query", &args.query)?;
    let body = args.body.as_deref().map(read_body).transpose()?;
    let arguments = spott::Arguments {
        path: &path,
        query: &query,
        body: body.as_ref(),
    };
    if args.all {
        let items = match args.api {
            ApiName::Spott => ctx
                .spott()?
                .list_json(operation, arguments, args.page_size)?
                .boxed(),
            ApiName::Saleshandy => ctx
                .saleshandy()?
                .list_json(operation, arguments, args.page_size)?
                .boxed(),
        };
        return print_lines(items).await;
    }
    let answer = match args.api {
        ApiName::Spott => ctx.spott()?.call_json(operation, arguments).await?,
        ApiName::Saleshandy => ctx.saleshandy()?.call_json(operation, arguments).await?,
    };
    print(output, &answer)
}

/// `NAME=VALUE` flags as pairs; the value may hold `=`.
fn pairs<'a>(flag: &str, values: &'a [String]) -> Result<Vec<(&'a str, &'a str)>, Failure> {
    values
        .iter()
        .map(|text| {
            text.split_once('=')
                .filter(|(name, _)| !name.trim().is_empty())
                .map(|(name, value)| (name.trim(), value))
                .ok_or_else(|| Failure::Input(format!("{flag}: `{text}` is not NAME=VALUE")))
        })
        .collect()
}

/// The API's operation table as JSON rows.
fn list(api: ApiName) -> Value {
    // The two generated tables have the same fields but distinct types.
    macro_rules! rows {
        ($table:expr) => {
            $table
                .iter()
                .map(|op| {
                    json!({
                        "operation": op.id, "method": op.method, "path": op.path,
                        "pathParams": op.path_params, "queryParams": op.query_params,
                        "retrySafety": format!("{:?}", op.retry_safety),
                        "paged": op.pagination.is_some(),
                    })
                })
                .collect()
        };
    }
    let rows: Vec<Value> = match api {
        ApiName::Spott => rows!(spott::OPERATIONS),
        ApiName::Saleshandy => rows!(saleshandy::OPERATIONS),
    };
    Value::Array(rows)
}
