//! How the process uses memory: settings of the C allocator (glibc's malloc, which Rust's
//! global allocator calls) made by the binary itself, so that the service stays small with its
//! default settings (BENCHMARKS.md, issue 11).

/// Arenas glibc may create: each thread that allocates while the others hold theirs gets an
/// arena of its own (up to eight per core), and an arena keeps the memory freed in it for
/// its thread. Blocking database threads come and go under load, so every arena grows to the
/// largest request it served. Two arenas shared by all threads cost nothing measurable here
/// (requests spend their time in the database, not in malloc) and keep the freed memory in
/// one place where the next request reuses it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// Applies the allocator settings; call first in `main`, before any thread starts. An
/// operator's own `MALLOC_ARENA_MAX` in the environment is left to win.
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes a setting of the allocator; it is called before any
        // other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        }
    }
}

/// Returns the memory freed so far to the operating system (after start-up work that
/// allocated much and kept little, such as building the OpenAPI document).
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}
