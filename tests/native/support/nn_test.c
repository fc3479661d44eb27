#include "nn_test.h"

#include <stdlib.h>
#include <string.h>

int nn_test_case_failed = 0;
static int passed_cases = 0;
static int failed_cases = 0;
static const char *current_case = "";

void nn_test_begin(const char *name)
{
    if (nn_test_case_failed) { /* a check between two cases failed: count it, never drop it */
        failed_cases++;
        printf("FAILED (a check outside any case, before %s)\n", name);
    }
    current_case = name;
    nn_test_case_failed = 0;
}

void nn_test_end(void)
{
    if (nn_test_case_failed) {
        failed_cases++;
        printf("FAILED %s\n", current_case);
    } else {
        passed_cases++;
        printf("ok     %s\n", current_case);
    }
    nn_test_case_failed = 0;
    fflush(stdout);
}

int nn_test_finish(void)
{
    if (nn_test_case_failed) { /* a check after the last case failed */
        failed_cases++;
        printf("FAILED (a check outside any case, after the last case)\n");
    }
    printf("%d passed, %d failed\n", passed_cases, failed_cases);
    return failed_cases == 0 && passed_cases > 0 ? 0 : 1;
}

uint32_t nn_test_rand(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

int32_t nn_test_rand_range(uint32_t *state, int32_t lo, int32_t hi)
{
    const uint32_t span = (uint32_t)(hi - lo) + 1u;
    return lo + (int32_t)(nn_test_rand(state) % span);
}

int32_t nn_test_rand_multiplier(uint32_t *state)
{
    const int32_t r = nn_test_rand_range(state, 0, 9);
    if (r == 0) {
        return 0;
    }
    if (r == 1) {
        return (int32_t)0x40000000;
    }
    if (r == 2) {
        return INT32_MAX;
    }
    return (int32_t)(0x40000000u + (nn_test_rand(state) & 0x3FFFFFFFu));
}

void nn_test_rand_channel_quant(uint32_t *state, int32_t taps, int32_t channels, int32_t *bias, int32_t *mult,
                                int32_t *shift)
{
    const int64_t room = ((int64_t)1 << 31) - 129;
    int32_t i;
    for (i = 0; i < channels; i++) {
        int32_t sh = nn_test_rand_range(state, 0, 5) == 0 ? nn_test_rand_range(state, -31, 30)
                                                             : nn_test_rand_range(state, -12, 0);
        int64_t bias_max;
        while (sh > 0 && ((int64_t)taps * 32640) << sh > room) {
            sh--;
        }
        bias_max = (room >> (sh > 0 ? sh : 0)) - (int64_t)taps * 32640;
        if (bias_max > (1 << 24)) {
            bias_max = 1 << 24;
        }
        bias[i] = (int32_t)(((int64_t)nn_test_rand(state) % (2 * bias_max + 1)) - bias_max);
        shift[i] = sh;
        mult[i] = nn_test_rand_multiplier(state);
    }
}

uint8_t *nn_test_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long len;
    if (!f) {
        printf("  cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (uint8_t *)malloc(len > 0 ? (size_t)len : 1u);
    if (buf && len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        *size = (size_t)len;
    }
    return buf;
}

int nn_test_golden_output(const char *model, const char *input, int expected[2])
{
    char path[512], line[256];
    FILE *f;
    int found = 0;
    snprintf(path, sizeof(path), "%s/golden/outputs.txt", NANONET_SHARED_DIR);
    f = fopen(path, "r");
    if (f == NULL) {
        printf("  cannot open %s\n", path);
        return 0;
    }
    while (!found && fgets(line, sizeof(line), f) != NULL) {
        char in_name[64], model_name[64];
        if (line[0] != '#' && sscanf(line, "%63s %63s %d %d", in_name, model_name, &expected[0], &expected[1]) == 4 &&
            strcmp(in_name, input) == 0 && strcmp(model_name, model) == 0) {
            found = 1;
        }
    }
    fclose(f);
    return found;
}
