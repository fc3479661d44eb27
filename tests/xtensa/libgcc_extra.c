/* libgcc_extra.c - the integer helpers Debian's lx106 libgcc lacks (lx106 has no divider and
 * no 32x32 high-half multiply). Simple and exact: shift-subtract division, 32x32->64 from
 * 16-bit halves. Written so that gcc does not turn them back into calls to themselves
 * (no 64-bit '*' or '/' appears here). */
#include <stdint.h>

uint64_t __umulsidi3(uint32_t a, uint32_t b);
uint64_t __muldi3(uint64_t a, uint64_t b);
uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);
int32_t __divsi3(int32_t n, int32_t d);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);

uint64_t __umulsidi3(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xffffu, ah = a >> 16;
    uint32_t bl = b & 0xffffu, bh = b >> 16;
    uint32_t ll = al * bl;          /* each partial product fits in 32 bits */
    uint32_t lh = al * bh;
    uint32_t hl = ah * bl;
    uint32_t hh = ah * bh;
    /* middle column: (ll >> 16) + low halves of lh and hl; fits in 18 bits */
    uint32_t mid = (ll >> 16) + (lh & 0xffffu) + (hl & 0xffffu);
    uint32_t lo = (ll & 0xffffu) | (mid << 16);
    uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
    return ((uint64_t)hi << 32) | lo;
}

uint64_t __muldi3(uint64_t a, uint64_t b)
{
    uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
    uint32_t bl = (uint32_t)b, bh = (uint32_t)(b >> 32);
    uint64_t r = __umulsidi3(al, bl);
    uint32_t cross = al * bh + ah * bl; /* low 32 bits of the cross terms */
    return r + ((uint64_t)cross << 32);
}

static uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t *rem)
{
    uint32_t q = 0, r = 0;
    int i;
    if (d == 0u) { /* undefined in C; keep it total */
        if (rem) *rem = n;
        return 0xffffffffu;
    }
    for (i = 31; i >= 0; --i) {
        r = (r << 1) | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= 1u << i;
        }
    }
    if (rem) *rem = r;
    return q;
}

uint32_t __udivsi3(uint32_t n, uint32_t d) { return udivmod32(n, d, 0); }

uint32_t __umodsi3(uint32_t n, uint32_t d)
{
    uint32_t r;
    (void)udivmod32(n, d, &r);
    return r;
}

int32_t __divsi3(int32_t n, int32_t d)
{
    uint32_t un = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    uint32_t ud = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
    uint32_t q = udivmod32(un, ud, 0);
    return (int32_t)(((n < 0) != (d < 0)) ? 0u - q : q);
}

int32_t __modsi3(int32_t n, int32_t d);
int32_t __modsi3(int32_t n, int32_t d)
{
    uint32_t un = n < 0 ? 0u - (uint32_t)n : (uint32_t)n;
    uint32_t ud = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
    uint32_t r;
    (void)udivmod32(un, ud, &r);
    return (int32_t)(n < 0 ? 0u - r : r);
}

static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    int i;
    if (d == 0u) {
        if (rem) *rem = n;
        return ~(uint64_t)0;
    }
    for (i = 63; i >= 0; --i) {
        r = (r << 1) | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= (uint64_t)1 << i;
        }
    }
    if (rem) *rem = r;
    return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d) { return udivmod64(n, d, 0); }

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    (void)udivmod64(n, d, &r);
    return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
    uint64_t un = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? 0u - (uint64_t)d : (uint64_t)d;
    uint64_t q = udivmod64(un, ud, 0);
    return (int64_t)(((n < 0) != (d < 0)) ? 0u - q : q);
}
