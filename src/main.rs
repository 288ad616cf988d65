use clap::Parser;

fn main() {
    let cli = tipaudit::cli::Cli::parse();
    std::process::exit(tipaudit::commands::run(cli));
}
