;; hostile: a guest that grows its memory to 65536 pages (4 GiB, the whole
;; 32-bit space). The runtime's range checks must see 4 GiB, not a 32-bit byte
;; size wrapped to 0 (before the fix every import returned EFAULT, compiled
;; only), and must still refuse a range one byte past the end.
;; exit: 0
;; stdout: 4 GiB memory ok
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $r i32)
    (if (i32.eq (memory.grow (i32.const 65535)) (i32.const -1))
      (then (call $proc_exit (i32.const 99))))
    ;; "4 GiB memory ok\n" in the last 16 bytes, its iovec below it
    (i64.store (i32.const 0xfffffff0) (i64.const 0x656d204269472034))
    (i64.store (i32.const 0xfffffff8) (i64.const 0x0a6b6f2079726f6d))
    (i32.store (i32.const 0xffffffe0) (i32.const 0xfffffff0))
    (i32.store (i32.const 0xffffffe4) (i32.const 16))
    (local.set $r (call $fd_write (i32.const 1) (i32.const 0xffffffe0) (i32.const 1)
                                  (i32.const 0xffffffe8)))
    (if (local.get $r) (then (call $proc_exit (i32.add (i32.const 100) (local.get $r)))))
    ;; one byte more runs past the end: EFAULT (21), nothing written
    (i32.store (i32.const 0xffffffe4) (i32.const 17))
    (local.set $r (call $fd_write (i32.const 1) (i32.const 0xffffffe0) (i32.const 1)
                                  (i32.const 0xffffffe8)))
    (if (i32.ne (local.get $r) (i32.const 21))
      (then (call $proc_exit (i32.add (i32.const 150) (local.get $r)))))))
