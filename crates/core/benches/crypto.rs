//! What sealing costs per secret (`cargo bench -p tocsin-core --bench crypto`): dispatch
//! opens a channel's secrets for every delivery, and saving a channel seals them.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tocsin_core::crypto::MasterKey;

const OWNER: &str = "channel/01KAAAAAAAAAAAAAAAAAAAAAAA";
/// A Slack webhook URL is about as long as secrets get.
const SECRET: &str =
    "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

fn sealing(c: &mut Criterion) {
    let key = MasterKey::generate();
    let sealed = key.seal(OWNER, "webhook_url", SECRET);
    c.bench_function("seal one secret", |b| {
        b.iter(|| key.seal(black_box(OWNER), "webhook_url", black_box(SECRET)))
    });
    c.bench_function("open one secret", |b| {
        b.iter(|| key.open(black_box(OWNER), "webhook_url", black_box(&sealed)))
    });
}

criterion_group!(benches, sealing);
criterion_main!(benches);
