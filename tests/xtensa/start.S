/* start.S - reset vector and start-up for the QEMU "sim" machine, lx106 (call0 ABI).
 * QEMU resets the CPU to 0x50000000 (system ROM) after loading the ELF; the reset vector
 * jumps to _start in RAM, which sets the stack pointer, zeroes .bss, copies .data when its
 * load address differs from its run address, calls main and exits through simcall.
 * VECBASE is pointed at a table in RAM whose every vector exits with status 100 + EXCCAUSE
 * (an unaligned load, say, then ends the run at once instead of hanging until the timeout). */
    .section .ResetVector.text, "ax"
    .global _ResetVector
_ResetVector:
    j       1f
    .align  4
2:  .word   _start
    .align  4
1:  l32r    a0, 2b
    jx      a0

    .section .vectors.text, "ax"
    .align  1024
    .global _xt_vectors
_xt_vectors:                 /* offsets 0x10 debug, 0x20 NMI, 0x30 kernel, 0x50 user, 0x70 double */
    .rept   8
    j       _xt_exception
    .align  16
    .endr
_xt_exception:
    rsr     a3, exccause
    addi    a3, a3, 100
    movi    a2, 1
    simcall
8:  j       8b

    .section .start.text, "ax"
    .align  4
.Lstack_top: .word __stack_top
.Lbss_start: .word __bss_start
.Lbss_end:   .word __bss_end
.Ldata_start: .word __data_start
.Ldata_end:   .word __data_end
.Ldata_load:  .word __data_load
.Lmain:       .word main
.Lvectors:    .word _xt_vectors
    .align  4
    .global _start
_start:
    l32r    a1, .Lstack_top
    l32r    a2, .Lvectors
    wsr     a2, vecbase
    isync
    movi    a0, 0
    /* zero .bss (word aligned by the linker script) */
    l32r    a2, .Lbss_start
    l32r    a3, .Lbss_end
    movi    a4, 0
3:  bgeu    a2, a3, 4f
    s32i    a4, a2, 0
    addi    a2, a2, 4
    j       3b
4:  /* copy .data from its load address if it differs */
    l32r    a2, .Ldata_start
    l32r    a3, .Ldata_end
    l32r    a5, .Ldata_load
    beq     a2, a5, 6f
5:  bgeu    a2, a3, 6f
    l32i    a4, a5, 0
    s32i    a4, a2, 0
    addi    a2, a2, 4
    addi    a5, a5, 4
    j       5b
6:  l32r    a0, .Lmain
    callx0  a0
    /* exit(main's return value) */
    mov     a3, a2
    movi    a2, 1
    simcall
7:  j       7b
