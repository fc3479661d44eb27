/* interop_case.h - the board's load path through nn_interop on the emulated core (interop_case.c). */
#ifndef NANONET_XT_INTEROP_CASE_H
#define NANONET_XT_INTEROP_CASE_H

/* Runs the interop cases, one case line each; adds them to *passed / *failed. */
void xt_interop_cases(unsigned *passed, unsigned *failed);

#endif
