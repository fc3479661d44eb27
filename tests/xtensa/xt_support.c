/* xt_support.c - see xt_support.h. */
#include "xt_support.h"

#include <string.h>

static int sim_write(int fd, const void *buf, int len)
{
    register int a2 __asm__("a2") = 4;
    register int a3 __asm__("a3") = fd;
    register const void *a4 __asm__("a4") = buf;
    register int a5 __asm__("a5") = len;
    __asm__ volatile("simcall" : "+r"(a2) : "r"(a3), "r"(a4), "r"(a5) : "memory");
    return a2;
}

static char line[256];
static size_t line_len;

void put_str(const char *s)
{
    while (*s != '\0' && line_len < sizeof line - 1u) line[line_len++] = *s++;
}

void put_u64(uint64_t u)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10u));
        u /= 10u;
    } while (u != 0u);
    while (n > 0 && line_len < sizeof line - 1u) line[line_len++] = tmp[--n];
}

void put_int(long v)
{
    if (v < 0) { put_str("-"); put_u64((uint64_t)(0ul - (unsigned long)v)); }
    else put_u64((uint64_t)v);
}

void flush_line(void)
{
    line[line_len++] = '\n';
    sim_write(1, line, (int)line_len);
    line_len = 0;
}

#define XT_POOL_BYTES (320u * 1024u)
static uint8_t pool[XT_POOL_BYTES] __attribute__((aligned(16)));
static size_t pool_used;

void pool_reset(void)
{
    pool_used = 0;
}

uint8_t *pool_alloc(size_t n)
{
    size_t at = (pool_used + 15u) & ~(size_t)15u;
    if (n > XT_POOL_BYTES || at > XT_POOL_BYTES - n) return NULL;
    pool_used = at + n;
    return pool + at;
}

/* the widened weights of the largest shipped model with every op qualifying (763,804 bytes, MobileNet v2) */
#define XT_WIDEN_BYTES (768u * 1024u)
static uint8_t widen_buf[XT_WIDEN_BYTES] __attribute__((aligned(16)));

int xt_widen(nn_model *m, uint32_t min_pixels)
{
    return (int)nn_model_widen(m, min_pixels, widen_buf, sizeof widen_buf);
}

uint8_t *xt_widen_block(size_t n)
{
    return n <= sizeof widen_buf ? widen_buf : NULL;
}

const char *xt_input_kind(const char *model)
{
    return strcmp(model, "vww96") == 0 ? "rgb96" : "gray96";
}

const xt_blob *find_input(const char *input, const char *kind)
{
    uint32_t i;
    size_t li = strlen(input);
    for (i = 0; i < xt_input_count; ++i) {
        const char *n = xt_inputs[i].name;
        if (strncmp(n, input, li) == 0 && n[li] == '.' && strcmp(n + li + 1, kind) == 0) return &xt_inputs[i];
    }
    return NULL;
}

const xt_expect *find_expect(const char *input, const char *model)
{
    uint32_t i;
    for (i = 0; i < xt_expected_count; ++i)
        if (strcmp(xt_expected[i].input, input) == 0 && strcmp(xt_expected[i].model, model) == 0) return &xt_expected[i];
    return NULL;
}
