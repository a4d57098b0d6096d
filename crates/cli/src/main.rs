//! The `tocsin` command. One module per command group; this file only parses the command
//! line, picks the group and turns its result into the exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod client;
mod config_check;
mod docs;
mod keys;
mod manage;
mod migrate;
mod output;
mod send;
mod serve;
mod targets;

#[derive(Parser)]
#[command(
    name = "tocsin",
    version,
    about = "A self-hosted notification hub: events in, notifications out.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: the HTTP API and the delivery workers.
    Serve(serve::ServeArgs),
    /// Send one message to channel URLs now, from this process: no server, no database.
    Send(send::SendArgs),
    /// The master key that encrypts stored secrets: generate one, or rotate it.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Channels of a running server.
    Channel(manage::channel::ChannelArgs),
    /// Standalone rules of a running server.
    Rule(manage::rule::RuleArgs),
    /// Events of a running server.
    Event(manage::event::EventArgs),
    /// The delivery log of a running server.
    Deliveries(manage::deliveries::DeliveriesArgs),
    /// API tokens of a running server.
    Token(manage::token::TokenArgs),
    /// Configuration files.
    #[command(subcommand)]
    Config(config_check::ConfigCommand),
    /// Print a shell completion script.
    Completions(docs::CompletionsArgs),
    /// Print the man page, or write one page per command into a directory.
    Man(docs::ManArgs),
    /// Bring the database's schema up to date, then exit.
    Migrate(migrate::MigrateArgs),
}

/// Exit codes: 0 success, 1 failure (including usage and configuration errors), 3 nothing
/// matched, 4 partial failure.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const NOTHING_MATCHED: u8 = 3;
    pub const PARTIAL: u8 = 4;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are answers, not errors; every usage error exits with 1.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                exit::FAILURE
            } else {
                exit::OK
            });
        }
    };
    let code = match cli.command {
        Command::Serve(args) => report(serve::run(args)),
        Command::Send(args) => send::run(args),
        Command::Keys(command) => report(keys::run(command)),
        Command::Migrate(args) => report(migrate::run(args)),
        Command::Channel(a) => manage::run(&a.api, |api| manage::channel::run(api, a.command)),
        Command::Rule(a) => manage::run(&a.api, |api| manage::rule::run(api, a.command)),
        Command::Event(a) => manage::run(&a.api, |api| manage::event::run(api, a.command)),
        Command::Deliveries(a) => {
            manage::run(&a.api, |api| manage::deliveries::run(api, a.command))
        }
        Command::Token(a) => manage::run(&a.api, |api| manage::token::run(api, a.command)),
        Command::Config(cmd) => config_check::run(cmd),
        Command::Completions(args) => report(docs::completions(args)),
        Command::Man(args) => report(docs::man(args)),
    };
    ExitCode::from(code)
}

/// 0, or 1 with the error on stderr.
fn report(result: anyhow::Result<()>) -> u8 {
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit::FAILURE
        }
    }
}
