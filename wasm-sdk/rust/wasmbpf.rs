// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
//! wasmbpf: the guest side of the Wasm-eBPF host ABI for Rust guests
//! (docs/abi.md in the source tree), with no dependency but `std`.
//!
//! Built for `wasm32-wasi` as an rlib and linked with `--extern`:
//!
//! ```sh
//! rustc --target wasm32-wasi --edition 2021 -O --crate-type=rlib \
//!     --crate-name wasmbpf wasmbpf.rs -o libwasmbpf.rlib
//! rustc --target wasm32-wasi --edition 2021 -O --extern wasmbpf=libwasmbpf.rlib main.rs
//! ```
//!
//! What it offers, over the six imports of module "wasm_bpf" (the raw ones
//! are in [`sys`]):
//!
//!   [`ObjectBytes`]  a private copy of an embedded `.bpf.o`, whose `.rodata`
//!                    and `.data` globals can be set before load
//!                    ([`ObjectBytes::set_global`]), as a C skeleton's
//!                    `skel->rodata->x = v` does
//!   [`Object`]       a loaded object: [`Object::attach`], [`Object::map_fd`],
//!                    [`Object::map`], [`Object::poll`]; dropping it closes
//!                    the object, which destroys its links
//!   [`Map`]          lookup, update, delete and next key on byte slices whose
//!                    lengths are checked against the map's key and value
//!                    sizes, read from the object's BTF at load, so the host
//!                    never reads or writes past a slice
//!
//! Errors are negative Linux errno values, as the host returns them
//! ([`ENOENT`], [`EINVAL`], ...). One exception: after SIGINT or SIGTERM
//! [`Object::poll`] returns `Err(STOPPED)` (the host's -27, wasi-libc's
//! EINTR; see docs/abi.md, section Stopping), and a poll loop ends on it:
//!
//! ```ignore
//! loop {
//!     match obj.poll(fd, 100, |sample| { handle(sample); 0 }) {
//!         Ok(_) => {}
//!         Err(wasmbpf::STOPPED) => break,
//!         Err(e) => return Err(e),
//!     }
//! }
//! ```

#[cfg(not(target_arch = "wasm32"))]
compile_error!("wasmbpf is for wasm32 guests: guest pointers are passed as 32-bit offsets");

use std::cell::RefCell;
use std::ffi::CString;

/// The raw imports, as docs/abi.md, section Imports, lists them. Pointers are
/// guest memory offsets; results are the host's, untranslated.
pub mod sys {
    #[link(wasm_import_module = "wasm_bpf")]
    extern "C" {
        /// (i32 buf, i32 len) -> i64: open and load the ELF object; a handle, or 0.
        pub fn wasm_load_bpf_object(obj_buf: u32, obj_buf_sz: u32) -> u64;
        /// (i64 obj, i32 name, i32 target) -> i32; target may be 0.
        pub fn wasm_attach_bpf_program(obj: u64, name: u32, attach_target: u32) -> i32;
        /// (i64 obj, i32 fd, i32 fn, i32 ctx, i32 data, i32 max, i32 timeout_ms) -> i32:
        /// for each sample the host copies up to max bytes to data and calls
        /// table entry fn, of type (i32 ctx, i32 data, i32 size) -> i32.
        pub fn wasm_bpf_buffer_poll(
            obj: u64,
            fd: i32,
            sample_func: u32,
            ctx: u32,
            data: u32,
            max_size: u32,
            timeout_ms: i32,
        ) -> i32;
        /// (i64 obj, i32 name) -> i32: a map's fd or a negative errno.
        pub fn wasm_bpf_map_fd_by_name(obj: u64, name: u32) -> i32;
        /// (i32 fd, i32 cmd, i32 key, i32 value, i32 next_key, i64 flags) -> i32.
        pub fn wasm_bpf_map_operate(
            fd: i32,
            cmd: i32,
            key: u32,
            value: u32,
            next_key: u32,
            flags: u64,
        ) -> i32;
        /// (i64 obj) -> i32: destroy the object's links and buffers, close it.
        pub fn wasm_close_bpf_object(obj: u64) -> i32;
    }
}

// ------------------------------------------------------------------ errors

/// Linux errno values, negated in results.
pub const EPERM: i32 = 1;
pub const ENOENT: i32 = 2;
pub const EINTR: i32 = 4;
pub const E2BIG: i32 = 7;
pub const EBADF: i32 = 9;
pub const ENOMEM: i32 = 12;
pub const EFAULT: i32 = 14;
pub const EBUSY: i32 = 16;
pub const EEXIST: i32 = 17;
pub const EINVAL: i32 = 22;
pub const ERANGE: i32 = 34;
pub const EOPNOTSUPP: i32 = 95;

/// What a poll returns once the program was asked to stop: the host's -27,
/// which is wasi-libc's EINTR (docs/abi.md, section Stopping).
pub const STOPPED: i32 = -27;

/// A short description of a negative errno result of this module.
pub fn strerror(err: i32) -> String {
    let s = match -err {
        EPERM => "operation not permitted",
        ENOENT => "no such file or directory",
        EINTR => "interrupted",
        E2BIG => "argument list too long",
        EBADF => "bad file descriptor",
        ENOMEM => "out of memory",
        EFAULT => "bad address",
        EBUSY => "device or resource busy",
        EEXIST => "file exists",
        EINVAL => "invalid argument",
        ERANGE => "result out of range",
        27 => "stopped",
        EOPNOTSUPP => "operation not supported",
        _ => return format!("error {}", err),
    };
    s.to_string()
}

fn cstr(s: &str) -> Result<CString, i32> {
    CString::new(s).map_err(|_| -EINVAL)
}

fn ptr(b: &[u8]) -> u32 {
    b.as_ptr() as usize as u32
}

// ------------------------------------------------------------------ ELF and BTF

/// Map types (linux/bpf.h) this module treats specially.
pub const BPF_MAP_TYPE_PERF_EVENT_ARRAY: u32 = 4;
pub const BPF_MAP_TYPE_PERCPU_HASH: u32 = 5;
pub const BPF_MAP_TYPE_PERCPU_ARRAY: u32 = 6;
pub const BPF_MAP_TYPE_LRU_PERCPU_HASH: u32 = 10;
pub const BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE: u32 = 21;
pub const BPF_MAP_TYPE_RINGBUF: u32 = 27;

/// Update flags.
pub const BPF_ANY: u64 = 0;
pub const BPF_NOEXIST: u64 = 1;
pub const BPF_EXIST: u64 = 2;

const BPF_MAP_LOOKUP_ELEM: i32 = 1;
const BPF_MAP_UPDATE_ELEM: i32 = 2;
const BPF_MAP_DELETE_ELEM: i32 = 3;
const BPF_MAP_GET_NEXT_KEY: i32 = 4;

const SHT_SYMTAB: u32 = 2;
const SHT_NOBITS: u32 = 8;

/// A read-only view of a 64-bit ELF file: just what finding sections and
/// symbols takes. Every offset is checked against the file's length.
struct Elf<'a> {
    b: &'a [u8],
    le: bool,
    shoff: usize,
    shentsize: usize,
    shnum: usize,
    shstrndx: usize,
}

struct Section {
    name: u32,
    typ: u32,
    offset: usize,
    size: usize,
    link: u32,
}

fn bytes_at(b: &[u8], off: usize, n: usize) -> Option<&[u8]> {
    b.get(off..off.checked_add(n)?)
}

impl<'a> Elf<'a> {
    fn parse(b: &'a [u8]) -> Result<Elf<'a>, i32> {
        // ELF magic, ELFCLASS64, ELFDATA2LSB or ELFDATA2MSB
        if b.len() < 64 || &b[0..4] != b"\x7fELF" || b[4] != 2 || !(b[5] == 1 || b[5] == 2) {
            return Err(-EINVAL);
        }
        let mut e = Elf { b, le: b[5] == 1, shoff: 0, shentsize: 0, shnum: 0, shstrndx: 0 };
        e.shoff = e.u64(0x28).ok_or(-EINVAL)? as usize;
        e.shentsize = e.u16(0x3a).ok_or(-EINVAL)? as usize;
        e.shnum = e.u16(0x3c).ok_or(-EINVAL)? as usize;
        e.shstrndx = e.u16(0x3e).ok_or(-EINVAL)? as usize;
        if e.shentsize < 64 {
            return Err(-EINVAL);
        }
        Ok(e)
    }

    fn u16(&self, off: usize) -> Option<u16> {
        let a: [u8; 2] = bytes_at(self.b, off, 2)?.try_into().ok()?;
        Some(if self.le { u16::from_le_bytes(a) } else { u16::from_be_bytes(a) })
    }

    fn u32(&self, off: usize) -> Option<u32> {
        let a: [u8; 4] = bytes_at(self.b, off, 4)?.try_into().ok()?;
        Some(if self.le { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) })
    }

    fn u64(&self, off: usize) -> Option<u64> {
        let a: [u8; 8] = bytes_at(self.b, off, 8)?.try_into().ok()?;
        Some(if self.le { u64::from_le_bytes(a) } else { u64::from_be_bytes(a) })
    }

    fn section(&self, i: usize) -> Option<Section> {
        if i >= self.shnum {
            return None;
        }
        let h = self.shoff.checked_add(i.checked_mul(self.shentsize)?)?;
        let s = Section {
            name: self.u32(h)?,
            typ: self.u32(h + 4)?,
            offset: self.u64(h + 0x18)? as usize,
            size: self.u64(h + 0x20)? as usize,
            link: self.u32(h + 0x28)?,
        };
        // a section with file bytes must lie inside the file
        if s.typ != SHT_NOBITS {
            bytes_at(self.b, s.offset, s.size)?;
        }
        Some(s)
    }

    /// The NUL-terminated string at off in string table section strtab.
    fn str(&self, strtab: usize, off: u32) -> Option<&'a [u8]> {
        let st = self.section(strtab)?;
        let t = bytes_at(self.b, st.offset, st.size)?;
        let s = t.get(off as usize..)?;
        Some(&s[..s.iter().position(|&c| c == 0)?])
    }

    fn section_name(&self, s: &Section) -> Option<&'a [u8]> {
        self.str(self.shstrndx, s.name)
    }

    fn section_by_name(&self, name: &str) -> Option<Section> {
        (0..self.shnum)
            .filter_map(|i| self.section(i))
            .find(|s| self.section_name(s) == Some(name.as_bytes()))
    }

    /// (file offset, size) of the bytes of global variable name, which must
    /// live in a section with file bytes (.rodata, .data; not .bss).
    fn global(&self, name: &str) -> Result<(usize, usize), i32> {
        let symtab = (0..self.shnum)
            .filter_map(|i| self.section(i))
            .find(|s| s.typ == SHT_SYMTAB)
            .ok_or(-ENOENT)?;
        for i in 0..symtab.size / 24 {
            let o = symtab.offset + i * 24;
            let st_name = self.u32(o).ok_or(-EINVAL)?;
            if self.str(symtab.link as usize, st_name) != Some(name.as_bytes()) {
                continue;
            }
            let shndx = self.u16(o + 6).ok_or(-EINVAL)? as usize;
            let value = self.u64(o + 8).ok_or(-EINVAL)? as usize;
            let size = self.u64(o + 16).ok_or(-EINVAL)? as usize;
            let sec = self.section(shndx).ok_or(-EINVAL)?;
            if sec.typ == SHT_NOBITS {
                return Err(-EOPNOTSUPP); // .bss: no bytes in the file to patch
            }
            let end = value.checked_add(size).ok_or(-EINVAL)?;
            if end > sec.size {
                return Err(-EINVAL);
            }
            return Ok((sec.offset + value, size));
        }
        Err(-ENOENT)
    }
}

/// What the object's BTF says of one map of its ".maps" section.
#[derive(Clone, Debug)]
pub struct MapInfo {
    pub name: String,
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
}

const BTF_KIND_INT: u32 = 1;
const BTF_KIND_PTR: u32 = 2;
const BTF_KIND_ARRAY: u32 = 3;
const BTF_KIND_STRUCT: u32 = 4;
const BTF_KIND_UNION: u32 = 5;
const BTF_KIND_ENUM: u32 = 6;
const BTF_KIND_TYPEDEF: u32 = 8;
const BTF_KIND_VOLATILE: u32 = 9;
const BTF_KIND_CONST: u32 = 10;
const BTF_KIND_RESTRICT: u32 = 11;
const BTF_KIND_FUNC_PROTO: u32 = 13;
const BTF_KIND_VAR: u32 = 14;
const BTF_KIND_DATASEC: u32 = 15;
const BTF_KIND_FLOAT: u32 = 16;
const BTF_KIND_DECL_TAG: u32 = 17;
const BTF_KIND_TYPE_TAG: u32 = 18;
const BTF_KIND_ENUM64: u32 = 19;

/// The type section of a .BTF section: each type's offset, by id.
struct Btf<'a> {
    e: &'a Elf<'a>,
    types: Vec<usize>, // types[id - 1]: file offset of type id
    str_off: usize,
    str_len: usize,
}

impl<'a> Btf<'a> {
    fn parse(e: &'a Elf<'a>) -> Option<Btf<'a>> {
        let sec = e.section_by_name(".BTF")?;
        let base = sec.offset;
        if e.u16(base)? != 0xeb9f {
            return None;
        }
        let hdr_len = e.u32(base + 4)? as usize;
        let type_off = e.u32(base + 8)? as usize;
        let type_len = e.u32(base + 12)? as usize;
        let str_off = e.u32(base + 16)? as usize;
        let str_len = e.u32(base + 20)? as usize;
        let tstart = base.checked_add(hdr_len)?.checked_add(type_off)?;
        let tend = tstart.checked_add(type_len)?;
        let sstart = base.checked_add(hdr_len)?.checked_add(str_off)?;
        if tend > base + sec.size || sstart.checked_add(str_len)? > base + sec.size {
            return None;
        }
        let mut types = Vec::new();
        let mut o = tstart;
        while o + 12 <= tend {
            types.push(o);
            let info = e.u32(o + 4)?;
            let vlen = (info & 0xffff) as usize;
            let extra = match (info >> 24) & 0x1f {
                BTF_KIND_INT | BTF_KIND_VAR | BTF_KIND_DECL_TAG => 4,
                BTF_KIND_ARRAY => 12,
                BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_DATASEC | BTF_KIND_ENUM64 => 12 * vlen,
                BTF_KIND_ENUM | BTF_KIND_FUNC_PROTO => 8 * vlen,
                _ => 0,
            };
            o += 12 + extra;
        }
        Some(Btf { e, types, str_off: sstart, str_len })
    }

    fn name(&self, off: u32) -> Option<&'a [u8]> {
        let t = bytes_at(self.e.b, self.str_off, self.str_len)?;
        let s = t.get(off as usize..)?;
        Some(&s[..s.iter().position(|&c| c == 0)?])
    }

    /// (name_off, kind, vlen, size_or_type, offset of the kind's data)
    fn ty(&self, id: u32) -> Option<(u32, u32, usize, u32, usize)> {
        let o = *self.types.get((id as usize).checked_sub(1)?)?;
        let info = self.e.u32(o + 4)?;
        Some((self.e.u32(o)?, (info >> 24) & 0x1f, (info & 0xffff) as usize, self.e.u32(o + 8)?, o + 12))
    }

    /// The size in bytes of type id on the BPF target.
    fn size(&self, mut id: u32) -> Option<u64> {
        for _ in 0..32 {
            let (_, kind, _, st, data) = self.ty(id)?;
            match kind {
                BTF_KIND_INT | BTF_KIND_STRUCT | BTF_KIND_UNION | BTF_KIND_ENUM
                | BTF_KIND_ENUM64 | BTF_KIND_FLOAT => return Some(st as u64),
                BTF_KIND_PTR => return Some(8),
                BTF_KIND_ARRAY => {
                    let elem = self.e.u32(data)?;
                    let n = self.e.u32(data + 8)? as u64;
                    return self.size(elem)?.checked_mul(n);
                }
                BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST | BTF_KIND_RESTRICT
                | BTF_KIND_TYPE_TAG => id = st,
                _ => return None,
            }
        }
        None
    }

    /// __uint(name, N) is `int (*name)[N]`: N.
    fn uint_member(&self, ptr: u32) -> Option<u32> {
        let (_, kind, _, arr, _) = self.ty(ptr)?;
        if kind != BTF_KIND_PTR {
            return None;
        }
        let (_, kind, _, _, data) = self.ty(arr)?;
        if kind != BTF_KIND_ARRAY {
            return None;
        }
        self.e.u32(data + 8)
    }

    /// __type(name, T) is `T *name`: sizeof(T).
    fn type_member(&self, ptr: u32) -> Option<u32> {
        let (_, kind, _, t, _) = self.ty(ptr)?;
        if kind != BTF_KIND_PTR {
            return None;
        }
        u32::try_from(self.size(t)?).ok()
    }

    /// Every map of the ".maps" DATASEC, as libbpf reads its definition.
    fn maps(&self) -> Vec<MapInfo> {
        let mut out = Vec::new();
        for id in 1..=self.types.len() as u32 {
            let (name, kind, vlen, _, data) = match self.ty(id) {
                Some(t) => t,
                None => break,
            };
            if kind != BTF_KIND_DATASEC || self.name(name) != Some(b".maps") {
                continue;
            }
            for v in 0..vlen {
                if let Some(m) = self.e.u32(data + 12 * v).and_then(|var| self.map(var)) {
                    out.push(m);
                }
            }
        }
        out
    }

    fn map(&self, var: u32) -> Option<MapInfo> {
        let (vname, kind, _, mut def, _) = self.ty(var)?;
        if kind != BTF_KIND_VAR {
            return None;
        }
        let mut m = MapInfo {
            name: String::from_utf8_lossy(self.name(vname)?).into_owned(),
            map_type: 0,
            key_size: 0,
            value_size: 0,
        };
        // the definition's struct, through typedefs and qualifiers
        let mut found = None;
        for _ in 0..32 {
            let (_, k, vl, st, d) = self.ty(def)?;
            match k {
                BTF_KIND_STRUCT => {
                    found = Some((vl, d));
                    break;
                }
                BTF_KIND_TYPEDEF | BTF_KIND_VOLATILE | BTF_KIND_CONST => def = st,
                _ => return None,
            }
        }
        let (svlen, sdata) = found?;
        for i in 0..svlen {
            let mname = self.name(self.e.u32(sdata + 12 * i)?)?;
            let mtype = self.e.u32(sdata + 12 * i + 4)?;
            match mname {
                b"type" => m.map_type = self.uint_member(mtype)?,
                b"key_size" => m.key_size = self.uint_member(mtype)?,
                b"value_size" => m.value_size = self.uint_member(mtype)?,
                b"key" => m.key_size = self.type_member(mtype)?,
                b"value" => m.value_size = self.type_member(mtype)?,
                _ => {}
            }
        }
        if m.map_type == BPF_MAP_TYPE_PERF_EVENT_ARRAY {
            // libbpf's defaults when the definition leaves them out
            if m.key_size == 0 {
                m.key_size = 4;
            }
            if m.value_size == 0 {
                m.value_size = 4;
            }
        }
        Some(m)
    }
}

// ------------------------------------------------------------------ object bytes

/// A private, writable copy of a BPF ELF object (usually an embedded
/// `include_bytes!` of a `.bpf.o`), whose initialised globals can be set
/// before it is loaded: the host loads the bytes exactly as given (see
/// docs/abi.md, section Loading an object).
pub struct ObjectBytes {
    buf: Vec<u8>,
}

impl ObjectBytes {
    /// A copy of bytes; fails with -EINVAL unless they are a 64-bit ELF file.
    pub fn new(bytes: &[u8]) -> Result<ObjectBytes, i32> {
        Elf::parse(bytes)?;
        Ok(ObjectBytes { buf: bytes.to_vec() })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The current bytes of global variable name (in `.rodata` or `.data`).
    pub fn global(&self, name: &str) -> Result<&[u8], i32> {
        let (off, size) = Elf::parse(&self.buf)?.global(name)?;
        Ok(&self.buf[off..off + size])
    }

    /// Set global variable name (a `const volatile` in `.rodata`, or a
    /// variable in `.data`) to value, found by the ELF symbol table.
    /// -ENOENT: no such symbol; -EINVAL: value's length is not the
    /// variable's size; -EOPNOTSUPP: a `.bss` variable (no file bytes).
    pub fn set_global(&mut self, name: &str, value: &[u8]) -> Result<(), i32> {
        let (off, size) = Elf::parse(&self.buf)?.global(name)?;
        if size != value.len() {
            return Err(-EINVAL);
        }
        self.buf[off..off + size].copy_from_slice(value);
        Ok(())
    }

    /// set_global() of an integer, in the object's byte order.
    pub fn set_u64(&mut self, name: &str, v: u64) -> Result<(), i32> {
        let b = if self.little_endian() { v.to_le_bytes() } else { v.to_be_bytes() };
        self.set_global(name, &b)
    }

    pub fn set_u32(&mut self, name: &str, v: u32) -> Result<(), i32> {
        let b = if self.little_endian() { v.to_le_bytes() } else { v.to_be_bytes() };
        self.set_global(name, &b)
    }

    /// True for an ELFDATA2LSB object (the BPF target of a little-endian host).
    pub fn little_endian(&self) -> bool {
        self.buf[5] == 1
    }

    /// Load these bytes: Object::load(self.as_bytes()).
    pub fn load(&self) -> Result<Object, i32> {
        Object::load(&self.buf)
    }
}

// ------------------------------------------------------------------ objects

/// Largest sample Object::poll() delivers whole by default; longer ones are cut.
pub const SAMPLE_MAX: usize = 65536;

/// A loaded BPF object. Dropping it closes the object: its links, poll
/// buffers and maps go (docs/abi.md, section Closing).
pub struct Object {
    handle: u64,
    maps: Vec<MapInfo>,
    sample_buf: RefCell<Vec<u8>>,
    sample_max: usize,
}

impl Object {
    /// Open and load the ELF object in bytes (the host copies them). Err(-EINVAL)
    /// when the host refuses it; the host prints libbpf's reason on stderr.
    pub fn load(bytes: &[u8]) -> Result<Object, i32> {
        if bytes.len() > u32::MAX as usize {
            return Err(-E2BIG);
        }
        // map sizes from BTF, read before load: the guest cannot ask the kernel
        let maps = match Elf::parse(bytes) {
            Ok(e) => Btf::parse(&e).map(|b| b.maps()).unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        let handle = unsafe { sys::wasm_load_bpf_object(ptr(bytes), bytes.len() as u32) };
        if handle == 0 {
            return Err(-EINVAL);
        }
        Ok(Object { handle, maps, sample_buf: RefCell::new(Vec::new()), sample_max: SAMPLE_MAX })
    }

    /// The host's handle, for the raw imports of [`sys`].
    pub fn handle(&self) -> u64 {
        self.handle
    }

    /// Attach program prog (its function name). target: None lets libbpf
    /// attach from the section name; otherwise a cgroup path, an interface,
    /// `BINARY:FUNCTION`, ... (docs/abi.md, section Attaching). -ENOENT for an
    /// unknown program. The link lives as long as the object.
    pub fn attach(&self, prog: &str, target: Option<&str>) -> Result<(), i32> {
        let name = cstr(prog)?;
        let target = target.map(cstr).transpose()?;
        let tptr = target.as_ref().map_or(0, |t| ptr(t.as_bytes_with_nul()));
        let err = unsafe {
            sys::wasm_attach_bpf_program(self.handle, ptr(name.as_bytes_with_nul()), tptr)
        };
        if err < 0 {
            Err(err)
        } else {
            Ok(())
        }
    }

    /// The fd of map name, or a negative errno (-ENOENT: no such map).
    pub fn map_fd(&self, name: &str) -> Result<i32, i32> {
        let name = cstr(name)?;
        let fd = unsafe { sys::wasm_bpf_map_fd_by_name(self.handle, ptr(name.as_bytes_with_nul())) };
        if fd < 0 {
            Err(fd)
        } else {
            Ok(fd)
        }
    }

    /// What the object's BTF says of its maps (empty without BTF).
    pub fn map_infos(&self) -> &[MapInfo] {
        &self.maps
    }

    /// Map name, with its key and value sizes from the object's BTF, for
    /// size-checked operations. -ENOENT: no such map, or one BTF does not
    /// describe (a legacy map definition).
    pub fn map(&self, name: &str) -> Result<Map<'_>, i32> {
        let info = self.maps.iter().find(|m| m.name == name).ok_or(-ENOENT)?;
        let fd = self.map_fd(name)?;
        Ok(Map { _obj: self, fd, info: info.clone() })
    }

    /// The largest sample poll() copies whole (default SAMPLE_MAX).
    pub fn set_sample_max(&mut self, max: usize) {
        self.sample_max = max.clamp(1, i32::MAX as usize);
    }

    /// Wait up to timeout_ms for samples of the ring buffer or perf event
    /// array map fd, and call cb with each one (at most the sample maximum
    /// of bytes; see set_sample_max()). A negative value from cb stops the
    /// poll and is returned as its error.
    ///
    /// Ok(samples consumed (ring buffer) or events (perf buffer), 0 on time-
    /// out); Err(STOPPED) once the program was asked to stop; Err(-EBUSY)
    /// when called from inside a callback; another negative errno otherwise.
    pub fn poll<F>(&self, fd: i32, timeout_ms: i32, mut cb: F) -> Result<u32, i32>
    where
        F: FnMut(&[u8]) -> i32,
    {
        let mut buf = self.sample_buf.try_borrow_mut().map_err(|_| -EBUSY)?;
        if buf.len() != self.sample_max {
            buf.resize(self.sample_max, 0);
        }
        let mut ctx = PollCtx { cb: &mut cb, max: buf.len(), err: 0 };
        let data = buf.as_mut_ptr() as usize as u32;
        let ret = unsafe {
            sys::wasm_bpf_buffer_poll(
                self.handle,
                fd,
                sample_trampoline as usize as u32, // a table index on wasm32
                &mut ctx as *mut PollCtx as usize as u32,
                data,
                ctx.max as u32,
                timeout_ms,
            )
        };
        if ret >= 0 {
            Ok(ret as u32)
        } else if ctx.err < 0 && ret == ctx.err {
            Err(ret) // the callback's own value
        } else if ret == STOPPED || ret == -EINTR {
            Err(STOPPED)
        } else {
            Err(ret)
        }
    }
}

impl Drop for Object {
    fn drop(&mut self) {
        unsafe {
            sys::wasm_close_bpf_object(self.handle);
        }
    }
}

struct PollCtx<'a> {
    cb: &'a mut dyn FnMut(&[u8]) -> i32,
    max: usize,
    err: i32,
}

/// The one function the host calls for every sample, of the exact type it
/// requires, (i32 ctx, i32 data, i32 size) -> i32 (docs/abi.md, section
/// Polling a buffer). ctx is the PollCtx of the poll() in progress; data
/// and size are the sample's copy in that poll's buffer.
extern "C" fn sample_trampoline(ctx: u32, data: u32, size: u32) -> i32 {
    // SAFETY: only Object::poll passes this function to the host, with ctx a
    // live PollCtx and data its buffer of ctx.max bytes; the host calls it
    // only while that poll runs.
    let ctx = unsafe { &mut *(ctx as usize as *mut PollCtx) };
    let n = (size as usize).min(ctx.max);
    let sample = unsafe { std::slice::from_raw_parts(data as usize as *const u8, n) };
    let ret = (ctx.cb)(sample);
    if ret < 0 {
        ctx.err = ret;
    }
    ret
}

// ------------------------------------------------------------------ maps

/// A map of a loaded object, with its key and value sizes: every operation
/// checks the slices' lengths against them (-EINVAL), so the host never
/// reads or writes past a slice.
pub struct Map<'o> {
    _obj: &'o Object,
    fd: i32,
    info: MapInfo,
}

impl<'o> Map<'o> {
    pub fn fd(&self) -> i32 {
        self.fd
    }

    pub fn info(&self) -> &MapInfo {
        &self.info
    }

    fn check(&self, key: usize, value: Option<usize>) -> Result<(), i32> {
        if key != self.info.key_size as usize {
            return Err(-EINVAL);
        }
        if let Some(v) = value {
            // per-CPU maps move round_up(value_size, 8) * possible CPUs bytes,
            // and the guest cannot count the host's CPUs
            match self.info.map_type {
                BPF_MAP_TYPE_PERCPU_HASH
                | BPF_MAP_TYPE_PERCPU_ARRAY
                | BPF_MAP_TYPE_LRU_PERCPU_HASH
                | BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE => return Err(-EOPNOTSUPP),
                _ => {}
            }
            if v != self.info.value_size as usize {
                return Err(-EINVAL);
            }
        }
        Ok(())
    }

    fn op(&self, cmd: i32, key: u32, value: u32, next: u32, flags: u64) -> Result<(), i32> {
        let err = unsafe { sys::wasm_bpf_map_operate(self.fd, cmd, key, value, next, flags) };
        if err < 0 {
            Err(err)
        } else {
            Ok(())
        }
    }

    /// Copy the value of key into value. -ENOENT: no such key.
    pub fn lookup(&self, key: &[u8], value: &mut [u8]) -> Result<(), i32> {
        self.lookup_flags(key, value, 0)
    }

    pub fn lookup_flags(&self, key: &[u8], value: &mut [u8], flags: u64) -> Result<(), i32> {
        self.check(key.len(), Some(value.len()))?;
        self.op(BPF_MAP_LOOKUP_ELEM, ptr(key), value.as_mut_ptr() as usize as u32, 0, flags)
    }

    /// Set key to value; flags BPF_ANY, BPF_NOEXIST or BPF_EXIST.
    pub fn update(&self, key: &[u8], value: &[u8], flags: u64) -> Result<(), i32> {
        self.check(key.len(), Some(value.len()))?;
        self.op(BPF_MAP_UPDATE_ELEM, ptr(key), ptr(value), 0, flags)
    }

    /// Delete key. -ENOENT: no such key.
    pub fn delete(&self, key: &[u8]) -> Result<(), i32> {
        self.check(key.len(), None)?;
        self.op(BPF_MAP_DELETE_ELEM, ptr(key), 0, 0, 0)
    }

    /// The key after key (the first one for None) in next. Ok(false) after
    /// the last key.
    pub fn next_key(&self, key: Option<&[u8]>, next: &mut [u8]) -> Result<bool, i32> {
        self.check(next.len(), None)?;
        if let Some(k) = key {
            self.check(k.len(), None)?;
        }
        let kptr = key.map_or(0, ptr);
        match self.op(BPF_MAP_GET_NEXT_KEY, kptr, 0, next.as_mut_ptr() as usize as u32, 0) {
            Ok(()) => Ok(true),
            Err(e) if e == -ENOENT => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Every key, in the kernel's order (a snapshot walk: keys deleted or
    /// added meanwhile may be missed or seen).
    pub fn keys(&self) -> Result<Vec<Vec<u8>>, i32> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        let mut next = vec![0u8; self.info.key_size as usize];
        loop {
            let more = self.next_key(out.last().map(|k| &k[..]), &mut next)?;
            if !more {
                return Ok(out);
            }
            out.push(next.clone());
        }
    }
}
