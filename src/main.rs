use clap::Parser;

fn main() {
    tipaudit::isolate::install_panic_hook();
    tipaudit::output::install_interrupt_handler();
    let cli = tipaudit::cli::Cli::parse();
    std::process::exit(tipaudit::commands::run(cli));
}
