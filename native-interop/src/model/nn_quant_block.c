/*
 * nn_quant_block.c - decoding the channel quantisation block (nn_format.h):
 * a 12-byte header and a little-endian, LSB-first bitstream of per-channel records
 * (bias, multiplier, shift). Only integer arithmetic; no byte beyond the block is read.
 */
#include <stdint.h>

#include "nn_model_internal.h"

/* 1 where pointers are at most 32 bits wide (a 32-bit core): decode with 32-bit arithmetic only. */
#ifndef NN_QUANT_DECODE32
#if UINTPTR_MAX <= 0xFFFFFFFFu
#define NN_QUANT_DECODE32 1
#else
#define NN_QUANT_DECODE32 0
#endif
#endif

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

/* Sequential reader: bits [pos, pos + count) come out LSB first; a byte is loaded only when a
 * field needs it, so no byte past the last record's last bit is read. */
typedef struct qbits {
    const uint8_t *p;
    uint64_t buf;
    uint32_t n; /* valid bits in buf (< 8 between fields) */
} qbits;

static uint32_t qbits_take(qbits *r, uint32_t count)
{
    uint32_t v;
    while (r->n < count) { /* count <= 32: n stays below 40 */
        r->buf |= (uint64_t)*r->p++ << r->n;
        r->n += 8u;
    }
    v = (uint32_t)(r->buf & (((uint64_t)1 << count) - 1u));
    r->buf >>= count;
    r->n -= count;
    return v;
}

/*
 * The fast path for a 32-bit core (bias 0..32 bits, multiplier 1..31, shift 0..24): 32-bit
 * arithmetic only. It runs once per kernel call of a streamed row, and a 32-bit core has no 64-bit
 * shifts (on the emulated lx106 it takes about 80 instructions a channel against 130 for the
 * 64-bit reservoir below, which a 64-bit host runs faster). nn_quant_decode_range picks one by
 * the pointer width; both give the records nn_quant_record reads (test_planner checks both).
 */
void nn_quant_decode_range32(const uint8_t *block, const nn_quant_header *h, uint32_t first, uint32_t count,
                             int32_t *bias, int32_t *multiplier, int32_t *shift)
{
    const uint32_t record_bits = h->bias_bits + h->mult_bits + h->shift_bits;
    const uint32_t pos = first * record_bits;
    uint32_t c;
    /* `v` holds the n (< 8 between fields) unread bits of the current byte, LSB first; a field
     * takes whole bytes until it has its bits, so no byte past the range's last record bit is
     * read. A field wider than 24 bits (a bias of 25..32 bits, a multiplier of 25..31 bits) is
     * read as 16 bits and the rest, so v never needs more than 31 bits. */
    const uint8_t *q = block + NN_QUANT_HEADER_SIZE + (pos >> 3);
    const uint32_t bb = h->bias_bits, mb = h->mult_bits, sb = h->shift_bits;
    const uint32_t mb_lo = mb > 24u ? 16u : mb, mb_hi = mb - mb_lo;
    const uint32_t bb_lo = bb > 24u ? 16u : bb, bb_hi = bb - bb_lo;
    const uint32_t bsign = bb > 0u ? (uint32_t)1 << (bb - 1u) : 0u; /* no bias bits: every bias 0 */
    const int32_t base = h->shift_base;
    uint32_t v = 0, n = 0;
    if (pos & 7u) {
        v = (uint32_t)(*q++ >> (pos & 7u));
        n = 8u - (pos & 7u);
    }
    for (c = 0; c < count; c++) {
        uint32_t f;
        /* bias: bb bits, sign-extended */
        while (n < bb_lo) {
            v |= (uint32_t)*q++ << n;
            n += 8u;
        }
        f = v & (((uint32_t)1 << bb_lo) - 1u);
        v >>= bb_lo;
        n -= bb_lo;
        if (bb_hi != 0u) {
            while (n < bb_hi) {
                v |= (uint32_t)*q++ << n;
                n += 8u;
            }
            f |= (v & (((uint32_t)1 << bb_hi) - 1u)) << bb_lo;
            v >>= bb_hi;
            n -= bb_hi;
        }
        /* sign-extended in uint32 (wrapping), so bb = 32 needs no case of its own */
        bias[c] = (int32_t)((f ^ bsign) - bsign);
        /* multiplier: mb bits, scaled to Q31 */
        while (n < mb_lo) {
            v |= (uint32_t)*q++ << n;
            n += 8u;
        }
        f = v & (((uint32_t)1 << mb_lo) - 1u);
        v >>= mb_lo;
        n -= mb_lo;
        if (mb_hi != 0u) {
            while (n < mb_hi) {
                v |= (uint32_t)*q++ << n;
                n += 8u;
            }
            f |= (v & (((uint32_t)1 << mb_hi) - 1u)) << mb_lo;
            v >>= mb_hi;
            n -= mb_hi;
        }
        multiplier[c] = (int32_t)(f << (31u - mb));
        /* shift: sb bits above the base */
        while (n < sb) {
            v |= (uint32_t)*q++ << n;
            n += 8u;
        }
        shift[c] = base + (int32_t)(v & (((uint32_t)1 << sb) - 1u));
        v >>= sb;
        n -= sb;
    }
}

void nn_quant_decode_range(const uint8_t *block, const nn_quant_header *h, uint32_t first, uint32_t count,
                           int32_t *bias, int32_t *multiplier, int32_t *shift)
{
    const uint32_t record_bits = h->bias_bits + h->mult_bits + h->shift_bits;
    const uint32_t pos = first * record_bits;
    qbits r;
    uint32_t c;
    if (count == 0) {
        return;
    }
    if (NN_QUANT_DECODE32 && count > 0u && h->bias_bits <= 32u && h->shift_bits <= 24u) {
        nn_quant_decode_range32(block, h, first, count, bias, multiplier, shift);
        return;
    }
    r.p = block + NN_QUANT_HEADER_SIZE + (pos >> 3);
    r.buf = 0;
    r.n = 0;
    if (record_bits <= 56u && h->bias_bits > 0u && h->bias_bits < 32u) {
        /* records of at most 56 bits: a 64-bit buffer takes whole bytes until it holds the next
         * record (at most 7 + 56 bits), then the three fields are cut from its low bits */
        const uint8_t *q = block + NN_QUANT_HEADER_SIZE + (pos >> 3);
        /* one past the last byte the range's records touch: nothing beyond it is read */
        const uint8_t *end = block + NN_QUANT_HEADER_SIZE + (((first + count) * record_bits + 7u) >> 3);
        const uint32_t bb = h->bias_bits, mb = h->mult_bits, sb = h->shift_bits;
        const uint64_t bmask = ((uint64_t)1 << bb) - 1u;
        const uint32_t mmask = (uint32_t)(((uint64_t)1 << mb) - 1u);
        const uint32_t smask = (uint32_t)(((uint64_t)1 << sb) - 1u);
        const int64_t bsign = (int64_t)1 << (bb - 1u);
        const int32_t base = h->shift_base;
        uint64_t v = 0;
        uint32_t n = 0;
        if (pos & 7u) {
            v = (uint64_t)(*q++ >> (pos & 7u));
            n = 8u - (pos & 7u);
        }
        for (c = 0; c < count; c++) {
            while (n < record_bits) {
                if (n <= 32u && end - q >= 4) { /* 32 more bits fit the buffer */
                    v |= (uint64_t)((uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
                                    (uint32_t)q[3] << 24) << n;
                    q += 4;
                    n += 32u;
                } else {
                    v |= (uint64_t)*q++ << n;
                    n += 8u;
                }
            }
            bias[c] = (int32_t)(((int64_t)(v & bmask) ^ bsign) - bsign); /* sign-extend */
            multiplier[c] = (int32_t)(((uint32_t)(v >> bb) & mmask) << (31u - mb));
            shift[c] = base + (int32_t)((uint32_t)(v >> (bb + mb)) & smask);
            v >>= record_bits;
            n -= record_bits;
        }
        return;
    }
    if (pos & 7u) { /* skip the bits of the byte before the first record */
        r.buf = (uint64_t)(*r.p++ >> (pos & 7u));
        r.n = 8u - (pos & 7u);
    }
    for (c = 0; c < count; c++) {
        uint32_t v = qbits_take(&r, h->bias_bits);
        int64_t b = (int64_t)v;
        if (h->bias_bits > 0 && ((v >> (h->bias_bits - 1u)) & 1u)) {
            b -= (int64_t)1 << h->bias_bits; /* sign-extend */
        }
        bias[c] = (int32_t)b;
        v = qbits_take(&r, h->mult_bits);
        multiplier[c] = (int32_t)(v << (31u - h->mult_bits));
        shift[c] = h->shift_base + (int32_t)qbits_take(&r, h->shift_bits);
    }
}

uint32_t nn_quant_decode(const uint8_t *block, int32_t *bias, int32_t *multiplier, int32_t *shift)
{
    nn_quant_header h;
    nn_quant_read_header(block, &h);
    nn_quant_decode_range(block, &h, 0, h.channel_count, bias, multiplier, shift);
    return h.channel_count;
}
