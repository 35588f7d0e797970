//! `spott mock`: the mock server in the foreground until Ctrl-C.

use api_mock::{FaultConfig, MockConfig, RateLimit};

use crate::args::MockArgs;
use crate::context::start_mock;
use crate::exit::Failure;

/// Runs the mock until Ctrl-C.
pub async fn run(args: MockArgs) -> Result<(), Failure> {
    let mut faults = FaultConfig::none();
    if let Some(limit) = &args.rate_limit {
        let limit: RateLimit = limit
            .parse()
            .map_err(|e| Failure::Input(format!("--rate-limit: {e}")))?;
        faults = faults.rate_limit(limit);
    }
    if let Some(rate) = args.fail_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Failure::Input(
                "--fail-rate: must be between 0 and 1".into(),
            ));
        }
        faults = faults.error_rate(rate);
    }
    if let Some(seed) = args.seed {
        faults = faults.seed(seed);
    }
    let mock = start_mock(MockConfig::new().port(args.port).faults(faults)).await?;
    println!(
        "mock server on {} (any non-empty x-api-key); Ctrl-C stops it",
        mock.url()
    );
    let _ = tokio::signal::ctrl_c().await;
    mock.shutdown().await;
    Ok(())
}
