/*
 * nn_quant_block.c - decoding the channel quantisation block (nn_format.h):
 * a 12-byte header and a little-endian, LSB-first bitstream of per-channel records
 * (bias, multiplier, shift). Only integer arithmetic; no byte beyond the block is read.
 */
#include "nn_model_internal.h"

void nn_quant_read_header(const uint8_t *block, nn_quant_header *h)
{
    h->encoding = nn_ld_u8(block + 0);
    h->bias_bits = nn_ld_u8(block + 1);
    h->mult_bits = nn_ld_u8(block + 2);
    h->shift_bits = nn_ld_u8(block + 3);
    h->shift_base = nn_ld_i8(block + 4);
    h->reserved = nn_ld_u8(block + 5) | nn_ld_u8(block + 6) | nn_ld_u8(block + 7) | nn_ld_u16(block + 10);
    h->channel_count = nn_ld_u16(block + 8);
}

uint32_t nn_quant_block_size(const nn_quant_header *h)
{
    /* channel_count <= 65535 and record bits <= 255 * 3: the product fits 32 bits. */
    const uint32_t record_bits = h->bias_bits + h->mult_bits + h->shift_bits;
    const uint32_t bits = h->channel_count * record_bits;
    return NN_QUANT_HEADER_SIZE + (bits + 7u) / 8u;
}

/* `count` (0..32) bits starting at bit position `pos` of the stream, LSB first.
 * Touches only bytes pos/8 .. (pos+count-1)/8. */
static uint32_t read_bits(const uint8_t *stream, uint32_t pos, uint32_t count)
{
    uint64_t acc = 0;
    uint32_t first, last, i;
    if (count == 0) {
        return 0;
    }
    first = pos >> 3;
    last = (pos + count - 1u) >> 3;
    for (i = first; i <= last; i++) {
        acc |= (uint64_t)stream[i] << (8u * (i - first));
    }
    acc >>= (pos & 7u);
    if (count < 32u) {
        acc &= ((uint64_t)1 << count) - 1u;
    }
    return (uint32_t)acc;
}

void nn_quant_record(const uint8_t *block, const nn_quant_header *h, uint32_t index,
                     int32_t *bias, int32_t *multiplier, int32_t *shift)
{
    const uint8_t *stream = block + NN_QUANT_HEADER_SIZE;
    const uint32_t record_bits = h->bias_bits + h->mult_bits + h->shift_bits;
    uint32_t pos = index * record_bits;
    uint32_t v;
    int64_t b;

    v = read_bits(stream, pos, h->bias_bits);
    b = (int64_t)v;
    if (h->bias_bits > 0 && ((v >> (h->bias_bits - 1u)) & 1u)) {
        b -= (int64_t)1 << h->bias_bits; /* sign-extend */
    }
    *bias = (int32_t)b;
    pos += h->bias_bits;

    v = read_bits(stream, pos, h->mult_bits);
    /* v < 2^mult_bits, mult_bits in 1..31: the result is below 2^31 */
    *multiplier = (int32_t)(v << (31u - h->mult_bits));
    pos += h->mult_bits;

    v = read_bits(stream, pos, h->shift_bits);
    *shift = h->shift_base + (int32_t)v;
}

uint32_t nn_quant_decode(const uint8_t *block, int32_t *bias, int32_t *multiplier, int32_t *shift)
{
    nn_quant_header h;
    uint32_t c;
    nn_quant_read_header(block, &h);
    for (c = 0; c < h.channel_count; c++) {
        nn_quant_record(block, &h, c, &bias[c], &multiplier[c], &shift[c]);
    }
    return h.channel_count;
}
