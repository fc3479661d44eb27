/*
 * nn_status.h - status codes returned by the Nanonet engine.
 *
 * Every fault the model reader or the executor can detect has its own code, so a
 * caller (the CLI, the nanoFramework glue) can say exactly what is wrong.
 * nn_status_name() gives a stable upper-case identifier, nn_status_message() a sentence.
 */
#ifndef NANONET_NN_STATUS_H
#define NANONET_NN_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nn_status {
    NN_OK = 0,
    NN_ERR_NULL_ARGUMENT = 1,     /* a required pointer argument was NULL */
    NN_ERR_TRUNCATED = 2,         /* blob shorter than its header or than header.total_size */
    NN_ERR_BAD_MAGIC = 3,         /* first four bytes are not "NNET" */
    NN_ERR_BAD_VERSION = 4,       /* unsupported format version */
    NN_ERR_BAD_HEADER = 5,        /* header_size, flags or reserved fields wrong */
    NN_ERR_BAD_CRC = 6,           /* CRC32 does not match the blob */
    NN_ERR_BAD_OFFSET = 7,        /* a section or data offset/size points outside the blob or its section */
    NN_ERR_BAD_ALIGNMENT = 8,     /* a weights offset is not 16-byte aligned, or a block not 4-byte aligned */
    NN_ERR_BAD_TENSOR = 9,        /* tensor table entry invalid (type, rank, index out of range) */
    NN_ERR_BAD_SHAPE = 10,        /* dimensions absurd or inconsistent with the op that uses them */
    NN_ERR_UNKNOWN_OP = 11,       /* opcode not known to this engine */
    NN_ERR_BAD_OP = 12,           /* op record malformed (size, tensor references, order) */
    NN_ERR_BAD_PARAM = 13,        /* op parameter out of range (stride 0, kernel too big, clamp min > max ...) */
    NN_ERR_BAD_QUANT = 14,        /* channel quantisation block or multiplier/shift invalid */
    NN_ERR_BAD_LABELS = 15,       /* label table malformed */
    NN_ERR_BAD_INPUT_SPEC = 16,   /* input spec (colour layout, pixel table) malformed */
    NN_ERR_ARENA_TOO_SMALL = 17,  /* caller's arena is smaller than nn_executor_arena_size() */
    NN_ERR_INPUT_SIZE = 18,       /* input buffer size differs from the input tensor's */
    NN_ERR_OUTPUT_SIZE = 19,      /* output buffer size differs from the output tensor's */
    NN_ERR_INTERNAL = 20,         /* an engine invariant failed (a bug) */
    NN_STATUS_COUNT_ = 21
} nn_status;

/* Stable identifier such as "NN_ERR_BAD_CRC"; "NN_ERR_UNKNOWN_STATUS" for values out of range. */
const char *nn_status_name(int status);

/* One-sentence description, for error messages. */
const char *nn_status_message(int status);

#ifdef __cplusplus
}
#endif

#endif
