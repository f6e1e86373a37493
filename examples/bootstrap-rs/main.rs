// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
//! bootstrap-rs: trace process exec and exit. examples/bootstrap with a Rust
//! guest: the same BPF program (built from examples/bootstrap/bootstrap.bpf.c),
//! the same flags and the same output lines, through the wasmbpf binding of
//! wasm-sdk/rust. The poll loop ends on wasmbpf::STOPPED, which is how the
//! host reports SIGINT/SIGTERM to a guest.

use std::io::Write;
use std::process::exit;
use std::time::{SystemTime, UNIX_EPOCH};

use wasmbpf::{ObjectBytes, STOPPED};

// BPF_OBJ: the path of the built bootstrap.bpf.o, given at compile time.
static BPF_OBJECT: &[u8] = include_bytes!(env!("BPF_OBJ"));

const PROG: &str = "bootstrap-rs";
const VERSION: &str = "bootstrap-rs 0.0";
const BUG_ADDRESS: &str = "<bpf@vger.kernel.org>";

// struct event of examples/bootstrap/bootstrap.h, as the BPF target lays it
// out: int pid; int ppid; unsigned exit_code; (4 bytes of padding)
// unsigned long long duration_ns; char comm[16]; char filename[127];
// bool exit_event; 168 bytes in all.
const TASK_COMM_LEN: usize = 16;
const MAX_FILENAME_LEN: usize = 127;
const EV_PID: usize = 0;
const EV_PPID: usize = 4;
const EV_EXIT_CODE: usize = 8;
const EV_DURATION_NS: usize = 16;
const EV_COMM: usize = 24;
const EV_FILENAME: usize = EV_COMM + TASK_COMM_LEN;
const EV_EXIT_EVENT: usize = EV_FILENAME + MAX_FILENAME_LEN;
const EV_SIZE: usize = 168;

struct Event<'a>(&'a [u8]);

impl<'a> Event<'a> {
    fn u32(&self, off: usize) -> u32 {
        u32::from_ne_bytes(self.0[off..off + 4].try_into().unwrap())
    }

    fn u64(&self, off: usize) -> u64 {
        u64::from_ne_bytes(self.0[off..off + 8].try_into().unwrap())
    }

    /// A char array up to its first NUL, as printf's %s reads it.
    fn str(&self, off: usize, len: usize) -> &'a [u8] {
        let s = &self.0[off..off + len];
        &s[..s.iter().position(|&c| c == 0).unwrap_or(len)]
    }
}

struct Env {
    verbose: bool,
    min_duration_ms: u64,
}

const DOC: &str = "BPF bootstrap demo application.

It traces process start and exits and shows associated 
information (filename, process duration, PID and PPID, etc).

USAGE: ./bootstrap-rs [-d <min-duration-ms>] [-v]
";

fn usage() {
    println!("{}", DOC);
    println!(
        "EXAMPLES:
    bootstrap-rs           # trace every exec and exit
    bootstrap-rs -d 500    # only exits of processes that lived 500 ms or more

OPTIONS:
  -d, --duration=DURATION-MS   Minimum process duration (ms) to report
  -v, --verbose                Verbose debug output
  -h, --help                   Give this help list
  -V, --version                Print program version

Report bugs to {}.",
        BUG_ADDRESS
    );
}

/// The usage-error lines, then exit 2.
fn usage_error(what: Option<String>) -> ! {
    if let Some(w) = what {
        eprintln!("{}", w);
    }
    eprintln!("Try '{} --help'.", PROG);
    exit(2);
}

/// A decimal number in [min, max], as wbpf_parse_number() takes it.
fn parse_number(s: &str, min: i64, max: i64) -> Option<i64> {
    let v: i64 = s.trim_start().parse().ok()?;
    if v < min || v > max {
        return None;
    }
    Some(v)
}

const LONG_OPTS: [(&str, char, bool); 4] =
    [("verbose", 'v', false), ("duration", 'd', true), ("help", 'h', false), ("version", 'V', false)];

/// getopt_long("vd:hV") as the C bootstrap uses it: short options may be
/// grouped (-vd 5, -d5), long ones abbreviated (--dur=5), and arguments
/// that are not options may come anywhere (then they are an error).
fn parse_args(args: &[String]) -> Env {
    let argv0 = args.first().map(String::as_str).unwrap_or(PROG);
    let mut env = Env { verbose: false, min_duration_ms: 0 };
    let mut positional = Vec::new();
    let mut opts: Vec<(char, Option<String>)> = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            positional.extend(args[i..].iter().cloned());
            break;
        } else if let Some(long) = a.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let exact = LONG_OPTS.iter().find(|o| o.0 == name);
            let prefixed: Vec<_> = LONG_OPTS.iter().filter(|o| o.0.starts_with(name)).collect();
            let opt = match (exact, prefixed.len()) {
                (Some(o), _) => o,
                (None, 1) => prefixed[0],
                _ => usage_error(Some(format!("{}: unrecognized option: {}", argv0, name))),
            };
            if !opt.2 && val.is_some() {
                usage_error(Some(format!("{}: option does not take an argument: {}", argv0, opt.0)));
            }
            let val = if opt.2 && val.is_none() {
                if i >= args.len() {
                    usage_error(Some(format!("{}: option requires an argument: {}", argv0, opt.0)));
                }
                i += 1;
                Some(args[i - 1].clone())
            } else {
                val
            };
            opts.push((opt.1, val));
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                match c {
                    'v' | 'h' | 'V' => opts.push((c, None)),
                    'd' => {
                        let val = if j < chars.len() {
                            chars[j..].iter().collect()
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            usage_error(Some(format!(
                                "{}: option requires an argument: {}",
                                argv0, c
                            )))
                        };
                        opts.push((c, Some(val)));
                        break;
                    }
                    _ => usage_error(Some(format!("{}: unrecognized option: {}", argv0, c))),
                }
            }
        } else {
            positional.push(a.clone());
        }
    }
    for (c, val) in opts {
        match c {
            'v' => env.verbose = true,
            'd' => {
                let s = val.unwrap_or_default();
                match parse_number(&s, 1, i32::MAX as i64) {
                    Some(v) => env.min_duration_ms = v as u64,
                    None => usage_error(Some(format!("Invalid duration: {}", s))),
                }
            }
            'h' => {
                usage();
                exit(0);
            }
            'V' => {
                println!("{}", VERSION);
                exit(0);
            }
            _ => unreachable!(),
        }
    }
    if let Some(p) = positional.first() {
        usage_error(Some(format!("Unexpected argument: {}", p)));
    }
    env
}

/// The wall clock as HH:MM:SS. WASI has no time zone: UTC, as the C guest's
/// localtime() gives.
fn time_hms() -> String {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => {
            let s = d.as_secs() % 86400;
            format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
        }
        Err(_) => "??:??:??".to_string(),
    }
}

/// printf's %-Ns of bytes: left-aligned, padded with spaces to width bytes.
fn pad(out: &mut Vec<u8>, s: &[u8], width: usize) {
    out.extend_from_slice(s);
    for _ in s.len()..width {
        out.push(b' ');
    }
}

fn handle_event(out: &mut Vec<u8>, data: &[u8]) {
    if data.len() < EV_SIZE {
        eprintln!("short event: {} bytes", data.len());
        return;
    }
    let e = Event(data);
    let pid = e.u32(EV_PID) as i32;
    let ppid = e.u32(EV_PPID) as i32;
    let ts = time_hms();

    pad(out, ts.as_bytes(), 8);
    out.push(b' ');
    if data[EV_EXIT_EVENT] != 0 {
        pad(out, b"EXIT", 5);
        out.push(b' ');
        pad(out, e.str(EV_COMM, TASK_COMM_LEN), 16);
        write!(out, " {:<7} {:<7} [{}]", pid, ppid, e.u32(EV_EXIT_CODE)).unwrap();
        let duration_ns = e.u64(EV_DURATION_NS);
        if duration_ns != 0 {
            write!(out, " ({}ms)", duration_ns / 1000000).unwrap();
        }
    } else {
        pad(out, b"EXEC", 5);
        out.push(b' ');
        pad(out, e.str(EV_COMM, TASK_COMM_LEN), 16);
        write!(out, " {:<7} {:<7} ", pid, ppid).unwrap();
        out.extend_from_slice(e.str(EV_FILENAME, MAX_FILENAME_LEN));
    }
    out.push(b'\n');
}

fn run(env: &Env) -> Result<(), i32> {
    // Parameterize BPF code with minimum duration parameter
    let mut bytes = ObjectBytes::new(BPF_OBJECT).map_err(|e| {
        eprintln!("Failed to open and load BPF skeleton");
        e
    })?;
    bytes.set_u64("min_duration_ns", env.min_duration_ms * 1000000).map_err(|e| {
        eprintln!("Failed to set min_duration_ns: {}", wasmbpf::strerror(e));
        e
    })?;

    // Load & verify BPF programs
    let obj = bytes.load().map_err(|e| {
        eprintln!("Failed to load and verify BPF skeleton");
        e
    })?;

    // Attach tracepoints
    for prog in ["handle_exec", "handle_exit"] {
        obj.attach(prog, None).map_err(|e| {
            eprintln!("Failed to attach BPF skeleton");
            e
        })?;
    }

    // Set up ring buffer polling
    let rb = obj.map_fd("rb").map_err(|e| {
        eprintln!("Failed to create ring buffer");
        e
    })?;
    if env.verbose {
        let v = bytes.global("min_duration_ns").map(|b| u64::from_ne_bytes(b.try_into().unwrap()));
        eprintln!("bootstrap-rs: min_duration_ns={}, ring buffer fd {}", v.unwrap_or(0), rb);
    }

    // Process events: a poll's lines go out in one write
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    writeln!(stdout, "{:<8} {:<5} {:<16} {:<7} {:<7} {}", "TIME", "EVENT", "COMM", "PID", "PPID",
        "FILENAME/EXIT CODE").map_err(|_| -wasmbpf::EINVAL)?;
    stdout.flush().ok();
    let mut out = Vec::new();
    loop {
        let ret = obj.poll(rb, 100 /* timeout, ms */, |data| {
            handle_event(&mut out, data);
            0
        });
        if !out.is_empty() {
            stdout.write_all(&out).ok();
            stdout.flush().ok();
            out.clear();
        }
        match ret {
            Ok(_) => {}
            // Ctrl-C ends the loop
            Err(STOPPED) => return Ok(()),
            Err(e) => {
                writeln!(stdout, "Error polling perf buffer: {}", e).ok();
                return Err(e);
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let env = parse_args(&args);
    if let Err(e) = run(&env) {
        exit(if e < 0 { (-e) & 0xff } else { 1 });
    }
}
