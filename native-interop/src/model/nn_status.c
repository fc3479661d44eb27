/* nn_status.c - names and messages of the engine's status codes. */
#include "nanonet/nn_status.h"

static const char *const nn_status_names[NN_STATUS_COUNT_] = {
    "NN_OK",
    "NN_ERR_NULL_ARGUMENT",
    "NN_ERR_TRUNCATED",
    "NN_ERR_BAD_MAGIC",
    "NN_ERR_BAD_VERSION",
    "NN_ERR_BAD_HEADER",
    "NN_ERR_BAD_CRC",
    "NN_ERR_BAD_OFFSET",
    "NN_ERR_BAD_ALIGNMENT",
    "NN_ERR_BAD_TENSOR",
    "NN_ERR_BAD_SHAPE",
    "NN_ERR_UNKNOWN_OP",
    "NN_ERR_BAD_OP",
    "NN_ERR_BAD_PARAM",
    "NN_ERR_BAD_QUANT",
    "NN_ERR_BAD_LABELS",
    "NN_ERR_BAD_INPUT_SPEC",
    "NN_ERR_ARENA_TOO_SMALL",
    "NN_ERR_INPUT_SIZE",
    "NN_ERR_OUTPUT_SIZE",
    "NN_ERR_INTERNAL",
};

static const char *const nn_status_messages[NN_STATUS_COUNT_] = {
    "Success.",
    "A required pointer argument was NULL.",
    "The blob is shorter than its header or than the total size the header declares.",
    "The blob does not start with the magic bytes \"NNET\".",
    "The blob uses an unsupported format version.",
    "A header field (header size, total size, flags, counts or reserved fields) is invalid.",
    "The CRC32 of the blob does not match the value stored in its header.",
    "A section or data offset or size points outside the blob or outside its section.",
    "A weights offset is not 16-byte aligned, or a section or block is not 4-byte aligned.",
    "A tensor table entry is invalid (type, rank, zero point) or a tensor index is out of range.",
    "Tensor dimensions are absurd or inconsistent with the op that uses them.",
    "An op record has an opcode this engine does not know.",
    "An op record is malformed (size, reserved fields, tensor references or order).",
    "An op parameter is out of range (stride 0, kernel too big, clamp min above max ...).",
    "A channel quantisation block, multiplier or shift is invalid.",
    "The label table is malformed.",
    "The input spec (colour layout or pixel tables) is malformed.",
    "The arena is smaller than nn_executor_arena_size() requires.",
    "The input buffer size differs from the input tensor's element count.",
    "The output buffer size differs from the output tensor's element count.",
    "An engine invariant failed (this is a bug).",
};

const char *nn_status_name(int status)
{
    if (status < 0 || status >= (int)NN_STATUS_COUNT_) {
        return "NN_ERR_UNKNOWN_STATUS";
    }
    return nn_status_names[status];
}

const char *nn_status_message(int status)
{
    if (status < 0 || status >= (int)NN_STATUS_COUNT_) {
        return "Unknown status code.";
    }
    return nn_status_messages[status];
}
