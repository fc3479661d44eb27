/*
 * nn_interop.h - the plain C entries behind the nanoFramework interop assembly Nanonet.Interop.
 *
 * The nanoCLR stubs (native-interop/nanoframework/Nanonet.Interop/) only unpack the managed
 * arguments and call these functions; everything is validated here, at the boundary, so the
 * host C tests exercise exactly what the board runs.
 *
 * Memory rules:
 *  - Nothing here keeps a pointer into a managed array after a call returns: the nanoFramework
 *    heap compacts, so an array can move between two calls. nn_interop_load_model() therefore
 *    copies the blob ONCE into a block the platform hook allocates (board: PSRAM when present),
 *    and the arena lives in a block of internal SRAM sized from the plan.
 *  - Kernels never allocate. The only allocations are the model copy, the arena and a short-lived
 *    plan buffer, all through the platform hook (nn_interop_platform): no malloc and no ESP-IDF
 *    call in this portable code (board hook: nanoframework/Nanonet.Interop/nanonet_platform_esp32.c).
 *
 * Results: functions returning a count return it (>= 0) on success and the NEGATED status on
 * failure; the others return the status (NN_OK = 0). Statuses are nn_status values (nn_status.h)
 * or the interop's own NN_INTEROP_ERR_* values below (>= 100). After every call
 * nn_interop_last_status() / nn_interop_last_detail() say what happened in words.
 * nn_interop_status_kind() classifies a status for the stubs: a broken call contract becomes a
 * CLR exception (hr), a data fault (bad model, capture failure) is returned as a value.
 */
#ifndef NANONET_NN_INTEROP_H
#define NANONET_NN_INTEROP_H

#include <stddef.h>
#include <stdint.h>

#include "nn_model.h"
#include "nn_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statuses of the interop layer (the engine's nn_status values stay below NN_STATUS_COUNT_). */
#define NN_INTEROP_ERR_NO_MODEL 100        /* no model loaded (LoadModel / UseLinkedModel first) */
#define NN_INTEROP_ERR_NOT_PLANNED 101     /* no arena planned (Plan first) */
#define NN_INTEROP_ERR_OUT_OF_MEMORY 102   /* the platform could not give the bytes asked for */
#define NN_INTEROP_ERR_BAD_ARGUMENT 103    /* an integer argument out of range (negative budget ...) */
#define NN_INTEROP_ERR_NO_LINKED_MODEL 104 /* no model linked into the firmware at that index */
#define NN_INTEROP_ERR_NO_CAMERA 105       /* this firmware has no camera driver */
#define NN_INTEROP_ERR_CAMERA_CONFIG 106   /* camera configuration invalid (format, size, pins) */
#define NN_INTEROP_ERR_CAMERA_NOT_READY 107 /* camera not initialised (Camera.Init first) */
#define NN_INTEROP_ERR_CAMERA_FAILED 108   /* the camera driver reported an error */
#define NN_INTEROP_ERR_FRAME_SIZE 109      /* frame buffer length differs from the configured frame */

/* How the nanoCLR stub reports a status (see nn_interop_status_kind). */
typedef enum nn_interop_kind {
    NN_INTEROP_KIND_RESULT = 0,            /* returned to managed code as the int result */
    NN_INTEROP_KIND_INVALID_PARAMETER = 1, /* hr = CLR_E_INVALID_PARAMETER (ArgumentException) */
    NN_INTEROP_KIND_INVALID_OPERATION = 2, /* hr = CLR_E_INVALID_OPERATION (InvalidOperationException) */
    NN_INTEROP_KIND_OUT_OF_MEMORY = 3      /* hr = CLR_E_OUT_OF_MEMORY (OutOfMemoryException) */
} nn_interop_kind;

/* What a platform block is for (the board hook picks the heap from it). */
typedef enum nn_interop_mem {
    NN_INTEROP_MEM_MODEL = 0, /* the model copy: large, read-only after load (board: PSRAM first) */
    NN_INTEROP_MEM_ARENA = 1, /* the arena: internal SRAM (board: MALLOC_CAP_INTERNAL | MALLOC_CAP_8BIT) */
    NN_INTEROP_MEM_PLAN = 2,  /* a plan buffer used during one call only (any heap) */
    NN_INTEROP_MEM_WIDENED = 3 /* the model's widened weights (nn_model_widen): read-only after load (board: PSRAM first) */
} nn_interop_mem;

/* Internal SRAM figures, in bytes. */
typedef struct nn_interop_memory_info {
    uint32_t total;
    uint32_t free_bytes;
    uint32_t largest_block;
} nn_interop_memory_info;

/* Camera pixel formats and the configuration array Camera.Init takes (int[NN_CAMERA_CONFIG_LENGTH]). */
#define NN_CAMERA_FORMAT_GRAYSCALE 0 /* 1 byte per pixel (OV2640 Y channel) */
#define NN_CAMERA_FORMAT_RGB565 1    /* 2 bytes per pixel, big-endian as esp32-camera delivers it */

enum {
    NN_CAMERA_CFG_FORMAT = 0,   /* NN_CAMERA_FORMAT_* */
    NN_CAMERA_CFG_WIDTH = 1,    /* 96, 160 or 320 */
    NN_CAMERA_CFG_HEIGHT = 2,   /* 96, 120 or 240 (96x96, QQVGA, QVGA) */
    NN_CAMERA_CFG_XCLK_HZ = 3,  /* sensor clock, 1..40 MHz; 0: 20 MHz */
    NN_CAMERA_CFG_PIN_PWDN = 4, /* -1 when not wired */
    NN_CAMERA_CFG_PIN_RESET = 5, /* -1 when not wired */
    NN_CAMERA_CFG_PIN_XCLK = 6,
    NN_CAMERA_CFG_PIN_SDA = 7,
    NN_CAMERA_CFG_PIN_SCL = 8,
    NN_CAMERA_CFG_PIN_D0 = 9,   /* D0..D7 (camera Y2..Y9) at 9..16 */
    NN_CAMERA_CFG_PIN_VSYNC = 17,
    NN_CAMERA_CFG_PIN_HREF = 18,
    NN_CAMERA_CFG_PIN_PCLK = 19,
    NN_CAMERA_CONFIG_LENGTH = 20
};

/* Highest GPIO number of the ESP32-S3. */
#define NN_CAMERA_MAX_GPIO 48

/* Named boards whose pin map nn_camera_board_config() knows. */
#define NN_CAMERA_BOARD_XIAO_ESP32S3_SENSE 0 /* Seeed Studio XIAO ESP32S3 Sense, OV2640 */

typedef struct nn_camera_config {
    int32_t format;
    int32_t width;
    int32_t height;
    int32_t xclk_hz;
    int32_t pins[NN_CAMERA_CONFIG_LENGTH - NN_CAMERA_CFG_PIN_PWDN]; /* config[4] to config[19] */
    uint32_t frame_bytes; /* width * height * bytes per pixel */
} nn_camera_config;

/* The camera driver (board: esp32-camera). Each returns 0 on success. */
typedef struct nn_interop_camera_ops {
    int (*init)(void *user, const nn_camera_config *config);
    /* Copy one frame of exactly config->frame_bytes into dst (dst_size == frame_bytes). */
    int (*capture)(void *user, uint8_t *dst, size_t dst_size);
    void (*deinit)(void *user);
} nn_interop_camera_ops;

/* The platform hook: the only way this code reaches memory, clocks and drivers. */
typedef struct nn_interop_platform {
    /* A block of `size` bytes, 16-byte aligned, or NULL. */
    void *(*alloc)(void *user, size_t size, nn_interop_mem kind);
    void (*release)(void *user, void *block, nn_interop_mem kind);
    /* Internal SRAM figures; returns 0 on success. */
    int (*memory_info)(void *user, nn_interop_memory_info *info);
    /* A free-running microsecond clock. */
    uint64_t (*micros)(void *user);
    /* A model linked into flash: returns 0 and sets *blob and *size, or non-zero. May be NULL. */
    int (*linked_model)(void *user, int32_t index, const uint8_t **blob, uint32_t *size);
    /* May be NULL: no camera in this firmware. */
    const nn_interop_camera_ops *camera;
    /* Internal SRAM left to the rest of the firmware when Plan chooses the budget itself. */
    uint32_t sram_reserve;
    void *user;
} nn_interop_platform;

#define NN_INTEROP_DETAIL_SIZE 160

/* The interop state (one per engine; the stubs hold one static instance). Treat as opaque. */
typedef struct nn_interop {
    const nn_interop_platform *platform;
    uint8_t *model_copy;     /* owned copy (NULL for a linked model) */
    uint8_t *widened;        /* owned widened weights (NULL: none; see nn_interop_load_model) */
    const uint8_t *blob;     /* the model bytes in use (copy or flash) */
    uint32_t blob_size;
    int model_loaded;
    nn_model model;
    uint8_t *arena;          /* owned, internal SRAM */
    uint32_t arena_size;
    uint32_t plan_budget;    /* budget the arena was planned for */
    uint32_t last_us;
    int32_t last_status;
    nn_diag last_diag;
    char detail[NN_INTEROP_DETAIL_SIZE];
    int camera_ready;
    nn_camera_config camera;
} nn_interop;

/* Set up a state for a platform (platform NULL: NN_ERR_NULL_ARGUMENT). No allocation. */
nn_status nn_interop_init(nn_interop *st, const nn_interop_platform *platform);
/* Free the model copy and the arena, deinit the camera. The state can be initialised again. */
void nn_interop_shutdown(nn_interop *st);

/* --- Engine --- */

/* Copy blob[0..size) into a MODEL block and validate it (nn_model_parse). On any failure
 * nothing is kept (the previous model is dropped either way, with its arena). Status.
 * When the engine's kernel table takes widened weights (conv2d_w16: the scalar kernels), this and
 * nn_interop_use_linked_model also widen them (nn_model_widen with NANONET_WIDEN_MIN_PIXELS, by default
 * NN_WIDEN_DEFAULT_MIN_PIXELS; 0: never) into a WIDENED block; without one (no memory) the model runs
 * from its int8 weights, at their speed. */
int32_t nn_interop_load_model(nn_interop *st, const uint8_t *blob, size_t size);
/* Use the model linked into the firmware at `index` (no copy; validated). Status. */
int32_t nn_interop_use_linked_model(nn_interop *st, int32_t index);
/* Drop the model and the arena. */
void nn_interop_unload(nn_interop *st);
/* Arena bytes a plan for `budget` needs (0: the smallest plan); does not allocate the arena. */
int32_t nn_interop_arena_size(nn_interop *st, int32_t budget);
/* Plan for `budget` and allocate the arena in internal SRAM; returns its size (peak bytes).
 * budget 0: the largest free internal block minus the platform's sram_reserve (the fastest plan
 * that fits). A budget below the smallest plan is raised to it when SRAM allows (said in the
 * detail); a plan larger than the largest free internal block fails with OUT_OF_MEMORY. */
int32_t nn_interop_plan(nn_interop *st, int32_t budget);
/* Budget the current arena was planned for (or -status). */
int32_t nn_interop_planned_budget(const nn_interop *st);
/* Element counts of the model's input and output tensors (or -status). */
int32_t nn_interop_input_size(nn_interop *st);
int32_t nn_interop_output_size(nn_interop *st);
/* One inference through the planned arena. Sizes must equal the tensors'. Status. */
int32_t nn_interop_run(nn_interop *st, const int8_t *input, size_t input_size,
                       int8_t *output, size_t output_size);
/* Microseconds of the last successful run (0 before any). */
int32_t nn_interop_last_microseconds(const nn_interop *st);
int32_t nn_interop_last_status(const nn_interop *st);
/* One line saying what the last call did or why it failed (never NULL). */
const char *nn_interop_last_detail(const nn_interop *st);
/* Stable identifier of a status ("NN_ERR_BAD_CRC", "NN_INTEROP_ERR_NO_MODEL" ...). */
const char *nn_interop_status_name(int32_t status);
/* How the stub reports a status that a call returned. */
nn_interop_kind nn_interop_status_kind(int32_t status);

/* --- Camera --- */

/* Fill config[NN_CAMERA_CONFIG_LENGTH] with a named board's pin map, the given format and 96x96. */
int32_t nn_camera_board_config(int32_t board, int32_t format, int32_t *config, size_t length);
/* Validate a configuration array into *out (format, frame size, xclk, pins in range, no pin twice). */
int32_t nn_camera_config_parse(const int32_t *config, size_t length, nn_camera_config *out);
int32_t nn_interop_camera_init(nn_interop *st, const int32_t *config, size_t length);
/* Bytes of one frame of the configured camera (or -status). */
int32_t nn_interop_camera_frame_size(const nn_interop *st);
/* Capture one frame into frame[0..size) (size == frame size); returns the bytes written or -status. */
int32_t nn_interop_camera_capture(nn_interop *st, uint8_t *frame, size_t size);
int32_t nn_interop_camera_deinit(nn_interop *st);

/* --- Memory --- */

/* Internal SRAM: total, free, largest free block in bytes (or -status). */
int32_t nn_interop_sram_total(nn_interop *st);
int32_t nn_interop_sram_free(nn_interop *st);
int32_t nn_interop_sram_largest_block(nn_interop *st);

#ifdef __cplusplus
}
#endif

#endif
