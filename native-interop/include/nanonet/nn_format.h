/*
 * nn_format.h - the packed model format (.nnb), version 1: the binding constants.
 *
 * docs/model-format.md is the prose specification; this header holds its numbers.
 * The C reader (src/model/) and the C# packer (host-tools/Nanonet.Packing) both follow it.
 *
 * General rules
 *  - All integers little-endian; no field is read through a struct cast (the reader uses
 *    explicit byte loads), so the blob needs no particular alignment to be *read*; the
 *    16-byte alignment of weights is for the kernels and is relative to the blob start.
 *  - Every offset is absolute (bytes from the start of the blob).
 *  - Order of sections in the blob: header, input spec, tensor table, op table, label table,
 *    data section. Sections other than data are 4-byte aligned; the data section is 16-aligned.
 *  - CRC32 is CRC-32/ISO-HDLC (zlib, polynomial 0xEDB88320 reflected, init and xorout 0xFFFFFFFF),
 *    computed over the whole blob (total_size bytes) with the four crc32 bytes taken as zero.
 *
 * Header (NN_HEADER_SIZE = 64 bytes)
 *   off size field
 *    0   4   magic            "NNET"
 *    4   2   version          NN_FORMAT_VERSION (1)
 *    6   2   header_size      64
 *    8   4   total_size       size of the whole blob in bytes
 *   12   4   crc32            see above
 *   16   4   flags            0 (reserved, must be zero)
 *   20   2   tensor_count     1 .. NN_MAX_TENSORS
 *   22   2   op_count         1 .. NN_MAX_OPS
 *   24   4   input_spec_offset
 *   28   4   tensors_offset   tensor table: tensor_count entries of NN_TENSOR_ENTRY_SIZE
 *   32   4   ops_offset       op table: op_count variable-size records, back to back
 *   36   4   ops_size         total bytes of the op table
 *   40   4   labels_offset    label table (may hold zero labels)
 *   44   2   label_count      0 .. NN_MAX_LABELS
 *   46   2   input_tensor     index of the graph input tensor
 *   48   2   output_tensor    index of the graph output tensor
 *   50   2   reserved         0
 *   52   4   data_offset      data section start, 16-aligned
 *   56   4   data_size        data section size; data_offset + data_size == total_size
 *   60   4   reserved         0
 *
 * Input spec (at input_spec_offset)
 *    0   1   colour_layout    NN_COLOUR_RAW (0: feed int8 tensor as is), NN_COLOUR_GRAY8 (1),
 *                             NN_COLOUR_RGB888 (2: interleaved R,G,B)
 *    1   1   lut_count        0 (raw), 1 (one table for every channel) or 3 (one per R,G,B)
 *    2   2   reserved         0
 *    4   256*lut_count  int8 pixel-to-input tables: input value = lut[k][pixel byte]
 *  The input tensor's channel count must be 1 for GRAY8 and 3 for RGB888.
 *
 * Tensor entry (NN_TENSOR_ENTRY_SIZE = 20 bytes); every tensor is an int8 activation
 *    0   1   type             NN_TYPE_INT8 (1)
 *    1   1   rank             1 .. 4
 *    2   2   source_index     index of the tensor in the source .tflite (0xFFFF if none)
 *    4   8   dims[4]          u16 each; dims beyond rank are 0; each used dim >= 1
 *   12   4   scale            float32 bits, informational only (the engine never reads it)
 *   16   4   zero_point       int32, -128 .. 127
 *  Element count = product of dims[0..rank-1], at most NN_MAX_TENSOR_ELEMENTS.
 *  4-D tensors are NHWC. An op that needs NHWC views a rank < 4 tensor as the shape
 *  [1,1,...,dims] padded on the left with ones.
 *
 * Op record (NN_OP_HEADER_SIZE = 12 bytes of header, then an opcode-specific body)
 *    0   1   opcode           NN_OP_*
 *    1   1   reserved         0
 *    2   2   record_size      header + body, multiple of 4, equals NN_OP_HEADER_SIZE + body size
 *    4   2   input0           tensor index
 *    6   2   input1           tensor index, or NN_NO_TENSOR (0xFFFF) for single-input ops
 *    8   2   output           tensor index
 *   10   2   source_index     operator index in the source .tflite (for messages), 0xFFFF if none
 *  Ops are executed in table order. Every input must be the graph input or the output of an
 *  earlier op; every tensor is written by at most one op; an op's output is never the graph input.
 *
 * Bodies (offsets relative to the body start):
 *  CONV_2D, DEPTHWISE_CONV_2D (NN_CONV_BODY_SIZE = 24)
 *    0 u8 kernel_h   1 u8 kernel_w   2 u8 stride_h   3 u8 stride_w
 *    4 u8 dilation_h 5 u8 dilation_w 6 u8 pad_top    7 u8 pad_left
 *    8 u16 depth_multiplier (1 for CONV_2D)  10 u16 reserved
 *   12 i8 act_min   13 i8 act_max   14 u16 reserved
 *   16 u32 weights_offset   (16-aligned, inside the data section)
 *   20 u32 quant_offset     (channel quantisation block, 4-aligned, inside the data section)
 *   CONV_2D weights: OHWI [out_c][kernel_h][kernel_w][in_c] int8.
 *   DEPTHWISE weights: [kernel_h][kernel_w][in_c * depth_multiplier] int8, oc = ic * mult + m.
 *   Output size: out = (in + pad_before + pad_after - ((k - 1) * dilation + 1)) / stride + 1 for some
 *   pad_after in [0, (k - 1) * dilation]; taps outside the input contribute exactly zero.
 *  FULLY_CONNECTED (NN_FC_BODY_SIZE = 12)
 *    0 i8 act_min  1 i8 act_max  2 u8 per_channel (0/1, informational)  3 u8 reserved
 *    4 u32 weights_offset [out_depth][in_depth] int8   8 u32 quant_offset
 *   out_depth = last dim of the output; batches = output elements / out_depth;
 *   in_depth = input elements / batches.
 *  AVERAGE_POOL_2D (NN_POOL_BODY_SIZE = 8)
 *    0 u8 filter_h 1 u8 filter_w 2 u8 stride_h 3 u8 stride_w 4 u8 pad_top 5 u8 pad_left
 *    6 i8 act_min  7 i8 act_max           (input and output share scale and zero point)
 *  MEAN over H and W of an NHWC input (NN_MEAN_BODY_SIZE = 8)
 *    0 i32 multiplier   4 i8 shift   5..7 reserved
 *   (computed on the host exactly as TFLM's reduce kernel Prepare does)
 *  SOFTMAX over the last dimension (NN_SOFTMAX_BODY_SIZE = 12)
 *    0 i32 input_multiplier   4 i32 input_left_shift   8 i32 diff_min
 *   Output scale is 1/256 and zero point -128.
 *  ADD, same shapes (equal NHWC views of both inputs and the output), no broadcast (NN_ADD_BODY_SIZE = 32)
 *    0 i32 left_shift 4 i32 input1_multiplier 8 i32 input1_shift 12 i32 input2_multiplier
 *   16 i32 input2_shift 20 i32 output_multiplier 24 i32 output_shift 28 i8 act_min 29 i8 act_max
 *   30 u16 reserved
 *  PAD (NN_PAD_BODY_SIZE = 16): 0 u16 before[4] (N,H,W,C)  8 u16 after[4]; pad value = output zp
 *  RESHAPE (NN_RESHAPE_BODY_SIZE = 0): output elements == input elements; bytes copied unchanged.
 *
 * Channel quantisation block (at quant_offset; conv, depthwise and fully connected)
 *    0 u8 encoding      NN_QUANT_PACKED (1)
 *    1 u8 bias_bits     0 .. 32 (0: every bias is zero)
 *    2 u8 mult_bits     1 .. 31
 *    3 u8 shift_bits    0 .. 6
 *    4 i8 shift_base
 *    5 u8 reserved[3]   0
 *    8 u16 channel_count  must equal the op's output channels (out_depth for FC)
 *   10 u16 reserved
 *   12 bitstream: channel_count records of (bias_bits + mult_bits + shift_bits) bits, LSB first
 *      (bit i of the stream is bit (i % 8) of byte 12 + i / 8). Each record, in order:
 *        bias   : bias_bits, two's complement, sign-extended to int32
 *        mult   : mult_bits, unsigned v;   multiplier = v << (31 - mult_bits)
 *        shift  : shift_bits, unsigned d;  shift = shift_base + d
 *      Block size = 12 + ceil(channel_count * record_bits / 8).
 *    Valid: multiplier == 0 or 2^30 <= multiplier < 2^31; shift in [NN_MIN_SHIFT, NN_MAX_SHIFT].
 *    The host may store a multiplier with fewer significant bits than TFLM's 31 only where it has
 *    proved the requantised output identical for every accumulator the channel can produce.
 *
 * Label table (at labels_offset): label_count entries of u8 length + that many UTF-8 bytes.
 */
#ifndef NANONET_NN_FORMAT_H
#define NANONET_NN_FORMAT_H

#define NN_MAGIC_0 'N'
#define NN_MAGIC_1 'N'
#define NN_MAGIC_2 'E'
#define NN_MAGIC_3 'T'
#define NN_FORMAT_VERSION 1u
#define NN_HEADER_SIZE 64u
#define NN_TENSOR_ENTRY_SIZE 20u
#define NN_OP_HEADER_SIZE 12u
#define NN_INPUT_SPEC_HEADER_SIZE 4u
#define NN_QUANT_HEADER_SIZE 12u
#define NN_WEIGHTS_ALIGNMENT 16u
#define NN_BLOCK_ALIGNMENT 4u

#define NN_NO_TENSOR 0xFFFFu
#define NN_NO_SOURCE 0xFFFFu

/* Limits the reader enforces (absurd shapes are rejected, not attempted). */
#define NN_MAX_TENSORS 1024u
#define NN_MAX_OPS 1024u
#define NN_MAX_LABELS 1024u
#define NN_MAX_DIM 4096u
#define NN_MAX_TENSOR_ELEMENTS (4u * 1024u * 1024u)
#define NN_MAX_CHANNELS 4096u
#define NN_MAX_KERNEL 15u
#define NN_MAX_STRIDE 8u
#define NN_MAX_DILATION 8u
#define NN_MIN_SHIFT (-31)
#define NN_MAX_SHIFT 30

/* Tensor types */
#define NN_TYPE_INT8 1u

/* Input colour layouts */
#define NN_COLOUR_RAW 0u
#define NN_COLOUR_GRAY8 1u
#define NN_COLOUR_RGB888 2u

/* Opcodes (the engine's own numbering, not TFLite's) */
#define NN_OP_CONV_2D 1u
#define NN_OP_DEPTHWISE_CONV_2D 2u
#define NN_OP_AVERAGE_POOL_2D 3u
#define NN_OP_MEAN 4u
#define NN_OP_FULLY_CONNECTED 5u
#define NN_OP_RESHAPE 6u
#define NN_OP_SOFTMAX 7u
#define NN_OP_ADD 8u
#define NN_OP_PAD 9u
#define NN_OP_COUNT_ 10u

/* Body sizes */
#define NN_CONV_BODY_SIZE 24u
#define NN_FC_BODY_SIZE 12u
#define NN_POOL_BODY_SIZE 8u
#define NN_MEAN_BODY_SIZE 8u
#define NN_SOFTMAX_BODY_SIZE 12u
#define NN_ADD_BODY_SIZE 32u
#define NN_PAD_BODY_SIZE 16u
#define NN_RESHAPE_BODY_SIZE 0u

/* Channel quantisation encodings */
#define NN_QUANT_PACKED 1u

#endif
