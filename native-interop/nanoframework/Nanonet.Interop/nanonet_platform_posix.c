/*
 * nanonet_platform_posix.c - the platform hook of the interop layer for a host nanoCLR
 * (nf-interpreter's targets/posix, Linux or macOS): the counterpart of nanonet_platform_esp32.c for
 * running the on-device tests (firmware/NFUnitTest) on a PC. The portable code (native-interop/src/interop)
 * never calls the C library's allocator or clock itself.
 *
 *  - model copy, arena and plan buffers: posix_memalign (16-byte aligned), free;
 *  - SRAM figures: fixed, generous fake figures (a host has no internal SRAM), so that Plan(0) picks
 *    the largest free "internal" block less the same reserve the board keeps;
 *  - clock: clock_gettime(CLOCK_MONOTONIC) in microseconds;
 *  - linked models: a host build may define nanonet_board_linked_model() (weak default: none);
 *  - camera: none (Camera.Init returns NN_INTEROP_ERR_NO_CAMERA).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "nanonet/nn_interop.h"

/* The same reserve as the board, so that Plan(0) behaves alike. */
#ifndef NANONET_SRAM_RESERVE
#define NANONET_SRAM_RESERVE (48u * 1024u)
#endif

/* Fake internal SRAM figures (bytes). ESP32-S3: 512 KB of SRAM, about 300 KB free for an app. */
#ifndef NANONET_POSIX_SRAM_TOTAL
#define NANONET_POSIX_SRAM_TOTAL (512u * 1024u)
#endif
#ifndef NANONET_POSIX_SRAM_FREE
#define NANONET_POSIX_SRAM_FREE (384u * 1024u)
#endif
#ifndef NANONET_POSIX_SRAM_LARGEST
#define NANONET_POSIX_SRAM_LARGEST (320u * 1024u)
#endif

static void *host_alloc(void *user, size_t size, nn_interop_mem kind)
{
    void *p = NULL;
    (void)user;
    (void)kind;
    if (size == 0) {
        size = 16;
    }
    if (posix_memalign(&p, 16, size) != 0) {
        return NULL;
    }
    return p;
}

static void host_release(void *user, void *block, nn_interop_mem kind)
{
    (void)user;
    (void)kind;
    free(block);
}

static int host_memory(void *user, nn_interop_memory_info *info)
{
    (void)user;
    info->total = NANONET_POSIX_SRAM_TOTAL;
    info->free_bytes = NANONET_POSIX_SRAM_FREE;
    info->largest_block = NANONET_POSIX_SRAM_LARGEST;
    return 0;
}

static uint64_t host_micros(void *user)
{
    struct timespec ts;
    (void)user;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Weak default: no linked model. A host build may define it over a 16-byte aligned table. */
__attribute__((weak)) int nanonet_board_linked_model(int32_t index, const uint8_t **blob, uint32_t *size)
{
    (void)index;
    (void)blob;
    (void)size;
    return 1;
}

static int host_linked(void *user, int32_t index, const uint8_t **blob, uint32_t *size)
{
    (void)user;
    return nanonet_board_linked_model(index, blob, size);
}

const nn_interop_platform *nanonet_board_platform(void)
{
    static nn_interop_platform platform;
    platform.alloc = host_alloc;
    platform.release = host_release;
    platform.memory_info = host_memory;
    platform.micros = host_micros;
    platform.linked_model = host_linked;
    platform.camera = NULL;
    platform.sram_reserve = NANONET_SRAM_RESERVE;
    platform.user = NULL;
    return &platform;
}
