/*
 * nanonet_interop.c - the plain C entries behind the nanoFramework interop assembly (nn_interop.h).
 *
 * Portable C99: no malloc, no platform call except through nn_interop_platform. Every argument is
 * checked here; the nanoCLR stubs only unpack managed arguments and map the returned status.
 */
#include <stdio.h>
#include <string.h>

#include "nanonet/nn_interop.h"
#include "nanonet/nn_kernel_table.h"
#include "nanonet/nn_planner.h"

#define NN_INTEROP_BLOCK_ALIGN 16u

static int32_t fail(nn_interop *st, int32_t status, const char *what)
{
    st->last_status = status;
    snprintf(st->detail, sizeof st->detail, "%s: %s", nn_interop_status_name(status), what);
    return status;
}

static int32_t ok(nn_interop *st, const char *what)
{
    st->last_status = NN_OK;
    snprintf(st->detail, sizeof st->detail, "%s", what);
    return NN_OK;
}

/* A count (>= 0) or the negated status of a failure already recorded. */
static int32_t neg(int32_t status)
{
    return -status;
}

static int aligned(const void *p)
{
    return ((uintptr_t)p & (NN_INTEROP_BLOCK_ALIGN - 1u)) == 0;
}

nn_status nn_interop_init(nn_interop *st, const nn_interop_platform *platform)
{
    if (st == NULL || platform == NULL || platform->alloc == NULL || platform->release == NULL ||
        platform->memory_info == NULL || platform->micros == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    memset(st, 0, sizeof *st);
    st->platform = platform;
    st->last_diag.status = NN_OK;
    st->last_diag.op_index = st->last_diag.tensor_index = st->last_diag.byte_offset = -1;
    ok(st, "ready");
    return NN_OK;
}

static void drop_arena(nn_interop *st)
{
    if (st->arena != NULL) {
        st->platform->release(st->platform->user, st->arena, NN_INTEROP_MEM_ARENA);
    }
    st->arena = NULL;
    st->arena_size = 0;
    st->plan_budget = 0;
}

static void drop_model(nn_interop *st)
{
    drop_arena(st);
    if (st->widened != NULL) {
        st->platform->release(st->platform->user, st->widened, NN_INTEROP_MEM_WIDENED);
    }
    st->widened = NULL;
    if (st->model_copy != NULL) {
        st->platform->release(st->platform->user, st->model_copy, NN_INTEROP_MEM_MODEL);
    }
    st->model_copy = NULL;
    st->blob = NULL;
    st->blob_size = 0;
    st->model_loaded = 0;
    memset(&st->model, 0, sizeof st->model);
}

void nn_interop_unload(nn_interop *st)
{
    if (st == NULL || st->platform == NULL) {
        return;
    }
    drop_model(st);
    ok(st, "model unloaded");
}

void nn_interop_shutdown(nn_interop *st)
{
    if (st == NULL || st->platform == NULL) {
        return;
    }
    drop_model(st);
    if (st->camera_ready && st->platform->camera != NULL && st->platform->camera->deinit != NULL) {
        st->platform->camera->deinit(st->platform->user);
    }
    st->camera_ready = 0;
    st->platform = NULL;
}

/* Which ops get widened weights at load (nn_model_widen's min_pixels; 0: none). The board's CMake module
 * sets it (NANONET_WIDEN_MIN_PIXELS). */
#ifndef NANONET_WIDEN_MIN_PIXELS
#define NANONET_WIDEN_MIN_PIXELS NN_WIDEN_DEFAULT_MIN_PIXELS
#endif

/* The widened weights of the current model when the engine's kernels take them (nn_interop_load_model);
 * a failed allocation only means the int8 weights are used. Returns the bytes widened. */
static size_t widen(nn_interop *st)
{
    const size_t need = NANONET_WIDEN_MIN_PIXELS > 0 && nn_default_kernels()->conv2d_w16 != NULL
                            ? nn_model_widened_size(&st->model, NANONET_WIDEN_MIN_PIXELS)
                            : 0;
    uint8_t *block;
    if (need == 0) {
        return 0;
    }
    block = (uint8_t *)st->platform->alloc(st->platform->user, need, NN_INTEROP_MEM_WIDENED);
    if (block == NULL) {
        return 0;
    }
    if (nn_model_widen(&st->model, NANONET_WIDEN_MIN_PIXELS, block, need) != NN_OK) { /* model untouched */
        st->platform->release(st->platform->user, block, NN_INTEROP_MEM_WIDENED);
        return 0;
    }
    st->widened = block;
    return need;
}

/* Validate blob (already in native memory) and make it the current model. */
static int32_t adopt(nn_interop *st, const uint8_t *blob, uint32_t size, const char *source)
{
    nn_diag diag;
    size_t widened;
    nn_status status = nn_model_parse(blob, size, &st->model, &diag);
    if (status != NN_OK) {
        st->last_diag = diag;
        st->last_status = status;
        snprintf(st->detail, sizeof st->detail, "%s: %s model rejected (op %d, tensor %d, byte %d)",
                 nn_status_name(status), source, (int)diag.op_index, (int)diag.tensor_index,
                 (int)diag.byte_offset);
        return status;
    }
    st->blob = blob;
    st->blob_size = size;
    st->model_loaded = 1;
    st->last_status = NN_OK;
    widened = widen(st);
    snprintf(st->detail, sizeof st->detail, "%s model of %lu bytes loaded: %u ops, %u tensors, %lu bytes widened",
             source, (unsigned long)size, (unsigned)st->model.op_count, (unsigned)st->model.tensor_count,
             (unsigned long)widened);
    return NN_OK;
}

int32_t nn_interop_load_model(nn_interop *st, const uint8_t *blob, size_t size)
{
    int32_t status;
    if (st == NULL || st->platform == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    drop_model(st);
    if (blob == NULL) {
        return fail(st, NN_ERR_NULL_ARGUMENT, "model blob is null");
    }
    if (size == 0 || size > 0x7FFFFFFFu) {
        return fail(st, NN_ERR_TRUNCATED, "model blob is empty or absurdly large");
    }
    st->model_copy = (uint8_t *)st->platform->alloc(st->platform->user, size, NN_INTEROP_MEM_MODEL);
    if (st->model_copy == NULL) {
        st->last_status = NN_INTEROP_ERR_OUT_OF_MEMORY;
        snprintf(st->detail, sizeof st->detail, "%s: no block of %lu bytes for the model copy",
                 nn_interop_status_name(NN_INTEROP_ERR_OUT_OF_MEMORY), (unsigned long)size);
        return NN_INTEROP_ERR_OUT_OF_MEMORY;
    }
    if (!aligned(st->model_copy)) {
        drop_model(st);
        return fail(st, NN_ERR_BAD_ALIGNMENT, "platform returned a model block not 16-byte aligned");
    }
    memcpy(st->model_copy, blob, size);
    status = adopt(st, st->model_copy, (uint32_t)size, "copied");
    if (status != NN_OK) {
        int32_t keep = st->last_status;
        char detail[NN_INTEROP_DETAIL_SIZE];
        memcpy(detail, st->detail, sizeof detail);
        drop_model(st);
        st->last_status = keep;
        memcpy(st->detail, detail, sizeof detail);
    }
    return status;
}

int32_t nn_interop_use_linked_model(nn_interop *st, int32_t index)
{
    const uint8_t *blob = NULL;
    uint32_t size = 0;
    int32_t status;
    if (st == NULL || st->platform == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    drop_model(st);
    if (index < 0) {
        return fail(st, NN_INTEROP_ERR_BAD_ARGUMENT, "linked model index is negative");
    }
    if (st->platform->linked_model == NULL ||
        st->platform->linked_model(st->platform->user, index, &blob, &size) != 0 || blob == NULL) {
        return fail(st, NN_INTEROP_ERR_NO_LINKED_MODEL, "no model linked into this firmware at that index");
    }
    if (!aligned(blob)) {
        return fail(st, NN_ERR_BAD_ALIGNMENT, "linked model not 16-byte aligned");
    }
    status = adopt(st, blob, size, "linked");
    if (status != NN_OK) {
        st->model_loaded = 0;
    }
    return status;
}

static int32_t need_model(nn_interop *st)
{
    if (st == NULL || st->platform == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (!st->model_loaded) {
        return fail(st, NN_INTEROP_ERR_NO_MODEL, "no model loaded");
    }
    return NN_OK;
}

/* Plan for budget in a short-lived PLAN block: peak bytes and smallest budget. */
static int32_t plan_peak(nn_interop *st, uint32_t budget, uint32_t *peak, uint32_t *min_budget)
{
    size_t plan_size = nn_plan_buffer_size(&st->model);
    void *plan;
    nn_status status;
    if (plan_size == 0) {
        return fail(st, NN_ERR_INTERNAL, "planner gave no plan buffer size");
    }
    plan = st->platform->alloc(st->platform->user, plan_size, NN_INTEROP_MEM_PLAN);
    if (plan == NULL) {
        st->last_status = NN_INTEROP_ERR_OUT_OF_MEMORY;
        snprintf(st->detail, sizeof st->detail, "%s: no block of %lu bytes for the plan",
                 nn_interop_status_name(NN_INTEROP_ERR_OUT_OF_MEMORY), (unsigned long)plan_size);
        return NN_INTEROP_ERR_OUT_OF_MEMORY;
    }
    status = nn_plan_create(&st->model, budget, plan, plan_size, peak, min_budget);
    st->platform->release(st->platform->user, plan, NN_INTEROP_MEM_PLAN);
    if (status != NN_OK) {
        st->last_status = status;
        snprintf(st->detail, sizeof st->detail, "%s: no plan for a budget of %lu bytes",
                 nn_status_name(status), (unsigned long)budget);
    }
    return status;
}

int32_t nn_interop_arena_size(nn_interop *st, int32_t budget)
{
    uint32_t peak = 0, min_budget = 0;
    int32_t status = need_model(st);
    if (status != NN_OK) {
        return neg(status);
    }
    if (budget < 0) {
        return neg(fail(st, NN_INTEROP_ERR_BAD_ARGUMENT, "budget is negative"));
    }
    status = plan_peak(st, (uint32_t)budget, &peak, &min_budget);
    if (status != NN_OK) {
        if (status == NN_ERR_ARENA_TOO_SMALL) {
            snprintf(st->detail, sizeof st->detail, "%s: budget %ld is below the smallest plan (%lu bytes)",
                     nn_status_name(status), (long)budget, (unsigned long)min_budget);
        }
        return neg(status);
    }
    if (peak > 0x7FFFFFFFu) {
        return neg(fail(st, NN_ERR_BAD_SHAPE, "arena of 2 GiB or more"));
    }
    st->last_status = NN_OK;
    snprintf(st->detail, sizeof st->detail, "budget %ld: arena of %lu bytes", (long)budget, (unsigned long)peak);
    return (int32_t)peak;
}

int32_t nn_interop_plan(nn_interop *st, int32_t budget)
{
    nn_interop_memory_info info;
    uint32_t want, peak = 0, min_budget = 0;
    int raised = 0;
    int32_t status = need_model(st);
    if (status != NN_OK) {
        return neg(status);
    }
    if (budget < 0) {
        return neg(fail(st, NN_INTEROP_ERR_BAD_ARGUMENT, "budget is negative"));
    }
    drop_arena(st);
    memset(&info, 0, sizeof info);
    if (st->platform->memory_info(st->platform->user, &info) != 0) {
        return neg(fail(st, NN_ERR_INTERNAL, "platform gave no internal SRAM figures"));
    }
    if (budget == 0) {
        want = info.largest_block > st->platform->sram_reserve ? info.largest_block - st->platform->sram_reserve
                                                                : NN_PLAN_BUDGET_MIN;
    } else {
        want = (uint32_t)budget;
    }
    status = plan_peak(st, want, &peak, &min_budget);
    if (status == NN_ERR_ARENA_TOO_SMALL && min_budget > want) {
        /* Below the smallest plan: take the smallest plan if it fits the SRAM (said in the detail). */
        raised = 1;
        want = min_budget;
        status = plan_peak(st, want, &peak, NULL);
    }
    if (status != NN_OK) {
        return neg(status);
    }
    if (peak > info.largest_block) {
        st->last_status = NN_INTEROP_ERR_OUT_OF_MEMORY;
        snprintf(st->detail, sizeof st->detail,
                 "%s: the plan for budget %lu needs an arena of %lu bytes, the largest free internal block is %lu",
                 nn_interop_status_name(NN_INTEROP_ERR_OUT_OF_MEMORY), (unsigned long)want, (unsigned long)peak,
                 (unsigned long)info.largest_block);
        return neg(NN_INTEROP_ERR_OUT_OF_MEMORY);
    }
    st->arena = (uint8_t *)st->platform->alloc(st->platform->user, peak, NN_INTEROP_MEM_ARENA);
    if (st->arena == NULL) {
        st->last_status = NN_INTEROP_ERR_OUT_OF_MEMORY;
        snprintf(st->detail, sizeof st->detail, "%s: internal SRAM refused an arena of %lu bytes",
                 nn_interop_status_name(NN_INTEROP_ERR_OUT_OF_MEMORY), (unsigned long)peak);
        return neg(NN_INTEROP_ERR_OUT_OF_MEMORY);
    }
    st->arena_size = peak;
    st->plan_budget = want;
    st->last_status = NN_OK;
    if (raised) {
        snprintf(st->detail, sizeof st->detail,
                 "budget %ld is below the smallest plan: raised to %lu, arena of %lu bytes", (long)budget,
                 (unsigned long)want, (unsigned long)peak);
    } else {
        snprintf(st->detail, sizeof st->detail, "planned for budget %lu%s: arena of %lu bytes (largest block %lu)",
                 (unsigned long)want, budget == 0 ? " (largest free internal block less the reserve)" : "",
                 (unsigned long)peak, (unsigned long)info.largest_block);
    }
    return (int32_t)peak;
}

int32_t nn_interop_planned_budget(const nn_interop *st)
{
    if (st == NULL) {
        return neg(NN_ERR_NULL_ARGUMENT);
    }
    if (st->arena == NULL) {
        return neg(NN_INTEROP_ERR_NOT_PLANNED);
    }
    return st->plan_budget > 0x7FFFFFFFu ? 0x7FFFFFFF : (int32_t)st->plan_budget;
}

static int32_t tensor_size(nn_interop *st, uint32_t index)
{
    nn_tensor_info info;
    int32_t status = need_model(st);
    if (status != NN_OK) {
        return neg(status);
    }
    status = nn_model_tensor(&st->model, index, &info);
    if (status != NN_OK) {
        return neg(fail(st, status, "model tensor unreadable"));
    }
    st->last_status = NN_OK;
    return (int32_t)info.element_count;
}

int32_t nn_interop_input_size(nn_interop *st)
{
    return st == NULL ? neg(NN_ERR_NULL_ARGUMENT) : tensor_size(st, st->model.input_tensor);
}

int32_t nn_interop_output_size(nn_interop *st)
{
    return st == NULL ? neg(NN_ERR_NULL_ARGUMENT) : tensor_size(st, st->model.output_tensor);
}

int32_t nn_interop_run(nn_interop *st, const int8_t *input, size_t input_size,
                       int8_t *output, size_t output_size)
{
    uint64_t t0, t1;
    nn_status status;
    int32_t in_size, out_size;
    int32_t check = need_model(st);
    if (check != NN_OK) {
        return check;
    }
    if (st->arena == NULL) {
        return fail(st, NN_INTEROP_ERR_NOT_PLANNED, "no arena planned");
    }
    if (input == NULL || output == NULL) {
        return fail(st, NN_ERR_NULL_ARGUMENT, "input or output buffer is null");
    }
    in_size = nn_interop_input_size(st);
    out_size = nn_interop_output_size(st);
    if (in_size < 0 || out_size < 0) {
        return st->last_status;
    }
    if (input_size != (size_t)in_size) {
        st->last_status = NN_ERR_INPUT_SIZE;
        snprintf(st->detail, sizeof st->detail, "NN_ERR_INPUT_SIZE: input has %lu bytes, the model takes %ld",
                 (unsigned long)input_size, (long)in_size);
        return NN_ERR_INPUT_SIZE;
    }
    if (output_size != (size_t)out_size) {
        st->last_status = NN_ERR_OUTPUT_SIZE;
        snprintf(st->detail, sizeof st->detail, "NN_ERR_OUTPUT_SIZE: output has %lu bytes, the model gives %ld",
                 (unsigned long)output_size, (long)out_size);
        return NN_ERR_OUTPUT_SIZE;
    }
    t0 = st->platform->micros(st->platform->user);
    status = nn_executor_run_planned(&st->model, st->plan_budget, input, input_size, output, output_size,
                                     st->arena, st->arena_size, NULL, NULL, NULL, NULL);
    t1 = st->platform->micros(st->platform->user);
    if (status != NN_OK) {
        return fail(st, status, "inference failed");
    }
    st->last_us = t1 - t0 > 0x7FFFFFFFu ? 0x7FFFFFFFu : (uint32_t)(t1 - t0);
    st->last_status = NN_OK;
    snprintf(st->detail, sizeof st->detail, "inference in %lu us", (unsigned long)st->last_us);
    return NN_OK;
}

int32_t nn_interop_last_microseconds(const nn_interop *st)
{
    return st == NULL ? 0 : (int32_t)st->last_us;
}

int32_t nn_interop_last_status(const nn_interop *st)
{
    return st == NULL ? NN_ERR_NULL_ARGUMENT : st->last_status;
}

const char *nn_interop_last_detail(const nn_interop *st)
{
    return st == NULL ? "NN_ERR_NULL_ARGUMENT: no interop state" : st->detail;
}

const char *nn_interop_status_name(int32_t status)
{
    static const char *const names[] = {
        "NN_INTEROP_ERR_NO_MODEL",        "NN_INTEROP_ERR_NOT_PLANNED",      "NN_INTEROP_ERR_OUT_OF_MEMORY",
        "NN_INTEROP_ERR_BAD_ARGUMENT",    "NN_INTEROP_ERR_NO_LINKED_MODEL",  "NN_INTEROP_ERR_NO_CAMERA",
        "NN_INTEROP_ERR_CAMERA_CONFIG",   "NN_INTEROP_ERR_CAMERA_NOT_READY", "NN_INTEROP_ERR_CAMERA_FAILED",
        "NN_INTEROP_ERR_FRAME_SIZE"};
    if (status >= NN_INTEROP_ERR_NO_MODEL && status <= NN_INTEROP_ERR_FRAME_SIZE) {
        return names[status - NN_INTEROP_ERR_NO_MODEL];
    }
    return nn_status_name((int)status);
}

nn_interop_kind nn_interop_status_kind(int32_t status)
{
    switch (status) {
    case NN_ERR_NULL_ARGUMENT:
    case NN_ERR_INPUT_SIZE:
    case NN_ERR_OUTPUT_SIZE:
    case NN_INTEROP_ERR_BAD_ARGUMENT:
    case NN_INTEROP_ERR_CAMERA_CONFIG:
    case NN_INTEROP_ERR_FRAME_SIZE:
        return NN_INTEROP_KIND_INVALID_PARAMETER;
    case NN_INTEROP_ERR_NO_MODEL:
    case NN_INTEROP_ERR_NOT_PLANNED:
    case NN_INTEROP_ERR_CAMERA_NOT_READY:
        return NN_INTEROP_KIND_INVALID_OPERATION;
    case NN_INTEROP_ERR_OUT_OF_MEMORY:
        return NN_INTEROP_KIND_OUT_OF_MEMORY;
    default:
        return NN_INTEROP_KIND_RESULT; /* NN_OK, a model fault, no camera, a capture failure ... */
    }
}

/* --- Camera --- */

int32_t nn_camera_board_config(int32_t board, int32_t format, int32_t *config, size_t length)
{
    /* Seeed Studio XIAO ESP32S3 Sense (OV2640 on the B2B connector): PWDN and RESET not wired,
     * XCLK 10, SIOD 40, SIOC 39, Y2..Y9 = 15 17 18 16 14 12 11 48, VSYNC 38, HREF 47, PCLK 13
     * (Seeed wiki "XIAO ESP32S3 Sense getting started", esp32-camera examples' camera_pins.h). */
    static const int32_t xiao_pins[NN_CAMERA_CONFIG_LENGTH - NN_CAMERA_CFG_PIN_PWDN] = {
        -1, -1, 10, 40, 39, 15, 17, 18, 16, 14, 12, 11, 48, 38, 47, 13};
    size_t i;
    if (config == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (length != NN_CAMERA_CONFIG_LENGTH) {
        return NN_INTEROP_ERR_CAMERA_CONFIG;
    }
    if (board != NN_CAMERA_BOARD_XIAO_ESP32S3_SENSE ||
        (format != NN_CAMERA_FORMAT_GRAYSCALE && format != NN_CAMERA_FORMAT_RGB565)) {
        return NN_INTEROP_ERR_BAD_ARGUMENT;
    }
    config[NN_CAMERA_CFG_FORMAT] = format;
    config[NN_CAMERA_CFG_WIDTH] = 96;
    config[NN_CAMERA_CFG_HEIGHT] = 96;
    config[NN_CAMERA_CFG_XCLK_HZ] = 20000000;
    for (i = 0; i < NN_CAMERA_CONFIG_LENGTH - NN_CAMERA_CFG_PIN_PWDN; ++i) {
        config[NN_CAMERA_CFG_PIN_PWDN + i] = xiao_pins[i];
    }
    return NN_OK;
}

int32_t nn_camera_config_parse(const int32_t *config, size_t length, nn_camera_config *out)
{
    size_t i, j;
    int32_t w, h;
    if (config == NULL || out == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (length != NN_CAMERA_CONFIG_LENGTH) {
        return NN_INTEROP_ERR_CAMERA_CONFIG;
    }
    memset(out, 0, sizeof *out);
    if (config[NN_CAMERA_CFG_FORMAT] != NN_CAMERA_FORMAT_GRAYSCALE &&
        config[NN_CAMERA_CFG_FORMAT] != NN_CAMERA_FORMAT_RGB565) {
        return NN_INTEROP_ERR_CAMERA_CONFIG;
    }
    w = config[NN_CAMERA_CFG_WIDTH];
    h = config[NN_CAMERA_CFG_HEIGHT];
    if (!((w == 96 && h == 96) || (w == 160 && h == 120) || (w == 320 && h == 240))) {
        return NN_INTEROP_ERR_CAMERA_CONFIG;
    }
    if (config[NN_CAMERA_CFG_XCLK_HZ] < 0 || config[NN_CAMERA_CFG_XCLK_HZ] > 40000000 ||
        (config[NN_CAMERA_CFG_XCLK_HZ] > 0 && config[NN_CAMERA_CFG_XCLK_HZ] < 1000000)) {
        return NN_INTEROP_ERR_CAMERA_CONFIG;
    }
    for (i = NN_CAMERA_CFG_PIN_PWDN; i < NN_CAMERA_CONFIG_LENGTH; ++i) {
        int32_t pin = config[i];
        int optional = i == NN_CAMERA_CFG_PIN_PWDN || i == NN_CAMERA_CFG_PIN_RESET;
        if (pin > NN_CAMERA_MAX_GPIO || pin < (optional ? -1 : 0)) {
            return NN_INTEROP_ERR_CAMERA_CONFIG;
        }
        for (j = NN_CAMERA_CFG_PIN_PWDN; pin >= 0 && j < i; ++j) {
            if (config[j] == pin) {
                return NN_INTEROP_ERR_CAMERA_CONFIG; /* one GPIO wired to two signals */
            }
        }
        out->pins[i - NN_CAMERA_CFG_PIN_PWDN] = pin;
    }
    out->format = config[NN_CAMERA_CFG_FORMAT];
    out->width = w;
    out->height = h;
    out->xclk_hz = config[NN_CAMERA_CFG_XCLK_HZ] == 0 ? 20000000 : config[NN_CAMERA_CFG_XCLK_HZ];
    out->frame_bytes = (uint32_t)(w * h * (out->format == NN_CAMERA_FORMAT_RGB565 ? 2 : 1));
    return NN_OK;
}

int32_t nn_interop_camera_init(nn_interop *st, const int32_t *config, size_t length)
{
    nn_camera_config parsed;
    int32_t status;
    const nn_interop_camera_ops *cam;
    if (st == NULL || st->platform == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    status = nn_camera_config_parse(config, length, &parsed);
    if (status != NN_OK) {
        return fail(st, status, "camera config must be int[20]: format 0|1, 96x96|160x120|320x240, "
                                "xclk 0|1-40 MHz, GPIOs 0..48 once each (PWDN/RESET may be -1)");
    }
    cam = st->platform->camera;
    if (cam == NULL || cam->init == NULL || cam->capture == NULL) {
        return fail(st, NN_INTEROP_ERR_NO_CAMERA, "this firmware has no camera driver");
    }
    if (st->camera_ready && cam->deinit != NULL) {
        cam->deinit(st->platform->user);
    }
    st->camera_ready = 0;
    if (cam->init(st->platform->user, &parsed) != 0) {
        return fail(st, NN_INTEROP_ERR_CAMERA_FAILED, "camera driver init failed (wiring, sensor, PSRAM?)");
    }
    st->camera = parsed;
    st->camera_ready = 1;
    return ok(st, "camera ready");
}

int32_t nn_interop_camera_frame_size(const nn_interop *st)
{
    if (st == NULL) {
        return neg(NN_ERR_NULL_ARGUMENT);
    }
    if (!st->camera_ready) {
        return neg(NN_INTEROP_ERR_CAMERA_NOT_READY);
    }
    return (int32_t)st->camera.frame_bytes;
}

int32_t nn_interop_camera_capture(nn_interop *st, uint8_t *frame, size_t size)
{
    if (st == NULL || st->platform == NULL) {
        return neg(NN_ERR_NULL_ARGUMENT);
    }
    if (!st->camera_ready) {
        return neg(fail(st, NN_INTEROP_ERR_CAMERA_NOT_READY, "camera not initialised"));
    }
    if (frame == NULL) {
        return neg(fail(st, NN_ERR_NULL_ARGUMENT, "frame buffer is null"));
    }
    if (size != st->camera.frame_bytes) {
        st->last_status = NN_INTEROP_ERR_FRAME_SIZE;
        snprintf(st->detail, sizeof st->detail, "NN_INTEROP_ERR_FRAME_SIZE: frame buffer has %lu bytes, a frame %lu",
                 (unsigned long)size, (unsigned long)st->camera.frame_bytes);
        return neg(NN_INTEROP_ERR_FRAME_SIZE);
    }
    if (st->platform->camera->capture(st->platform->user, frame, size) != 0) {
        return neg(fail(st, NN_INTEROP_ERR_CAMERA_FAILED, "camera driver gave no frame"));
    }
    ok(st, "frame captured");
    return (int32_t)size;
}

int32_t nn_interop_camera_deinit(nn_interop *st)
{
    if (st == NULL || st->platform == NULL) {
        return NN_ERR_NULL_ARGUMENT;
    }
    if (st->camera_ready && st->platform->camera != NULL && st->platform->camera->deinit != NULL) {
        st->platform->camera->deinit(st->platform->user);
    }
    st->camera_ready = 0;
    return ok(st, "camera off");
}

/* --- Memory --- */

static int32_t sram(nn_interop *st, int which)
{
    nn_interop_memory_info info;
    uint32_t v;
    if (st == NULL || st->platform == NULL) {
        return neg(NN_ERR_NULL_ARGUMENT);
    }
    memset(&info, 0, sizeof info);
    if (st->platform->memory_info(st->platform->user, &info) != 0) {
        return neg(fail(st, NN_ERR_INTERNAL, "platform gave no internal SRAM figures"));
    }
    v = which == 0 ? info.total : which == 1 ? info.free_bytes : info.largest_block;
    return v > 0x7FFFFFFFu ? 0x7FFFFFFF : (int32_t)v;
}

int32_t nn_interop_sram_total(nn_interop *st)
{
    return sram(st, 0);
}

int32_t nn_interop_sram_free(nn_interop *st)
{
    return sram(st, 1);
}

int32_t nn_interop_sram_largest_block(nn_interop *st)
{
    return sram(st, 2);
}
