/*
 * make_seeds.c - writes the fuzzer's seed corpus into the directory given as argv[1]: every
 * nnb_builder sample model, each with the four mode bytes (raw, CRC fix-up, size fix-up, both), and
 * random valid models of the property test's generator (support/random_model.c) with mode 1.
 * Usage: make_seeds <dir> [--random N] [extra.nnb ...]   (extra blobs, e.g. the packed models, are added
 * with mode 1; N random models, default 256)
 */
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "nnb_builder.h"
#include "random_model.h"

static int write_seed(const char *dir, const char *name, unsigned mode, const uint8_t *blob, size_t size)
{
    char path[1024];
    FILE *f;
    const uint8_t m = (uint8_t)mode;
    snprintf(path, sizeof(path), "%s/%s_mode%u.bin", dir, name, mode);
    f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    fwrite(&m, 1, 1, f);
    fwrite(blob, 1, size, f);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned v, mode, random_count = 256u;
    int i, first_extra = 2, rc = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s <corpus dir> [extra.nnb ...]\n", argv[0]);
        return 2;
    }
    for (v = 0; v < NNB_SAMPLE_COUNT; v++) {
        size_t size;
        char name[32];
        uint8_t *blob = nnb_sample_model(v, &size, NULL);
        snprintf(name, sizeof(name), "sample%u", v);
        for (mode = 0; mode < 4; mode++) {
            rc |= write_seed(argv[1], name, mode, blob, size);
        }
        free(blob);
    }
    if (argc >= 4 && strcmp(argv[2], "--random") == 0) {
        random_count = (unsigned)strtoul(argv[3], NULL, 10);
        first_extra = 4;
    }
    for (v = 0; v < random_count; v++) {
        size_t size;
        char name[32];
        rm_info info;
        uint8_t *blob = rm_random_model(v + 1u, &size, &info);
        snprintf(name, sizeof(name), "random%u", v + 1u);
        rc |= write_seed(argv[1], name, 1, blob, size);
        free(blob);
    }
    for (i = first_extra; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        long len;
        uint8_t *blob;
        char name[32];
        if (f == NULL) {
            continue;
        }
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        fseek(f, 0, SEEK_SET);
        blob = (uint8_t *)malloc(len > 0 ? (size_t)len : 1u);
        if (blob != NULL && len > 0 && fread(blob, 1, (size_t)len, f) == (size_t)len) {
            snprintf(name, sizeof(name), "extra%d", i - first_extra);
            rc |= write_seed(argv[1], name, 1, blob, (size_t)len);
        }
        free(blob);
        fclose(f);
    }
    return rc;
}
