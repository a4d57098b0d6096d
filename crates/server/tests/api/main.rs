//! Integration tests: the real application on port 0 with a fresh database, a recording
//! receiver on 127.0.0.1, and a clock the tests move by hand.

mod helpers;

mod alertmanager;
mod auth;
mod catalog;
mod channels;
mod deliveries;
mod events;
mod explain;
mod kinds;
mod loops;
mod ops;
mod profiles;
mod retries;
mod rules;
mod transitions;
mod webhook;
