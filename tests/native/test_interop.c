/*
 * test_interop.c - the plain C entries behind the nanoFramework interop assembly (nn_interop.h).
 *
 * Through these entries alone (what the nanoCLR stubs call), every shipped model on every golden
 * input gives exactly TFLM's outputs (../shared/golden/outputs.txt), whatever budget Plan is given;
 * the model is copied once (the caller's buffer is scribbled over before running); bad blobs,
 * sizes, budgets, call orders, SRAM shortages, platform misbehaviour and camera configurations
 * give the status they are named for, keep nothing, and leak no platform block.
 */
#include <stdlib.h>
#include <string.h>

#include "nanonet/nn_interop.h"
#include "nanonet/nn_planner.h"
#include "nanonet/nn_kernel_table.h"
#include "nn_test.h"

/* ---- a test platform: malloc with 16-byte alignment, SRAM figures and failures on demand ---- */

typedef struct fake {
    nn_interop_memory_info info;
    int live[4];             /* blocks alive per kind */
    int fail_kind;           /* -1: none; else alloc of this kind returns NULL */
    int misalign_kind;       /* -1: none; else alloc of this kind returns a block off by 1 */
    uint64_t clock;
    const uint8_t *linked;   /* linked model 0 */
    uint32_t linked_size;
    int cam_init_fail, cam_capture_fail, cam_inits, cam_deinits;
    nn_camera_config cam_seen;
} fake;

static void *fake_alloc(void *user, size_t size, nn_interop_mem kind)
{
    fake *f = (fake *)user;
    uint8_t *raw, *p;
    if ((int)kind == f->fail_kind) {
        return NULL;
    }
    raw = (uint8_t *)malloc(size + 32);
    if (raw == NULL) {
        return NULL;
    }
    p = raw + 16 - ((uintptr_t)raw & 15u) + 16; /* 16-aligned, >= 16 bytes after raw */
    memcpy(p - sizeof raw, &raw, sizeof raw);
    f->live[kind]++;
    return (int)kind == f->misalign_kind ? p + 1 : p;
}

static void fake_release(void *user, void *block, nn_interop_mem kind)
{
    fake *f = (fake *)user;
    uint8_t *p = (uint8_t *)block, *raw;
    if ((int)kind == f->misalign_kind) {
        p -= 1;
    }
    memcpy(&raw, p - sizeof raw, sizeof raw);
    free(raw);
    f->live[kind]--;
}

static int fake_memory(void *user, nn_interop_memory_info *info)
{
    *info = ((fake *)user)->info;
    return 0;
}

static uint64_t fake_micros(void *user)
{
    fake *f = (fake *)user;
    f->clock += 1234;
    return f->clock;
}

static int fake_linked(void *user, int32_t index, const uint8_t **blob, uint32_t *size)
{
    fake *f = (fake *)user;
    if (index != 0 || f->linked == NULL) {
        return 1;
    }
    *blob = f->linked;
    *size = f->linked_size;
    return 0;
}

static int cam_init(void *user, const nn_camera_config *config)
{
    fake *f = (fake *)user;
    f->cam_inits++;
    f->cam_seen = *config;
    return f->cam_init_fail;
}

static int cam_capture(void *user, uint8_t *dst, size_t size)
{
    size_t i;
    if (((fake *)user)->cam_capture_fail) {
        return 1;
    }
    for (i = 0; i < size; i++) {
        dst[i] = (uint8_t)(i * 7u);
    }
    return 0;
}

static void cam_deinit(void *user)
{
    ((fake *)user)->cam_deinits++;
}

static const nn_interop_camera_ops fake_camera = {cam_init, cam_capture, cam_deinit};

static fake F;
static nn_interop_platform P;
static nn_interop S;

static void setup(uint32_t largest_block, int with_camera)
{
    memset(&F, 0, sizeof F);
    F.fail_kind = F.misalign_kind = -1;
    F.info.total = 400000;
    F.info.free_bytes = largest_block + 1000;
    F.info.largest_block = largest_block;
    memset(&P, 0, sizeof P);
    P.alloc = fake_alloc;
    P.release = fake_release;
    P.memory_info = fake_memory;
    P.micros = fake_micros;
    P.linked_model = fake_linked;
    P.camera = with_camera ? &fake_camera : NULL;
    P.sram_reserve = 4096;
    P.user = &F;
    NN_CHECK_EQ_INT(nn_interop_init(&S, &P), NN_OK);
}

static void teardown(void)
{
    nn_interop_shutdown(&S);
    NN_CHECK_EQ_INT(F.live[0], 0);
    NN_CHECK_EQ_INT(F.live[1], 0);
    NN_CHECK_EQ_INT(F.live[2], 0);
    NN_CHECK_EQ_INT(F.live[3], 0);
}

static uint8_t *read_repo(const char *rel, size_t *size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", NANONET_REPO_DIR, rel);
    return nn_test_read_file(path, size);
}

static int8_t *read_input(const char *name, size_t *size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/golden/inputs/%s", NANONET_SHARED_DIR, name);
    return (int8_t *)nn_test_read_file(path, size);
}

static int contains(const char *text, const char *part)
{
    return strstr(text, part) != NULL;
}

/* ---- golden outputs through the entries ---- */

typedef struct golden_case {
    const char *model_file, *golden_model, *input_suffix;
    int32_t smallest_peak; /* README: nanonet plan, smallest plan */
} golden_case;

static const golden_case golden_cases[] = {
    {"models/person_detect.nnb", "person_detect", "gray96", 16463},
    {"models/vww_96.nnb", "vww96", "rgb96", 16463},
    {"models/mobilenet_v2_035_96_gray.nnb", "ei_mbv2", "gray96", 25615},
};

static void golden_through_entries(void)
{
    static const char *const inputs[] = {"tflm_person", "tflm_no_person"};
    /* 0: automatic (largest block less the reserve); 1: below the smallest plan (raised);
     * 20000: streamed plan; 1000000: layer by layer. */
    static const int32_t budgets[] = {0, 1, 20000, 30000, 1000000};
    size_t m, i, b;
    for (m = 0; m < sizeof golden_cases / sizeof golden_cases[0]; m++) {
        const golden_case *gc = &golden_cases[m];
        size_t blob_size = 0;
        uint8_t *blob = read_repo(gc->model_file, &blob_size);
        NN_CHECK(blob != NULL);
        if (blob == NULL) {
            continue;
        }
        setup(300000, 0);
        NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, blob_size), NN_OK);
        NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_MODEL], 1);
        /* widened weights exactly when the engine's kernels take them (the scalar table: Xtensa) */
        NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_WIDENED], nn_default_kernels()->conv2d_w16 != NULL ? 1 : 0);
        memset(blob, 0xA5, blob_size); /* the engine must run from its own copy */
        free(blob);
        NN_CHECK_EQ_INT(nn_interop_arena_size(&S, 0), gc->smallest_peak);
        NN_CHECK_EQ_INT(nn_interop_input_size(&S), strcmp(gc->input_suffix, "rgb96") == 0 ? 96 * 96 * 3 : 96 * 96);
        NN_CHECK_EQ_INT(nn_interop_output_size(&S), 2);
        for (b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
            int32_t peak = nn_interop_plan(&S, budgets[b]);
            NN_CHECK(peak >= gc->smallest_peak);
            NN_CHECK(peak <= 300000);
            NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_ARENA], 1);
            NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_PLAN], 0);
            if (budgets[b] > 0 && budgets[b] < gc->smallest_peak) {
                NN_CHECK_EQ_INT(peak, gc->smallest_peak);
                NN_CHECK(contains(nn_interop_last_detail(&S), "raised"));
            } else if (budgets[b] == 0) {
                NN_CHECK_EQ_INT(nn_interop_planned_budget(&S), 300000 - 4096);
            } else {
                NN_CHECK(peak <= budgets[b]);
                NN_CHECK_EQ_INT(nn_interop_planned_budget(&S), budgets[b]);
            }
            for (i = 0; i < 2; i++) {
                char name[64];
                size_t in_size = 0;
                int8_t *input;
                int8_t out[2] = {0, 0};
                int expected[2];
                snprintf(name, sizeof name, "%s.%s.i8", inputs[i], gc->input_suffix);
                input = read_input(name, &in_size);
                NN_CHECK(input != NULL);
                NN_CHECK(nn_test_golden_output(gc->golden_model, inputs[i], expected));
                if (input == NULL) {
                    continue;
                }
                NN_CHECK_EQ_INT(nn_interop_run(&S, input, in_size, out, 2), NN_OK);
                NN_CHECK_EQ_INT(out[0], expected[0]);
                NN_CHECK_EQ_INT(out[1], expected[1]);
                NN_CHECK_EQ_INT(nn_interop_last_microseconds(&S), 1234);
                NN_CHECK_EQ_INT(nn_interop_last_status(&S), NN_OK);
                free(input);
            }
        }
        teardown();
    }
}

/* ---- model loading ---- */

static void load_rejects_bad_blobs(void)
{
    size_t size = 0;
    uint8_t *blob = read_repo("models/person_detect.nnb", &size);
    uint8_t *copy;
    NN_CHECK(blob != NULL);
    if (blob == NULL) {
        return;
    }
    copy = (uint8_t *)malloc(size);
    setup(300000, 0);

    NN_CHECK_EQ_INT(nn_interop_load_model(&S, NULL, 10), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_ERR_NULL_ARGUMENT), NN_INTEROP_KIND_INVALID_PARAMETER);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, 0), NN_ERR_TRUNCATED);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, 20), NN_ERR_TRUNCATED);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size - 1), NN_ERR_TRUNCATED);

    memcpy(copy, blob, size);
    copy[0] = 'X';
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, copy, size), NN_ERR_BAD_MAGIC);
    NN_CHECK(contains(nn_interop_last_detail(&S), "NN_ERR_BAD_MAGIC"));

    memcpy(copy, blob, size);
    copy[size / 2] ^= 0x40;
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, copy, size), NN_ERR_BAD_CRC);
    NN_CHECK_EQ_INT(nn_interop_last_status(&S), NN_ERR_BAD_CRC);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_ERR_BAD_CRC), NN_INTEROP_KIND_RESULT);
    /* nothing kept after a rejection */
    NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_MODEL], 0);
    NN_CHECK_EQ_INT(nn_interop_arena_size(&S, 0), -NN_INTEROP_ERR_NO_MODEL);
    NN_CHECK_EQ_INT(nn_interop_plan(&S, 0), -NN_INTEROP_ERR_NO_MODEL);
    NN_CHECK_EQ_INT(nn_interop_input_size(&S), -NN_INTEROP_ERR_NO_MODEL);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_NO_MODEL), NN_INTEROP_KIND_INVALID_OPERATION);

    /* a good load after a bad one, then a bad one drops the good model and its arena */
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_OK);
    NN_CHECK(nn_interop_plan(&S, 0) > 0);
    copy[size / 2] ^= 0x40;
    copy[4] = 99; /* version */
    NN_CHECK(nn_interop_load_model(&S, copy, size) != NN_OK);
    NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_MODEL], 0);
    NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_ARENA], 0);
    NN_CHECK_EQ_INT(nn_interop_planned_budget(&S), -NN_INTEROP_ERR_NOT_PLANNED);
    teardown();

    /* the platform has no block for the copy */
    setup(300000, 0);
    F.fail_kind = NN_INTEROP_MEM_MODEL;
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_INTEROP_ERR_OUT_OF_MEMORY);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_OUT_OF_MEMORY), NN_INTEROP_KIND_OUT_OF_MEMORY);
    NN_CHECK(contains(nn_interop_last_detail(&S), "model copy"));
    teardown();

    /* the platform breaks its alignment promise */
    setup(300000, 0);
    F.misalign_kind = NN_INTEROP_MEM_MODEL;
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_ERR_BAD_ALIGNMENT);
    teardown();

    /* unload frees everything */
    setup(300000, 0);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_OK);
    NN_CHECK(nn_interop_plan(&S, 0) > 0);
    nn_interop_unload(&S);
    NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_MODEL] + F.live[NN_INTEROP_MEM_ARENA], 0);
    NN_CHECK_EQ_INT(nn_interop_run(&S, (const int8_t *)copy, 9216, (int8_t *)copy, 2), NN_INTEROP_ERR_NO_MODEL);
    teardown();

    free(copy);
    free(blob);
}

static void linked_model(void)
{
    size_t size = 0;
    uint8_t *blob = read_repo("models/person_detect.nnb", &size);
    NN_CHECK(blob != NULL);
    if (blob == NULL) {
        return;
    }
    setup(300000, 0);
    F.linked = (const uint8_t *)fake_alloc(&F, size, NN_INTEROP_MEM_PLAN); /* stands for flash */
    memcpy((void *)(uintptr_t)F.linked, blob, size);
    F.linked_size = (uint32_t)size;
    NN_CHECK_EQ_INT(nn_interop_use_linked_model(&S, 1), NN_INTEROP_ERR_NO_LINKED_MODEL);
    NN_CHECK_EQ_INT(nn_interop_use_linked_model(&S, -1), NN_INTEROP_ERR_BAD_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_use_linked_model(&S, 0), NN_OK);
    NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_MODEL], 0); /* no copy */
    NN_CHECK_EQ_INT(nn_interop_plan(&S, 0) > 0, 1);
    {
        size_t in_size = 0;
        int8_t out[2];
        int expected[2];
        int8_t *input = read_input("tflm_person.gray96.i8", &in_size);
        NN_CHECK(input != NULL && nn_test_golden_output("person_detect", "tflm_person", expected));
        if (input != NULL) {
            NN_CHECK_EQ_INT(nn_interop_run(&S, input, in_size, out, 2), NN_OK);
            NN_CHECK_EQ_INT(out[0], expected[0]);
            NN_CHECK_EQ_INT(out[1], expected[1]);
            free(input);
        }
    }
    nn_interop_unload(&S);
    fake_release(&F, (void *)(uintptr_t)F.linked, NN_INTEROP_MEM_PLAN);
    P.linked_model = NULL;
    NN_CHECK_EQ_INT(nn_interop_use_linked_model(&S, 0), NN_INTEROP_ERR_NO_LINKED_MODEL);
    teardown();
    free(blob);
}

/* ---- planning against SRAM ---- */

static void plan_against_sram(void)
{
    size_t size = 0;
    uint8_t *blob = read_repo("models/person_detect.nnb", &size);
    int8_t in[96 * 96], out[2];
    NN_CHECK(blob != NULL);
    if (blob == NULL) {
        return;
    }
    memset(in, 0, sizeof in);

    /* the smallest plan (16463 bytes) does not fit a 16000-byte block: OUT_OF_MEMORY, said */
    setup(16000, 0);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_OK);
    NN_CHECK_EQ_INT(nn_interop_plan(&S, 0), -NN_INTEROP_ERR_OUT_OF_MEMORY);
    NN_CHECK(contains(nn_interop_last_detail(&S), "largest free internal block is 16000"));
    NN_CHECK_EQ_INT(nn_interop_plan(&S, 50000), -NN_INTEROP_ERR_OUT_OF_MEMORY);
    NN_CHECK_EQ_INT(F.live[NN_INTEROP_MEM_ARENA], 0);
    NN_CHECK_EQ_INT(nn_interop_run(&S, in, sizeof in, out, 2), NN_INTEROP_ERR_NOT_PLANNED);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_NOT_PLANNED), NN_INTEROP_KIND_INVALID_OPERATION);
    teardown();

    /* exactly the smallest plan's peak: automatic budget (below the reserve) raised to the smallest plan */
    setup(16463, 0);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_OK);
    NN_CHECK_EQ_INT(nn_interop_plan(&S, 0), 16463);
    NN_CHECK_EQ_INT(nn_interop_run(&S, in, sizeof in, out, 2), NN_OK);
    teardown();

    /* the internal SRAM refuses the block it said it had */
    setup(300000, 0);
    NN_CHECK_EQ_INT(nn_interop_load_model(&S, blob, size), NN_OK);
    F.fail_kind = NN_INTEROP_MEM_ARENA;
    NN_CHECK_EQ_INT(nn_interop_plan(&S, 0), -NN_INTEROP_ERR_OUT_OF_MEMORY);
    NN_CHECK(contains(nn_interop_last_detail(&S), "refused"));
    F.fail_kind = NN_INTEROP_MEM_PLAN;
    NN_CHECK_EQ_INT(nn_interop_arena_size(&S, 0), -NN_INTEROP_ERR_OUT_OF_MEMORY);
    F.fail_kind = -1;

    /* budgets */
    NN_CHECK_EQ_INT(nn_interop_plan(&S, -5), -NN_INTEROP_ERR_BAD_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_arena_size(&S, -1), -NN_INTEROP_ERR_BAD_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_arena_size(&S, 100), -NN_ERR_ARENA_TOO_SMALL);
    NN_CHECK(contains(nn_interop_last_detail(&S), "smallest plan"));
    NN_CHECK(nn_interop_arena_size(&S, 1000000) > nn_interop_arena_size(&S, 0));
    NN_CHECK(nn_interop_plan(&S, 1000000) > 16463);
    NN_CHECK_EQ_INT(nn_interop_planned_budget(&S), 1000000);

    /* run argument checks */
    NN_CHECK_EQ_INT(nn_interop_run(&S, NULL, sizeof in, out, 2), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_run(&S, in, sizeof in, NULL, 2), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_run(&S, in, sizeof in - 1, out, 2), NN_ERR_INPUT_SIZE);
    NN_CHECK(contains(nn_interop_last_detail(&S), "9215"));
    NN_CHECK_EQ_INT(nn_interop_run(&S, in, sizeof in, out, 3), NN_ERR_OUTPUT_SIZE);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_ERR_INPUT_SIZE), NN_INTEROP_KIND_INVALID_PARAMETER);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_ERR_OUTPUT_SIZE), NN_INTEROP_KIND_INVALID_PARAMETER);
    NN_CHECK_EQ_INT(nn_interop_last_microseconds(&S), 0);
    NN_CHECK_EQ_INT(nn_interop_run(&S, in, sizeof in, out, 2), NN_OK);
    teardown();
    free(blob);
}

/* ---- argument checks of the state itself, names, memory figures ---- */

static void state_names_and_memory(void)
{
    nn_interop st;
    nn_interop_platform bad;
    NN_CHECK_EQ_INT(nn_interop_init(NULL, &P), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_init(&st, NULL), NN_ERR_NULL_ARGUMENT);
    setup(123456, 0);
    bad = P;
    bad.alloc = NULL;
    NN_CHECK_EQ_INT(nn_interop_init(&st, &bad), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_load_model(NULL, (const uint8_t *)"x", 1), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_plan(NULL, 0), -NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_run(NULL, NULL, 0, NULL, 0), NN_ERR_NULL_ARGUMENT);
    NN_CHECK(contains(nn_interop_last_detail(NULL), "NN_ERR_NULL_ARGUMENT"));

    NN_CHECK_EQ_INT(nn_interop_sram_total(&S), 400000);
    NN_CHECK_EQ_INT(nn_interop_sram_free(&S), 124456);
    NN_CHECK_EQ_INT(nn_interop_sram_largest_block(&S), 123456);
    NN_CHECK_EQ_INT(nn_interop_sram_total(NULL), -NN_ERR_NULL_ARGUMENT);

    NN_CHECK(strcmp(nn_interop_status_name(NN_OK), "NN_OK") == 0);
    NN_CHECK(strcmp(nn_interop_status_name(NN_ERR_BAD_CRC), "NN_ERR_BAD_CRC") == 0);
    NN_CHECK(strcmp(nn_interop_status_name(NN_INTEROP_ERR_NO_MODEL), "NN_INTEROP_ERR_NO_MODEL") == 0);
    NN_CHECK(strcmp(nn_interop_status_name(NN_INTEROP_ERR_FRAME_SIZE), "NN_INTEROP_ERR_FRAME_SIZE") == 0);
    NN_CHECK(strcmp(nn_interop_status_name(110), "NN_ERR_UNKNOWN_STATUS") == 0);
    NN_CHECK(strcmp(nn_interop_status_name(-3), "NN_ERR_UNKNOWN_STATUS") == 0);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_OK), NN_INTEROP_KIND_RESULT);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_NO_CAMERA), NN_INTEROP_KIND_RESULT);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_CAMERA_FAILED), NN_INTEROP_KIND_RESULT);
    teardown();
}

/* ---- camera ---- */

static void camera_config(void)
{
    int32_t cfg[NN_CAMERA_CONFIG_LENGTH], bad[NN_CAMERA_CONFIG_LENGTH];
    nn_camera_config parsed;
    /* Seeed XIAO ESP32S3 Sense pin map */
    static const int32_t xiao[NN_CAMERA_CONFIG_LENGTH] = {0, 96, 96, 20000000, -1, -1, 10, 40, 39,
                                                         15, 17, 18, 16, 14, 12, 11, 48, 38, 47, 13};
    NN_CHECK_EQ_INT(nn_camera_board_config(NN_CAMERA_BOARD_XIAO_ESP32S3_SENSE, NN_CAMERA_FORMAT_GRAYSCALE, cfg,
                                           NN_CAMERA_CONFIG_LENGTH), NN_OK);
    NN_CHECK(memcmp(cfg, xiao, sizeof cfg) == 0);
    NN_CHECK_EQ_INT(nn_camera_board_config(7, 0, cfg, NN_CAMERA_CONFIG_LENGTH), NN_INTEROP_ERR_BAD_ARGUMENT);
    NN_CHECK_EQ_INT(nn_camera_board_config(0, 2, cfg, NN_CAMERA_CONFIG_LENGTH), NN_INTEROP_ERR_BAD_ARGUMENT);
    NN_CHECK_EQ_INT(nn_camera_board_config(0, 0, cfg, 19), NN_INTEROP_ERR_CAMERA_CONFIG);
    NN_CHECK_EQ_INT(nn_camera_board_config(0, 0, NULL, 20), NN_ERR_NULL_ARGUMENT);

    NN_CHECK_EQ_INT(nn_camera_config_parse(xiao, NN_CAMERA_CONFIG_LENGTH, &parsed), NN_OK);
    NN_CHECK_EQ_INT(parsed.frame_bytes, 96 * 96);
    NN_CHECK_EQ_INT(parsed.pins[NN_CAMERA_CFG_PIN_D0 + 7 - NN_CAMERA_CFG_PIN_PWDN], 48);
    memcpy(bad, xiao, sizeof bad);
    bad[NN_CAMERA_CFG_FORMAT] = NN_CAMERA_FORMAT_RGB565;
    NN_CHECK_EQ_INT(nn_camera_config_parse(bad, NN_CAMERA_CONFIG_LENGTH, &parsed), NN_OK);
    NN_CHECK_EQ_INT(parsed.frame_bytes, 96 * 96 * 2);
    bad[NN_CAMERA_CFG_XCLK_HZ] = 0;
    NN_CHECK_EQ_INT(nn_camera_config_parse(bad, NN_CAMERA_CONFIG_LENGTH, &parsed), NN_OK);
    NN_CHECK_EQ_INT(parsed.xclk_hz, 20000000);

#define REJECT(index, value)                                                                             \
    do {                                                                                                 \
        memcpy(bad, xiao, sizeof bad);                                                                   \
        bad[index] = (value);                                                                            \
        NN_CHECK_EQ_INT(nn_camera_config_parse(bad, NN_CAMERA_CONFIG_LENGTH, &parsed),                   \
                        NN_INTEROP_ERR_CAMERA_CONFIG);                                                   \
    } while (0)
    REJECT(NN_CAMERA_CFG_FORMAT, 2);
    REJECT(NN_CAMERA_CFG_FORMAT, -1);
    REJECT(NN_CAMERA_CFG_WIDTH, 97);
    REJECT(NN_CAMERA_CFG_HEIGHT, 120);
    REJECT(NN_CAMERA_CFG_XCLK_HZ, 40000001);
    REJECT(NN_CAMERA_CFG_XCLK_HZ, 999);
    REJECT(NN_CAMERA_CFG_XCLK_HZ, -1);
    REJECT(NN_CAMERA_CFG_PIN_XCLK, -1);     /* only PWDN and RESET may be absent */
    REJECT(NN_CAMERA_CFG_PIN_PCLK, 49);
    REJECT(NN_CAMERA_CFG_PIN_PWDN, -2);
    REJECT(NN_CAMERA_CFG_PIN_D0, 13);       /* PCLK's GPIO twice */
    REJECT(NN_CAMERA_CFG_PIN_RESET, 10);    /* XCLK's GPIO twice */
#undef REJECT
    NN_CHECK_EQ_INT(nn_camera_config_parse(xiao, 19, &parsed), NN_INTEROP_ERR_CAMERA_CONFIG);
    NN_CHECK_EQ_INT(nn_camera_config_parse(NULL, 20, &parsed), NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_CAMERA_CONFIG), NN_INTEROP_KIND_INVALID_PARAMETER);
}

static void camera_entries(void)
{
    int32_t cfg[NN_CAMERA_CONFIG_LENGTH];
    uint8_t frame[96 * 96 * 2];
    NN_CHECK_EQ_INT(nn_camera_board_config(0, NN_CAMERA_FORMAT_GRAYSCALE, cfg, NN_CAMERA_CONFIG_LENGTH), NN_OK);

    /* no camera driver in this firmware */
    setup(300000, 0);
    NN_CHECK_EQ_INT(nn_interop_camera_init(&S, cfg, NN_CAMERA_CONFIG_LENGTH), NN_INTEROP_ERR_NO_CAMERA);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, 96 * 96), -NN_INTEROP_ERR_CAMERA_NOT_READY);
    NN_CHECK_EQ_INT(nn_interop_camera_frame_size(&S), -NN_INTEROP_ERR_CAMERA_NOT_READY);
    teardown();

    setup(300000, 1);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, 96 * 96), -NN_INTEROP_ERR_CAMERA_NOT_READY);
    NN_CHECK_EQ_INT(nn_interop_status_kind(NN_INTEROP_ERR_CAMERA_NOT_READY), NN_INTEROP_KIND_INVALID_OPERATION);
    cfg[NN_CAMERA_CFG_PIN_SDA] = 99;
    NN_CHECK_EQ_INT(nn_interop_camera_init(&S, cfg, NN_CAMERA_CONFIG_LENGTH), NN_INTEROP_ERR_CAMERA_CONFIG);
    NN_CHECK_EQ_INT(F.cam_inits, 0);
    cfg[NN_CAMERA_CFG_PIN_SDA] = 40;
    F.cam_init_fail = 1;
    NN_CHECK_EQ_INT(nn_interop_camera_init(&S, cfg, NN_CAMERA_CONFIG_LENGTH), NN_INTEROP_ERR_CAMERA_FAILED);
    NN_CHECK_EQ_INT(nn_interop_camera_frame_size(&S), -NN_INTEROP_ERR_CAMERA_NOT_READY);
    F.cam_init_fail = 0;
    NN_CHECK_EQ_INT(nn_interop_camera_init(&S, cfg, NN_CAMERA_CONFIG_LENGTH), NN_OK);
    NN_CHECK_EQ_INT(F.cam_seen.pins[NN_CAMERA_CFG_PIN_XCLK - NN_CAMERA_CFG_PIN_PWDN], 10);
    NN_CHECK_EQ_INT(nn_interop_camera_frame_size(&S), 96 * 96);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, 96 * 96 * 2), -NN_INTEROP_ERR_FRAME_SIZE);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, NULL, 96 * 96), -NN_ERR_NULL_ARGUMENT);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, 96 * 96), 96 * 96);
    NN_CHECK_EQ_INT(frame[3], 21);
    F.cam_capture_fail = 1;
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, 96 * 96), -NN_INTEROP_ERR_CAMERA_FAILED);
    F.cam_capture_fail = 0;
    /* re-init (RGB565) deinitialises the driver first */
    cfg[NN_CAMERA_CFG_FORMAT] = NN_CAMERA_FORMAT_RGB565;
    NN_CHECK_EQ_INT(nn_interop_camera_init(&S, cfg, NN_CAMERA_CONFIG_LENGTH), NN_OK);
    NN_CHECK_EQ_INT(F.cam_deinits, 1);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, sizeof frame), (int32_t)sizeof frame);
    NN_CHECK_EQ_INT(nn_interop_camera_deinit(&S), NN_OK);
    NN_CHECK_EQ_INT(F.cam_deinits, 2);
    NN_CHECK_EQ_INT(nn_interop_camera_capture(&S, frame, sizeof frame), -NN_INTEROP_ERR_CAMERA_NOT_READY);
    teardown();
}

int main(void)
{
    NN_RUN(golden_through_entries);
    NN_RUN(load_rejects_bad_blobs);
    NN_RUN(linked_model);
    NN_RUN(plan_against_sram);
    NN_RUN(state_names_and_memory);
    NN_RUN(camera_config);
    NN_RUN(camera_entries);
    return nn_test_finish();
}
