//! Integration tests: the real application on port 0 with a fresh database, a recording
//! receiver on 127.0.0.1, and a clock the tests move by hand.

mod helpers;

mod alertmanager;
mod audit;
mod auth;
mod catalog;
mod channels;
mod deliveries;
mod digests;
mod events;
mod explain;
mod hostile;
mod kinds;
mod loops;
mod mute_windows;
mod ops;
mod profiles;
mod rate_limits;
mod reliability;
mod repeat_interval;
mod retries;
mod rule_templates;
mod rules;
mod scopes;
mod secrets;
mod tenants;
mod threshold;
mod tokens;
mod transitions;
mod webhook;
