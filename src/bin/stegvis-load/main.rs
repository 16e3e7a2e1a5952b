//! `stegvis-load`: drives a running Stegvis server over HTTP and reports throughput,
//! latency (HDR histograms), errors by status and the server's peak memory.
//!
//! Scenarios: `path` (every case through the whole certification path), `transitions`
//! (pause/resume with If-Match, transitions alone), `verify` (public look-ups) and
//! `list` (an organisation's cases).

mod http;
mod rss;
mod scenario;
mod stats;

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, ValueEnum};

use http::Http;
use scenario::{Client, World};
use stats::{Inner, Progress, Stats};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scenario {
    /// Enrol, sessions, attendance, reflections, evidence, request_audit, approve.
    Path,
    /// Pause and resume one case per client: transitions alone.
    Transitions,
    /// GET /api/v1/verify/{code} for issued certificates.
    Verify,
    /// GET /api/v1/cases?organisation_id= (a page of 50) for one organisation.
    List,
}

#[derive(Parser, Debug)]
#[command(
    name = "stegvis-load",
    about = "Load generator for a running Stegvis server"
)]
struct Opts {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    #[arg(long, value_enum, default_value = "path")]
    scenario: Scenario,
    /// Concurrent clients.
    #[arg(short, long, default_value_t = 32)]
    concurrency: usize,
    /// Seconds the measured phase runs (the path scenario also stops when units run out).
    #[arg(short, long, default_value_t = 30)]
    duration: u64,
    /// Units created in the set-up; the path scenario enrols and certifies each once.
    #[arg(long, default_value_t = 2000)]
    units: usize,
    /// Organisations the units are spread over.
    #[arg(long, default_value_t = 10)]
    organisations: usize,
    /// Certificates issued before the verify scenario looks them up.
    #[arg(long, default_value_t = 64)]
    certificates: usize,
    /// Client threads (each its own event loop).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    #[arg(long, default_value = "admin@stegvis.demo")]
    admin_email: String,
    #[arg(
        long,
        env = "STEGVIS_LOAD_ADMIN_PASSWORD",
        default_value = "stegvis-demo-2026"
    )]
    admin_password: String,
    /// The server's pid for memory figures (default: whoever listens on the URL's port).
    #[arg(long)]
    server_pid: Option<u32>,
}

fn port_of(url: &str) -> Option<u16> {
    let rest = url.split("://").nth(1)?;
    let host = rest.split('/').next()?;
    host.rsplit(':').next()?.parse().ok()
}

/// Logs in, creates the staff users, organisations and units.
async fn set_up(opts: &Opts, stats: Rc<Stats>) -> anyhow::Result<World> {
    let http = Rc::new(Http::new(&opts.base_url, opts.concurrency));
    let pw = &opts.admin_password;
    let admin = scenario::login(&http, &stats, &opts.admin_email, pw).await?;
    let tag = format!("{:x}", chrono::Utc::now().timestamp_micros());
    let password = "load-generator-password";
    let consultant_email = format!("load-{tag}-consultant@load.test");
    let auditor_email = format!("load-{tag}-auditor@load.test");
    scenario::create_user(
        &http,
        &stats,
        &admin,
        &consultant_email,
        "consultant",
        password,
    )
    .await?;
    let auditor_id =
        scenario::create_user(&http, &stats, &admin, &auditor_email, "auditor", password).await?;
    let consultant_token = scenario::login(&http, &stats, &consultant_email, password).await?;
    let auditor_token = scenario::login(&http, &stats, &auditor_email, password).await?;
    let programme_id = scenario::programme_id(&http, &stats, &admin).await?;
    let mut orgs = Vec::new();
    for i in 0..opts.organisations.max(1) {
        orgs.push(
            scenario::create_organisation(&http, &stats, &admin, &format!("Last {tag} {i}"))
                .await?,
        );
    }
    let orgs = Rc::new(orgs);
    let next = Rc::new(AtomicUsize::new(0));
    let admin = Rc::new(admin);
    let units_wanted = opts.units;
    let mut tasks = Vec::new();
    for _ in 0..opts.concurrency.max(1) {
        let (http, stats, orgs, next, admin) = (
            http.clone(),
            stats.clone(),
            orgs.clone(),
            next.clone(),
            admin.clone(),
        );
        tasks.push(actix_rt::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= units_wanted {
                    return Ok::<_, anyhow::Error>(mine);
                }
                mine.push(
                    scenario::create_unit(&http, &stats, &admin, &orgs[n % orgs.len()], n).await?,
                );
            }
        }));
    }
    let mut units = Vec::new();
    for task in tasks {
        units.extend(task.await.context("a set-up task failed")??);
    }
    Ok(World {
        consultant_token,
        auditor_token,
        auditor_id,
        programme_id,
        units,
        next_unit: AtomicUsize::new(0),
        codes: Vec::new(),
        deadline: Instant::now(),
    })
}

/// Runs the scenario with `concurrency` clients over `threads` event loops.
fn run_phase(
    opts: &Opts,
    scenario: Scenario,
    world: Arc<World>,
    progress: Arc<Progress>,
) -> (Inner, Vec<String>) {
    let threads = opts.threads.clamp(1, opts.concurrency.max(1));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (world, progress) = (world.clone(), progress.clone());
            let clients = opts.concurrency / threads + usize::from(t < opts.concurrency % threads);
            let base = opts.base_url.clone();
            std::thread::spawn(move || {
                actix_rt::System::new().block_on(async move {
                    let http = Rc::new(Http::new(&base, clients));
                    let stats = Rc::new(Stats::new(progress));
                    let mut tasks = Vec::new();
                    for c in 0..clients {
                        let client = Client {
                            http: http.clone(),
                            stats: stats.clone(),
                            world: world.clone(),
                        };
                        tasks.push(actix_rt::spawn(async move {
                            let mut codes = Vec::new();
                            match scenario {
                                Scenario::Path => client.run_paths(&mut codes).await,
                                Scenario::Transitions => client.run_transitions().await,
                                Scenario::Verify => client.run_verify(t * 1000 + c).await,
                                Scenario::List => client.run_list().await,
                            }
                            codes
                        }));
                    }
                    let mut codes = Vec::new();
                    for task in tasks {
                        codes.extend(task.await.unwrap_or_default());
                    }
                    drop(http);
                    let stats = Rc::try_unwrap(stats)
                        .ok()
                        .map(Stats::into_inner)
                        .unwrap_or_default();
                    (stats, codes)
                })
            })
        })
        .collect();
    let mut all = Inner::default();
    let mut codes = Vec::new();
    for h in handles {
        if let Ok((stats, c)) = h.join() {
            all.merge(stats);
            codes.extend(c);
        }
    }
    (all, codes)
}

/// A progress line on stderr once a second until `stop` is set.
fn progress_line(
    progress: Arc<Progress>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let started = Instant::now();
        let (mut last_req, mut last_tr) = (0, 0);
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_secs(1));
            let req = progress.requests.load(Ordering::Relaxed);
            let tr = progress.transitions.load(Ordering::Relaxed);
            eprint!(
                "\r{:>4}s  {req} requests ({}/s)  {tr} transitions ({}/s)  {} errors   ",
                started.elapsed().as_secs(),
                req - last_req,
                tr - last_tr,
                progress.errors.load(Ordering::Relaxed)
            );
            (last_req, last_tr) = (req, tr);
        }
        eprintln!();
    })
}

fn main() -> anyhow::Result<()> {
    let opts = Opts::parse();
    let pid = opts
        .server_pid
        .or_else(|| port_of(&opts.base_url).and_then(rss::pid_by_port));
    let idle = pid.and_then(rss::read);
    let units = match opts.scenario {
        Scenario::Path => opts.units,
        Scenario::Transitions => opts.concurrency,
        Scenario::Verify => opts.certificates,
        Scenario::List => 0,
    };
    let setup_opts = Opts {
        units,
        ..Opts::parse()
    };
    eprintln!(
        "set-up: users, {} organisations, {units} units…",
        opts.organisations
    );
    let setup_progress = Arc::new(Progress::default());
    let started = Instant::now();
    let mut world = actix_rt::System::new().block_on(async {
        set_up(&setup_opts, Rc::new(Stats::new(setup_progress.clone()))).await
    })?;
    eprintln!("set-up took {:.1} s", started.elapsed().as_secs_f64());
    if opts.scenario == Scenario::Verify {
        eprintln!("issuing {} certificates…", world.units.len());
        world.deadline = Instant::now() + Duration::from_secs(3600);
        let shared = Arc::new(world);
        let (_, codes) = run_phase(&opts, Scenario::Path, shared.clone(), setup_progress);
        anyhow::ensure!(!codes.is_empty(), "no certificate was issued");
        world =
            Arc::try_unwrap(shared).map_err(|_| anyhow::anyhow!("the world is still shared"))?;
        world.codes = codes;
    }
    world.deadline = Instant::now() + Duration::from_secs(opts.duration);
    let world = Arc::new(world);
    let progress = Arc::new(Progress::default());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let line = progress_line(progress.clone(), stop.clone());
    let sampler = pid.map(rss::Sampler::start);
    let started = Instant::now();
    let (stats, _) = run_phase(&opts, opts.scenario, world, progress);
    let elapsed = started.elapsed();
    let peak = sampler.map(rss::Sampler::stop);
    stop.store(true, Ordering::Relaxed);
    let _ = line.join();
    println!(
        "scenario {:?}, {} clients on {} thread(s), {:.1} s against {}",
        opts.scenario,
        opts.concurrency,
        opts.threads,
        elapsed.as_secs_f64(),
        opts.base_url
    );
    print!("{}", stats.report(elapsed));
    match (pid, idle, peak, pid.and_then(rss::read)) {
        (Some(pid), Some((idle, _)), Some(peak), Some((now, hwm))) => println!(
            "server pid {pid}: RSS before {:.1} MB, peak during {:.1} MB, after {:.1} MB, VmHWM {:.1} MB",
            idle as f64 / 1024.0, peak as f64 / 1024.0, now as f64 / 1024.0, hwm as f64 / 1024.0
        ),
        _ => println!("server memory: unknown (pass --server-pid)"),
    }
    Ok(())
}
