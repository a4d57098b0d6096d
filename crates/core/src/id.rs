//! Ids: ULIDs, made monotonic within the process so that sorting by id is sorting by
//! creation, even for ids made in the same millisecond.

use std::sync::Mutex;

use ulid::{Generator, Ulid};

static GENERATOR: Mutex<Generator> = Mutex::new(Generator::new());

/// A new id, greater than every id this process made before.
pub fn new_id() -> Ulid {
    match GENERATOR.lock() {
        // Overflow needs 2^80 ids in one millisecond; fall back to a random one then.
        Ok(mut g) => g.generate().unwrap_or_else(|_| Ulid::new()),
        Err(_) => Ulid::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_within_a_millisecond() {
        let ids: Vec<Ulid> = (0..1000).map(|_| new_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }
}
