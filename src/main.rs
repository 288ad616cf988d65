use clap::Parser;

// Judging and writing make many short-lived strings across threads; mimalloc's per-thread
// heaps spend less time on them than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    tipaudit::isolate::install_panic_hook();
    tipaudit::output::install_interrupt_handler();
    let cli = tipaudit::cli::Cli::parse();
    std::process::exit(tipaudit::commands::run(cli));
}
