/* kernel_cases.h - the board's kernels against the reference on the emulated core (kernel_cases.c). */
#ifndef NANONET_XT_KERNEL_CASES_H
#define NANONET_XT_KERNEL_CASES_H

/* Runs the kernel equality groups, one case line each; adds them to *passed / *failed. */
void xt_kernel_cases(unsigned *passed, unsigned *failed);

#endif
