// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
//! A guest that checks the wasmbpf binding against the real host and kernel,
//! on examples/bootstrap's BPF object (BPF_OBJ at compile time): globals,
//! map sizes from BTF, map operations and their size checks, errors of
//! unknown names, and a poll whose callback polls again (-EBUSY) and stops
//! the poll with its own value. One line per check, "ok NAME" or
//! "FAIL NAME: WHY"; exit 1 if any failed. tests/examples/bootstrap_rs.sh
//! runs it; it needs an exec on the machine to see a sample.

use wasmbpf::{ObjectBytes, EBUSY, EEXIST, EINVAL, ENOENT};

static BPF_OBJECT: &[u8] = include_bytes!(env!("BPF_OBJ"));

struct Checks {
    failed: u32,
}

impl Checks {
    fn check(&mut self, name: &str, ok: bool, why: String) {
        if ok {
            println!("ok {}", name);
        } else {
            println!("FAIL {}: {}", name, why);
            self.failed += 1;
        }
    }

    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, name: &str, got: T, want: T) {
        let why = format!("got {:?}, want {:?}", got, want);
        self.check(name, got == want, why);
    }
}

fn main() {
    let mut c = Checks { failed: 0 };

    c.eq("not_elf", ObjectBytes::new(b"not an ELF file").err(), Some(-EINVAL));
    let mut bytes = ObjectBytes::new(BPF_OBJECT).expect("the embedded object");
    c.eq("global_unknown", bytes.set_u64("no_such_global", 1), Err(-ENOENT));
    c.eq("global_wrong_size", bytes.set_global("min_duration_ns", &[0; 4]), Err(-EINVAL));
    c.eq("global_set", bytes.set_u64("min_duration_ns", 0x0102030405060708), Ok(()));
    c.eq(
        "global_read",
        bytes.global("min_duration_ns").map(|b| u64::from_ne_bytes(b.try_into().unwrap())),
        Ok(0x0102030405060708),
    );
    bytes.set_u64("min_duration_ns", 0).unwrap();

    let obj = match bytes.load() {
        Ok(o) => o,
        Err(e) => {
            println!("FAIL load: {}", e);
            std::process::exit(1);
        }
    };
    // from BTF: exec_start is a HASH of pid_t -> u64, rb a RINGBUF
    let info: Vec<(String, u32, u32, u32)> = obj
        .map_infos()
        .iter()
        .map(|m| (m.name.clone(), m.map_type, m.key_size, m.value_size))
        .collect();
    c.eq(
        "btf_maps",
        info,
        vec![("exec_start".to_string(), 1, 4, 8), ("rb".to_string(), 27, 0, 0)],
    );
    c.eq("attach_unknown", obj.attach("no_such_prog", None), Err(-ENOENT));
    c.eq("map_fd_unknown", obj.map_fd("no_such_map").err(), Some(-ENOENT));
    c.eq("map_unknown", obj.map("no_such_map").err(), Some(-ENOENT));

    // the programs are not attached yet: the map holds only what we put
    let m = obj.map("exec_start").expect("exec_start");
    let key = 4242u32.to_ne_bytes();
    let value = 77u64.to_ne_bytes();
    let mut got = [0u8; 8];
    c.eq("lookup_missing", m.lookup(&key, &mut got), Err(-ENOENT));
    c.eq("update", m.update(&key, &value, wasmbpf::BPF_ANY), Ok(()));
    c.eq("update_noexist", m.update(&key, &value, wasmbpf::BPF_NOEXIST), Err(-EEXIST));
    c.eq("lookup", m.lookup(&key, &mut got).map(|_| got), Ok(value));
    let mut short = [0u8; 4];
    c.eq("lookup_short_value", m.lookup(&key, &mut short), Err(-EINVAL));
    c.eq("update_long_key", m.update(&[0u8; 8], &value, 0), Err(-EINVAL));
    c.eq("keys", m.keys(), Ok(vec![key.to_vec()]));
    let mut next = [0u8; 4];
    c.eq("next_key_last", m.next_key(Some(&key), &mut next), Ok(false));
    c.eq("delete", m.delete(&key), Ok(()));
    c.eq("delete_missing", m.delete(&key), Err(-ENOENT));
    c.eq("keys_empty", m.keys(), Ok(vec![]));

    // a sample: any exec on the machine (the test script makes some)
    c.eq("attach_exec", obj.attach("handle_exec", None), Ok(()));
    let rb = obj.map_fd("rb").expect("rb");
    let mut samples = 0;
    let mut inner = Ok(0);
    let mut ret = Ok(0);
    println!("polling");
    for _ in 0..100 {
        ret = obj.poll(rb, 100, |data| {
            samples += 1;
            inner = obj.poll(rb, 0, |_| 0);
            if data.len() == 168 {
                -1234
            } else {
                -5678
            }
        });
        if samples > 0 {
            break;
        }
    }
    c.eq("poll_sample", samples, 1);
    c.eq("poll_callback_stops", ret, Err(-1234));
    c.eq("poll_nested_busy", inner, Err(-EBUSY));
    drop(m);
    drop(obj);
    std::process::exit(if c.failed > 0 { 1 } else { 0 });
}
