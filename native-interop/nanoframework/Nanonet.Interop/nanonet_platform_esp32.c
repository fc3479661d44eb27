/*
 * nanonet_platform_esp32.c - the ESP32-S3 platform hook of the interop layer (board build only:
 * ESP-IDF heap_caps and esp_timer). The portable code (native-interop/src/interop) never calls ESP-IDF.
 *
 *  - model copy: PSRAM first (MALLOC_CAP_SPIRAM), internal SRAM when there is no PSRAM;
 *  - arena: internal SRAM (MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT), sized from the plan;
 *  - SRAM figures: heap_caps_get_total_size / get_free_size / get_largest_free_block of that heap;
 *  - linked models: a board may define nanonet_board_linked_model() (weak default: none);
 *  - camera: nanonet_camera_esp32.c when built with NANONET_WITH_CAMERA.
 */
#include <stdint.h>

#include "esp_heap_caps.h"
#include "esp_timer.h"
#include "nanonet/nn_interop.h"

/* Internal SRAM left to nanoCLR, Wi-Fi and the IDF when Plan(0) chooses the budget. */
#ifndef NANONET_SRAM_RESERVE
#define NANONET_SRAM_RESERVE (48u * 1024u)
#endif

#define NANONET_INTERNAL_CAPS (MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT)

static void *board_alloc(void *user, size_t size, nn_interop_mem kind)
{
    void *p = NULL;
    (void)user;
    if (kind == NN_INTEROP_MEM_MODEL || kind == NN_INTEROP_MEM_WIDENED) {
        p = heap_caps_aligned_alloc(16, size, MALLOC_CAP_SPIRAM | MALLOC_CAP_8BIT);
    }
    if (p == NULL) {
        p = heap_caps_aligned_alloc(16, size, NANONET_INTERNAL_CAPS);
    }
    return p;
}

static void board_release(void *user, void *block, nn_interop_mem kind)
{
    (void)user;
    (void)kind;
    heap_caps_free(block);
}

static int board_memory(void *user, nn_interop_memory_info *info)
{
    (void)user;
    info->total = (uint32_t)heap_caps_get_total_size(NANONET_INTERNAL_CAPS);
    info->free_bytes = (uint32_t)heap_caps_get_free_size(NANONET_INTERNAL_CAPS);
    info->largest_block = (uint32_t)heap_caps_get_largest_free_block(NANONET_INTERNAL_CAPS);
    return 0;
}

static uint64_t board_micros(void *user)
{
    (void)user;
    return (uint64_t)esp_timer_get_time();
}

/* Weak default: no model linked into flash. A board file may define it over a 16-byte aligned table. */
__attribute__((weak)) int nanonet_board_linked_model(int32_t index, const uint8_t **blob, uint32_t *size)
{
    (void)index;
    (void)blob;
    (void)size;
    return 1;
}

static int board_linked(void *user, int32_t index, const uint8_t **blob, uint32_t *size)
{
    (void)user;
    return nanonet_board_linked_model(index, blob, size);
}

#ifdef NANONET_WITH_CAMERA
const nn_interop_camera_ops *nanonet_camera_esp32_ops(void);
#endif

const nn_interop_platform *nanonet_board_platform(void)
{
    static nn_interop_platform platform;
    platform.alloc = board_alloc;
    platform.release = board_release;
    platform.memory_info = board_memory;
    platform.micros = board_micros;
    platform.linked_model = board_linked;
#ifdef NANONET_WITH_CAMERA
    platform.camera = nanonet_camera_esp32_ops();
#else
    platform.camera = NULL;
#endif
    platform.sram_reserve = NANONET_SRAM_RESERVE;
    platform.user = NULL;
    return &platform;
}
