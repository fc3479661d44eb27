/*
 * make_seeds.c - writes the fuzzer's seed corpus: every nnb_builder sample model, each with
 * the four mode bytes (raw, CRC fix-up, size fix-up, both), into the directory given as argv[1].
 * Usage: make_seeds <dir> [extra.nnb ...]   (extra blobs, e.g. the packed models, are added too)
 */
#include <stdio.h>
#include <stdlib.h>

#include "nnb_builder.h"

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
    unsigned v, mode;
    int i, rc = 0;
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
    for (i = 2; i < argc; i++) {
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
            snprintf(name, sizeof(name), "extra%d", i - 2);
            rc |= write_seed(argv[1], name, 1, blob, (size_t)len);
        }
        free(blob);
        fclose(f);
    }
    return rc;
}
