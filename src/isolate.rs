//! Panic isolation: a panic inside one file's parsing becomes that file's error line, and
//! the user never sees Rust's `panicked at` report.
//!
//! The standard hook prints before `catch_unwind` gets the panic, so the hook installed here
//! stays silent while the current thread is inside [`catch`] (the message and location are
//! kept for the error line instead), and prints a short internal-error line otherwise.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, PanicHookInfo};

thread_local! {
    /// Set while this thread runs inside `catch`: the location of the last caught panic.
    static GUARDED: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Install the process-wide hook (idempotent in effect; call once from `main`).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        let guarded = GUARDED.with(|g| match g.borrow_mut().as_mut() {
            Some(slot) => {
                *slot = location.clone();
                true
            }
            None => false,
        });
        if !guarded {
            eprintln!(
                "tipaudit: internal error: {} ({}); please report this",
                payload_text(info.payload()),
                location.as_deref().unwrap_or("unknown location")
            );
        }
    }));
}

/// Run `f`, turning a panic into `Err(message)` naming where it happened.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let outer = GUARDED.with(|g| g.borrow_mut().replace(None));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    let location = GUARDED
        .with(|g| std::mem::replace(&mut *g.borrow_mut(), outer))
        .flatten();
    result.map_err(|payload| {
        let msg = payload_text(payload.as_ref());
        match location {
            Some(l) => format!("{msg} at {l}"),
            None => msg,
        }
    })
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_becomes_an_error_with_its_location() {
        install_panic_hook();
        let e = catch(|| -> u32 { panic!("boom {}", 7) }).unwrap_err();
        assert!(e.starts_with("boom 7 at "), "{e}");
        assert!(e.contains("isolate.rs"), "{e}");
        assert_eq!(catch(|| 5).unwrap(), 5);
        // Nested guards restore the outer one.
        let outer = catch(|| catch(|| -> () { panic!("inner") }).unwrap_err());
        assert!(outer.unwrap().starts_with("inner"));
    }
}
