//! `--database-url postgres://… --nodes N`: ingest and delivery with 1 to N `tocsin serve`
//! processes on one PostgreSQL. Each node count gets a fresh schema of its own (created in
//! the named database, dropped at the end); the load is split evenly over the nodes, each
//! with its share of the client's concurrency, and one receiver counts the deliveries.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use reqwest::StatusCode;
use sqlx::{Connection, Executor, PgConnection};

use crate::load::{self, Load};
use crate::receiver::Receiver;
use crate::server::{Launch, Server};
use crate::{STALL, START_TIMEOUT, STOP_TIMEOUT, create_channel, duplicates, rate_since};

pub struct Setup<'a> {
    pub binary: &'a Path,
    pub token: &'a str,
    pub database_url: &'a str,
    pub nodes: usize,
    pub events: usize,
    pub concurrency: usize,
    pub body: Bytes,
    pub client: &'a reqwest::Client,
    pub dir: &'a Path,
    pub deadline: Instant,
}

/// Measures 1..=`nodes` nodes and prints one row per node count.
pub async fn run(setup: &Setup<'_>, receiver: &Receiver) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for n in 1..=setup.nodes {
        eprintln!("{n} node(s) on PostgreSQL: ingest while delivering …");
        let schema = format!("bench_{}_{}", n, std::process::id());
        let mut admin = PgConnection::connect(setup.database_url)
            .await
            .context("cannot connect to --database-url")?;
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
            .await
            .context("cannot create a schema for the run")?;
        let result = measure(setup, receiver, n, &schema).await;
        let _ = admin
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"
            )))
            .await;
        let _ = admin.close().await;
        rows.push((n, result?));
    }
    println!();
    println!(
        "tocsin-bench — PostgreSQL, {} events per run, client concurrency {} split over the nodes, {} CPUs shared by everything",
        setup.events,
        setup.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!();
    println!(
        "| nodes | ingest, events/s | deliveries/s, first POST → last delivery | delivered | duplicates |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for (n, r) in rows {
        println!(
            "| {n} | {:.0} | {:.0} | {} of {} | {} |",
            r.ingest, r.deliveries, r.delivered, r.accepted, r.duplicates
        );
    }
    Ok(())
}

struct Row {
    ingest: f64,
    deliveries: f64,
    delivered: usize,
    accepted: usize,
    duplicates: String,
}

async fn measure(
    setup: &Setup<'_>,
    receiver: &Receiver,
    n: usize,
    schema: &str,
) -> anyhow::Result<Row> {
    let separator = if setup.database_url.contains('?') {
        '&'
    } else {
        '?'
    };
    let url = format!(
        "{}{separator}options=-c%20search_path%3D{schema}",
        setup.database_url
    );
    // Every node seals and opens secrets under the same master key (a throwaway one).
    let env = [
        ("TOCSIN_DATABASE_URL", url.as_str()),
        (
            "TOCSIN_SECRET_KEY",
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        ),
    ];
    let launch = Launch {
        binary: setup.binary,
        token: setup.token,
        env: &env,
    };
    let mut servers = Vec::new();
    for i in 0..n {
        let data = setup.dir.join(format!("pg-{n}-{i}"));
        let mut server = Server::spawn(&launch, &data, &setup.dir.join(format!("pg-{n}-{i}.log")))?;
        server.wait_ready(setup.client, START_TIMEOUT).await?;
        servers.push(server);
    }
    create_channel(
        setup.client,
        &servers[0],
        setup.token,
        "bench",
        &receiver.url("/hook"),
    )
    .await?;
    // Let every node hear of the channel before the load starts.
    tokio::time::sleep(Duration::from_millis(500)).await;
    receiver.reset();
    let started = Instant::now();
    let share = setup.events / n;
    let mut loads = tokio::task::JoinSet::new();
    for (i, server) in servers.iter().enumerate() {
        let count = if i == 0 {
            setup.events - share * (n - 1)
        } else {
            share
        };
        let (client, url, token) = (
            setup.client.clone(),
            server.url("/api/v1/events"),
            setup.token.to_owned(),
        );
        let (body, concurrency, deadline) = (
            setup.body.clone(),
            (setup.concurrency / n).max(1),
            setup.deadline,
        );
        loads.spawn(async move {
            load::run(Load {
                client: &client,
                url,
                token: Some(token),
                body,
                count,
                concurrency,
                expect: StatusCode::ACCEPTED,
                deadline,
            })
            .await
        });
    }
    let reports = loads.join_all().await;
    let accepted: usize = reports.iter().map(|r| r.ok).sum();
    let ingest_elapsed = reports
        .iter()
        .map(|r| r.started.duration_since(started) + r.elapsed)
        .max()
        .unwrap_or_default();
    let delivered = receiver.wait_for(accepted, STALL, setup.deadline).await;
    let (_, deliveries) = rate_since(&delivered, started);
    for mut server in servers {
        server.stop(STOP_TIMEOUT).await?;
    }
    Ok(Row {
        ingest: accepted as f64 / ingest_elapsed.as_secs_f64().max(1e-9),
        deliveries,
        delivered: delivered.distinct,
        accepted,
        duplicates: duplicates(&delivered),
    })
}
