;; hostile: a start section that calls imports. wasm2c runs it inside
;; instantiate, before _start; the runtime must already see the guest's memory
;; (before the fix, the compiled program dereferenced a NULL memory).
;; exit: 0
;; stdout: written from the start section
;; stdout: written from _start
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "written from the start section\n")
  (data (i32.const 64) "written from _start\n")
  (global $err (mut i32) (i32.const 0))
  (func $say (param $buf i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $buf))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func $init
    (global.set $err (call $say (i32.const 16) (i32.const 31))))
  (start $init)
  (func (export "_start")
    ;; the WASI errno of the start section's write, if any, as 100 + errno
    (if (global.get $err)
      (then (call $proc_exit (i32.add (i32.const 100) (global.get $err)))))
    (drop (call $say (i32.const 64) (i32.const 20)))))
