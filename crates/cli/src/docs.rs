//! Shell completions and man pages, generated from the command-line definition.

use std::path::PathBuf;

use anyhow::Context;
use clap::CommandFactory;

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {
    /// Write tocsin.1 and one page per subcommand (tocsin-send.1, …) into this directory,
    /// instead of printing tocsin.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut command = crate::Cli::command();
    clap_complete::generate(args.shell, &mut command, "tocsin", &mut std::io::stdout());
    Ok(())
}

pub fn man(args: ManArgs) -> anyhow::Result<()> {
    let command = crate::Cli::command();
    match args.dir {
        None => clap_mangen::Man::new(command)
            .render(&mut std::io::stdout())
            .context("cannot write the man page"),
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, &dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))
        }
    }
}
