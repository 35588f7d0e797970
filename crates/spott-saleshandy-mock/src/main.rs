//! `spott-saleshandy-mock`: the Spott and Saleshandy mock as a standalone server.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use spott_saleshandy_mock::{
    ApiKeys, Apis, FaultConfig, MockConfig, MockServer, RateLimit, UnknownFields,
};
use tracing_subscriber::EnvFilter;

/// Which APIs to serve.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ApisArg {
    /// Spott and Saleshandy.
    Both,
    /// Spott only.
    Spott,
    /// Saleshandy only.
    Saleshandy,
}

/// Stateful mock of the Spott and Saleshandy APIs, validating every request against the
/// embedded OpenAPI specs, with fault injection. Logs go to stderr (RUST_LOG to filter);
/// API keys are never printed.
#[derive(Debug, Parser)]
#[command(name = "spott-saleshandy-mock", version)]
struct Args {
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Port to bind (0 for a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Which APIs to serve.
    #[arg(long, value_enum, default_value_t = ApisArg::Both)]
    apis: ApisArg,
    /// Accepted x-api-key (repeatable). Without any, every non-empty key is accepted.
    #[arg(long = "api-key", value_name = "KEY")]
    api_keys: Vec<String>,
    /// Rate limit, e.g. 100/min, 10/s, 5/10s; beyond it requests get 429 with Retry-After.
    #[arg(long, value_name = "N/WINDOW")]
    rate_limit: Option<RateLimit>,
    /// Probability (0..=1) of a 500, 502 or 503 before processing.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    fail_rate: f64,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability (0..=1) of a connection reset mid-body after processing.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    reset_rate: f64,
    /// Probability (0..=1) of a malformed JSON body after processing.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    malformed_rate: f64,
    /// Probability (0..=1) of a truncated JSON body after processing.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    truncated_rate: f64,
    /// Seed of the fault RNG (same seed, same request order: same faults).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Known Saleshandy prospect id (repeatable); replaces the default ones.
    #[arg(long = "prospect", value_name = "ID")]
    prospects: Vec<String>,
    /// Start without the demo users, clients and candidates.
    #[arg(long)]
    no_seed_data: bool,
    /// Refuse (422) request fields the spec does not define even where it allows them
    /// (by default they are refused only where a schema says `additionalProperties: false`).
    #[arg(long)]
    reject_unknown_fields: bool,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("`{text}` is not between 0 and 1"))
    }
}

impl Args {
    fn config(&self) -> MockConfig {
        let mut faults = FaultConfig::none()
            .error_rate(self.fail_rate)
            .latency(Duration::from_millis(self.latency_ms))
            .reset_rate(self.reset_rate)
            .malformed_json_rate(self.malformed_rate)
            .truncated_json_rate(self.truncated_rate)
            .seed(self.seed);
        faults.rate_limit = self.rate_limit;
        let mut config = MockConfig::new()
            .addr(SocketAddr::new(self.host, self.port))
            .apis(match self.apis {
                ApisArg::Both => Apis::Both,
                ApisArg::Spott => Apis::Spott,
                ApisArg::Saleshandy => Apis::Saleshandy,
            })
            .faults(faults)
            .unknown_fields(if self.reject_unknown_fields {
                UnknownFields::Reject
            } else {
                UnknownFields::Spec
            });
        if !self.api_keys.is_empty() {
            config = config.api_keys(ApiKeys::Only(self.api_keys.clone()));
        }
        if !self.prospects.is_empty() {
            config = config.prospects(self.prospects.iter().cloned());
        }
        if self.no_seed_data {
            config = config.without_seed_data();
        }
        config
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = args.config();
    if config.api_keys == ApiKeys::AnyNonEmpty {
        tracing::warn!("no --api-key given: accepting any non-empty x-api-key");
    }
    let mock = match MockServer::start(config.clone()).await {
        Ok(mock) => mock,
        Err(e) => {
            tracing::error!(error = %e, "spott-saleshandy-mock could not start");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        url = %mock.url(),
        rate_limit = ?config.faults.rate_limit.map(|l| l.to_string()),
        fail_rate = config.faults.error_rate,
        latency_ms = args.latency_ms,
        seed = config.faults.seed,
        "spott-saleshandy-mock ready; Ctrl-C to stop"
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        tracing::error!(error = %e, "could not wait for Ctrl-C; stopping");
    }
    mock.shutdown().await;
    tracing::info!("spott-saleshandy-mock stopped");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_build_the_config() {
        let args = Args::parse_from([
            "spott-saleshandy-mock",
            "--port",
            "0",
            "--rate-limit",
            "100/min",
            "--fail-rate",
            "0.05",
            "--latency-ms",
            "50",
            "--api-key",
            "k1",
            "--api-key",
            "k2",
            "--seed",
            "9",
            "--apis",
            "saleshandy",
            "--prospect",
            "P1",
        ]);
        let config = args.config();
        assert_eq!(config.addr, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
        assert_eq!(config.faults.rate_limit, Some(RateLimit::per_minute(100)));
        assert_eq!(config.faults.error_rate, 0.05);
        assert_eq!(config.faults.latency, Duration::from_millis(50));
        assert_eq!(config.faults.seed, 9);
        assert_eq!(
            config.api_keys,
            ApiKeys::Only(vec!["k1".into(), "k2".into()])
        );
        assert_eq!(config.apis, Apis::Saleshandy);
        assert_eq!(config.prospects, vec!["P1".to_owned()]);
        assert_eq!(config.unknown_fields, UnknownFields::Spec);
        let strict =
            Args::parse_from(["spott-saleshandy-mock", "--reject-unknown-fields"]).config();
        assert_eq!(strict.unknown_fields, UnknownFields::Reject);
    }

    #[test]
    fn bad_flags_are_rejected() {
        assert!(Args::try_parse_from(["spott-saleshandy-mock", "--fail-rate", "1.5"]).is_err());
        assert!(Args::try_parse_from(["spott-saleshandy-mock", "--rate-limit", "lots"]).is_err());
    }
}
